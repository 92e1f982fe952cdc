/**
 * Watch Account (Seedance on Ark): every task of the account that finishes after the trigger started
 * watching, once each — made by this workflow, another one, or the Ark console. Ark's list endpoint
 * shows the account's tasks newest first (docs/ark-api.md); a task can still finish up to 72 hours
 * after it was created (Ark's longest execution_expires_after), so the trigger reads back that far.
 * Nothing here costs money: an emission n8n throws away is made again (the ids emitted are saved with
 * the items, or not at all).
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { FINAL_STATUSES, listTasks, type ArkTask } from '../shared/ark';
import { endedItem } from './apis/ark';
import { pollBudgetMs } from './pollSignals';
import { readAccountSince, triggerKey, writeAccountSince } from './processJournal';
import { triggerOptions } from './triggerOptions';
import { readState, writeState, type AccountWatch } from './triggerState';

/** Ark runs a task for at most 72 hours (execution_expires_after ≤ 259200 s), plus a margin. */
const LOOK_BACK_MS = 73 * 3600 * 1000;
/** Ark keeps tasks 7 days: an emitted id older than that cannot come back. */
const KEEP_EMITTED_MS = 8 * 24 * 3600 * 1000;
const PAGE_SIZE = 100;
const MAX_PAGES = 10;
const MAX_PER_POLL = 20;

/**
 * Whether a listed task has ended at or after `since` (ms). Ark gives `updated_at` in whole seconds:
 * a task that ended in the second watching began counts (compared in seconds, not as ms).
 */
export function endedWhileWatching(task: ArkTask, since: number): boolean {
	return FINAL_STATUSES.includes(task.status) && (task.updated_at ?? 0) >= Math.floor(since / 1000);
}

/** The account's tasks that ended since `since` (ms), oldest finish first, per service tier. */
async function endedSince(
	ctx: IPollFunctions,
	since: number,
	deadline: number,
): Promise<ArkTask[]> {
	const ended: ArkTask[] = [];
	for (const serviceTier of ['default', 'flex'] as const) {
		for (let pageNum = 1; pageNum <= MAX_PAGES && Date.now() < deadline; pageNum++) {
			const page = await listTasks(ctx, { pageNum, pageSize: PAGE_SIZE, serviceTier });
			for (const task of page.items) if (endedWhileWatching(task, since)) ended.push(task);
			const oldest = Math.min(...page.items.map((task) => (task.created_at ?? 0) * 1000));
			if (page.items.length < PAGE_SIZE || oldest < Date.now() - LOOK_BACK_MS) break;
		}
	}
	return ended.sort((a, b) => (a.updated_at ?? 0) - (b.updated_at ?? 0));
}

export async function pollWatchedAccount(
	ctx: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const manual = ctx.getMode() === 'manual';
	const startedAt = Date.now();
	const deadline = startedAt + pollBudgetMs(ctx) * 0.7;
	const options = triggerOptions(ctx);
	const emitFailures = options.emitFailures ?? true;
	const staticData = ctx.getWorkflowStaticData('node');
	const state = readState(staticData);
	const key = triggerKey(ctx);
	// When watching began: the earliest any copy knows (a poll n8n did not save still counts).
	const since = Math.min(state.account?.since ?? startedAt, readAccountSince(key) ?? startedAt);
	if (!manual) writeAccountSince(key, since);
	const emitted = new Map((state.account?.emitted ?? []).map((entry) => [entry.id, entry]));

	const items: INodeExecutionData[] = [];
	const fresh: AccountWatch['emitted'] = [];
	// Fetch Test Event: the most recent ended tasks, whatever was emitted, marking nothing.
	const ended = await endedSince(ctx, manual ? 0 : since, deadline);
	for (const task of manual ? ended.slice(-3) : ended) {
		if (!manual && emitted.has(task.id)) continue;
		if (items.length >= MAX_PER_POLL || Date.now() > deadline) break; // the rest: next poll
		if (task.status !== 'succeeded' && !emitFailures) {
			fresh.push({ id: task.id, createdAt: (task.created_at ?? 0) * 1000 });
			continue;
		}
		items.push(await endedItem(ctx, task, options));
		fresh.push({ id: task.id, createdAt: (task.created_at ?? 0) * 1000 });
	}
	if (manual) return items.length ? [items] : [[{ json: watchingJson(since) }]];
	const keep = [...emitted.values(), ...fresh].filter(
		(entry) => entry.createdAt >= startedAt - KEEP_EMITTED_MS,
	);
	// Written with the items: n8n saves this state when (and only when) it keeps them.
	writeState(staticData, { ...state, account: { since, emitted: keep } });
	return items.length ? [items] : null;
}

function watchingJson(since: number): IDataObject {
	return {
		task_id: null,
		status: 'watching',
		note: `No task of this account has ended yet. Once published, the trigger emits every task of the account that ends after ${new Date(since).toISOString()}, once each.`,
	};
}
