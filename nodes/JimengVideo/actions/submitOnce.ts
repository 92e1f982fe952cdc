/** The idempotent submit: one paid task per item and execution, whatever n8n retries. */
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { SubmissionLedger, submissionLedger } from '../../shared/ledger/submissionLedger';
import type { VideoRequest } from '../../shared/jimeng/requests/requestBuilder';
import { JimengApiError } from '../../shared/jimeng/transport/JimengApiError';
import type { CallOptions } from '../../shared/jimeng/transport/callApi';
import { submitTask, type SubmitAnswer } from '../../shared/jimeng/transport/jimengApi';

/**
 * Submits one item's request once per execution: a node re-run by "Retry On Fail" gets the task
 * created by the first attempt back (`reused: true`) instead of paying for a second one.
 */
export async function submitOnce(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: VideoRequest,
	options?: CallOptions,
): Promise<SubmitAnswer & { reused: boolean }> {
	const runIndex = Number(ctx.getWorkflowDataProxy(itemIndex).$runIndex ?? 0);
	const key = SubmissionLedger.key(
		{ executionId: ctx.getExecutionId(), nodeName: ctx.getNode().name, runIndex, itemIndex },
		request.body,
	);
	const known = submissionLedger.find(key);
	if (known) return { taskId: known.taskId, requestId: known.requestId, reused: true };
	let answer: SubmitAnswer;
	try {
		answer = await submitTask(ctx, request.body, options);
	} catch (error) {
		// An unknown outcome: the item must say what was asked, to recognise the task in the console.
		if (error instanceof JimengApiError && error.details.taskMayExist) {
			error.details.request = { req_key: request.model.id, ...request.summary };
		}
		throw new NodeApiError(ctx.getNode(), error as JsonObject);
	}
	submissionLedger.record(key, answer.taskId, answer.requestId);
	// Logged at once: if the process dies before the node returns (a killed worker), the id of a paid
	// task is still in the n8n log, ready for Get Result.
	ctx.logger.info(
		`Jimeng task accepted: task_id ${answer.taskId} (model ${request.model.id}, execution ${ctx.getExecutionId()}, node "${ctx.getNode().name}", item ${itemIndex}, request_id ${answer.requestId})`,
	);
	return { ...answer, reused: false };
}
