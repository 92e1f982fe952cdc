import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { DEFAULT_MODEL, findModel } from '../helpers/models';
import { SubmissionLedger, submissionLedger } from '../helpers/submissionLedger';
import { InputValidationError, attachImageData, buildVideoRequest, type VideoRequest } from '../helpers/requestBuilder';
import { JimengApiError } from '../transport/JimengApiError';
import { submitTask, type CallOptions, type SubmitAnswer } from '../transport/jimengApi';
import { readImageInputs, type ItemImages } from './imageInput';

export type Operation = 'submit' | 'getResult' | 'generateAndWait';

/** A parameter that may be hidden for the chosen model: undefined when it does not apply. */
function optionalParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	// n8n treats an `undefined` fallback as "no fallback" and throws: use null and map it back.
	return ctx.getNodeParameter(name, itemIndex, null) ?? undefined;
}

/** Reads and checks one item's video parameters. Throws InputValidationError before any request. */
export async function buildItemRequest(ctx: IExecuteFunctions, itemIndex: number): Promise<VideoRequest> {
	return (await checkItemRequest(ctx, itemIndex, false)).request;
}

/**
 * An item checked in full but holding no image bytes: `request` has everything except the image
 * data, `complete()` reads the images again and returns the sendable request.
 */
export interface DeferredItemRequest {
	request: VideoRequest;
	complete(): Promise<VideoRequest>;
}

/**
 * Like buildItemRequest, for a batch: every rule is checked now (format by content, size,
 * dimensions, ratio), but only each image's size and sha256 are kept. `complete()` reads it again
 * just before the submit and fails the item, sending nothing, if it is no longer the same bytes.
 */
export async function deferItemRequest(ctx: IExecuteFunctions, itemIndex: number): Promise<DeferredItemRequest> {
	return await checkItemRequest(ctx, itemIndex, true);
}

async function checkItemRequest(ctx: IExecuteFunctions, itemIndex: number, deferImageData: boolean): Promise<DeferredItemRequest> {
	const modelKey = ctx.getNodeParameter('model', itemIndex, DEFAULT_MODEL);
	const model = typeof modelKey === 'string' ? findModel(modelKey) : undefined;
	const itemImages = model ? await readImageInputs(ctx, itemIndex, model) : undefined;
	const request = buildVideoRequest(
		{
			model: modelKey,
			prompt: ctx.getNodeParameter('prompt', itemIndex, ''),
			frames: ctx.getNodeParameter('frames', itemIndex, 121),
			aspectRatio: optionalParameter(ctx, 'aspectRatio', itemIndex),
			seed: ctx.getNodeParameter('seed', itemIndex, -1),
			images: itemImages?.images ?? [],
			cameraTemplate: optionalParameter(ctx, 'cameraTemplate', itemIndex),
			cameraStrength: optionalParameter(ctx, 'cameraStrength', itemIndex),
		},
		{ deferImageData },
	);
	return deferred(request, itemImages?.readAgain);
}

/** Outside checkItemRequest so that `complete` keeps the reader, not the bytes read for the check. */
function deferred(request: VideoRequest, readAgain: ItemImages['readAgain'] | undefined): DeferredItemRequest {
	return {
		request,
		complete: async () => (request.deferredImages && readAgain ? attachImageData(request, await readAgain()) : request),
	};
}

/** n8n's own error for anything that went wrong with one item; Jimeng errors keep their details. */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof JimengApiError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof InputValidationError) {
		return new NodeOperationError(ctx.getNode(), `${error.message} [item ${itemIndex}]`, {
			itemIndex,
			description: 'Nothing was sent to Jimeng for this item.',
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * The json of a continueOnFail item: error, code, request_id, task_id (when known). When a submit's
 * outcome is unknown, also what the request was and when it was sent, to find the task in the console.
 */
export function errorJson(error: unknown, taskId?: string): IDataObject {
	if (error instanceof JimengApiError) {
		const { details } = error;
		const json: IDataObject = {
			error: error.message,
			code: details.code,
			request_id: details.requestId ?? null,
			task_id: details.taskId ?? taskId ?? null,
			retryable: details.retryable,
		};
		if (details.taskMayExist) {
			json.task_may_exist = true;
			json.submitted_at = details.submittedAt ?? null;
			Object.assign(json, details.request);
		}
		return json;
	}
	if (error instanceof InputValidationError) {
		return { error: error.message, code: 'INVALID_PARAMETER', parameter: error.parameter, request_id: null, task_id: taskId ?? null };
	}
	const message = error instanceof Error ? error.message : String(error);
	return { error: message, code: (error as JsonObject)?.code ?? null, request_id: null, task_id: taskId ?? null };
}

/** Execution hints, each distinct message once per run (a batch of 50 long prompts gives one hint). */
export function addHints(ctx: IExecuteFunctions, messages: Iterable<string>): void {
	const unique = [...new Set(messages)];
	if (unique.length === 0 || typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints(...unique.map((message) => ({ message, location: 'outputPane' as const })));
}

/** Used as a tool by an AI agent, a video blob is of no use to the model: return the URL instead. */
export function isToolCall(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/**
 * Submits one item's request once per execution: a node re-run by "Retry On Fail" gets the task
 * created by the first attempt back (`reused: true`) instead of paying for a second one.
 */
export async function submitOnce(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: VideoRequest,
	options?: CallOptions,
): Promise<SubmitAnswer & { reused: boolean }> {
	const runIndex = Number(ctx.getWorkflowDataProxy(itemIndex).$runIndex ?? 0);
	const key = SubmissionLedger.key({ executionId: ctx.getExecutionId(), nodeName: ctx.getNode().name, runIndex, itemIndex }, request.body);
	const known = submissionLedger.find(key);
	if (known) return { taskId: known.taskId, requestId: known.requestId, reused: true };
	let answer: SubmitAnswer;
	try {
		answer = await submitTask(ctx, request.body, options);
	} catch (error) {
		// An unknown outcome: the item must say what was asked, to recognise the task in the console.
		if (error instanceof JimengApiError && error.details.taskMayExist) {
			error.details.request = { req_key: request.model.id, ...request.summary };
		}
		throw new NodeApiError(ctx.getNode(), error as JsonObject);
	}
	submissionLedger.record(key, answer.taskId, answer.requestId);
	// Logged at once: if the process dies before the node returns (a killed worker), the id of a paid
	// task is still in the n8n log, ready for Get Result.
	ctx.logger.info(
		`Jimeng task accepted: task_id ${answer.taskId} (model ${request.model.id}, execution ${ctx.getExecutionId()}, node "${ctx.getNode().name}", item ${itemIndex}, request_id ${answer.requestId})`,
	);
	return { ...answer, reused: false };
}
