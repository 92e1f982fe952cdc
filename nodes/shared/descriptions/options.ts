import type { INodeProperties } from 'n8n-workflow';

export const downloadVideoOption: INodeProperties = {
	displayName: 'Download Video',
	name: 'downloadVideo',
	type: 'boolean',
	default: true,
	description:
		'Whether to download the finished video into the item as binary data. Off: only video_url is returned (it is valid for 1 hour). Used as an AI tool, the default is off.',
};

export const binaryPropertyOutputOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyOutput',
	type: 'string',
	default: 'data',
	description:
		'Name of the binary property the video is written to (video/mp4, named after the task ID)',
};

export const aigcMetaOption: INodeProperties = {
	displayName: 'AIGC Metadata',
	name: 'aigcMeta',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description:
		'Provenance metadata embedded in the video (AI-generated content labelling that platforms ask for). Sent as req_json when the finished task is queried, so the downloaded video carries it; each value at most 256 characters.',
	options: [
		{
			displayName: 'Content Producer',
			name: 'contentProducer',
			type: 'string',
			default: '',
			description: 'Who produced the content (content_producer)',
		},
		{
			displayName: 'Content Propagator',
			name: 'contentPropagator',
			type: 'string',
			default: '',
			description: 'Who distributes the content (content_propagator)',
		},
		{
			displayName: 'Producer ID',
			name: 'producerId',
			type: 'string',
			default: '',
			description: 'Your ID for this piece of content (producer_id)',
		},
		{
			displayName: 'Propagate ID',
			name: 'propagateId',
			type: 'string',
			default: '',
			description: 'The distributor’s ID for this piece of content (propagate_id)',
		},
	],
};

/** The options every operation that returns a task's result reads per item. */
export const resultOptions: INodeProperties[] = [
	aigcMetaOption,
	binaryPropertyOutputOption,
	downloadVideoOption,
];

/** A node's "Options" collection, n8n's usual home for what most users leave at its default. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/**
 * An option of the whole Generate and Wait batch, not of an item: read once, from the first item,
 * and said so in the editor (the other options are read per item).
 */
function batchSecondsOption({
	minValue,
	description,
	...option
}: Pick<INodeProperties, 'displayName' | 'name'> & {
	default: number;
	minValue: number;
	description: string;
}): INodeProperties {
	const batchWide = 'One value for the whole batch: an expression is read for the first item only.';
	return {
		...option,
		type: 'number',
		typeOptions: { minValue },
		description: [description, batchWide].join(' '),
	};
}

export const pollIntervalOption = batchSecondsOption({
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	minValue: 0.1,
	default: 10,
	description:
		'Seconds between two status checks of each task. Videos take 1–5 minutes; shorter intervals only spend API calls (the account has a QPS limit).',
});

export const maxWaitOption = batchSecondsOption({
	displayName: 'Max Wait (Seconds)',
	name: 'maxWait',
	minValue: 1,
	default: 1800,
	description:
		'How long to wait for the whole batch. Unfinished items then come back with timed_out: true and their task_id, for a later Get Result (tasks are kept 12 hours).',
});
