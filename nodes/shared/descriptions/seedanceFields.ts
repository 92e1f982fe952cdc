/**
 * The Seedance (Ark) side of the Jimeng Video node: its operations and its own fields (the API
 * selector is in apiShow.ts).
 * Names are the public contract (shared contract "Seedance on Volcengine Ark"); display names are
 * ARK_LABELS, which the request builder's errors name. Every per-model limit is checked by the
 * builder before sending, with an error naming the field, the rule and the value.
 */
import type { INodeProperties } from 'n8n-workflow';

import {
	ARK_LABELS,
	ARK_MODELS,
	ARK_RATIOS,
	ARK_RESOLUTIONS,
	DEFAULT_ARK_MODEL,
	arkModelOptions,
	type ArkModelSpec,
} from '../ark';
import { NO_FIRST_FRAME, NO_LAST_FRAME, seedanceMediaProperties } from './seedanceMedia';
import { arkShow } from './apiShow';

const CREATE = ['submit', 'generateAndWait'] as const;
const create = (show: Record<string, string[] | boolean[]> = {}, hiddenFor: string[] = []) =>
	arkShow([...CREATE], show, hiddenFor);
const idsWhere = (test: (model: ArkModelSpec) => boolean) =>
	ARK_MODELS.filter(test).map((model) => model.id);
const SILENT = idsWhere((m) => !m.audio);
const NO_CAMERA_FIXED = idsWhere((m) => !m.cameraFixed);
const NO_FLEX = idsWhere((m) => !m.flex);
const NO_DRAFT = idsWhere((m) => !m.draft);

export const seedanceOperationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Cancel',
			value: 'cancel',
			action: 'Cancel a queued video task',
			description: 'Cancel a task that is still queued (Ark cannot stop a running one)',
		},
		{
			name: 'Generate and Wait',
			value: 'generateAndWait',
			action: 'Generate a video and wait for it',
			description:
				'Create, wait until the video is ready and download it — for a whole batch of items at once',
		},
		{
			name: 'Get Result',
			value: 'getResult',
			action: 'Get the result of a video task',
			description: 'Query a task by its ID and download its video when it has succeeded',
		},
		{
			name: 'Submit',
			value: 'submit',
			action: 'Submit a video task',
			description: 'Create a video task and return its ID at once',
		},
	],
	default: 'generateAndWait',
	displayOptions: { show: { api: ['ark'] } },
};

function modelAndPrompt(): INodeProperties[] {
	return [
		{
			displayName: ARK_LABELS.model,
			name: 'model',
			type: 'options',
			options: arkModelOptions(),
			default: DEFAULT_ARK_MODEL,
			description:
				'The Seedance model; each shows the fields it takes. For an Ark endpoint, switch the field to Expression and type its ID (ep-…): Ark then checks what the node cannot.',
			displayOptions: create(),
		},
		{
			// n8n can set API (from the credential it picks for a new node) after Model got the Jimeng
			// default; the Model list then shows Seedance models while the value is still Jimeng's.
			displayName:
				'Model still holds a Jimeng model (set before the Volcengine Ark API credential was chosen): choose a Seedance model above',
			name: 'jimengModelNotice',
			type: 'notice',
			default: '',
			// A hide rule, not show: n8n shows whatever a show rule names when its value is an
			// expression (an endpoint id), and a hide rule is checked on the value as it is.
			displayOptions: { ...create(), hide: { model: [{ _cnd: { regex: '^(?!jimeng_)' } }] } },
		},
		{
			displayName: ARK_LABELS.prompt,
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: 'e.g. A paper boat drifts down a rainy street, macro shot, soft light',
			description:
				'What the video should show, in Chinese or English. Required without images; with images it describes the motion. Ark follows about 500 Chinese characters or 1000 English words at most. Leave empty when reusing a draft.',
			displayOptions: create(),
		},
	];
}

function videoSettings(): INodeProperties[] {
	return [
		{
			displayName: ARK_LABELS.resolution,
			name: 'resolution',
			type: 'options',
			options: ARK_RESOLUTIONS.map((value) => ({ name: value, value })),
			default: '720p',
			description:
				'1080p: Seedance 2.0, 1.5 Pro and the 1.0 models (not 1.0 Lite with reference images). 2.0 Fast and 2.0 Mini: 480p or 720p. Price grows with the pixels.',
			displayOptions: create(),
		},
		{
			displayName: ARK_LABELS.ratio,
			name: 'ratio',
			type: 'options',
			options: ARK_RATIOS.map((value) => ({
				name: value === 'adaptive' ? 'Adaptive' : value,
				value,
			})),
			default: 'adaptive',
			description:
				'Shape of the video. Adaptive: the first frame’s ratio, or the model picks one for text (1.5 Pro, 2.x); the 1.0 models need a fixed ratio for text and with reference images.',
			displayOptions: create(),
		},
		{
			displayName: ARK_LABELS.duration,
			name: 'duration',
			type: 'number',
			typeOptions: { minValue: -1, maxValue: 15, numberPrecision: 0 },
			default: 5,
			description:
				'Seconds: 1.0 models 2–12, 1.5 Pro 4–12, 2.x 4–15. -1 lets the model decide (1.5 Pro, 2.0, 2.0 Fast). Price is per second.',
			displayOptions: create(),
		},
		{
			displayName: ARK_LABELS.generateAudio,
			name: 'generateAudio',
			type: 'boolean',
			default: true,
			description:
				'Whether the video has sound (speech, effects, music) made with it. On 1.5 Pro a video with sound costs twice a silent one.',
			displayOptions: create({}, SILENT),
		},
		{
			displayName: ARK_LABELS.returnLastFrame,
			name: 'returnLastFrame',
			type: 'boolean',
			default: false,
			description:
				'Whether to also return the video’s last frame (a PNG, in binary property last_frame): the first frame of a next clip that continues this one',
			displayOptions: create(),
		},
	];
}

function moreSettings(): INodeProperties[] {
	return [
		{
			displayName: ARK_LABELS.seed,
			name: 'seed',
			type: 'number',
			typeOptions: { minValue: -1, numberPrecision: 0 },
			default: -1,
			description:
				'Random seed: -1 for a random one (the node picks it, to find the task again if an answer is lost). The same seed with the same inputs gives a similar video.',
			displayOptions: create(),
		},
		{
			displayName: ARK_LABELS.cameraFixed,
			name: 'cameraFixed',
			type: 'boolean',
			default: false,
			description: 'Whether the camera stays still (not with reference images)',
			displayOptions: create({}, NO_CAMERA_FIXED),
		},
		{
			displayName: ARK_LABELS.watermark,
			name: 'watermark',
			type: 'boolean',
			default: false,
			description: 'Whether Ark adds its "AI generated" watermark to the video',
			displayOptions: create(),
		},
		...tierAndDraft(),
		{
			displayName: ARK_LABELS.callbackUrl,
			name: 'callbackUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/webhook/seedance',
			description:
				'Optional: Ark POSTs the task to this URL on each status change (e.g. an n8n Webhook). The node still polls.',
			displayOptions: create(),
		},
	];
}

function tierAndDraft(): INodeProperties[] {
	return [
		{
			displayName: ARK_LABELS.serviceTier,
			name: 'serviceTier',
			type: 'options',
			options: [
				{ name: 'Online', value: 'default', description: 'Made as soon as the account allows' },
				{
					name: 'Offline (Flex, Half Price)',
					value: 'flex',
					description: 'Made when Ark has spare capacity, within Expires After; half the price',
				},
			],
			default: 'default',
			description: 'Offline (flex) is half price but can take hours; not on Seedance 2.x',
			displayOptions: create({}, NO_FLEX),
		},
		{
			displayName: ARK_LABELS.executionExpiresAfter,
			name: 'executionExpiresAfter',
			type: 'number',
			typeOptions: { minValue: 3600, maxValue: 259200, numberPrecision: 0 },
			default: 172800,
			description:
				'Seconds from creation after which an unfinished task expires (not billed): 3600 (1 hour) to 259200 (72 hours)',
			displayOptions: create({ serviceTier: ['flex'] }, NO_FLEX),
		},
		{
			displayName: ARK_LABELS.draft,
			name: 'draft',
			type: 'boolean',
			default: false,
			description:
				'Whether to make a cheap 480p draft to preview first (no last frame, online only); make the final video from it with Draft Task ID',
			displayOptions: create({}, NO_DRAFT),
		},
		{
			displayName: ARK_LABELS.draftTaskId,
			name: 'draftTaskId',
			type: 'string',
			default: '',
			placeholder: 'e.g. cgt-20250331175019-68d9t',
			description:
				'Make the final video from this succeeded draft task: it reuses the draft’s prompt, images, seed, ratio and duration (leave Prompt and the frames empty). Empty: a new video.',
			displayOptions: create({ draft: [false] }, NO_DRAFT),
		},
	];
}

/** Submit's and Generate and Wait's Seedance fields, in panel order. */
export function seedanceCreateProperties(): INodeProperties[] {
	return [...modelAndPrompt(), ...seedanceMediaProperties(), ...videoSettings(), ...moreSettings()];
}

/** The Seedance fields that make sense without input items (no binary data): for the trigger. */
const TRIGGER_FIELDS = new Set([
	'model',
	'jimengModelNotice',
	'prompt',
	'resolution',
	'ratio',
	'duration',
	'generateAudio',
	'returnLastFrame',
	'seed',
	'cameraFixed',
	'watermark',
]);

/** A frame by URL for the trigger (no input items to take binary data from). */
function triggerFrameUrl(
	name: string,
	which: 'first' | 'last',
	hiddenFor: string[],
): INodeProperties {
	const label = which === 'first' ? ARK_LABELS.firstFrame : ARK_LABELS.lastFrame;
	return {
		displayName: `${label} URL`,
		name,
		type: 'string',
		default: '',
		placeholder: 'https://example.com/frame.png',
		description: `Optional: a public image URL (JPEG, PNG, WebP…) for the ${which} frame of every video; a last frame needs a first frame`,
		displayOptions: create({}, hiddenFor),
	};
}

/**
 * The Jimeng Video Trigger's Generate mode on Seedance: the node's create fields (same names, labels
 * and rules), with frames by URL, shown for API = Seedance in Generate mode.
 */
export function seedanceTriggerGenerateProperties(): INodeProperties[] {
	const fields = [...modelAndPrompt(), ...videoSettings(), ...moreSettings()].filter((property) =>
		TRIGGER_FIELDS.has(property.name),
	);
	const frames = [
		triggerFrameUrl('firstFrameUrl', 'first', NO_FIRST_FRAME),
		triggerFrameUrl('lastFrameUrl', 'last', NO_LAST_FRAME),
	];
	return [...fields.slice(0, 2), ...frames, ...fields.slice(2)].map((property) => {
		const { api, operation, ...show } = property.displayOptions?.show ?? {};
		void api;
		void operation;
		return {
			...property,
			displayOptions: {
				...property.displayOptions,
				show: { api: ['ark'], mode: ['generate'], ...show },
			},
		};
	});
}
