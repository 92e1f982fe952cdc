/**
 * Generate mode's spending limits as the user set them (Max Videos per activation, Max Videos per
 * Day), what is left of them, and the item emitted when one is reached.
 */
import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import { InputValidationError, describeValue, parseInteger } from '../shared/requests/inputValues';
import type { VideoRequest } from '../shared/jimeng/requests/requestBuilder';
import {
	currentAllowance,
	pauseOf,
	type Limits,
	type SubmitVerdict,
	type TriggerState,
} from './triggerState';

export const DEFAULT_MAX_VIDEOS = 10;
export const RESUME =
	'To resume, deactivate and activate the workflow again (publishing a change to it does the same). This pause survives n8n restarts.';

export function invalidParameter(
	ctx: IPollFunctions,
	error: InputValidationError,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), error.message, {
		description: 'Nothing was sent to Jimeng.',
	});
}

export function readLimits(ctx: IPollFunctions): Limits {
	const read = (name: string, label: string, fallback: number, min: number): number => {
		const value = ctx.getNodeParameter(name, fallback);
		const parsed = parseInteger(value);
		if (parsed === undefined || parsed < min) {
			throw invalidParameter(
				ctx,
				new InputValidationError(
					label,
					`must be a whole number of at least ${min}`,
					describeValue(value),
				),
			);
		}
		return parsed;
	};
	return {
		maxVideos: read('maxVideos', 'Max Videos', DEFAULT_MAX_VIDEOS, 1),
		maxVideosPerDay: read('maxVideosPerDay', 'Max Videos per Day', 0, 0),
	};
}

export function allowanceJson(
	state: TriggerState,
	limits: Limits,
	today: string,
	request: VideoRequest,
): IDataObject {
	const allowance = currentAllowance(state, today);
	const seconds = (request.summary.frames - 1) / 24;
	const perDay =
		limits.maxVideosPerDay > 0
			? Math.min(limits.maxVideosPerDay, limits.maxVideos)
			: limits.maxVideos;
	return {
		max_videos: limits.maxVideos,
		submitted_this_activation: allowance.submitted,
		remaining: Math.max(0, limits.maxVideos - allowance.submitted),
		max_videos_per_day: limits.maxVideosPerDay || null,
		submitted_today: allowance.submittedToday,
		remaining_today:
			limits.maxVideosPerDay > 0
				? Math.max(0, limits.maxVideosPerDay - allowance.submittedToday)
				: null,
		paused: pauseOf(state)?.reason ?? null,
		// What the limits allow at most: each video of this configuration is `seconds` long, paid per second.
		worst_case_seconds_of_video_per_day: perDay * seconds,
	};
}

export function limitJson(
	verdict: Extract<SubmitVerdict, { allowed: false }>,
	today: string,
	timeZone: string,
): IDataObject {
	if (verdict.limit === 'max_videos') {
		return {
			task_id: null,
			status: 'limit_reached',
			limit: 'max_videos',
			max_videos: verdict.max,
			submitted: verdict.count,
			note: `Max Videos (${verdict.max} per activation) reached: no more tasks are submitted. ${RESUME} Each activation allows Max Videos more.`,
		};
	}
	return {
		task_id: null,
		status: 'limit_reached',
		limit: 'max_videos_per_day',
		max_videos_per_day: verdict.max,
		submitted_today: verdict.count,
		day: today,
		note: `Max Videos per Day (${verdict.max}) reached for ${today} (${timeZone}): generation resumes by itself on the next day. To resume sooner, raise Max Videos per Day and publish the change.`,
	};
}
