/**
 * Generate mode as one state machine: a poll is `startPoll`, then `step` for every outcome the shell
 * (generatePoll.ts) feeds back, until the machine asks to emit. Pure: no I/O, no clock, no n8n.
 *
 *   task:   submitted ──▶ running ──▶ ended ──▶ delivered        (a task of ours, TaskRecord)
 *   submit: open ──▶ sent ──▶ accepted | refused | unknown ──▶ closed   (at most one per poll)
 *   pause:  none ──(unknown outcome, final refusal)──▶ paused ──(user activation)──▶ none
 *
 * One poll: check every undelivered task (until the check deadline); then submit one task if none is
 * in flight, generation is not paused, the limits allow it and the submit can finish inside the
 * poll's budget; then emit the ended tasks' items and the notices nobody has seen yet. Rules that
 * keep money safe whatever n8n does (docs/trigger.md):
 * - a task is "in flight" until Jimeng says it ended; with one in flight nothing is submitted;
 * - a submit whose outcome is unknown counts like a task and pauses generation: never another;
 * - a poll that leaves a task the saved copy lacks emits (a `submitted` notice when nothing else),
 *   because only an emission is saved by n8n in all of its poll schedulers;
 * - an item leaves `tasks` only in the state written with the emission that carries it.
 */
import {
	limitNoticeKey,
	limitReached,
	prune,
	type GenerateState,
	type LimitReached,
	type Limits,
	type Pause,
	type TaskRecord,
} from './triggerState';
import type { RequestSummary } from './apis/triggerApi';

/** A submit starts only with this much of the poll's budget left; it is then bounded by the rest. */
export const MIN_SUBMIT_WINDOW_MS = 15_000;
export const CALL_TIMEOUT_MS = 60_000;
/** Kept free at the end of the budget: n8n abandons the poll at its end. */
export const BUDGET_MARGIN_MS = 3_000;

export interface PollFacts {
	now: number;
	today: string;
	limits: Limits;
	/** n8n activated the workflow for the user (Publish after Unpublish): counts start over, a pause lifts */
	userActivation: boolean;
	/** when n8n may abandon this poll */
	budgetEndsAt: number;
	/** no task check starts after this */
	checkDeadline: number;
	/** the task ids of the copy n8n saved (the others live only in this process) */
	savedTaskIds: string[];
}

export type CheckResult<T> = { kind: 'running' } | { kind: 'ended'; item: T } | { kind: 'later' };

export type SubmitResult =
	| {
			kind: 'accepted';
			taskId: string;
			reqKey: string;
			request: RequestSummary;
			sentAt: number;
			api?: 'ark';
	  }
	/** nothing was created: `passing` (a limit of the moment) waits for the next poll, else it pauses */
	| { kind: 'refused'; passing: boolean; detail: string; json: Record<string, unknown> }
	| { kind: 'unknown'; detail: string; json: Record<string, unknown>; sentAt: number };

export type Event<T> =
	| { type: 'checked'; taskId: string; result: CheckResult<T>; now: number }
	| { type: 'submitted'; result: SubmitResult; now: number };

export type Notice =
	| { kind: 'submitted'; task: TaskRecord }
	| { kind: 'limit'; reached: LimitReached }
	| { kind: 'paused'; pause: Pause };

export type Effect<T> =
	| { type: 'check'; task: TaskRecord; timeoutMs: number }
	| { type: 'submit'; timeoutMs: number }
	/** the last effect: emit these (nothing when both are empty) and write `state` */
	| { type: 'emit'; items: T[]; notices: Notice[] };

export interface Machine<T> {
	/** what n8n keeps when it keeps this poll's items */
	state: GenerateState;
	facts: PollFacts;
	now: number;
	checked: Record<string, CheckResult<T>['kind']>;
	outbox: Array<{ task: TaskRecord; item: T }>;
	submit: 'open' | 'closed';
	/** why nothing was submitted, for the log */
	notSubmitted?: string;
	notices: Notice[];
}

export type Transition<T> = { machine: Machine<T>; effect: Effect<T> };

export function startPoll<T>(state: GenerateState, facts: PollFacts): Transition<T> {
	const next: GenerateState = { ...state, tasks: [...state.tasks], submits: [...state.submits] };
	if (facts.userActivation) {
		next.epoch = facts.now;
		delete next.pause;
	}
	const machine: Machine<T> = {
		state: next,
		facts,
		now: facts.now,
		checked: {},
		outbox: [],
		submit: 'open',
		notices: [],
	};
	return decide(machine);
}

export function step<T>(machine: Machine<T>, event: Event<T>): Transition<T> {
	const m: Machine<T> = { ...machine, now: event.now, state: { ...machine.state } };
	if (event.type === 'checked') {
		m.checked = { ...m.checked, [event.taskId]: event.result.kind };
		if (event.result.kind === 'ended') {
			const task = m.state.tasks.find((t) => t.taskId === event.taskId)!;
			m.state.tasks = m.state.tasks.map((t) => (t === task ? { ...t, finished: true } : t));
			m.outbox = [...m.outbox, { task: { ...task, finished: true }, item: event.result.item }];
		}
		return decide(m);
	}
	m.submit = 'closed';
	const result = event.result;
	const mark = (key: string) => ({ key, epoch: m.state.epoch, day: m.facts.today });
	if (result.kind === 'accepted') {
		const task: TaskRecord = {
			taskId: result.taskId,
			reqKey: result.reqKey,
			submittedAt: result.sentAt,
			request: result.request,
			...(result.api ? { api: result.api } : {}),
		};
		m.state.tasks = [...m.state.tasks, task];
		m.state.submits = [...m.state.submits, mark(result.taskId)];
		// Just accepted: it runs; the next poll checks it.
		m.checked = { ...m.checked, [task.taskId]: 'running' };
	} else if (result.kind === 'unknown') {
		m.state.submits = [...m.state.submits, mark(`unknown@${result.sentAt}`)];
		m.state.pause = pauseOf('submit_outcome_unknown', result, event.now);
	} else if (result.passing) {
		m.notSubmitted = `the submit was refused for now (${result.detail}); the next poll tries again`;
	} else {
		m.state.pause = pauseOf('submit_failed', result, event.now);
	}
	return decide(m);
}

function pauseOf(
	reason: Pause['reason'],
	result: { detail: string; json: Record<string, unknown> },
	at: number,
): Pause {
	return { reason, at, detail: result.detail, json: result.json };
}

/** The next effect: a task check, the submit, or the emission that ends the poll. */
function decide<T>(m: Machine<T>): Transition<T> {
	const left = m.facts.budgetEndsAt - m.now - BUDGET_MARGIN_MS;
	const unchecked = m.state.tasks.find((task) => !(task.taskId in m.checked));
	if (unchecked && m.now < m.facts.checkDeadline) {
		const timeoutMs = Math.max(1000, Math.min(CALL_TIMEOUT_MS, left));
		return { machine: m, effect: { type: 'check', task: unchecked, timeoutMs } };
	}
	if (m.submit === 'open') {
		const blocked = submitBlocked(m, left);
		if (!blocked) {
			const timeoutMs = Math.min(CALL_TIMEOUT_MS, left);
			return { machine: m, effect: { type: 'submit', timeoutMs } };
		}
		m.submit = 'closed';
		m.notSubmitted = blocked;
	}
	return emit(m);
}

/** Why no task may be submitted now; undefined when one may. */
function submitBlocked<T>(m: Machine<T>, left: number): string | undefined {
	const { state, facts } = m;
	if (state.pause) return `generation is paused (${state.pause.reason})`;
	const inFlight = state.tasks.find((task) => !task.finished);
	if (inFlight) return `task ${inFlight.taskId} is in flight`;
	const reached = limitReached(state, facts.limits, facts.today);
	if (reached) {
		if (!state.delivered.includes(limitNoticeKey(reached, state, facts.today)))
			m.notices = [...m.notices, { kind: 'limit', reached }];
		return `${reached.limit} (${reached.max}) reached`;
	}
	if (left < MIN_SUBMIT_WINDOW_MS)
		return `too little of the poll's time is left (${Math.max(0, Math.round(left / 1000))} s) to wait for a submit's answer`;
	return undefined;
}

/** The ended tasks and unseen notices, marked delivered in the state written with them. */
function emit<T>(m: Machine<T>): Transition<T> {
	const state = { ...m.state, delivered: [...m.state.delivered] };
	const notices = [...m.notices];
	const pause = state.pause;
	if (pause && !state.delivered.includes(`pause@${pause.at}`))
		notices.push({ kind: 'paused', pause });
	const saved = new Set(m.facts.savedTaskIds);
	const unsaved = state.tasks.filter((task) => !saved.has(task.taskId));
	// Only an emission is saved in every n8n scheduler: a task must not live in this process alone.
	if (!m.outbox.length && !notices.length)
		for (const task of unsaved) notices.push({ kind: 'submitted', task });

	const deliveredIds = new Set(m.outbox.map((entry) => entry.task.taskId));
	state.tasks = state.tasks.filter((task) => !deliveredIds.has(task.taskId));
	state.delivered.push(...deliveredIds);
	for (const notice of notices) {
		if (notice.kind === 'paused') state.delivered.push(`pause@${notice.pause.at}`);
		if (notice.kind === 'limit')
			state.delivered.push(limitNoticeKey(notice.reached, state, m.facts.today));
	}
	const machine: Machine<T> = { ...m, state: prune(state, m.now), notices };
	const items = m.outbox.map((entry) => entry.item);
	return { machine, effect: { type: 'emit', items, notices } };
}

/**
 * What this process keeps in its journal: the state, with the tasks this poll delivered put back —
 * until n8n saves the emission that delivers them, they are not delivered.
 */
export function journalView<T>(m: Machine<T>): GenerateState {
	const kept = new Set(m.state.tasks.map((task) => task.taskId));
	const delivering = m.outbox.map((entry) => entry.task).filter((task) => !kept.has(task.taskId));
	return { ...m.state, tasks: [...m.state.tasks, ...delivering] };
}
