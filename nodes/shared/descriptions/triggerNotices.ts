/**
 * What the trigger's panel says before it runs: what one video costs with the chosen model and
 * duration and what the limits make of it per day, why Fetch Test Event is not available yet, and
 * limits that the trigger will refuse. A notice cannot read a number typed into a field, so the
 * cost is given per video and multiplied by the limit fields by name.
 */
import type { INodeProperties } from 'n8n-workflow';

import { MODELS } from '../jimeng/models';
import { DURATIONS } from '../jimeng/requests/parameterRules';

const cny = (amount: number) => `${Number(amount.toFixed(2))} CNY`;

/**
 * One notice per price and duration; exactly one shows in Generate mode for a chosen model and
 * duration. `mode` is named first on purpose: n8n shows a field as soon as a `show` condition meets
 * an expression, and an expression in Model or Duration then shows the notices of every price.
 */
export function generateCostNotices(): INodeProperties[] {
	const prices = [...new Set(MODELS.map((model) => model.cnyPerSecond))];
	return prices.flatMap((price) =>
		DURATIONS.map(({ seconds, frames }): INodeProperties => {
			const video = cny(seconds * price);
			return {
				displayName: `One video here costs about ${video} (${seconds} s × ≈${cny(price)}/s; failed tasks are free). Worst case per day: Max Videos per Day × ${video} (no daily limit: Max Videos × ${video} in all). Fetch Test Event submits nothing.`,
				name: 'generateNotice',
				type: 'notice',
				default: '',
				displayOptions: {
					show: {
						mode: ['generate'],
						model: MODELS.filter((model) => model.cnyPerSecond === price).map((model) => model.id),
						frames: [frames],
					},
				},
			};
		}),
	);
}

/** Watch Tasks: why Fetch Test Event is not available on a fresh trigger, then what it does. */
export function watchNotices(): INodeProperties[] {
	return [
		{
			displayName:
				'Add at least one task ID (the task_id output of Submit) to Task IDs: until then Fetch Test Event is disabled and the workflow cannot be published.',
			name: 'watchEmptyNotice',
			type: 'notice',
			default: '',
			displayOptions: {
				show: { mode: ['watchTasks'] },
				hide: { taskIds: [{ _cnd: { exists: true } }] },
			},
		},
		{
			displayName:
				'Fetch Test Event queries the listed tasks and shows what would be emitted, without marking anything as emitted',
			name: 'watchNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { mode: ['watchTasks'] }, hide: { taskIds: [''] } },
		},
	];
}

/**
 * Spending limits. No `minValue`: n8n would silently turn a typed 0 or -5 into another number. A
 * value the trigger refuses is named here while it is typed, and refused when the trigger starts.
 */
export function spendingLimitProperties(defaultMaxVideos: number): INodeProperties[] {
	// Hidden for an allowed value and for an expression (checked when the workflow is published).
	const refused = (name: string, lowest: number) => ({
		hide: { [name]: [{ _cnd: { gte: lowest } }, { _cnd: { startsWith: '=' } }] },
	});
	return [
		{
			displayName: 'Max Videos',
			name: 'maxVideos',
			type: 'number',
			typeOptions: { numberPrecision: 0 },
			default: defaultMaxVideos,
			hint: 'A whole number, at least 1',
			description:
				'The most tasks this trigger submits per activation (Publish of an unpublished workflow). When reached, it emits one item saying so and submits nothing more until you Unpublish, then Publish the workflow; publishing a change keeps the count. Counts survive n8n restarts.',
		},
		{
			displayName:
				'Max Videos must be a whole number of at least 1: the trigger refuses to start with this value',
			name: 'maxVideosNotice',
			type: 'notice',
			default: '',
			displayOptions: refused('maxVideos', 1),
		},
		{
			displayName: 'Max Videos per Day',
			name: 'maxVideosPerDay',
			type: 'number',
			typeOptions: { numberPrecision: 0 },
			default: 0,
			hint: '0 = no daily limit; otherwise a whole number of videos',
			description:
				"The most tasks submitted per calendar day (the workflow's time zone); 0 = no daily limit. When reached, generation resumes by itself the next day.",
		},
		{
			displayName:
				'Max Videos per Day must be 0 (no daily limit) or a whole number above it: the trigger refuses to start with this value',
			name: 'maxVideosPerDayNotice',
			type: 'notice',
			default: '',
			displayOptions: refused('maxVideosPerDay', 0),
		},
	];
}

/** What the trigger can do on each API: Watch Account lists the whole Ark account (Jimeng has no list). */
export function triggerModeProperty(api: 'visual' | 'ark'): INodeProperties {
	const options = [
		{
			name: 'Generate Videos',
			value: 'generate',
			description: 'Keep generating: submit a task, emit its video when done, submit the next',
		},
		{
			name: 'Watch Tasks',
			value: 'watchTasks',
			description: 'Emit each listed task once, when it is done (or has failed)',
		},
	];
	if (api === 'ark')
		options.push({
			name: 'Watch Account',
			value: 'watchAccount',
			description:
				'Emit every task of the Ark account that finishes from now on — made here, by other workflows or in the Ark console — once each',
		});
	return {
		displayName: 'Trigger On',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options,
		default: 'watchTasks',
		displayOptions: { show: { api: [api] } },
	};
}

export const seedanceCostNotice: INodeProperties = {
	displayName:
		'Each Seedance video is paid by its tokens (about width × height × 24 fps × seconds ÷ 1024, times the model’s price; the README lists them). Worst case per day: Max Videos per Day (no daily limit: Max Videos) × one video. Fetch Test Event submits nothing.',
	name: 'seedanceGenerateNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { api: ['ark'], mode: ['generate'] } },
};

export const watchAccountNotice: INodeProperties = {
	displayName:
		'Emits every task of this Ark account that ends after the workflow is first published — made here, by other workflows or in the Ark console — once each, with its video. Watching costs nothing. Fetch Test Event shows the latest ended tasks.',
	name: 'watchAccountNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { api: ['ark'], mode: ['watchAccount'] } },
};
