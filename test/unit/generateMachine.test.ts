import {
	MIN_SUBMIT_WINDOW_MS,
	journalView,
	startPoll,
	step,
	type CheckResult,
	type Effect,
	type PollFacts,
	type SubmitResult,
	type Transition,
} from '../../nodes/JimengVideoTrigger/generateMachine';
import {
	mergeStates,
	type GenerateState,
	type TaskRecord,
} from '../../nodes/JimengVideoTrigger/triggerState';

const T0 = Date.parse('2026-12-01T10:00:00Z');
type Item = { id: string };

const facts = (extra: Partial<PollFacts> = {}): PollFacts => ({
	now: T0,
	today: '2026-12-01',
	limits: { maxVideos: 10, maxVideosPerDay: 0 },
	userActivation: false,
	budgetEndsAt: T0 + 300_000,
	checkDeadline: T0 + 210_000,
	savedTaskIds: [],
	...extra,
});
const empty = (extra: Partial<GenerateState> = {}): GenerateState => ({
	epoch: 0,
	tasks: [],
	submits: [],
	delivered: [],
	...extra,
});
const task = (taskId: string, extra: Partial<TaskRecord> = {}): TaskRecord => ({
	taskId,
	reqKey: 'jimeng_t2v_v30',
	submittedAt: T0 - 60_000,
	...extra,
});
const accepted = (taskId: string): SubmitResult => ({
	kind: 'accepted',
	taskId,
	reqKey: 'jimeng_t2v_v30',
	request: { prompt: 'p', frames: 121, seed: -1 },
	sentAt: T0,
});
const submitted = (t: Transition<Item>, result: SubmitResult, now = T0 + 1000) =>
	step(t.machine, { type: 'submitted', result, now });
const checked = (t: Transition<Item>, taskId: string, result: CheckResult<Item>) =>
	step(t.machine, { type: 'checked', taskId, result, now: T0 + 500 });
const emitted = (effect: Effect<Item>) => {
	if (effect.type !== 'emit') throw new Error(`expected emit, got ${effect.type}`);
	return effect;
};

describe('generate mode state machine', () => {
	it('nothing in flight: submits, and the poll emits a `submitted` notice so n8n saves the task', () => {
		let t = startPoll<Item>(empty(), facts());
		expect(t.effect).toEqual({ type: 'submit', timeoutMs: 60_000 });
		t = submitted(t, accepted('1'));
		const effect = emitted(t.effect);
		expect(effect.items).toEqual([]);
		expect(effect.notices).toEqual([
			{ kind: 'submitted', task: expect.objectContaining({ taskId: '1' }) },
		]);
		expect(t.machine.state.tasks.map((x) => x.taskId)).toEqual(['1']);
		expect(t.machine.state.submits).toEqual([{ key: '1', epoch: 0, day: '2026-12-01' }]);
	});

	it('a task in flight: checked, nothing submitted, nothing emitted', () => {
		let t = startPoll<Item>(empty({ tasks: [task('1')] }), facts({ savedTaskIds: ['1'] }));
		expect(t.effect).toMatchObject({ type: 'check', task: { taskId: '1' } });
		t = checked(t, '1', { kind: 'running' });
		expect(emitted(t.effect)).toEqual({ type: 'emit', items: [], notices: [] });
		expect(t.machine.notSubmitted).toMatch(/task 1 is in flight/);
	});

	it('a task the saved copy lacks (its poll was thrown away) is emitted as `submitted` again', () => {
		let t = startPoll<Item>(empty({ tasks: [task('1')] }), facts({ savedTaskIds: [] }));
		t = checked(t, '1', { kind: 'running' });
		expect(emitted(t.effect).notices).toEqual([{ kind: 'submitted', task: task('1') }]);
	});

	it('a finished video is emitted, and the next task submitted in the same poll', () => {
		let t = startPoll<Item>(empty({ tasks: [task('1')] }), facts({ savedTaskIds: ['1'] }));
		t = checked(t, '1', { kind: 'ended', item: { id: 'video 1' } });
		expect(t.effect.type).toBe('submit');
		t = submitted(t, accepted('2'));
		const effect = emitted(t.effect);
		expect(effect.items).toEqual([{ id: 'video 1' }]);
		expect(effect.notices).toEqual([]); // saved with the video's emission
		expect(t.machine.state.tasks.map((x) => x.taskId)).toEqual(['2']);
		expect(t.machine.state.delivered).toEqual(['1']);
		// Until n8n saves that emission, the journal still owes video 1.
		expect(journalView(t.machine).tasks.map((x) => x.taskId)).toEqual(['2', '1']);
	});

	it('a finished video is emitted even when the next submit is refused for now (concurrency)', () => {
		let t = startPoll<Item>(empty({ tasks: [task('1')] }), facts({ savedTaskIds: ['1'] }));
		t = checked(t, '1', { kind: 'ended', item: { id: 'video 1' } });
		t = submitted(t, { kind: 'refused', passing: true, detail: '50430', json: {} });
		expect(emitted(t.effect).items).toEqual([{ id: 'video 1' }]);
		expect(t.machine.state.pause).toBeUndefined();
		expect(t.machine.state.submits).toEqual([]);
	});

	it('an unknown outcome counts like a task and pauses; the pause is announced until n8n saves it', () => {
		let t = startPoll<Item>(empty(), facts());
		t = submitted(t, {
			kind: 'unknown',
			detail: 'reset',
			json: { status: 'submit_outcome_unknown' },
			sentAt: T0,
		});
		const effect = emitted(t.effect);
		expect(effect.notices).toEqual([
			{ kind: 'paused', pause: expect.objectContaining({ reason: 'submit_outcome_unknown' }) },
		]);
		expect(t.machine.state.submits).toEqual([
			{ key: `unknown@${T0}`, epoch: 0, day: '2026-12-01' },
		]);
		// The next poll, with the saved copy from before (that emission thrown away): announced again, nothing sent.
		const journal = journalView(t.machine);
		const again = startPoll<Item>(mergeStates(empty(), journal, T0), facts({ now: T0 + 60_000 }));
		expect(emitted(again.effect).notices).toEqual([
			{ kind: 'paused', pause: t.machine.state.pause },
		]);
		// With the emission saved: nothing at all.
		const saved = startPoll<Item>(t.machine.state, facts({ now: T0 + 60_000 }));
		expect(emitted(saved.effect)).toEqual({ type: 'emit', items: [], notices: [] });
	});

	it('only a user activation lifts a pause and starts a new Max Videos count', () => {
		const pause = { reason: 'submit_outcome_unknown' as const, at: T0 - 5, detail: 'x', json: {} };
		const paused = empty({
			pause,
			delivered: [`pause@${T0 - 5}`],
			submits: [{ key: 'u', epoch: 0, day: '2026-12-01' }],
		});
		expect(startPoll<Item>(paused, facts()).effect.type).toBe('emit');
		const resumed = startPoll<Item>(paused, facts({ userActivation: true }));
		expect(resumed.effect.type).toBe('submit');
		expect(resumed.machine.state.epoch).toBe(T0);
	});

	it('Max Videos reached: one notice per activation, nothing submitted', () => {
		const full = empty({ submits: [{ key: '1', epoch: 0, day: '2026-12-01' }] });
		const limits = { maxVideos: 1, maxVideosPerDay: 0 };
		const t = startPoll<Item>(full, facts({ limits }));
		expect(emitted(t.effect).notices).toEqual([
			{ kind: 'limit', reached: { limit: 'max_videos', max: 1, count: 1 } },
		]);
		expect(t.machine.state.delivered).toEqual(['notice:max_videos@0']);
		const later = startPoll<Item>(t.machine.state, facts({ limits }));
		expect(emitted(later.effect).notices).toEqual([]);
	});

	it('no submit starts when it could not be answered inside the poll budget', () => {
		const t = startPoll<Item>(empty(), facts({ budgetEndsAt: T0 + MIN_SUBMIT_WINDOW_MS }));
		expect(emitted(t.effect).notices).toEqual([]);
		expect(t.machine.notSubmitted).toMatch(/too little of the poll's time/);
		// With enough time, the submit's timeout is what is left minus a margin.
		const bounded = startPoll<Item>(empty(), facts({ budgetEndsAt: T0 + 36_000 }));
		expect(bounded.effect).toEqual({ type: 'submit', timeoutMs: 33_000 });
	});

	it('past the check deadline, the remaining tasks wait for the next poll, and nothing is submitted', () => {
		const t = startPoll<Item>(
			empty({ tasks: [task('1')] }),
			facts({ checkDeadline: T0 - 1, savedTaskIds: ['1'] }),
		);
		expect(emitted(t.effect)).toEqual({ type: 'emit', items: [], notices: [] });
		expect(t.machine.state.tasks).toHaveLength(1);
	});
});
