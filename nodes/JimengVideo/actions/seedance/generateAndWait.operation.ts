import type { IBinaryKeyData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import {
	arkCancelledError,
	arkResponseError,
	arkTaskError,
	executionSignal,
	getTask,
	isQueueCapRefusal,
	type ArkTask,
} from '../../../shared/ark';
import { reportBatchProgress } from '../../../shared/batch/batchProgress';
import {
	DEFAULT_SCHEDULER_OPTIONS,
	runBatch,
	type PollOutcome,
	type SchedulerEffects,
} from '../../../shared/batch/batchScheduler';
import {
	ARK_MAX_WAIT_DEFAULT,
	ARK_POLL_INTERVAL_DEFAULT,
} from '../../../shared/descriptions/seedanceOptions';
import { submissionLedger } from '../../../shared/ledger/submissionLedger';
import { sleepUnlessCancelled } from '../../../shared/network/cancellation';
import { stoppedBatchError } from '../batchResults';
import { toNodeError } from '../itemErrors';
import { ArkBodies, checkArkItems, type ArkJob } from './batchJobs';
import { arkOutputItems } from './batchItems';
import { createArkTaskOnce } from './createOnce';
import { downloadResults } from '../../../shared/ark/resultItem';

/** The batch's timing in milliseconds, from the first item (floors keep a typo from hammering Ark). */
function readBatchTiming(ctx: IExecuteFunctions): { pollIntervalMs: number; maxWaitMs: number } {
	const options = ctx.getNodeParameter('options', 0, {}) as {
		pollInterval?: number;
		maxWait?: number;
	};
	const seconds = (value: number | undefined, fallback: number) =>
		typeof value === 'number' && Number.isFinite(value) ? value : fallback;
	return {
		pollIntervalMs: Math.max(
			100,
			Math.round(seconds(options.pollInterval, ARK_POLL_INTERVAL_DEFAULT) * 1000),
		),
		maxWaitMs: Math.max(1000, Math.round(seconds(options.maxWait, ARK_MAX_WAIT_DEFAULT) * 1000)),
	};
}

/** One status check; Ark's queued/running are the scheduler's in_queue/generating. */
async function pollArkTask(
	ctx: IExecuteFunctions,
	job: ArkJob,
	taskId: string,
): Promise<PollOutcome<unknown>> {
	const task = await getTask(ctx, taskId);
	job.lastTask = task;
	if (task.status === 'queued') return { status: 'in_queue' };
	if (task.status === 'running') return { status: 'generating' };
	const videoUrl = task.content?.video_url;
	if (task.status === 'succeeded' && videoUrl) return { status: 'done', videoUrl, requestId: '' };
	if (task.status === 'succeeded') {
		// Billed, but without a URL: a retry of the node polls it again rather than paying anew.
		const what = `Ark says task ${taskId} succeeded but gives no video URL: run Get Result with its task id later`;
		return { status: 'failed', error: arkResponseError(ctx.getNode(), { what, taskId }) };
	}
	// A task that ended without a video is never handed back to a retry of this node: it creates anew.
	submissionLedger.forgetTask(taskId);
	return { status: 'failed', error: arkTaskError(ctx.getNode(), task) };
}

/** What the scheduler does for real: create once, poll, download, wait (all abortable). */
function batchEffects(
	ctx: IExecuteFunctions,
	jobs: ArkJob[],
	bodies: ArkBodies,
	created: Map<number, string>,
): SchedulerEffects<ArkJob, IBinaryKeyData, unknown> {
	const signal = executionSignal(ctx);
	const cancelled = () => arkCancelledError(ctx.getNode(), 'Generate and Wait was cancelled');
	return {
		submit: async (job) => {
			// Media that changed since the check fail here, as an input error: nothing is sent.
			const request = await bodies.sendable(job);
			let keepBody = false;
			try {
				job.created = await createArkTaskOnce(ctx, job.itemIndex, request, {
					waitOnQueueCap: true,
				});
				if (job.created.task) job.lastTask = job.created.task as ArkTask;
				return { taskId: job.created.taskId, requestId: job.created.requestId ?? '' };
			} catch (error) {
				// Refused for the queued-task cap: nothing was created and this item is sent again next.
				keepBody = isQueueCapRefusal(error);
				throw toNodeError(ctx, error, job.itemIndex, 'Ark');
			} finally {
				if (!keepBody) bodies.release(job);
			}
		},
		isConcurrencyLimit: isQueueCapRefusal,
		poll: async (job, taskId) => await pollArkTask(ctx, job, taskId),
		download: async (job, _taskId, videoUrl) =>
			job.output.download && job.lastTask
				? await downloadResults(ctx, job.lastTask, videoUrl, job.output.binaryProperty)
				: undefined,
		toError: (error) => error,
		sleep: async (ms) => await sleepUnlessCancelled(ms, signal, cancelled),
		now: () => Date.now(),
		onEvent: (event) => {
			if (event.type === 'submitted') created.set(jobs[event.index].itemIndex, event.taskId);
			ctx.logger.debug(`Seedance Generate and Wait: ${JSON.stringify(event)}`);
			reportBatchProgress({
				...event,
				executionId: ctx.getExecutionId(),
				node: ctx.getNode().name,
			});
		},
	};
}

/**
 * The whole batch at once (the Jimeng side's scheduler): every item checked first, then created as
 * far as the account allows — Ark queues tasks beyond its concurrency, and its cap on queued tasks
 * (429 QuotaExceeded) means "wait for one of ours to start" — and polled together; each video (and
 * last frame) is downloaded as soon as it is done. One output item per input item, in input order.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { jobs, errors } = await checkArkItems(this);
	const bodies = new ArkBodies(this);
	const created = new Map<number, string>();
	let outcomes;
	try {
		outcomes = await runBatch(jobs, batchEffects(this, jobs, bodies, created), {
			...DEFAULT_SCHEDULER_OPTIONS,
			...readBatchTiming(this),
			stopOnError: !this.continueOnFail(),
		});
	} catch (error) {
		throw stoppedBatchError(this, jobs, created, error, { api: 'Ark', retention: 'within 7 days' });
	} finally {
		// An item still refused for the queued-task cap when the batch ended: its body goes too.
		for (const job of jobs) bodies.release(job);
	}
	return arkOutputItems(this.getInputData().length, jobs, outcomes, errors);
}
