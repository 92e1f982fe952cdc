/**
 * Generate mode's submits: the request built from the trigger's parameters, and the next task
 * submitted within the limits. What a refused or unknown submit means for generation is decided
 * here: a passing refusal waits, anything else pauses generation with an item that says why.
 */
import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import { errorFields } from '../shared/items/errorItems';
import { DEFAULT_MODEL, findModel } from '../shared/jimeng/models';
import type { ImageInput } from '../shared/jimeng/requests/imageRules';
import { InputValidationError } from '../shared/requests/inputValues';
import { buildVideoRequest, type VideoRequest } from '../shared/jimeng/requests/requestBuilder';
import { JimengApiError } from '../shared/jimeng/transport/JimengApiError';
import type { CallOptions } from '../shared/jimeng/transport/callApi';
import { submitTask } from '../shared/jimeng/transport/jimengApi';
import { readVideoParameters } from '../shared/jimeng/requests/videoParameters';
import { RESUME, invalidParameter, limitJson } from './generateLimits';
import { POLL_CALL_OPTIONS } from './pollTasks';
import {
	canSubmit,
	countSubmit,
	currentAllowance,
	dayIn,
	type Limits,
	type TriggerState,
} from './triggerState';

export function generateRequest(ctx: IPollFunctions): VideoRequest {
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

/** Refused for a reason that passes (concurrency, rate limit, outage): nothing was created. */
function isPassingRefusal(error: unknown): boolean {
	return error instanceof JimengApiError && error.details.retryable && !error.details.taskMayExist;
}

/** A submit failed for good, or with an unknown outcome: generation pauses, and the item says why. */
function pauseItem(
	ctx: IPollFunctions,
	state: TriggerState,
	request: VideoRequest,
	error: unknown,
): IDataObject {
	const details = error instanceof JimengApiError ? error.details : undefined;
	const status = details?.taskMayExist ? 'submit_outcome_unknown' : 'submit_failed';
	const fields = errorFields(error);
	state.paused = { reason: status, at: Date.now(), detail: fields.error };
	ctx.logger.warn(
		`Jimeng Video Trigger "${ctx.getNode().name}": generation paused (${status}). ${RESUME}`,
	);
	return {
		task_id: null,
		status,
		req_key: request.model.id,
		...fields,
		retryable: false,
		task_may_exist: details?.taskMayExist === true,
		submitted_at: details?.submittedAt ?? null,
		...request.summary,
		note: `Generation is paused. ${RESUME}`,
	};
}

export type NextTask =
	| { kind: 'submitted'; taskId: string }
	| { kind: 'later'; error: unknown }
	| { kind: 'stopped'; json: IDataObject };

/**
 * Submits the next task within the limits; records it (and its count) in the state. After a video,
 * a refusal that needs the user pauses generation, so that the video is still emitted.
 */
export async function submitNext(
	ctx: IPollFunctions,
	state: TriggerState,
	request: VideoRequest,
	limits: Limits,
	at: 'activation' | 'poll',
): Promise<NextTask> {
	const today = dayIn(Date.now(), ctx.getTimezone());
	const verdict = canSubmit(state, limits, today);
	if (!verdict.allowed) {
		if (verdict.limit === 'max_videos') state.paused = { reason: 'max_videos', at: Date.now() };
		else state.allowance = { ...currentAllowance(state, today), limitedOn: today };
		ctx.logger.info(
			`Jimeng Video Trigger "${ctx.getNode().name}": ${verdict.limit} limit of ${verdict.max} reached; nothing more is submitted`,
		);
		return { kind: 'stopped', json: limitJson(verdict, today, ctx.getTimezone()) };
	}
	try {
		const options: CallOptions = at === 'activation' ? {} : POLL_CALL_OPTIONS;
		const answer = await submitTask(ctx, request.body, options);
		countSubmit(state, today);
		state.current = { taskId: answer.taskId, reqKey: request.model.id, submittedAt: Date.now() };
		ctx.logger.info(
			`Jimeng task accepted: task_id ${answer.taskId} (model ${request.model.id}, trigger "${ctx.getNode().name}", request_id ${answer.requestId})`,
		);
		return { kind: 'submitted', taskId: answer.taskId };
	} catch (error) {
		const mayExist = error instanceof JimengApiError && error.details.taskMayExist;
		// At activation a refusal fails the activation, where the user sees it: nothing was created.
		if (at === 'activation' && !mayExist)
			throw error instanceof JimengApiError
				? error
				: new NodeOperationError(ctx.getNode(), error as Error);
		if (isPassingRefusal(error)) return { kind: 'later', error };
		if (mayExist) countSubmit(state, today);
		return { kind: 'stopped', json: pauseItem(ctx, state, request, error) };
	}
}
