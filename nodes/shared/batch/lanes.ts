/** Small concurrency limits for the batch: a fixed number of lanes over a list, or a gate. */

/** Runs `worker` over `inputs` with at most `limit` at once. */
export async function runLimited<T>(
	inputs: T[],
	limit: number,
	worker: (input: T) => Promise<void>,
): Promise<void> {
	let next = 0;
	const lanes = Array.from({ length: Math.min(limit, inputs.length) }, async () => {
		while (next < inputs.length) {
			const input = inputs[next++];
			await worker(input);
		}
	});
	await Promise.all(lanes);
}

/** At most `limit` holders at once; the others wait in order. */
export class Lanes {
	private active = 0;
	private readonly waiters: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	async run<T>(work: () => Promise<T>): Promise<T> {
		while (this.active >= this.limit)
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		this.active++;
		try {
			return await work();
		} finally {
			this.active--;
			this.waiters.shift()?.();
		}
	}
}
