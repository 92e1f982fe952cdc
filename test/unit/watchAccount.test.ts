/**
 * Watch Account's boundary: Ark's `updated_at` is in whole seconds, watching begins at a millisecond.
 * A task that ends after watching began, in the same second, must still be emitted.
 */
import type { ArkTask } from '../../nodes/shared/ark';
import { endedWhileWatching } from '../../nodes/JimengVideoTrigger/watchAccount';

const task = (status: ArkTask['status'], updatedAt: number): ArkTask => ({
	id: 'cgt-20260101000000-abcde',
	status,
	updated_at: updatedAt,
});

describe('Watch Account: which listed tasks ended while watching', () => {
	// Watching began at 1 767 225 600.700 s; Ark reports seconds only.
	const since = 1_767_225_600_700;

	it('a task that ended later in the second watching began in (updated_at floored to it)', () => {
		expect(endedWhileWatching(task('succeeded', 1_767_225_600), since)).toBe(true);
	});

	it('a task that ended in a later second', () => {
		for (const status of ['succeeded', 'failed', 'expired', 'cancelled'] as const)
			expect(endedWhileWatching(task(status, 1_767_225_601), since)).toBe(true);
	});

	it('not a task that ended in an earlier second, nor one still queued or running', () => {
		expect(endedWhileWatching(task('succeeded', 1_767_225_599), since)).toBe(false);
		expect(endedWhileWatching(task('running', 1_767_225_700), since)).toBe(false);
		expect(endedWhileWatching(task('queued', 1_767_225_700), since)).toBe(false);
		expect(endedWhileWatching({ id: 'cgt-x', status: 'succeeded' }, since)).toBe(false);
	});
});
