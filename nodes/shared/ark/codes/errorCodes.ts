/**
 * What each Ark error code (the `error.code` of Ark's JSON envelope, or of a failed task) means, in
 * plain English, and what the user can do. Pure data: the transport turns these into n8n errors and
 * the retry policy reads `retryable`. Source: Ark's error code page (docs/ark-api.md "Errors").
 */

export interface ArkCodeExplanation {
	/** Short English name of the situation. */
	title: string;
	/** What it means. */
	meaning: string;
	/** What to do about it. */
	action: string;
	/**
	 * Trying the same call again later may succeed. For an output moderation failure it means
	 * submitting the task again (a new, paid attempt), which the client never does by itself.
	 */
	retryable: boolean;
}

const FIX_INPUT = 'Fix the parameter named in the message and run again.';
const RESUBMIT =
	'Generation is random: a new task with the same input may pass. Failed tasks are not charged.';
const RATE_LIMIT: ArkCodeExplanation = {
	title: 'Rate limit reached',
	meaning: 'Too many requests per minute for this account or model.',
	action: 'Retried automatically with backoff; if it persists, send fewer items at once.',
	retryable: true,
};

export const ARK_ERROR_CODES: Readonly<Record<string, ArkCodeExplanation>> = {
	MissingParameter: {
		title: 'Missing parameter',
		meaning: 'A required parameter was not sent.',
		action: FIX_INPUT,
		retryable: false,
	},
	InvalidParameter: {
		title: 'Invalid parameter',
		meaning: 'Ark refused a parameter value (Ark checks every body field strictly).',
		action: FIX_INPUT,
		retryable: false,
	},
	InputTextSensitiveContentDetected: {
		title: 'Prompt refused by moderation',
		meaning: 'The content check rejected the prompt before generation.',
		action: 'Rephrase the prompt. The same prompt will fail again.',
		retryable: false,
	},
	InputImageSensitiveContentDetected: {
		title: 'Input image refused by moderation',
		meaning: 'The content check rejected an input image (real human faces need authorised assets).',
		action: 'Use another image. The same image will fail again.',
		retryable: false,
	},
	InputVideoSensitiveContentDetected: {
		title: 'Reference video refused by moderation',
		meaning: 'The content check rejected a reference video.',
		action: 'Use another video.',
		retryable: false,
	},
	InputAudioSensitiveContentDetected: {
		title: 'Reference audio refused by moderation',
		meaning: 'The content check rejected a reference audio.',
		action: 'Use another audio file.',
		retryable: false,
	},
	SensitiveContentDetected: {
		title: 'Input refused by moderation',
		meaning: 'The content check rejected the input.',
		action: 'Change the prompt or the media.',
		retryable: false,
	},
	OutputVideoSensitiveContentDetected: {
		title: 'Generated video refused by moderation',
		meaning: 'The content check rejected the finished video.',
		action: RESUBMIT,
		retryable: true,
	},
	OutputAudioSensitiveContentDetected: {
		title: 'Generated audio refused by moderation',
		meaning: 'The content check rejected the audio of the finished video.',
		action: RESUBMIT,
		retryable: true,
	},
	AuthenticationError: {
		title: 'API key refused',
		meaning: 'The Ark API key is missing, mistyped, deleted or disabled.',
		action:
			'Create or copy the key again (Ark console → API Key management) into the Volcengine Ark API credential.',
		retryable: false,
	},
	AccountOverdueError: {
		title: 'Account overdue',
		meaning: 'The Volcengine account has an overdue balance.',
		action: 'Top up the account in the Volcengine console.',
		retryable: false,
	},
	AccessDenied: {
		title: 'Access denied',
		meaning: 'The key may not use this resource.',
		action: "Check the key's project and permissions in the Ark console.",
		retryable: false,
	},
	'OperationDenied.ServiceNotOpen': {
		title: 'Model service not activated',
		meaning: 'The video model is not activated for this account.',
		action: 'Activate the Seedance model in the Ark console (Model activation).',
		retryable: false,
	},
	'OperationDenied.ServiceOverdue': {
		title: 'Service suspended for an overdue balance',
		meaning: 'The model service is paused because of an overdue balance.',
		action: 'Top up the account in the Volcengine console.',
		retryable: false,
	},
	'OperationDenied.InvalidState': {
		title: "Not possible in the task's current state",
		meaning: 'Only a queued task can be cancelled; a running or cancelled task cannot be deleted.',
		action: "Get the task's status first; a running task finishes (and is charged) as usual.",
		retryable: false,
	},
	'InvalidEndpointOrModel.NotFound': {
		title: 'Unknown model or endpoint',
		meaning: 'Ark does not know this model id or endpoint id (ep-…) for this account.',
		action: 'Pick a model from the list, or copy the endpoint id from the Ark console.',
		retryable: false,
	},
	'InvalidEndpointOrModel.ModelIDAccessDisabled': {
		title: 'Model id access disabled',
		meaning: 'This account may not call the model by its id.',
		action: 'Create an endpoint for the model in the Ark console and use its ep-… id.',
		retryable: false,
	},
	ModelNotOpen: {
		title: 'Model not activated',
		meaning: 'The model is not activated for this account.',
		action: 'Activate the model in the Ark console (Model activation).',
		retryable: false,
	},
	ResourceNotFound: {
		title: 'Task not found',
		meaning:
			'Ark does not know this task id for this account. Tasks are kept 7 days; a deleted task is gone.',
		action: 'Check the task id (cgt-…) and the credential (tasks belong to one account).',
		retryable: false,
	},
	'RateLimitExceeded.EndpointRPMExceeded': RATE_LIMIT,
	ModelAccountRpmRateLimitExceeded: RATE_LIMIT,
	APIAccountRpmRateLimitExceeded: RATE_LIMIT,
	AccountRateLimitExceeded: RATE_LIMIT,
	ServerOverloaded: {
		title: 'Ark is overloaded',
		meaning: 'The service refused the request under high load.',
		action: 'Retried automatically with backoff.',
		retryable: true,
	},
	InflightBatchsizeExceeded: {
		title: 'Too many requests in flight',
		meaning: 'The service refused the request: too many are being handled at once.',
		action: 'Retried automatically with backoff.',
		retryable: true,
	},
	QuotaExceeded: {
		title: 'Quota exceeded',
		meaning:
			'Either the free quota is used up, or the account has too many queued tasks (Ark caps the queue).',
		action:
			'A full queue is retried automatically; a used-up quota needs a paid plan in the Ark console.',
		retryable: false,
	},
	SetLimitExceeded: {
		title: 'Spending limit reached',
		meaning: 'The account reached the spending limit set in the Ark console; the model is paused.',
		action: 'Raise or remove the limit in the Ark console (Model activation → safe experience).',
		retryable: false,
	},
	// This package's names for a task that ended without an Ark error code.
	TASK_EXPIRED: {
		title: 'Task expired',
		meaning:
			'The task stayed queued or running longer than its Expires After (48 hours unless set) and Ark dropped it. Expired tasks are not billed.',
		action: 'Submit it again; in the flex tier, allow a longer Expires After.',
		retryable: true,
	},
	TASK_CANCELLED: {
		title: 'Task cancelled',
		meaning: 'The task was cancelled while queued. Cancelled tasks are not billed.',
		action: 'Submit it again if the video is still wanted.',
		retryable: false,
	},
	InternalServiceError: {
		title: 'Ark internal error',
		meaning: 'Ark failed while handling the request.',
		action: 'Try again in a moment.',
		retryable: true,
	},
};

const UNKNOWN_CODE: ArkCodeExplanation = {
	title: 'Ark error',
	meaning: 'Ark refused the request with a code this node does not know.',
	action: "Read Ark's message below; check the Ark error code page.",
	retryable: false,
};

/**
 * The explanation of a code; a suffixed code (`InvalidParameter.Resolution`) falls back to its
 * prefix, as Ark documents `InvalidParameter.{param}`.
 */
export function explainArkCode(code: string): ArkCodeExplanation {
	for (let key = code; key; key = key.slice(0, Math.max(0, key.lastIndexOf('.')))) {
		const known = ARK_ERROR_CODES[key];
		if (known) return known;
	}
	return UNKNOWN_CODE;
}

/**
 * QuotaExceeded means two things; only the queued-task cap (a message about the queue) passes
 * with time. Read from the message, as Ark gives both the same code.
 */
export function isQueueCapMessage(message: string | undefined): boolean {
	// "排队" (queue), escaped: shipped files carry no Chinese text.
	return /\u6392\u961f|queu/i.test(message ?? '');
}

/** Rate limits and overload: refused at admission, so a create was certainly not made. */
export function isThrottleCode(code: string): boolean {
	const known = explainArkCode(code);
	return (
		known === RATE_LIMIT || code === 'ServerOverloaded' || code === 'InflightBatchsizeExceeded'
	);
}
