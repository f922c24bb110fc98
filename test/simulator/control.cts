/**
 * Control API under /__sim/ (loopback only, no auth, not recorded) so tests that drive a separate
 * process (real n8n) can read counters and change the world:
 *   GET  /__sim/stats                 counters as JSON (+ pendingFaults)
 *   GET  /__sim/rate                  the account's rate view, as request_rate reports it (not counted)
 *   GET  /__sim/log?limit=N           the last N recorded requests
 *   GET  /__sim/credentials           the current demo key and secret (they change on resetApiKeys)
 *   POST /__sim/expire-tokens
 *   POST /__sim/faults                JSON partial FaultSettings
 *   POST /__sim/clear-faults          random faults off, scripted queue emptied
 *   POST /__sim/inject                JSON ScriptedFault; `pathRegex` (string) instead of a RegExp path
 *   POST /__sim/reset-counters
 *   POST /__sim/reset-rate-limits
 *   POST /__sim/world                 {action, ...}: openAlert {deviceUid?, priority?, diagnostics?},
 *                                     resolveAlert {alertUid}, addDevice {siteUid?, hostname?, ...},
 *                                     setDeviceOnline {deviceUid, online}, addActivity {...},
 *                                     setUdf {deviceUid, udf: {udf1: '...'}}
 *   GET  /__sim/webhooks, POST /__sim/webhooks, POST /__sim/webhooks/redeliver   (see webhooks.cts)
 */
import { springError, validationError } from './errors.cjs';
import type { Ctx, Reply } from './http.cjs';
import type { AlertRec, DeviceRec } from './model.cjs';
import type { FaultSettings, ScriptedFault, SimulatorCounters, RecordedRequest } from './types.cjs';
import { renderAlert, renderDevice } from './views.cjs';
import { webhookControl, type WebhookSender } from './webhooks.cjs';

export interface ControlTarget {
	counters: SimulatorCounters;
	log: RecordedRequest[];
	rateStatus(): Record<string, unknown>;
	apiKey: string;
	apiSecret: string;
	pendingFaults(): number;
	expireAllTokens(): void;
	setFaults(f: Partial<FaultSettings>): void;
	clearFaults(): void;
	inject(f: ScriptedFault): void;
	resetCounters(): void;
	resetRateLimits(): void;
	webhooks: WebhookSender;
}

/** JSON object body, or a 400 reply (tagged so a body that itself has `status` is not confused). */
function parse(ctx: Ctx): { value: Record<string, unknown> } | { error: Reply } {
	if (!ctx.body.trim()) return { value: {} };
	try {
		const v: unknown = JSON.parse(ctx.body);
		if (typeof v === 'object' && v !== null && !Array.isArray(v)) return { value: v as Record<string, unknown> };
	} catch {
		// fall through
	}
	return { error: validationError('INVALID_REQUEST_BODY', 'Body must be a JSON object') };
}

export function controlHandler(t: ControlTarget, ctx: Ctx): Reply {
	const route = `${ctx.method} ${ctx.path.replace(/\/+$/, '')}`;
	const st = ctx.sim.state;
	const ok = (body: unknown = { ok: true }): Reply => ({ status: 200, body });
	switch (route) {
		case 'GET /__sim/stats':
			return ok({ ...t.counters, byOperation: { ...t.counters.byOperation }, pendingFaults: t.pendingFaults() });
		case 'GET /__sim/rate':
			return ok(t.rateStatus());
		case 'GET /__sim/log': {
			const n = Number(ctx.query.get('limit') ?? 100);
			return ok(t.log.slice(-Math.max(1, n)));
		}
		case 'GET /__sim/credentials':
			return ok({ apiKey: t.apiKey, apiSecret: t.apiSecret });
		case 'POST /__sim/expire-tokens':
			t.expireAllTokens();
			return ok();
		case 'POST /__sim/reset-counters':
			t.resetCounters();
			return ok();
		case 'POST /__sim/reset-rate-limits':
			t.resetRateLimits();
			return ok();
		case 'POST /__sim/clear-faults':
			t.clearFaults();
			return ok();
		case 'POST /__sim/faults': {
			const p = parse(ctx);
			if ('error' in p) return p.error;
			const b = p.value;
			t.setFaults(b as Partial<FaultSettings>);
			return ok({ ...ctx.sim.faults });
		}
		case 'POST /__sim/inject': {
			const p = parse(ctx);
			if ('error' in p) return p.error;
			const b = p.value;
			const f = { ...b } as ScriptedFault & { pathRegex?: string };
			if (typeof f.pathRegex === 'string') {
				f.path = new RegExp(f.pathRegex);
				delete f.pathRegex;
			}
			t.inject(f);
			return ok({ ok: true, pendingFaults: t.pendingFaults() });
		}
		case 'POST /__sim/world': {
			const p = parse(ctx);
			if ('error' in p) return p.error;
			const b = p.value;
			return world(ctx, b);
		}
		default: {
			const p = route.startsWith('POST /__sim/webhooks') ? parse(ctx) : { value: {} };
			if ('error' in p) return p.error;
			return webhookControl(t.webhooks, route, p.value) ?? springError(404, `Unknown control endpoint ${route}`, ctx.path);
		}
	}

	function world(c: Ctx, b: Record<string, unknown>): Reply {
		const str = (k: string): string | undefined => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
		switch (b.action) {
			case 'openAlert': {
				const deviceUid = str('deviceUid') ?? st.devices.find((d) => d.deviceClass === 'device')?.uid ?? st.devices[0].uid;
				if (!st.device(deviceUid)) return springError(404, `Device with uid ${deviceUid} was not found`, c.path);
				const fields: Partial<AlertRec> = {};
				if (str('priority')) fields.priority = str('priority') as AlertRec['priority'];
				if (str('diagnostics')) fields.diagnostics = str('diagnostics')!;
				if (typeof b.context === 'object' && b.context) fields.context = b.context as AlertRec['context'];
				return ok(renderAlert(st, st.openAlert(deviceUid, fields)));
			}
			case 'resolveAlert': {
				const a = st.resolveAlert(str('alertUid') ?? '');
				return a ? ok(renderAlert(st, a)) : springError(404, `Alert with uid ${str('alertUid')} was not found`, c.path);
			}
			case 'addDevice': {
				const { action: _a, ...fields } = b;
				void _a;
				if (fields.siteUid !== undefined && !st.site(String(fields.siteUid))) return springError(404, `Site with uid ${String(fields.siteUid)} was not found`, c.path);
				return ok(renderDevice(st, st.addDevice(fields as Partial<DeviceRec>)));
			}
			case 'setDeviceOnline': {
				const d = st.setDeviceOnline(str('deviceUid') ?? '', b.online !== false);
				return d ? ok(renderDevice(st, d)) : springError(404, `Device with uid ${str('deviceUid')} was not found`, c.path);
			}
			case 'setUdf': {
				const d = st.device(str('deviceUid') ?? '');
				if (!d) return springError(404, `Device with uid ${str('deviceUid')} was not found`, c.path);
				for (const [k, v] of Object.entries((b.udf as Record<string, string | null>) ?? {})) {
					if (v === null || v === '') delete d.udf[k];
					else d.udf[k] = String(v);
				}
				return ok(renderDevice(st, d));
			}
			case 'addActivity': {
				const { action: _a, ...fields } = b;
				void _a;
				if (typeof fields.activityAction === 'string') {
					(fields as Record<string, unknown>).action = fields.activityAction;
					delete fields.activityAction;
				}
				const e = st.addActivity(fields);
				return ok({ id: e.id, dateMs: e.dateMs });
			}
			default:
				return validationError('UNKNOWN_ACTION', `Unknown world action '${String(b.action)}'`, {
					actions: ['openAlert', 'resolveAlert', 'addDevice', 'setDeviceOnline', 'setUdf', 'addActivity'],
				});
		}
	}
}
