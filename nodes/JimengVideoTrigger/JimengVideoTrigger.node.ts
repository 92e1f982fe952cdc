import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { modelProperty, triggerGenerateProperties } from '../JimengVideo/actions/fields';
import { aigcMetaOption, binaryPropertyOutputOption, downloadVideoOption } from '../JimengVideo/actions/options';
import { pollGenerate, pollWatchedTasks } from './pollTasks';
import type { TriggerState } from './triggerState';

// n8n reuses one poll context for every poll of an activation: the first poll it sees is the
// activation poll (after which n8n saves static data even when nothing is emitted).
const contextsPolled = new WeakSet<object>();

export class JimengVideoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Jimeng Video Trigger',
		name: 'jimengVideoTrigger',
		icon: { light: 'file:jimeng.svg', dark: 'file:jimeng.dark.svg' },
		group: ['trigger'],
		version: 1,
		// The mode and the model's short name (models.ts `shortName`; a test keeps the two in step).
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
						description: 'Keep generating: submit a task, emit its video when done, submit the next',
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
					'Each video costs money: while the workflow is active, one task is in flight at a time and the next is submitted when a video is emitted. Fetch Test Event submits nothing; it shows the request that would be sent.',
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
				description: 'Task IDs from Submit, separated by commas, spaces or new lines. IDs added later are picked up at the next poll.',
				displayOptions: { show: { mode: ['watchTasks'] } },
			},
			modelProperty({ mode: ['watchTasks', 'generate'] }),
			...triggerGenerateProperties({ mode: ['generate'] }),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
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
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const firstPoll = !contextsPolled.has(this);
		contextsPolled.add(this);
		const state = this.getWorkflowStaticData('node') as TriggerState;
		const mode = this.getNodeParameter('mode', 'watchTasks') as string;
		return mode === 'generate' ? await pollGenerate(this, state, firstPoll) : await pollWatchedTasks(this, state);
	}
}
