/**
 * Ark's task calls other than create: get one task, list the account's tasks, cancel (or delete)
 * one. Sent by callArk.ts with its retry policy; answers read with task.ts.
 */
import { InputValidationError } from '../../requests/inputValues';
import { checkTaskId } from '../requests/parameterRules';
import { FINAL_STATUSES, readArkTask, type ArkTask, type ArkTaskStatus } from '../task';
import { ArkApiError, responseError } from './ArkApiError';
import { snippetOf } from './answers';
import { TASKS_PATH, callArkForAnswer, type ArkCallOptions, type ArkContext } from './callArk';

export interface ListQuery {
	/** 1-based; default 1 */
	pageNum?: number;
	/** 1 to 500; default 10 (Ark's default, inferred) */
	pageSize?: number;
	status?: ArkTaskStatus;
	taskIds?: readonly string[];
	/** the model or endpoint id the tasks were created with */
	model?: string;
	serviceTier?: 'default' | 'flex';
}

export interface TaskList {
	items: ArkTask[];
	total: number;
}

/** The list query string; repeated `filter.task_ids` as Ark documents. */
export function listPath(query: ListQuery): string {
	const params: Array<[string, string]> = [];
	const add = (key: string, value: string | number | undefined) => {
		if (value !== undefined) params.push([key, String(value)]);
	};
	add('page_num', query.pageNum ?? 1);
	add('page_size', query.pageSize ?? 10);
	add('filter.status', query.status);
	for (const id of query.taskIds ?? []) add('filter.task_ids', id);
	add('filter.model', query.model);
	add('filter.service_tier', query.serviceTier);
	const text = params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
	return `${TASKS_PATH}?${text}`;
}

export async function getTask(
	ctx: ArkContext,
	taskId: string,
	options: ArkCallOptions = {},
): Promise<ArkTask> {
	const id = checkTaskId(taskId);
	const answer = await callArkForAnswer(
		ctx,
		{ call: 'get', method: 'GET', path: `${TASKS_PATH}/${id}`, taskId: id },
		options,
	);
	const task = readArkTask(answer.body);
	if (!task) {
		throw responseError(ctx.getNode(), {
			what: `Ark answered task ${id} with an unknown status "${String(answer.body.status)}"`,
			snippet: snippetOf(answer.body),
			requestId: answer.requestId,
			taskId: id,
		});
	}
	return task;
}

export async function listTasks(
	ctx: ArkContext,
	query: ListQuery = {},
	options: ArkCallOptions = {},
): Promise<TaskList> {
	for (const [key, value] of [
		['pageNum', query.pageNum],
		['pageSize', query.pageSize],
	] as const) {
		if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 500))
			throw new InputValidationError(key, 'must be a whole number from 1 to 500', String(value));
	}
	const answer = await callArkForAnswer(
		ctx,
		{ call: 'list', method: 'GET', path: listPath(query) },
		options,
	);
	const raw = answer.body.items as unknown[];
	const items = raw.map(readArkTask).filter((task): task is ArkTask => task !== undefined);
	const total = typeof answer.body.total === 'number' ? answer.body.total : items.length;
	return { items, total };
}

export interface CancelOptions extends ArkCallOptions {
	/**
	 * A finished task (succeeded, failed, expired) is not cancelled but DELETED by Ark: its record and
	 * video URL are gone. Only with this set is that done; otherwise it is refused.
	 */
	deleteFinished?: boolean;
}

export interface CancelResult {
	taskId: string;
	/** the status before the call */
	previousStatus: ArkTaskStatus;
	action: 'cancelled' | 'deleted';
}

function refusal(ctx: ArkContext, task: ArkTask, why: string): ArkApiError {
	return new ArkApiError(
		ctx.getNode(),
		{ kind: 'task', code: 'OperationDenied.InvalidState', retryable: false, taskId: task.id },
		`Ark task ${task.id} is ${task.status}: ${why} Nothing was changed.`,
		'',
	);
}

/** Cancels a queued task; deletes a finished one only when asked (Ark's DELETE does both). */
export async function cancelTask(
	ctx: ArkContext,
	taskId: string,
	options: CancelOptions = {},
): Promise<CancelResult> {
	const task = await getTask(ctx, taskId, options);
	if (task.status === 'running')
		throw refusal(
			ctx,
			task,
			'Ark cannot cancel a running task; it finishes (and is billed) as usual.',
		);
	if (task.status === 'cancelled') throw refusal(ctx, task, 'it is already cancelled.');
	const finished = FINAL_STATUSES.includes(task.status);
	if (finished && !options.deleteFinished)
		throw refusal(
			ctx,
			task,
			'it has already finished, and Ark would delete its record and video URL instead of cancelling. Turn on Delete If Finished in the Cancel options to do that.',
		);
	const result: CancelResult = {
		taskId: task.id,
		previousStatus: task.status,
		action: finished ? 'deleted' : 'cancelled',
	};
	const refused = await deleteOrRefusal(ctx, task.id, options);
	// A DELETE retried after a lost answer is refused when the first one worked: look before failing.
	if (refused && !(await deleteTookEffect(ctx, task.id, finished, options))) throw refused;
	return result;
}

/** The DELETE; Ark's refusal (a 4xx envelope) comes back as a value, anything else is thrown. */
async function deleteOrRefusal(
	ctx: ArkContext,
	taskId: string,
	options: ArkCallOptions,
): Promise<ArkApiError | undefined> {
	const path = `${TASKS_PATH}/${taskId}`;
	return await callArkForAnswer(
		ctx,
		{ call: 'delete', method: 'DELETE', path, taskId },
		options,
	).then(
		() => undefined,
		(error: unknown) => {
			const refusal =
				error instanceof ArkApiError &&
				error.details.kind === 'api' &&
				(error.details.httpStatus ?? 500) < 500;
			if (refusal) return error;
			throw error;
		},
	);
}

async function deleteTookEffect(
	ctx: ArkContext,
	taskId: string,
	finished: boolean,
	options: ArkCallOptions,
): Promise<boolean> {
	try {
		return !finished && (await getTask(ctx, taskId, options)).status === 'cancelled';
	} catch (error) {
		// A deleted record is no longer found.
		return finished && error instanceof ArkApiError && error.details.httpStatus === 404;
	}
}
