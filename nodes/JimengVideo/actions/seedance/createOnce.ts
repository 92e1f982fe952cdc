/** The idempotent Ark create: one create per item and execution, whatever n8n retries. */
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { ArkApiError, createTask, type ArkRequest, type CreatedTask } from '../../../shared/ark';
import { createOnce, executionTaskIds } from '../../../shared/ledger/submitOnce';
import { requestDigest } from './itemRequest';

/**
 * Creates one item's task once per execution (shared/ledger/submitOnce.ts): a re-run by Retry On
 * Fail gets the first outcome back — the task (`reused`), or the first "task may exist" error —
 * and sends nothing. An unknown outcome is settled by listing without ever adopting a task this
 * execution already owns. `waitOnQueueCap`: Ark's queued-task cap is the caller's to wait out (a
 * batch) instead of being retried here.
 */
export async function createArkTaskOnce(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: ArkRequest,
	options: { waitOnQueueCap?: boolean } = {},
): Promise<CreatedTask & { reused: boolean }> {
	const { answer, reused } = await createOnce<CreatedTask>(ctx, itemIndex, {
		api: 'Ark',
		call: 'create',
		model: request.body.model,
		digest: requestDigest(request),
		retention: 'Ark keeps tasks 7 days',
		send: async (sent) =>
			await createTask(ctx, request.body, {
				knownTaskIds: executionTaskIds(ctx),
				summary: { ...request.summary },
				onSend: ({ sentAt }) => sent(sentAt),
				...(options.waitOnQueueCap ? { retry: { retryQueueCap: false } } : {}),
			}),
		failure: (error) =>
			error instanceof ArkApiError
				? {
						error,
						mayExist: error.details.taskMayExist === true,
						sentAt: error.details.submittedAt,
					}
				: { error: new NodeApiError(ctx.getNode(), error as JsonObject), mayExist: undefined },
		acceptedNote: (created) =>
			`request_id ${created.requestId ?? 'unknown'}${created.resolvedByList ? ', found by listing after its answer was lost' : ''}`,
	});
	return { ...answer, reused };
}
