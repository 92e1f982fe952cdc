/**
 * Generate and Wait's items before the batch runs: every item checked (nothing sent), and each
 * image body held only from just before its submit until the answer.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { type VideoRequest } from '../../shared/jimeng/requests/requestBuilder';
import { buildReqJson } from '../../shared/jimeng/requests/taskParameters';
import { itemOptions, type ResultOptions } from '../../shared/jimeng/taskResult';
import { JimengApiError } from '../../shared/jimeng/transport/JimengApiError';
import { reportBatchProgress, type ImageBodyEvent } from '../../shared/batch/batchProgress';
import { toNodeError } from './itemErrors';
import { deferItemRequest } from './itemRequest';
import { addHints, isToolCall } from './runContext';

export interface Job {
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

export const isConcurrencyLimit = (error: unknown) =>
	error instanceof JimengApiError && error.details.code === 50430;

/**
 * Every item checked before anything is sent: one invalid item stops the node (nothing sent), or,
 * with continueOnFail, becomes an error item while the others go ahead.
 */
export async function checkItems(
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
 * concurrency limit (50430) keeps it, so it is read once. Each read and release is reported
 * (batchProgress.ts) and logged at debug level.
 */
export class ImageBodies {
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
		const event: ImageBodyEvent = { type: 'imageBody', action, item: job.itemIndex, alive };
		this.ctx.logger.debug(`Jimeng Generate and Wait: ${JSON.stringify(event)}`);
		reportBatchProgress({
			...event,
			executionId: this.ctx.getExecutionId(),
			node: this.ctx.getNode().name,
		});
	}
}
