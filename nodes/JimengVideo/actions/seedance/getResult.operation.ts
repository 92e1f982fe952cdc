import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { FINAL_STATUSES, arkTaskError, getTask } from '../../../shared/ark';
import { downloadResults } from '../../../shared/ark/resultItem';
import { readArkOutput, taskJson } from './taskItems';

/**
 * One query. A queued or running task comes back as an item (a workflow can loop on it), a task that
 * ended without a video (failed, expired, cancelled) as an error; a succeeded one with its video
 * and last frame downloaded unless turned off.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const taskId = String(this.getNodeParameter('taskId', itemIndex, ''));
	const output = readArkOutput(this, itemIndex);
	const task = await getTask(this, taskId);
	if (task.status !== 'succeeded' && FINAL_STATUSES.includes(task.status))
		throw arkTaskError(this.getNode(), task);
	const json = taskJson(task, output);
	const videoUrl = task.content?.video_url;
	if (task.status !== 'succeeded' || !output.download || !videoUrl) return { json };
	return { json, binary: await downloadResults(this, task, videoUrl, output.binaryProperty) };
}
