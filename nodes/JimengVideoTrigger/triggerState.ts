/**
 * What the trigger keeps between polls, in the node's workflow static data, and how two copies of it
 * are merged: the copy n8n saved and this process's journal (processJournal.ts). Pure.
 *
 * Two kinds of fact, because n8n may throw a poll's result away (docs/trigger.md):
 * - world facts — a task Jimeng accepted, a submit whose outcome is unknown, the submits counted
 *   against the limits, a pause, the user's last activation. They are true whatever n8n does with the
 *   poll, so the journal records them at once and a merge never loses one;
 * - delivery facts — which finished tasks and notices were emitted. They are true only if n8n kept
 *   the poll's items, so they come from the saved copy alone (n8n saves it with the items it emits).
 */
import type { RequestSummary } from './apis/triggerApi';

/** A task of ours that is not yet delivered (its video or its failure emitted). */
export interface TaskRecord {
	taskId: string;
	/** the model: Jimeng's req_key, or Ark's model or endpoint id */
	reqKey: string;
	/** the API it was submitted to; absent: the Visual API */
	api?: 'ark';
	/** when its submit was sent (ms) */
	submittedAt: number;
	/** Jimeng said it ended (done or failed): it no longer holds the one-in-flight slot */
	finished?: boolean;
	/** what was asked: carried by the emitted item, like Get Result's */
	request?: RequestSummary;
}

/** One submit counted against Max Videos and Max Videos per Day (a task, or an unknown outcome). */
export interface SubmitMark {
	/** the task id, or `unknown@<sent at>` */
	key: string;
	/** the user activation it counts against (ms; 0 = before any) */
	epoch: number;
	/** YYYY-MM-DD in the workflow's time zone */
	day: string;
}

/** Why generate mode stopped submitting, until the user unpublishes and publishes the workflow. */
export interface Pause {
	reason: 'submit_outcome_unknown' | 'submit_failed';
	at: number;
	detail: string;
	/** what the item that announces the pause says (task_may_exist, submitted_at, request…) */
	json: Record<string, unknown>;
}

export interface GenerateState {
	/** when the user last activated the workflow (Publish after Unpublish): counts start over then */
	epoch: number;
	tasks: TaskRecord[];
	submits: SubmitMark[];
	pause?: Pause;
	/** delivery facts: ids of delivered tasks and keys of delivered notices, most recent last */
	delivered: string[];
}

/** Watch Account (Ark): when watching began, and the ids emitted since (with when they were created). */
export interface AccountWatch {
	since: number;
	emitted: Array<{ id: string; createdAt: number }>;
}

export interface TriggerState {
	v: 2;
	/** Watch Tasks: the ids emitted, kept while they are listed */
	watched?: string[];
	generate?: GenerateState;
	account?: AccountWatch;
}

const MAX_DELIVERED = 200;
const DAY_MS = 24 * 3600 * 1000;

export function emptyGenerateState(): GenerateState {
	return { epoch: 0, tasks: [], submits: [], delivered: [] };
}

/** The state in a node's static data; a state of another shape (never released) counts as empty. */
export function readState(staticData: Record<string, unknown>): TriggerState {
	return staticData.v === 2 ? (clone(staticData) as unknown as TriggerState) : { v: 2 };
}

/** Writes `state` into the static data object n8n watches (its keys, not a new object). */
export function writeState(staticData: Record<string, unknown>, state: TriggerState): void {
	for (const key of Object.keys(staticData)) delete staticData[key];
	Object.assign(staticData, clone(state));
}

/** Static data is JSON (n8n stores it so); a JSON copy also drops n8n's change-tracking wrapper. */
function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The saved copy and the journal merged: every world fact of either, the delivery facts of the
 * saved copy. A task the saved copy says was delivered is gone from the result.
 */
export function mergeStates(
	saved: GenerateState | undefined,
	journal: GenerateState | undefined,
	now: number,
): GenerateState {
	const base = saved ?? emptyGenerateState();
	const other = journal ?? emptyGenerateState();
	const delivered = new Set(base.delivered);
	const tasks = new Map<string, TaskRecord>();
	for (const task of [...base.tasks, ...other.tasks]) {
		if (delivered.has(task.taskId)) continue;
		const known = tasks.get(task.taskId);
		tasks.set(task.taskId, known ? { ...known, finished: known.finished || task.finished } : task);
	}
	const submits = new Map<string, SubmitMark>();
	for (const mark of [...base.submits, ...other.submits]) submits.set(mark.key, mark);
	const epoch = Math.max(base.epoch, other.epoch);
	const pauses = [base.pause, other.pause].filter((p): p is Pause => !!p && p.at >= epoch);
	const pause = pauses.sort((a, b) => b.at - a.at)[0];
	return prune(
		{
			epoch,
			tasks: [...tasks.values()].sort((a, b) => a.submittedAt - b.submittedAt),
			submits: [...submits.values()],
			...(pause ? { pause } : {}),
			delivered: base.delivered,
		},
		now,
	);
}

/** Forgets what no longer matters: submits of an older activation and day, old delivery keys. */
export function prune(state: GenerateState, now: number): GenerateState {
	const recent = (mark: SubmitMark) =>
		mark.epoch === state.epoch || Date.parse(`${mark.day}T00:00:00Z`) >= now - 2 * DAY_MS;
	return {
		...state,
		submits: state.submits.filter(recent),
		delivered: state.delivered.slice(-MAX_DELIVERED),
	};
}

// ---- spending limits ------------------------------------------------------------------------------

export interface Limits {
	/** tasks per activation (at least 1) */
	maxVideos: number;
	/** tasks per calendar day; 0 = no daily limit */
	maxVideosPerDay: number;
}

export interface Allowance {
	submitted: number;
	submittedToday: number;
}

export function allowanceOf(state: GenerateState, today: string): Allowance {
	return {
		submitted: state.submits.filter((mark) => mark.epoch === state.epoch).length,
		submittedToday: state.submits.filter((mark) => mark.day === today).length,
	};
}

export type LimitReached = {
	limit: 'max_videos' | 'max_videos_per_day';
	max: number;
	count: number;
};

/** The limit that forbids another submit now, if any. */
export function limitReached(
	state: GenerateState,
	limits: Limits,
	today: string,
): LimitReached | undefined {
	const allowance = allowanceOf(state, today);
	if (allowance.submitted >= limits.maxVideos)
		return { limit: 'max_videos', max: limits.maxVideos, count: allowance.submitted };
	if (limits.maxVideosPerDay > 0 && allowance.submittedToday >= limits.maxVideosPerDay)
		return {
			limit: 'max_videos_per_day',
			max: limits.maxVideosPerDay,
			count: allowance.submittedToday,
		};
	return undefined;
}

/** The key of a limit notice: announced once per activation (Max Videos) or per day. */
export function limitNoticeKey(reached: LimitReached, state: GenerateState, today: string): string {
	return reached.limit === 'max_videos'
		? `notice:max_videos@${state.epoch}`
		: `notice:max_videos_per_day@${today}`;
}

/** YYYY-MM-DD of `now` in `timeZone` (the workflow's), for the daily count. */
export function dayIn(now: number, timeZone: string): string {
	try {
		return new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		}).format(now);
	} catch {
		return new Date(now).toISOString().slice(0, 10);
	}
}

// ---- Watch Tasks ----------------------------------------------------------------------------------

/**
 * Records emitted ids and forgets those no longer listed: an id is emitted at most once for as long
 * as it stays in the Task IDs parameter, and the record never outgrows that list.
 */
export function markWatched(
	watched: string[] | undefined,
	emitted: string[],
	listed: Iterable<string>,
): string[] {
	const keep = new Set(listed);
	return [...new Set([...(watched ?? []), ...emitted])].filter((id) => keep.has(id));
}

export interface ParsedTaskIds {
	ids: string[];
	/** tokens that cannot be task ids (reported once, as failure items) */
	invalid: string[];
}

/**
 * Task ids separated by commas, spaces, semicolons or new lines, each checked against the API's
 * `idPattern`; duplicates removed, order kept.
 */
export function splitTaskIds(text: unknown, idPattern: RegExp): ParsedTaskIds {
	const tokens = (Array.isArray(text) ? text.map(String).join(',') : String(text ?? ''))
		.split(/[\s,;]+/)
		.map((token) => token.trim().replace(/^["']|["']$/g, ''))
		.filter(Boolean);
	const ids: string[] = [];
	const invalid: string[] = [];
	for (const token of new Set(tokens)) (idPattern.test(token) ? ids : invalid).push(token);
	return { ids, invalid };
}
