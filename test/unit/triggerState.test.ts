import {
	allowanceOf,
	dayIn,
	limitReached,
	markWatched,
	mergeStates,
	readState,
	writeState,
	type GenerateState,
	type SubmitMark,
	type TaskRecord,
} from '../../nodes/JimengVideoTrigger/triggerState';

const T0 = Date.parse('2026-12-01T10:00:00Z');

const task = (taskId: string, extra: Partial<TaskRecord> = {}): TaskRecord => ({
	taskId,
	reqKey: 'jimeng_t2v_v30',
	submittedAt: T0,
	...extra,
});
const mark = (key: string, epoch = 0, day = '2026-12-01'): SubmitMark => ({ key, epoch, day });
const state = (extra: Partial<GenerateState> = {}): GenerateState => ({
	epoch: 0,
	tasks: [],
	submits: [],
	delivered: [],
	...extra,
});

describe('emitted ids (watch mode)', () => {
	it('keeps an id for as long as it is listed, and forgets exactly those no longer listed', () => {
		const ids = Array.from({ length: 12_000 }, (_, i) => String(7_000_000_000 + i));
		const all = markWatched(undefined, ids, ids);
		expect(all).toHaveLength(12_000);
		const stillListed = ids.slice(0, 6_000);
		const kept = markWatched(all, ['1'], [...stillListed, '1']);
		expect(kept).toHaveLength(6_001);
		expect(kept).toContain(ids[5_999]);
		expect(kept).not.toContain(ids[6_000]);
	});
});

describe('saved copy and journal merged', () => {
	it('keeps every world fact of either copy: a task only the journal knows is not lost', () => {
		const saved = state({ tasks: [task('1')], submits: [mark('1')] });
		const journal = state({
			tasks: [task('1', { finished: true }), task('2')],
			submits: [mark('1'), mark('2')],
		});
		const merged = mergeStates(saved, journal, T0);
		expect(merged.tasks).toEqual([task('1', { finished: true }), task('2')]);
		expect(merged.submits.map((m) => m.key)).toEqual(['1', '2']);
	});

	it('takes delivery facts from the saved copy only: a delivery n8n did not save is not one', () => {
		const journal = state({ tasks: [task('1', { finished: true })], delivered: ['1'] });
		expect(mergeStates(state(), journal, T0).tasks.map((t) => t.taskId)).toEqual(['1']);
		const saved = state({ delivered: ['1'] });
		expect(mergeStates(saved, journal, T0).tasks).toEqual([]);
	});

	it('the latest user activation wins, and a pause from before it is lifted', () => {
		const pause = { reason: 'submit_outcome_unknown' as const, at: T0, detail: 'reset', json: {} };
		const saved = state({ epoch: T0 - 10, pause });
		expect(mergeStates(saved, undefined, T0).pause).toEqual(pause);
		expect(mergeStates(saved, state({ epoch: T0 + 5 }), T0).pause).toBeUndefined();
	});

	it('reads a state of another shape as empty, and writes into the object n8n watches', () => {
		expect(readState({ current: { taskId: '1' } })).toEqual({ v: 2 });
		const staticData: Record<string, unknown> = { old: 1 };
		writeState(staticData, { v: 2, watched: ['1'] });
		expect(staticData).toEqual({ v: 2, watched: ['1'] });
	});
});

describe('spending limits', () => {
	const limits = { maxVideos: 3, maxVideosPerDay: 2 };

	it('counts per activation and per calendar day', () => {
		const s = state({
			epoch: 5,
			submits: [mark('a', 5, '2026-12-01'), mark('b', 5, '2026-12-01'), mark('c', 5, '2026-12-02')],
		});
		expect(allowanceOf(s, '2026-12-02')).toEqual({ submitted: 3, submittedToday: 1 });
		expect(limitReached(s, limits, '2026-12-02')).toEqual({
			limit: 'max_videos',
			max: 3,
			count: 3,
		});
		// a new activation: a new Max Videos count, the same day count
		const next = { ...s, epoch: 9 };
		expect(limitReached(next, limits, '2026-12-01')).toEqual({
			limit: 'max_videos_per_day',
			max: 2,
			count: 2,
		});
		expect(limitReached(next, limits, '2026-12-03')).toBeUndefined();
	});

	it('days are calendar days in the workflow time zone', () => {
		const lateUtc = Date.parse('2026-12-01T20:30:00Z');
		expect(dayIn(lateUtc, 'UTC')).toBe('2026-12-01');
		expect(dayIn(lateUtc, 'Asia/Shanghai')).toBe('2026-12-02');
		expect(dayIn(lateUtc, 'America/New_York')).toBe('2026-12-01');
		expect(dayIn(lateUtc, 'Not/AZone')).toBe('2026-12-01');
	});
});
