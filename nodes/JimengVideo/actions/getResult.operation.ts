import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_MODEL } from '../../shared/helpers/models';
import { buildReqJson, checkTaskId, type AigcMeta } from '../../shared/helpers/taskParameters';
import { getTaskResult } from '../../shared/transport/jimengApi';
import { isToolCall } from './runContext';
import {
	doneTaskItem,
	itemOptions,
	missingTaskError,
	type OutputOptions,
	type TaskQuery,
} from '../../shared/taskResult';
import {
	aigcMetaOption,
	binaryPropertyOutputOption,
	downloadVideoOption,
} from '../../shared/descriptions/options';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { operation: ['getResult'] } },
	[
		{
			displayName: 'Task ID',
			name: 'taskId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 7392616336519610409',
			description:
				'The task ID returned by Submit, as text (task IDs are longer than a number can hold exactly). Tasks are kept 12 hours.',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [aigcMetaOption, binaryPropertyOutputOption, downloadVideoOption],
		},
	],
);

export interface ResultOptions extends OutputOptions {
	aigcMeta?: AigcMeta;
}

/** One query. Running tasks come back as items (a workflow can loop on them), failures as errors. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const reqKey = String(this.getNodeParameter('model', itemIndex, DEFAULT_MODEL));
	const taskId = checkTaskId(this.getNodeParameter('taskId', itemIndex, ''));
	const options = this.getNodeParameter('options', itemIndex, {}) as ResultOptions;
	const query: TaskQuery = { reqKey, taskId, reqJson: buildReqJson(options.aigcMeta) };

	const result = await getTaskResult(this, query);
	switch (result.status) {
		case 'failed':
			throw result.error;
		case 'not_found':
		case 'expired':
			throw missingTaskError(this, query, result);
		case 'done':
			return await doneTaskItem(this, query, result, itemOptions(options, !isToolCall(this)));
		default:
			return {
				json: {
					task_id: taskId,
					status: result.status,
					req_key: reqKey,
					request_id: result.requestId,
				},
			};
	}
}
