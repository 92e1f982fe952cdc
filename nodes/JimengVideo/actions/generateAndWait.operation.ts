import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import {
	BatchStoppedError,
	DEFAULT_SCHEDULER_OPTIONS,
	runBatch,
	type PollOutcome,
	type SchedulerEffects,
} from '../helpers/batchScheduler';
import { batchOutcomeJson } from '../helpers/outputItems';
import { buildReqJson, type VideoRequest } from '../helpers/requestBuilder';
import { submissionLedger } from '../helpers/submissionLedger';
import { JimengApiError } from '../transport/JimengApiError';
import { downloadVideo, executionSignal, getTaskResult } from '../transport/jimengApi';
import { addHints, deferItemRequest, errorJson, isToolCall, submitOnce, toNodeError } from './common';
import { videoInputProperties } from './fields';
import { missingTaskError } from './taskResult';
import type { ResultOptions } from './getResult.operation';
import {
	aigcMetaOption,
	binaryPropertyOutputOption,
	downloadVideoOption,
	maxWaitOption,
	pollIntervalOption,
} from './options';

export const description: INodeProperties[] = [
	...videoInputProperties({ operation: ['generateAndWait'] }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['generateAndWait'] } },
		options: [aigcMetaOption, binaryPropertyOutputOption, downloadVideoOption, maxWaitOption, pollIntervalOption],
	},
];

interface WaitOptions extends ResultOptions {
	pollInterval?: number;
	maxWait?: number;
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

function cancelledError(ctx: IExecuteFunctions): JimengApiError {
	return new JimengApiError(
		ctx.getNode(),
		{ kind: 'network', code: 'CANCELLED', retryable: false },
		'Generate and Wait was cancelled',
		'The execution was cancelled.',
	);
}

function describeTasks(tasks: Array<{ index: number; taskId: string; state: string }>): string {
	return tasks.map((task) => `item ${task.index}: task_id ${task.taskId} (${task.state})`).join('; ');
}

/**
 * The whole batch at once: every item is checked first (nothing is sent if one is invalid and
 * continueOnFail is off), then submitted as far as the account's concurrency allows and polled
 * together. Results come back in input order, one per input item.
 *
 * Memory: a checked item keeps its image's size and sha256, not its bytes. The image is read and
 * encoded just before the item's submit and let go once the submit is answered; an item refused
 * for the concurrency limit (50430) keeps its body until it is accepted, so it is read once. Submits
 * go one at a time, so at most one encoded image body is held at any moment.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const errors = new Map<number, unknown>();
	const jobs: Job[] = [];
	const hints: string[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const { request, complete } = await deferItemRequest(this, itemIndex);
			const options = this.getNodeParameter('options', itemIndex, {}) as WaitOptions;
			hints.push(...request.hints);
			jobs.push({
				itemIndex,
				request,
				complete,
				reqJson: buildReqJson(options.aigcMeta),
				download: options.downloadVideo ?? !isToolCall(this),
				binaryProperty: options.binaryPropertyOutput || 'data',
			});
		} catch (error) {
			if (!continueOnFail) throw toNodeError(this, error, itemIndex);
			errors.set(itemIndex, error);
		}
	}
	addHints(this, hints);

	const options = this.getNodeParameter('options', 0, {}) as WaitOptions;
	const pollIntervalMs = Math.max(100, Math.round((options.pollInterval ?? 10) * 1000));
	const maxWaitMs = Math.max(1000, Math.round((options.maxWait ?? 1800) * 1000));
	const signal = executionSignal(this);
	const created = new Map<number, string>();
	const isConcurrencyLimit = (error: unknown) => error instanceof JimengApiError && error.details.code === 50430;
	// Image bodies held right now; logged at debug level (item, alive) so their number can be checked.
	let imageBodies = 0;
	const logImageBody = (action: 'read' | 'released', job: Job) =>
		this.logger.debug(`Jimeng Generate and Wait: ${JSON.stringify({ type: 'imageBody', action, item: job.itemIndex, alive: imageBodies })}`);
	const releaseBody = (job: Job) => {
		if (!job.sendable) return;
		job.sendable = undefined;
		if (job.request.deferredImages) {
			imageBodies--;
			logImageBody('released', job);
		}
	};

	const effects: SchedulerEffects<Job, IBinaryData, unknown> = {
		submit: async (job) => {
			if (!job.sendable) {
				job.sendable = await job.complete();
				if (job.request.deferredImages) {
					imageBodies++;
					logImageBody('read', job);
				}
			}
			let keepBody = false;
			try {
				return await submitOnce(this, job.itemIndex, job.sendable, { retry: { retryConcurrencyLimit: false } });
			} catch (error) {
				// Refused for the concurrency limit: nothing was created and this item is sent again next.
				keepBody = isConcurrencyLimit(error);
				// submitOnce throws NodeApiErrors only: wrapping one again hands back the same error.
				throw new NodeApiError(this.getNode(), error as JsonObject);
			} finally {
				if (!keepBody) releaseBody(job);
			}
		},
		isConcurrencyLimit,
		poll: async (job, taskId): Promise<PollOutcome<unknown>> => {
			const result = await getTaskResult(this, { reqKey: job.request.model.id, taskId, reqJson: job.reqJson });
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
					return {
						status: 'failed',
						error: missingTaskError(this, { reqKey: job.request.model.id, taskId }, result),
					};
				default:
					return { status: result.status };
			}
		},
		download: async (job, taskId, videoUrl) => {
			if (!job.download) return undefined;
			return await downloadVideo(this, {
				taskId,
				videoUrl,
				fileName: `${taskId}.mp4`,
				refreshUrl: async () => {
					const fresh = await getTaskResult(this, { reqKey: job.request.model.id, taskId, reqJson: job.reqJson });
					if (fresh.status === 'done') return fresh.videoUrl;
					throw fresh.status === 'failed' ? fresh.error : new Error(`task is ${fresh.status}`);
				},
			});
		},
		toError: (error) => error,
		sleep: async (ms) => {
			if (signal?.aborted) throw cancelledError(this);
			try {
				await sleep(ms, signal);
			} catch {
				throw cancelledError(this);
			}
			if (signal?.aborted) throw cancelledError(this);
		},
		now: () => Date.now(),
		onEvent: (event) => {
			if (event.type === 'submitted') created.set(jobs[event.index].itemIndex, event.taskId);
			this.logger.debug(`Jimeng Generate and Wait: ${JSON.stringify(event)}`);
		},
	};

	let outcomes;
	try {
		outcomes = await runBatch(jobs, effects, {
			...DEFAULT_SCHEDULER_OPTIONS,
			pollIntervalMs,
			maxWaitMs,
			stopOnError: !continueOnFail,
		});
	} catch (error) {
		for (const job of jobs) releaseBody(job);
		// Every created task id goes into the error and the log: nothing paid for is lost.
		const tasks =
			error instanceof BatchStoppedError
				? error.tasks.map((task) => ({ ...task, index: jobs[task.index].itemIndex }))
				: [...created].map(([index, taskId]) => ({ index, taskId, state: 'created' }));
		if (tasks.length) this.logger.warn(`Jimeng Generate and Wait stopped; tasks created: ${describeTasks(tasks)}`);
		const cause = error instanceof BatchStoppedError ? error.error : error;
		const itemIndex = error instanceof BatchStoppedError ? jobs[error.index].itemIndex : 0;
		const nodeError = toNodeError(this, cause, itemIndex);
		if (tasks.length) {
			const note = `Tasks this batch created (collect them with Get Result within 12 hours): ${describeTasks(tasks)}.`;
			nodeError.description = nodeError.description ? `${nodeError.description} ${note}` : note;
		}
		throw nodeError instanceof NodeApiError ? new NodeApiError(this.getNode(), nodeError as unknown as JsonObject) : new NodeOperationError(this.getNode(), nodeError);
	}

	// An item still refused for the concurrency limit when the wait ended: its body goes too.
	for (const job of jobs) releaseBody(job);
	const output: INodeExecutionData[] = [];
	const outcomeByItem = new Map(jobs.map((job, index) => [job.itemIndex, { job, outcome: outcomes[index] }]));
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		const entry = outcomeByItem.get(itemIndex);
		if (!entry) {
			output.push({ json: errorJson(errors.get(itemIndex)), pairedItem });
			continue;
		}
		const { job, outcome } = entry;
		if (outcome.state === 'failed') {
			output.push({ json: errorJson(outcome.error, outcome.taskId), pairedItem });
			continue;
		}
		const item: INodeExecutionData = { json: batchOutcomeJson(job.request, outcome) as IDataObject, pairedItem };
		if (outcome.state === 'done' && outcome.binary) item.binary = { [job.binaryProperty]: outcome.binary };
		output.push(item);
	}
	return output;
}
