/**
 * The trigger on the Jimeng (Visual) API: Generate mode's request built from the trigger's
 * parameters and checked first, its one submit judged into a machine outcome, and one task checked
 * (Get Result, and the video downloaded once it is done).
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IPollFunctions } from 'n8n-workflow';

import { taskFailureJson } from '../../shared/items/errorItems';
import { DEFAULT_MODEL, findModel } from '../../shared/jimeng/models';
import type { ImageInput } from '../../shared/jimeng/requests/imageRules';
import { buildVideoRequest, type VideoRequest } from '../../shared/jimeng/requests/requestBuilder';
import { buildReqJson } from '../../shared/jimeng/requests/taskParameters';
import { readVideoParameters } from '../../shared/jimeng/requests/videoParameters';
import {
	doneTaskItem,
	itemOptions,
	queryTask,
	type TaskOutcome,
} from '../../shared/jimeng/taskResult';
import { JimengApiError } from '../../shared/jimeng/transport/JimengApiError';
import type { CallOptions } from '../../shared/jimeng/transport/callApi';
import { submitTask } from '../../shared/jimeng/transport/jimengApi';
import { InputValidationError } from '../../shared/requests/inputValues';
import type { SubmitResult } from '../generateMachine';
import { splitTaskIds } from '../triggerState';
import { judgeSubmitFailure, laterUnlessFatal } from './submitOutcome';
import type { TriggerOptions } from '../triggerOptions';
import type { GenerateRequest, TaskCheck, TriggerApi } from './triggerApi';

/** A parameter that breaks a rule: nothing is sent, and the message names the rule and the value. */
export function invalidParameter(
	ctx: IPollFunctions,
	error: InputValidationError,
	api = 'Jimeng',
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), error.message, {
		description: `Nothing was sent to ${api}.`,
	});
}

function videoRequest(ctx: IPollFunctions): VideoRequest {
	const model = String(ctx.getNodeParameter('model', DEFAULT_MODEL));
	const spec = findModel(model);
	const images: ImageInput[] = [];
	const imageUrl = String(ctx.getNodeParameter('imageUrl', '') ?? '').trim();
	if (spec && spec.images[1] > 0 && (imageUrl || spec.images[0] > 0)) {
		images.push({ slot: 'first', kind: 'url', url: imageUrl, parameter: 'Image URL' });
		if (spec.images[1] > 1) {
			images.push({
				slot: 'last',
				kind: 'url',
				url: ctx.getNodeParameter('lastFrameImageUrl', ''),
				parameter: 'Last Frame Image URL',
			});
		}
	}
	try {
		return buildVideoRequest(
			readVideoParameters((name, fallback) => ctx.getNodeParameter(name, fallback), images),
		);
	} catch (error) {
		if (error instanceof InputValidationError) throw invalidParameter(ctx, error);
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

/** One attempt, bounded by the poll's time: a refusal that passes is tried again at the next poll. */
async function send(
	ctx: IPollFunctions,
	request: VideoRequest,
	generate: GenerateRequest,
	options: { timeoutMs: number; userActivation: boolean },
): Promise<SubmitResult> {
	const sentAt = Date.now();
	try {
		const answer = await submitTask(ctx, request.body, {
			retry: { maxAttempts: 1 },
			timeoutMs: options.timeoutMs,
		});
		ctx.logger.info(
			`Jimeng task accepted: task_id ${answer.taskId} (model ${request.model.id}, trigger "${ctx.getNode().name}", request_id ${answer.requestId})`,
		);
		return {
			kind: 'accepted',
			taskId: answer.taskId,
			reqKey: request.model.id,
			request: generate.summary,
			sentAt,
		};
	} catch (error) {
		return judgeSubmitFailure(ctx, generate, error, sentAt, options.userActivation);
	}
}

/** Inside a poll: few, short retries; what still fails waits for the next poll. */
function pollCallOptions(timeoutMs: number): CallOptions {
	return { retry: { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2000 }, timeoutMs };
}

/** Errors that no later poll can fix without the user (keys, access, Base URL): they fail the poll. */
export function isFatal(error: unknown): boolean {
	if (!(error instanceof JimengApiError)) return true;
	const { kind, code, retryable, taskMayExist } = error.details;
	if (taskMayExist) return false;
	if (kind === 'gateway') return !retryable;
	return code === 50400 || code === 50402 || code === 'REQUEST_NOT_SENT';
}

async function checkTask(
	ctx: IPollFunctions,
	task: { taskId: string; model: string },
	options: TriggerOptions,
	timeoutMs: number,
): Promise<TaskCheck> {
	const callOptions = pollCallOptions(timeoutMs);
	const query = {
		reqKey: task.model,
		taskId: task.taskId,
		reqJson: buildReqJson(options.aigcMeta),
	};
	let outcome: TaskOutcome;
	try {
		outcome = await queryTask(ctx, query, callOptions);
	} catch (error) {
		return laterUnlessFatal(ctx, error, `task ${task.taskId} will be checked again`, isFatal);
	}
	if (outcome.kind === 'pending') return { kind: 'running', status: outcome.status };
	if (outcome.kind === 'failed')
		return { kind: 'ended', item: { json: taskFailureJson(query, outcome.status, outcome.error) } };
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
		return laterUnlessFatal(
			ctx,
			error,
			`the video of task ${task.taskId} will be downloaded`,
			isFatal,
		);
	}
}

export const jimengTriggerApi: TriggerApi = {
	parseTaskIds: (text) => splitTaskIds(text, /^\d{1,32}$/),
	checkTask,
	generateRequest(ctx) {
		const request = videoRequest(ctx);
		const generate: GenerateRequest = {
			model: request.model.id,
			modelField: 'req_key',
			summary: request.summary as Record<string, unknown>,
			seconds: (request.summary.frames - 1) / 24,
			send: async (pollCtx, options) => await send(pollCtx, request, generate, options),
		};
		return generate;
	},
};
