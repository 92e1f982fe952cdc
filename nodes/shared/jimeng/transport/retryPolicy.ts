/**
 * Where a retry is decided. Pure: the transport asks `decideRetry` after every failed attempt.
 *
 * The rule that costs money: a submit is repeated only on an answer that proves no task was
 * created — a throttling refusal (50429, 50430), the gateway's rate limit (FlowLimitExceeded /
 * HTTP 429), or a connection that failed before a byte was sent. Anything else after the request
 * left — an internal error (50500, 50501: the vendor does not say the task was not created), a
 * reset, a timeout, a gateway 5xx such as InternalServiceTimeout, an HTML page from a load
 * balancer, a cut-off answer, bytes that are not HTTP — leaves the outcome unknown: the task may
 * exist and a second submit could be a second paid video.
 */
import { CALL_RETRY_CODES, SUBMIT_OUTCOME_UNKNOWN_CODES } from '../codes/businessCodes';
import { type NetworkFailure } from '../../network/networkFailure';

export type CallKind = 'submit' | 'getResult' | 'download';

export type AttemptFailure =
	| { kind: 'business'; code: number }
	| { kind: 'gateway'; code: string; httpStatus: number }
	| { kind: 'network'; failure: NetworkFailure }
	/** a download answered a non-2xx status */
	| { kind: 'http'; httpStatus: number }
	/** an answer that is neither Jimeng's nor the gateway's: a proxy's HTML page, a cut-off body */
	| { kind: 'unreadable'; httpStatus: number };

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

const RETRYABLE_GATEWAY_CODES = new Set([
	'FlowLimitExceeded',
	'ServiceUnavailableTemp',
	'InternalError',
]);

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** Exponential backoff with full jitter, capped: spreads many items' retries apart. */
export function backoffDelay(
	attempt: number,
	options: RetryOptions,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The gateway throttled the request: it was refused before reaching the service. */
function isGatewayRateLimit(failure: Extract<AttemptFailure, { kind: 'gateway' }>): boolean {
	return failure.code === 'FlowLimitExceeded' || failure.httpStatus === 429;
}

/**
 * Whether a failed submit may nevertheless have created a task. Refusals (business codes, the
 * gateway's 4xx signature/credential/throttling answers) and failures before sending prove it did
 * not; everything else after the request was sent leaves it open.
 */
export function submitOutcomeUnknown(failure: AttemptFailure): boolean {
	switch (failure.kind) {
		case 'network':
			return failure.failure.phase !== 'before-send';
		case 'gateway':
			return failure.httpStatus >= 500 && !isGatewayRateLimit(failure);
		case 'unreadable':
			return true;
		case 'business':
			return SUBMIT_OUTCOME_UNKNOWN_CODES.has(failure.code);
		default:
			return false;
	}
}

const MAY_EXIST =
	'the submit may have reached the server: repeating it could create a second, paid task';

function isRetryableFailure(
	call: CallKind,
	failure: AttemptFailure,
	options: RetryOptions,
): true | string {
	if (call === 'submit' && submitOutcomeUnknown(failure)) return MAY_EXIST;
	switch (failure.kind) {
		case 'business':
			if (failure.code === 50430 && call === 'submit' && !options.retryConcurrencyLimit) {
				return 'concurrency limit: queued by the caller';
			}
			return (
				CALL_RETRY_CODES.has(failure.code) || `code ${failure.code} is an answer, not an accident`
			);
		case 'gateway':
			if (call === 'submit') return isGatewayRateLimit(failure) || `gateway error ${failure.code}`;
			return (
				RETRYABLE_GATEWAY_CODES.has(failure.code) ||
				failure.httpStatus >= 500 ||
				isGatewayRateLimit(failure) ||
				`gateway error ${failure.code}`
			);
		case 'network':
			return true;
		case 'unreadable':
			// A load balancer's 502/503/504 page passes like a reset; a 2xx/4xx page is a wrong Base URL.
			return failure.httpStatus >= 500 || `HTTP ${failure.httpStatus} is not a Jimeng answer`;
		case 'http':
			return (
				failure.httpStatus >= 500 || failure.httpStatus === 429 || `HTTP ${failure.httpStatus}`
			);
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
	if (retryable !== true) return { retry: false, reason: retryable };
	if (attempt >= options.maxAttempts)
		return { retry: false, reason: `gave up after ${attempt} attempts` };
	return { retry: true, delayMs: backoffDelay(attempt, options, random) };
}
