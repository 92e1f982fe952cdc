/**
 * Generate mode's shell: reads what n8n and Jimeng say, feeds it to the state machine
 * (generateMachine.ts) and carries out its effects — a task check, a submit, the emission. World
 * facts go to this process's journal the moment they are known; the state goes into the node's
 * static data with the items (docs/trigger.md).
 */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { triggerApi, triggerApiName } from './apis';
import type { GenerateRequest } from './apis/triggerApi';
import { allowanceJson, readLimits } from './generateLimits';
import { noticeJson, withRequest } from './generateItems';
import {
	journalView,
	startPoll,
	step,
	type CheckResult,
	type Effect,
	type Event,
	type Machine,
	type Transition,
} from './generateMachine';
import { pollBudgetMs } from './pollSignals';
import { readJournal, triggerKey, writeJournal } from './processJournal';
import { triggerOptions } from './triggerOptions';
import {
	dayIn,
	mergeStates,
	readState,
	writeState,
	type GenerateState,
	type Limits,
	type TaskRecord,
} from './triggerState';

type Items = INodeExecutionData[][] | null;
type Item = INodeExecutionData;

export async function pollGenerate(ctx: IPollFunctions, userActivation: boolean): Promise<Items> {
	const startedAt = Date.now();
	const apiName = triggerApiName(ctx);
	const request = triggerApi(apiName).generateRequest(ctx);
	const limits = readLimits(ctx);
	const today = dayIn(startedAt, ctx.getTimezone());
	const staticData = ctx.getWorkflowStaticData('node');
	const stored = readState(staticData);
	const key = triggerKey(ctx);
	const merged = mergeStates(stored.generate, readJournal(key), startedAt);

	if (ctx.getMode() === 'manual') return preview(request, merged, limits, today);

	const budget = pollBudgetMs(ctx);
	let { machine, effect }: Transition<Item> = startPoll<Item>(merged, {
		now: startedAt,
		today,
		limits,
		userActivation,
		budgetEndsAt: startedAt + budget,
		checkDeadline: startedAt + budget * 0.7,
		savedTaskIds: (stored.generate?.tasks ?? []).map((task) => task.taskId),
	});
	writeJournal(key, journalView(machine));
	while (effect.type !== 'emit') {
		const event: Event<Item> =
			effect.type === 'check'
				? await runCheck(ctx, effect.task, effect.timeoutMs)
				: {
						type: 'submitted',
						result: await request.send(ctx, {
							timeoutMs: effect.timeoutMs,
							knownTaskIds: machine.state.tasks.map((task) => task.taskId),
							userActivation,
						}),
						now: Date.now(),
					};
		({ machine, effect } = step(machine, event));
		// A world fact (a task, an unknown outcome, a pause) is never only in this poll's hands.
		writeJournal(key, journalView(machine));
	}
	return finish(ctx, staticData, stored, machine, effect, today);
}

/** One task checked by the API it was submitted to. */
async function runCheck(
	ctx: IPollFunctions,
	task: TaskRecord,
	timeoutMs: number,
): Promise<Event<Item>> {
	const api = triggerApi(task.api ?? 'visual');
	const check = await api.checkTask(
		ctx,
		{ taskId: task.taskId, model: task.reqKey },
		triggerOptions(ctx),
		timeoutMs,
	);
	const result: CheckResult<Item> =
		check.kind === 'ended'
			? { kind: 'ended', item: { ...check.item, json: withRequest(check.item.json, task) } }
			: { kind: check.kind };
	return { type: 'checked', taskId: task.taskId, result, now: Date.now() };
}

function finish(
	ctx: IPollFunctions,
	staticData: Record<string, unknown>,
	stored: ReturnType<typeof readState>,
	machine: Machine<Item>,
	effect: Extract<Effect<Item>, { type: 'emit' }>,
	today: string,
): Items {
	if (machine.notSubmitted)
		ctx.logger.debug(
			`Jimeng Video Trigger "${ctx.getNode().name}": nothing submitted: ${machine.notSubmitted}`,
		);
	// Written with the items: n8n saves the static data with an emission (and, with durable cursors, after every poll).
	writeState(staticData, { ...stored, generate: machine.state });
	const notices = effect.notices.map((notice) => ({
		json: noticeJson(notice, today, ctx.getTimezone()),
	}));
	const items = [...effect.items, ...notices];
	return items.length ? [items] : null;
}

/** Fetch Test Event: the request and the allowance; nothing is submitted or recorded. */
function preview(
	request: GenerateRequest,
	state: GenerateState,
	limits: Limits,
	today: string,
): Items {
	const json = {
		task_id: null,
		status: 'preview',
		...request.summary,
		req_key: request.model,
		allowance: allowanceJson(state, limits, today, request),
		in_flight: state.tasks.filter((task) => !task.finished).map((task) => task.taskId),
		note: 'Test event: no task was submitted (nothing is charged). When the workflow is published, each finished video is emitted with task_id, status "done", video_url and the video as binary data.',
	};
	return [[{ json }]];
}
