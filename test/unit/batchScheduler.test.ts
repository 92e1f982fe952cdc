import {
	BatchStoppedError,
	DEFAULT_SCHEDULER_OPTIONS,
	runBatch,
	type PollOutcome,
	type SchedulerEffects,
	type SchedulerOptions,
} from '../../nodes/shared/batch/batchScheduler';

/**
 * A fake account on a virtual clock: tasks take `durationMs` from their submit, at most
 * `concurrency` may be unfinished at once (beyond: a 50430 refusal), and some tasks fail.
 */
class FakeAccount {
	now = 0;
	submits = 0;
	created: Array<{ job: number; taskId: string; at: number }> = [];
	polls = 0;
	downloads: string[] = [];
	maxConcurrent = 0;
	events: string[] = [];

	constructor(
		readonly options: {
			durationMs: number;
			concurrency?: number;
			failing?: Set<number>;
			/** slots held by someone else until this time */
			foreignUntil?: number;
			pollErrors?: Map<number, number>;
		},
	) {}

	private running(at: number): number {
		const own = this.created.filter((task) => at < task.at + this.options.durationMs).length;
		const foreign =
			this.options.foreignUntil !== undefined && at < this.options.foreignUntil
				? (this.options.concurrency ?? 0)
				: 0;
		return own + foreign;
	}

	effects(): SchedulerEffects<number, string, string> {
		return {
			submit: async (job) => {
				this.submits++;
				if (
					this.options.concurrency !== undefined &&
					this.running(this.now) >= this.options.concurrency
				) {
					throw { code: 50430 };
				}
				const taskId = `9${String(job).padStart(18, '0')}`;
				this.created.push({ job, taskId, at: this.now });
				this.maxConcurrent = Math.max(this.maxConcurrent, this.running(this.now));
				return { taskId, requestId: `req-submit-${job}` };
			},
			isConcurrencyLimit: (error) => (error as { code?: number }).code === 50430,
			poll: async (job, taskId): Promise<PollOutcome<string>> => {
				this.polls++;
				const remainingErrors = this.options.pollErrors?.get(job) ?? 0;
				if (remainingErrors > 0) {
					this.options.pollErrors?.set(job, remainingErrors - 1);
					throw new Error(`query failed for ${taskId}`);
				}
				const task = this.created.find((t) => t.taskId === taskId)!;
				if (this.now < task.at + this.options.durationMs) return { status: 'generating' };
				if (this.options.failing?.has(job))
					return { status: 'failed', error: `task ${taskId} failed 50516` };
				return {
					status: 'done',
					videoUrl: `https://cdn/${taskId}.mp4`,
					requestId: `req-result-${job}`,
				};
			},
			download: async (_job, taskId) => {
				this.downloads.push(taskId);
				return `video-of-${taskId}`;
			},
			toError: (error) => (error instanceof Error ? error.message : String(error)),
			sleep: async (ms) => {
				this.now += ms;
			},
			now: () => this.now,
			onEvent: (event) => this.events.push(event.type),
		};
	}
}

const options = (overrides: Partial<SchedulerOptions> = {}): SchedulerOptions => ({
	...DEFAULT_SCHEDULER_OPTIONS,
	pollIntervalMs: 1000,
	maxWaitMs: 600_000,
	stopOnError: false,
	...overrides,
});

describe('runBatch', () => {
	it('runs a batch of 10 in about the time of one task, one submit per task', async () => {
		const account = new FakeAccount({ durationMs: 3000 });
		const jobs = Array.from({ length: 10 }, (_, i) => i);
		const outcomes = await runBatch(jobs, account.effects(), options());
		expect(outcomes.map((o) => o.state)).toEqual(Array(10).fill('done'));
		expect(account.submits).toBe(10);
		expect(account.created).toHaveLength(10);
		// one task takes 3 s; polled every second → done at the 3rd poll
		expect(account.now).toBeLessThanOrEqual(4000);
		expect(account.polls).toBeLessThanOrEqual(10 * (3000 / 1000 + 1));
		outcomes.forEach((outcome, index) => {
			expect(outcome).toMatchObject({
				state: 'done',
				taskId: `9${String(index).padStart(18, '0')}`,
				binary: `video-of-9${String(index).padStart(18, '0')}`,
			});
		});
	});

	it('waits for a slot on 50430 and never drops an item (9 items, concurrency 3)', async () => {
		const account = new FakeAccount({ durationMs: 3000, concurrency: 3 });
		const outcomes = await runBatch(
			Array.from({ length: 9 }, (_, i) => i),
			account.effects(),
			options(),
		);
		expect(outcomes.every((o) => o.state === 'done')).toBe(true);
		expect(account.created).toHaveLength(9);
		expect(new Set(account.created.map((t) => t.job)).size).toBe(9);
		expect(account.maxConcurrent).toBe(3);
		// rejected submits are retried only when one of ours finishes: at most one refusal per wave
		expect(account.submits - account.created.length).toBeLessThanOrEqual(3);
		// three waves of 3 s, polled each second
		expect(account.now).toBeLessThanOrEqual(3 * 4000);
	});

	it('backs off while someone else holds every slot, then proceeds', async () => {
		const account = new FakeAccount({ durationMs: 2000, concurrency: 2, foreignUntil: 10_000 });
		const outcomes = await runBatch([0, 1], account.effects(), options());
		expect(outcomes.map((o) => o.state)).toEqual(['done', 'done']);
		expect(account.created.every((t) => t.at >= 10_000)).toBe(true);
		// backoff doubles from the poll interval: a handful of refused submits, not one per second
		expect(account.submits - 2).toBeLessThanOrEqual(5);
	});

	it('reports failed tasks with their task id and keeps the others', async () => {
		const account = new FakeAccount({ durationMs: 2000, failing: new Set([1]) });
		const outcomes = await runBatch([0, 1, 2], account.effects(), options());
		expect(outcomes[0].state).toBe('done');
		expect(outcomes[1]).toEqual({
			state: 'failed',
			error: 'task 9000000000000000001 failed 50516',
			taskId: '9000000000000000001',
			submitRequestId: 'req-submit-1',
		});
		expect(outcomes[2].state).toBe('done');
	});

	it('stops at the first failure when continueOnFail is off, listing every created task', async () => {
		const account = new FakeAccount({ durationMs: 2000, failing: new Set([0]) });
		const run = runBatch([0, 1, 2], account.effects(), options({ stopOnError: true }));
		await expect(run).rejects.toBeInstanceOf(BatchStoppedError);
		const error = (await run.catch((e: unknown) => e)) as BatchStoppedError<string>;
		expect(error.index).toBe(0);
		expect(error.tasks.map((t) => t.taskId).sort()).toEqual(
			account.created.map((t) => t.taskId).sort(),
		);
		expect(error.tasks).toHaveLength(3);
	});

	it('returns unfinished items with their task id at maxWait, and unsubmitted ones as not_submitted', async () => {
		const account = new FakeAccount({ durationMs: 60_000, concurrency: 1 });
		const outcomes = await runBatch([0, 1], account.effects(), options({ maxWaitMs: 5000 }));
		expect(outcomes[0]).toMatchObject({
			state: 'timedOut',
			taskId: '9000000000000000000',
			lastStatus: 'generating',
		});
		expect(outcomes[1]).toEqual({ state: 'timedOut', lastStatus: 'not_submitted' });
		expect(account.now).toBeGreaterThanOrEqual(5000);
		expect(account.now).toBeLessThan(7000);
	});

	it('rides out failing queries and gives up on a task only after maxPollFailures in a row', async () => {
		const account = new FakeAccount({
			durationMs: 2000,
			pollErrors: new Map([
				[0, 3],
				[1, 99],
			]),
		});
		const outcomes = await runBatch([0, 1], account.effects(), options());
		expect(outcomes[0].state).toBe('done');
		expect(outcomes[1]).toMatchObject({
			state: 'failed',
			taskId: '9000000000000000001',
			error: 'query failed for 9000000000000000001',
		});
	});

	it('stops when sleep rejects (cancellation) without submitting anything more', async () => {
		const account = new FakeAccount({ durationMs: 60_000, concurrency: 1 });
		const effects = account.effects();
		effects.sleep = async () => {
			throw new Error('cancelled');
		};
		await expect(runBatch([0, 1, 2], effects, options())).rejects.toThrow('cancelled');
		expect(account.created).toHaveLength(1);
	});
});
