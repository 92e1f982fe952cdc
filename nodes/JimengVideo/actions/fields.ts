/**
 * Parameters shared by Submit, Generate and Wait and the trigger's generate mode. Names are the
 * public contract (users' saved workflows store them): never rename, never change a default.
 */
import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ASPECT_RATIOS, OUTPUT_SIZES } from '../helpers/aspectRatio';
import {
	CAMERA_MODELS,
	CAMERA_STRENGTHS,
	CAMERA_TEMPLATES,
	DEFAULT_MODEL,
	IMAGE_MODELS,
	LAST_FRAME_MODELS,
	MODELS,
} from '../helpers/models';
import { DURATIONS } from '../helpers/requestBuilder';

type Show = NonNullable<IDisplayOptions['show']>;

function withShow(show: Show, extra?: Show): IDisplayOptions {
	return { show: { ...show, ...extra } };
}

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);
const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

// Option lists whose natural order is not alphabetical (models, durations, strengths) are built from
// their tables, in the tables' order: a person reads 5 s before 10 s and weak before strong.
export const modelOptions: INodePropertyOptions[] = MODELS.map((model) => ({
	name: model.name,
	value: model.id,
	description: `${model.id} — about ${model.pricePerSecondCny} CNY per second of video`,
}));

const durationOptions: INodePropertyOptions[] = DURATIONS.map((duration) => ({
	name: `${duration.seconds} Seconds (${duration.frames} Frames)`,
	value: duration.frames,
}));

const cameraStrengthOptions: INodePropertyOptions[] = CAMERA_STRENGTHS.map((strength) => ({
	name: capitalize(strength),
	value: strength,
}));

/** One Aspect Ratio field per resolution (same parameter name), so each lists its models' sizes. */
function aspectRatioProperties(show: Show): INodeProperties[] {
	return (['1080p', '720p'] as const).map((resolution) => {
		const sizes = OUTPUT_SIZES[resolution];
		const models = MODELS.filter((model) => model.takesAspectRatio && model.resolution === resolution).map((model) => model.id);
		return {
			displayName: 'Aspect Ratio',
			name: 'aspectRatio',
			type: 'options',
			options: ASPECT_RATIOS.map((ratio) => ({ name: ratio, value: ratio, description: `${sizes[ratio].width}×${sizes[ratio].height}` })),
			default: '16:9',
			description: `Shape of the video, text-to-video only (with an image Jimeng uses the ratio closest to the image). Sizes at ${resolution}: ${ASPECT_RATIOS.map((ratio) => `${ratio} → ${sizes[ratio].width}×${sizes[ratio].height}`).join(', ')}.`,
			// With an image Jimeng takes the ratio from the image: the field is hidden (a value saved
			// before is still accepted and ignored).
			displayOptions: { show: { ...show, model: models }, hide: { imageSource: ['binary', 'url', 'base64'] } },
		};
	});
}

export function modelProperty(show: Show): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: modelOptions,
		default: DEFAULT_MODEL,
		description:
			'Jimeng 3.0 video model (req_key). Pro is 1080p and takes text or a first frame; the others are cheaper and specialised. Get Result must use the model that created the task.',
		displayOptions: withShow(show),
	};
}

const IMAGE_SOURCES: INodePropertyOptions[] = [
	{ name: 'Base64', value: 'base64', description: 'A base64 string or a data: URL (e.g. from a Code node)' },
	{ name: 'Binary File', value: 'binary', description: 'An image in the input item’s binary data (e.g. from HTTP Request or Read File)' },
	{ name: 'URL', value: 'url', description: 'A public http(s) URL that Jimeng downloads itself' },
];

const IMAGE_REQUIRED = MODELS.filter((m) => m.images[0] > 0).map((m) => m.id);

/** `show` is the operation (or trigger mode) condition these fields appear under. */
export function videoInputProperties(show: Show): INodeProperties[] {
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
			displayOptions: withShow(show),
		},
		{
			displayName: 'Image Source',
			name: 'imageSource',
			type: 'options',
			options: [...IMAGE_SOURCES, { name: 'None (Text-to-Video)', value: 'none', description: 'Generate from the prompt alone' }].sort(byName),
			default: 'none',
			description:
				'Where the first-frame image comes from. Binary and base64 images are checked before sending: JPEG or PNG, at most 4.7 MB, at most 4096×4096, short side at least 320 px, long/short side at most 3.',
			displayOptions: withShow(show, { model: MODELS.filter((m) => m.images[0] === 0 && m.images[1] > 0).map((m) => m.id) }),
		},
		{
			displayName: 'Image Source',
			name: 'imageSource',
			type: 'options',
			options: IMAGE_SOURCES,
			default: 'binary',
			description:
				'Where the first-frame image comes from (this model needs one). Binary and base64 images are checked before sending: JPEG or PNG, at most 4.7 MB, at most 4096×4096, short side at least 320 px, long/short side at most 3.',
			displayOptions: withShow(show, { model: IMAGE_REQUIRED }),
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			description: 'Name of the binary property of the input item that holds the first-frame image',
			hint: 'The image type is read from its bytes, not its file name',
			displayOptions: withShow(show, { imageSource: ['binary'], model: IMAGE_MODELS }),
		},
		{
			displayName: 'Image URL',
			name: 'imageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/first-frame.jpg',
			description: 'Public http(s) URL of a JPEG or PNG first-frame image. Jimeng downloads and checks it itself.',
			displayOptions: withShow(show, { imageSource: ['url'], model: IMAGE_MODELS }),
		},
		{
			displayName: 'Image (Base64)',
			name: 'imageBase64',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			required: true,
			description: 'The first-frame image as raw base64 or as a data: URL (data:image/png;base64,…)',
			displayOptions: withShow(show, { imageSource: ['base64'], model: IMAGE_MODELS }),
		},
		{
			displayName: 'Last Frame Binary Field',
			name: 'lastFrameBinaryPropertyName',
			type: 'string',
			default: 'lastFrame',
			required: true,
			description: 'Name of the binary property that holds the last-frame image. It must have the same aspect ratio as the first frame.',
			displayOptions: withShow(show, { imageSource: ['binary'], model: LAST_FRAME_MODELS }),
		},
		{
			displayName: 'Last Frame Image URL',
			name: 'lastFrameImageUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/last-frame.jpg',
			description: 'Public http(s) URL of the last-frame image. It must have the same aspect ratio as the first frame.',
			displayOptions: withShow(show, { imageSource: ['url'], model: LAST_FRAME_MODELS }),
		},
		{
			displayName: 'Last Frame Image (Base64)',
			name: 'lastFrameImageBase64',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			required: true,
			description: 'The last-frame image as raw base64 or a data: URL. It must have the same aspect ratio as the first frame.',
			displayOptions: withShow(show, { imageSource: ['base64'], model: LAST_FRAME_MODELS }),
		},
		{
			displayName: 'Camera Template',
			name: 'cameraTemplate',
			type: 'options',
			options: CAMERA_TEMPLATES.map((template) => ({
				name: template
					.split('_')
					.map(capitalize)
					.join(' '),
				value: template,
			})).sort(byName),
			default: 'hitchcock_dolly_in',
			description: 'Camera movement applied to the image (template_id)',
			displayOptions: withShow(show, { model: CAMERA_MODELS }),
		},
		{
			displayName: 'Camera Strength',
			name: 'cameraStrength',
			type: 'options',
			options: cameraStrengthOptions,
			default: 'medium',
			description: 'How pronounced the camera movement is (camera_strength)',
			displayOptions: withShow(show, { model: CAMERA_MODELS }),
		},
		{
			displayName: 'Duration',
			name: 'frames',
			type: 'options',
			options: durationOptions,
			default: 121,
			description: 'Length of the video (frames = 24 × seconds + 1). Price is per second.',
			displayOptions: withShow(show),
		},
		...aspectRatioProperties(show),
		{
			displayName: 'Seed',
			name: 'seed',
			type: 'number',
			typeOptions: { minValue: -1, numberPrecision: 0 },
			default: -1,
			description: 'Random seed: -1 for a random one. The same positive seed with the same inputs gives a very similar video.',
			displayOptions: withShow(show),
		},
	];
}

/**
 * The trigger's generate mode: no input items, so images come by URL only. An empty Image URL
 * means text-to-video for the models that allow it.
 */
export function triggerGenerateProperties(show: Show): INodeProperties[] {
	const shared = videoInputProperties(show)
		.filter((property) => ['prompt', 'cameraTemplate', 'cameraStrength', 'frames', 'aspectRatio', 'seed'].includes(property.name))
		// No Image Source here: a `hide` on it names a parameter the trigger lacks, which n8n 1.x cannot
		// resolve ("Could not resolve parameter dependencies"), so the workflow would not activate.
		.map((property) => (property.name === 'aspectRatio' ? { ...property, displayOptions: { show: property.displayOptions?.show } } : property));
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
			displayOptions: withShow(show, { model: IMAGE_MODELS }),
		},
		{
			displayName: 'Last Frame Image URL',
			name: 'lastFrameImageUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/last-frame.jpg',
			description: 'Public http(s) URL of the last-frame image, with the same aspect ratio as the first',
			displayOptions: withShow(show, { model: LAST_FRAME_MODELS }),
		},
		...rest,
	];
}
