/**
 * Our own requests inside the window, oldest first: by send time while in flight, then by answer
 * time. Datto counts a request when it arrives, which can be long after we sent it when it is
 * busy; it has surely arrived by the time its answer does, so a request stays in our window until
 * a full window after its answer, never leaving ours before it leaves Datto's.
 */
export class SendWindow {
	private times: number[] = [];

	prune(edge: number): void {
		let n = 0;
		while (n < this.times.length && this.times[n] <= edge) n++;
		if (n) this.times.splice(0, n);
	}

	add(at: number): void {
		this.times.push(at);
	}

	/** The request sent at `sentAt` was answered at `answeredAt`: it counts from then. */
	answered(sentAt: number, answeredAt: number): void {
		const at = this.times.indexOf(sentAt);
		if (at < 0) return; // already out of the window
		this.times.splice(at, 1);
		let i = this.times.length;
		while (i > 0 && this.times[i - 1] > answeredAt) i--;
		this.times.splice(i, 0, answeredAt);
	}

	get count(): number {
		return this.times.length;
	}

	get oldest(): number | undefined {
		return this.times[0];
	}
}
