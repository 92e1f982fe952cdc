/** Seedance's Generate and Wait results: one item per input item, in input order. */
import type { IBinaryKeyData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { JobOutcome } from '../../../shared/batch/batchScheduler';
import { errorJson } from '../../../shared/items/errorItems';
import type { ArkJob } from './batchJobs';
import { taskJson } from './taskItems';

/** The scheduler's own names for a task still waiting, as Ark names them. */
const ARK_STATUS: Record<string, string> = { in_queue: 'queued', generating: 'running' };

function timedOutJson(
	job: ArkJob,
	outcome: Extract<JobOutcome<IBinaryKeyData, unknown>, { state: 'timedOut' }>,
): IDataObject {
	const base = job.lastTask
		? taskJson(job.lastTask, job.output, job.created?.resolvedByList)
		: {
				task_id: outcome.taskId ?? null,
				status: ARK_STATUS[outcome.lastStatus] ?? outcome.lastStatus,
				model: job.summary.model,
			};
	return {
		...base,
		prompt: job.summary.prompt,
		request_id: outcome.submitRequestId || null,
		timed_out: true,
		note: outcome.taskId
			? 'Max Wait reached before the video was ready. The task goes on: collect it with Get Result and this task_id (Ark keeps tasks 7 days).'
			: 'Max Wait reached while the account’s queue was full: this item was never created and costs nothing. Run it again.',
	};
}

function doneItem(
	job: ArkJob,
	outcome: Extract<JobOutcome<IBinaryKeyData, unknown>, { state: 'done' }>,
): INodeExecutionData {
	const json: IDataObject = {
		...(job.lastTask
			? taskJson(job.lastTask, job.output, job.created?.resolvedByList)
			: { task_id: outcome.taskId, status: 'succeeded', video_url: outcome.videoUrl }),
		prompt: job.summary.prompt,
		request_id: outcome.submitRequestId || null,
		timed_out: false,
	};
	return outcome.binary ? { json, binary: outcome.binary } : { json };
}

export function arkOutputItems(
	count: number,
	jobs: ArkJob[],
	outcomes: Array<JobOutcome<IBinaryKeyData, unknown>>,
	errors: Map<number, unknown>,
): INodeExecutionData[] {
	const byItem = new Map(
		jobs.map((job, index) => [job.itemIndex, { job, outcome: outcomes[index] }]),
	);
	return Array.from({ length: count }, (_, itemIndex) => {
		const pairedItem = { item: itemIndex };
		const entry = byItem.get(itemIndex);
		if (!entry) return { json: errorJson(errors.get(itemIndex)), pairedItem };
		const { job, outcome } = entry;
		if (outcome.state === 'failed')
			return { json: errorJson(outcome.error, outcome.taskId), pairedItem };
		if (outcome.state === 'timedOut') return { json: timedOutJson(job, outcome), pairedItem };
		return { ...doneItem(job, outcome), pairedItem };
	});
}
