/**
 * What the benchmark's processes share: starting the simulator in its own process (so its data
 * never counts in our memory) and talking to its control API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** Device Get with each input item's `uid` as the device UID: the fan-out every bench runs. */
export const DEVICE_GET_EACH_UID = {
	resource: 'device',
	operation: 'get',
	deviceUid: { __rl: true, mode: 'id', value: '={{ $json.uid }}' },
};

export interface SimProcess {
	url: string;
	/** Which shapes the simulator serves, as its banner says (e.g. compact objects, live links). */
	shapes: string;
	apiKey: string;
	apiSecret: string;
	child: ChildProcess;
	stats(): Promise<Record<string, number>>;
	control(route: string, body?: unknown): Promise<unknown>;
	stop(): Promise<void>;
}

export async function startSimulatorProcess(args: string[]): Promise<SimProcess> {
	const cli = path.resolve(__dirname, '../test/simulator/cli.cts');
	const child = spawn(process.execPath, ['--require', 'tsx/cjs', cli, '--port', '0', ...args], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const banner = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			if (/Shapes:.*\n/.test(out)) resolve(out);
		});
		child.once('exit', (code) => reject(new Error(`simulator exited (${code}) before starting:\n${out}`)));
	});
	const field = (label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(banner)?.[1] ?? '';
	const url = /listening on (\S+)/.exec(banner)![1];
	const shapes = /Shapes:\s+(.+)/.exec(banner)?.[1].trim() ?? 'unknown';
	const control = async (route: string, body?: unknown, retried = false): Promise<unknown> => {
		try {
			const answer = await fetch(`${url}/__sim/${route}`, {
				method: body === undefined ? 'GET' : 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return await answer.json();
		} catch (error) {
			// A kept-alive connection the simulator closed while this process was blocked (e.g. in
			// execFileSync): the next request on a new connection goes through.
			if (retried) throw error;
			return control(route, body, true);
		}
	};
	return {
		url,
		shapes,
		apiKey: field('API key:'),
		apiSecret: field('API secret:'),
		child,
		control,
		stats: async () => (await control('stats')) as Record<string, number>,
		stop: () =>
			new Promise((resolve) => {
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}
