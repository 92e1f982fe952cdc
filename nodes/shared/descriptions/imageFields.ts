/** Where the first (and last) frame comes from: binary data, a URL or base64 (Submit, Generate and Wait). */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { IMAGE_MODELS, LAST_FRAME_MODELS, MODELS } from '../helpers/models';
import { byName, withShow, type Show } from './displayHelpers';

const IMAGE_SOURCES: INodePropertyOptions[] = [
	{ name: 'Base64', value: 'base64', description: 'A base64 string or a data: URL (e.g. from a Code node)' },
	{ name: 'Binary File', value: 'binary', description: 'An image in the input item’s binary data (e.g. from HTTP Request or Read File)' },
	{ name: 'URL', value: 'url', description: 'A public http(s) URL that Jimeng downloads itself' },
];

const IMAGE_REQUIRED = MODELS.filter((m) => m.images[0] > 0).map((m) => m.id);

/** The last frame, from the same kind of source as the first (the API takes one list). */
function lastFrameProperties(show: Show): INodeProperties[] {
	return [
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
	];
}

export function imageSourceProperties(show: Show): INodeProperties[] {
	return [
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
		...lastFrameProperties(show),
	];
}
