/**
 * What every business code of the Jimeng API (the `code` of its envelope) means, in plain words,
 * and what the user can do. Pure data (no n8n): the transport turns these into n8n errors.
 * Source: the vendor's API page and what the service answers (docs/jimeng-api.md).
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
		action:
			'The node waits and retries by itself; lower the batch size or ask Volcengine for a higher QPS limit.',
		retryable: true,
	},
	50430: {
		title: 'Concurrency limit reached',
		meaning:
			'The account already has as many videos generating as it may (new accounts: often 1–2). This task was not created.',
		action:
			'Generate and Wait queues it until a slot frees; elsewhere, wait for running tasks to finish or ask Volcengine for more concurrency.',
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
		action:
			'Check the parameters against the limits in the node description (the service message says which).',
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
		action:
			'Activate the model in the Volcengine console (Jimeng AI → activate the service) and grant the IAM user access to the visual service.',
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

/**
 * Internal errors answered to a Submit. The vendor documents them only as "retryable" (内部错误 /
 * 内部算法错误, 可重试) and says nothing about whether the task was created before the failure, so a
 * submit answered with one may have created a paid task: its outcome is unknown (docs/jimeng-api.md).
 */
export const SUBMIT_OUTCOME_UNKNOWN_CODES: ReadonlySet<number> = new Set([50500, 50501]);

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

export const TASK_RETENTION_NOTE =
	'Jimeng keeps tasks for 12 hours: after that (or for an id that never existed, or a task queried with another model than the one that created it) Get Result answers not_found.';
