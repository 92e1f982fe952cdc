/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/** Waits `ms` (tests and tooling; the product uses n8n's abortable sleep). */
export const sleep = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fakes only the clock (Date.now, new Date): timers, sleeps and I/O stay real, so a trigger can be
 * moved days ahead with `jest.setSystemTime` while its HTTP calls run. Undo with `jest.useRealTimers()`.
 */
export function fakeDateOnly(): void {
	jest.useFakeTimers({
		doNotFake: [
			'setTimeout',
			'clearTimeout',
			'setInterval',
			'clearInterval',
			'setImmediate',
			'clearImmediate',
			'nextTick',
			'queueMicrotask',
			'hrtime',
			'performance',
		],
	});
}
