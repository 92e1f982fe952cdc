/**
 * What the batch scheduler and its caller agree on: the effects it is given, the outcomes and
 * events it reports, its options. No logic here.
 */

export type PollOutcome<TError> =
	| { status: 'in_queue' | 'generating' }
	/** `aigcMetaTagged`: the answer's aigc_meta_tagged, when it has one (AIGC Metadata was sent). */
	| { status: 'done'; videoUrl: string; requestId: string; aigcMetaTagged?: boolean }
	/** the task ended badly (moderation, not_found, expired…) */
	| { status: 'failed'; error: TError };

export type JobOutcome<TBinary, TError> =
	| {
			state: 'done';
			taskId: string;
			submitRequestId: string;
			resultRequestId: string;
			videoUrl: string;
			aigcMetaTagged?: boolean;
			binary?: TBinary;
	  }
	| { state: 'timedOut'; taskId?: string; submitRequestId?: string; lastStatus: string }
	| { state: 'failed'; error: TError; taskId?: string; submitRequestId?: string };

export interface SchedulerEffects<TJob, TBinary, TError> {
	submit(job: TJob): Promise<{ taskId: string; requestId: string }>;
	/** The submit was refused for the account's concurrency limit (50430): nothing was created. */
	isConcurrencyLimit(error: unknown): boolean;
	poll(job: TJob, taskId: string): Promise<PollOutcome<TError>>;
	/** undefined when the caller does not want the video downloaded */
	download(job: TJob, taskId: string, videoUrl: string): Promise<TBinary | undefined>;
	/** Converts anything thrown by the effects into the caller's error type. */
	toError(error: unknown): TError;
	/** Resolves after ms; rejects when the execution is cancelled. */
	sleep(ms: number): Promise<void>;
	now(): number;
	onEvent?(event: SchedulerEvent): void;
}

export type SchedulerEvent =
	| { type: 'submitted'; index: number; taskId: string }
	| { type: 'concurrencyLimit'; index: number; inFlight: number }
	| { type: 'status'; index: number; taskId: string; status: string }
	| { type: 'done'; index: number; taskId: string }
	| { type: 'failed'; index: number; taskId?: string }
	| { type: 'timedOut'; index: number; taskId?: string };

export interface SchedulerOptions {
	pollIntervalMs: number;
	maxWaitMs: number;
	/** Get Result calls in parallel per cycle. */
	pollConcurrency: number;
	/** Videos downloaded in parallel. */
	downloadConcurrency: number;
	/** Get Result failures in a row (after the transport's own retries) before a task is reported failed. */
	maxPollFailures: number;
	/** Stop at the first failed item (continueOnFail off). */
	stopOnError: boolean;
}

export const DEFAULT_SCHEDULER_OPTIONS: Omit<
	SchedulerOptions,
	'pollIntervalMs' | 'maxWaitMs' | 'stopOnError'
> = {
	pollConcurrency: 4,
	downloadConcurrency: 2,
	maxPollFailures: 5,
};

/** The batch stopped early: carries every task the batch created, so none is lost. */
export class BatchStoppedError<TError> extends Error {
	constructor(
		readonly index: number,
		readonly error: TError,
		readonly tasks: Array<{ index: number; taskId: string; state: string }>,
	) {
		super(`Item ${index} failed; the batch was stopped`);
		this.name = 'BatchStoppedError';
	}
}

/** A submitted task the batch still polls. */
export interface InFlight {
	index: number;
	taskId: string;
	submitRequestId: string;
	nextPollAt: number;
	lastStatus: string;
	pollFailures: number;
}

/** A task the batch created, as the stop error lists it. */
export interface CreatedTask {
	index: number;
	taskId: string;
	state: string;
}
