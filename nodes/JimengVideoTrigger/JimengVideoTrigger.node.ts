import { NodeConnectionTypes, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
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
import { apiProperty, visualOnly } from '../shared/descriptions/apiShow';
import { seedanceTriggerGenerateProperties } from '../shared/descriptions/seedanceFields';
import {
	generateCostNotices,
	seedanceCostNotice,
	spendingLimitProperties,
	triggerModeProperty,
	watchAccountNotice,
	watchNotices,
} from '../shared/descriptions/triggerNotices';
import { DEFAULT_MAX_VIDEOS } from './generateLimits';
import { pollGenerate } from './generatePoll';
import { isUserActivation, oneAtATime } from './pollSignals';
import { triggerKey } from './processJournal';
import { pollWatchedAccount } from './watchAccount';
import { pollWatchedTasks } from './watchTasks';

export class JimengVideoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Jimeng Video Trigger',
		name: 'jimengVideoTrigger',
		icon: { light: 'file:jimeng.svg', dark: 'file:jimeng.dark.svg' },
		group: ['trigger'],
		version: 1,
		// The mode and the model's short name (models.ts `shortName` and arkModelShortName; a test keeps
		// them in step). A literal on purpose: n8n's linter wants one here.
		subtitle:
			'={{ ({"generate": "Generate Videos", "watchTasks": "Watch Tasks", "watchAccount": "Watch Account"}[$parameter["mode"]] || $parameter["mode"]) + ": " + ($parameter["api"] === "ark" ? ($parameter["mode"] === "generate" ? ({"doubao-seedance-2-0-260128": "Seedance 2.0", "doubao-seedance-2-0-fast-260128": "Seedance 2.0 Fast", "doubao-seedance-2-0-mini-260615": "Seedance 2.0 Mini", "doubao-seedance-1-5-pro-251215": "Seedance 1.5 Pro", "doubao-seedance-1-0-pro-250528": "Seedance 1.0 Pro", "doubao-seedance-1-0-pro-fast-251015": "Seedance 1.0 Pro Fast", "doubao-seedance-1-0-lite-t2v-250428": "Seedance 1.0 Lite T2V", "doubao-seedance-1-0-lite-i2v-250428": "Seedance 1.0 Lite I2V"}[$parameter["model"]] || $parameter["model"]) : "Seedance") : ({"jimeng_ti2v_v30_pro": "Pro", "jimeng_t2v_v30_1080p": "1080p Text", "jimeng_i2v_first_v30_1080": "1080p First Frame", "jimeng_i2v_first_tail_v30_1080": "1080p First & Last Frame", "jimeng_t2v_v30": "720p Text", "jimeng_i2v_first_v30": "720p First Frame", "jimeng_i2v_first_tail_v30": "720p First & Last Frame", "jimeng_i2v_recamera_v30": "720p Camera Motion"}[$parameter["model"]] || $parameter["model"])) }}',
		description: 'Emits finished Jimeng AI and Seedance videos as binary data',
		defaults: { name: 'Jimeng Video Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'volcengineApi', required: true, displayOptions: { show: { api: ['visual'] } } },
			{ name: 'volcengineArkApi', required: true, displayOptions: { show: { api: ['ark'] } } },
		],
		// One order in every mode: API, Trigger On, what to know first, Model, what the mode needs, Options.
		properties: [
			apiProperty,
			// Not "Mode": n8n shows its own poll-time "Mode" fields on every polling trigger.
			triggerModeProperty('visual'),
			triggerModeProperty('ark'),
			...watchNotices(),
			...visualOnly([
				...generateCostNotices(),
				...updateDisplayOptions({ show: { mode: ['watchTasks', 'generate'] } }, [modelProperty()]),
			]),
			seedanceCostNotice,
			watchAccountNotice,
			{
				displayName: 'Task IDs',
				name: 'taskIds',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				required: true,
				placeholder: '7392616336519610409, cgt-20250331175019-68d9t',
				description:
					'Task IDs from Submit (digits for Jimeng, cgt-… for Seedance), separated by commas, spaces or new lines. IDs added later are picked up at the next poll.',
				displayOptions: { show: { mode: ['watchTasks'] } },
			},
			...visualOnly(
				updateDisplayOptions({ show: { mode: ['generate'] } }, triggerGenerateProperties()),
			),
			...seedanceTriggerGenerateProperties(),
			...updateDisplayOptions(
				{ show: { mode: ['generate'] } },
				spendingLimitProperties(DEFAULT_MAX_VIDEOS),
			),
			optionsCollection([
				{ ...aigcMetaOption, displayOptions: { show: { '/api': ['visual'] } } },
				{
					...downloadVideoOption,
					description:
						'Whether to download each finished video into the item as binary data (Seedance: also its last frame, when asked). Off: only video_url is emitted (Jimeng signs it for 1 hour, Ark for 24).',
				},
				{
					displayName: 'Emit Failures',
					name: 'emitFailures',
					type: 'boolean',
					default: true,
					description:
						'Whether a failed, expired, cancelled or unknown task is emitted as an item with status and error',
					// Generate mode always emits its failures: the option would do nothing there.
					displayOptions: { show: { '/mode': ['watchTasks', 'watchAccount'] } },
				},
				binaryPropertyOutputOption,
			]),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const userActivation = isUserActivation(this);
		const mode = this.getNodeParameter('mode', 'watchTasks') as string;
		const polls: Record<string, () => Promise<INodeExecutionData[][] | null>> = {
			generate: async () => await pollGenerate(this, userActivation),
			watchAccount: async () => await pollWatchedAccount(this),
		};
		if (mode === 'watchAccount' && this.getNodeParameter('api', 'visual') !== 'ark')
			throw new NodeOperationError(
				this.getNode(),
				'"Trigger On" Watch Account is only for API Seedance (Ark): the Jimeng Visual API has no task list. Choose Watch Tasks, or API Seedance.',
			);
		const run = polls[mode] ?? (async () => await pollWatchedTasks(this));
		// A test event changes nothing n8n keeps; a published trigger's polls run one at a time.
		if (this.getMode() === 'manual') return await run();
		return (await oneAtATime(this, triggerKey(this), userActivation, run)) ?? null;
	}
}
