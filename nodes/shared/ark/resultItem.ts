/**
 * A finished Ark task as an n8n item: its json (arkTaskJson) and, when asked, its video streamed into
 * binary data. Shared by the trigger and the node, so both give the same item for the same task.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { downloadVideo } from '../download/download';
import type { ArkTask } from './task';
import { arkTaskJson } from './taskJson';
import { getTask } from './transport/taskCalls';
import type { ArkContext } from './transport/callArk';
import type { ArkPriceOverrides } from './pricing';

export interface ArkItemOptions {
	download: boolean;
	binaryProperty: string;
	prices?: ArkPriceOverrides;
}

export async function arkResultItem(
	ctx: ArkContext,
	task: ArkTask,
	options: ArkItemOptions,
): Promise<INodeExecutionData> {
	const json = arkTaskJson(task, options.prices);
	const videoUrl = task.content?.video_url;
	if (!options.download || !videoUrl) return { json };
	const binary = await downloadVideo(ctx, {
		taskId: task.id,
		videoUrl,
		fileName: `${task.id}.mp4`,
		// Ark's result URLs are signed for 24 hours: a fresh GET gives a new one.
		refreshUrl: async () => {
			const fresh = await getTask(ctx, task.id);
			const url = fresh.content?.video_url;
			if (!url) throw new Error(`Ark task ${task.id} has no video URL any more`);
			json.video_url = url;
			return url;
		},
	});
	return { json, binary: { [options.binaryProperty]: binary } };
}
