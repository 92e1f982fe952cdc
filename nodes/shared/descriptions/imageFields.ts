/** Where the first (and last) frame comes from: binary data, a URL or base64 (Submit, Generate and Wait). */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { IMAGE_MODELS, LAST_FRAME_MODELS, MODELS } from '../jimeng/models';
import { byName } from './displayHelpers';

const IMAGE_SOURCES: INodePropertyOptions[] = [
	{
		name: 'Base64',
		value: 'base64',
		description: 'A base64 string or a data: URL (e.g. from a Code node)',
	},
	{
		name: 'Binary File',
		value: 'binary',
		description: 'An image in the input item’s binary data (e.g. from HTTP Request or Read File)',
	},
	{ name: 'URL', value: 'url', description: 'A public http(s) URL that Jimeng downloads itself' },
];

const IMAGE_RULES =
	'Binary and base64 images are checked before sending: JPEG or PNG, at most 4.7 MB, at most 4096×4096, short side at least 320 px, long/short side at most 3.';
const SAME_RATIO = 'It must have the same aspect ratio as the first frame.';

type Source = 'binary' | 'url' | 'base64';

/** One frame's field for one source: a text field shown for that source and the models that take the frame. */
function frameField(
	source: Source,
	models: string[],
	field: Omit<INodeProperties, 'type' | 'required' | 'displayOptions'>,
): INodeProperties {
	const typeOptions = source === 'base64' ? { typeOptions: { rows: 2 } } : {};
	return {
		...field,
		type: 'string',
		...typeOptions,
		required: true,
		displayOptions: { show: { imageSource: [source], model: models } },
	};
}

function imageSourceProperty(
	options: INodePropertyOptions[],
	fallback: string,
	lead: string,
	models: string[],
): INodeProperties {
	return {
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options,
		default: fallback,
		description: `${lead} ${IMAGE_RULES}`,
		displayOptions: { show: { model: models } },
	};
}

export function imageSourceProperties(): INodeProperties[] {
	const imageOptional = MODELS.filter((m) => m.images[0] === 0 && m.images[1] > 0).map((m) => m.id);
	const imageRequired = MODELS.filter((m) => m.images[0] > 0).map((m) => m.id);
	const withNone = [
		...IMAGE_SOURCES,
		{ name: 'None (Text-to-Video)', value: 'none', description: 'Generate from the prompt alone' },
	].sort(byName);
	return [
		imageSourceProperty(withNone, 'none', 'Where the first-frame image comes from.', imageOptional),
		imageSourceProperty(
			IMAGE_SOURCES,
			'binary',
			'Where the first-frame image comes from (this model needs one).',
			imageRequired,
		),
		frameField('binary', IMAGE_MODELS, {
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			default: 'data',
			description: 'Name of the binary property of the input item that holds the first-frame image',
			hint: 'The image type is read from its bytes, not its file name',
		}),
		frameField('url', IMAGE_MODELS, {
			displayName: 'Image URL',
			name: 'imageUrl',
			default: '',
			placeholder: 'https://example.com/first-frame.jpg',
			description:
				'Public http(s) URL of a JPEG or PNG first-frame image. Jimeng downloads and checks it itself.',
		}),
		frameField('base64', IMAGE_MODELS, {
			displayName: 'Image (Base64)',
			name: 'imageBase64',
			default: '',
			description:
				'The first-frame image as raw base64 or as a data: URL (data:image/png;base64,…)',
		}),
		// The last frame comes from the same kind of source as the first (the API takes one list).
		frameField('binary', LAST_FRAME_MODELS, {
			displayName: 'Last Frame Binary Field',
			name: 'lastFrameBinaryPropertyName',
			default: 'lastFrame',
			description: `Name of the binary property that holds the last-frame image. ${SAME_RATIO}`,
		}),
		frameField('url', LAST_FRAME_MODELS, {
			displayName: 'Last Frame Image URL',
			name: 'lastFrameImageUrl',
			default: '',
			placeholder: 'https://example.com/last-frame.jpg',
			description: `Public http(s) URL of the last-frame image. ${SAME_RATIO}`,
		}),
		frameField('base64', LAST_FRAME_MODELS, {
			displayName: 'Last Frame Image (Base64)',
			name: 'lastFrameImageBase64',
			default: '',
			description: `The last-frame image as raw base64 or a data: URL. ${SAME_RATIO}`,
		}),
	];
}
