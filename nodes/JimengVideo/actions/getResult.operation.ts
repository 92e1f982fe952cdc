import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { optionsCollection, resultOptions } from '../../shared/descriptions/options';
import { DEFAULT_MODEL } from '../../shared/jimeng/models';
import { buildReqJson, checkTaskId } from '../../shared/jimeng/requests/taskParameters';
import { doneTaskItem, itemOptions, queryTask } from '../../shared/jimeng/taskResult';
import type { ResultOptions, TaskQuery } from '../../shared/jimeng/taskResult';
import { isToolCall } from './runContext';

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
		optionsCollection(resultOptions),
	],
);

/** One query. Running tasks come back as items (a workflow can loop on them), failures as errors. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const reqKey = String(this.getNodeParameter('model', itemIndex, DEFAULT_MODEL));
	const taskId = checkTaskId(this.getNodeParameter('taskId', itemIndex, ''));
	const options = this.getNodeParameter('options', itemIndex, {}) as ResultOptions;
	const query: TaskQuery = { reqKey, taskId, reqJson: buildReqJson(options.aigcMeta) };

	const outcome = await queryTask(this, query);
	if (outcome.kind === 'failed') throw outcome.error;
	if (outcome.kind === 'done')
		return await doneTaskItem(this, query, outcome.result, itemOptions(options, !isToolCall(this)));
	return {
		json: {
			task_id: taskId,
			status: outcome.status,
			req_key: reqKey,
			request_id: outcome.requestId,
		},
	};
}
