/**
 * One task checked in a poll, for both modes: one Get Result, and a download only for a task that
 * just finished. Its item when it ended (done, with its video; or failed), `running` while it runs,
 * or `later` when a query or download failed for now (the next poll tries again).
 */
import { NodeApiError } from 'n8n-workflow';
import type { INodeExecutionData, IPollFunctions, JsonObject } from 'n8n-workflow';

import { taskFailureJson } from '../shared/items/errorItems';
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

/** Inside a poll: few, short retries; what still fails waits for the next poll. */
export function pollCallOptions(timeoutMs: number): CallOptions {
	return { retry: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2000 }, timeoutMs };
}

export interface TriggerOptions extends ResultOptions {
	emitFailures?: boolean;
}

export function triggerOptions(ctx: IPollFunctions): TriggerOptions {
	return ctx.getNodeParameter('options', {}) as TriggerOptions;
}

/** Errors that no later poll can fix without the user (keys, access, Base URL): they fail the poll. */
export function isFatal(error: unknown): boolean {
	if (!(error instanceof JimengApiError)) return true;
	const { kind, code, retryable, taskMayExist } = error.details;
	if (taskMayExist) return false;
	if (kind === 'gateway') return !retryable;
	return code === 50400 || code === 50402 || code === 'REQUEST_NOT_SENT';
}

function rethrowIfFatal(ctx: IPollFunctions, error: unknown): void {
	if (isFatal(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
}

export type TaskCheck =
	| { kind: 'running'; status: string }
	| { kind: 'ended'; item: INodeExecutionData }
	| { kind: 'later' };

export async function checkTask(
	ctx: IPollFunctions,
	query: TaskQuery,
	options: TriggerOptions,
	timeoutMs: number,
): Promise<TaskCheck> {
	const callOptions = pollCallOptions(timeoutMs);
	let outcome: TaskOutcome;
	try {
		outcome = await queryTask(ctx, query, callOptions);
	} catch (error) {
		rethrowIfFatal(ctx, error);
		ctx.logger.warn(
			`Jimeng Video Trigger: task ${query.taskId} will be checked again at the next poll (${(error as Error).message})`,
		);
		return { kind: 'later' };
	}
	if (outcome.kind === 'pending') return { kind: 'running', status: outcome.status };
	if (outcome.kind === 'failed')
		return {
			kind: 'ended',
			item: { json: taskFailureJson(query, outcome.status, outcome.error) },
		};
	try {
		const item = await doneTaskItem(
			ctx,
			query,
			outcome.result,
			itemOptions(options, true),
			callOptions,
		);
		return { kind: 'ended', item };
	} catch (error) {
		rethrowIfFatal(ctx, error);
		ctx.logger.warn(
			`Jimeng Video Trigger: the video of task ${query.taskId} will be downloaded at the next poll (${(error as Error).message})`,
		);
		return { kind: 'later' };
	}
}
