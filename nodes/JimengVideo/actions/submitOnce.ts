/** The idempotent Jimeng submit: one submit per item and execution, whatever n8n retries. */
import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { createOnce } from '../../shared/ledger/submitOnce';
import type { VideoRequest } from '../../shared/jimeng/requests/requestBuilder';
import { bodyDigest } from '../../shared/requests/jsonBody';
import { JimengApiError } from '../../shared/jimeng/transport/JimengApiError';
import type { CallOptions } from '../../shared/jimeng/transport/callApi';
import { submitTask, type SubmitAnswer } from '../../shared/jimeng/transport/jimengApi';

/**
 * Submits one item's request once per execution (shared/ledger/submitOnce.ts). A node re-run by
 * "Retry On Fail" gets the first try's outcome back instead of a second paid task: the accepted
 * task (`reused: true`), or the first try's "task may exist" error.
 */
export async function submitOnce(
	ctx: IExecuteFunctions,
	itemIndex: number,
	request: VideoRequest,
	options?: CallOptions,
): Promise<SubmitAnswer & { reused: boolean }> {
	const { answer, reused } = await createOnce<SubmitAnswer>(ctx, itemIndex, {
		api: 'Jimeng',
		call: 'submit',
		model: request.model.id,
		digest: bodyDigest(request.body),
		retention: 'tasks are kept 12 hours',
		send: async () => await submitTask(ctx, request.body, options),
		failure: (error) => {
			if (!(error instanceof JimengApiError))
				return { error: new NodeApiError(ctx.getNode(), error as JsonObject), mayExist: false };
			// The item must say what was asked, to recognise the task in the console.
			if (error.details.taskMayExist)
				error.details.request = { req_key: request.model.id, ...request.summary };
			return {
				error,
				mayExist: error.details.taskMayExist === true,
				sentAt: error.details.submittedAt,
			};
		},
		acceptedNote: (accepted) => `request_id ${accepted.requestId}`,
	});
	return { ...answer, reused };
}
