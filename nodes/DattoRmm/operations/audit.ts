import { devicePicker, macAddressField } from './fields';
import type { OperationSpec } from './types';

const deviceUid = devicePicker();

const macAddress = macAddressField;

export const auditOperations: OperationSpec[] = [
	{
		resource: 'audit',
		value: 'getDevice',
		name: 'Get Device Audit',
		action: 'Get the audit of a device',
		description:
			'Get the hardware and system audit of a computer or server (device class "device"), given by its UID: system info, BIOS, processors, memory, disks, displays, network adapters',
		operationIds: ['getDeviceAudit'],
		method: 'GET',
		path: '/v2/audit/device/{deviceUid}',
		notFound: 'the device',
		fields: [deviceUid],
	},
	{
		resource: 'audit',
		value: 'getPrinter',
		name: 'Get Printer Audit',
		action: 'Get the audit of a printer',
		description: 'Get the audit of a printer (device class "printer"), given by its UID: SNMP info, supplies (toner, ink) and network adapters',
		operationIds: ['getPrinterAudit'],
		method: 'GET',
		path: '/v2/audit/printer/{deviceUid}',
		notFound: 'the printer',
		fields: [deviceUid],
	},
	{
		resource: 'audit',
		value: 'getEsxiHost',
		name: 'Get ESXi Host Audit',
		action: 'Get the audit of an ESXi host',
		description: 'Get the audit of a VMware ESXi host (device class "esxihost"), given by its UID: processors, memory, datastores, guests',
		operationIds: ['getEsxiHostAudit'],
		method: 'GET',
		path: '/v2/audit/esxihost/{deviceUid}',
		notFound: 'the ESXi host',
		fields: [deviceUid],
	},
	{
		resource: 'audit',
		value: 'getSoftware',
		name: 'Get Software',
		action: 'Get the software installed on a device',
		description: 'List the software audited on a computer or server (device class "device"), given by its UID: one item per application with its version',
		operationIds: ['getDeviceAuditSoftware'],
		method: 'GET',
		path: '/v2/audit/device/{deviceUid}/software',
		list: { key: 'software' },
		notFound: 'the device',
		fields: [deviceUid],
	},
	{
		resource: 'audit',
		value: 'getByMacAddress',
		name: 'Get by MAC Address',
		action: 'Get device audits by MAC address',
		description:
			'Get the audits of the computers or servers that have a network adapter with this MAC address (12 hex digits, with or without separators), one item per device',
		operationIds: ['getDeviceAuditByMacAddress'],
		method: 'GET',
		path: '/v2/audit/device/macAddress/{macAddress}',
		several: true,
		notFound: 'a device with MAC address',
		fields: [macAddress],
	},
];
