// The Ark simulator's task list: `filter.*` and paging as Ark documents them, newest first
// (docs/ark-api.md "List"). Pure.
import { taskView, type ArkSimTask } from './arkTasks';
import { ArkSimError } from './arkValidation';

function pageParameter(query: URLSearchParams, key: string, fallback: number): number {
	const raw = query.get(key);
	const value = raw === null ? fallback : Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > 500)
		throw new ArkSimError(
			400,
			'InvalidParameter',
			`The parameter \`${key}\` specified in the request is not valid.`,
			key,
		);
	return value;
}

/** One page of the account's visible tasks; `filter.service_tier` defaults to `default`, as at Ark. */
export function listPage(
	tasks: ArkSimTask[],
	query: URLSearchParams,
): { items: unknown[]; total: number } {
	const pageNum = pageParameter(query, 'page_num', 1);
	const pageSize = pageParameter(query, 'page_size', 10);
	const status = query.get('filter.status');
	const ids = query.getAll('filter.task_ids');
	const model = query.get('filter.model');
	const tier = query.get('filter.service_tier') ?? 'default';
	const matching = tasks
		.filter(
			(task) => (!status || task.status === status) && (ids.length === 0 || ids.includes(task.id)),
		)
		// filter.model is the model or endpoint id the task was created with
		.filter(
			(task) => (!model || task.request.endpoint === model) && task.request.serviceTier === tier,
		)
		.sort((a, b) => b.createdAt - a.createdAt || (b.id > a.id ? 1 : -1));
	const items = matching.slice((pageNum - 1) * pageSize, pageNum * pageSize).map(taskView);
	return { items, total: matching.length };
}
