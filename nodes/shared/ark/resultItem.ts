/**
 * A finished Ark task's files: the video streamed into binary data (`data`, or the field the user
 * names) and, when the task returned one, its last frame into `last_frame` (image/png). Shared by the
 * node (Get Result, Generate and Wait) and the trigger, so both give the same item for the same task.
 */
import type { IBinaryKeyData, INodeExecutionData } from 'n8n-workflow';

import { downloadVideo, type DownloadHints } from '../download/download';
import type { ArkPriceOverrides } from './pricing';
import type { ArkTask } from './task';
import { arkTaskJson } from './taskJson';
import type { ArkContext } from './transport/callArk';

/** Where the last frame goes (the contract's name). */
export const LAST_FRAME_PROPERTY = 'last_frame';

const ARK_DOWNLOAD_HINTS: DownloadHints = {
	retry:
		'The task has succeeded: run Get Result with this task id to try again (Ark keeps its result URLs 24 hours).',
	expired:
		'Ark keeps result URLs for 24 hours after a task finishes: this one has expired, and the file can no longer be downloaded.',
};

/** The video (and the last frame, when the task has one) streamed into binary data. */
export async function downloadResults(
	ctx: ArkContext,
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

export interface ArkItemOptions {
	download: boolean;
	binaryProperty: string;
	prices?: ArkPriceOverrides;
}

/** A succeeded task as Get Result gives it: its json and, when asked, its files. */
export async function arkResultItem(
	ctx: ArkContext,
	task: ArkTask,
	options: ArkItemOptions,
): Promise<INodeExecutionData> {
	const json = arkTaskJson(task, options.prices);
	const videoUrl = task.content?.video_url;
	if (!options.download || !videoUrl) return { json };
	return { json, binary: await downloadResults(ctx, task, videoUrl, options.binaryProperty) };
}
