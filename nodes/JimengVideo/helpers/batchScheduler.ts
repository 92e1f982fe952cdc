/**
 * Generate and Wait for a whole batch: submit as many items as the account's concurrency allows,
 * poll every task of the batch in one loop, download each video as soon as it is done, and submit
 * the next item when a slot frees. Ten items take about as long as one.
 *
 * Pure orchestration: every effect (HTTP, clock, sleep) is injected, so the rules below are unit
 * tested with a fake clock. The rules that protect the user's money:
 *  - an item is submitted at most once by this loop (the transport never repeats an ambiguous submit);
 *  - a 50430 (concurrency limit) means "not created": the item waits for a slot, it is never dropped;
 *  - every accepted task id reaches the output (done, failed, timed out) or the error of the run.
 */

export type PollOutcome<TError> =
	| { status: 'in_queue' | 'generating' }
	| { status: 'done'; videoUrl: string; requestId: string }
	/** the task ended badly (moderation, not_found, expired…) */
	| { status: 'failed'; error: TError };

export type JobOutcome<TBinary, TError> =
	| {
			state: 'done';
			taskId: string;
			submitRequestId: string;
			resultRequestId: string;
			videoUrl: string;
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

export const DEFAULT_SCHEDULER_OPTIONS: Omit<SchedulerOptions, 'pollIntervalMs' | 'maxWaitMs' | 'stopOnError'> = {
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

interface InFlight {
	index: number;
	taskId: string;
	submitRequestId: string;
	nextPollAt: number;
	lastStatus: string;
	pollFailures: number;
}

/** Runs `worker` over `inputs` with at most `limit` at once. */
async function runLimited<T>(inputs: T[], limit: number, worker: (input: T) => Promise<void>): Promise<void> {
	let next = 0;
	const lanes = Array.from({ length: Math.min(limit, inputs.length) }, async () => {
		while (next < inputs.length) {
			const input = inputs[next++];
			await worker(input);
		}
	});
	await Promise.all(lanes);
}

export async function runBatch<TJob, TBinary, TError>(
	jobs: TJob[],
	effects: SchedulerEffects<TJob, TBinary, TError>,
	options: SchedulerOptions,
): Promise<Array<JobOutcome<TBinary, TError>>> {
	const outcomes: Array<JobOutcome<TBinary, TError> | undefined> = new Array(jobs.length);
	const pending: number[] = jobs.map((_, index) => index);
	const inFlight = new Map<number, InFlight>();
	const downloads = new Set<Promise<void>>();
	let activeDownloads = 0;
	const downloadWaiters: Array<() => void> = [];
	const start = effects.now();
	const deadline = start + options.maxWaitMs;
	// After a 50430: no new submit until one of our tasks finishes, or (none running) until this time.
	let submitBlocked = false;
	let blockedRetryAt = 0;
	let blockedBackoffMs = options.pollIntervalMs;
	let stopped: BatchStoppedError<TError> | undefined;

	const emit = (event: SchedulerEvent) => effects.onEvent?.(event);

	const createdTasks = () => {
		const tasks: Array<{ index: number; taskId: string; state: string }> = [];
		outcomes.forEach((outcome, index) => {
			if (outcome && 'taskId' in outcome && outcome.taskId) tasks.push({ index, taskId: outcome.taskId, state: outcome.state });
		});
		for (const task of inFlight.values()) tasks.push({ index: task.index, taskId: task.taskId, state: task.lastStatus });
		return tasks.sort((a, b) => a.index - b.index);
	};

	const fail = (index: number, error: TError, task?: { taskId: string; submitRequestId: string }) => {
		outcomes[index] = { state: 'failed', error, taskId: task?.taskId, submitRequestId: task?.submitRequestId };
		emit({ type: 'failed', index, taskId: task?.taskId });
		if (options.stopOnError && !stopped) stopped = new BatchStoppedError(index, error, []);
	};

	const freeSlot = () => {
		submitBlocked = false;
		blockedBackoffMs = options.pollIntervalMs;
	};

	const startDownload = (task: InFlight, videoUrl: string, resultRequestId: string) => {
		const job = jobs[task.index];
		const run = (async () => {
			while (activeDownloads >= options.downloadConcurrency) {
				await new Promise<void>((resolve) => downloadWaiters.push(resolve));
			}
			activeDownloads++;
			try {
				const binary = await effects.download(job, task.taskId, videoUrl);
				outcomes[task.index] = {
					state: 'done',
					taskId: task.taskId,
					submitRequestId: task.submitRequestId,
					resultRequestId,
					videoUrl,
					binary,
				};
				emit({ type: 'done', index: task.index, taskId: task.taskId });
			} catch (error) {
				fail(task.index, effects.toError(error), task);
			} finally {
				activeDownloads--;
				downloadWaiters.shift()?.();
			}
		})();
		downloads.add(run);
		void run.finally(() => downloads.delete(run));
	};

	const submitReady = async () => {
		while (pending.length > 0 && !stopped && effects.now() < deadline) {
			if (submitBlocked) {
				if (inFlight.size > 0 || effects.now() < blockedRetryAt) return;
			}
			const index = pending[0];
			try {
				const answer = await effects.submit(jobs[index]);
				pending.shift();
				submitBlocked = false;
				inFlight.set(index, {
					index,
					taskId: answer.taskId,
					submitRequestId: answer.requestId,
					nextPollAt: effects.now() + options.pollIntervalMs,
					lastStatus: 'in_queue',
					pollFailures: 0,
				});
				emit({ type: 'submitted', index, taskId: answer.taskId });
			} catch (error) {
				if (effects.isConcurrencyLimit(error)) {
					emit({ type: 'concurrencyLimit', index, inFlight: inFlight.size });
					if (inFlight.size === 0) {
						// The account's slots are held by other workflows: try again later, backing off.
						blockedRetryAt = effects.now() + blockedBackoffMs;
						blockedBackoffMs = Math.min(blockedBackoffMs * 2, Math.max(60_000, options.pollIntervalMs));
					}
					submitBlocked = true;
					return;
				}
				pending.shift();
				fail(index, effects.toError(error));
			}
		}
	};

	const pollDue = async () => {
		const now = effects.now();
		const due = [...inFlight.values()].filter((task) => task.nextPollAt <= now);
		await runLimited(due, options.pollConcurrency, async (task) => {
			if (stopped) return;
			let outcome: PollOutcome<TError>;
			try {
				outcome = await effects.poll(jobs[task.index], task.taskId);
			} catch (error) {
				// A failed query is not a failed task: ask again next cycle, a few times.
				task.pollFailures++;
				if (task.pollFailures >= options.maxPollFailures) {
					inFlight.delete(task.index);
					freeSlot();
					fail(task.index, effects.toError(error), task);
				} else {
					task.nextPollAt = effects.now() + options.pollIntervalMs;
				}
				return;
			}
			task.pollFailures = 0;
			if (outcome.status !== 'done' && outcome.status !== 'failed') {
				if (outcome.status !== task.lastStatus) emit({ type: 'status', index: task.index, taskId: task.taskId, status: outcome.status });
				task.lastStatus = outcome.status;
				task.nextPollAt = effects.now() + options.pollIntervalMs;
				return;
			}
			inFlight.delete(task.index);
			freeSlot();
			if (outcome.status === 'done') {
				task.lastStatus = 'done';
				startDownload(task, outcome.videoUrl, outcome.requestId);
			} else {
				fail(task.index, outcome.error, task);
			}
		});
	};

	while (true) {
		await submitReady();
		await pollDue();
		if (stopped) break;
		if (pending.length === 0 && inFlight.size === 0) break;
		const now = effects.now();
		if (now >= deadline) break;
		// A slot freed during the polls: submit the next item now, not after a sleep.
		const canSubmit = pending.length > 0 && (!submitBlocked || (inFlight.size === 0 && now >= blockedRetryAt));
		if (canSubmit) continue;
		let wakeAt = deadline;
		for (const task of inFlight.values()) wakeAt = Math.min(wakeAt, task.nextPollAt);
		if (pending.length > 0 && submitBlocked && inFlight.size === 0) wakeAt = Math.min(wakeAt, blockedRetryAt);
		await effects.sleep(Math.max(0, wakeAt - now));
	}

	// Videos already being downloaded are finished, also when the batch stops or times out.
	while (downloads.size > 0) await Promise.all([...downloads]);

	if (stopped) {
		throw new BatchStoppedError(stopped.index, stopped.error, createdTasks());
	}
	for (const task of inFlight.values()) {
		outcomes[task.index] = { state: 'timedOut', taskId: task.taskId, submitRequestId: task.submitRequestId, lastStatus: task.lastStatus };
		emit({ type: 'timedOut', index: task.index, taskId: task.taskId });
	}
	for (const index of pending) {
		outcomes[index] = { state: 'timedOut', lastStatus: 'not_submitted' };
		emit({ type: 'timedOut', index });
	}
	return outcomes.map((outcome, index) => outcome ?? { state: 'timedOut', lastStatus: 'not_submitted', taskId: undefined, index } as JobOutcome<TBinary, TError>);
}
