/** Generate and Wait's results: one item per input item, or the error that stops the node. */
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorJson } from '../../shared/items/errorItems';
import { BatchStoppedError, type JobOutcome } from '../../shared/batch/batchScheduler';
import { batchOutcomeJson } from '../../shared/items/outputItems';
import type { Job } from './batchJobs';
import { appendToDescription, toNodeError } from './itemErrors';

function describeTasks(tasks: Array<{ index: number; taskId: string; state: string }>): string {
	return tasks
		.map((task) => `item ${task.index}: task_id ${task.taskId} (${task.state})`)
		.join('; ');
}

/** What the stop error says about the API: its name, and how long Get Result can collect a task. */
export interface BatchApi {
	api: 'Jimeng' | 'Ark';
	retention: string;
}

const JIMENG: BatchApi = { api: 'Jimeng', retention: 'within 12 hours' };

/** The error that stops the node, with every task the batch created: nothing paid for is lost. */
export function stoppedBatchError(
	ctx: IExecuteFunctions,
	jobs: Array<Pick<Job, 'itemIndex'>>,
	created: Map<number, string>,
	error: unknown,
	{ api, retention }: BatchApi = JIMENG,
) {
	const tasks =
		error instanceof BatchStoppedError
			? error.tasks.map((task) => ({ ...task, index: jobs[task.index].itemIndex }))
			: [...created].map(([index, taskId]) => ({ index, taskId, state: 'created' }));
	if (tasks.length)
		ctx.logger.warn(`${api} Generate and Wait stopped; tasks created: ${describeTasks(tasks)}`);
	const cause = error instanceof BatchStoppedError ? error.error : error;
	const itemIndex = error instanceof BatchStoppedError ? jobs[error.index].itemIndex : 0;
	const nodeError = toNodeError(ctx, cause, itemIndex, api);
	if (tasks.length)
		appendToDescription(
			nodeError,
			`Tasks this batch created (collect them with Get Result ${retention}): ${describeTasks(tasks)}.`,
		);
	return nodeError;
}

/** One output item per input item, in input order. */
export function outputItems(
	count: number,
	jobs: Job[],
	outcomes: Array<JobOutcome<IBinaryData, unknown>>,
	errors: Map<number, unknown>,
): INodeExecutionData[] {
	const outcomeByItem = new Map(
		jobs.map((job, index) => [job.itemIndex, { job, outcome: outcomes[index] }]),
	);
	return Array.from({ length: count }, (_, itemIndex) => {
		const pairedItem = { item: itemIndex };
		const entry = outcomeByItem.get(itemIndex);
		if (!entry) return { json: errorJson(errors.get(itemIndex)), pairedItem };
		const { job, outcome } = entry;
		if (outcome.state === 'failed')
			return { json: errorJson(outcome.error, outcome.taskId), pairedItem };
		const item: INodeExecutionData = {
			json: batchOutcomeJson(job.request, outcome) as IDataObject,
			pairedItem,
		};
		if (outcome.state === 'done' && outcome.binary)
			item.binary = { [job.binaryProperty]: outcome.binary };
		return item;
	});
}
