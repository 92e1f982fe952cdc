import { NodeConnectionTypes, updateDisplayOptions } from 'n8n-workflow';
import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { modelProperty, triggerGenerateProperties } from '../shared/descriptions/fields';
import {
	aigcMetaOption,
	binaryPropertyOutputOption,
	downloadVideoOption,
	optionsCollection,
} from '../shared/descriptions/options';
import { DEFAULT_MAX_VIDEOS } from './generateLimits';
import { pollGenerate } from './generatePoll';
import { isUserActivation, oneAtATime } from './pollSignals';
import { triggerKey } from './processJournal';
import { pollWatchedTasks } from './watchTasks';

export class JimengVideoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Jimeng Video Trigger',
		name: 'jimengVideoTrigger',
		icon: { light: 'file:jimeng.svg', dark: 'file:jimeng.dark.svg' },
		group: ['trigger'],
		version: 1,
		// The mode and the model's short name (models.ts `shortName`; a test keeps the two in step).
		// A literal on purpose: n8n's linter (node-class-description-missing-subtitle) wants one here.
		subtitle:
			'={{ ({"generate": "Generate Videos", "watchTasks": "Watch Tasks"}[$parameter["mode"]] || $parameter["mode"]) + ": " + ({"jimeng_ti2v_v30_pro": "Pro", "jimeng_t2v_v30_1080p": "1080p Text", "jimeng_i2v_first_v30_1080": "1080p First Frame", "jimeng_i2v_first_tail_v30_1080": "1080p First & Last Frame", "jimeng_t2v_v30": "720p Text", "jimeng_i2v_first_v30": "720p First Frame", "jimeng_i2v_first_tail_v30": "720p First & Last Frame", "jimeng_i2v_recamera_v30": "720p Camera Motion"}[$parameter["model"]] || $parameter["model"]) }}',
		description: 'Emits finished Jimeng AI videos as binary data',
		defaults: { name: 'Jimeng Video Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'volcengineApi', required: true }],
		properties: [
			{
				// Not "Mode": n8n shows its own poll-time "Mode" fields on every polling trigger.
				displayName: 'Trigger On',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Generate Videos',
						value: 'generate',
						description:
							'Keep generating: submit a task, emit its video when done, submit the next',
					},
					{
						name: 'Watch Tasks',
						value: 'watchTasks',
						description: 'Emit each listed task once, when it is done (or has failed)',
					},
				],
				default: 'watchTasks',
			},
			{
				displayName:
					'Fetch Test Event queries the listed tasks and shows what would be emitted, without marking anything as emitted',
				name: 'watchNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { mode: ['watchTasks'] } },
			},
			{
				displayName:
					'Each video costs money. While the workflow is active, one task is in flight at a time and the next is submitted when a video is emitted, up to Max Videos per activation (and Max Videos per Day). Worst case per day: Max Videos per Day (without it, Max Videos) × the Duration, in seconds of video — e.g. 10 videos of 10 s = 100 s of video, paid per second (the README lists the prices). Fetch Test Event submits nothing; it shows the request and the remaining allowance.',
				name: 'generateNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { mode: ['generate'] } },
			},
			{
				displayName: 'Task IDs',
				name: 'taskIds',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				placeholder: '7392616336519610409, 7392616336519610410',
				description:
					'Task IDs from Submit, separated by commas, spaces or new lines. IDs added later are picked up at the next poll.',
				displayOptions: { show: { mode: ['watchTasks'] } },
			},
			...updateDisplayOptions({ show: { mode: ['watchTasks', 'generate'] } }, [modelProperty()]),
			...updateDisplayOptions({ show: { mode: ['generate'] } }, triggerGenerateProperties()),
			{
				displayName: 'Max Videos',
				name: 'maxVideos',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: DEFAULT_MAX_VIDEOS,
				description:
					'The most tasks this trigger submits per activation. When reached, it emits one item saying so and submits nothing more until the workflow is deactivated and activated again. Counts survive n8n restarts.',
				displayOptions: { show: { mode: ['generate'] } },
			},
			{
				displayName: 'Max Videos per Day',
				name: 'maxVideosPerDay',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: 0,
				description:
					"The most tasks submitted per calendar day (the workflow's time zone); 0 = no daily limit. When reached, generation resumes by itself the next day.",
				displayOptions: { show: { mode: ['generate'] } },
			},
			optionsCollection([
				aigcMetaOption,
				downloadVideoOption,
				{
					displayName: 'Emit Failures',
					name: 'emitFailures',
					type: 'boolean',
					default: true,
					description:
						'Whether a failed, expired or unknown watched task is emitted as an item with status and error. Generate mode always emits failures.',
				},
				binaryPropertyOutputOption,
			]),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const userActivation = isUserActivation(this);
		const mode = this.getNodeParameter('mode', 'watchTasks') as string;
		const run = async () =>
			mode === 'generate' ? await pollGenerate(this, userActivation) : await pollWatchedTasks(this);
		// A test event changes nothing n8n keeps; a published trigger's polls run one at a time.
		if (this.getMode() === 'manual') return await run();
		return (await oneAtATime(this, triggerKey(this), userActivation, run)) ?? null;
	}
}
