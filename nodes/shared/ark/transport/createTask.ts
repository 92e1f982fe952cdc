/**
 * POST /contents/generations/tasks: one paid video. Repeated only after an answer proving no task
 * exists (retryPolicy.ts). An unknown outcome is settled by listing (resolveCreate.ts): the task
 * found is adopted (`resolvedByList`), otherwise the error says `taskMayExist`, when the create was
 * sent and what it asked for. Never sent twice for an unknown outcome.
 */
import type { ArkCreateBody } from '../requests/requestBuilder';
import { ArkApiError, unknownOutcomeError } from './ArkApiError';
import {
	callArk,
	TASKS_PATH,
	type ArkCallOptions,
	type ArkContext,
	type UnknownOutcome,
} from './callArk';
import { resolveUnknownCreate, type ResolveOptions, type ResolveResult } from './resolveCreate';
import type { ArkTask } from '../task';

export interface CreateOptions extends ArkCallOptions {
	/** Task ids the caller already has: never adopted when settling an unknown outcome. */
	knownTaskIds?: Iterable<string>;
	/** How to look for the task after an unknown outcome; false: do not look (report it at once). */
	resolve?: ResolveOptions | false;
	/** What errors carry about the request (default: the body's visible fields). */
	summary?: Record<string, unknown>;
}

export interface CreatedTask {
	taskId: string;
	/** when the attempt that made the task was sent */
	sentAt: Date;
	/** the answer was lost and the task was found by listing */
	resolvedByList: boolean;
	requestId?: string;
	/** the task as listed, when found by listing */
	task?: ArkTask;
}

/** The body's visible fields (no media data) for errors: the prompt, the model, the settings. */
export function summarizeCreateBody(body: ArkCreateBody): Record<string, unknown> {
	// The callback URL is left out: it may carry a token of the user's receiver.
	const { content, ...settings } = body;
	delete settings.callback_url;
	const text = content.find((item) => item.type === 'text')?.text;
	const media = content.filter((item) => item.type !== 'text' && item.type !== 'draft_task').length;
	return { ...settings, prompt: typeof text === 'string' ? text : '', media_items: media };
}

function listingNote(result: ResolveResult | undefined, failure?: unknown): string {
	if (failure instanceof ArkApiError)
		return `Looking for it in the task list failed too (${failure.details.code}).`;
	if (!result) return 'It was not looked up in the task list.';
	if (result.kind === 'ambiguous')
		return `The task list shows ${result.taskIds.length} tasks that fit (${result.taskIds.join(', ')}): none was adopted, as it cannot be told which is this one.`;
	return `No fitting task was in the task list after ${result.lists} look${result.lists === 1 ? '' : 's'}.`;
}

async function settleUnknown(
	ctx: ArkContext,
	body: ArkCreateBody,
	unknown: UnknownOutcome,
	options: CreateOptions,
): Promise<CreatedTask> {
	let result: ResolveResult | undefined;
	let failure: unknown;
	if (options.resolve !== false && !unknown.cancelled) {
		try {
			result = await resolveUnknownCreate(
				ctx,
				{ body, sentAt: unknown.sentAt, knownTaskIds: options.knownTaskIds },
				options.resolve,
				options,
			);
		} catch (error) {
			failure = error;
		}
	}
	if (result?.kind === 'found')
		return {
			taskId: result.task.id,
			sentAt: unknown.sentAt,
			resolvedByList: true,
			task: result.task,
		};
	const { error, cause } = unknown.judged;
	throw unknownOutcomeError(ctx.getNode(), {
		cause,
		code: error.details.code,
		kind: error.details.kind,
		httpStatus: error.details.httpStatus,
		requestId: error.details.requestId,
		sentAt: unknown.sentAt,
		request: options.summary ?? summarizeCreateBody(body),
		description: error.description ?? '',
		listing: unknown.cancelled
			? 'It was not looked up, as the execution was cancelled.'
			: listingNote(result, failure),
	});
}

export async function createTask(
	ctx: ArkContext,
	body: ArkCreateBody,
	options: CreateOptions = {},
): Promise<CreatedTask> {
	// Serialised once: a repeated create (after a refusal) sends the same bytes.
	const payload = Buffer.from(JSON.stringify(body), 'utf8');
	const result = await callArk(
		ctx,
		{ call: 'create', method: 'POST', path: TASKS_PATH, body: payload },
		options,
	);
	if ('unknown' in result) return await settleUnknown(ctx, body, result.unknown, options);
	return {
		taskId: String(result.answer.body.id),
		sentAt: result.sentAt,
		resolvedByList: false,
		requestId: result.answer.requestId,
	};
}
