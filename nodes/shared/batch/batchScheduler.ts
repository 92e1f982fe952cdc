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

import {
	BatchStoppedError,
	type InFlight,
	type JobOutcome,
	type PollOutcome,
	type SchedulerEffects,
	type SchedulerEvent,
	type SchedulerOptions,
} from './batchContract';
import { createdTasks, finalOutcomes } from './batchOutcomes';
import { Lanes, runLimited } from './lanes';

export * from './batchContract';

/** One batch: its queue, its tasks in flight, its downloads. */
class BatchRun<TJob, TBinary, TError> {
	private readonly outcomes: Array<JobOutcome<TBinary, TError> | undefined>;
	private readonly pending: number[];
	private readonly inFlight = new Map<number, InFlight>();
	private readonly downloads = new Set<Promise<void>>();
	private readonly downloadLanes: Lanes;
	private readonly deadline: number;
	// After a 50430: no new submit until one of our tasks finishes, or (none running) until this time.
	private submitBlocked = false;
	private blockedRetryAt = 0;
	private blockedBackoffMs: number;
	private stopped: BatchStoppedError<TError> | undefined;

	constructor(
		private readonly jobs: TJob[],
		private readonly effects: SchedulerEffects<TJob, TBinary, TError>,
		private readonly options: SchedulerOptions,
	) {
		this.outcomes = new Array(jobs.length);
		this.pending = jobs.map((_, index) => index);
		this.downloadLanes = new Lanes(options.downloadConcurrency);
		this.deadline = effects.now() + options.maxWaitMs;
		this.blockedBackoffMs = options.pollIntervalMs;
	}

	async run(): Promise<Array<JobOutcome<TBinary, TError>>> {
		while (true) {
			await this.submitReady();
			await this.pollDue();
			if (this.stopped || (this.pending.length === 0 && this.inFlight.size === 0)) break;
			const now = this.effects.now();
			if (now >= this.deadline) break;
			// A slot freed during the polls: submit the next item now, not after a sleep.
			if (this.pending.length > 0 && this.maySubmit(now)) continue;
			await this.effects.sleep(Math.max(0, this.wakeAt() - now));
		}
		// Videos already being downloaded are finished, also when the batch stops or times out.
		while (this.downloads.size > 0) await Promise.all([...this.downloads]);
		if (this.stopped)
			throw new BatchStoppedError(
				this.stopped.index,
				this.stopped.error,
				createdTasks(this.outcomes, this.inFlight),
			);
		return finalOutcomes(this.outcomes, this.inFlight, this.pending, (event) => this.emit(event));
	}

	private emit(event: SchedulerEvent): void {
		this.effects.onEvent?.(event);
	}

	private maySubmit(now: number): boolean {
		return !this.submitBlocked || (this.inFlight.size === 0 && now >= this.blockedRetryAt);
	}

	private wakeAt(): number {
		let wakeAt = this.deadline;
		for (const task of this.inFlight.values()) wakeAt = Math.min(wakeAt, task.nextPollAt);
		if (this.pending.length > 0 && this.submitBlocked && this.inFlight.size === 0)
			wakeAt = Math.min(wakeAt, this.blockedRetryAt);
		return wakeAt;
	}

	private fail(
		index: number,
		error: TError,
		task?: { taskId: string; submitRequestId: string },
	): void {
		this.outcomes[index] = {
			state: 'failed',
			error,
			taskId: task?.taskId,
			submitRequestId: task?.submitRequestId,
		};
		this.emit({ type: 'failed', index, taskId: task?.taskId });
		if (this.options.stopOnError && !this.stopped)
			this.stopped = new BatchStoppedError(index, error, []);
	}

	/** One of our tasks ended: its slot is free, and so is the account's (as far as we know). */
	private finish(task: InFlight): void {
		this.inFlight.delete(task.index);
		this.submitBlocked = false;
		this.blockedBackoffMs = this.options.pollIntervalMs;
	}

	private async submitReady(): Promise<void> {
		while (this.pending.length > 0 && !this.stopped && this.effects.now() < this.deadline) {
			if (
				this.submitBlocked &&
				(this.inFlight.size > 0 || this.effects.now() < this.blockedRetryAt)
			)
				return;
			const index = this.pending[0];
			try {
				const answer = await this.effects.submit(this.jobs[index]);
				this.pending.shift();
				this.submitBlocked = false;
				const nextPollAt = this.effects.now() + this.options.pollIntervalMs;
				this.inFlight.set(index, {
					index,
					taskId: answer.taskId,
					submitRequestId: answer.requestId,
					nextPollAt,
					lastStatus: 'in_queue',
					pollFailures: 0,
				});
				this.emit({ type: 'submitted', index, taskId: answer.taskId });
			} catch (error) {
				if (!this.effects.isConcurrencyLimit(error)) {
					this.pending.shift();
					this.fail(index, this.effects.toError(error));
					continue;
				}
				this.emit({ type: 'concurrencyLimit', index, inFlight: this.inFlight.size });
				if (this.inFlight.size === 0) {
					// The account's slots are held by other workflows: try again later, backing off.
					this.blockedRetryAt = this.effects.now() + this.blockedBackoffMs;
					this.blockedBackoffMs = Math.min(
						this.blockedBackoffMs * 2,
						Math.max(60_000, this.options.pollIntervalMs),
					);
				}
				this.submitBlocked = true;
				return;
			}
		}
	}

	private async pollDue(): Promise<void> {
		const now = this.effects.now();
		const due = [...this.inFlight.values()].filter((task) => task.nextPollAt <= now);
		await runLimited(due, this.options.pollConcurrency, async (task) => await this.pollOne(task));
	}

	private async pollOne(task: InFlight): Promise<void> {
		if (this.stopped) return;
		let outcome: PollOutcome<TError>;
		try {
			outcome = await this.effects.poll(this.jobs[task.index], task.taskId);
		} catch (error) {
			// A failed query is not a failed task: ask again next cycle, a few times.
			task.pollFailures++;
			if (task.pollFailures < this.options.maxPollFailures) {
				task.nextPollAt = this.effects.now() + this.options.pollIntervalMs;
				return;
			}
			this.finish(task);
			this.fail(task.index, this.effects.toError(error), task);
			return;
		}
		task.pollFailures = 0;
		if (outcome.status === 'done') {
			this.finish(task);
			task.lastStatus = 'done';
			this.startDownload(task, outcome);
		} else if (outcome.status === 'failed') {
			this.finish(task);
			this.fail(task.index, outcome.error, task);
		} else {
			if (outcome.status !== task.lastStatus)
				this.emit({
					type: 'status',
					index: task.index,
					taskId: task.taskId,
					status: outcome.status,
				});
			task.lastStatus = outcome.status;
			task.nextPollAt = this.effects.now() + this.options.pollIntervalMs;
		}
	}

	private startDownload(
		task: InFlight,
		{ videoUrl, requestId, aigcMetaTagged }: Extract<PollOutcome<TError>, { status: 'done' }>,
	): void {
		const run = this.downloadLanes.run(async () => {
			try {
				const binary = await this.effects.download(this.jobs[task.index], task.taskId, videoUrl);
				this.outcomes[task.index] = {
					state: 'done',
					taskId: task.taskId,
					submitRequestId: task.submitRequestId,
					resultRequestId: requestId,
					videoUrl,
					...(aigcMetaTagged === undefined ? {} : { aigcMetaTagged }),
					binary,
				};
				this.emit({ type: 'done', index: task.index, taskId: task.taskId });
			} catch (error) {
				this.fail(task.index, this.effects.toError(error), task);
			}
		});
		this.downloads.add(run);
		void run.finally(() => this.downloads.delete(run));
	}
}

export async function runBatch<TJob, TBinary, TError>(
	jobs: TJob[],
	effects: SchedulerEffects<TJob, TBinary, TError>,
	options: SchedulerOptions,
): Promise<Array<JobOutcome<TBinary, TError>>> {
	return await new BatchRun(jobs, effects, options).run();
}
