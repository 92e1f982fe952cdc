/**
 * Generate mode's shell: reads what n8n and Jimeng say, feeds it to the state machine
 * (generateMachine.ts) and carries out its effects — a task check, a submit, the emission. World
 * facts go to this process's journal the moment they are known; the state goes into the node's
 * static data with the items (docs/trigger.md).
 */
import { NodeOperationError } from 'n8n-workflow';
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { buildReqJson } from '../shared/jimeng/requests/taskParameters';
import type { VideoRequest } from '../shared/jimeng/requests/requestBuilder';
import { JimengApiError } from '../shared/jimeng/transport/JimengApiError';
import { submitTask } from '../shared/jimeng/transport/jimengApi';
import { allowanceJson, readLimits } from './generateLimits';
import { noticeJson, pauseJson, withRequest } from './generateItems';
import { generateRequest } from './generateRequest';
import {
	journalView,
	startPoll,
	step,
	type CheckResult,
	type Effect,
	type Event,
	type Machine,
	type SubmitResult,
	type Transition,
} from './generateMachine';
import { pollBudgetMs } from './pollSignals';
import { readJournal, triggerKey, writeJournal } from './processJournal';
import { checkTask, triggerOptions } from './taskCheck';
import {
	dayIn,
	emptyGenerateState,
	mergeStates,
	readState,
	writeState,
	type TaskRecord,
} from './triggerState';

type Items = INodeExecutionData[][] | null;
type Item = INodeExecutionData;

export async function pollGenerate(ctx: IPollFunctions, userActivation: boolean): Promise<Items> {
	const startedAt = Date.now();
	const request = generateRequest(ctx);
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
		const event =
			effect.type === 'check'
				? await runCheck(ctx, effect.task, effect.timeoutMs)
				: await runSubmit(ctx, request, effect.timeoutMs, userActivation);
		({ machine, effect } = step(machine, event));
		// A world fact (a task, an unknown outcome, a pause) is never only in this poll's hands.
		writeJournal(key, journalView(machine));
	}
	return finish(ctx, staticData, stored, machine, effect, today);
}

async function runCheck(
	ctx: IPollFunctions,
	task: TaskRecord,
	timeoutMs: number,
): Promise<Event<Item>> {
	const options = triggerOptions(ctx);
	const query = {
		reqKey: task.reqKey,
		taskId: task.taskId,
		reqJson: buildReqJson(options.aigcMeta),
	};
	const check = await checkTask(ctx, query, options, timeoutMs);
	const result: CheckResult<Item> =
		check.kind === 'ended'
			? { kind: 'ended', item: { ...check.item, json: withRequest(check.item.json, task) } }
			: { kind: check.kind };
	return { type: 'checked', taskId: task.taskId, result, now: Date.now() };
}

/** One attempt, bounded by the poll's time: a refusal that passes is tried again at the next poll. */
async function runSubmit(
	ctx: IPollFunctions,
	request: VideoRequest,
	timeoutMs: number,
	userActivation: boolean,
): Promise<Event<Item>> {
	const sentAt = Date.now();
	let result: SubmitResult;
	try {
		const answer = await submitTask(ctx, request.body, { retry: { maxAttempts: 1 }, timeoutMs });
		ctx.logger.info(
			`Jimeng task accepted: task_id ${answer.taskId} (model ${request.model.id}, trigger "${ctx.getNode().name}", request_id ${answer.requestId})`,
		);
		result = {
			kind: 'accepted',
			taskId: answer.taskId,
			reqKey: request.model.id,
			request: request.summary,
			sentAt,
		};
	} catch (error) {
		const details = error instanceof JimengApiError ? error.details : undefined;
		const detail = (error as Error).message;
		// Anything that is not a Jimeng answer proving nothing was created counts as "may exist".
		if (!details || details.taskMayExist) {
			result = { kind: 'unknown', detail, json: pauseJson(request, error), sentAt };
		} else {
			// Refused at the user's activation: the activation fails, where the user sees why.
			if (userActivation && !details.retryable)
				throw new NodeOperationError(ctx.getNode(), detail, {
					description:
						`${(error as JimengApiError).description ?? ''} Nothing was created; the workflow was not published.`.trim(),
				});
			result = {
				kind: 'refused',
				passing: details.retryable,
				detail,
				json: pauseJson(request, error),
			};
		}
		ctx.logger.warn(
			`Jimeng Video Trigger "${ctx.getNode().name}": submit ${result.kind} (${detail})`,
		);
	}
	return { type: 'submitted', result, now: Date.now() };
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
	request: VideoRequest,
	state: ReturnType<typeof emptyGenerateState>,
	limits: ReturnType<typeof readLimits>,
	today: string,
): Items {
	const json = {
		task_id: null,
		status: 'preview',
		...request.summary,
		req_key: request.model.id,
		allowance: allowanceJson(state, limits, today, request),
		in_flight: state.tasks.filter((task) => !task.finished).map((task) => task.taskId),
		note: 'Test event: no task was submitted (nothing is charged). When the workflow is published, each finished video is emitted with task_id, status "done", video_url and the video as binary data.',
	};
	return [[{ json }]];
}
