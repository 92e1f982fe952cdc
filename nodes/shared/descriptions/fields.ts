/**
 * Parameters shared by Submit, Generate and Wait and the trigger's generate mode. Names are the
 * public contract (users' saved workflows store them): never rename, never change a default.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ASPECT_RATIOS, OUTPUT_SIZES } from '../jimeng/requests/aspectRatio';
import {
	CAMERA_MODELS,
	CAMERA_STRENGTHS,
	CAMERA_TEMPLATES,
	DEFAULT_MODEL,
	IMAGE_MODELS,
	LAST_FRAME_MODELS,
	MODELS,
} from '../jimeng/models';
import { DURATIONS } from '../jimeng/requests/parameterRules';
import { imageSourceProperties } from './imageFields';

import { byName, capitalize } from './displayHelpers';

// Option lists whose natural order is not alphabetical (models, durations, strengths) are built from
// their tables, in the tables' order: a person reads 5 s before 10 s and weak before strong.
export const modelOptions: INodePropertyOptions[] = MODELS.map((model) => ({
	name: model.name,
	value: model.id,
	// Prices change: they are in the README, not here.
	description: model.id,
}));

const durationOptions: INodePropertyOptions[] = DURATIONS.map((duration) => ({
	name: `${duration.seconds} Seconds (${duration.frames} Frames)`,
	value: duration.frames,
}));

/** One Aspect Ratio field per resolution (same parameter name), so each lists its models' sizes. */
function aspectRatioProperties(): INodeProperties[] {
	return (['1080p', '720p'] as const).map((resolution) => {
		const sizes = OUTPUT_SIZES[resolution];
		const models = MODELS.filter(
			(model) => model.takesAspectRatio && model.resolution === resolution,
		).map((model) => model.id);
		return {
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
			// With an image Jimeng takes the ratio from the image: the field is hidden (a value saved
			// before is still accepted and ignored).
			displayOptions: {
				show: { model: models },
				hide: { imageSource: ['binary', 'url', 'base64'] },
			},
		};
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
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: 'e.g. A corgi surfing a huge wave at sunset, cinematic',
			description:
				'What the video should show, in Chinese or English. Required for text-to-video, optional with an image. At most 800 characters; Jimeng recommends 400 or fewer.',
		},
		...imageSourceProperties(),
		...cameraProperties(),
		{
			displayName: 'Duration',
			name: 'frames',
			type: 'options',
			options: durationOptions,
			default: 121,
			description: 'Length of the video (frames = 24 × seconds + 1). Price is per second.',
		},
		...aspectRatioProperties(),
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			typeOptions: { minValue: -1, numberPrecision: 0 },
			default: -1,
			description:
				'Random seed: -1 for a random one. The same positive seed with the same inputs gives a very similar video.',
		},
	];
}

/**
 * The trigger's generate mode: no input items, so images come by URL only. An empty Image URL
 * means text-to-video for the models that allow it.
 */
export function triggerGenerateProperties(): INodeProperties[] {
	const shared = videoInputProperties()
		.filter((property) =>
			['prompt', 'cameraTemplate', 'cameraStrength', 'frames', 'aspectRatio', 'seed'].includes(
				property.name,
			),
		)
		// No Image Source here: a `hide` on it names a parameter the trigger lacks, which n8n 1.x cannot
		// resolve ("Could not resolve parameter dependencies"), so the workflow would not activate.
		.map((property) =>
			property.name === 'aspectRatio'
				? { ...property, displayOptions: { show: property.displayOptions?.show } }
				: property,
		);
	const [prompt, ...rest] = shared;
	return [
		prompt,
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/first-frame.jpg',
			description:
				'Public http(s) URL of a JPEG or PNG first-frame image. Leave empty for text-to-video (Pro and the text-to-video models).',
			displayOptions: { show: { model: IMAGE_MODELS } },
		},
		{
			displayName: 'Last Frame Image URL',
			name: 'lastFrameImageUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/last-frame.jpg',
			description:
				'Public http(s) URL of the last-frame image, with the same aspect ratio as the first',
			displayOptions: { show: { model: LAST_FRAME_MODELS } },
		},
		...rest,
	];
}
