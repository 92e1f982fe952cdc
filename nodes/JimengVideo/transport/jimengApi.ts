/**
 * The only code that talks HTTP. Every API call goes through `helpers.httpRequestWithAuthentication`
 * with the `volcengineApi` credential, whose `authenticate` signs it. Video downloads use the plain
 * helper: the video URL is pre-signed by the CDN.
 */
import {
	sleep,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type IPollFunctions,
} from 'n8n-workflow';

import { SUCCESS_CODE, findNetworkFailure, type NetworkFailure } from '../helpers/errorCatalog';
import { jsonBodyBytes } from '../helpers/jsonBody';
import {
	JimengApiError,
	businessError,
	gatewayError,
	networkError,
	responseError,
	unknownOutcomeError,
} from './JimengApiError';
import { proxySignatureHint } from './signatureHint';
import {
	DEFAULT_RETRY_OPTIONS,
	decideRetry,
	submitOutcomeUnknown,
	type AttemptFailure,
	type CallKind,
	type RetryOptions,
} from './retryPolicy';

export const CREDENTIAL_TYPE = 'volcengineApi';
export const API_VERSION = '2022-08-31';
const API_TIMEOUT_MS = 60_000;
const DOWNLOAD_TIMEOUT_MS = 120_000;

export type JimengContext = IExecuteFunctions | IPollFunctions;

export interface CallOptions {
	retry?: Partial<RetryOptions>;
	/** Abort signal; defaults to the execution's cancel signal. */
	signal?: AbortSignal;
	/** Called before each wait between attempts (progress logs, tests). */
	onRetry?: (info: { call: CallKind; attempt: number; delayMs: number; failure: AttemptFailure }) => void;
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

/** Codes that Get Result answers for a task that finished badly (as opposed to a bad call). */
function isTaskFailureCode(code: number): boolean {
	return (code >= 50411 && code <= 50413) || (code >= 50511 && code <= 50522);
}

export function executionSignal(ctx: JimengContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

type RawOutcome =
	| { kind: 'answer'; httpStatus: number; body: unknown; contentType: string }
	| { kind: 'network'; failure: NetworkFailure }
	| { kind: 'cancelled' }
	/** the request was never made: the credential refused to sign (an empty field…) */
	| { kind: 'local'; message: string; description: string };

interface ParsedAnswer {
	code: number;
	data: IDataObject | null;
	message: string;
	requestId: string;
	httpStatus: number;
	/** when the attempt that got this answer was sent */
	sentAt?: Date;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

function snippetOf(body: unknown): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	return (text ?? '').slice(0, 300);
}

/**
 * One signed POST of a body already serialised to bytes (the credential signs exactly these).
 * Never throws for HTTP statuses: both answer shapes come back for parsing.
 */
async function sendOnce(ctx: JimengContext, action: string, body: Buffer, signal?: AbortSignal): Promise<RawOutcome> {
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
		return { kind: 'answer', httpStatus: response.statusCode, body: parseBody(response.body), contentType };
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

/** An answer that is neither Jimeng's envelope nor the gateway's: a proxy's HTML page, a cut-off body. */
interface UnreadableAnswer {
	unreadable: true;
	httpStatus: number;
	contentType: string;
	snippet: string;
}

function readAnswer(
	ctx: JimengContext,
	outcome: { httpStatus: number; body: unknown; contentType: string },
): ParsedAnswer | { gateway: JimengApiError } | UnreadableAnswer {
	const body = outcome.body as IDataObject | null;
	const metadata = (body && typeof body === 'object' ? body.ResponseMetadata : undefined) as IDataObject | undefined;
	const gateway = metadata?.Error as IDataObject | undefined;
	if (gateway && typeof gateway === 'object') {
		return {
			gateway: gatewayError(ctx.getNode(), {
				code: String(gateway.Code ?? 'UnknownError'),
				codeN: typeof gateway.CodeN === 'number' ? gateway.CodeN : undefined,
				serviceMessage: typeof gateway.Message === 'string' ? gateway.Message : undefined,
				httpStatus: outcome.httpStatus,
				requestId: typeof metadata?.RequestId === 'string' ? metadata.RequestId : undefined,
			}),
		};
	}
	if (!body || typeof body !== 'object' || typeof body.code !== 'number') {
		return { unreadable: true, httpStatus: outcome.httpStatus, contentType: outcome.contentType, snippet: snippetOf(outcome.body) };
	}
	return {
		code: body.code,
		data: body.data && typeof body.data === 'object' ? (body.data as IDataObject) : null,
		message: typeof body.message === 'string' ? body.message : '',
		requestId: typeof body.request_id === 'string' ? body.request_id : '',
		httpStatus: outcome.httpStatus,
	};
}

const CHECK_BASE_URL = 'Check the Base URL of the credential (a proxy or a wrong host?).';

function describeUnreadable(answer: UnreadableAnswer): string {
	return `HTTP ${answer.httpStatus}${answer.contentType ? `, ${answer.contentType.split(';')[0]}` : ''}`;
}

/** The error of an answer that is not Jimeng's; a submit's outcome is then unknown. */
function unreadableError(ctx: JimengContext, call: Exclude<CallKind, 'download'>, answer: UnreadableAnswer, sentAt: Date, taskId?: string): JimengApiError {
	if (call === 'submit') {
		return unknownOutcomeError(ctx.getNode(), {
			kind: 'response',
			cause: `The answer was not a Jimeng answer (${describeUnreadable(answer)})`,
			code: `HTTP_${answer.httpStatus}`,
			httpStatus: answer.httpStatus,
			sentAt,
			description: `Answer received: ${answer.snippet}`,
			advice: answer.httpStatus >= 500 ? 'A load balancer or proxy between n8n and Jimeng failed.' : CHECK_BASE_URL,
		});
	}
	return responseError(ctx.getNode(), {
		what:
			answer.httpStatus >= 500
				? `The Jimeng API kept answering with an error page (${describeUnreadable(answer)}) instead of a Jimeng answer. ${CHECK_BASE_URL.replace('Check', 'Try again later, and check')}`
				: `The Jimeng API answered ${describeUnreadable(answer)} with something that is not a Jimeng answer. ${CHECK_BASE_URL}`,
		httpStatus: answer.httpStatus,
		snippet: answer.snippet,
		taskId,
		retryable: answer.httpStatus >= 500,
	});
}

function cancelled(ctx: JimengContext, what: string): JimengApiError {
	return new JimengApiError(
		ctx.getNode(),
		{ kind: 'network', code: 'CANCELLED', retryable: false },
		`Cancelled while ${what}`,
		'The execution was cancelled.',
	);
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

async function waitBeforeRetry(ctx: JimengContext, delayMs: number, signal: AbortSignal | undefined, what: string) {
	if (signal?.aborted) throw cancelled(ctx, what);
	try {
		await sleep(delayMs, signal);
	} catch {
		throw cancelled(ctx, what);
	}
	if (signal?.aborted) throw cancelled(ctx, what);
}

/**
 * A signed call with the retry policy applied. Returns a success answer (code 10000) or, for
 * Get Result, a task-failure answer; throws JimengApiError for everything else.
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
	// Serialised once: a retried submit sends the same bytes, and an image body is not rebuilt.
	const payload = jsonBodyBytes(body);
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw cancelled(ctx, `calling ${action}`);
		const sentAt = new Date();
		const outcome = await sendOnce(ctx, action, payload, signal);
		if (outcome.kind === 'cancelled') throw cancelled(ctx, `calling ${action}`);
		if (outcome.kind === 'local') {
			throw new JimengApiError(
				ctx.getNode(),
				{ kind: 'response', code: 'REQUEST_NOT_SENT', retryable: false },
				outcome.message,
				outcome.description,
			);
		}

		let failure: AttemptFailure;
		let error: JimengApiError;
		if (outcome.kind === 'network') {
			failure = { kind: 'network', failure: outcome.failure };
			error = networkError(ctx.getNode(), {
				failure: outcome.failure,
				call: action,
				attempts: attempt,
				taskMayExist: call === 'submit' && outcome.failure.phase !== 'before-send',
				sentAt,
			});
		} else {
			const answer = readAnswer(ctx, outcome);
			if ('unreadable' in answer) {
				error = unreadableError(ctx, call, answer, sentAt, taskId);
				failure = { kind: 'unreadable', httpStatus: answer.httpStatus };
			} else if ('gateway' in answer) {
				failure = { kind: 'gateway', code: String(answer.gateway.details.code), httpStatus: outcome.httpStatus };
				error =
					call === 'submit' && submitOutcomeUnknown(failure)
						? unknownOutcomeError(ctx.getNode(), {
								kind: 'gateway',
								cause: `The Volcengine gateway answered ${failure.code} (HTTP ${failure.httpStatus})`,
								code: failure.code,
								httpStatus: failure.httpStatus,
								requestId: answer.gateway.details.requestId,
								sentAt,
								description: answer.gateway.message,
							})
						: answer.gateway;
			} else if (answer.code === SUCCESS_CODE || (call === 'getResult' && isTaskFailureCode(answer.code))) {
				return { ...answer, sentAt };
			} else {
				error = businessError(ctx.getNode(), {
					code: answer.code,
					serviceMessage: answer.message,
					httpStatus: answer.httpStatus,
					requestId: answer.requestId,
					taskId,
				});
				failure = { kind: 'business', code: answer.code };
			}
		}

		const decision = decideRetry(call, failure, attempt, retry);
		if (!decision.retry) throw await withProxyHint(ctx, error);
		options.onRetry?.({ call, attempt, delayMs: decision.delayMs, failure });
		await waitBeforeRetry(ctx, decision.delayMs, signal, `waiting to retry ${action}`);
	}
}

/** CVSync2AsyncSubmitTask. Never repeated once the request may have reached the server. */
export async function submitTask(
	ctx: JimengContext,
	body: Record<string, unknown>,
	options: CallOptions = {},
): Promise<SubmitAnswer> {
	const answer = await callApi(ctx, 'submit', 'CVSync2AsyncSubmitTask', body as IDataObject, options);
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
	const answer = await callApi(ctx, 'getResult', 'CVSync2AsyncGetResult', body, options, input.taskId);
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
	if (status === 'in_queue' || status === 'generating' || status === 'not_found' || status === 'expired') {
		return { status, requestId: answer.requestId, data };
	}
	throw responseError(ctx.getNode(), {
		what: `Jimeng answered an unknown task status "${String(status)}" for task ${input.taskId}`,
		requestId: answer.requestId,
		taskId: input.taskId,
		snippet: snippetOf(data),
	});
}

export interface DownloadInput {
	taskId: string;
	videoUrl: string;
	/** A fresh video URL: signed CDN links expire after an hour (a new Get Result signs a new one). */
	refreshUrl: () => Promise<string>;
	fileName: string;
}

type DownloadAttempt =
	| { kind: 'ok'; binary: IBinaryData }
	| { kind: 'expired'; httpStatus: number }
	| { kind: 'failed'; failure: AttemptFailure; detail: string };

async function downloadOnce(
	ctx: JimengContext,
	url: string,
	fileName: string,
	signal: AbortSignal | undefined,
): Promise<DownloadAttempt> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url,
			// An mp4 gains nothing from gzip; asking for none keeps Content-Length the stored size.
			headers: { 'Accept-Encoding': 'identity' },
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
			abortSignal: signal,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		if (signal?.aborted) throw cancelled(ctx, 'downloading the video');
		const failure = findNetworkFailure(error) ?? { code: 'DOWNLOAD_FAILED', phase: 'unknown', detail: (error as Error).message };
		return { kind: 'failed', failure: { kind: 'network', failure }, detail: failure.detail };
	}
	const stream = response.body as NodeJS.ReadableStream & { destroy?: () => void };
	if (response.statusCode === 403 || response.statusCode === 404 || response.statusCode === 410) {
		stream.destroy?.();
		return { kind: 'expired', httpStatus: response.statusCode };
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		stream.destroy?.();
		return {
			kind: 'failed',
			failure: { kind: 'http', httpStatus: response.statusCode },
			detail: `HTTP ${response.statusCode}`,
		};
	}
	const expected = Number(response.headers['content-length'] ?? NaN);
	try {
		const binary = await ctx.helpers.prepareBinaryData(stream as unknown as Buffer, fileName, 'video/mp4');
		// A cut connection must not become a short, broken video.
		if (isShort(binary.bytes, expected)) {
			return {
				kind: 'failed',
				failure: { kind: 'network', failure: { code: 'TRUNCATED', phase: 'unknown', detail: 'truncated' } },
				detail: `received ${binary.bytes} of ${expected} bytes`,
			};
		}
		return { kind: 'ok', binary };
	} catch (error) {
		if (signal?.aborted) throw cancelled(ctx, 'downloading the video');
		const failure = findNetworkFailure(error) ?? { code: 'DOWNLOAD_FAILED', phase: 'unknown', detail: (error as Error).message };
		return {
			kind: 'failed',
			failure: { kind: 'network', failure },
			detail: `${failure.detail} (expected ${Number.isFinite(expected) ? expected : '?'} bytes)`,
		};
	}
}

/**
 * Whether the stored video is shorter than announced. A body that the HTTP client decompressed
 * (a CDN that gzips although the request asked for identity) is checked by the decompressor's own
 * checksum, and its Content-Length is the compressed size: more bytes than announced can only mean
 * that, never a cut connection.
 */
function isShort(storedBytes: number | undefined, announced: number): boolean {
	return Number.isFinite(announced) && typeof storedBytes === 'number' && storedBytes < announced;
}

/**
 * Streams the video into n8n's binary data store (never whole in memory in filesystem mode).
 * An expired URL (403/404) gets one fresh URL from Get Result; broken transfers are retried.
 */
export async function downloadVideo(ctx: JimengContext, input: DownloadInput, options: CallOptions = {}): Promise<IBinaryData> {
	const retry: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, maxAttempts: 4, ...options.retry };
	const signal = options.signal ?? executionSignal(ctx);
	let url = input.videoUrl;
	let refreshed = false;
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw cancelled(ctx, 'downloading the video');
		const result = await downloadOnce(ctx, url, input.fileName, signal);
		if (result.kind === 'ok') return result.binary;
		if (result.kind === 'expired') {
			if (refreshed) {
				throw responseError(ctx.getNode(), {
					what: `The video of task ${input.taskId} could not be downloaded: its URL answered HTTP ${result.httpStatus} even after a fresh Get Result. Run Get Result again later (videos are kept 12 hours).`,
					httpStatus: result.httpStatus,
					taskId: input.taskId,
				});
			}
			refreshed = true;
			url = await input.refreshUrl();
			continue;
		}
		const decision = decideRetry('download', result.failure, attempt, retry);
		if (!decision.retry) {
			throw responseError(ctx.getNode(), {
				what: `The video of task ${input.taskId} could not be downloaded (${result.detail}). The task is done: run Get Result with this task id to try again within 12 hours.`,
				taskId: input.taskId,
				retryable: true,
			});
		}
		options.onRetry?.({ call: 'download', attempt, delayMs: decision.delayMs, failure: result.failure });
		await waitBeforeRetry(ctx, decision.delayMs, signal, 'waiting to retry the download');
	}
}
