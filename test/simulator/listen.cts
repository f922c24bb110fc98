import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Ports this process has listened on: the OS may hand a closed server's port to the next one. */
const portsUsed = new Set<number>();

/**
 * Listens on `port`, or with 0 on a port no earlier server of this process had. The node keeps
 * per-process state keyed by the server's address (issued tokens, the rate governor's view, an
 * IP block), so a test server reusing a closed one's port would inherit another test's state.
 */
export async function listenOnFreshPort(server: Server, host: string, port = 0): Promise<AddressInfo> {
	for (let attempt = 0; ; attempt++) {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		const address = server.address() as AddressInfo;
		if (port !== 0 || !portsUsed.has(address.port) || attempt >= 20) {
			portsUsed.add(address.port);
			return address;
		}
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
