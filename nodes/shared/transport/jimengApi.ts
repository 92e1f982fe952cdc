/**
 * The only code that talks HTTP. Every API call goes through `helpers.httpRequestWithAuthentication`
 * with the `volcengineApi` credential, whose `authenticate` signs it. Video downloads use the plain
 * helper: the video URL is pre-signed by the CDN.
 */
import {
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type IPollFunctions,
} from 'n8n-workflow';

import { SUCCESS_CODE } from '../helpers/businessCodes';
import { findNetworkFailure } from '../helpers/networkFailure';
import { jsonBodyBytes } from '../helpers/jsonBody';
import {
	judgeAnswer,
	judgeNetworkFailure,
	parseBody,
	snippetOf,
	type AttemptInfo,
	type ParsedAnswer,
	type RawOutcome,
} from './answers';
import {
	JimengApiError,
	businessError,
	responseError,
	unknownOutcomeError,
} from './JimengApiError';
import { cancelledError, sleepUnlessCancelled } from './cancellation';
import { proxySignatureHint } from './signatureHint';
import {
	DEFAULT_RETRY_OPTIONS,
	decideRetry,
	type AttemptFailure,
	type CallKind,
	type RetryOptions,
} from './retryPolicy';

export const CREDENTIAL_TYPE = 'volcengineApi';
export const API_VERSION = '2022-08-31';
const API_TIMEOUT_MS = 60_000;

export type JimengContext = IExecuteFunctions | IPollFunctions;

export interface CallOptions {
	retry?: Partial<RetryOptions>;
	/** Abort signal; defaults to the execution's cancel signal. */
	signal?: AbortSignal;
	/** Called before each wait between attempts (progress logs, tests). */
	onRetry?: (info: {
		call: CallKind;
		attempt: number;
		delayMs: number;
		failure: AttemptFailure;
	}) => void;
}

export interface SubmitAnswer {
	taskId: string;
	requestId: string;
}

export type TaskResult =
	| { status: 'in_queue' | 'generating'; requestId: string; data: IDataObject }
	| { status: 'not_found' | 'expired'; requestId: string; data: IDataObject }
	| { status: 'done'; videoUrl: string; requestId: string; data: IDataObject }
	| { status: 'failed'; error: JimengApiError; requestId: string };

export function executionSignal(ctx: JimengContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/**
 * One signed POST of a body already serialised to bytes (the credential signs exactly these).
 * Never throws for HTTP statuses: both answer shapes come back for parsing.
 */
async function sendOnce(
	ctx: JimengContext,
	action: string,
	body: Buffer,
	signal?: AbortSignal,
): Promise<RawOutcome> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `/?Action=${action}&Version=${API_VERSION}`,
		headers: { 'Content-Type': 'application/json' },
		body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: API_TIMEOUT_MS,
		abortSignal: signal,
	};
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
		const contentType = String(response.headers?.['content-type'] ?? '');
		return {
			kind: 'answer',
			httpStatus: response.statusCode,
			body: parseBody(response.body),
			contentType,
		};
	} catch (error) {
		if (signal?.aborted) return { kind: 'cancelled' };
		const failure = findNetworkFailure(error);
		if (failure) return { kind: 'network', failure };
		// Not a network failure: the credential refused to sign (an empty field…) or n8n itself failed.
		return {
			kind: 'local',
			message: (error as Error).message || 'The request to Jimeng could not be made',
			description: String((error as { description?: unknown }).description ?? ''),
		};
	}
}

/** SignatureDoesNotMatch through a non-Volcengine Base URL: say that a proxy may be the cause. */
async function withProxyHint(ctx: JimengContext, error: JimengApiError): Promise<JimengApiError> {
	if (error.details.code !== 'SignatureDoesNotMatch') return error;
	try {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		const hint = proxySignatureHint(credentials.baseUrl, credentials.signingHost);
		if (hint) error.message = `${error.message} ${hint}`;
	} catch {
		// The credential was readable a moment ago for signing; without it the error stays as it is.
	}
	return error;
}

/**
 * A signed call with the retry policy applied (retryPolicy.ts decides). Returns a success answer
 * (code 10000) or, for Get Result, a task-failure answer; throws JimengApiError for everything else.
 */
async function callApi(
	ctx: JimengContext,
	call: Exclude<CallKind, 'download'>,
	action: string,
	body: IDataObject,
	options: CallOptions,
	taskId?: string,
): Promise<ParsedAnswer> {
	const retry: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...options.retry };
	const signal = options.signal ?? executionSignal(ctx);
	const cancelled = (what: string) => () =>
		cancelledError(ctx.getNode(), `Cancelled while ${what}`);
	// Serialised once: a retried submit sends the same bytes, and an image body is not rebuilt.
	const payload = jsonBodyBytes(body);
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw cancelled(`calling ${action}`)();
		const sentAt = new Date();
		const outcome = await sendOnce(ctx, action, payload, signal);
		if (outcome.kind === 'cancelled') throw cancelled(`calling ${action}`)();
		if (outcome.kind === 'local') {
			throw new JimengApiError(
				ctx.getNode(),
				{ kind: 'response', code: 'REQUEST_NOT_SENT', retryable: false },
				outcome.message,
				outcome.description,
			);
		}
		const info: AttemptInfo = { call, action, attempt, sentAt, taskId };
		const judged =
			outcome.kind === 'network'
				? judgeNetworkFailure(ctx.getNode(), outcome.failure, info)
				: judgeAnswer(ctx.getNode(), outcome, info);
		if ('answer' in judged) return judged.answer;
		const decision = decideRetry(call, judged.failure, attempt, retry);
		if (!decision.retry) throw await withProxyHint(ctx, judged.error);
		options.onRetry?.({ call, attempt, delayMs: decision.delayMs, failure: judged.failure });
		await sleepUnlessCancelled(decision.delayMs, signal, cancelled(`waiting to retry ${action}`));
	}
}

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
