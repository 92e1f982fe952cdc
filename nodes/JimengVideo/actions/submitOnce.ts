/** The idempotent submit: one submit per item and execution, whatever n8n retries. */
import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { SubmissionLedger, submissionLedger } from '../../shared/ledger/submissionLedger';
import type { VideoRequest } from '../../shared/jimeng/requests/requestBuilder';
import { bodyDigest } from '../../shared/requests/jsonBody';
import { JimengApiError } from '../../shared/jimeng/transport/JimengApiError';
import type { CallOptions } from '../../shared/jimeng/transport/callApi';
import { submitTask, type SubmitAnswer } from '../../shared/jimeng/transport/jimengApi';

const CHANGED_REQUEST =
	'Its request has changed since the first try (an expression such as {{ $now }} gives a new value on every try), so it was not submitted again.';

/**
 * Submits one item's request once per execution. A node re-run by "Retry On Fail" gets the first
 * try's outcome back instead of a second paid task: the accepted task (`reused: true`), or the first
 * try's "task may exist" error, unchanged but for a note that nothing was sent this time.
 */
export async function submitOnce(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: VideoRequest,
	options?: CallOptions,
): Promise<SubmitAnswer & { reused: boolean }> {
	const runIndex = Number(ctx.getWorkflowDataProxy(itemIndex).$runIndex ?? 0);
	const key = SubmissionLedger.key({
		executionId: ctx.getExecutionId(),
		nodeName: ctx.getNode().name,
		runIndex,
		itemIndex,
	});
	const digest = bodyDigest(request.body);
	const known = submissionLedger.find(key);
	if (known) return reuse(ctx, itemIndex, known, digest !== known.digest);
	let answer: SubmitAnswer;
	try {
		answer = await submitTask(ctx, request.body, options);
	} catch (error) {
		throw recordFailure(ctx, key, digest, itemIndex, request, error);
	}
	submissionLedger.record(key, {
		outcome: 'accepted',
		taskId: answer.taskId,
		requestId: answer.requestId,
		digest,
	});
	// Logged at once: if the process dies before the node returns (a killed worker), the id of a paid
	// task is still in the n8n log, ready for Get Result.
	ctx.logger.info(
		`Jimeng task accepted: task_id ${answer.taskId} (model ${request.model.id}, execution ${ctx.getExecutionId()}, node "${ctx.getNode().name}", item ${itemIndex}, request_id ${answer.requestId})`,
	);
	return { ...answer, reused: false };
}

/** A failed submit, as the error this item fails with; an unknown outcome is recorded first. */
function recordFailure(
	ctx: IExecuteFunctions,
	key: string,
	digest: string,
	itemIndex: number,
	request: VideoRequest,
	error: unknown,
): JimengApiError | NodeApiError {
	if (!(error instanceof JimengApiError))
		return new NodeApiError(ctx.getNode(), error as JsonObject);
	if (error.details.taskMayExist) {
		// The item must say what was asked, to recognise the task in the console.
		error.details.request = { req_key: request.model.id, ...request.summary };
		submissionLedger.record(key, { outcome: 'may_exist', error, digest });
		ctx.logger.warn(
			`Jimeng submit outcome unknown: a task may exist (model ${request.model.id}, execution ${ctx.getExecutionId()}, node "${ctx.getNode().name}", item ${itemIndex}, sent at ${error.details.submittedAt ?? 'unknown'}); it is never sent again in this execution`,
		);
	}
	return error;
}

/** A re-run of an item that was submitted before in this execution: its first outcome, nothing sent. */
function reuse(
	ctx: IExecuteFunctions,
	itemIndex: number,
	known: NonNullable<ReturnType<typeof submissionLedger.find>>,
	changed: boolean,
): SubmitAnswer & { reused: boolean } {
	ctx.logger.info(
		`Jimeng submit not sent again: item ${itemIndex} of node "${ctx.getNode().name}" was submitted earlier in execution ${ctx.getExecutionId()} (${known.outcome === 'accepted' ? `task ${known.taskId}` : 'outcome unknown'})`,
	);
	if (known.outcome === 'may_exist') {
		const note = `Retry On Fail ran this item again; nothing was sent.${changed ? ` ${CHANGED_REQUEST}` : ''}`;
		const error = known.error as JimengApiError;
		error.details.rerunsNotSent = (error.details.rerunsNotSent ?? 0) + 1;
		if (!String(error.description ?? '').includes(note))
			error.description = [error.description, note].filter(Boolean).join(' ');
		throw error;
	}
	if (changed) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex} was already submitted in this execution: Jimeng accepted task ${known.taskId} at ${new Date(known.at).toISOString()}. ${CHANGED_REQUEST}`,
			{
				itemIndex,
				description: `Collect task ${known.taskId} with Get Result (tasks are kept 12 hours). To submit the changed request, run the workflow again.`,
			},
		);
	}
	return { taskId: known.taskId, requestId: known.requestId, reused: true };
}
