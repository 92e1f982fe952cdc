/**
 * What one attempt's outcome means: a usable Ark answer, Ark's JSON error envelope, something that is
 * not Ark's (a gateway's HTML page, a cut-off body, a redirect), or no answer at all — judged into an
 * answer, or an error plus what the retry policy needs. Pure: no HTTP here.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { NetworkFailure } from '../../network/networkFailure';
import { ArkApiError, envelopeError, redactSecrets, responseError } from './ArkApiError';
import type { ArkAttemptFailure, ArkCallKind } from './retryPolicy';

export type ArkRawOutcome =
	| {
			kind: 'answer';
			httpStatus: number;
			body: unknown;
			contentType: string;
			/** the X-Request-Id header */
			requestId?: string;
			location?: string;
	  }
	| { kind: 'network'; failure: NetworkFailure }
	| { kind: 'cancelled' }
	/** the request was never made: the credential refused to build it */
	| { kind: 'local'; message: string; description: string };

export interface ArkAnswer {
	httpStatus: number;
	body: IDataObject;
	requestId?: string;
}

export type ArkJudged =
	| { answer: ArkAnswer }
	| {
			error: ArkApiError;
			failure: ArkAttemptFailure;
			/** the start of a sentence for an unknown create outcome: "Ark answered …" */
			cause: string;
	  };

export function parseArkBody(body: unknown): unknown {
	if (typeof body !== 'string')
		return Buffer.isBuffer(body) ? parseArkBody(body.toString('utf8')) : body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

export function snippetOf(body: unknown): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	return redactSecrets((text ?? '').slice(0, 300));
}

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{"error":{"code":…}}`: Ark's own error answer. */
function readEnvelope(
	body: unknown,
): { code: string; message?: string; param?: string } | undefined {
	if (!isObject(body) || !isObject(body.error) || typeof body.error.code !== 'string')
		return undefined;
	const { code, message, param } = body.error;
	return {
		code,
		message: typeof message === 'string' ? message : undefined,
		param: typeof param === 'string' ? param : undefined,
	};
}

/** Ark ends messages with "Request id: …" (or "Request ID: …"); the header is preferred. */
function requestIdOf(outcome: { requestId?: string }, message?: string): string | undefined {
	return outcome.requestId || /Request id:\s*([\w-]+)/i.exec(message ?? '')?.[1];
}

/** The shape each call's success answer must have. */
function expectedShape(call: ArkCallKind, body: unknown): body is IDataObject {
	if (call === 'delete')
		return body === '' || body === undefined || body === null || isObject(body);
	if (!isObject(body)) return false;
	if (call === 'list') return Array.isArray(body.items);
	if (call === 'get') return typeof body.id === 'string' && typeof body.status === 'string';
	return true;
}

function describeAnswer(outcome: {
	httpStatus: number;
	contentType: string;
	location?: string;
}): string {
	const type = outcome.contentType ? `, ${outcome.contentType.split(';')[0]}` : '';
	const redirect = outcome.location ? `, a redirect to ${outcome.location}` : '';
	return `HTTP ${outcome.httpStatus}${type}${redirect}`;
}

export function judgeArkAnswer(
	node: INode,
	call: ArkCallKind,
	outcome: Extract<ArkRawOutcome, { kind: 'answer' }>,
	taskId?: string,
): ArkJudged {
	const body = parseArkBody(outcome.body);
	const ok = outcome.httpStatus >= 200 && outcome.httpStatus < 300;
	// A failed task answers 2xx with its own `error` ({code, message}): a task, not a refusal.
	const isTask = ok && isObject(body) && typeof body.id === 'string';
	const envelope = isTask ? undefined : readEnvelope(body);
	if (envelope) {
		const requestId = requestIdOf(outcome, envelope.message);
		const error = envelopeError(node, {
			...envelope,
			httpStatus: outcome.httpStatus,
			requestId,
			taskId,
		});
		const failure = { kind: 'envelope' as const, ...envelope, httpStatus: outcome.httpStatus };
		return { error, failure, cause: `Ark answered ${envelope.code} (HTTP ${outcome.httpStatus})` };
	}
	if (ok && call === 'create' && isObject(body) && (typeof body.id !== 'string' || !body.id)) {
		const error = responseError(node, {
			what: 'Ark accepted the create but its answer has no task id',
			httpStatus: outcome.httpStatus,
			snippet: snippetOf(body),
			requestId: outcome.requestId,
		});
		return {
			error,
			failure: { kind: 'noId', httpStatus: outcome.httpStatus },
			cause: 'Ark answered without a task id',
		};
	}
	if (ok && expectedShape(call, body)) {
		return {
			answer: {
				httpStatus: outcome.httpStatus,
				body: isObject(body) ? body : {},
				requestId: outcome.requestId,
			},
		};
	}
	const what = describeAnswer(outcome);
	const advice =
		outcome.httpStatus >= 500
			? 'A gateway or proxy between n8n and Ark failed.'
			: 'Check the Base URL of the Volcengine Ark API credential (it must end in /api/v3; a proxy or a redirect?).';
	const error = responseError(node, {
		what: `The answer to ${call} was not an Ark answer (${what}). ${advice}`,
		httpStatus: outcome.httpStatus,
		snippet: snippetOf(body),
		requestId: outcome.requestId,
		taskId,
		retryable: outcome.httpStatus >= 500,
	});
	return {
		error,
		failure: { kind: 'unreadable', httpStatus: outcome.httpStatus },
		cause: `The answer was not Ark's (${what})`,
	};
}

/** A network failure as an error (the transport adds the unknown-outcome wording for a create). */
export function judgeNetworkFailure(
	node: INode,
	call: ArkCallKind,
	failure: NetworkFailure,
	attempts: number,
): ArkJudged {
	const error = new ArkApiError(
		node,
		{ kind: 'network', code: failure.code, retryable: true, taskMayExist: false },
		`Could not reach Ark for ${call} after ${attempts} attempt${attempts === 1 ? '' : 's'}. Check the network and the Base URL of the Volcengine Ark API credential.`,
		// Socket codes stay out of `message`: n8n replaces such messages with its own generic text.
		`Network error ${failure.code}: ${redactSecrets(failure.detail)}`,
	);
	return {
		error,
		failure: { kind: 'network', failure },
		cause: `The connection broke (${failure.code})`,
	};
}
