/**
 * A task's result as an n8n item: shared by Get Result and the trigger, so a video emitted by the
 * trigger carries exactly the json and binary that Get Result gives.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { TASK_RETENTION_NOTE } from './codes/businessCodes';
import type { AigcMeta } from './requests/taskParameters';
import { JimengApiError } from './transport/JimengApiError';
import { downloadVideo } from '../download/download';
import type { CallOptions, JimengContext } from './transport/callApi';
import { getTaskResult, type TaskResult } from './transport/jimengApi';

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

/** The Options every task query reads per item: output options and the AIGC metadata (req_json). */
export interface ResultOptions extends OutputOptions {
	aigcMeta?: AigcMeta;
}

/** What a task's result means for the caller: still running, done, or ended without a video. */
export type TaskOutcome =
	| { kind: 'pending'; status: 'in_queue' | 'generating'; requestId: string }
	| { kind: 'done'; result: Extract<TaskResult, { status: 'done' }> }
	| { kind: 'failed'; status: 'failed' | 'not_found' | 'expired'; error: JimengApiError };

/** One Get Result, its answer turned into a TaskOutcome (not_found / expired become errors a user can act on). */
export async function queryTask(
	ctx: JimengContext,
	query: TaskQuery,
	callOptions: CallOptions = {},
): Promise<TaskOutcome> {
	const result = await getTaskResult(ctx, query, callOptions);
	switch (result.status) {
		case 'done':
			return { kind: 'done', result };
		case 'failed':
			return { kind: 'failed', status: 'failed', error: result.error };
		case 'not_found':
		case 'expired':
			return { kind: 'failed', status: result.status, error: missingTaskError(ctx, query, result) };
		default:
			return { kind: 'pending', status: result.status, requestId: result.requestId };
	}
}

/** What an item carries: the video unless turned off (off by default for an AI agent's tool call), in field `data` unless named. */
export function itemOptions(options: OutputOptions, downloadByDefault: boolean): ItemOptions {
	return {
		download: options.downloadVideo ?? downloadByDefault,
		binaryProperty: options.binaryPropertyOutput || 'data',
	};
}

/**
 * How a download gets a fresh, newly signed video URL for a done task (signed CDN links expire after
 * an hour, and a download can start late).
 */
export function videoUrlRefresher(
	ctx: JimengContext,
	query: TaskQuery,
	callOptions: CallOptions = {},
): () => Promise<string> {
	return async () => {
		const outcome = await queryTask(ctx, query, callOptions);
		if (outcome.kind === 'done') return outcome.result.videoUrl;
		throw outcome.kind === 'failed' ? outcome.error : new Error(`task is ${outcome.status}`);
	};
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
	const refresh = videoUrlRefresher(ctx, query, callOptions);
	const binary = await downloadVideo(
		ctx,
		{
			taskId: query.taskId,
			videoUrl: result.videoUrl,
			fileName: `${query.taskId}.mp4`,
			// The item then shows the URL the video was actually downloaded from.
			refreshUrl: async () => (json.video_url = await refresh()),
		},
		callOptions,
	);
	return { json, binary: { [options.binaryProperty]: binary } };
}
