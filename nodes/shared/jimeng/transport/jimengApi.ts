/**
 * The two Jimeng API actions, Submit and Get Result, with what their answers mean. callApi.ts sends
 * them (signed, with the retry policy).
 */
import type { IDataObject } from 'n8n-workflow';

import { SUCCESS_CODE } from '../codes/businessCodes';
import { snippetOf } from './answers';
import {
	businessError,
	responseError,
	unknownOutcomeError,
	type JimengApiError,
} from './JimengApiError';
import { callApi, type CallOptions, type JimengContext } from './callApi';

export interface SubmitAnswer {
	taskId: string;
	requestId: string;
}

export type TaskResult =
	| { status: 'in_queue' | 'generating'; requestId: string; data: IDataObject }
	| { status: 'not_found' | 'expired'; requestId: string; data: IDataObject }
	| { status: 'done'; videoUrl: string; requestId: string; data: IDataObject }
	| { status: 'failed'; error: JimengApiError; requestId: string };

/** CVSync2AsyncSubmitTask. Never repeated once the request may have reached the server. */
export async function submitTask(
	ctx: JimengContext,
	body: Record<string, unknown>,
	options: CallOptions = {},
): Promise<SubmitAnswer> {
	const answer = await callApi(
		ctx,
		'submit',
		'CVSync2AsyncSubmitTask',
		body as IDataObject,
		options,
	);
	const taskId = answer.data?.task_id;
	// task_id can exceed 2^63: it must stay the string the API sent.
	if (typeof taskId !== 'string' || !/^\d+$/.test(taskId)) {
		// Accepted (code 10000) without a usable id: the task exists, but which one is unknown.
		throw unknownOutcomeError(ctx.getNode(), {
			kind: 'response',
			cause: 'Jimeng accepted the submit (code 10000) but its answer has no usable task_id',
			code: 'NO_TASK_ID',
			requestId: answer.requestId,
			sentAt: answer.sentAt ?? new Date(),
			description: `Answer received: ${snippetOf(answer.data)}`,
		});
	}
	return { taskId, requestId: answer.requestId };
}

/** CVSync2AsyncGetResult: one query (with retries for accidents). */
export async function getTaskResult(
	ctx: JimengContext,
	input: { reqKey: string; taskId: string; reqJson?: string },
	options: CallOptions = {},
): Promise<TaskResult> {
	const body: IDataObject = { req_key: input.reqKey, task_id: input.taskId };
	if (input.reqJson) body.req_json = input.reqJson;
	const answer = await callApi(
		ctx,
		'getResult',
		'CVSync2AsyncGetResult',
		body,
		options,
		input.taskId,
	);
	// The outer code decides before data.status: a failed task says status done with a failure code.
	if (answer.code !== SUCCESS_CODE) {
		return {
			status: 'failed',
			requestId: answer.requestId,
			error: businessError(ctx.getNode(), {
				kind: 'task',
				code: answer.code,
				serviceMessage: answer.message,
				httpStatus: answer.httpStatus,
				requestId: answer.requestId,
				taskId: input.taskId,
			}),
		};
	}
	const data = answer.data ?? {};
	const status = data.status;
	if (status === 'done') {
		if (typeof data.video_url !== 'string' || !data.video_url) {
			throw responseError(ctx.getNode(), {
				what: `Jimeng says task ${input.taskId} is done but gives no video_url`,
				requestId: answer.requestId,
				taskId: input.taskId,
				snippet: snippetOf(data),
			});
		}
		return { status, videoUrl: data.video_url, requestId: answer.requestId, data };
	}
	if (
		status === 'in_queue' ||
		status === 'generating' ||
		status === 'not_found' ||
		status === 'expired'
	) {
		return { status, requestId: answer.requestId, data };
	}
	throw responseError(ctx.getNode(), {
		what: `Jimeng answered an unknown task status "${String(status)}" for task ${input.taskId}`,
		requestId: answer.requestId,
		taskId: input.taskId,
		snippet: snippetOf(data),
	});
}
