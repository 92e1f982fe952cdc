/**
 * What the trigger remembers between polls, kept in the node's workflow static data.
 *
 * n8n saves static data when a poll emits items and right after activation — not after a poll that
 * returns nothing (and its durable scheduler starts every poll from the saved copy). The trigger is
 * built around that: anything that must survive a restart (a task id that costs money, the ids
 * already emitted, the spending counts, a pause) is recorded only in a poll whose data is saved.
 * Pure: plain objects in and out.
 */

export interface CurrentTask {
	taskId: string;
	reqKey: string;
	submittedAt: number;
}

/** Why generate mode stopped submitting, until the user activates the workflow again. */
export interface Pause {
	reason: 'submit_outcome_unknown' | 'submit_failed' | 'max_videos';
	at: number;
	detail?: string;
}

/** Tasks submitted by generate mode, counted against Max Videos and Max Videos per Day. */
export interface Allowance {
	/** since the last user activation */
	submitted: number;
	/** the day (YYYY-MM-DD in the workflow's time zone) `submittedToday` counts */
	day: string;
	submittedToday: number;
	/** the day the daily limit stopped generation: a later day resumes it */
	limitedOn?: string;
}

export interface TriggerState {
	/** watchTasks: task id → when it was emitted (ms); kept while the id is listed. */
	emitted?: Record<string, number>;
	/** generate mode: the one task of ours in flight */
	current?: CurrentTask;
	/** generate mode: no new task is submitted while set; survives restarts */
	paused?: Pause;
	allowance?: Allowance;
	/** @deprecated written by 0.1.0; read as a pause */
	stopped?: { reason: string; at: number };
}

export function hasEmitted(state: TriggerState, taskId: string): boolean {
	return state.emitted?.[taskId] !== undefined;
}

/**
 * Records emitted ids and forgets those no longer listed: an id is emitted at most once for as
 * long as it stays in the Task IDs parameter, and the record never outgrows that list.
 */
export function markEmitted(
	state: TriggerState,
	taskIds: string[],
	listed: Iterable<string>,
	now: number,
): void {
	const keep = new Set(listed);
	const emitted: Record<string, number> = {};
	for (const [id, at] of Object.entries(state.emitted ?? {})) if (keep.has(id)) emitted[id] = at;
	for (const id of taskIds) emitted[id] = now;
	state.emitted = emitted;
}

export interface ParsedTaskIds {
	ids: string[];
	/** tokens that cannot be task ids (reported once, as failure items) */
	invalid: string[];
}

/** Task ids separated by commas, spaces, semicolons or new lines; duplicates removed, order kept. */
export function parseTaskIds(text: unknown): ParsedTaskIds {
	const tokens = (Array.isArray(text) ? text.map(String).join(',') : String(text ?? ''))
		.split(/[\s,;]+/)
		.map((token) => token.trim().replace(/^["']|["']$/g, ''))
		.filter(Boolean);
	const ids: string[] = [];
	const invalid: string[] = [];
	for (const token of new Set(tokens)) (/^\d{1,32}$/.test(token) ? ids : invalid).push(token);
	return { ids, invalid };
}

// ---- spending limits (generate mode) -------------------------------------------------------------

export interface Limits {
	/** tasks per activation (at least 1) */
	maxVideos: number;
	/** tasks per calendar day; 0 = no daily limit */
	maxVideosPerDay: number;
}

export type SubmitVerdict =
	| { allowed: true }
	| { allowed: false; limit: 'max_videos' | 'max_videos_per_day'; max: number; count: number };

/** The allowance as it stands today (a new day starts a new daily count). */
export function currentAllowance(state: TriggerState, today: string): Allowance {
	const allowance = state.allowance ?? { submitted: 0, day: today, submittedToday: 0 };
	return allowance.day === today ? allowance : { ...allowance, day: today, submittedToday: 0 };
}

export function canSubmit(state: TriggerState, limits: Limits, today: string): SubmitVerdict {
	const allowance = currentAllowance(state, today);
	if (allowance.submitted >= limits.maxVideos) {
		return {
			allowed: false,
			limit: 'max_videos',
			max: limits.maxVideos,
			count: allowance.submitted,
		};
	}
	if (limits.maxVideosPerDay > 0 && allowance.submittedToday >= limits.maxVideosPerDay) {
		return {
			allowed: false,
			limit: 'max_videos_per_day',
			max: limits.maxVideosPerDay,
			count: allowance.submittedToday,
		};
	}
	return { allowed: true };
}

/** Counts a submit whose task exists or may exist (an unknown outcome costs like a task). */
export function countSubmit(state: TriggerState, today: string): void {
	const allowance = currentAllowance(state, today);
	state.allowance = {
		submitted: allowance.submitted + 1,
		day: today,
		submittedToday: allowance.submittedToday + 1,
	};
}

/** A user activation starts a new allowance and lifts a pause; a restart keeps both. */
export function startActivation(state: TriggerState, today: string): void {
	state.allowance = {
		submitted: 0,
		day: today,
		submittedToday: currentAllowance(state, today).submittedToday,
	};
	delete state.paused;
	delete state.stopped;
}

export function pauseOf(state: TriggerState): Pause | undefined {
	if (state.paused) return state.paused;
	return state.stopped
		? { reason: 'submit_failed', at: state.stopped.at, detail: state.stopped.reason }
		: undefined;
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
