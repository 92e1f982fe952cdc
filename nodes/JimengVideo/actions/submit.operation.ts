import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { submittedJson } from '../../shared/items/outputItems';
import { buildItemRequest } from './itemRequest';
import { addHints } from './runContext';
import { submitOnce } from './submitOnce';
import { videoInputProperties } from '../../shared/descriptions/fields';

export const description: INodeProperties[] = updateDisplayOptions(
	{ show: { operation: ['submit'] } },
	[
		{
			displayName:
				'Submit returns at once with a task_id. Fetch the video later with Get Result (tasks are kept 12 hours), or use Generate and Wait to get it in one step.',
			name: 'submitNotice',
			type: 'notice',
			default: '',
		},
		...videoInputProperties(),
	],
);

/** One item: check its parameters, create one task, return its id. Never retried once it may exist. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const request = await buildItemRequest(this, itemIndex);
	addHints(this, request.hints);
	const answer = await submitOnce(this, itemIndex, request);
	const json = submittedJson(request, answer.taskId, answer.requestId) as IDataObject;
	if (answer.reused) json.reused_task = true;
	return { json };
}
