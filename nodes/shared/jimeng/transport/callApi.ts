/**
 * The only code that talks HTTP to the Jimeng API. Every call goes through
 * `helpers.httpRequestWithAuthentication` with the `volcengineApi` credential, whose `authenticate`
 * signs it; this loop sends, judges the answer (answers.ts) and asks retryPolicy.ts whether to try
 * again. Video downloads are download.ts: the video URL is pre-signed by the CDN.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import { findNetworkFailure } from '../../network/networkFailure';
import { jsonBodyBytes } from '../../requests/jsonBody';
import {
	judgeAnswer,
	judgeNetworkFailure,
	parseBody,
	type AttemptInfo,
	type ParsedAnswer,
	type RawOutcome,
} from './answers';
import { JimengApiError } from './JimengApiError';
import { cancelledError, sleepUnlessCancelled } from '../../network/cancellation';
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
export async function callApi(
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
