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

import { classifyTransportFailure } from '../../network/networkFailure';
import { jsonBodyBytes } from '../../requests/jsonBody';
import {
	judgeAnswer,
	judgeNetworkFailure,
	parseBody,
	type AttemptInfo,
	type ParsedAnswer,
	type RawOutcome,
} from './answers';
import { JimengApiError, unknownOutcomeError } from './JimengApiError';
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
	/**
	 * Per-attempt timeout (default 60 s). A trigger poll gives its submit only the time n8n leaves the
	 * poll, so that the answer arrives before n8n may abandon the poll.
	 */
	timeoutMs?: number;
	/** Called before each wait between attempts (progress logs, tests). */
	onRetry?: (info: {
		call: CallKind;
		attempt: number;
		delayMs: number;
		failure: AttemptFailure;
	}) => void;
}

/**
 * The execution's cancel signal. n8n-core sets it on every request made through
 * httpRequestWithAuthentication itself (request-helpers/authentication.js), so no other signal can
 * be passed; a poll has none.
 */
export function executionSignal(ctx: JimengContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/** The credential refused to sign (an empty field, a body it cannot sign): nothing was sent. */
function isCredentialRefusal(error: unknown): boolean {
	const seen = new Set<unknown>();
	for (let current = error; current && typeof current === 'object' && !seen.has(current); ) {
		seen.add(current);
		const name = (current as { name?: unknown }).name;
		if (name === 'VolcengineCredentialError' || name === 'UnsignableRequestError') return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/**
 * One signed POST of a body already serialised to bytes (the credential signs exactly these).
 * Never throws for HTTP statuses: both answer shapes come back for parsing.
 */
async function sendOnce(
	ctx: JimengContext,
	action: string,
	body: Buffer,
	timeoutMs: number,
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
		timeout: timeoutMs,
		// A redirect would carry the signed headers (X-Security-Token among them) to another origin.
		disableFollowRedirect: true,
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
		// Cancelled while the request was out: it may have reached the server.
		if (signal?.aborted) return { kind: 'cancelled' };
		if (isCredentialRefusal(error)) {
			return {
				kind: 'local',
				message: (error as Error).message || 'The request to Jimeng could not be signed',
				description: String((error as { description?: unknown }).description ?? ''),
			};
		}
		// Anything else happened after the request was handed to the HTTP client: only a failure
		// that proves nothing left the machine (networkFailure.ts) counts as "not sent".
		return { kind: 'network', failure: classifyTransportFailure(error) };
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
	const signal = executionSignal(ctx);
	const timeoutMs = options.timeoutMs ?? API_TIMEOUT_MS;
	const cancelled = (what: string) => () =>
		cancelledError(ctx.getNode(), `Cancelled while ${what}`);
	// Serialised once: a retried submit sends the same bytes, and an image body is not rebuilt.
	const payload = jsonBodyBytes(body);
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw cancelled(`calling ${action}`)();
		const sentAt = new Date();
		const outcome = await sendOnce(ctx, action, payload, timeoutMs, signal);
		if (outcome.kind === 'cancelled') {
			if (call !== 'submit') throw cancelled(`calling ${action}`)();
			throw unknownOutcomeError(ctx.getNode(), {
				kind: 'network',
				cause: 'The execution was cancelled while the submit was in flight',
				code: 'CANCELLED',
				sentAt,
				description: 'The execution was cancelled.',
			});
		}
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
