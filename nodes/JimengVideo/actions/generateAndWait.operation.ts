import {
	updateDisplayOptions,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	aigcMetaOption,
	binaryPropertyOutputOption,
	downloadVideoOption,
	maxWaitOption,
	pollIntervalOption,
} from '../../shared/descriptions/options';
import { errorJson } from '../../shared/errorItems';
import { type VideoRequest } from '../../shared/helpers/requestBuilder';
import { buildReqJson } from '../../shared/helpers/taskParameters';
import { submissionLedger } from '../../shared/helpers/submissionLedger';
import { freshVideoUrl, itemOptions, missingTaskError } from '../../shared/taskResult';
import { cancelledError, sleepUnlessCancelled } from '../../shared/transport/cancellation';
import { downloadVideo } from '../../shared/transport/download';
import { JimengApiError } from '../../shared/transport/JimengApiError';
import { executionSignal, getTaskResult } from '../../shared/transport/jimengApi';
import { videoInputProperties } from '../../shared/descriptions/fields';
import {
	BatchStoppedError,
	DEFAULT_SCHEDULER_OPTIONS,
	runBatch,
	type JobOutcome,
	type PollOutcome,
	type SchedulerEffects,
} from '../helpers/batchScheduler';
import { reportBatchProgress } from '../helpers/batchProgress';
import { batchOutcomeJson } from '../helpers/outputItems';
import type { ResultOptions } from './getResult.operation';
import { appendToDescription, toNodeError } from './itemErrors';
import { deferItemRequest } from './itemRequest';
import { addHints, isToolCall } from './runContext';
import { submitOnce } from './submitOnce';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { operation: ['generateAndWait'] } },
	[
		...videoInputProperties(),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				aigcMetaOption,
				binaryPropertyOutputOption,
				downloadVideoOption,
				maxWaitOption,
				pollIntervalOption,
			],
		},
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
		pollIntervalMs: Math.max(100, Math.round((options.pollInterval ?? 10) * 1000)),
		maxWaitMs: Math.max(1000, Math.round((options.maxWait ?? 1800) * 1000)),
	};
}

interface Job {
	itemIndex: number;
	/** Checked in full, without image data (for the output item and the polls). */
	request: VideoRequest;
	/** Reads the images again and returns the sendable request (verified against the checked bytes). */
	complete(): Promise<VideoRequest>;
	/** The sendable request, only from just before this item's submit until it is answered. */
	sendable?: VideoRequest;
	reqJson?: string;
	download: boolean;
	binaryProperty: string;
}

function describeTasks(tasks: Array<{ index: number; taskId: string; state: string }>): string {
	return tasks
		.map((task) => `item ${task.index}: task_id ${task.taskId} (${task.state})`)
		.join('; ');
}

const isConcurrencyLimit = (error: unknown) =>
	error instanceof JimengApiError && error.details.code === 50430;

/**
 * Every item checked before anything is sent: one invalid item stops the node (nothing sent), or,
 * with continueOnFail, becomes an error item while the others go ahead.
 */
async function checkItems(
	ctx: IExecuteFunctions,
): Promise<{ jobs: Job[]; errors: Map<number, unknown> }> {
	const continueOnFail = ctx.continueOnFail();
	const errors = new Map<number, unknown>();
	const jobs: Job[] = [];
	const hints: string[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			const { request, complete } = await deferItemRequest(ctx, itemIndex);
			// Per item: what is sent and what comes back. Poll Interval and Max Wait are the batch's (item 0).
			const options = ctx.getNodeParameter('options', itemIndex, {}) as ResultOptions;
			hints.push(...request.hints);
			const output = itemOptions(options, !isToolCall(ctx));
			jobs.push({
				itemIndex,
				request,
				complete,
				reqJson: buildReqJson(options.aigcMeta),
				download: output.download,
				binaryProperty: output.binaryProperty,
			});
		} catch (error) {
			if (!continueOnFail) throw toNodeError(ctx, error, itemIndex);
			errors.set(itemIndex, error);
		}
	}
	addHints(ctx, hints);
	return { jobs, errors };
}

/**
 * Holds each image body only from just before its submit until the answer; an item refused for the
 * concurrency limit (50430) keeps it, so it is read once. The count is logged at debug level.
 */
class ImageBodies {
	private alive = 0;

	constructor(private readonly ctx: IExecuteFunctions) {}

	async sendable(job: Job): Promise<VideoRequest> {
		if (!job.sendable) {
			job.sendable = await job.complete();
			if (job.request.deferredImages) this.log('read', job, ++this.alive);
		}
		return job.sendable;
	}

	release(job: Job): void {
		if (!job.sendable) return;
		job.sendable = undefined;
		if (job.request.deferredImages) this.log('released', job, --this.alive);
	}

	private log(action: 'read' | 'released', job: Job, alive: number): void {
		this.ctx.logger.debug(
			`Jimeng Generate and Wait: ${JSON.stringify({ type: 'imageBody', action, item: job.itemIndex, alive })}`,
		);
	}
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
				refreshUrl: async () => await freshVideoUrl(ctx, query),
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
	const result = await getTaskResult(ctx, query);
	// A task that ended badly is never handed back to a retry of this node: it submits anew.
	if (result.status === 'failed' || result.status === 'not_found' || result.status === 'expired') {
		submissionLedger.forgetTask(taskId);
	}
	switch (result.status) {
		case 'done':
			return { status: 'done', videoUrl: result.videoUrl, requestId: result.requestId };
		case 'failed':
			return { status: 'failed', error: result.error };
		case 'not_found':
		case 'expired':
			return { status: 'failed', error: missingTaskError(ctx, query, result) };
		default:
			return { status: result.status };
	}
}

/** The error that stops the node, with every task the batch created: nothing paid for is lost. */
function stoppedBatchError(
	ctx: IExecuteFunctions,
	jobs: Job[],
	created: Map<number, string>,
	error: unknown,
) {
	const tasks =
		error instanceof BatchStoppedError
			? error.tasks.map((task) => ({ ...task, index: jobs[task.index].itemIndex }))
			: [...created].map(([index, taskId]) => ({ index, taskId, state: 'created' }));
	if (tasks.length)
		ctx.logger.warn(`Jimeng Generate and Wait stopped; tasks created: ${describeTasks(tasks)}`);
	const cause = error instanceof BatchStoppedError ? error.error : error;
	const itemIndex = error instanceof BatchStoppedError ? jobs[error.index].itemIndex : 0;
	const nodeError = toNodeError(ctx, cause, itemIndex);
	if (tasks.length)
		appendToDescription(
			nodeError,
			`Tasks this batch created (collect them with Get Result within 12 hours): ${describeTasks(tasks)}.`,
		);
	return nodeError;
}

/** One output item per input item, in input order. */
function outputItems(
	count: number,
	jobs: Job[],
	outcomes: Array<JobOutcome<IBinaryData, unknown>>,
	errors: Map<number, unknown>,
): INodeExecutionData[] {
	const outcomeByItem = new Map(
		jobs.map((job, index) => [job.itemIndex, { job, outcome: outcomes[index] }]),
	);
	return Array.from({ length: count }, (_, itemIndex) => {
		const pairedItem = { item: itemIndex };
		const entry = outcomeByItem.get(itemIndex);
		if (!entry) return { json: errorJson(errors.get(itemIndex)), pairedItem };
		const { job, outcome } = entry;
		if (outcome.state === 'failed')
			return { json: errorJson(outcome.error, outcome.taskId), pairedItem };
		const item: INodeExecutionData = {
			json: batchOutcomeJson(job.request, outcome) as IDataObject,
			pairedItem,
		};
		if (outcome.state === 'done' && outcome.binary)
			item.binary = { [job.binaryProperty]: outcome.binary };
		return item;
	});
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
