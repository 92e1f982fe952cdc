/**
 * Turns the node's parameter values into a Submit body, checking every rule the API would
 * enforce first (parameterRules.ts, imageRules.ts): a request the API will refuse is never sent
 * (and never paid for).
 * Pure: parameter values and image bytes in, a body and a preview out.
 */
import type { AspectRatio } from './aspectRatio';
import { DeferredImageData, digestOf, type CheckedImageDigest } from './deferredImages';
import {
	checkImageBytes,
	checkImageUrl,
	type ImageBytes,
	type ImageInput,
	type ImagePreview,
} from './imageRules';
import { InputValidationError } from '../../requests/inputValues';
import { CAMERA_STRENGTHS, CAMERA_TEMPLATES, type ModelSpec } from '../models';
import {
	checkAspectRatio,
	checkFrames,
	checkImageCount,
	checkModel,
	checkOneOf,
	checkPrompt,
	checkSeed,
} from './parameterRules';

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
