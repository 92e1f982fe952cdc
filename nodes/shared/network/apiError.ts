/**
 * What both APIs' errors have in common (Jimeng's JimengApiError, Ark's ArkApiError): a NodeApiError
 * (n8n shows it with its HTTP context, and `new NodeApiError(node, thisError)` returns it unchanged)
 * whose `details` keep what error items, the batch logic and the submission ledger read.
 */
import { NodeApiError, type GenericValue, type INode, type JsonObject } from 'n8n-workflow';

export interface ApiErrorDetails {
	/** the kind of failure, in the API's own terms */
	kind: string;
	/** the API's error code, a network code, or HTTP_<status> */
	code: GenericValue;
	httpStatus?: number;
	requestId?: string;
	/** trying the same call again later may succeed */
	retryable: boolean;
	taskId?: string;
	/** a create failed in a way that leaves its outcome unknown: a task may exist (and be billed) */
	taskMayExist?: boolean;
	/** when that create was sent (ISO 8601): what to look for in the console */
	submittedAt?: string;
	/** what that create asked for (model, prompt, frames…), to recognise the task */
	request?: Record<string, unknown>;
	/** how often n8n's Retry On Fail ran the item again after that create, sending nothing */
	rerunsNotSent?: number;
	serviceMessage?: string;
}

export abstract class ApiError<Details extends ApiErrorDetails> extends NodeApiError {
	readonly details: Details;

	constructor(node: INode, details: Details, message: string, description: string) {
		// No `code` in the error response: n8n would swap the message for its generic text of a socket code.
		super(node, { kind: details.kind, requestId: details.requestId ?? null } as JsonObject, {
			message,
			description,
			httpCode: details.httpStatus === undefined ? undefined : String(details.httpStatus),
		});
		this.details = details;
	}
}
