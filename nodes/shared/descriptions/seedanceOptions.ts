/**
 * Seedance's Task ID field, its notices and its Options collections (what most users leave at the
 * default): downloads, the price the cost estimate uses, the batch's timing, Cancel's delete switch.
 */
import type { INodeProperties } from 'n8n-workflow';

import { ARK_LABELS } from '../ark';
import { binaryPropertyOutputOption, optionsCollection } from './options';
import { arkShow, type SeedanceOperation } from './apiShow';

export const ARK_POLL_INTERVAL_DEFAULT = 10;
export const ARK_MAX_WAIT_DEFAULT = 1800;

const BATCH_WIDE = 'One value for the whole batch: an expression is read for the first item only.';

const downloadOption: INodeProperties = {
	displayName: 'Download Video',
	name: 'downloadVideo',
	type: 'boolean',
	default: true,
	description:
		'Whether to download the finished video (and the last frame, when returned) into the item as binary data. Off: only video_url and last_frame_url, which Ark keeps valid for 24 hours. Used as an AI tool, the default is off.',
};

const priceOption: INodeProperties = {
	displayName: 'Price (CNY per Million Tokens)',
	name: 'priceCnyPerMillionTokens',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 4 },
	default: 0,
	description:
		'Your online price for the task’s model, used for estimated_cost_cny instead of the built-in table (flex is half of it). 0 keeps the built-in table.',
};

const pollIntervalOption: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	typeOptions: { minValue: 0.1 },
	default: ARK_POLL_INTERVAL_DEFAULT,
	description: `Seconds between two status checks of each task. Videos take 1–5 minutes online. ${BATCH_WIDE}`,
};

const maxWaitOption: INodeProperties = {
	displayName: 'Max Wait (Seconds)',
	name: 'maxWait',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: ARK_MAX_WAIT_DEFAULT,
	description: `How long to wait for the whole batch. Unfinished items then come back with timed_out: true and their task_id, for a later Get Result (Ark keeps tasks 7 days). Offline (flex) tasks can take hours. ${BATCH_WIDE}`,
};

const deleteFinishedOption: INodeProperties = {
	displayName: 'Delete If Finished',
	name: 'deleteFinished',
	type: 'boolean',
	default: false,
	description:
		'Whether to delete a task that has already finished (succeeded, failed or expired): Ark then removes its record and its video URL. Off: such a task is refused and nothing is sent.',
};

const taskIdField = (operations: SeedanceOperation[], description: string): INodeProperties => ({
	displayName: ARK_LABELS.taskId,
	name: 'taskId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. cgt-20250331175019-68d9t',
	description,
	displayOptions: arkShow(operations),
});

const withShow = (property: INodeProperties, operations: SeedanceOperation[]): INodeProperties => ({
	...property,
	displayOptions: arkShow(operations),
});

export function seedanceTaskProperties(): INodeProperties[] {
	return [
		withShow(
			{
				displayName:
					'Submit returns at once with a task_id. Fetch the video later with Get Result (Ark keeps tasks 7 days and video URLs 24 hours), or use Generate and Wait to get it in one step.',
				name: 'seedanceSubmitNotice',
				type: 'notice',
				default: '',
			},
			['submit'],
		),
		withShow(
			{
				displayName:
					'Ark cancels only a task that is still queued. A running task cannot be stopped (it finishes and is billed); the node reads the status first and sends nothing it would refuse.',
				name: 'seedanceCancelNotice',
				type: 'notice',
				default: '',
			},
			['cancel'],
		),
		taskIdField(
			['getResult'],
			'The task ID returned by Submit (cgt-…). Ark keeps tasks 7 days; their video URLs 24 hours.',
		),
		taskIdField(['cancel'], 'The ID of the queued task to cancel (cgt-…)'),
	];
}

/** The Options collection of each Seedance operation that has one. */
export function seedanceOptionsProperties(): INodeProperties[] {
	const collection = (options: INodeProperties[], operations: SeedanceOperation[]) =>
		withShow(optionsCollection(options), operations);
	return [
		collection([binaryPropertyOutputOption, downloadOption, priceOption], ['getResult']),
		collection(
			[binaryPropertyOutputOption, downloadOption, maxWaitOption, pollIntervalOption, priceOption],
			['generateAndWait'],
		),
		collection([deleteFinishedOption], ['cancel']),
	];
}
