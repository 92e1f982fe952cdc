/**
 * What the trigger remembers between polls, kept in the node's workflow static data.
 *
 * n8n saves static data when a poll emits items and right after activation — not after a poll that
 * returns nothing. The trigger is built around that: anything that must survive a restart (a task
 * id that costs money, the ids already emitted) is recorded only in a poll whose data is saved.
 * Pure: plain objects in and out.
 */

export interface CurrentTask {
	taskId: string;
	reqKey: string;
	submittedAt: number;
}

export interface TriggerState {
	/** task id → when it was emitted (ms): never emitted twice. */
	emitted?: Record<string, number>;
	/** generate mode: the one task of ours in flight */
	current?: CurrentTask;
	/** generate mode: submitting is paused (a refused prompt, an unknown submit outcome) until the workflow is activated again */
	stopped?: { reason: string; at: number };
}

const EMITTED_KEEP_MS = 7 * 24 * 3600 * 1000;
const EMITTED_MAX = 5000;

export function hasEmitted(state: TriggerState, taskId: string): boolean {
	return state.emitted?.[taskId] !== undefined;
}

/** Records emitted ids; forgets the oldest beyond a week or 5,000 entries (tasks live 12 hours). */
export function markEmitted(state: TriggerState, taskIds: string[], now: number): void {
	const emitted = { ...(state.emitted ?? {}) };
	for (const id of taskIds) emitted[id] = now;
	const entries = Object.entries(emitted)
		.filter(([, at]) => now - at <= EMITTED_KEEP_MS)
		.sort((a, b) => b[1] - a[1])
		.slice(0, EMITTED_MAX);
	state.emitted = Object.fromEntries(entries);
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
