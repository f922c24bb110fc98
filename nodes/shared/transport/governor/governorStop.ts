/** Why the governor refused to send: cancelled (the execution stopped), blocked (Datto blocked this IP). */
export class GovernorStop extends Error {
	constructor(
		readonly reason: 'cancelled' | 'blocked',
		message: string,
		/** For `blocked`: when (epoch ms) the block is expected to be over. */
		readonly until?: number,
	) {
		super(message);
		this.name = 'GovernorStop';
	}
}

export function cancelled(): GovernorStop {
	return new GovernorStop('cancelled', 'The request was cancelled');
}
