/**
 * What n8n tells a poll about itself, read only from signals n8n really gives (docs/trigger.md):
 * whether the user just activated the workflow, how long the poll may take, and whether another
 * poll of the same trigger still runs in this process.
 */
import type { IPollFunctions } from 'n8n-workflow';

/** n8n-core's PollContext budget when no durable-scheduler lease limits the poll. */
export const UNLEASED_POLL_BUDGET_MS = 5 * 60 * 1000;

const contextsPolled = new WeakSet<object>();

/**
 * The user activated the workflow: n8n activates it with mode 'activate' only when the user
 * publishes (or, before 2.x, activates) a workflow that was not active, and runs the activation
 * poll on the context it created for that. The in-process scheduler then reuses that context for
 * every later poll, so only the first poll on it counts. The durable scheduler builds each scheduled
 * poll's context with mode 'update'; a restart uses 'init', publishing a change 'update'.
 * Never inferred from timing or budgets.
 */
export function isUserActivation(ctx: IPollFunctions): boolean {
	const firstPollOfContext = !contextsPolled.has(ctx);
	contextsPolled.add(ctx);
	return firstPollOfContext && ['activate', 'create'].includes(ctx.getActivationMode());
}

/** The time n8n gives this poll before it may abandon it (its durable scheduler leases polls). */
export function pollBudgetMs(ctx: IPollFunctions): number {
	return typeof ctx.getPollBudgetMs === 'function'
		? ctx.getPollBudgetMs()
		: UNLEASED_POLL_BUDGET_MS;
}

const running = new Map<string, { since: number; done: Promise<unknown> }>();

/**
 * Runs `poll` unless a poll of the same trigger (workflow and node) is already running in this
 * process; then resolves to `undefined` at once. n8n starts a poll on every tick even while the
 * previous one runs, and its durable scheduler abandons a poll that outlasts its budget while the
 * poll goes on: the two must not both submit or emit. The user's activation poll instead waits for
 * the running poll to end: it must not be lost.
 */
export async function oneAtATime<T>(
	ctx: IPollFunctions,
	key: string,
	waitForRunning: boolean,
	poll: () => Promise<T>,
): Promise<T | undefined> {
	for (let other = running.get(key); other; other = running.get(key)) {
		if (!waitForRunning) {
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
