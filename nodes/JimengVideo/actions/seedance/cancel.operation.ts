import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { cancelTask } from '../../../shared/ark';

/**
 * Cancels a queued task. The status is read first: a running or cancelled task is refused with
 * what Ark allows, and nothing is sent to change it; a finished one is deleted only when Delete If
 * Finished is on (Ark's DELETE removes its record and video URL).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const taskId = String(this.getNodeParameter('taskId', itemIndex, ''));
	const options = this.getNodeParameter('options', itemIndex, {}) as { deleteFinished?: boolean };
	const result = await cancelTask(this, taskId, {
		deleteFinished: options.deleteFinished === true,
	});
	return {
		json: {
			task_id: result.taskId,
			status: result.action === 'cancelled' ? 'cancelled' : 'deleted',
			previous_status: result.previousStatus,
		},
	};
}
