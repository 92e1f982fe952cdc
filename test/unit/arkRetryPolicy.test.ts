/**
 * Where Ark retries are decided, and how answers are judged: a create is repeated only after an
 * answer proving no task exists; everything else after sending is an unknown outcome.
 */
import type { INode } from 'n8n-workflow';

import { judgeArkAnswer, judgeNetworkFailure } from '../../nodes/shared/ark/transport/answers';
import {
	DEFAULT_ARK_RETRY,
	arkBackoffDelay,
	createOutcome,
	decideArkRetry,
	type ArkAttemptFailure,
} from '../../nodes/shared/ark/transport/retryPolicy';
import { explainArkCode, isQueueCapMessage } from '../../nodes/shared/ark/codes/errorCodes';

const NODE = {
	id: 'n',
	name: 'Seedance',
	type: 'test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
} as INode;
const envelope = (code: string, httpStatus: number, message = ''): ArkAttemptFailure => ({
	kind: 'envelope',
	code,
	httpStatus,
	message,
});
const network = (code: string, phase: 'before-send' | 'unknown'): ArkAttemptFailure => ({
	kind: 'network',
	failure: { code, phase, detail: code },
});

describe('Ark retry policy: create', () => {
	it.each<[string, ArkAttemptFailure]>([
		['a rate limit', envelope('ModelAccountRpmRateLimitExceeded', 429)],
		['an endpoint RPM limit', envelope('RateLimitExceeded.EndpointRPMExceeded', 429)],
		['an overload', envelope('ServerOverloaded', 429)],
		[
			'a full queue (QuotaExceeded naming the queue)',
			envelope('QuotaExceeded', 429, '当前账号处于排队中状态的任务数已超过限制'),
		],
		['an unknown 429 code', envelope('SomethingNew', 429)],
		['a connection refused', network('ECONNREFUSED', 'before-send')],
		['a DNS failure', network('ENOTFOUND', 'before-send')],
	])('repeats after %s: it proves no task exists', (_name, failure) => {
		expect(createOutcome(failure)).toBe('refused');
		expect(decideArkRetry('create', failure, 1, DEFAULT_ARK_RETRY, () => 0.5)).toEqual({
			retry: true,
			delayMs: 750,
		});
	});

	it.each<[string, ArkAttemptFailure]>([
		['InternalServiceError in Ark envelope (500)', envelope('InternalServiceError', 500)],
		['a 503 envelope', envelope('ServiceUnavailable', 503)],
		['a gateway HTML page', { kind: 'unreadable', httpStatus: 502 }],
		['a cut-off 200', { kind: 'unreadable', httpStatus: 200 }],
		['a redirect', { kind: 'unreadable', httpStatus: 302 }],
		['a 200 without an id', { kind: 'noId', httpStatus: 200 }],
		['a reset', network('ECONNRESET', 'unknown')],
		['a timeout', network('ETIMEDOUT', 'unknown')],
		['an HTTP parser error', network('HPE_INVALID_STATUS', 'unknown')],
	])('never repeats after %s: the outcome is unknown', (_name, failure) => {
		expect(createOutcome(failure)).toBe('unknown');
		expect(decideArkRetry('create', failure, 1)).toEqual({
			retry: false,
			reason: expect.stringMatching(/second, billed task/),
		});
	});

	it.each<[string, ArkAttemptFailure]>([
		['InvalidParameter', envelope('InvalidParameter', 400)],
		['AuthenticationError', envelope('AuthenticationError', 401)],
		['SetLimitExceeded', envelope('SetLimitExceeded', 429)],
		['a used-up quota', envelope('QuotaExceeded', 429, 'free quota exhausted')],
		['input moderation', envelope('InputTextSensitiveContentDetected', 400)],
	])(
		'does not repeat %s: a refusal that proves no task, but an answer, not an accident',
		(_name, failure) => {
			expect(createOutcome(failure)).toBe('refused');
			expect(decideArkRetry('create', failure, 1).retry).toBe(false);
		},
	);

	it('gives up after maxAttempts', () => {
		const failure = envelope('ServerOverloaded', 429);
		expect(decideArkRetry('create', failure, 5).retry).toBe(true);
		expect(decideArkRetry('create', failure, 6)).toEqual({
			retry: false,
			reason: 'gave up after 6 attempts',
		});
	});
});

describe('Ark retry policy: get, list, delete', () => {
	it.each<[ArkAttemptFailure, boolean]>([
		[envelope('InternalServiceError', 500), true],
		[{ kind: 'unreadable', httpStatus: 504 }, true],
		[network('ECONNRESET', 'unknown'), true],
		[envelope('AccountRateLimitExceeded', 429), true],
		[envelope('ResourceNotFound', 404), false],
		[{ kind: 'unreadable', httpStatus: 404 }, false],
	])('%j → retry %s', (failure, retry) => {
		for (const call of ['get', 'list', 'delete'] as const)
			expect(decideArkRetry(call, failure, 1).retry).toBe(retry);
	});
});

describe('Ark backoff', () => {
	it('doubles from the base, jittered between half and all of it, capped', () => {
		const options = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 30_000 };
		expect([1, 2, 3].map((attempt) => arkBackoffDelay(attempt, options, () => 0))).toEqual([
			500, 1000, 2000,
		]);
		expect([1, 2, 3].map((attempt) => arkBackoffDelay(attempt, options, () => 1))).toEqual([
			1000, 2000, 4000,
		]);
		expect(arkBackoffDelay(9, options, () => 1)).toBe(30_000);
	});
});

describe('judging answers', () => {
	const answer = (httpStatus: number, body: unknown, contentType = 'application/json') => ({
		kind: 'answer' as const,
		httpStatus,
		body,
		contentType,
	});

	it('a task id from create, a task from get, a list', () => {
		expect(judgeArkAnswer(NODE, 'create', answer(200, { id: 'cgt-1' }))).toEqual({
			answer: { httpStatus: 200, body: { id: 'cgt-1' }, requestId: undefined },
		});
		expect(
			'answer' in judgeArkAnswer(NODE, 'get', answer(200, '{"id":"cgt-1","status":"queued"}')),
		).toBe(true);
		expect('answer' in judgeArkAnswer(NODE, 'list', answer(200, { items: [], total: 0 }))).toBe(
			true,
		);
		expect('answer' in judgeArkAnswer(NODE, 'delete', answer(200, ''))).toBe(true);
	});

	it("a failed task read back (HTTP 200 with the task's own error) is the task, not an envelope", () => {
		const failed = {
			id: 'cgt-1',
			status: 'failed',
			error: { code: 'OutputVideoSensitiveContentDetected', message: 'refused' },
		};
		expect(judgeArkAnswer(NODE, 'get', answer(200, failed))).toEqual({
			answer: { httpStatus: 200, body: failed, requestId: undefined },
		});
		// The same shape with an error status stays Ark's refusal.
		expect('error' in judgeArkAnswer(NODE, 'get', answer(404, { error: failed.error }))).toBe(true);
	});

	it("Ark's envelope: code, parameter, request id from the message, explained", () => {
		const judged = judgeArkAnswer(
			NODE,
			'create',
			answer(400, {
				error: {
					code: 'InvalidParameter.Resolution',
					message: 'bad resolution. Request id: 0217abc',
					param: 'resolution',
					type: 'BadRequest',
				},
			}),
		);
		if ('answer' in judged) throw new Error('expected an error');
		expect(judged.failure).toEqual({
			kind: 'envelope',
			code: 'InvalidParameter.Resolution',
			httpStatus: 400,
			message: 'bad resolution. Request id: 0217abc',
			param: 'resolution',
		});
		expect(judged.error.details).toMatchObject({
			code: 'InvalidParameter.Resolution',
			requestId: '0217abc',
			param: 'resolution',
			retryable: false,
		});
		expect(judged.error.message).toMatch(
			/^Ark refused the request: InvalidParameter\.Resolution \(HTTP 400\)\. Invalid parameter/,
		);
	});

	it('an HTML page, a cut-off body, a redirect: not Ark answers', () => {
		for (const [status, body, type] of [
			[502, '<html>Bad Gateway</html>', 'text/html'],
			[200, '{"id":"cgt-', 'application/json'],
			[302, '', ''],
		] as const) {
			const judged = judgeArkAnswer(NODE, 'create', answer(status, body, type));
			if ('answer' in judged) throw new Error('expected an error');
			expect(judged.failure).toEqual({ kind: 'unreadable', httpStatus: status });
			expect(judged.cause).toMatch(/^The answer was not Ark's \(HTTP \d+/);
		}
	});

	it('a bearer token echoed by a proxy page is hidden in the error', () => {
		const judged = judgeArkAnswer(
			NODE,
			'get',
			answer(500, '<pre>Authorization: Bearer sk-secret-123</pre>', 'text/html'),
		);
		if ('answer' in judged) throw new Error('expected an error');
		expect(judged.error.description).toContain('Bearer ***');
		expect(JSON.stringify(judged.error)).not.toContain('sk-secret-123');
	});

	it('a network failure keeps the socket code out of the message', () => {
		const judged = judgeNetworkFailure(
			NODE,
			'get',
			{ code: 'ECONNRESET', phase: 'unknown', detail: 'socket hang up' },
			3,
		);
		if ('answer' in judged) throw new Error('expected an error');
		expect(judged.error.message).not.toContain('ECONNRESET');
		expect(judged.error.description).toContain('ECONNRESET');
	});
});

describe('Ark error codes', () => {
	it('explains suffixed codes by their prefix, and unknown codes generically', () => {
		expect(explainArkCode('InvalidParameter.Ratio').title).toBe('Invalid parameter');
		expect(explainArkCode('OperationDenied.ServiceNotOpen').title).toBe(
			'Model service not activated',
		);
		expect(explainArkCode('NoSuchCode').retryable).toBe(false);
		expect(explainArkCode('OutputVideoSensitiveContentDetected').retryable).toBe(true);
	});

	it('a batch waits out the queued-task cap itself: retryQueueCap off leaves it to the caller', () => {
		const full = envelope('QuotaExceeded', 429, 'Too many queued tasks');
		const noRetry = { ...DEFAULT_ARK_RETRY, retryQueueCap: false };
		expect(decideArkRetry('create', full, 1, noRetry)).toMatchObject({ retry: false });
		// Other throttles are still retried.
		expect(
			decideArkRetry('create', envelope('ServerOverloaded', 429), 1, noRetry, () => 0.5),
		).toEqual({ retry: true, delayMs: 750 });
	});

	it('tells the queued-task cap from a used-up quota by its message', () => {
		expect(isQueueCapMessage('当前账号处于排队中状态的任务数已超过限制')).toBe(true);
		expect(isQueueCapMessage('Too many queued tasks')).toBe(true);
		expect(isQueueCapMessage('free quota exhausted')).toBe(false);
	});
});
