/**
 * The fields a user must see for each model, written from the model table (nodes/shared/jimeng/models.ts)
 * and not from the node's display conditions: the unit test of the descriptions and the browser check
 * of the real editor both compare what is shown against it.
 */
import { MODELS, type ModelSpec } from '../../nodes/shared/jimeng/models';

export type ImageSource = 'none' | 'binary' | 'url' | 'base64';

const FIRST_FRAME: Record<Exclude<ImageSource, 'none'>, string> = {
	binary: 'binaryPropertyName',
	url: 'imageUrl',
	base64: 'imageBase64',
};
const LAST_FRAME: Record<Exclude<ImageSource, 'none'>, string> = {
	binary: 'lastFrameBinaryPropertyName',
	url: 'lastFrameImageUrl',
	base64: 'lastFrameImageBase64',
};

/** Every video parameter the node or the trigger has; the ones a model does not use must be hidden. */
export const VIDEO_FIELDS = [
	'prompt',
	'imageSource',
	...Object.values(FIRST_FRAME),
	...Object.values(LAST_FRAME),
	'cameraTemplate',
	'cameraStrength',
	'frames',
	'aspectRatio',
	'seed',
] as const;

/** The image sources the editor offers for a model (Image Source's options). */
export function imageSourcesOf(model: ModelSpec): ImageSource[] {
	if (model.images[1] === 0) return [];
	const sources: ImageSource[] = ['binary', 'url', 'base64'];
	return model.images[0] === 0 ? ['none', ...sources] : sources;
}

/**
 * Submit and Generate and Wait: the video fields `model` uses with `imageSource` (ignored by
 * text-only models).
 */
export function nodeFieldsFor(model: ModelSpec, imageSource: ImageSource): string[] {
	const source = model.images[1] === 0 ? 'none' : imageSource;
	const fields = ['prompt'];
	if (model.images[1] > 0) fields.push('imageSource');
	if (source !== 'none') {
		fields.push(FIRST_FRAME[source]);
		if (model.images[1] > 1) fields.push(LAST_FRAME[source]);
	}
	if (model.input === 'cameraMotion') fields.push('cameraTemplate', 'cameraStrength');
	fields.push('frames');
	// With an image Jimeng takes the ratio from the image.
	if (model.takesAspectRatio && source === 'none') fields.push('aspectRatio');
	fields.push('seed');
	return fields;
}

/** The trigger's Generate Videos mode: images by URL only, an empty first-frame URL means text. */
export function triggerFieldsFor(model: ModelSpec): string[] {
	const fields = ['prompt'];
	if (model.images[1] > 0) fields.push('imageUrl');
	if (model.images[1] > 1) fields.push('lastFrameImageUrl');
	if (model.input === 'cameraMotion') fields.push('cameraTemplate', 'cameraStrength');
	fields.push('frames');
	if (model.takesAspectRatio) fields.push('aspectRatio');
	fields.push('seed');
	return fields;
}

/** Whether the prompt must be filled in: the video is made from text alone. */
export function promptRequired(model: ModelSpec, imageSource: ImageSource | 'emptyUrl'): boolean {
	return (
		model.images[1] === 0 || (model.images[0] === 0 && ['none', 'emptyUrl'].includes(imageSource))
	);
}

export { MODELS };
