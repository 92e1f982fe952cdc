/**
 * Watch Tasks mode, and what both modes share: one Get Result per task, a download only for a task
 * that just finished, and no new query once the poll's time budget runs low.
 */
import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, IPollFunctions, JsonObject } from 'n8n-workflow';

import { taskFailureJson } from '../shared/items/errorItems';
import { DEFAULT_MODEL } from '../shared/jimeng/models';
import { buildReqJson } from '../shared/jimeng/requests/taskParameters';
import {
	doneTaskItem,
	itemOptions,
	queryTask,
	type ResultOptions,
	type TaskOutcome,
	type TaskQuery,
} from '../shared/jimeng/taskResult';
import { JimengApiError } from '../shared/jimeng/transport/JimengApiError';
import type { CallOptions } from '../shared/jimeng/transport/callApi';
import { pollBudgetMs } from './pollScheduling';
import { hasEmitted, markEmitted, parseTaskIds, type TriggerState } from './triggerState';

/** Inside a poll: few, short retries; what still fails waits for the next poll. */
export const POLL_CALL_OPTIONS: CallOptions = {
	retry: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2000 },
};

export interface TriggerOptions extends ResultOptions {
	emitFailures?: boolean;
}

export function triggerOptions(ctx: IPollFunctions): TriggerOptions {
	return ctx.getNodeParameter('options', {}) as TriggerOptions;
}

/** Errors that no later poll can fix without the user: they fail the poll (or the activation). */
export function isFatal(error: unknown): boolean {
	if (!(error instanceof JimengApiError)) return true;
	const { kind, code, retryable, taskMayExist } = error.details;
	if (taskMayExist) return false;
	if (kind === 'gateway') return !retryable;
	return code === 50400 || code === 50402 || code === 'REQUEST_NOT_SENT';
}

export function rethrowIfFatal(ctx: IPollFunctions, error: unknown): void {
	if (isFatal(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
}

/**
 * One task checked once in a poll: its item when it ended (done, with its video; or failed), its
 * status while it runs, or `later` when a query or download failed for now (the next poll retries).
 */
export type TaskCheck =
	| { kind: 'pending'; status: string }
	| { kind: 'done' | 'failed'; item: INodeExecutionData }
	| { kind: 'later' };

export async function checkTask(
	ctx: IPollFunctions,
	query: TaskQuery,
	options: TriggerOptions,
): Promise<TaskCheck> {
	let outcome: TaskOutcome;
	try {
		outcome = await queryTask(ctx, query, POLL_CALL_OPTIONS);
	} catch (error) {
		rethrowIfFatal(ctx, error);
		ctx.logger.warn(
			`Jimeng Video Trigger: task ${query.taskId} will be checked again at the next poll (${(error as Error).message})`,
		);
		return { kind: 'later' };
	}
	if (outcome.kind === 'pending') return { kind: 'pending', status: outcome.status };
	if (outcome.kind === 'failed')
		return {
			kind: 'failed',
			item: { json: taskFailureJson(query, outcome.status, outcome.error) },
		};
	try {
		return {
			kind: 'done',
			item: await doneTaskItem(
				ctx,
				query,
				outcome.result,
				itemOptions(options, true),
				POLL_CALL_OPTIONS,
			),
		};
	} catch (error) {
		rethrowIfFatal(ctx, error);
		ctx.logger.warn(
			`Jimeng Video Trigger: the video of task ${query.taskId} will be downloaded at the next poll (${(error as Error).message})`,
		);
		return { kind: 'later' };
	}
}

/** When the poll must stop starting new work: n8n's durable scheduler abandons polls past their budget. */
export function pollDeadline(ctx: IPollFunctions, start: number): number {
	return start + pollBudgetMs(ctx) * 0.7;
}

/** A listed token that is not a task id: reported once, like a failed task. */
function invalidIdJson(token: string, reqKey: string): IDataObject {
	return {
		task_id: token,
		status: 'invalid',
		req_key: reqKey,
		error: `"${token}" is not a task id (task ids are digits)`,
		code: 'INVALID_TASK_ID',
		request_id: null,
		retryable: false,
	};
}

/** watchTasks: one item per listed task when it reaches a final state, never twice while it is listed. */
export async function pollWatchedTasks(
	ctx: IPollFunctions,
	state: TriggerState,
): Promise<INodeExecutionData[][] | null> {
	const manual = ctx.getMode() === 'manual';
	const deadline = pollDeadline(ctx, Date.now());
	const reqKey = String(ctx.getNodeParameter('model', DEFAULT_MODEL));
	const opts = triggerOptions(ctx);
	const emitFailures = opts.emitFailures ?? true;
	const reqJson = buildReqJson(opts.aigcMeta);
	const { ids, invalid } = parseTaskIds(ctx.getNodeParameter('taskIds', ''));

	const items: INodeExecutionData[] = [];
	const finished: string[] = [];
	const pendingStatus: IDataObject[] = [];

	for (const token of invalid.filter((token) => !hasEmitted(state, token))) {
		finished.push(token);
		if (emitFailures) items.push({ json: invalidIdJson(token, reqKey) });
	}

	for (const taskId of ids) {
		if (hasEmitted(state, taskId) && !manual) continue;
		if (Date.now() > deadline) break; // the rest waits for the next poll
		const check = await checkTask(ctx, { reqKey, taskId, reqJson }, opts);
		if (check.kind === 'later') continue;
		if (check.kind === 'pending') {
			pendingStatus.push({ task_id: taskId, status: check.status, req_key: reqKey });
			continue;
		}
		finished.push(taskId);
		if (check.kind === 'done' || emitFailures) items.push(check.item);
	}

	if (manual) {
		// A test event shows what the trigger produces and marks nothing as emitted.
		const shown = items.length ? items : pendingStatus.map((json) => ({ json }));
		return shown.length ? [shown] : null;
	}
	// Recorded in the same poll that emits them: n8n saves this state together with the emission.
	markEmitted(state, finished, [...ids, ...invalid], Date.now());
	return items.length ? [items] : null;
}
