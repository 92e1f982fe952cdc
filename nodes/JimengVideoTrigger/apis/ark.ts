/**
 * The trigger on Volcengine Ark (Seedance): Generate mode's request from the trigger's parameters,
 * its one create judged into a machine outcome — an unknown outcome first settled by listing the
 * account's tasks (never adopting a task this trigger already owns) — and one task checked.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import {
	ArkApiError,
	DEFAULT_ARK_MODEL,
	arkTaskError,
	arkTaskJson,
	buildArkRequest,
	createTask,
	getTask,
	type ArkRequest,
	type ArkTask,
} from '../../shared/ark';
import { arkResultItem } from '../../shared/ark/resultItem';
import { InputValidationError } from '../../shared/requests/inputValues';
import type { SubmitResult } from '../generateMachine';
import { splitTaskIds } from '../triggerState';
import { judgeSubmitFailure, laterUnlessFatal } from './submitOutcome';
import type { TriggerOptions } from '../triggerOptions';
import { invalidParameter } from './jimeng';
import type { GenerateRequest, TaskCheck, TriggerApi } from './triggerApi';

function arkRequest(ctx: IPollFunctions): ArkRequest {
	// A field the chosen model does not show has no value: n8n then answers the fallback (not undefined,
	// which it refuses), and the request builder takes "nothing" for it.
	const read = (name: string, fallback: unknown) =>
		ctx.getNodeParameter(name, fallback ?? null) ?? undefined;
	const url = (name: string) => {
		const value = String(read(name, '') ?? '').trim();
		return value ? { url: value } : undefined;
	};
	try {
		return buildArkRequest({
			model: read('model', DEFAULT_ARK_MODEL),
			prompt: read('prompt', ''),
			seed: read('seed', -1),
			resolution: read('resolution', undefined),
			ratio: read('ratio', undefined),
			duration: read('duration', undefined),
			generateAudio: read('generateAudio', undefined),
			returnLastFrame: read('returnLastFrame', undefined),
			cameraFixed: read('cameraFixed', undefined),
			watermark: read('watermark', undefined),
			firstFrame: url('firstFrameUrl'),
			lastFrame: url('lastFrameUrl'),
		});
	} catch (error) {
		if (error instanceof InputValidationError) throw invalidParameter(ctx, error, 'Ark');
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

async function send(
	ctx: IPollFunctions,
	request: ArkRequest,
	generate: GenerateRequest,
	options: { timeoutMs: number; knownTaskIds: string[]; userActivation: boolean },
): Promise<SubmitResult> {
	const sentAt = Date.now();
	try {
		// One attempt, bounded by the poll; an unknown outcome is looked up in the task list first.
		const created = await createTask(ctx, request.body, {
			retry: { maxAttempts: 1 },
			timeoutMs: options.timeoutMs,
			knownTaskIds: options.knownTaskIds,
			resolve: { attempts: 2, delayMs: 1500 },
		});
		ctx.logger.info(
			`Ark task accepted: task_id ${created.taskId} (model ${request.body.model}, trigger "${ctx.getNode().name}"${created.resolvedByList ? ', found by listing after a lost answer' : ''})`,
		);
		return {
			kind: 'accepted',
			taskId: created.taskId,
			reqKey: request.body.model,
			request: {
				...generate.summary,
				...(created.resolvedByList ? { resolved_by_list: true } : {}),
			},
			sentAt: created.sentAt.getTime(),
			api: 'ark',
		};
	} catch (error) {
		return judgeSubmitFailure(ctx, generate, error, sentAt, options.userActivation);
	}
}

/** Errors that no later poll can fix without the user (key, access, model): they fail the poll. */
function isFatal(error: unknown): boolean {
	if (!(error instanceof ArkApiError)) return true;
	const { httpStatus, retryable } = error.details;
	return !retryable && (httpStatus === 401 || httpStatus === 403);
}

/** A finished Ark task as the trigger emits it: what Get Result gives (json, video, last frame). */
export async function endedItem(
	ctx: IPollFunctions,
	task: ArkTask,
	options: TriggerOptions,
): Promise<INodeExecutionData> {
	if (task.status !== 'succeeded') {
		const error = arkTaskError(ctx.getNode(), task);
		return { json: { ...arkTaskJson(task), error: error.message, code: error.details.code } };
	}
	return await arkResultItem(ctx, task, {
		download: options.downloadVideo ?? true,
		binaryProperty: options.binaryPropertyOutput || 'data',
	});
}

async function checkTask(
	ctx: IPollFunctions,
	task: { taskId: string; model: string },
	options: TriggerOptions,
	timeoutMs: number,
): Promise<TaskCheck> {
	let current: ArkTask;
	try {
		current = await getTask(ctx, task.taskId, { retry: { maxAttempts: 2 }, timeoutMs });
	} catch (error) {
		return laterUnlessFatal(ctx, error, `task ${task.taskId} will be checked again`, isFatal);
	}
	if (current.status === 'queued' || current.status === 'running')
		return { kind: 'running', status: current.status };
	try {
		return { kind: 'ended', item: await endedItem(ctx, current, options) };
	} catch (error) {
		return laterUnlessFatal(
			ctx,
			error,
			`the video of task ${task.taskId} will be downloaded`,
			isFatal,
		);
	}
}

export const arkTriggerApi: TriggerApi = {
	// Ark task ids: cgt-20250331175019-68d9t.
	parseTaskIds: (text) => splitTaskIds(text, /^cgt-[A-Za-z0-9-]{1,64}$/),
	checkTask,
	generateRequest(ctx) {
		const request = arkRequest(ctx);
		const generate: GenerateRequest = {
			model: request.body.model,
			modelField: 'model',
			summary: request.summary as unknown as Record<string, unknown>,
			// -1 lets the model decide (up to 15 s): the worst case counts the longest.
			seconds: request.body.duration && request.body.duration > 0 ? request.body.duration : 15,
			send: async (pollCtx, options) => await send(pollCtx, request, generate, options),
		};
		return generate;
	},
};
