import type { INode } from 'n8n-workflow';

import { explainBusinessCode, type CodeExplanation } from '../codes/businessCodes';
import { explainGatewayCode } from '../codes/gatewayCodes';
import { ApiError, type ApiErrorDetails } from '../../network/apiError';
import { type NetworkFailure } from '../../network/networkFailure';

export type JimengErrorKind =
	/** the business API answered a code other than 10000 */
	| 'business'
	/** the task itself failed (moderation etc.): the code came with Get Result */
	| 'task'
	/** the API gateway refused the request (ResponseMetadata.Error) */
	| 'gateway'
	/** no answer: connection refused, reset, timed out */
	| 'network'
	/** an answer this node cannot read (a proxy's HTML page, a truncated video…) */
	| 'response';

export interface JimengErrorDetails extends ApiErrorDetails {
	kind: JimengErrorKind;
	/** business code (number), gateway Code or network code (string) */
	code: number | string;
}

/** Every Jimeng failure the node reports (the vendor's codes explained in the message). */
export class JimengApiError extends ApiError<JimengErrorDetails> {}

function requestIdSuffix(requestId: string | undefined): string {
	return requestId ? ` (request_id ${requestId})` : '';
}

function compose(
	prefix: string,
	explanation: CodeExplanation,
	details: JimengErrorDetails,
): { message: string; description: string } {
	const message = `${prefix}: ${explanation.title}. ${explanation.meaning} ${explanation.action}${requestIdSuffix(details.requestId)}`;
	const parts = [];
	if (details.serviceMessage) parts.push(`Service message: "${details.serviceMessage}".`);
	if (details.taskId) parts.push(`Task id: ${details.taskId}.`);
	if (details.requestId) parts.push(`Quote request_id ${details.requestId} to Volcengine support.`);
	return { message, description: parts.join(' ') };
}

export function businessError(
	node: INode,
	input: {
		code: number;
		serviceMessage?: string;
		httpStatus?: number;
		requestId?: string;
		taskId?: string;
		kind?: 'business' | 'task';
	},
): JimengApiError {
	const explanation = explainBusinessCode(input.code, input.serviceMessage);
	const details: JimengErrorDetails = {
		kind: input.kind ?? 'business',
		code: input.code,
		httpStatus: input.httpStatus,
		requestId: input.requestId,
		retryable: explanation.retryable,
		taskId: input.taskId,
		serviceMessage: input.serviceMessage,
	};
	const prefix =
		input.kind === 'task'
			? `Jimeng task ${input.taskId} failed with code ${input.code}`
			: `Jimeng API error ${input.code}`;
	const { message, description } = compose(prefix, explanation, details);
	return new JimengApiError(node, details, message, description);
}

export function gatewayError(
	node: INode,
	input: {
		code: string;
		codeN?: number;
		serviceMessage?: string;
		httpStatus: number;
		requestId?: string;
	},
): JimengApiError {
	const explanation = explainGatewayCode(input.code, input.serviceMessage);
	const details: JimengErrorDetails = {
		kind: 'gateway',
		code: input.code,
		httpStatus: input.httpStatus,
		requestId: input.requestId,
		retryable: explanation.retryable,
		serviceMessage: input.serviceMessage,
	};
	const codeN = input.codeN ?? explanation.codeN;
	const { message, description } = compose(
		`Volcengine gateway refused the request: ${input.code}${codeN ? ` (${codeN})` : ''}`,
		explanation,
		details,
	);
	return new JimengApiError(node, details, message, description);
}

/**
 * A submit whose outcome is unknown (the request was sent, no proof came back that it was refused):
 * Jimeng may have created the task and may charge for it. It is never sent again; the error says
 * when it was sent, so the task can be found in the console.
 */
export function unknownOutcomeError(
	node: INode,
	input: {
		kind: 'network' | 'gateway' | 'response';
		/** what happened, as the start of a sentence: "The connection broke", "The gateway answered …" */
		cause: string;
		code: string | number;
		sentAt: Date;
		httpStatus?: number;
		requestId?: string;
		description: string;
		/** appended advice, e.g. to check the Base URL when the answer did not come from Jimeng */
		advice?: string;
	},
): JimengApiError {
	const submittedAt = input.sentAt.toISOString();
	const details: JimengErrorDetails = {
		kind: input.kind,
		code: input.code,
		httpStatus: input.httpStatus,
		requestId: input.requestId,
		retryable: false,
		taskMayExist: true,
		submittedAt,
	};
	const message =
		`${input.cause} after the submit request was sent at ${submittedAt}, so Jimeng may have created the task (and may charge for it). It was NOT submitted again, to avoid paying twice. ` +
		'Before retrying, check the Volcengine console (Jimeng AI → tasks and usage) for a task created at that time, or wait and see whether a video is billed.' +
		(input.advice ? ` ${input.advice}` : '') +
		requestIdSuffix(input.requestId);
	return new JimengApiError(node, details, message, input.description);
}

// Socket error codes are kept out of `message`: n8n replaces any message that contains one with
// its own generic text, which would hide whether a task may exist.
export function networkError(
	node: INode,
	input: {
		failure: NetworkFailure;
		call: string;
		attempts: number;
		taskMayExist: boolean;
		sentAt?: Date;
	},
): JimengApiError {
	const description = `Network error ${input.failure.code}: ${input.failure.detail}`;
	if (input.taskMayExist) {
		return unknownOutcomeError(node, {
			kind: 'network',
			cause: 'The connection broke',
			code: input.failure.code,
			sentAt: input.sentAt ?? new Date(),
			description,
		});
	}
	const details: JimengErrorDetails = {
		kind: 'network',
		code: input.failure.code,
		retryable: true,
		taskMayExist: false,
	};
	const message = `Could not reach the Jimeng API for ${input.call} after ${input.attempts} attempt${input.attempts === 1 ? '' : 's'}. Check the network and the Base URL of the credential.`;
	return new JimengApiError(node, details, message, description);
}

export function responseError(
	node: INode,
	input: {
		what: string;
		httpStatus?: number;
		snippet?: string;
		requestId?: string;
		taskId?: string;
		retryable?: boolean;
	},
): JimengApiError {
	const details: JimengErrorDetails = {
		kind: 'response',
		code: input.httpStatus === undefined ? 'UNREADABLE_RESPONSE' : `HTTP_${input.httpStatus}`,
		httpStatus: input.httpStatus,
		requestId: input.requestId,
		retryable: input.retryable ?? false,
		taskId: input.taskId,
	};
	const message = `${input.what}${requestIdSuffix(input.requestId)}`;
	const description = input.snippet ? `Answer received: ${input.snippet}` : '';
	return new JimengApiError(node, details, message, description);
}
