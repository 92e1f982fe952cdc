import { BUSINESS_CODES, CALL_RETRY_CODES } from '../../nodes/shared/jimeng/codes/businessCodes';
import { findNetworkFailure } from '../../nodes/shared/network/networkFailure';
import {
	DEFAULT_RETRY_OPTIONS,
	backoffDelay,
	decideRetry,
	submitOutcomeUnknown,
} from '../../nodes/shared/jimeng/transport/retryPolicy';

describe('error catalogue', () => {
	// The vendor's "retry?" column (vendor page + docs/jimeng-api.md).
	it.each([
		[50411, false],
		[50412, false],
		[50413, false],
		[50511, true],
		[50512, false],
		[50516, true],
		[50517, true],
		[50518, false],
		[50519, true],
		[50520, false],
		[50521, false],
		[50522, false],
		[50429, true],
		[50430, true],
		[50500, true],
		[50501, true],
		[50200, false],
		[50201, false],
		[50204, false],
		[50205, false],
		[50206, false],
		[50207, false],
		[50213, false],
		[50400, false],
		[50402, false],
	])('%i retryable=%s', (code, retryable) => {
		expect(BUSINESS_CODES[code].retryable).toBe(retryable);
	});

	it('repeats the same call only for the codes that mean "nothing happened, try again"', () => {
		expect([...CALL_RETRY_CODES].sort()).toEqual([50429, 50430, 50500, 50501]);
	});

	it('finds socket failures in n8n’s wrapped errors and tells before-send from unknown', () => {
		const wrapped = (code: string) => ({
			message: 'request failed',
			cause: { name: 'AxiosError', cause: { code, message: `connect ${code}` } },
		});
		expect(findNetworkFailure(wrapped('ECONNREFUSED'))).toMatchObject({
			code: 'ECONNREFUSED',
			phase: 'before-send',
		});
		expect(findNetworkFailure(wrapped('ENOTFOUND'))).toMatchObject({ phase: 'before-send' });
		expect(findNetworkFailure(wrapped('ECONNRESET'))).toMatchObject({
			code: 'ECONNRESET',
			phase: 'unknown',
		});
		expect(findNetworkFailure(wrapped('ETIMEDOUT'))).toMatchObject({ phase: 'unknown' });
		expect(findNetworkFailure({ message: 'socket hang up' })).toMatchObject({
			code: 'ECONNRESET',
			phase: 'unknown',
		});
		expect(findNetworkFailure({ message: 'Bad request', httpCode: '400' })).toBeUndefined();
	});
});

describe('decideRetry', () => {
	const network = (phase: 'before-send' | 'unknown') => ({
		kind: 'network' as const,
		failure: { code: 'X', phase, detail: '' },
	});

	it('never repeats a submit that may have reached the server', () => {
		expect(decideRetry('submit', network('unknown'), 1)).toEqual({
			retry: false,
			reason: expect.stringMatching(/second, paid task/),
		});
		expect(decideRetry('submit', network('before-send'), 1).retry).toBe(true);
		expect(decideRetry('getResult', network('unknown'), 1).retry).toBe(true);
		expect(decideRetry('download', network('unknown'), 1).retry).toBe(true);
	});

	it('repeats rate limits and internal errors, not answers; a submit only on throttling', () => {
		for (const code of [50429, 50430])
			expect(decideRetry('submit', { kind: 'business', code }, 1).retry).toBe(true);
		for (const code of [50429, 50430, 50500, 50501])
			expect(decideRetry('getResult', { kind: 'business', code }, 1).retry).toBe(true);
		// 50500 / 50501: the vendor says "retryable", not "nothing was created" — a submit is not repeated
		for (const code of [50500, 50501])
			expect(decideRetry('submit', { kind: 'business', code }, 1)).toEqual({
				retry: false,
				reason: expect.stringMatching(/second, paid task/),
			});
		for (const code of [50412, 50516, 50200, 50400])
			expect(decideRetry('submit', { kind: 'business', code }, 1).retry).toBe(false);
		expect(
			decideRetry('submit', { kind: 'business', code: 50430 }, 1, {
				...DEFAULT_RETRY_OPTIONS,
				retryConcurrencyLimit: false,
			}).retry,
		).toBe(false);
		expect(
			decideRetry(
				'getResult',
				{ kind: 'gateway', code: 'SignatureDoesNotMatch', httpStatus: 401 },
				1,
			).retry,
		).toBe(false);
		expect(
			decideRetry('getResult', { kind: 'gateway', code: 'FlowLimitExceeded', httpStatus: 429 }, 1)
				.retry,
		).toBe(true);
	});

	it('repeats a submit only on answers that prove no task was created', () => {
		const gateway = (code: string, httpStatus: number) => ({
			kind: 'gateway' as const,
			code,
			httpStatus,
		});
		// proof of refusal: the gateway throttled it, or the business API refused it retryably
		expect(decideRetry('submit', gateway('FlowLimitExceeded', 429), 1).retry).toBe(true);
		expect(decideRetry('submit', gateway('SomethingThrottled', 429), 1).retry).toBe(true);
		// the backend may have acted: never repeated
		for (const [code, status] of [
			['InternalServiceTimeout', 504],
			['InternalServiceError', 500],
			['InternalError', 500],
			['ServiceUnavailableTemp', 503],
			['Unknown', 502],
		] as const) {
			expect(decideRetry('submit', gateway(code, status), 1)).toEqual({
				retry: false,
				reason: expect.stringMatching(/second, paid task/),
			});
			expect(submitOutcomeUnknown(gateway(code, status))).toBe(true);
			expect(decideRetry('getResult', gateway(code, status), 1).retry).toBe(true);
		}
		// refusals before forwarding: not repeated, and no task can exist
		for (const code of ['SignatureDoesNotMatch', 'InvalidTimestamp', 'AccessDenied']) {
			expect(decideRetry('submit', gateway(code, 401), 1).retry).toBe(false);
			expect(submitOutcomeUnknown(gateway(code, 401))).toBe(false);
		}
		expect(submitOutcomeUnknown(gateway('FlowLimitExceeded', 429))).toBe(false);
		expect(submitOutcomeUnknown({ kind: 'business', code: 50500 })).toBe(true);
		expect(submitOutcomeUnknown({ kind: 'business', code: 50501 })).toBe(true);
		expect(submitOutcomeUnknown({ kind: 'business', code: 50430 })).toBe(false);
		expect(submitOutcomeUnknown(network('before-send'))).toBe(false);
		expect(submitOutcomeUnknown(network('unknown'))).toBe(true);
	});

	it('an answer that is not JSON: unknown for a submit; a 5xx page is retried for queries, a 2xx/4xx page is not', () => {
		const page = (httpStatus: number) => ({ kind: 'unreadable' as const, httpStatus });
		for (const status of [200, 404, 502, 503, 504]) {
			expect(decideRetry('submit', page(status), 1).retry).toBe(false);
			expect(submitOutcomeUnknown(page(status))).toBe(true);
		}
		for (const status of [502, 503, 504])
			expect(decideRetry('getResult', page(status), 1).retry).toBe(true);
		for (const status of [200, 404])
			expect(decideRetry('getResult', page(status), 1)).toEqual({
				retry: false,
				reason: expect.stringMatching(/not a Jimeng answer/),
			});
		expect(decideRetry('getResult', page(502), DEFAULT_RETRY_OPTIONS.maxAttempts).retry).toBe(
			false,
		);
	});

	it('gives up after maxAttempts, with capped exponential backoff and jitter', () => {
		expect(
			decideRetry('getResult', { kind: 'business', code: 50500 }, DEFAULT_RETRY_OPTIONS.maxAttempts)
				.retry,
		).toBe(false);
		const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) =>
			backoffDelay(attempt, DEFAULT_RETRY_OPTIONS, () => 1),
		);
		expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
		expect(backoffDelay(3, DEFAULT_RETRY_OPTIONS, () => 0)).toBe(2000);
	});
});
