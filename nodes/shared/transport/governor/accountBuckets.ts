import { Bucket } from './bucket';
import type { RateView } from './rateView';
import type { Ticket } from './ticket';

/** Datto's documented write limits, used until a view gives the account's own. */
const DEFAULT_WRITE_LIMIT = 600;
const DEFAULT_OPERATION_LIMITS: Record<string, number> = { 'device-udf-set': 600 };
const DEFAULT_OPERATION_LIMIT = 100;

/** Datto's counters a request may count in: the account, its writes, and each named write budget. */
export class AccountBuckets {
	readonly account = new Bucket('account', 600);
	write?: Bucket = new Bucket('write', DEFAULT_WRITE_LIMIT);
	private readonly operations = new Map<string, Bucket>();
	/** Write budget names the account's view does not list: those writes count in the write bucket only. */
	private readonly unbudgeted = new Set<string>();
	private writeLimitsKnown = true;

	private operationBucket(name: string): Bucket | undefined {
		if (!this.writeLimitsKnown || this.unbudgeted.has(name)) return undefined;
		let bucket = this.operations.get(name);
		if (!bucket) {
			bucket = new Bucket(name, DEFAULT_OPERATION_LIMITS[name] ?? DEFAULT_OPERATION_LIMIT);
			this.operations.set(name, bucket);
		}
		return bucket;
	}

	/** The buckets a request counts in. */
	forTicket(ticket: Ticket): Bucket[] {
		const buckets = [this.account];
		if (ticket.kind === 'write' && this.write) {
			buckets.push(this.write);
			const named = ticket.writeBudget ? this.operationBucket(ticket.writeBudget) : undefined;
			if (named) buckets.push(named);
		}
		return buckets;
	}

	/** Every bucket, the account first. */
	all(): Bucket[] {
		return [this.account, this.write, ...this.operations.values()].filter((b): b is Bucket => !!b);
	}

	/** Drops our requests at or before `edge` from every bucket. */
	prune(edge: number): void {
		this.account.own.prune(edge);
		this.write?.own.prune(edge);
		for (const bucket of this.operations.values()) bucket.own.prune(edge);
	}

	/** Our own counts as a view, when Datto gives none. */
	ownView(windowSeconds: number, accountCount: number): RateView {
		return { windowSeconds, limit: this.account.limit, cutOffRatio: this.account.cutOffRatio, count: accountCount, writeLimit: this.write?.limit, writeCount: this.write?.own.count, operations: Object.fromEntries([...this.operations].map(([name, b]) => [name, { limit: b.limit, count: b.own.count }])) };
	}

	/** A view's write counters, each bucket it lists handed to `observe`. */
	observeWrites(view: RateView, observe: (bucket: Bucket, count: number, limit: number) => void): void {
		if (view.writeLimit === undefined) {
			// An older account: one bucket for everything.
			this.writeLimitsKnown = false;
			this.write = undefined;
			this.operations.clear();
			return;
		}
		this.write ??= new Bucket('write', view.writeLimit);
		observe(this.write, view.writeCount ?? 0, view.writeLimit);
		const listed = view.operations ?? {};
		for (const name of [...this.operations.keys()]) {
			if (listed[name]) continue;
			this.operations.delete(name);
			this.unbudgeted.add(name);
		}
		for (const [name, op] of Object.entries(listed)) {
			this.unbudgeted.delete(name);
			const bucket = this.operationBucket(name);
			if (bucket) observe(bucket, op.count, op.limit);
		}
	}
}
