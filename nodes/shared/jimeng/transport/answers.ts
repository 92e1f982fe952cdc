/**
 * What an answer means: Jimeng's envelope, the Volcengine gateway's refusal, or something else (a
 * proxy's HTML page, a cut-off body), judged into a usable answer or an error plus what the retry
 * policy (retryPolicy.ts) needs to decide. Pure: no HTTP here.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import {
	SUBMIT_OUTCOME_UNKNOWN_CODES,
	SUCCESS_CODE,
	explainBusinessCode,
} from '../codes/businessCodes';
import { type NetworkFailure } from '../../network/networkFailure';
import {
	JimengApiError,
	businessError,
	gatewayError,
	networkError,
	responseError,
	unknownOutcomeError,
} from './JimengApiError';
import { submitOutcomeUnknown, type AttemptFailure, type CallKind } from './retryPolicy';

/** Codes that Get Result answers for a task that finished badly (as opposed to a bad call). */
function isTaskFailureCode(code: number): boolean {
	return (code >= 50411 && code <= 50413) || (code >= 50511 && code <= 50522);
}

export type RawOutcome =
	| { kind: 'answer'; httpStatus: number; body: unknown; contentType: string }
	| { kind: 'network'; failure: NetworkFailure }
	| { kind: 'cancelled' }
	/** the request was never made: the credential refused to sign (an empty field…) */
	| { kind: 'local'; message: string; description: string };

export interface ParsedAnswer {
	code: number;
	data: IDataObject | null;
	message: string;
	requestId: string;
	httpStatus: number;
	/** when the attempt that got this answer was sent */
	sentAt?: Date;
}

export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

export function snippetOf(body: unknown): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	return (text ?? '').slice(0, 300);
}

/** An answer that is neither Jimeng's envelope nor the gateway's: a proxy's HTML page, a cut-off body. */
interface UnreadableAnswer {
	unreadable: true;
	httpStatus: number;
	contentType: string;
	snippet: string;
}

function readAnswer(
	node: INode,
	outcome: { httpStatus: number; body: unknown; contentType: string },
): ParsedAnswer | { gateway: JimengApiError } | UnreadableAnswer {
	const body = outcome.body as IDataObject | null;
	const metadata = (body && typeof body === 'object' ? body.ResponseMetadata : undefined) as
		| IDataObject
		| undefined;
	const gateway = metadata?.Error as IDataObject | undefined;
	if (gateway && typeof gateway === 'object') {
		return {
			gateway: gatewayError(node, {
				code: String(gateway.Code ?? 'UnknownError'),
				codeN: typeof gateway.CodeN === 'number' ? gateway.CodeN : undefined,
				serviceMessage: typeof gateway.Message === 'string' ? gateway.Message : undefined,
				httpStatus: outcome.httpStatus,
				requestId: typeof metadata?.RequestId === 'string' ? metadata.RequestId : undefined,
			}),
		};
	}
	if (!body || typeof body !== 'object' || typeof body.code !== 'number') {
		return {
			unreadable: true,
			httpStatus: outcome.httpStatus,
			contentType: outcome.contentType,
			snippet: snippetOf(outcome.body),
		};
	}
	return {
		code: body.code,
		data: body.data && typeof body.data === 'object' ? (body.data as IDataObject) : null,
		message: typeof body.message === 'string' ? body.message : '',
		requestId: typeof body.request_id === 'string' ? body.request_id : '',
		httpStatus: outcome.httpStatus,
	};
}

const CHECK_BASE_URL = 'Check the Base URL of the credential (a proxy or a wrong host?).';

function describeUnreadable(answer: UnreadableAnswer): string {
	return `HTTP ${answer.httpStatus}${answer.contentType ? `, ${answer.contentType.split(';')[0]}` : ''}`;
}

/** The error of an answer that is not Jimeng's; a submit's outcome is then unknown. */
function unreadableError(
	node: INode,
	call: Exclude<CallKind, 'download'>,
	answer: UnreadableAnswer,
	sentAt: Date,
	taskId?: string,
): JimengApiError {
	if (call === 'submit') {
		return unknownOutcomeError(node, {
			kind: 'response',
			cause: `The answer was not a Jimeng answer (${describeUnreadable(answer)})`,
			code: `HTTP_${answer.httpStatus}`,
			httpStatus: answer.httpStatus,
			sentAt,
			description: `Answer received: ${answer.snippet}`,
			advice:
				answer.httpStatus >= 500
					? 'A load balancer or proxy between n8n and Jimeng failed.'
					: CHECK_BASE_URL,
		});
	}
	return responseError(node, {
		what:
			answer.httpStatus >= 500
				? `The Jimeng API kept answering with an error page (${describeUnreadable(answer)}) instead of a Jimeng answer. ${CHECK_BASE_URL.replace('Check', 'Try again later, and check')}`
				: `The Jimeng API answered ${describeUnreadable(answer)} with something that is not a Jimeng answer. ${CHECK_BASE_URL}`,
		httpStatus: answer.httpStatus,
		snippet: answer.snippet,
		taskId,
		retryable: answer.httpStatus >= 500,
	});
}

/** One attempt judged: a usable answer, or the error it gives and what the retry policy needs to know. */
export type Judged = { answer: ParsedAnswer } | { error: JimengApiError; failure: AttemptFailure };

export interface AttemptInfo {
	call: Exclude<CallKind, 'download'>;
	action: string;
	attempt: number;
	sentAt: Date;
	taskId?: string;
}

export function judgeNetworkFailure(
	node: INode,
	failure: NetworkFailure,
	info: AttemptInfo,
): Judged {
	// A submit whose request may have left the machine may have created a task.
	const taskMayExist = info.call === 'submit' && failure.phase !== 'before-send';
	const error = networkError(node, {
		failure,
		call: info.action,
		attempts: info.attempt,
		taskMayExist,
		sentAt: info.sentAt,
	});
	return { error, failure: { kind: 'network', failure } };
}

function judgeGatewayRefusal(
	node: INode,
	gateway: JimengApiError,
	httpStatus: number,
	info: AttemptInfo,
): Judged {
	const failure = { kind: 'gateway' as const, code: String(gateway.details.code), httpStatus };
	if (info.call !== 'submit' || !submitOutcomeUnknown(failure)) return { error: gateway, failure };
	const error = unknownOutcomeError(node, {
		kind: 'gateway',
		cause: `The Volcengine gateway answered ${failure.code} (HTTP ${failure.httpStatus})`,
		code: failure.code,
		httpStatus: failure.httpStatus,
		requestId: gateway.details.requestId,
		sentAt: info.sentAt,
		description: gateway.message,
	});
	return { error, failure };
}

export function judgeAnswer(
	node: INode,
	outcome: Extract<RawOutcome, { kind: 'answer' }>,
	info: AttemptInfo,
): Judged {
	const answer = readAnswer(node, outcome);
	if ('unreadable' in answer) {
		return {
			error: unreadableError(node, info.call, answer, info.sentAt, info.taskId),
			failure: { kind: 'unreadable', httpStatus: answer.httpStatus },
		};
	}
	if ('gateway' in answer)
		return judgeGatewayRefusal(node, answer.gateway, outcome.httpStatus, info);
	if (
		answer.code === SUCCESS_CODE ||
		(info.call === 'getResult' && isTaskFailureCode(answer.code))
	) {
		return { answer: { ...answer, sentAt: info.sentAt } };
	}
	const failure = { kind: 'business' as const, code: answer.code };
	const refusal = businessError(node, {
		code: answer.code,
		serviceMessage: answer.message,
		httpStatus: answer.httpStatus,
		requestId: answer.requestId,
		taskId: info.taskId,
	});
	if (info.call === 'submit' && SUBMIT_OUTCOME_UNKNOWN_CODES.has(answer.code)) {
		// An internal error proves only that something failed, not that no task was created.
		const error = unknownOutcomeError(node, {
			kind: 'response',
			cause: `Jimeng answered ${answer.code} (${explainBusinessCode(answer.code).title})`,
			code: answer.code,
			httpStatus: answer.httpStatus,
			requestId: answer.requestId,
			sentAt: info.sentAt,
			description: refusal.description ?? '',
		});
		return { error, failure };
	}
	return { error: refusal, failure };
}
