/**
 * What every answer code of the Jimeng API means, in plain words, and what the user can do.
 * Pure data and functions (no n8n): the transport turns these into n8n errors.
 * Sources: the vendor's API page (seed) and shared/jimeng-api.md, shared/volcengine-signing.md.
 */

export const SUCCESS_CODE = 10000;

export interface CodeExplanation {
	/** Short English name of the situation. */
	title: string;
	/** What it means, in plain English. */
	meaning: string;
	/** What to do about it. */
	action: string;
	/**
	 * The vendor's "retry?" column: trying again may succeed. For moderation codes that means
	 * submitting the task again (a new attempt), not repeating the same call.
	 */
	retryable: boolean;
}

const RESUBMIT = 'Submit the task again: generation is random and a new attempt often passes.';

export const BUSINESS_CODES: Readonly<Record<number, CodeExplanation>> = {
	50411: {
		title: 'Input image refused by moderation (Pre Img Risk Not Pass)',
		meaning: 'The content check rejected the input image before generation.',
		action: 'Use another image. Retrying the same image will fail again.',
		retryable: false,
	},
	50412: {
		title: 'Prompt refused by moderation (Text Risk Not Pass)',
		meaning: 'The content check rejected the prompt before generation.',
		action: 'Rephrase the prompt. Retrying the same prompt will fail again.',
		retryable: false,
	},
	50413: {
		title: 'Prompt contains sensitive or copyrighted words (Post Text Risk Not Pass)',
		meaning: 'The prompt contains sensitive words or protected names (brands, characters, people).',
		action: 'Remove or replace those words and submit again.',
		retryable: false,
	},
	50511: {
		title: 'Generated image refused by moderation (Post Img Risk Not Pass)',
		meaning: 'The content check rejected an image produced during generation.',
		action: RESUBMIT,
		retryable: true,
	},
	50512: {
		title: 'Generated text refused by moderation (Post Text Risk Not Pass)',
		meaning: 'The content check rejected text produced during generation.',
		action: 'Change the prompt and submit again.',
		retryable: false,
	},
	50516: {
		title: 'Generated video refused by moderation (Post Video Risk Not Pass)',
		meaning: 'The content check rejected the finished video. Failed tasks are not charged.',
		action: RESUBMIT,
		retryable: true,
	},
	50517: {
		title: 'Generated audio refused by moderation (Post Audio Risk Not Pass)',
		meaning: 'The content check rejected the audio of the finished video.',
		action: RESUBMIT,
		retryable: true,
	},
	50518: {
		title: 'Copyright check failed',
		meaning: 'The output matched protected material.',
		action: 'Change the prompt or the image; a new attempt with the same input will fail again.',
		retryable: false,
	},
	50519: {
		title: 'Copyright check error',
		meaning: 'The copyright check itself failed.',
		action: RESUBMIT,
		retryable: true,
	},
	50520: {
		title: 'Internal audit error',
		meaning: 'The service could not run its content audit.',
		action: 'Try later; if it persists, contact Volcengine support with the request id.',
		retryable: false,
	},
	50521: {
		title: 'Internal audit error',
		meaning: 'The service could not run its content audit.',
		action: 'Try later; if it persists, contact Volcengine support with the request id.',
		retryable: false,
	},
	50522: {
		title: 'Internal audit error',
		meaning: 'The service could not run its content audit.',
		action: 'Try later; if it persists, contact Volcengine support with the request id.',
		retryable: false,
	},
	50429: {
		title: 'Rate limit reached (QPS)',
		meaning: 'Too many requests per second for this account. Nothing was created.',
		action: 'The node waits and retries by itself; lower the batch size or ask Volcengine for a higher QPS limit.',
		retryable: true,
	},
	50430: {
		title: 'Concurrency limit reached',
		meaning:
			'The account already has as many videos generating as it may (new accounts: often 1–2). This task was not created.',
		action: 'Generate and Wait queues it until a slot frees; elsewhere, wait for running tasks to finish or ask Volcengine for more concurrency.',
		retryable: true,
	},
	50500: {
		title: 'Internal error',
		meaning: 'The service failed internally.',
		action: 'Retry later.',
		retryable: true,
	},
	50501: {
		title: 'Internal algorithm error (Internal RPC Error)',
		meaning: 'The generation backend failed.',
		action: 'Retry later.',
		retryable: true,
	},
	50200: {
		title: 'Invalid parameters',
		meaning: 'The service rejected a parameter value.',
		action: 'Check the parameters against the limits in the node description (the service message says which).',
		retryable: false,
	},
	50201: {
		title: 'Missing parameter',
		meaning: 'A required parameter was not sent.',
		action: 'Fill in the required parameters.',
		retryable: false,
	},
	50204: {
		title: 'Request body could not be parsed',
		meaning: 'The service could not read the request body.',
		action: 'Check that a proxy between n8n and Volcengine does not alter request bodies.',
		retryable: false,
	},
	50205: {
		title: 'Image too large',
		meaning: 'The input image exceeds 4.7 MB.',
		action: 'Compress or resize the image.',
		retryable: false,
	},
	50206: {
		title: 'Image empty',
		meaning: 'The input image has no data.',
		action: 'Check the node that produces the image.',
		retryable: false,
	},
	50207: {
		title: 'Image could not be decoded',
		meaning: 'The input image is not a readable JPEG or PNG.',
		action: 'Convert the image to JPEG or PNG.',
		retryable: false,
	},
	50213: {
		title: 'Request body too large',
		meaning: 'The request exceeds the size the service accepts.',
		action: 'Use a smaller image, or pass it by URL.',
		retryable: false,
	},
	50400: {
		title: 'Access denied',
		meaning: 'The account has not activated this Jimeng model, or the keys lack permission for it.',
		action: 'Activate the model in the Volcengine console (Jimeng AI → activate the service) and grant the IAM user access to the visual service.',
		retryable: false,
	},
	50402: {
		title: 'No such interface',
		meaning: 'The service does not know this action or model.',
		action: 'Check the model (req_key) and the Base URL of the credential.',
		retryable: false,
	},
};

/** Business codes the transport repeats the same call for (the others are answers, not accidents). */
export const CALL_RETRY_CODES: ReadonlySet<number> = new Set([50429, 50430, 50500, 50501]);

export function explainBusinessCode(code: number, serviceMessage?: string): CodeExplanation {
	const known = BUSINESS_CODES[code];
	if (known) return known;
	return {
		title: serviceMessage ? `Service error: ${serviceMessage}` : 'Unknown service error',
		meaning: 'The service answered with a code this node does not know.',
		action: 'Check the message; if it persists, contact Volcengine support with the request id.',
		retryable: code >= 50500 && code < 50600,
	};
}

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
		meaning: 'The request carried no valid authentication (or the STS session token is missing or wrong).',
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
		meaning: 'The Secret Access Key does not belong to the Access Key ID, or something altered the request on the way.',
		action: 'Copy the Secret Access Key again; check Region/Service (cn-north-1/cv) and that no proxy rewrites requests.',
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
		meaning: 'The Jimeng backend did not answer the gateway in time; it may have acted on the request.',
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

/** Task statuses of Get Result (`data.status`). */
export type TaskStatus = 'in_queue' | 'generating' | 'done' | 'not_found' | 'expired';

export const TASK_RETENTION_NOTE =
	'Jimeng keeps tasks for 12 hours: after that (or for an id that never existed, or a task queried with another model than the one that created it) Get Result answers not_found.';

/** Socket-level failures: where they happened decides whether a submit may have created a task. */
export type NetworkPhase = 'before-send' | 'unknown';

export interface NetworkFailure {
	/** e.g. ECONNREFUSED, ECONNRESET, ETIMEDOUT */
	code: string;
	phase: NetworkPhase;
	detail: string;
}

// These fail before a byte of the request leaves the machine: the server cannot have acted on it.
const BEFORE_SEND_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ERR_INVALID_URL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);

const NETWORK_CODES = new Set([
	...BEFORE_SEND_CODES,
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'ERR_STREAM_PREMATURE_CLOSE',
	'ERR_BAD_RESPONSE',
]);

function readCode(value: unknown): string | undefined {
	if (value && typeof value === 'object' && 'code' in value) {
		const code = (value as { code: unknown }).code;
		if (typeof code === 'string' && code) return code;
	}
	return undefined;
}

/**
 * Finds a socket-level failure in an error as n8n's request helpers throw it (a NodeApiError whose
 * cause is an AxiosError whose cause is the Node error, or any layer of that).
 */
export function findNetworkFailure(error: unknown): NetworkFailure | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const code = readCode(current);
		const message = String((current as { message?: unknown }).message ?? '');
		if (code && NETWORK_CODES.has(code)) {
			return { code, phase: BEFORE_SEND_CODES.has(code) ? 'before-send' : 'unknown', detail: message };
		}
		if (/socket hang up|aborted|premature close/i.test(message) && !/canceled|cancelled/i.test(message)) {
			return { code: code ?? 'ECONNRESET', phase: 'unknown', detail: message };
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
