/**
 * Generate mode's spending limits as the user set them (Max Videos per activation, Max Videos per
 * Day), what is left of them, and the item emitted when one is reached.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { InputValidationError, describeValue, parseInteger } from '../shared/requests/inputValues';
import { invalidParameter } from './apis/jimeng';
import type { GenerateRequest } from './apis/triggerApi';
import { allowanceOf, type GenerateState, type LimitReached, type Limits } from './triggerState';

export const DEFAULT_MAX_VIDEOS = 10;
export const RESUME =
	'To resume, unpublish the workflow, then publish it again (publishing a change while it is published does not resume it). This pause survives n8n restarts.';

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

/** The allowance as the test event shows it, with the worst case the limits allow per day. */
export function allowanceJson(
	state: GenerateState,
	limits: Limits,
	today: string,
	request: GenerateRequest,
): IDataObject {
	const allowance = allowanceOf(state, today);
	const seconds = request.seconds;
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
		paused: state.pause?.reason ?? null,
		// What the limits allow at most: each video of this configuration is `seconds` long, paid per second.
		worst_case_seconds_of_video_per_day: perDay * seconds,
	};
}

export function limitJson(reached: LimitReached, today: string, timeZone: string): IDataObject {
	if (reached.limit === 'max_videos') {
		return {
			task_id: null,
			status: 'limit_reached',
			limit: 'max_videos',
			max_videos: reached.max,
			submitted: reached.count,
			note: `Max Videos (${reached.max} per activation) reached: no more tasks are submitted. To allow ${reached.max} more, unpublish the workflow, then publish it again (publishing a change while it is published does not reset the count).`,
		};
	}
	return {
		task_id: null,
		status: 'limit_reached',
		limit: 'max_videos_per_day',
		max_videos_per_day: reached.max,
		submitted_today: reached.count,
		day: today,
		note: `Max Videos per Day (${reached.max}) reached for ${today} (${timeZone}): generation resumes by itself on the next day. To resume sooner, raise Max Videos per Day and publish the change.`,
	};
}
