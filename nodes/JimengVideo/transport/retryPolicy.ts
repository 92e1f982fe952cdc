/**
 * Where a retry is decided. Pure: the transport asks `decideRetry` after every failed attempt.
 *
 * The rule that costs money: a submit whose request may have reached the server (a reset or a
 * timeout after sending) is never repeated — the task may exist, and a second submit would be a
 * second paid video. Codes that say "rejected, nothing created" (50429, 50430, 50500, 50501) are
 * safe to repeat.
 */
import { CALL_RETRY_CODES, type NetworkFailure } from '../helpers/errorCatalog';

export type CallKind = 'submit' | 'getResult' | 'download';

export type AttemptFailure =
	| { kind: 'business'; code: number }
	| { kind: 'gateway'; code: string; httpStatus: number }
	| { kind: 'network'; failure: NetworkFailure }
	| { kind: 'http'; httpStatus: number };

export interface RetryOptions {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/**
	 * Submit only: whether 50430 (concurrency limit) is retried here. Generate and Wait turns it off
	 * and queues the item until one of its own tasks finishes instead.
	 */
	retryConcurrencyLimit: boolean;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
	maxAttempts: 6,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	retryConcurrencyLimit: true,
};

const RETRYABLE_GATEWAY_CODES = new Set(['FlowLimitExceeded', 'ServiceUnavailableTemp', 'InternalError']);

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** Exponential backoff with full jitter, capped: spreads many items' retries apart. */
export function backoffDelay(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
	const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function isRetryableFailure(call: CallKind, failure: AttemptFailure, options: RetryOptions): boolean | string {
	switch (failure.kind) {
		case 'business':
			if (failure.code === 50430 && call === 'submit' && !options.retryConcurrencyLimit) {
				return 'concurrency limit: queued by the caller';
			}
			return CALL_RETRY_CODES.has(failure.code) || `code ${failure.code} is an answer, not an accident`;
		case 'gateway':
			return RETRYABLE_GATEWAY_CODES.has(failure.code) || failure.httpStatus >= 500 || `gateway error ${failure.code}`;
		case 'network':
			if (call === 'submit' && failure.failure.phase !== 'before-send') {
				return 'the submit may have reached the server: repeating it could create a second, paid task';
			}
			return true;
		case 'http':
			return failure.httpStatus >= 500 || failure.httpStatus === 429 || `HTTP ${failure.httpStatus}`;
	}
}

/**
 * @param attempt the attempt that just failed, starting at 1
 */
export function decideRetry(
	call: CallKind,
	failure: AttemptFailure,
	attempt: number,
	options: RetryOptions = DEFAULT_RETRY_OPTIONS,
	random?: () => number,
): RetryDecision {
	const retryable = isRetryableFailure(call, failure, options);
	if (retryable !== true) return { retry: false, reason: retryable === false ? 'not retryable' : retryable };
	if (attempt >= options.maxAttempts) return { retry: false, reason: `gave up after ${attempt} attempts` };
	return { retry: true, delayMs: backoffDelay(attempt, options, random) };
}
