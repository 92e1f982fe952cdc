// The Ark simulator's settings that tests change between runs (`configure`), and their checks.
import { checkArkVideoBytes } from './arkMedia';

export interface ArkFaults {
	/** Any API call, before it is handled: 429 ModelAccountRpmRateLimitExceeded. */
	rateLimit?: number;
	/** Any API call: a load balancer's HTML 502 page instead of Ark's answer. */
	gatewayPage?: number;
	/** Any API call: the connection is destroyed before anything happens (no task). */
	resetBeforeCreate?: number;
	/** Create: 500 InternalServiceError in Ark's envelope, no task created. */
	serverErrorBeforeCreate?: number;
	/** Create: the task IS created, then 500 InternalServiceError in Ark's envelope. */
	serverErrorAfterCreate?: number;
	/** Create: the task IS created, then a gateway's HTML 504 page. */
	gatewayErrorAfterCreate?: number;
	/** Create: the task IS created, then the connection is destroyed without an answer. */
	resetAfterCreate?: number;
	/** Create: the task IS created, then bytes that are not HTTP, and the connection closes. */
	invalidHttpAfterCreate?: number;
	/** Create: the task IS created, then a 200 whose JSON is cut off halfway. */
	truncatedAfterCreate?: number;
	/** A created task fails with OutputVideoSensitiveContentDetected (also: "[sim:output-moderation]" in the prompt). */
	outputModeration?: number;
	/** Added before every API answer. */
	latencyMs?: number;
}

export const ARK_FAULT_KEYS = [
	'rateLimit',
	'gatewayPage',
	'resetBeforeCreate',
	'serverErrorBeforeCreate',
	'serverErrorAfterCreate',
	'gatewayErrorAfterCreate',
	'resetAfterCreate',
	'invalidHttpAfterCreate',
	'truncatedAfterCreate',
	'outputModeration',
] as const;

export interface ArkSimulatorConfig {
	/** At least this long queued (default 300). */
	queueMs: number;
	/** Running this long (default 700). */
	generateMs: number;
	/** Tasks running at once per account and model; the rest wait queued. null: unlimited. */
	concurrency: number | null;
	/** Queued tasks per account; a create beyond answers 429 QuotaExceeded. null: unlimited. */
	maxQueued: number | null;
	/** Creates per rolling minute per key; beyond → 429. null: unlimited. */
	rpm: number | null;
	/** How long result URLs stay valid (Ark: 24 h); then 403. */
	videoUrlTtlMs: number;
	/**
	 * The size of each result video, bytes: the fixture padded with an mp4 'free' box (still plays),
	 * streamed, never built in memory. null: the fixture itself. Applies to tasks that succeed after.
	 */
	videoBytes: number | null;
	/** Milliseconds per second of execution_expires_after (1000 = real time; 1 lets a test expire a task in 3.6 s). */
	expiresAfterScaleMs: number;
	/** A callback not answered 2xx within this is failed (Ark: 5 s). */
	callbackTimeoutMs: number;
	callbackRetryDelayMs: number;
	faults: ArkFaults;
}

const NUMBER_KEYS = [
	'queueMs',
	'generateMs',
	'videoUrlTtlMs',
	'expiresAfterScaleMs',
	'callbackTimeoutMs',
	'callbackRetryDelayMs',
] as const;
const LIMIT_KEYS = ['concurrency', 'maxQueued', 'rpm'] as const;

/** Refuses a patch with an unknown key or a bad value, before anything changes. */
export function checkArkPatch(patch: Partial<ArkSimulatorConfig>): void {
	for (const [key, value] of Object.entries(patch)) {
		if (value === undefined) continue;
		if ((NUMBER_KEYS as readonly string[]).includes(key)) {
			if (typeof value !== 'number' || !(value >= 0))
				throw new RangeError(`${key} must be a number >= 0`);
		} else if ((LIMIT_KEYS as readonly string[]).includes(key)) {
			if (value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 0))
				throw new RangeError(`${key} must be null or an integer >= 0`);
		} else if (key === 'videoBytes') {
			const problem = checkArkVideoBytes(value as number | null);
			if (problem) throw new RangeError(problem);
		} else if (key === 'faults') {
			for (const [fault, p] of Object.entries(value as ArkFaults)) {
				if (fault === 'latencyMs') continue;
				if (!(ARK_FAULT_KEYS as readonly string[]).includes(fault))
					throw new RangeError(`unknown fault "${fault}"`);
				if (typeof p !== 'number' || !(p >= 0 && p <= 1))
					throw new RangeError(`faults.${fault} is a probability in [0, 1]`);
			}
		} else throw new RangeError(`unknown config key "${key}"`);
	}
}
