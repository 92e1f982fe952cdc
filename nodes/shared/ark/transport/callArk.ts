/**
 * The only code that talks HTTP to Ark. Every call goes through
 * `helpers.httpRequestWithAuthentication` with the `volcengineArkApi` credential (which adds the
 * Bearer key and the Base URL), follows no redirect, judges the answer (answers.ts) and asks
 * retryPolicy.ts whether to try again. A create whose outcome is unknown comes back as such, for
 * arkApi.ts to settle by listing; it is never sent again here.
 */
import type {
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';

import { sleepUnlessCancelled } from '../../network/cancellation';
import { findNetworkFailure } from '../../network/networkFailure';
import { ArkApiError, arkCancelledError } from './ArkApiError';
import {
	judgeArkAnswer,
	judgeNetworkFailure,
	type ArkAnswer,
	type ArkJudged,
	type ArkRawOutcome,
} from './answers';
import {
	DEFAULT_ARK_RETRY,
	createOutcome,
	decideArkRetry,
	type ArkAttemptFailure,
	type ArkCallKind,
	type ArkRetryOptions,
} from './retryPolicy';

export const ARK_CREDENTIAL_TYPE = 'volcengineArkApi';
export const TASKS_PATH = '/contents/generations/tasks';
const API_TIMEOUT_MS = 60_000;

export type ArkContext = IExecuteFunctions | IPollFunctions;

export interface ArkCallOptions {
	retry?: Partial<ArkRetryOptions>;
	/**
	 * Stops waits and retries; defaults to the execution's cancel signal. In a node execution n8n
	 * aborts the HTTP request itself only on the execution's own signal (it replaces any other).
	 */
	signal?: AbortSignal;
	/** Called before each wait between attempts (progress logs, tests). */
	onRetry?: (info: {
		call: ArkCallKind;
		attempt: number;
		delayMs: number;
		failure: ArkAttemptFailure;
	}) => void;
	/** Called right before each attempt is sent: a recovery point can be saved here. */
	onSend?: (info: { call: ArkCallKind; attempt: number; sentAt: Date }) => void;
	/** Per-attempt timeout (default 60 s): a trigger poll bounds its create by the poll's budget. */
	timeoutMs?: number;
}

export interface ArkRequestSpec {
	call: ArkCallKind;
	method: IHttpRequestMethods;
	/** Path under the Base URL, query included. */
	path: string;
	/** Serialised once: a retried create sends exactly the same bytes. */
	body?: Buffer;
	taskId?: string;
}

/** A create's outcome is unknown: the last attempt's judgement and when it was sent. */
export interface UnknownOutcome {
	judged: Extract<ArkJudged, { error: ArkApiError }>;
	sentAt: Date;
	/** the execution was cancelled while the create was in flight */
	cancelled: boolean;
}

export type ArkCallResult = { answer: ArkAnswer; sentAt: Date } | { unknown: UnknownOutcome };

export function executionSignal(ctx: ArkContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name];
	return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
}

/** One request; never throws for HTTP statuses (ignoreHttpStatusErrors): every answer is judged. */
async function sendOnce(
	ctx: ArkContext,
	spec: ArkRequestSpec,
	signal: AbortSignal | undefined,
	timeoutMs: number,
): Promise<ArkRawOutcome> {
	const options: IHttpRequestOptions = {
		method: spec.method,
		url: spec.path,
		headers: spec.body ? { 'Content-Type': 'application/json' } : {},
		body: spec.body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirect is not Ark's answer (and would re-send a create elsewhere): judged, not followed.
		disableFollowRedirect: true,
		timeout: timeoutMs,
		abortSignal: signal,
	};
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			ARK_CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
		return {
			kind: 'answer',
			httpStatus: response.statusCode,
			body: response.body,
			contentType: header(response, 'content-type') ?? '',
			requestId: header(response, 'x-request-id'),
			location: header(response, 'location'),
		};
	} catch (error) {
		if (signal?.aborted) return { kind: 'cancelled' };
		if (isCredentialRefusal(error)) {
			return { kind: 'local', message: (error as Error).message, description: '' };
		}
		// Anything else may have happened after the request left: never read as "not sent".
		const failure = findNetworkFailure(error) ?? {
			code: 'REQUEST_FAILED',
			phase: 'unknown' as const,
			detail: (error as Error).message || String(error),
		};
		return { kind: 'network', failure };
	}
}

/** The credential refused to build the request (an empty or broken key): nothing was sent. */
function isCredentialRefusal(error: unknown): boolean {
	const seen = new Set<unknown>();
	for (let current = error; current && typeof current === 'object' && !seen.has(current); ) {
		seen.add(current);
		const { name, message } = current as { name?: unknown; message?: unknown };
		if (
			name === 'ArkCredentialError' ||
			String(message).startsWith('Volcengine Ark API credential:')
		)
			return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/** Sends with the retry policy; throws ArkApiError for every failure except a create's unknown outcome. */
export async function callArk(
	ctx: ArkContext,
	spec: ArkRequestSpec,
	options: ArkCallOptions = {},
): Promise<ArkCallResult> {
	const retry: ArkRetryOptions = { ...DEFAULT_ARK_RETRY, ...options.retry };
	const signal = options.signal ?? executionSignal(ctx);
	const node = ctx.getNode();
	const cancelled = (what: string) => () =>
		arkCancelledError(node, `Cancelled while ${what} (Ark ${spec.call})`);
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted) throw cancelled('starting')();
		const sentAt = new Date();
		options.onSend?.({ call: spec.call, attempt, sentAt });
		const outcome = await sendOnce(ctx, spec, signal, options.timeoutMs ?? API_TIMEOUT_MS);
		if (outcome.kind === 'cancelled') {
			if (spec.call !== 'create') throw cancelled('waiting for the answer')();
			return { unknown: { judged: cancelledJudgement(node), sentAt, cancelled: true } };
		}
		if (outcome.kind === 'local') {
			throw new ArkApiError(
				node,
				{ kind: 'local', code: 'REQUEST_NOT_SENT', retryable: false },
				outcome.message,
				outcome.description,
			);
		}
		const judged =
			outcome.kind === 'network'
				? judgeNetworkFailure(node, spec.call, outcome.failure, attempt)
				: judgeArkAnswer(node, spec.call, outcome, spec.taskId);
		if ('answer' in judged) return { answer: judged.answer, sentAt };
		if (spec.call === 'create' && createOutcome(judged.failure) === 'unknown')
			return { unknown: { judged, sentAt, cancelled: false } };
		const decision = decideArkRetry(spec.call, judged.failure, attempt, retry);
		if (!decision.retry) throw judged.error;
		options.onRetry?.({
			call: spec.call,
			attempt,
			delayMs: decision.delayMs,
			failure: judged.failure,
		});
		await sleepUnlessCancelled(decision.delayMs, signal, cancelled('waiting to retry'));
	}
}

function cancelledJudgement(node: ReturnType<ArkContext['getNode']>): UnknownOutcome['judged'] {
	const error = arkCancelledError(node, 'Cancelled while the create was in flight');
	return {
		error,
		failure: {
			kind: 'network',
			failure: { code: 'CANCELLED', phase: 'unknown', detail: 'cancelled' },
		},
		cause: 'The execution was cancelled while the create was in flight',
	};
}

/** For get, list and delete: the answer, or the error thrown. */
export async function callArkForAnswer(
	ctx: ArkContext,
	spec: ArkRequestSpec,
	options: ArkCallOptions = {},
): Promise<ArkAnswer> {
	const result = await callArk(ctx, spec, options);
	if ('answer' in result) return result.answer;
	throw result.unknown.judged.error;
}
