/**
 * What a failed submit means for Generate mode, the same for every API: anything that does not prove
 * nothing was created is "unknown" (counted like a task; generation pauses); a refusal of the moment
 * waits for the next poll; any other refusal pauses — or, at the user's activation, fails it where the
 * user sees why. And what a failed task check means: the next poll tries again, unless no poll can
 * fix it without the user.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IPollFunctions, JsonObject } from 'n8n-workflow';

import { apiDetails, errorFields } from '../../shared/items/errorItems';
import { RESUME } from '../generateLimits';
import type { SubmitResult } from '../generateMachine';
import type { GenerateRequest, TaskCheck } from './triggerApi';

/** The item that announces the pause: the failure, and what was asked (to find the task). */
export function pauseJson(request: GenerateRequest, error: unknown): IDataObject {
	const details = apiDetails(error);
	const mayExist = !details || details.taskMayExist === true;
	return {
		task_id: null,
		status: mayExist ? 'submit_outcome_unknown' : 'submit_failed',
		[request.modelField]: request.model,
		...errorFields(error),
		retryable: false,
		task_may_exist: mayExist,
		submitted_at: details?.submittedAt ?? null,
		...request.summary,
		note: `Generation is paused. ${RESUME}`,
	};
}

export function judgeSubmitFailure(
	ctx: IPollFunctions,
	request: GenerateRequest,
	error: unknown,
	sentAt: number,
	userActivation: boolean,
): SubmitResult {
	const details = apiDetails(error);
	const detail = (error as Error).message;
	ctx.logger.warn(`Jimeng Video Trigger "${ctx.getNode().name}": submit failed (${detail})`);
	if (!details || details.taskMayExist)
		return { kind: 'unknown', detail, json: pauseJson(request, error), sentAt };
	if (userActivation && !details.retryable)
		throw new NodeOperationError(ctx.getNode(), detail, {
			description:
				`${(error as { description?: string }).description ?? ''} Nothing was created; the workflow was not published.`.trim(),
		});
	return { kind: 'refused', passing: details.retryable, detail, json: pauseJson(request, error) };
}

/** `later` for what the next poll may fix; an error no poll can fix (`isFatal`) fails the poll. */
export function laterUnlessFatal(
	ctx: IPollFunctions,
	error: unknown,
	what: string,
	isFatal: (error: unknown) => boolean,
): TaskCheck {
	if (isFatal(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
	ctx.logger.warn(`Jimeng Video Trigger: ${what} at the next poll (${(error as Error).message})`);
	return { kind: 'later' };
}
