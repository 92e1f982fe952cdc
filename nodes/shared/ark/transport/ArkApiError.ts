/**
 * Every Ark failure the nodes report: a NodeApiError (n8n shows it with its HTTP context and
 * `new NodeApiError(node, thisError)` returns it unchanged) whose `details` keep what error items,
 * the batch logic and the ledger need. Messages never carry the API key: Ark does not echo it, and
 * answer snippets pass through `redactSecrets`.
 */
import type { INode } from 'n8n-workflow';

import { ApiError, type ApiErrorDetails } from '../../network/apiError';
import { explainArkCode, isQueueCapMessage } from '../codes/errorCodes';

export type ArkErrorKind =
	/** Ark answered with its JSON error envelope */
	| 'api'
	/** the task itself failed (its `error`), or is gone */
	| 'task'
	/** no answer: refused, reset, timed out, cancelled */
	| 'network'
	/** an answer that is not Ark's: an HTML page, a cut-off body, a redirect */
	| 'response'
	/** the request was never made (the credential refused to build it) */
	| 'local';

export interface ArkErrorDetails extends ApiErrorDetails {
	kind: ArkErrorKind;
	/** Ark's error code, a network code, or HTTP_<status> */
	code: string;
	/** the parameter Ark named (`error.param`) */
	param?: string;
}

/** Every Ark failure the nodes report. Messages never carry the API key (see redactSecrets). */
export class ArkApiError extends ApiError<ArkErrorDetails> {}

/** Hides a bearer token wherever an answer echoes one (a debugging proxy's page, say). */
export function redactSecrets(text: string): string {
	return text.replace(/(Bearer\s+)[^\s"'<>,;]+/gi, '$1***');
}

export function requestIdSuffix(requestId: string | undefined): string {
	return requestId ? ` (request id ${requestId})` : '';
}

/** Ark's JSON error envelope as an error, explained from the codes table. */
export function envelopeError(
	node: INode,
	input: {
		code: string;
		message?: string;
		param?: string;
		httpStatus: number;
		requestId?: string;
		taskId?: string;
		kind?: 'api' | 'task';
	},
): ArkApiError {
	const explanation = explainArkCode(input.code);
	const prefix =
		input.kind === 'task'
			? `Ark task ${input.taskId} failed: ${input.code}`
			: `Ark refused the request: ${input.code} (HTTP ${input.httpStatus})`;
	const message = `${prefix}. ${explanation.title}: ${explanation.meaning} ${explanation.action}${requestIdSuffix(input.requestId)}`;
	const parts: string[] = [];
	if (input.message) parts.push(`Ark's message: "${redactSecrets(input.message)}".`);
	if (input.param) parts.push(`Parameter: ${input.param}.`);
	if (input.taskId) parts.push(`Task id: ${input.taskId}.`);
	return new ArkApiError(
		node,
		{
			kind: input.kind ?? 'api',
			code: input.code,
			httpStatus: input.kind === 'task' ? undefined : input.httpStatus,
			requestId: input.requestId,
			retryable: explanation.retryable,
			taskId: input.taskId,
			serviceMessage: input.message,
			param: input.param || undefined,
		},
		message,
		parts.join(' '),
	);
}

/**
 * A create whose outcome is unknown and that listing did not settle: Ark may have created the task
 * (and may bill it). It was not sent again; the error says when it was sent and what it asked for.
 */
export function unknownOutcomeError(
	node: INode,
	input: {
		cause: string;
		code: string;
		kind: ArkErrorKind;
		sentAt: Date;
		request: Record<string, unknown>;
		httpStatus?: number;
		requestId?: string;
		description: string;
		/** what listing found (or why it could not look) */
		listing: string;
	},
): ArkApiError {
	const submittedAt = input.sentAt.toISOString();
	const seed = input.request.seed === undefined ? '' : `, seed ${String(input.request.seed)}`;
	const message =
		`${input.cause} after the create request was sent at ${submittedAt}, so Ark may have created the task (and may bill it). It was NOT sent again, to avoid paying twice. ${input.listing} ` +
		`Before running again, look in the Ark console (video generation tasks) for a ${String(input.request.model)} task created at that time${seed}.${requestIdSuffix(input.requestId)}`;
	return new ArkApiError(
		node,
		{
			kind: input.kind,
			code: input.code,
			httpStatus: input.httpStatus,
			requestId: input.requestId,
			retryable: false,
			taskMayExist: true,
			submittedAt,
			request: input.request,
		},
		message,
		input.description,
	);
}

/** An answer that is not Ark's (or not the shape a call expects). */
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
): ArkApiError {
	return new ArkApiError(
		node,
		{
			kind: 'response',
			code: input.httpStatus === undefined ? 'UNREADABLE_RESPONSE' : `HTTP_${input.httpStatus}`,
			httpStatus: input.httpStatus,
			requestId: input.requestId,
			retryable: input.retryable ?? false,
			taskId: input.taskId,
		},
		`${input.what}${requestIdSuffix(input.requestId)}`,
		input.snippet ? `Answer received: ${redactSecrets(input.snippet)}` : '',
	);
}

/** The error a cancelled execution ends with (`code: CANCELLED`, never retried). */
export function arkCancelledError(node: INode, message: string): ArkApiError {
	return new ArkApiError(
		node,
		{ kind: 'network', code: 'CANCELLED', retryable: false },
		message,
		'The execution was cancelled.',
	);
}

/**
 * A create refused for the account's cap on queued tasks (429 QuotaExceeded about the queue): no
 * task was made, and one can be once a queued task starts. A used-up quota (same code) is not this.
 */
export function isQueueCapRefusal(error: unknown): boolean {
	return (
		error instanceof ArkApiError &&
		error.details.kind === 'api' &&
		error.details.code === 'QuotaExceeded' &&
		isQueueCapMessage(error.details.serviceMessage)
	);
}
