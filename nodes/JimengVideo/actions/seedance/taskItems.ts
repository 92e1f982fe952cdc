/**
 * Seedance tasks as output items: the contract json (arkTaskJson, with the cost estimate at the
 * user's price when given) and, for a succeeded task, the video streamed into binary `data` and the
 * last frame into `last_frame`. Shared by Submit, Get Result and Generate and Wait.
 */
import type { IBinaryKeyData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	arkTaskJson,
	type ArkPriceOverrides,
	type ArkRequest,
	type ArkTask,
	type CreatedTask,
} from '../../../shared/ark';
import { downloadVideo, type DownloadHints } from '../../../shared/download/download';
import { isToolCall } from '../runContext';

/** Where the last frame goes (the contract's name). */
export const LAST_FRAME_PROPERTY = 'last_frame';

const ARK_DOWNLOAD_HINTS: DownloadHints = {
	retry:
		'The task has succeeded: run Get Result with this task id to try again (Ark keeps its result URLs 24 hours).',
	expired:
		'Ark keeps result URLs for 24 hours after a task finishes: this one has expired, and the file can no longer be downloaded.',
};

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

/** The video (and the last frame, when the task has one) streamed into binary data. */
export async function downloadResults(
	ctx: IExecuteFunctions,
	task: ArkTask,
	videoUrl: string,
	binaryProperty: string,
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {
		[binaryProperty]: await downloadVideo(ctx, {
			taskId: task.id,
			videoUrl,
			fileName: `${task.id}.mp4`,
			hints: ARK_DOWNLOAD_HINTS,
		}),
	};
	const lastFrameUrl = task.content?.last_frame_url;
	if (lastFrameUrl) {
		binary[LAST_FRAME_PROPERTY] = await downloadVideo(ctx, {
			taskId: task.id,
			videoUrl: lastFrameUrl,
			fileName: `${task.id}-last-frame.png`,
			mimeType: 'image/png',
			what: 'last frame',
			hints: ARK_DOWNLOAD_HINTS,
		});
	}
	return binary;
}
