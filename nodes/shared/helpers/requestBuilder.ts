/**
 * Turns the node's parameter values into a Submit body, checking every rule the API would
 * enforce first: a request the API will refuse is never sent (and never paid for).
 * Pure: parameter values and image bytes in, a body and a preview out.
 */
import { ASPECT_RATIOS, type AspectRatio } from './aspectRatio';
import { DeferredImageData, digestOf, type CheckedImageDigest } from './deferredImages';
import {
	checkImageBytes,
	checkImageUrl,
	type ImageBytes,
	type ImageInput,
	type ImagePreview,
} from './imageRules';
import { InputValidationError, describeValue, parseInteger } from './inputValues';
import { CAMERA_STRENGTHS, CAMERA_TEMPLATES, findModel, MODELS, type ModelSpec } from './models';

export const PROMPT_MAX_CHARS = 800;
export const PROMPT_RECOMMENDED_CHARS = 400;
/** The two video lengths Jimeng makes: frames = 24 × seconds + 1. */
export const DURATIONS = [
	{ seconds: 5, frames: 121 },
	{ seconds: 10, frames: 241 },
] as const;
export const FRAMES_VALUES: readonly number[] = DURATIONS.map((duration) => duration.frames);

export interface VideoRequestInput {
	model: unknown;
	prompt: unknown;
	frames: unknown;
	/** undefined when the parameter does not apply (hidden) */
	aspectRatio?: unknown;
	seed: unknown;
	images: ImageInput[];
	cameraTemplate?: unknown;
	cameraStrength?: unknown;
}

export interface VideoRequest {
	model: ModelSpec;
	/** JSON body of CVSync2AsyncSubmitTask. */
	body: Record<string, unknown>;
	/** What was sent, for the output item (no image data). */
	summary: {
		prompt: string;
		frames: number;
		seed: number;
		aspect_ratio?: AspectRatio;
		template_id?: string;
		camera_strength?: string;
	};
	images: ImagePreview[];
	/** Advice that does not stop the request (shown as n8n execution hints). */
	hints: string[];
	/**
	 * Built with `deferImageData`: the checked images by size and sha256; `body` holds no image data
	 * until attachImageData puts it in.
	 */
	deferredImages?: CheckedImageDigest[];
}

export interface BuildOptions {
	/**
	 * Check the images but leave their base64 out of the body (a batch keeps only a digest per item
	 * and reads the image again just before its submit).
	 */
	deferImageData?: boolean;
}

function checkModel(value: unknown): ModelSpec {
	const model = typeof value === 'string' ? findModel(value) : undefined;
	if (!model) {
		throw new InputValidationError(
			'Model',
			`must be one of ${MODELS.map((m) => m.id).join(', ')}`,
			describeValue(value),
		);
	}
	return model;
}

function checkPrompt(value: unknown, required: boolean, hints: string[]): string {
	if (value !== undefined && value !== null && typeof value !== 'string') {
		throw new InputValidationError('Prompt', 'must be text', describeValue(value));
	}
	const prompt = typeof value === 'string' ? value.trim() : '';
	if (required && prompt === '') {
		throw new InputValidationError(
			'Prompt',
			'is required for text-to-video (describe the video to generate)',
			describeValue(value),
		);
	}
	const chars = [...prompt].length;
	if (chars > PROMPT_MAX_CHARS) {
		throw new InputValidationError(
			'Prompt',
			`must be at most ${PROMPT_MAX_CHARS} characters`,
			`${chars} characters`,
		);
	}
	if (chars > PROMPT_RECOMMENDED_CHARS) {
		hints.push(
			`The prompt has ${chars} characters. Jimeng recommends at most ${PROMPT_RECOMMENDED_CHARS}: longer prompts may be followed less well or ignored.`,
		);
	}
	return prompt;
}

function checkFrames(value: unknown): number {
	const frames = parseInteger(value === undefined ? 121 : value);
	if (frames === undefined || !FRAMES_VALUES.includes(frames)) {
		// Named as the editor labels the field (its parameter is `frames`, and its values are frame counts).
		const allowed = DURATIONS.map(
			(duration) => `${duration.seconds} s (${duration.frames} frames)`,
		).join(' or ');
		throw new InputValidationError('Duration', `must be ${allowed}`, describeValue(value));
	}
	return frames;
}

function checkSeed(value: unknown): number {
	const seed = parseInteger(value === undefined ? -1 : value);
	if (seed === undefined || seed < -1 || seed > 4_294_967_295) {
		throw new InputValidationError(
			'Seed',
			'must be a whole number: -1 for random, or 0 to 4294967295',
			describeValue(value),
		);
	}
	return seed;
}

function checkAspectRatio(value: unknown): AspectRatio {
	if (typeof value !== 'string' || !(ASPECT_RATIOS as readonly string[]).includes(value.trim())) {
		throw new InputValidationError(
			'Aspect Ratio',
			`must be one of ${ASPECT_RATIOS.join(', ')}`,
			describeValue(value),
		);
	}
	return value.trim() as AspectRatio;
}

function checkOneOf<T extends string>(
	parameter: string,
	value: unknown,
	allowed: readonly T[],
	fallback?: T,
): T {
	const candidate = value === undefined || value === '' ? fallback : value;
	if (typeof candidate !== 'string' || !(allowed as readonly string[]).includes(candidate)) {
		throw new InputValidationError(
			parameter,
			`must be one of ${allowed.join(', ')}`,
			describeValue(value),
		);
	}
	return candidate as T;
}

function checkImageCount(model: ModelSpec, images: ImageInput[]): void {
	const [minImages, maxImages] = model.images;
	if (images.length < minImages) {
		const need =
			model.input === 'firstAndLastFrame'
				? 'a first-frame and a last-frame image'
				: 'a first-frame image';
		throw new InputValidationError(
			'Image Source',
			`must provide ${need} for model ${model.id}`,
			images.length ? `${images.length} image` : 'no image',
		);
	}
	if (images.length > maxImages) {
		throw new InputValidationError(
			'Image Source',
			maxImages === 0
				? `must be "None" for text-to-video model ${model.id}`
				: `allows at most ${maxImages} image(s) for model ${model.id}`,
			`${images.length} images`,
		);
	}
}

/** The image list (URLs, or checked bytes as base64 or deferred) in the body; previews of byte images. */
function addImages(
	body: Record<string, unknown>,
	images: ImageInput[],
	options: BuildOptions,
): { previews: ImagePreview[]; deferredImages?: CheckedImageDigest[] } {
	if (new Set(images.map((image) => image.kind)).size > 1) {
		throw new InputValidationError(
			'Last Frame Source',
			'must be the same kind as the first image (both URLs, or both binary/base64): the API takes one list',
			'',
		);
	}
	if (images[0].kind === 'url') {
		body.image_urls = images.map((image) =>
			checkImageUrl(image as Extract<ImageInput, { kind: 'url' }>),
		);
		return { previews: [] };
	}
	const byteImages = images as ImageBytes[];
	const previews = byteImages.map((image) => checkImageBytes(image));
	if (
		previews.length === 2 &&
		previews[0].expectedAspectRatio !== previews[1].expectedAspectRatio
	) {
		throw new InputValidationError(
			'Last Frame',
			`must have the same aspect ratio as the first frame (${previews[0].expectedAspectRatio}, ${previews[0].width}×${previews[0].height})`,
			`${previews[1].width}×${previews[1].height}, closest to ${previews[1].expectedAspectRatio}`,
		);
	}
	if (!options.deferImageData) {
		body.binary_data_base64 = byteImages.map((image) => encodeBase64(image.bytes));
		return { previews };
	}
	const deferredImages = byteImages.map((image) => digestOf(image));
	body.binary_data_base64 = new DeferredImageData(deferredImages);
	return { previews, deferredImages };
}

export function buildVideoRequest(
	input: VideoRequestInput,
	options: BuildOptions = {},
): VideoRequest {
	const hints: string[] = [];
	const model = checkModel(input.model);
	const images = input.images;
	checkImageCount(model, images);
	const prompt = checkPrompt(input.prompt, images.length === 0, hints);
	const frames = checkFrames(input.frames);
	const seed = checkSeed(input.seed);

	const body: Record<string, unknown> = { req_key: model.id };
	if (prompt) body.prompt = prompt;
	body.seed = seed;
	body.frames = frames;
	const summary: VideoRequest['summary'] = { prompt, frames, seed };

	if (images.length === 0) {
		if (model.takesAspectRatio) {
			const aspectRatio = checkAspectRatio(input.aspectRatio ?? '16:9');
			body.aspect_ratio = aspectRatio;
			summary.aspect_ratio = aspectRatio;
		}
		return { model, body, summary, images: [], hints };
	}

	const { previews, deferredImages } = addImages(body, images, options);
	if (model.takesAspectRatio && input.aspectRatio !== undefined && input.aspectRatio !== '16:9') {
		hints.push(
			`Aspect Ratio "${String(input.aspectRatio)}" is ignored for image-to-video: Jimeng uses the ratio closest to the image${previews[0] ? ` (${previews[0].expectedAspectRatio})` : ''}.`,
		);
	}
	if (model.input === 'cameraMotion') {
		body.template_id = checkOneOf('Camera Template', input.cameraTemplate, CAMERA_TEMPLATES);
		body.camera_strength = checkOneOf(
			'Camera Strength',
			input.cameraStrength,
			CAMERA_STRENGTHS,
			'medium',
		);
		summary.template_id = body.template_id as string;
		summary.camera_strength = body.camera_strength as string;
	}
	return deferredImages
		? { model, body, summary, images: previews, hints, deferredImages }
		: { model, body, summary, images: previews, hints };
}

function encodeBase64(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
