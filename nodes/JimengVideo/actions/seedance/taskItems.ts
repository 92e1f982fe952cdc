/**
 * Seedance tasks as output items: the contract json (arkTaskJson, with the cost estimate at the
 * user's price when given). The files of a succeeded task: nodes/shared/ark/resultItem.ts.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	arkTaskJson,
	type ArkPriceOverrides,
	type ArkRequest,
	type ArkTask,
	type CreatedTask,
} from '../../../shared/ark';
import { isToolCall } from '../runContext';

export interface ArkOutput {
	download: boolean;
	binaryProperty: string;
	/** the user's price (CNY per million tokens), when given */
	price?: number;
}

interface OutputOptionValues {
	downloadVideo?: boolean;
	binaryPropertyOutput?: string;
	priceCnyPerMillionTokens?: number;
}

/** An item's output options; used as an AI agent's tool, the video is not downloaded by default. */
export function readArkOutput(ctx: IExecuteFunctions, itemIndex: number): ArkOutput {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as OutputOptionValues;
	const price = options.priceCnyPerMillionTokens;
	return {
		download: options.downloadVideo ?? !isToolCall(ctx),
		binaryProperty: options.binaryPropertyOutput || 'data',
		...(typeof price === 'number' && price > 0 ? { price } : {}),
	};
}

function pricesFor(task: ArkTask, output: Pick<ArkOutput, 'price'>): ArkPriceOverrides | undefined {
	return output.price !== undefined && task.model ? { [task.model]: output.price } : undefined;
}

/** The contract json of a task, at the user's price when given. */
export function taskJson(
	task: ArkTask,
	output: Pick<ArkOutput, 'price'>,
	resolvedByList = false,
): IDataObject {
	return arkTaskJson(task, pricesFor(task, output), { resolvedByList });
}

/**
 * The item of a task just created: as Ark lists it when the answer was lost and listing found it,
 * otherwise queued with what was asked.
 */
export function createdJson(
	created: CreatedTask & { reused?: boolean },
	request: ArkRequest,
): IDataObject {
	const { body } = request;
	const task: ArkTask = created.task ?? {
		id: created.taskId,
		status: 'queued',
		model: body.model,
		resolution: body.resolution,
		ratio: body.ratio,
		duration: body.duration,
		seed: body.seed,
		generate_audio: body.generate_audio,
		service_tier: body.service_tier,
	};
	return {
		...taskJson(task, {}, created.resolvedByList),
		prompt: request.summary.prompt,
		request_id: created.requestId ?? null,
		...(created.reused ? { reused_task: true } : {}),
	};
}
