import {
	canSubmit,
	countSubmit,
	currentAllowance,
	dayIn,
	hasEmitted,
	markEmitted,
	pauseOf,
	startActivation,
	type TriggerState,
} from '../../nodes/JimengVideoTrigger/triggerState';

const DAY_MS = 24 * 3600 * 1000;
const T0 = Date.parse('2026-12-01T10:00:00Z');

describe('emitted ids (watch mode)', () => {
	it('keeps an id for as long as it is listed, whatever the time (weeks, a year)', () => {
		const state: TriggerState = {};
		markEmitted(state, ['111'], ['111', '222'], T0);
		for (const days of [1, 7, 8, 30, 365]) {
			markEmitted(state, [], ['111', '222'], T0 + days * DAY_MS);
			expect(hasEmitted(state, '111')).toBe(true);
		}
		expect(hasEmitted(state, '222')).toBe(false);
	});

	it('keeps more than 5,000 listed ids, and forgets exactly those no longer listed', () => {
		const ids = Array.from({ length: 12_000 }, (_, i) => String(7_000_000_000 + i));
		const state: TriggerState = {};
		markEmitted(state, ids, ids, T0);
		expect(Object.keys(state.emitted!)).toHaveLength(12_000);
		expect(ids.every((id) => hasEmitted(state, id))).toBe(true);

		const stillListed = ids.slice(0, 6_000);
		markEmitted(state, ['1'], [...stillListed, '1'], T0 + 40 * DAY_MS);
		expect(Object.keys(state.emitted!)).toHaveLength(6_001);
		expect(hasEmitted(state, ids[5_999])).toBe(true);
		expect(hasEmitted(state, ids[6_000])).toBe(false);
		expect(state.emitted![ids[0]]).toBe(T0); // when it was emitted, not when last seen
	});
});

describe('spending allowance (generate mode)', () => {
	const limits = { maxVideos: 3, maxVideosPerDay: 2 };

	it('counts per activation and per day; a new day starts a new daily count only', () => {
		const state: TriggerState = {};
		startActivation(state, '2026-12-01');
		countSubmit(state, '2026-12-01');
		countSubmit(state, '2026-12-01');
		expect(canSubmit(state, limits, '2026-12-01')).toEqual({
			allowed: false,
			limit: 'max_videos_per_day',
			max: 2,
			count: 2,
		});
		expect(canSubmit(state, limits, '2026-12-02')).toEqual({ allowed: true });
		countSubmit(state, '2026-12-02');
		expect(currentAllowance(state, '2026-12-02')).toEqual({
			submitted: 3,
			day: '2026-12-02',
			submittedToday: 1,
		});
		expect(canSubmit(state, limits, '2026-12-02')).toEqual({
			allowed: false,
			limit: 'max_videos',
			max: 3,
			count: 3,
		});
		expect(canSubmit(state, limits, '2026-12-09')).toMatchObject({
			allowed: false,
			limit: 'max_videos',
		});
	});

	it('a user activation starts a new Max Videos count and lifts a pause, but keeps the day count', () => {
		const state: TriggerState = { paused: { reason: 'submit_outcome_unknown', at: T0 } };
		countSubmit(state, '2026-12-01');
		countSubmit(state, '2026-12-01');
		expect(pauseOf(state)?.reason).toBe('submit_outcome_unknown');
		startActivation(state, '2026-12-01');
		expect(pauseOf(state)).toBeUndefined();
		expect(currentAllowance(state, '2026-12-01')).toEqual({
			submitted: 0,
			day: '2026-12-01',
			submittedToday: 2,
		});
		expect(canSubmit(state, limits, '2026-12-01')).toMatchObject({
			allowed: false,
			limit: 'max_videos_per_day',
		});
	});

	it('reads the 0.1.0 `stopped` record as a pause', () => {
		expect(pauseOf({ stopped: { reason: 'InvalidCredential', at: T0 } })).toEqual({
			reason: 'submit_failed',
			at: T0,
			detail: 'InvalidCredential',
		});
	});

	it('days are calendar days in the workflow time zone', () => {
		const lateUtc = Date.parse('2026-12-01T20:30:00Z');
		expect(dayIn(lateUtc, 'UTC')).toBe('2026-12-01');
		expect(dayIn(lateUtc, 'Asia/Shanghai')).toBe('2026-12-02');
		expect(dayIn(lateUtc, 'America/New_York')).toBe('2026-12-01');
		expect(dayIn(lateUtc, 'Not/AZone')).toBe('2026-12-01');
	});
});
