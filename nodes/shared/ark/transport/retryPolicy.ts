/**
 * Where every Ark retry is decided. Pure: the transport asks `decideArkRetry` after each failed attempt.
 *
 * The rule that costs money (Ark has no idempotency key): a create is repeated only after an answer
 * that proves no task exists — an Ark JSON error envelope with a 4xx status (Ark's admission checks:
 * parameters, moderation of inputs, key, account, rate limits), or a failure before a byte left the
 * machine. Everything else — a 5xx (even InternalServiceError in Ark's envelope: an internal failure
 * at an unknown point of the create), a gateway page, a cut-off or non-JSON answer, a redirect, a
 * timeout, a reset, a cancel while in flight, a 2xx without an id — leaves the outcome unknown:
 * never repeated, settled by listing (resolveCreate.ts).
 */
import { isQueueCapMessage, isThrottleCode } from '../codes/errorCodes';
import type { NetworkFailure } from '../../network/networkFailure';

export type ArkCallKind = 'create' | 'get' | 'list' | 'delete';

export type ArkAttemptFailure =
	/** Ark's JSON error envelope */
	| { kind: 'envelope'; code: string; httpStatus: number; message?: string }
	| { kind: 'network'; failure: NetworkFailure }
	/** not Ark's answer: an HTML page, a cut-off or non-JSON body, a redirect */
	| { kind: 'unreadable'; httpStatus: number }
	/** a create answered 2xx without a task id */
	| { kind: 'noId'; httpStatus: number };

export interface ArkRetryOptions {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/**
	 * Whether a create refused for the queued-task cap (429 QuotaExceeded about the queue) is retried
	 * here (default yes). A batch turns it off: it waits for one of its own tasks to finish instead.
	 */
	retryQueueCap?: boolean;
}

export const DEFAULT_ARK_RETRY: ArkRetryOptions = {
	maxAttempts: 6,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
};

export type ArkRetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** Exponential backoff with jitter (half fixed, half random), capped: spreads items apart. */
export function arkBackoffDelay(
	attempt: number,
	options: ArkRetryOptions,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Whether a failed create proves no task was made ('refused'), or leaves it open ('unknown'). */
export function createOutcome(failure: ArkAttemptFailure): 'refused' | 'unknown' {
	switch (failure.kind) {
		case 'envelope':
			return failure.httpStatus < 500 ? 'refused' : 'unknown';
		case 'network':
			return failure.failure.phase === 'before-send' ? 'refused' : 'unknown';
		default:
			return 'unknown';
	}
}

/** Throttling and a full queue pass with time; every other refusal is an answer. */
function isPassingRefusal(
	failure: Extract<ArkAttemptFailure, { kind: 'envelope' }>,
	options: ArkRetryOptions,
): boolean {
	if (failure.code === 'QuotaExceeded')
		return isQueueCapMessage(failure.message) && options.retryQueueCap !== false;
	if (isThrottleCode(failure.code)) return true;
	// A 429 with a code this table does not know yet is still a throttle.
	return failure.httpStatus === 429 && failure.code !== 'SetLimitExceeded';
}

function retryableReason(
	call: ArkCallKind,
	failure: ArkAttemptFailure,
	options: ArkRetryOptions,
): true | string {
	if (call === 'create' && createOutcome(failure) === 'unknown')
		return 'the create may have reached Ark: repeating it could create a second, billed task';
	switch (failure.kind) {
		case 'envelope':
			if (isPassingRefusal(failure, options)) return true;
			return failure.httpStatus >= 500 || `${failure.code} is an answer, not an accident`;
		case 'network':
			return true;
		case 'unreadable':
			return failure.httpStatus >= 500 || `HTTP ${failure.httpStatus} is not an Ark answer`;
		case 'noId':
			return 'the answer has no task id';
	}
}

/** @param attempt the attempt that just failed, starting at 1 */
export function decideArkRetry(
	call: ArkCallKind,
	failure: ArkAttemptFailure,
	attempt: number,
	options: ArkRetryOptions = DEFAULT_ARK_RETRY,
	random?: () => number,
): ArkRetryDecision {
	const retryable = retryableReason(call, failure, options);
	if (retryable !== true) return { retry: false, reason: retryable };
	if (attempt >= options.maxAttempts)
		return { retry: false, reason: `gave up after ${attempt} attempts` };
	return { retry: true, delayMs: arkBackoffDelay(attempt, options, random) };
}
