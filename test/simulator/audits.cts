/**
 * Device, printer and ESXi audits and software lists, generated on demand from the device id and
 * the seed: the same device always audits the same, and nothing is stored per device.
 */
import { type DateForm, renderDate } from './dates.cjs';
import type { DeviceRec } from './model.cjs';
import { Rng } from './random.cjs';
import { PORTAL, formatMac, renderNics } from './views.cjs';

const GB = 1073741824;

const SOFTWARE = [
	'Google Chrome', 'Mozilla Firefox', 'Microsoft Edge', '7-Zip', 'Adobe Acrobat Reader DC', 'Microsoft 365 Apps for business',
	'Microsoft Teams', 'Zoom Workplace', 'Notepad++', 'VLC media player', 'Datto RMM Agent', 'Microsoft Visual C++ 2015-2022 Redistributable (x64)',
	'Microsoft .NET Runtime - 8.0.6', 'Java 8 Update 411', 'Slack', 'Python 3.12.3', 'Git', 'Visual Studio Code', 'PuTTY release 0.81',
	'WinSCP 6.3.3', 'Sophos Endpoint Agent', 'Dell SupportAssist', 'HP Support Assistant', 'Cisco AnyConnect Secure Mobility Client',
	'FileZilla 3.67.0', 'KeePass Password Safe 2.57', 'TeamViewer', 'Splashtop Streamer', 'Microsoft OneDrive', 'Windows PC Health Check',
];

export function deviceAudit(seed: number, d: DeviceRec, dates: DateForm): Record<string, unknown> {
	const r = Rng.derive(seed, d.id, 1);
	const server = d.category === 'Server';
	const cores = server ? r.pick([8, 16, 32]) : r.pick([4, 8, 12]);
	const memGb = server ? r.pick([32, 64, 128]) : r.pick([8, 16, 32]);
	const disks = server ? ['C:', 'D:'] : ['C:'];
	return {
		portalUrl: `${PORTAL}/csm/search?qs=uid%3A${d.uid}`,
		webRemoteUrl: `${PORTAL}/web-remote/#/${d.uid}`,
		systemInfo: {
			manufacturer: r.pick(['Dell Inc.', 'HP', 'Lenovo', 'Apple Inc.']),
			model: server ? r.pick(['PowerEdge R650', 'ProLiant DL380 Gen10']) : r.pick(['OptiPlex 7090', 'EliteBook 840 G8', 'ThinkPad T14 Gen 3', 'MacBookPro18,1']),
			totalPhysicalMemory: memGb * GB,
			username: d.lastLoggedInUser,
			dotNetVersion: d.operatingSystem.startsWith('Microsoft') ? '4.8.09037' : '',
			totalCpuCores: cores,
		},
		nics: renderNics(d),
		bios: { instance: 'BIOS', releaseDate: renderDate(dates, d.creationDate - 200 * 86400000), serialNumber: r.hex(7).toUpperCase(), smBiosVersion: `${r.int(1, 2)}.${r.int(0, 20)}.${r.int(0, 9)}` },
		baseBoard: { manufacturer: 'Dell Inc.', product: `0${r.hex(5).toUpperCase()}` },
		displays: server ? [] : [{ instance: 'DISPLAY1', screenHeight: 1080, screenWidth: 1920 }],
		logicalDisks: disks.map((name) => {
			const size = r.pick([256, 512, 1024, 2048]) * GB;
			return { description: 'Local Fixed Disk', diskIdentifier: name, freespace: Math.round(size * r.int(5, 80) / 100), size };
		}),
		mobileInfo: [],
		processors: [{ name: server ? 'Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz' : 'Intel(R) Core(TM) i7-1185G7 @ 3.00GHz' }],
		videoBoards: [{ displayAdapter: server ? 'Matrox G200eW3' : 'Intel(R) Iris(R) Xe Graphics' }],
		attachedDevices: [
			{ deviceName: 'USB Input Device', deviceType: 'HID', driverFile: 'hidusb.sys', driverFileLastModified: renderDate(dates, d.creationDate), driverManufacturer: 'Microsoft', driverName: 'hidusb', driverVersion: '10.0.22621.1', portName: 'USB' },
		],
		snmpInfo: {},
		physicalMemory: Array.from({ length: server ? 4 : 2 }, (_, i) => ({
			module: `DIMM${i + 1}`,
			size: (memGb / (server ? 4 : 2)) * GB,
			type: 'DDR4',
			speed: '3200',
			serialNumber: r.hex(8).toUpperCase(),
			partNumber: 'M378A1K43EB2-CWE',
			bank: `BANK ${i}`,
		})),
	};
}

export function printerAudit(seed: number, d: DeviceRec): Record<string, unknown> {
	const r = Rng.derive(seed, d.id, 2);
	return {
		portalUrl: `${PORTAL}/csm/search?qs=uid%3A${d.uid}`,
		snmpInfo: {
			snmpName: d.hostname,
			snmpContact: 'it@demo-msp.example',
			snmpDescription: d.operatingSystem,
			snmpLocation: 'Floor 2',
			snmpUptime: `${r.int(1, 90)} days`,
			nicManufacturer: 'Hewlett Packard',
			objectId: '1.3.6.1.4.1.11.2.3.9.1',
			snmpSerial: r.hex(10).toUpperCase(),
		},
		printerMarkerSupplies: ['Black Cartridge', 'Cyan Cartridge', 'Magenta Cartridge', 'Yellow Cartridge'].map((description) => ({
			description,
			maxCapacity: '100',
			suppliesLevel: String(r.int(3, 100)),
		})),
		printer: { printedPageCount: r.int(1000, 250000) },
		systemInfo: { manufacturer: 'HP', model: r.pick(['LaserJet Pro M404dn', 'Color LaserJet MFP M479fdw']) },
		nics: renderNics(d),
	};
}

export function esxiAudit(seed: number, d: DeviceRec): Record<string, unknown> {
	const r = Rng.derive(seed, d.id, 3);
	const dsCount = r.int(1, 3);
	return {
		portalUrl: `${PORTAL}/csm/search?qs=uid%3A${d.uid}`,
		systemInfo: { manufacturer: 'Dell Inc.', model: 'PowerEdge R750', name: d.hostname, numberOfSnapshots: r.int(0, 6), serviceTag: r.hex(7).toUpperCase() },
		guests: Array.from({ length: r.int(2, 8) }, (_, i) => ({
			guestName: `VM-${String(i + 1).padStart(2, '0')}`,
			processorSpeedTotal: r.pick([2400, 4800, 9600]),
			memorySizeTotal: r.pick([4, 8, 16, 32]) * 1024,
			numberOfSnapshots: r.int(0, 2),
			datastores: 'datastore1',
		})),
		processors: [{ frequency: 2.4, name: 'Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz', numberOfCores: 28 }],
		nics: d.macs.map((m, i) => ({ name: `vmnic${i}`, ipv4: d.intIpAddress, ipv6: '', macAddress: formatMac(m), speed: '10000', type: 'Physical' })),
		physicalMemory: [{ module: 'DIMM_A1', size: 64 * GB, type: 'DDR4', speed: '3200', serialNumber: r.hex(8).toUpperCase(), partNumber: 'M393A8G40AB2-CWE', bank: 'A1' }],
		datastores: Array.from({ length: dsCount }, (_, i) => {
			const size = r.pick([1, 2, 4]) * 1024 * GB;
			return {
				datastoreName: `datastore${i + 1}`,
				subscriptionPercent: r.int(20, 140),
				freeSpace: Math.round(size * r.int(5, 60) / 100),
				size,
				fileSystem: 'VMFS',
				status: 'normal',
				dataExtents: [{ name: `naa.${r.hex(16)}`, size, mediaType: 'SSD', status: 'ok' }],
			};
		}),
	};
}

/** Installed software of a generic device, sorted by name (stable across pages). */
export function softwareList(seed: number, d: DeviceRec): { name: string; version: string }[] {
	const r = Rng.derive(seed, d.id, 4);
	const n = r.int(15, SOFTWARE.length);
	const out: { name: string; version: string }[] = [];
	for (const name of SOFTWARE) {
		if (out.length >= n) break;
		if (r.bool(n / SOFTWARE.length) || name === 'Datto RMM Agent') out.push({ name, version: `${r.int(1, 130)}.${r.int(0, 9)}.${r.int(0, 9999)}` });
	}
	// Windows updates pad the list so software paging has several pages at small `max`.
	for (let i = 0; i < r.int(5, 40); i++) out.push({ name: `Update for Windows (KB50${String(30000 + i * 17).slice(0, 5)})`, version: '' });
	return out.sort((a, b) => a.name.localeCompare(b.name));
}
