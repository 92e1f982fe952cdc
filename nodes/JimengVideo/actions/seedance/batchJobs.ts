/**
 * Seedance's Generate and Wait items before the batch runs: every item checked (nothing sent), and
 * each item's media bytes held only from just before its create until Ark answers it.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ArkRequest, ArkRequestSummary, ArkTask, CreatedTask } from '../../../shared/ark';
import { reportBatchProgress, type ImageBodyEvent } from '../../../shared/batch/batchProgress';
import { InputValidationError } from '../../../shared/requests/inputValues';
import { toNodeError } from '../itemErrors';
import { addHints } from '../runContext';
import { buildItemRequest, readArkItem, requestDigest, type ArkItem } from './itemRequest';
import { binaryMediaFields } from './mediaInput';
import { readArkOutput, type ArkOutput } from './taskItems';

export interface ArkJob {
	itemIndex: number;
	/** The item's settings and where its media come from: no media bytes. */
	item: ArkItem;
	/** The seed of the checked body (one the node drew for -1): the create sends the same body. */
	seed?: number;
	/** Digest of the checked body: the body built again before the create must match it. */
	digest: string;
	summary: ArkRequestSummary;
	output: ArkOutput;
	/** The sendable request, only from just before this item's create until it is answered. */
	sendable?: ArkRequest;
	created?: CreatedTask;
	/** The task as last read (its status, then its result). */
	lastTask?: ArkTask;
}

/**
 * Every item checked before anything is sent: one invalid item stops the node (nothing sent), or,
 * with continueOnFail, becomes an error item while the others go ahead.
 */
export async function checkArkItems(
	ctx: IExecuteFunctions,
): Promise<{ jobs: ArkJob[]; errors: Map<number, unknown> }> {
	const continueOnFail = ctx.continueOnFail();
	const errors = new Map<number, unknown>();
	const jobs: ArkJob[] = [];
	const hints: string[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			jobs.push(await checkedJob(ctx, itemIndex, hints));
		} catch (error) {
			if (!continueOnFail) throw toNodeError(ctx, error, itemIndex, 'Ark');
			errors.set(itemIndex, error);
		}
	}
	addHints(ctx, hints);
	return { jobs, errors };
}

/** Builds the item's request once (every rule, the media read) and keeps only what it needs. */
async function checkedJob(
	ctx: IExecuteFunctions,
	itemIndex: number,
	hints: string[],
): Promise<ArkJob> {
	const item = readArkItem(ctx, itemIndex);
	const request = await buildItemRequest(ctx, item);
	hints.push(...request.hints);
	return {
		itemIndex,
		item,
		seed: request.body.seed,
		digest: requestDigest(request),
		summary: request.summary,
		output: readArkOutput(ctx, itemIndex),
	};
}

/**
 * Holds each item's body (its media as Base64) only from just before its create until the answer;
 * an item refused for the queued-task cap keeps it, so it is read once. Each read and release is
 * reported (batchProgress.ts) and logged at debug level.
 */
export class ArkBodies {
	private alive = 0;

	constructor(private readonly ctx: IExecuteFunctions) {}

	async sendable(job: ArkJob): Promise<ArkRequest> {
		if (job.sendable) return job.sendable;
		const request = await buildItemRequest(this.ctx, job.item, job.seed);
		if (requestDigest(request) !== job.digest) {
			throw new InputValidationError(
				binaryMediaFields(job.item.plan).join(', ') || 'Prompt',
				`changed after the batch was checked: the binary data read again just before the create is not what was checked; nothing was sent for this item`,
				'',
			);
		}
		job.sendable = request;
		if (binaryMediaFields(job.item.plan).length) this.log('read', job, ++this.alive);
		return request;
	}

	release(job: ArkJob): void {
		if (!job.sendable) return;
		job.sendable = undefined;
		if (binaryMediaFields(job.item.plan).length) this.log('released', job, --this.alive);
	}

	private log(action: 'read' | 'released', job: ArkJob, alive: number): void {
		const event: ImageBodyEvent = { type: 'imageBody', action, item: job.itemIndex, alive };
		this.ctx.logger.debug(`Seedance Generate and Wait: ${JSON.stringify(event)}`);
		reportBatchProgress({
			...event,
			executionId: this.ctx.getExecutionId(),
			node: this.ctx.getNode().name,
		});
	}
}
