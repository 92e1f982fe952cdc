/**
 * The idempotent create, for every API: one paid create per item and execution, whatever n8n
 * re-runs (Retry On Fail re-runs a failed node in the same process, with the same execution, run
 * index and items). Its recovery points, in the submission ledger: sent (outcome unknown) → accepted
 * (task id) | may exist (the first error) | refused (forgotten: nothing exists, a re-run may send).
 * A re-run never re-enters "sent": it gets the first outcome back and sends nothing.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { SubmissionLedger, submissionLedger, type LedgerEntry } from './submissionLedger';

const CHANGED_REQUEST =
	'Its request has changed since the first try (an expression such as {{ $now }} gives a new value on every try), so it was not submitted again.';

/** What one API's create needs from the ledger logic. */
export interface OnceCreate<TAnswer extends { taskId: string }> {
	/** names the API in logs and messages: "Jimeng", "Ark" */
	api: string;
	/** what the API calls the call: "submit", "create" */
	call: string;
	model: string;
	/** digest of what is asked: a re-run that asks something else is told so */
	digest: string;
	/** how long the API keeps tasks, for messages: "tasks are kept 12 hours" */
	retention: string;
	/** Sends the create; `sent` is to be called as the request leaves (the "sent" recovery point). */
	send(sent: (at: Date) => void): Promise<TAnswer>;
	/**
	 * What a failed create means: the error the item fails with, and whether a task may exist
	 * (`undefined`: not known from the error, so "may exist" once the request was sent).
	 */
	failure(error: unknown): { error: Error; mayExist: boolean | undefined; sentAt?: string };
	/** the end of the "accepted" log line: the request id and what else helps find the task */
	acceptedNote(answer: TAnswer): string;
}

/** The first try's error, thrown again by every re-run, with a count of re-runs that sent nothing. */
type KnownError = Error & { details?: { rerunsNotSent?: number }; description?: string | null };

function ledgerKey(ctx: IExecuteFunctions, itemIndex: number): string {
	return SubmissionLedger.key({
		executionId: ctx.getExecutionId(),
		nodeName: ctx.getNode().name,
		runIndex: Number(ctx.getWorkflowDataProxy(itemIndex).$runIndex ?? 0),
		itemIndex,
	});
}

/** Every task this execution already owns (an unknown create must never adopt one of them). */
export function executionTaskIds(ctx: IExecuteFunctions): string[] {
	return submissionLedger.taskIdsOf(ctx.getExecutionId());
}

/**
 * Creates one item's task once per execution: a re-run gets the first try's answer back
 * (`reused: true`), or the first try's "task may exist" error, unchanged but for a note that
 * nothing was sent this time.
 */
export async function createOnce<TAnswer extends { taskId: string }>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	create: OnceCreate<TAnswer>,
): Promise<{ answer: TAnswer; reused: boolean }> {
	const key = ledgerKey(ctx, itemIndex);
	const where = `execution ${ctx.getExecutionId()}, node "${ctx.getNode().name}", item ${itemIndex}`;
	const known = submissionLedger.find(key);
	if (known) return { answer: reuse(ctx, itemIndex, known, create) as TAnswer, reused: true };
	let sentAt: Date | undefined;
	const sent = (at: Date) => {
		if (sentAt) return;
		sentAt = at;
		// Recorded before the answer: a node that dies between the send and the answer's record
		// (an unexpected error) must not let a re-run pay a second time.
		const error = new NodeOperationError(
			ctx.getNode(),
			`The ${create.api} ${create.call} of item ${itemIndex} was sent at ${at.toISOString()}, and the node stopped before its answer was read: a task may exist (and may be billed). It was not sent again.`,
			{ itemIndex },
		);
		submissionLedger.record(key, { outcome: 'may_exist', error, digest: create.digest });
	};
	let answer: TAnswer;
	try {
		answer = await create.send(sent);
	} catch (caught) {
		const { error, mayExist, sentAt: reported } = create.failure(caught);
		if (mayExist ?? sentAt !== undefined) {
			submissionLedger.record(key, { outcome: 'may_exist', error, digest: create.digest });
			const at = reported ?? sentAt?.toISOString() ?? 'unknown';
			ctx.logger.warn(
				`${create.api} ${create.call} outcome unknown: a task may exist (model ${create.model}, ${where}, sent at ${at}); it is never sent again in this execution`,
			);
		} else submissionLedger.forget(key);
		throw error;
	}
	submissionLedger.record(key, {
		outcome: 'accepted',
		taskId: answer.taskId,
		answer,
		digest: create.digest,
	});
	// Logged at once: if the process dies before the node returns (a killed worker), the id of a paid
	// task is still in the n8n log, ready for Get Result.
	ctx.logger.info(
		`${create.api} task accepted: task_id ${answer.taskId} (model ${create.model}, ${where}, ${create.acceptedNote(answer)})`,
	);
	return { answer, reused: false };
}

/** A re-run of an item that was submitted before in this execution: its first outcome, nothing sent. */
function reuse<TAnswer extends { taskId: string }>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	known: LedgerEntry,
	create: OnceCreate<TAnswer>,
): unknown {
	const changed = create.digest !== known.digest;
	ctx.logger.info(
		`${create.api} ${create.call} not sent again: item ${itemIndex} of node "${ctx.getNode().name}" was submitted earlier in execution ${ctx.getExecutionId()} (${known.outcome === 'accepted' ? `task ${known.taskId}` : 'outcome unknown'})`,
	);
	if (known.outcome === 'may_exist') {
		const note = `Retry On Fail ran this item again; nothing was sent.${changed ? ` ${CHANGED_REQUEST}` : ''}`;
		const error = known.error as KnownError;
		if (error.details) error.details.rerunsNotSent = (error.details.rerunsNotSent ?? 0) + 1;
		if (!String(error.description ?? '').includes(note))
			error.description = [error.description, note].filter(Boolean).join(' ');
		throw error;
	}
	if (changed) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex} was already submitted in this execution: ${create.api} accepted task ${known.taskId} at ${new Date(known.at).toISOString()}. ${CHANGED_REQUEST}`,
			{
				itemIndex,
				description: `Collect task ${known.taskId} with Get Result (${create.retention}). To submit the changed request, run the workflow again.`,
			},
		);
	}
	return known.answer;
}
