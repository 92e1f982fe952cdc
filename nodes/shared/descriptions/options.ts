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
		'Provenance metadata embedded in the video (AI-generated content labelling that platforms ask for). Sent with Get Result as req_json; each value at most 256 characters.',
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

export const pollIntervalOption: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	typeOptions: { minValue: 0.1 },
	default: 10,
	description:
		'Seconds between two status checks of each task. Videos take 1–5 minutes; shorter intervals only spend API calls (the account has a QPS limit). One value for the whole batch: an expression is read for the first item only.',
};

export const maxWaitOption: INodeProperties = {
	displayName: 'Max Wait (Seconds)',
	name: 'maxWait',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 1800,
	description:
		'How long to wait for the whole batch (one value: an expression is read for the first item only). Unfinished items then come back with timed_out: true and their task_id, for a later Get Result (tasks are kept 12 hours).',
};
