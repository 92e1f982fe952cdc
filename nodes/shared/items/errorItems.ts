/**
 * Errors as item json, for every place that reports a failure in an item instead of throwing
 * (continueOnFail, the trigger's failed tasks, a paused Generate mode): one set of field names.
 */
import type { GenericValue, IDataObject, JsonObject } from 'n8n-workflow';

import { ApiError, type ApiErrorDetails } from '../network/apiError';
import { InputValidationError } from '../requests/inputValues';

/** The details of a Jimeng or Ark API error; undefined for anything else. */
export function apiDetails(error: unknown): ApiErrorDetails | undefined {
	return error instanceof ApiError ? (error.details as ApiErrorDetails) : undefined;
}

/** error, code, request_id and retryable of any error. */
export function errorFields(error: unknown): {
	error: string;
	code: GenericValue;
	request_id: string | null;
	retryable: boolean;
} {
	const message = error instanceof Error ? error.message : String(error);
	const details = apiDetails(error);
	if (details) {
		return {
			error: message,
			code: details.code,
			request_id: details.requestId ?? null,
			retryable: details.retryable,
		};
	}
	if (error instanceof InputValidationError)
		return { error: message, code: 'INVALID_PARAMETER', request_id: null, retryable: false };
	return {
		error: message,
		code: ((error as JsonObject)?.code as GenericValue) ?? null,
		request_id: null,
		retryable: false,
	};
}

/** What is known of a submit whose outcome is unknown: when it was sent and what was asked. */
export function unknownOutcomeFields(error: unknown): IDataObject | undefined {
	const details = apiDetails(error);
	if (!details?.taskMayExist) return undefined;
	return {
		task_may_exist: true,
		submitted_at: details.submittedAt ?? null,
		...(details.request as IDataObject | undefined),
		...(details.rerunsNotSent ? { reruns_not_sent: details.rerunsNotSent } : {}),
	};
}

/**
 * The json of a continueOnFail item: error, code, request_id, task_id (when known). When a submit's
 * outcome is unknown, also what the request was and when it was sent, to find the task in the console.
 */
export function errorJson(error: unknown, taskId?: string): IDataObject {
	const { error: message, code, request_id, retryable } = errorFields(error);
	const details = apiDetails(error);
	if (details) {
		const task_id = details.taskId ?? taskId ?? null;
		return { error: message, code, request_id, task_id, retryable, ...unknownOutcomeFields(error) };
	}
	if (error instanceof InputValidationError) {
		return {
			error: message,
			code,
			parameter: error.parameter,
			request_id,
			task_id: taskId ?? null,
		};
	}
	return { error: message, code, request_id, task_id: taskId ?? null };
}

/** A watched or generated task that ended badly (failed, not_found, expired), as the trigger emits it. */
export function taskFailureJson(
	task: { taskId: string; reqKey: string },
	status: string,
	error: unknown,
): IDataObject {
	return { task_id: task.taskId, status, req_key: task.reqKey, ...errorFields(error) };
}
