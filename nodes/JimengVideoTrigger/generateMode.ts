/**
 * Generate mode: keeps one task of its own in flight and emits each video when it is done, within
 * the spending limits (Max Videos per activation, Max Videos per Day).
 *
 * A paid task id must never live only in memory: n8n saves static data after the activation poll
 * and after polls that emit, so a task is submitted only there — in the activation poll, or in the
 * poll that emits (the finished video, a limit notice, the start of a new day), which submits first
 * and emits once the new id is recorded. A submit whose outcome is unknown pauses generation until
 * the user activates the workflow again; the pause survives restarts.
 */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { TaskQuery } from '../shared/jimeng/taskResult';
import type { VideoRequest } from '../shared/jimeng/requests/requestBuilder';
import { buildReqJson } from '../shared/jimeng/requests/taskParameters';
import { allowanceJson, readLimits } from './generateLimits';
import { generateRequest, submitNext } from './generateSubmit';
import { UNLEASED_POLL_BUDGET_MS, isUserActivation, pollBudgetMs } from './pollScheduling';
import { checkTask, triggerOptions } from './pollTasks';
import {
	currentAllowance,
	dayIn,
	pauseOf,
	startActivation,
	type Limits,
	type TriggerState,
} from './triggerState';

type Items = INodeExecutionData[][] | null;

/** Nothing in flight: start generating, where the new task id will be saved. */
async function start(
	ctx: IPollFunctions,
	state: TriggerState,
	request: VideoRequest,
	limits: Limits,
	activationPoll: boolean,
): Promise<Items> {
	const today = dayIn(Date.now(), ctx.getTimezone());
	const limitedOn = state.allowance?.limitedOn;
	// Outside the activation poll only a new day restarts generation, and that poll emits to save the task id.
	if (!activationPoll && !(limitedOn && limitedOn !== today)) return null;
	// A restart on the limited day changes nothing: that limit was announced already.
	if (limitedOn === today && !isUserActivation(ctx)) return null;
	if (state.allowance) delete state.allowance.limitedOn;
	const next = await submitNext(
		ctx,
		state,
		request,
		limits,
		activationPoll ? 'activation' : 'poll',
	);
	if (next.kind === 'later') {
		if (limitedOn) state.allowance = { ...currentAllowance(state, today), limitedOn };
		return null;
	}
	if (next.kind === 'stopped') return [[{ json: next.json }]];
	if (activationPoll) return null;
	return [
		[
			{
				json: {
					task_id: next.taskId,
					status: 'generation_resumed',
					req_key: request.model.id,
					...request.summary,
					note: `A new day (${today}): generation resumed within Max Videos per Day.`,
				},
			},
		],
	];
}

/** The finished (or failed) task in flight, as the item to emit; null while it runs or could not be fetched. */
async function collect(
	ctx: IPollFunctions,
	state: TriggerState,
): Promise<INodeExecutionData | null> {
	const current = state.current!;
	const options = triggerOptions(ctx);
	const query: TaskQuery = {
		reqKey: current.reqKey,
		taskId: current.taskId,
		reqJson: buildReqJson(options.aigcMeta),
	};
	const check = await checkTask(ctx, query, options);
	return check.kind === 'done' || check.kind === 'failed' ? check.item : null;
}

export async function pollGenerate(
	ctx: IPollFunctions,
	state: TriggerState,
	activationPoll: boolean,
): Promise<Items> {
	const startedAt = Date.now();
	const request = generateRequest(ctx);
	const limits = readLimits(ctx);
	const today = dayIn(startedAt, ctx.getTimezone());

	if (ctx.getMode() === 'manual') {
		// A test click must not leave a paid task behind that nobody collects: show the request only.
		const json = {
			task_id: null,
			status: 'preview',
			...request.summary,
			req_key: request.model.id,
			allowance: allowanceJson(state, limits, today, request),
			note: 'Test event: no task was submitted (nothing is charged). When the workflow is active, each finished video is emitted with task_id, status "done", video_url and the video as binary data.',
		};
		return [[{ json }]];
	}

	if (activationPoll && isUserActivation(ctx)) startActivation(state, today);
	if (!state.current)
		return pauseOf(state) ? null : await start(ctx, state, request, limits, activationPoll);

	const finished = await collect(ctx, state);
	if (!finished) return null;
	// n8n's durable scheduler abandons a poll past its lease (and drops what it emits): never submit that late.
	const budget = pollBudgetMs(ctx);
	if (budget < UNLEASED_POLL_BUDGET_MS && Date.now() - startedAt > budget * 0.8) {
		ctx.logger.warn(
			`Jimeng Video Trigger: the poll ran out of time; task ${state.current.taskId} is emitted at the next poll`,
		);
		return null;
	}
	// The next task goes in before the finished one is emitted, so both are saved together.
	const finishedTask = state.current;
	delete state.current;
	const next = await submitNext(ctx, state, request, limits, 'poll');
	if (next.kind === 'later') {
		state.current = finishedTask;
		ctx.logger.info(
			`Jimeng Video Trigger: the next task could not be submitted yet (${(next.error as Error).message}); task ${finishedTask.taskId} is emitted once it is`,
		);
		return null;
	}
	return next.kind === 'stopped' ? [[finished, { json: next.json }]] : [[finished]];
}
