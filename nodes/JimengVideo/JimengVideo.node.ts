import { NodeConnectionTypes, updateDisplayOptions } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { modelProperty } from '../shared/descriptions/fields';
import * as generateAndWait from './actions/generateAndWait.operation';
import * as getResult from './actions/getResult.operation';
import { router } from './actions/router';
import * as submit from './actions/submit.operation';

export class JimengVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Jimeng Video',
		name: 'jimengVideo',
		icon: { light: 'file:jimeng.svg', dark: 'file:jimeng.dark.svg' },
		group: ['transform'],
		version: 1,
		// The operation and the model's short name (models.ts `shortName`; a test keeps the two in step).
		// A literal on purpose: n8n's linter (node-class-description-missing-subtitle) wants one here.
		subtitle:
			'={{ ({"submit": "Submit", "getResult": "Get Result", "generateAndWait": "Generate and Wait"}[$parameter["operation"]] || $parameter["operation"]) + ": " + ({"jimeng_ti2v_v30_pro": "Pro", "jimeng_t2v_v30_1080p": "1080p Text", "jimeng_i2v_first_v30_1080": "1080p First Frame", "jimeng_i2v_first_tail_v30_1080": "1080p First & Last Frame", "jimeng_t2v_v30": "720p Text", "jimeng_i2v_first_v30": "720p First Frame", "jimeng_i2v_first_tail_v30": "720p First & Last Frame", "jimeng_i2v_recamera_v30": "720p Camera Motion"}[$parameter["model"]] || $parameter["model"]) }}',
		description:
			'Generate videos from text or images with ByteDance Jimeng AI video 3.0 on Volcengine',
		defaults: { name: 'Jimeng Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'volcengineApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Generate and Wait',
						value: 'generateAndWait',
						action: 'Generate a video and wait for it',
						description:
							'Submit, wait until the video is ready and download it — for a whole batch of items at once',
					},
					{
						name: 'Get Result',
						value: 'getResult',
						action: 'Get the result of a video task',
						description: 'Query a task by its ID and download its video when it is done',
					},
					{
						name: 'Submit',
						value: 'submit',
						action: 'Submit a video task',
						description: 'Create a video task and return its ID at once',
					},
				],
				default: 'generateAndWait',
			},
			...updateDisplayOptions({ show: { operation: ['submit', 'getResult', 'generateAndWait'] } }, [
				modelProperty(),
			]),
			...submit.description,
			...getResult.description,
			...generateAndWait.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
