/**
 * The transport's rule for a submit, with n8n's request helper stood in by a function: only a failure
 * that proves nothing left the machine means "not sent"; anything after the request was handed to the
 * HTTP client — a cancel, bytes that are not HTTP, an unexpected exception — is "a task may exist".
 */
import { sleep, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { callApi } from '../../nodes/shared/jimeng/transport/callApi';
import { JimengApiError } from '../../nodes/shared/jimeng/transport/JimengApiError';
import { classifyTransportFailure } from '../../nodes/shared/network/networkFailure';

const NODE: INode = {
	id: 'n1',
	name: 'Jimeng Video',
	type: 'jimengVideo',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** An execute context whose signed request is `send`; `signal` is the execution's cancel signal. */
function context(
	send: (options: {
		abortSignal?: AbortSignal;
		disableFollowRedirect?: boolean;
	}) => Promise<unknown>,
	signal = new AbortController().signal,
): IExecuteFunctions {
	return {
		getNode: () => NODE,
		getExecutionCancelSignal: () => signal,
		getCredentials: async () => ({ baseUrl: 'https://visual.volcengineapi.com' }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: never) => await send(options),
		},
	} as unknown as IExecuteFunctions;
}

async function failureOf(
	call: 'submit' | 'getResult',
	ctx: IExecuteFunctions,
): Promise<JimengApiError> {
	try {
		await callApi(
			ctx,
			call,
			'CVSync2AsyncSubmitTask',
			{ req_key: 'x' },
			{ retry: { maxAttempts: 1 } },
		);
	} catch (error) {
		return error as JimengApiError;
	}
	throw new Error('callApi did not fail');
}

describe('what a failed call means', () => {
	it('a cancel while the submit is out: the task may exist, with when it was sent', async () => {
		const controller = new AbortController();
		const ctx = context(async ({ abortSignal }) => {
			await sleep(20);
			controller.abort();
			throw Object.assign(new Error('canceled'), {
				code: 'ERR_CANCELED',
				cause: abortSignal?.reason,
			});
		}, controller.signal);
		const error = await failureOf('submit', ctx);
		expect(error.details).toMatchObject({
			code: 'CANCELLED',
			taskMayExist: true,
			retryable: false,
		});
		expect(error.message).toMatch(
			/^The execution was cancelled while the submit was in flight after the submit request was sent at \d{4}-/,
		);
		// A query cancelled the same way is just cancelled: nothing is paid for a query.
		const controller2 = new AbortController();
		const query = await failureOf(
			'getResult',
			context(async () => {
				controller2.abort();
				throw new Error('canceled');
			}, controller2.signal),
		);
		expect(query.details).toMatchObject({ code: 'CANCELLED', retryable: false });
		expect(query.details.taskMayExist).toBeUndefined();
	});

	it.each([
		[
			'a parse error on bytes that are not HTTP',
			Object.assign(new Error('Parse Error: Invalid header value char'), {
				code: 'HPE_INVALID_HEADER_TOKEN',
			}),
			'HPE_INVALID_HEADER_TOKEN',
		],
		[
			'an exception without a code',
			new TypeError('Cannot read properties of undefined'),
			'TRANSPORT_ERROR',
		],
		['a reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ECONNRESET'],
	])('%s after sending: a submit says a task may exist', async (_, thrown, code) => {
		const error = await failureOf(
			'submit',
			context(async () => Promise.reject(thrown)),
		);
		expect(error.details).toMatchObject({ code, taskMayExist: true, retryable: false });
	});

	it.each([
		['connection refused', 'ECONNREFUSED'],
		['a name that does not resolve', 'ENOTFOUND'],
		['a certificate that does not verify', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
	])('%s: nothing left the machine, no task can exist', async (_, code) => {
		const thrown = Object.assign(new Error(code), { code });
		const error = await failureOf(
			'submit',
			context(async () => Promise.reject(thrown)),
		);
		expect(error.details).toMatchObject({ code, taskMayExist: false, retryable: true });
	});

	it("the credential's own refusal: not sent", async () => {
		class VolcengineCredentialError extends Error {
			name = 'VolcengineCredentialError';
		}
		const refusal = new Error('wrapped', {
			cause: new VolcengineCredentialError('Access Key ID is empty'),
		});
		const error = await failureOf(
			'submit',
			context(async () => Promise.reject(refusal)),
		);
		expect(error.details).toMatchObject({ code: 'REQUEST_NOT_SENT', retryable: false });
		expect(error.details.taskMayExist).toBeUndefined();
	});

	it('asks n8n not to follow redirects on signed calls', async () => {
		let seen: { disableFollowRedirect?: boolean } = {};
		await failureOf(
			'getResult',
			context(async (options) => {
				seen = options;
				throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
			}),
		).catch(() => undefined);
		expect(seen.disableFollowRedirect).toBe(true);
	});

	it('classifies what it cannot place as "phase unknown", and only the listed codes as "before sending"', () => {
		expect(classifyTransportFailure(new Error('x'))).toEqual({
			code: 'TRANSPORT_ERROR',
			phase: 'unknown',
			detail: 'x',
		});
		expect(
			classifyTransportFailure(Object.assign(new Error('y'), { code: 'EAI_AGAIN' })).phase,
		).toBe('before-send');
	});
});
