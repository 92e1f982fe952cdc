/**
 * Seedance's media fields (Submit, Generate and Wait with API = Seedance): first and last frame,
 * reference images, videos and audio. Ark's modes are exclusive: the frames, or the references.
 * Display names are ARK_LABELS, which name these fields in every error the request builder gives.
 *
 * A field's visibility only depends on parameters shown whenever the field could be (n8n keeps a
 * hidden parameter's value and still applies it): each field hidden for a model is hidden for it
 * by its own model condition too, not only through the source field it follows.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ARK_LABELS, ARK_MODELS, type ArkModelSpec } from '../ark';
import { arkShow } from './apiShow';

const idsWhere = (test: (model: ArkModelSpec) => boolean) =>
	ARK_MODELS.filter(test).map((model) => model.id);

/** Known models that lack a feature: the field is hidden for them (an endpoint id shows it). */
export const NO_FIRST_FRAME = idsWhere((m) => !m.modes.includes('firstFrame'));
export const NO_LAST_FRAME = idsWhere((m) => !m.modes.includes('firstLastFrame'));
export const NO_REFERENCE_IMAGES = idsWhere((m) => !m.modes.includes('reference'));
export const NO_REFERENCE_VIDEOS = idsWhere((m) => m.references.videos === 0);
export const NO_REFERENCE_AUDIO = idsWhere((m) => m.references.audios === 0);

const BINARY: INodePropertyOptions = {
	name: 'Binary File',
	value: 'binary',
	description: 'From a binary property of the input item (e.g. an HTTP Request download)',
};
const URL_SOURCE: INodePropertyOptions = {
	name: 'URL',
	value: 'url',
	description: 'A public http(s) URL (or an Ark asset:// ID) that Ark downloads itself',
};
const NONE: INodePropertyOptions = { name: 'None', value: 'none' };

const IMAGE_RULES =
	'Images from binary data are checked before sending: JPEG, PNG, WebP, BMP, TIFF or GIF (HEIC too on 1.5 Pro), under 30 MB, each side over 300 and under 6000 pixels, width/height between 0.4 and 2.5.';

/** A frame: where it comes from, and its binary field or URL. */
function frameFields(
	frame: 'first' | 'last',
	label: string,
	show: Record<string, string[]>,
	hiddenFor: string[],
): INodeProperties[] {
	const name = `${frame}Frame`;
	const binaryDefault = frame === 'first' ? 'data' : 'lastFrame';
	const lead =
		frame === 'first'
			? 'The image the video starts from. None: text-to-video (or reference media).'
			: 'The image the video ends on (needs a first frame; Ark crops it to the first frame’s ratio).';
	return [
		{
			displayName: label,
			name: `${name}Source`,
			type: 'options',
			options: [BINARY, NONE, URL_SOURCE],
			default: 'none',
			description: `${lead} ${IMAGE_RULES}`,
			displayOptions: arkShow(['submit', 'generateAndWait'], show, hiddenFor),
		},
		{
			displayName: `${label} Binary Field`,
			name: `${name}BinaryProperty`,
			type: 'string',
			default: binaryDefault,
			required: true,
			description: `Name of the input item’s binary property that holds the ${frame}-frame image`,
			hint: 'The image type is read from its bytes, not its file name',
			displayOptions: arkShow(
				['submit', 'generateAndWait'],
				{ ...show, [`${name}Source`]: ['binary'] },
				hiddenFor,
			),
		},
		{
			displayName: `${label} URL`,
			name: `${name}Url`,
			type: 'string',
			default: '',
			required: true,
			placeholder: `https://example.com/${frame}-frame.png`,
			description: `Public http(s) URL of the ${frame}-frame image (or an asset:// ID). Ark downloads and checks it.`,
			displayOptions: arkShow(
				['submit', 'generateAndWait'],
				{ ...show, [`${name}Source`]: ['url'] },
				hiddenFor,
			),
		},
	];
}

/** A list of media, each from a binary property or a URL (URL only for videos). */
function mediaList(input: {
	label: string;
	name: string;
	entry: string;
	max: number;
	binary: boolean;
	description: string;
	hiddenFor: string[];
}): INodeProperties {
	const source: INodeProperties = {
		displayName: 'Source',
		name: 'source',
		type: 'options',
		options: [BINARY, URL_SOURCE],
		default: 'url',
	};
	const binaryField: INodeProperties = {
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the input item’s binary property that holds it',
		displayOptions: { show: { source: ['binary'] } },
	};
	const url: INodeProperties = {
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/reference',
		description: 'Public http(s) URL (or an Ark asset:// ID) that Ark downloads itself',
		...(input.binary ? { displayOptions: { show: { source: ['url'] } } } : {}),
	};
	return {
		displayName: input.label,
		name: input.name,
		type: 'fixedCollection',
		typeOptions: {
			multipleValues: true,
			maxAllowedFields: input.max,
			multipleValueButtonText: `Add ${input.entry}`,
		},
		placeholder: `Add ${input.entry}`,
		default: {},
		description: input.description,
		options: [
			{
				displayName: input.entry,
				name: 'items',
				values: input.binary ? [source, binaryField, url] : [url],
			},
		],
		// Ark's modes are exclusive: references only without a first frame.
		displayOptions: arkShow(
			['submit', 'generateAndWait'],
			{ firstFrameSource: ['none'] },
			input.hiddenFor,
		),
	};
}

export function seedanceMediaProperties(): INodeProperties[] {
	return [
		...frameFields('first', ARK_LABELS.firstFrame, {}, NO_FIRST_FRAME),
		...frameFields(
			'last',
			ARK_LABELS.lastFrame,
			{ firstFrameSource: ['binary', 'url'] },
			NO_LAST_FRAME,
		),
		mediaList({
			label: ARK_LABELS.referenceImages,
			name: 'referenceImages',
			entry: 'Reference Image',
			max: 9,
			binary: true,
			description: `Images the video takes its subjects, style or scene from (Seedance 2.x: up to 9; 1.0 Lite Image to Video: 1–4). Instead of a first frame. ${IMAGE_RULES}`,
			hiddenFor: NO_REFERENCE_IMAGES,
		}),
		mediaList({
			label: ARK_LABELS.referenceVideos,
			name: 'referenceVideos',
			entry: 'Reference Video',
			max: 3,
			binary: false,
			description:
				'Videos the result takes motion or style from (Seedance 2.x: up to 3, MP4 or MOV, 2–15 s each, 15 s in all). By URL only: Ark does not take uploaded video bytes.',
			hiddenFor: NO_REFERENCE_VIDEOS,
		}),
		mediaList({
			label: ARK_LABELS.referenceAudios,
			name: 'referenceAudio',
			entry: 'Reference Audio',
			max: 3,
			binary: true,
			description:
				'Sound the video follows (Seedance 2.x: up to 3 WAV or MP3, 2–15 s each, 15 s in all, under 15 MB). Needs a reference image or video beside it.',
			hiddenFor: NO_REFERENCE_AUDIO,
		}),
	];
}
