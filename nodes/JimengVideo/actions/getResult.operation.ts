import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { TASK_RETENTION_NOTE } from '../helpers/errorCatalog';
import { DEFAULT_MODEL } from '../helpers/models';
import { buildReqJson, checkTaskId, type AigcMeta } from '../helpers/requestBuilder';
import { JimengApiError } from '../transport/JimengApiError';
import { downloadVideo, getTaskResult } from '../transport/jimengApi';
import { isToolCall } from './common';
import { aigcMetaOption, binaryPropertyOutputOption, downloadVideoOption } from './options';

export const description: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 7392616336519610409',
		description:
			'The task ID returned by Submit, as text (task IDs are longer than a number can hold exactly). Tasks are kept 12 hours.',
		displayOptions: { show: { operation: ['getResult'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['getResult'] } },
		options: [aigcMetaOption, binaryPropertyOutputOption, downloadVideoOption],
	},
];

export interface ResultOptions {
	downloadVideo?: boolean;
	binaryPropertyOutput?: string;
	aigcMeta?: AigcMeta;
}

/** One query. Running tasks come back as items (a workflow can loop on them), failures as errors. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
	const reqKey = String(this.getNodeParameter('model', itemIndex, DEFAULT_MODEL));
	const taskId = checkTaskId(this.getNodeParameter('taskId', itemIndex, ''));
	const options = this.getNodeParameter('options', itemIndex, {}) as ResultOptions;
	const reqJson = buildReqJson(options.aigcMeta);
	const query = { reqKey, taskId, reqJson };

	const result = await getTaskResult(this, query);
	if (result.status === 'failed') throw result.error;
	const json: IDataObject = { task_id: taskId, status: result.status, req_key: reqKey, request_id: result.requestId };
	if (result.status === 'not_found' || result.status === 'expired') {
		throw new JimengApiError(
			this.getNode(),
			{ kind: 'task', code: result.status, requestId: result.requestId, taskId, retryable: false },
			result.status === 'expired'
				? `Jimeng task ${taskId} has expired: its video can no longer be fetched. Submit it again.`
				: `Jimeng does not know task ${taskId} for model ${reqKey}. ${TASK_RETENTION_NOTE}`,
			`request_id ${result.requestId}`,
		);
	}
	if (result.status !== 'done') return { json };

	json.video_url = result.videoUrl;
	if (typeof result.data.aigc_meta_tagged === 'boolean') json.aigc_meta_tagged = result.data.aigc_meta_tagged;
	const download = options.downloadVideo ?? !isToolCall(this);
	if (!download) return { json };

	const binary = await downloadVideo(this, {
		taskId,
		videoUrl: result.videoUrl,
		fileName: `${taskId}.mp4`,
		refreshUrl: async () => {
			const fresh = await getTaskResult(this, query);
			if (fresh.status !== 'done') throw fresh.status === 'failed' ? fresh.error : new Error(`task is ${fresh.status}`);
			json.video_url = fresh.videoUrl;
			return fresh.videoUrl;
		},
	});
	return { json, binary: { [options.binaryPropertyOutput || 'data']: binary } };
}
