/**
 * The Volcengine API gateway's refusals (`ResponseMetadata.Error`): signature, keys, clock, rate
 * limits. Pure data. Source: docs/volcengine-signing.md and docs/jimeng-api.md.
 */
import type { CodeExplanation } from './businessCodes';

export interface GatewayExplanation extends CodeExplanation {
	codeN?: number;
}

/** The API gateway's answers to authentication problems (ResponseMetadata.Error). */
export const GATEWAY_CODES: Readonly<Record<string, GatewayExplanation>> = {
	MissingParameter: {
		codeN: 100002,
		title: 'Missing Action or Version',
		meaning: 'The request did not say which API action it calls.',
		action: 'Check the URL (Action and Version query parameters).',
		retryable: false,
	},
	MissingAuthenticationToken: {
		codeN: 100003,
		title: 'Missing authentication',
		meaning:
			'The request carried no valid authentication (or the STS session token is missing or wrong).',
		action: 'Check the Volcengine credential; for temporary keys fill in the Session Token.',
		retryable: false,
	},
	MissingRequestInfo: {
		codeN: 100004,
		title: 'Missing request information',
		meaning: 'A header the signature needs (such as X-Date) did not arrive.',
		action: 'Check that no proxy strips X-Date, X-Content-Sha256 or Authorization headers.',
		retryable: false,
	},
	MissingSignature: {
		codeN: 100005,
		title: 'Missing signature',
		meaning: 'The Authorization header was incomplete.',
		action: 'Check that no proxy rewrites the Authorization header.',
		retryable: false,
	},
	InvalidTimestamp: {
		codeN: 100006,
		title: 'Request time is off (InvalidTimestamp)',
		meaning:
			"The request's X-Date differs from Volcengine's clock by more than 15 minutes: the clock of the machine running n8n is wrong.",
		action: 'Fix the system clock of the n8n host (enable NTP time sync), then retry.',
		retryable: false,
	},
	ServiceNotFound: {
		codeN: 100007,
		title: 'Service not found',
		meaning: 'The service in the signature scope does not exist at this endpoint.',
		action: 'Set Service to "cv" (and Region to "cn-north-1") in the credential for Jimeng.',
		retryable: false,
	},
	InvalidActionOrVersion: {
		codeN: 100008,
		title: 'Unknown action or version',
		meaning: 'The endpoint does not offer this API action.',
		action: 'Check the Base URL in the credential (Jimeng: https://visual.volcengineapi.com).',
		retryable: false,
	},
	InvalidAccessKey: {
		codeN: 100009,
		title: 'Unknown Access Key ID',
		meaning: 'Volcengine does not know this Access Key ID (mistyped, deleted or disabled).',
		action: 'Copy the Access Key ID again from the console (API Access Keys).',
		retryable: false,
	},
	SignatureDoesNotMatch: {
		codeN: 100010,
		title: 'Signature does not match',
		meaning:
			'The Secret Access Key does not belong to the Access Key ID, or something altered the request on the way.',
		action:
			'Copy the Secret Access Key again; check Region/Service (cn-north-1/cv) and that no proxy rewrites requests.',
		retryable: false,
	},
	LackPolicy: {
		codeN: 100012,
		title: 'No permission',
		meaning: 'The IAM user has no policy that allows this action.',
		action: 'Attach a policy for the visual service (cv) to the IAM user.',
		retryable: false,
	},
	AccessDenied: {
		codeN: 100013,
		title: 'Access denied',
		meaning: 'The keys are valid but not allowed to call this API.',
		action: 'Grant the IAM user access to the visual service, and activate Jimeng in the console.',
		retryable: false,
	},
	InternalError: {
		codeN: 100014,
		title: 'Gateway internal error',
		meaning: 'The Volcengine API gateway failed.',
		action: 'Retry later.',
		retryable: true,
	},
	FlowLimitExceeded: {
		title: 'Gateway rate limit',
		meaning: 'Too many requests for this account at the gateway.',
		action: 'The node waits and retries by itself.',
		retryable: true,
	},
	InternalServiceError: {
		codeN: 100014,
		title: 'Service behind the gateway failed',
		meaning: 'The Jimeng backend failed while handling the request; it may have acted on it.',
		action: 'Queries are retried by the node; a submit is never repeated (the task may exist).',
		retryable: true,
	},
	InternalServiceTimeout: {
		codeN: 100016,
		title: 'Service behind the gateway did not answer in time',
		meaning:
			'The Jimeng backend did not answer the gateway in time; it may have acted on the request.',
		action: 'Queries are retried by the node; a submit is never repeated (the task may exist).',
		retryable: true,
	},
	ServiceUnavailableTemp: {
		title: 'Service temporarily unavailable',
		meaning: 'The service is briefly unavailable.',
		action: 'The node waits and retries by itself.',
		retryable: true,
	},
};

export function explainGatewayCode(code: string, serviceMessage?: string): GatewayExplanation {
	const known = GATEWAY_CODES[code];
	if (known) return known;
	return {
		title: `Gateway error ${code}`,
		meaning: serviceMessage ?? 'The Volcengine API gateway refused the request.',
		action: 'Check the credential and the Base URL.',
		retryable: false,
	};
}
