/**
 * How n8n runs this trigger's polls, as far as the trigger must know it:
 *  - which poll is the activation poll (after it n8n saves static data even when nothing is emitted);
 *  - whether a user activated the workflow, or n8n merely restarted;
 *  - one poll at a time: n8n starts a poll on every tick even while the previous one still runs.
 */
import type { IPollFunctions } from 'n8n-workflow';

/** n8n-core's poll budget when no scheduler lease limits the poll. */
export const UNLEASED_POLL_BUDGET_MS = 5 * 60 * 1000;

const contextsPolled = new WeakSet<object>();

/**
 * Whether this is the poll n8n runs while activating the workflow. The legacy scheduler reuses one
 * poll context for every poll of an activation, so its first poll is the activation poll. n8n's
 * durable scheduler (N8N_SCHEDULER_POLL_TRIGGERS_ENABLED) builds a fresh context for every
 * scheduled poll — with activation mode 'update' and a leased poll budget — and those are not
 * activation polls: nothing they change is saved unless they emit.
 */
export function isActivationPoll(ctx: IPollFunctions): boolean {
	const seen = contextsPolled.has(ctx);
	contextsPolled.add(ctx);
	if (seen) return false;
	const budget =
		typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : UNLEASED_POLL_BUDGET_MS;
	const leasedSchedulerPoll =
		ctx.getActivationMode() === 'update' && budget < UNLEASED_POLL_BUDGET_MS;
	return !leasedSchedulerPoll;
}

/**
 * A user activated (or published a change to) the workflow, as opposed to n8n starting up or
 * changing leader: spending counts and pauses start over only then.
 */
export function isUserActivation(ctx: IPollFunctions): boolean {
	return ['activate', 'update', 'create'].includes(ctx.getActivationMode());
}

const running = new Map<string, { since: number; done: Promise<unknown> }>();

/**
 * Runs `poll` unless a poll of the same trigger (workflow and node) is already running in this
 * process; then resolves to `undefined` at once. A slow download must not make two polls emit the
 * same video or submit two next tasks. The activation poll instead waits for the running poll to
 * end: it must not be lost (it is the one whose state n8n saves without an emission).
 */
export async function oneAtATime<T>(
	ctx: IPollFunctions,
	activationPoll: boolean,
	poll: () => Promise<T>,
): Promise<T | undefined> {
	const key = `${ctx.getWorkflow().id ?? ''}\u0000${ctx.getNode().id ?? ctx.getNode().name}`;
	for (let other = running.get(key); other; other = running.get(key)) {
		if (!activationPoll) {
			ctx.logger.info(
				`Jimeng Video Trigger: the previous poll of "${ctx.getNode().name}" is still running (for ${Math.round((Date.now() - other.since) / 1000)} s); this poll does nothing`,
			);
			return undefined;
		}
		await other.done.catch(() => undefined);
	}
	const done = poll();
	running.set(key, { since: Date.now(), done });
	try {
		return await done;
	} finally {
		running.delete(key);
	}
}

/** The time left before n8n may abandon this poll (its durable scheduler times polls out). */
export function pollBudgetMs(ctx: IPollFunctions): number {
	return typeof ctx.getPollBudgetMs === 'function'
		? ctx.getPollBudgetMs()
		: UNLEASED_POLL_BUDGET_MS;
}
