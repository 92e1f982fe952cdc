/**
 * Parameters shared by Submit, Generate and Wait and the trigger's generate mode. Names are the
 * public contract (users' saved workflows store them): never rename, never change a default.
 */
import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ASPECT_RATIOS, OUTPUT_SIZES } from '../jimeng/requests/aspectRatio';
import {
	CAMERA_MODELS,
	CAMERA_STRENGTHS,
	CAMERA_TEMPLATES,
	DEFAULT_MODEL,
	LAST_FRAME_MODELS,
	MODELS,
} from '../jimeng/models';
import { DURATIONS } from '../jimeng/requests/parameterRules';
import { imageSourceProperties } from './imageFields';
import {
	IMAGE_REQUIRED_MODELS,
	TEXT_OR_IMAGE_MODELS,
	nodePromptProperties,
	triggerPromptProperties,
} from './promptFields';

import { byName, capitalize } from './displayHelpers';

// Option lists whose natural order is not alphabetical (models, durations, strengths) are built from
// their tables, in the tables' order: a person reads 5 s before 10 s and weak before strong.
export const modelOptions: INodePropertyOptions[] = MODELS.map((model) => ({
	name: model.name,
	value: model.id,
	// No price here: the reported prices are in models.ts (cnyPerSecond), shown where a trigger spends.
	description: model.id,
}));

const durationOptions: INodePropertyOptions[] = DURATIONS.map((duration) => ({
	name: `${duration.seconds} Seconds (${duration.frames} Frames)`,
	value: duration.frames,
}));

/**
 * Aspect Ratio, one field per resolution (same parameter name), so each lists its models' sizes.
 * Pro takes text or an image: its field shows only while Image Source is None (Image Source is always
 * shown for Pro). The text-to-video models never show Image Source, so their field depends on the
 * model alone: a value Image Source kept from another model must not hide it.
 */
function aspectRatioProperties(place: 'node' | 'trigger'): INodeProperties[] {
	return (['1080p', '720p'] as const).flatMap((resolution) => {
		const sizes = OUTPUT_SIZES[resolution];
		const models = MODELS.filter(
			(model) => model.takesAspectRatio && model.resolution === resolution,
		);
		const field = (modelIds: string[], extra: IDisplayOptions['show'] = {}): INodeProperties => ({
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: ASPECT_RATIOS.map((ratio) => ({
				name: ratio,
				value: ratio,
				description: `${sizes[ratio].width}×${sizes[ratio].height}`,
			})),
			default: '16:9',
			description: `Shape of the video, text-to-video only (with an image Jimeng uses the ratio closest to the image). Sizes at ${resolution}: ${ASPECT_RATIOS.map((ratio) => `${ratio} → ${sizes[ratio].width}×${sizes[ratio].height}`).join(', ')}.`,
			displayOptions: { show: { model: modelIds, ...extra } },
		});
		// The trigger has no Image Source (an empty Image URL means text): the model alone decides.
		if (place === 'trigger') return [field(models.map((model) => model.id))];
		const textOnly = models.filter((model) => model.images[1] === 0).map((model) => model.id);
		const textOrImage = models.filter((model) => model.images[1] > 0).map((model) => model.id);
		return [
			...(textOnly.length ? [field(textOnly)] : []),
			// With an image Jimeng takes the ratio from the image; a value saved beside one is ignored.
			...(textOrImage.length ? [field(textOrImage, { imageSource: ['none'] })] : []),
		];
	});
}

export function modelProperty(): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: modelOptions,
		default: DEFAULT_MODEL,
		description:
			'Jimeng 3.0 video model (req_key). Pro is 1080p and takes text or a first frame; the others are cheaper and specialised. Get Result must use the model that created the task.',
		// n8n hides the API selector (the credential decides it), so say where Seedance's models are.
		hint: 'Seedance (Doubao) models: choose a Volcengine Ark API credential above',
	};
}

const cameraStrengthOptions: INodePropertyOptions[] = CAMERA_STRENGTHS.map((strength) => ({
	name: capitalize(strength),
	value: strength,
}));

/** Camera motion (the recamera model): template and strength. */
function cameraProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Camera Template',
			name: 'cameraTemplate',
			type: 'options',
			options: CAMERA_TEMPLATES.map((template) => ({
				name: template.split('_').map(capitalize).join(' '),
				value: template,
			})).sort(byName),
			default: 'hitchcock_dolly_in',
			description: 'Camera movement applied to the image (template_id)',
			displayOptions: { show: { model: CAMERA_MODELS } },
		},
		{
			displayName: 'Camera Strength',
			name: 'cameraStrength',
			type: 'options',
			options: cameraStrengthOptions,
			default: 'medium',
			description: 'How pronounced the camera movement is (camera_strength)',
			displayOptions: { show: { model: CAMERA_MODELS } },
		},
	];
}

/** The video parameters; each operation (or the trigger's mode) adds its own condition with updateDisplayOptions. */
export function videoInputProperties(): INodeProperties[] {
	return [
		...nodePromptProperties(),
		...imageSourceProperties(),
		...cameraProperties(),
		durationProperty(),
		...aspectRatioProperties('node'),
		seedProperty(),
	];
}

function durationProperty(): INodeProperties {
	return {
		displayName: 'Duration',
		name: 'frames',
		type: 'options',
		options: durationOptions,
		default: 121,
		description: 'Length of the video (frames = 24 × seconds + 1). Price is per second.',
	};
}

function seedProperty(): INodeProperties {
	return {
		displayName: 'Seed',
		name: 'seed',
		type: 'number',
		typeOptions: { minValue: -1, numberPrecision: 0 },
		default: -1,
		description:
			'Random seed: -1 for a random one. The same positive seed with the same inputs gives a very similar video.',
	};
}

/**
 * The trigger's generate mode: no input items, so images come by URL only. An empty Image URL
 * means text-to-video for Pro; the models that need an image require it.
 */
export function triggerGenerateProperties(): INodeProperties[] {
	const imageUrl = (models: string[], required: boolean, description: string): INodeProperties => ({
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		default: '',
		required,
		placeholder: 'https://example.com/first-frame.jpg',
		description,
		displayOptions: { show: { model: models } },
	});
	return [
		...triggerPromptProperties(),
		imageUrl(
			TEXT_OR_IMAGE_MODELS,
			false,
			'Public http(s) URL of a JPEG or PNG first-frame image. Leave empty to make the video from the prompt alone.',
		),
		imageUrl(
			IMAGE_REQUIRED_MODELS,
			true,
			'Public http(s) URL of a JPEG or PNG first-frame image (this model needs one). Jimeng downloads and checks it itself.',
		),
		{
			displayName: 'Last Frame Image URL',
			name: 'lastFrameImageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/last-frame.jpg',
			description:
				'Public http(s) URL of the last-frame image, with the same aspect ratio as the first',
			displayOptions: { show: { model: LAST_FRAME_MODELS } },
		},
		...cameraProperties(),
		durationProperty(),
		...aspectRatioProperties('trigger'),
		seedProperty(),
	];
}
