/**
 * The two poll modes. Each poll is short: at most one Get Result per pending task, downloads only
 * for tasks that just finished, and it stops querying when the host's poll budget runs low.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { doneTaskItem, missingTaskError, type TaskQuery } from '../JimengVideo/actions/taskResult';
import { DEFAULT_MODEL, findModel } from '../JimengVideo/helpers/models';
import {
	InputValidationError,
	buildReqJson,
	buildVideoRequest,
	type AigcMeta,
	type ImageInput,
	type VideoRequest,
} from '../JimengVideo/helpers/requestBuilder';
import { JimengApiError } from '../JimengVideo/transport/JimengApiError';
import { getTaskResult, submitTask, type CallOptions, type TaskResult } from '../JimengVideo/transport/jimengApi';
import { hasEmitted, markEmitted, parseTaskIds, type TriggerState } from './triggerState';

/** Inside a poll: few, short retries; what still fails waits for the next poll. */
const POLL_CALL_OPTIONS: CallOptions = { retry: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2000 } };
const DEFAULT_POLL_BUDGET_MS = 5 * 60 * 1000;

export interface TriggerOptions {
	downloadVideo?: boolean;
	binaryPropertyOutput?: string;
	emitFailures?: boolean;
	aigcMeta?: AigcMeta;
}

function options(ctx: IPollFunctions): TriggerOptions {
	return ctx.getNodeParameter('options', {}) as TriggerOptions;
}

/** Errors that no later poll can fix without the user: they fail the poll (or the activation). */
function isFatal(error: unknown): boolean {
	if (!(error instanceof JimengApiError)) return true;
	const { kind, code, retryable } = error.details;
	if (kind === 'gateway') return !retryable;
	return code === 50400 || code === 50402 || code === 'REQUEST_NOT_SENT';
}

function failureJson(query: TaskQuery, status: string, error: unknown): IDataObject {
	const details = error instanceof JimengApiError ? error.details : undefined;
	return {
		task_id: query.taskId,
		status,
		req_key: query.reqKey,
		error: error instanceof Error ? error.message : String(error),
		code: details?.code ?? null,
		request_id: details?.requestId ?? null,
		retryable: details?.retryable ?? false,
	};
}

type Final =
	| { kind: 'pending'; status: string }
	| { kind: 'done'; result: Extract<TaskResult, { status: 'done' }> }
	| { kind: 'failed'; status: string; error: unknown };

async function queryTask(ctx: IPollFunctions, query: TaskQuery): Promise<Final> {
	const result = await getTaskResult(ctx, query, POLL_CALL_OPTIONS);
	switch (result.status) {
		case 'done':
			return { kind: 'done', result };
		case 'failed':
			return { kind: 'failed', status: 'failed', error: result.error };
		case 'not_found':
		case 'expired':
			return { kind: 'failed', status: result.status, error: missingTaskError(ctx, query, result) };
		default:
			return { kind: 'pending', status: result.status };
	}
}

function budgetDeadline(ctx: IPollFunctions, start: number): number {
	const budget = typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : DEFAULT_POLL_BUDGET_MS;
	return start + budget * 0.7;
}

/** watchTasks: one item per listed task when it reaches a final state, never twice. */
export async function pollWatchedTasks(ctx: IPollFunctions, state: TriggerState): Promise<INodeExecutionData[][] | null> {
	const manual = ctx.getMode() === 'manual';
	const start = Date.now();
	const deadline = budgetDeadline(ctx, start);
	const reqKey = String(ctx.getNodeParameter('model', DEFAULT_MODEL));
	const opts = options(ctx);
	const emitFailures = opts.emitFailures ?? true;
	const itemOptions = { download: opts.downloadVideo ?? true, binaryProperty: opts.binaryPropertyOutput || 'data' };
	const reqJson = buildReqJson(opts.aigcMeta);
	const { ids, invalid } = parseTaskIds(ctx.getNodeParameter('taskIds', ''));

	const items: INodeExecutionData[] = [];
	const finished: string[] = [];
	const pendingStatus: IDataObject[] = [];

	for (const token of invalid.filter((token) => !hasEmitted(state, token))) {
		finished.push(token);
		if (emitFailures) {
			items.push({
				json: { task_id: token, status: 'invalid', req_key: reqKey, error: `"${token}" is not a task id (task ids are digits)`, code: 'INVALID_TASK_ID', request_id: null, retryable: false },
			});
		}
	}

	for (const taskId of ids) {
		if (hasEmitted(state, taskId) && !manual) continue;
		if (Date.now() > deadline) break; // the rest waits for the next poll
		const query: TaskQuery = { reqKey, taskId, reqJson };
		let outcome: Final;
		try {
			outcome = await queryTask(ctx, query);
		} catch (error) {
			if (isFatal(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
			ctx.logger.warn(`Jimeng Video Trigger: task ${taskId} will be checked again at the next poll (${(error as Error).message})`);
			continue;
		}
		if (outcome.kind === 'pending') {
			pendingStatus.push({ task_id: taskId, status: outcome.status, req_key: reqKey });
			continue;
		}
		if (outcome.kind === 'failed') {
			finished.push(taskId);
			if (emitFailures) items.push({ json: failureJson(query, outcome.status, outcome.error) });
			continue;
		}
		try {
			items.push(await doneTaskItem(ctx, query, outcome.result, itemOptions, POLL_CALL_OPTIONS));
			finished.push(taskId);
		} catch (error) {
			if (isFatal(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
			ctx.logger.warn(`Jimeng Video Trigger: the video of task ${taskId} will be downloaded at the next poll (${(error as Error).message})`);
		}
	}

	if (manual) {
		// A test event shows what the trigger produces and marks nothing as emitted.
		const shown = items.length ? items : pendingStatus.map((json) => ({ json }));
		return shown.length ? [shown] : null;
	}
	// Recorded in the same poll that emits them: n8n saves this state together with the emission.
	markEmitted(state, finished, Date.now());
	return items.length ? [items] : null;
}

function generateRequest(ctx: IPollFunctions): VideoRequest {
	const model = String(ctx.getNodeParameter('model', DEFAULT_MODEL));
	const spec = findModel(model);
	const images: ImageInput[] = [];
	const imageUrl = String(ctx.getNodeParameter('imageUrl', '') ?? '').trim();
	if (spec && spec.images[1] > 0 && (imageUrl || spec.images[0] > 0)) {
		images.push({ slot: 'first', kind: 'url', url: imageUrl, parameter: 'Image URL' });
		if (spec.images[1] > 1) {
			images.push({ slot: 'last', kind: 'url', url: ctx.getNodeParameter('lastFrameImageUrl', ''), parameter: 'Last Frame Image URL' });
		}
	}
	const optional = (name: string) => ctx.getNodeParameter(name, null) ?? undefined;
	try {
		return buildVideoRequest({
			model,
			prompt: ctx.getNodeParameter('prompt', ''),
			frames: ctx.getNodeParameter('frames', 121),
			aspectRatio: optional('aspectRatio'),
			seed: ctx.getNodeParameter('seed', -1),
			images,
			cameraTemplate: optional('cameraTemplate'),
			cameraStrength: optional('cameraStrength'),
		});
	} catch (error) {
		if (error instanceof InputValidationError) {
			throw new NodeOperationError(ctx.getNode(), error.message, { description: 'Nothing was sent to Jimeng.' });
		}
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

type SubmitOutcome =
	| { kind: 'submitted'; taskId: string }
	/** refused for a reason that passes (concurrency, rate limit, a moment of outage): nothing created */
	| { kind: 'later'; error: unknown }
	/** refused for good, or unknown whether a task was created: generation pauses */
	| { kind: 'stop'; error: unknown; json: IDataObject };

async function submitNext(ctx: IPollFunctions, request: VideoRequest): Promise<SubmitOutcome> {
	try {
		const answer = await submitTask(ctx, request.body, POLL_CALL_OPTIONS);
		return { kind: 'submitted', taskId: answer.taskId };
	} catch (error) {
		if (isFatal(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
		const details = error instanceof JimengApiError ? error.details : undefined;
		if (details?.retryable && !details.taskMayExist) return { kind: 'later', error };
		return {
			kind: 'stop',
			error,
			json: {
				task_id: null,
				status: details?.taskMayExist ? 'submit_outcome_unknown' : 'submit_failed',
				req_key: request.model.id,
				error: error instanceof Error ? error.message : String(error),
				code: details?.code ?? null,
				request_id: details?.requestId ?? null,
				retryable: false,
				submitted_at: details?.submittedAt ?? null,
				...request.summary,
				note: 'Generation is paused until the workflow is activated again (saving a change to an active workflow does that).',
			},
		};
	}
}

/**
 * generate: keeps one task of its own in flight and emits each video when it is done.
 *
 * When n8n restarts, it loads the static data saved at the last emission or activation. So a new
 * task is submitted only where that save follows: in the activation poll (the first poll of a
 * context), or in the poll that emits the previous video — which submits the next task first and
 * emits only once the next task id is recorded. A refused submit (concurrency, rate limit) keeps
 * the finished video for the next poll instead of risking an unrecorded task.
 */
export async function pollGenerate(ctx: IPollFunctions, state: TriggerState, firstPoll: boolean): Promise<INodeExecutionData[][] | null> {
	const request = generateRequest(ctx);

	if (ctx.getMode() === 'manual') {
		// A test click must not leave a paid task behind that nobody collects: show the request only.
		return [
			[
				{
					json: {
						task_id: null,
						status: 'preview',
						...request.summary,
						req_key: request.model.id,
						note: 'Test event: no task was submitted (nothing is charged). When the workflow is active, each finished video is emitted with task_id, status "done", video_url and the video as binary data.',
					},
				},
			],
		];
	}

	if (!state.current) {
		// Only the activation poll may submit without emitting: n8n saves the static data right after
		// it. A later poll's new task id would live in memory only and be lost (and paid twice) on restart.
		if (!firstPoll) return null;
		const answer = await submitTask(ctx, request.body);
		state.current = { taskId: answer.taskId, reqKey: request.model.id, submittedAt: Date.now() };
		delete state.stopped;
		return null;
	}

	const current = state.current;
	const opts = options(ctx);
	const query: TaskQuery = { reqKey: current.reqKey, taskId: current.taskId, reqJson: buildReqJson(opts.aigcMeta) };
	let outcome: Final;
	try {
		outcome = await queryTask(ctx, query);
	} catch (error) {
		if (isFatal(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
		ctx.logger.warn(`Jimeng Video Trigger: task ${current.taskId} will be checked again at the next poll (${(error as Error).message})`);
		return null;
	}
	if (outcome.kind === 'pending') return null;

	const items: INodeExecutionData[] = [];
	if (outcome.kind === 'done') {
		try {
			items.push(
				await doneTaskItem(ctx, query, outcome.result, { download: opts.downloadVideo ?? true, binaryProperty: opts.binaryPropertyOutput || 'data' }, POLL_CALL_OPTIONS),
			);
		} catch (error) {
			if (isFatal(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
			ctx.logger.warn(`Jimeng Video Trigger: the video of task ${current.taskId} will be downloaded at the next poll (${(error as Error).message})`);
			return null;
		}
	} else {
		items.push({ json: failureJson(query, outcome.status, outcome.error) });
	}

	// The next task goes in before the finished one is emitted, so both are saved together.
	const next = await submitNext(ctx, request);
	if (next.kind === 'later') {
		ctx.logger.info(`Jimeng Video Trigger: the next task could not be submitted yet (${(next.error as Error).message}); task ${current.taskId} is emitted once it is`);
		return null;
	}
	markEmitted(state, [current.taskId], Date.now());
	if (next.kind === 'submitted') {
		state.current = { taskId: next.taskId, reqKey: request.model.id, submittedAt: Date.now() };
	} else {
		delete state.current;
		state.stopped = { reason: String(next.json.status), at: Date.now() };
		items.push({ json: next.json });
	}
	return [items];
}
