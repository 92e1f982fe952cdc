/**
 * Watch Tasks mode: one item per listed task when it reaches a final state, never twice while it is
 * listed. Nothing here costs money; an emission n8n throws away is simply made again at the next
 * poll (the ids it emitted are saved with it, or not at all).
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { DEFAULT_MODEL } from '../shared/jimeng/models';
import { CALL_TIMEOUT_MS } from './generateMachine';
import { pollBudgetMs } from './pollSignals';
import { triggerApi, triggerApiName } from './apis';
import { triggerOptions } from './triggerOptions';
import { markWatched, readState, writeState } from './triggerState';

/** A listed token that is not a task id: reported once, like a failed task. */
function invalidIdJson(token: string, reqKey: string): IDataObject {
	return {
		task_id: token,
		status: 'invalid',
		req_key: reqKey,
		error: `"${token}" is not a task id (task ids are digits)`,
		code: 'INVALID_TASK_ID',
		request_id: null,
		retryable: false,
	};
}

export async function pollWatchedTasks(
	ctx: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const manual = ctx.getMode() === 'manual';
	const startedAt = Date.now();
	// n8n's durable scheduler abandons a poll past its budget: no new query starts late.
	const deadline = startedAt + pollBudgetMs(ctx) * 0.7;
	const reqKey = String(ctx.getNodeParameter('model', DEFAULT_MODEL));
	const opts = triggerOptions(ctx);
	const emitFailures = opts.emitFailures ?? true;
	const api = triggerApi(triggerApiName(ctx));
	const { ids, invalid } = api.parseTaskIds(ctx.getNodeParameter('taskIds', ''));
	const staticData = ctx.getWorkflowStaticData('node');
	const state = readState(staticData);
	const watched = new Set(state.watched ?? []);

	const items: INodeExecutionData[] = [];
	const finished: string[] = [];
	const running: IDataObject[] = [];

	for (const token of invalid.filter((token) => !watched.has(token))) {
		finished.push(token);
		if (emitFailures) items.push({ json: invalidIdJson(token, reqKey) });
	}
	for (const taskId of ids) {
		if (watched.has(taskId) && !manual) continue;
		if (Date.now() > deadline) break; // the rest waits for the next poll
		const timeoutMs = Math.min(CALL_TIMEOUT_MS, Math.max(1000, deadline - Date.now()));
		const check = await api.checkTask(ctx, { taskId, model: reqKey }, opts, timeoutMs);
		if (check.kind === 'later') continue;
		if (check.kind === 'running') {
			running.push({ task_id: taskId, status: check.status, req_key: reqKey });
			continue;
		}
		finished.push(taskId);
		if (check.item.json.status === 'done' || emitFailures) items.push(check.item);
	}

	if (manual) {
		// A test event shows what the trigger produces and marks nothing as emitted.
		const shown = items.length ? items : running.map((json) => ({ json }));
		return shown.length ? [shown] : null;
	}
	// Written with the items: n8n saves this state when (and only when) it keeps them.
	writeState(staticData, {
		...state,
		watched: markWatched(state.watched, finished, [...ids, ...invalid]),
	});
	return items.length ? [items] : null;
}
