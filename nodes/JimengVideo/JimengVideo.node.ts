import { NodeConnectionTypes, updateDisplayOptions } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { modelProperty } from '../shared/descriptions/fields';
import { apiProperty, visualOnly } from '../shared/descriptions/apiShow';
import * as generateAndWait from './actions/generateAndWait.operation';
import * as getResult from './actions/getResult.operation';
import { router } from './actions/router';
import * as seedance from './actions/seedance/description';
import * as submit from './actions/submit.operation';

export class JimengVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Jimeng Video',
		name: 'jimengVideo',
		icon: { light: 'file:jimeng.svg', dark: 'file:jimeng.dark.svg' },
		group: ['transform'],
		version: 1,
		// The operation and the model's short name (models.ts `shortName` on both sides; a test keeps the
		// literal in step with both tables). Seedance's Get Result and Cancel name the API, not a model.
		// A literal on purpose: n8n's linter (node-class-description-missing-subtitle) wants one here.
		subtitle:
			'={{ $parameter["api"] === "ark" ? ({"submit": "Submit", "getResult": "Get Result", "generateAndWait": "Generate and Wait", "cancel": "Cancel"}[$parameter["operation"]] || $parameter["operation"]) + ": " + (["submit", "generateAndWait"].includes($parameter["operation"]) ? ({"doubao-seedance-2-0-260128": "Seedance 2.0", "doubao-seedance-2-0-fast-260128": "Seedance 2.0 Fast", "doubao-seedance-2-0-mini-260615": "Seedance 2.0 Mini", "doubao-seedance-1-5-pro-251215": "Seedance 1.5 Pro", "doubao-seedance-1-0-pro-250528": "Seedance 1.0 Pro", "doubao-seedance-1-0-pro-fast-251015": "Seedance 1.0 Pro Fast", "doubao-seedance-1-0-lite-t2v-250428": "Seedance 1.0 Lite T2V", "doubao-seedance-1-0-lite-i2v-250428": "Seedance 1.0 Lite I2V"}[$parameter["model"]] || (String($parameter["model"]).startsWith("ep-") ? "Endpoint " + $parameter["model"] : $parameter["model"])) : "Seedance") : ({"submit": "Submit", "getResult": "Get Result", "generateAndWait": "Generate and Wait"}[$parameter["operation"]] || $parameter["operation"]) + ": " + ({"jimeng_ti2v_v30_pro": "Pro", "jimeng_t2v_v30_1080p": "1080p Text", "jimeng_i2v_first_v30_1080": "1080p First Frame", "jimeng_i2v_first_tail_v30_1080": "1080p First & Last Frame", "jimeng_t2v_v30": "720p Text", "jimeng_i2v_first_v30": "720p First Frame", "jimeng_i2v_first_tail_v30": "720p First & Last Frame", "jimeng_i2v_recamera_v30": "720p Camera Motion"}[$parameter["model"]] || $parameter["model"]) }}',
		description:
			'Generate videos from text or images with ByteDance Jimeng AI video 3.0 or Seedance on Volcengine',
		defaults: { name: 'Jimeng Video' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Only the chosen API's credential shows (a saved workflow without `api` is Visual).
		credentials: [
			{ name: 'volcengineApi', required: true, displayOptions: { show: { api: ['visual'] } } },
			{ name: 'volcengineArkApi', required: true, displayOptions: { show: { api: ['ark'] } } },
		],
		properties: [
			apiProperty,
			// The Jimeng (Visual API) fields as before `api` existed: a saved workflow without `api` gets
			// its default (visual) and shows and runs them unchanged.
			...visualOnly([
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
				...updateDisplayOptions(
					{ show: { operation: ['submit', 'getResult', 'generateAndWait'] } },
					[modelProperty()],
				),
				...submit.description,
				...getResult.description,
				...generateAndWait.description,
			]),
			...seedance.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
