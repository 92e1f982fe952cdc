/**
 * A task's result as an n8n item: shared by Get Result and the trigger, so a video emitted by the
 * trigger carries exactly the json and binary that Get Result gives.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { TASK_RETENTION_NOTE } from './helpers/businessCodes';
import { JimengApiError } from './transport/JimengApiError';
import { downloadVideo } from './transport/download';
import {
	getTaskResult,
	type CallOptions,
	type JimengContext,
	type TaskResult,
} from './transport/jimengApi';

export interface TaskQuery {
	reqKey: string;
	taskId: string;
	reqJson?: string;
}

export interface ItemOptions {
	download: boolean;
	binaryProperty: string;
}

/** The Download Video and Put Output File in Field options as read from a node's Options collection. */
export interface OutputOptions {
	downloadVideo?: boolean;
	binaryPropertyOutput?: string;
}

/** What an item carries: the video unless turned off (off by default for an AI agent's tool call), in field `data` unless named. */
export function itemOptions(options: OutputOptions, downloadByDefault: boolean): ItemOptions {
	return {
		download: options.downloadVideo ?? downloadByDefault,
		binaryProperty: options.binaryPropertyOutput || 'data',
	};
}

/** A fresh, newly signed video URL for a done task (signed CDN links expire after an hour). */
export async function freshVideoUrl(
	ctx: JimengContext,
	query: TaskQuery,
	callOptions: CallOptions = {},
): Promise<string> {
	const fresh = await getTaskResult(ctx, query, callOptions);
	if (fresh.status === 'done') return fresh.videoUrl;
	throw fresh.status === 'failed' ? fresh.error : new Error(`task is ${fresh.status}`);
}

/** not_found / expired as the error a user can act on. */
export function missingTaskError(
	ctx: JimengContext,
	query: TaskQuery,
	result: { status: 'not_found' | 'expired'; requestId: string },
): JimengApiError {
	return new JimengApiError(
		ctx.getNode(),
		{
			kind: 'task',
			code: result.status,
			requestId: result.requestId,
			taskId: query.taskId,
			retryable: false,
		},
		result.status === 'expired'
			? `Jimeng task ${query.taskId} has expired: its video can no longer be fetched. Submit it again.`
			: `Jimeng does not know task ${query.taskId} for model ${query.reqKey}. ${TASK_RETENTION_NOTE}`,
		`request_id ${result.requestId}`,
	);
}

/** The item of a task that is done: video_url and, when asked, the video streamed into binary data. */
export async function doneTaskItem(
	ctx: JimengContext,
	query: TaskQuery,
	result: Extract<TaskResult, { status: 'done' }>,
	options: ItemOptions,
	callOptions: CallOptions = {},
): Promise<INodeExecutionData> {
	const json: IDataObject = {
		task_id: query.taskId,
		status: 'done',
		req_key: query.reqKey,
		video_url: result.videoUrl,
		request_id: result.requestId,
	};
	if (typeof result.data.aigc_meta_tagged === 'boolean')
		json.aigc_meta_tagged = result.data.aigc_meta_tagged;
	if (!options.download) return { json };
	const binary = await downloadVideo(
		ctx,
		{
			taskId: query.taskId,
			videoUrl: result.videoUrl,
			fileName: `${query.taskId}.mp4`,
			refreshUrl: async () => {
				json.video_url = await freshVideoUrl(ctx, query, callOptions);
				return json.video_url;
			},
		},
		callOptions,
	);
	return { json, binary: { [options.binaryProperty]: binary } };
}
