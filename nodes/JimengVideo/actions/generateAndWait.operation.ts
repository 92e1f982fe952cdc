import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IBinaryData,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { videoInputProperties } from '../../shared/descriptions/fields';
import {
	maxWaitOption,
	optionsCollection,
	pollIntervalOption,
	resultOptions,
} from '../../shared/descriptions/options';
import { submissionLedger } from '../../shared/ledger/submissionLedger';
import { queryTask, videoUrlRefresher } from '../../shared/jimeng/taskResult';
import { cancelledError, sleepUnlessCancelled } from '../../shared/network/cancellation';
import { downloadVideo } from '../../shared/download/download';
import { executionSignal } from '../../shared/jimeng/transport/callApi';
import { reportBatchProgress } from '../../shared/batch/batchProgress';
import {
	DEFAULT_SCHEDULER_OPTIONS,
	runBatch,
	type PollOutcome,
	type SchedulerEffects,
} from '../../shared/batch/batchScheduler';
import { checkItems, ImageBodies, isConcurrencyLimit, type Job } from './batchJobs';
import { outputItems, stoppedBatchError } from './batchResults';
import { toNodeError } from './itemErrors';
import { submitOnce } from './submitOnce';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { operation: ['generateAndWait'] } },
	[
		...videoInputProperties(),
		optionsCollection([...resultOptions, maxWaitOption, pollIntervalOption]),
	],
);

/** Options that hold for the whole batch: read once, from the first item. */
interface BatchOptions {
	pollInterval?: number;
	maxWait?: number;
}

/** The batch's timing, in milliseconds (with floors that keep a mistyped value from hammering the API). */
function readBatchTiming(ctx: IExecuteFunctions): { pollIntervalMs: number; maxWaitMs: number } {
	const options = ctx.getNodeParameter('options', 0, {}) as BatchOptions;
	return {
		pollIntervalMs: Math.max(
			100,
			Math.round((options.pollInterval ?? (pollIntervalOption.default as number)) * 1000),
		),
		maxWaitMs: Math.max(
			1000,
			Math.round((options.maxWait ?? (maxWaitOption.default as number)) * 1000),
		),
	};
}

/** What the scheduler does for real: submit once, poll, download, wait (all abortable). */
function batchEffects(
	ctx: IExecuteFunctions,
	jobs: Job[],
	bodies: ImageBodies,
	created: Map<number, string>,
): SchedulerEffects<Job, IBinaryData, unknown> {
	const signal = executionSignal(ctx);
	const cancelled = () => cancelledError(ctx.getNode(), 'Generate and Wait was cancelled');
	return {
		submit: async (job) => {
			// An image that changed since the check fails here, as itself (an input error): nothing is sent.
			const request = await bodies.sendable(job);
			let keepBody = false;
			try {
				return await submitOnce(ctx, job.itemIndex, request, {
					retry: { retryConcurrencyLimit: false },
				});
			} catch (error) {
				// Refused for the concurrency limit: nothing was created and this item is sent again next.
				keepBody = isConcurrencyLimit(error);
				throw toNodeError(ctx, error, job.itemIndex);
			} finally {
				if (!keepBody) bodies.release(job);
			}
		},
		isConcurrencyLimit,
		poll: async (job, taskId) => await pollTask(ctx, job, taskId),
		download: async (job, taskId, videoUrl) => {
			if (!job.download) return undefined;
			const query = { reqKey: job.request.model.id, taskId, reqJson: job.reqJson };
			return await downloadVideo(ctx, {
				taskId,
				videoUrl,
				fileName: `${taskId}.mp4`,
				refreshUrl: videoUrlRefresher(ctx, query),
			});
		},
		toError: (error) => error,
		sleep: async (ms) => await sleepUnlessCancelled(ms, signal, cancelled),
		now: () => Date.now(),
		onEvent: (event) => {
			if (event.type === 'submitted') created.set(jobs[event.index].itemIndex, event.taskId);
			ctx.logger.debug(`Jimeng Generate and Wait: ${JSON.stringify(event)}`);
			reportBatchProgress({
				...event,
				executionId: ctx.getExecutionId(),
				node: ctx.getNode().name,
			});
		},
	};
}

async function pollTask(
	ctx: IExecuteFunctions,
	job: Job,
	taskId: string,
): Promise<PollOutcome<unknown>> {
	const query = { reqKey: job.request.model.id, taskId, reqJson: job.reqJson };
	const outcome = await queryTask(ctx, query);
	if (outcome.kind === 'pending') return { status: outcome.status };
	if (outcome.kind === 'done') {
		const tagged = outcome.result.data.aigc_meta_tagged;
		return {
			status: 'done',
			videoUrl: outcome.result.videoUrl,
			requestId: outcome.result.requestId,
			...(typeof tagged === 'boolean' ? { aigcMetaTagged: tagged } : {}),
		};
	}
	// A task that ended badly is never handed back to a retry of this node: it submits anew.
	submissionLedger.forgetTask(taskId);
	return { status: 'failed', error: outcome.error };
}

/**
 * The whole batch at once: every item is checked first (nothing is sent if one is invalid and
 * continueOnFail is off), then submitted as far as the account's concurrency allows and polled
 * together. Results come back in input order, one per input item.
 *
 * Memory: a checked item keeps its image's size and sha256, not its bytes (ImageBodies). Submits go
 * one at a time, so at most one image body is held at any moment.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { jobs, errors } = await checkItems(this);
	const bodies = new ImageBodies(this);
	const created = new Map<number, string>();
	let outcomes;
	try {
		outcomes = await runBatch(jobs, batchEffects(this, jobs, bodies, created), {
			...DEFAULT_SCHEDULER_OPTIONS,
			...readBatchTiming(this),
			stopOnError: !this.continueOnFail(),
		});
	} catch (error) {
		throw stoppedBatchError(this, jobs, created, error);
	} finally {
		// An item still refused for the concurrency limit when the batch ended: its body goes too.
		for (const job of jobs) bodies.release(job);
	}
	return outputItems(this.getInputData().length, jobs, outcomes, errors);
}
