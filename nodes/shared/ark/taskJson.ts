/**
 * An Ark task as an output item's json, named as the contract fixes them (docs/ark-api.md, shared
 * contract "Seedance on Volcengine Ark"): the same keys for every status, null when Ark has not
 * given a value yet, so a sheet gets the same columns from every item. Pure.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { estimateArkCostCny, type ArkPriceOverrides } from './pricing';
import type { ArkTask } from './task';
import { envelopeError, type ArkApiError } from './transport/ArkApiError';

export interface ArkTaskJsonExtras {
	/** the task was found by listing after its create's answer was lost */
	resolvedByList?: boolean;
}

export function arkTaskJson(
	task: ArkTask,
	prices?: ArkPriceOverrides,
	extras: ArkTaskJsonExtras = {},
): IDataObject {
	const json: IDataObject = {
		task_id: task.id,
		status: task.status,
		model: task.model ?? null,
		video_url: task.content?.video_url ?? null,
		last_frame_url: task.content?.last_frame_url ?? null,
		resolution: task.resolution ?? null,
		ratio: task.ratio ?? null,
		duration: task.duration ?? null,
		seed: task.seed ?? null,
		generate_audio: task.generate_audio ?? null,
		tokens: task.usage?.completion_tokens ?? null,
		estimated_cost_cny: estimateArkCostCny(task, prices),
	};
	// 1.0 models answer frames instead of duration (24 fps).
	if (task.frames !== undefined) json.frames = task.frames;
	if (task.service_tier !== undefined) json.service_tier = task.service_tier;
	if (task.error) {
		json.error_code = task.error.code;
		json.error_message = task.error.message ?? null;
	}
	if (extras.resolvedByList) json.resolved_by_list = true;
	return json;
}

/** A failed task's `error` as the error an item reports (explained from the codes table). */
export function arkTaskError(node: INode, task: ArkTask): ArkApiError {
	return envelopeError(node, {
		kind: 'task',
		code: task.error?.code ?? `TASK_${task.status.toUpperCase()}`,
		message: task.error?.message,
		httpStatus: 200,
		taskId: task.id,
	});
}
