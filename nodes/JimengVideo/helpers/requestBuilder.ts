/**
 * Turns the node's parameter values into a Submit body, checking every rule the API would
 * enforce first: a request the API will refuse is never sent (and never paid for).
 * Pure: parameter values and image bytes in, a body and a preview out.
 */
import { createHash } from 'crypto';

import { ASPECT_RATIOS, planImageCrop, type AspectRatio, type CropRect } from './aspectRatio';
import { Base64Image } from './jsonBody';
import { ImageInspectionError, detectImageFormat, readImageInfo, type ImageInfo } from './imageInspection';
import {
	CAMERA_STRENGTHS,
	CAMERA_TEMPLATES,
	findModel,
	MODELS,
	type ModelSpec,
} from './models';

export const PROMPT_MAX_CHARS = 800;
export const PROMPT_RECOMMENDED_CHARS = 400;
/** The two video lengths Jimeng makes: frames = 24 × seconds + 1. */
export const DURATIONS = [
	{ seconds: 5, frames: 121 },
	{ seconds: 10, frames: 241 },
] as const;
export const FRAMES_VALUES: readonly number[] = DURATIONS.map((duration) => duration.frames);
/** The vendor's "4.7MB", read as MiB like the rest of its documentation. */
export const IMAGE_MAX_BYTES = Math.floor(4.7 * 1024 * 1024);
export const IMAGE_MAX_SIDE = 4096;
export const IMAGE_MIN_SHORT_SIDE = 320;
export const IMAGE_MAX_RATIO = 3;

/** A bad parameter value: which parameter, which rule, which value. */
export class InputValidationError extends Error {
	constructor(
		readonly parameter: string,
		readonly rule: string,
		readonly value: string,
	) {
		super(`"${parameter}" ${rule}${value ? `; got ${value}` : ''}`);
		this.name = 'InputValidationError';
	}
}

/** Shows a value in an error without flooding it (a 10 KB string, a whole image). */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string') {
		if (value === '') return 'an empty string';
		if (value.trim() === '') return `only whitespace (${value.length} characters)`;
		const chars = [...value].length;
		return chars > 60 ? `"${[...value].slice(0, 40).join('')}…" (${chars} characters)` : JSON.stringify(value);
	}
	if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
	if (Array.isArray(value)) return `an array of ${value.length}`;
	return `an object (${typeof value})`;
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`;
}

/** Integers given as numbers or as decimal strings (a sheet or an expression often gives "121"). */
export function parseInteger(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
	if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) {
		const parsed = Number(value);
		return Number.isSafeInteger(parsed) ? parsed : undefined;
	}
	return undefined;
}

export type ImageSlot = 'first' | 'last';

export interface ImageBytes {
	slot: ImageSlot;
	kind: 'bytes';
	bytes: Uint8Array;
	parameter: string;
	/** where the bytes came from, for messages: 'binary property "data"', 'the base64 string' */
	origin: string;
	/** the full size when `bytes` is only the first part of a larger file (read from a stream) */
	totalBytes?: number;
}

export type ImageInput = { slot: ImageSlot; kind: 'url'; url: unknown; parameter: string } | ImageBytes;

/** What a deferred build remembers of a checked image instead of its bytes. */
export interface CheckedImageDigest {
	slot: ImageSlot;
	parameter: string;
	origin: string;
	bytes: number;
	sha256: string;
}

/**
 * Stands in for `binary_data_base64` in the body of a deferred build. It cannot be serialised, so a
 * request whose images were never attached fails before it is signed or sent (and before the
 * submission ledger keys it).
 */
export class DeferredImageData {
	constructor(readonly images: CheckedImageDigest[]) {}

	toJSON(): never {
		throw new Error('internal error: a request was about to be sent before its image data was attached');
	}
}

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

export interface ImagePreview {
	slot: ImageSlot;
	width: number;
	height: number;
	format: ImageInfo['format'];
	bytes: number;
	expectedAspectRatio: AspectRatio;
	crop: CropRect;
	cropped: boolean;
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

/** Strips a `data:` URL prefix and whitespace; refuses what is not base64. */
export function decodeBase64Image(text: unknown, parameter: string): Uint8Array {
	if (typeof text !== 'string') {
		throw new InputValidationError(parameter, 'must be a base64 string (raw or a data: URL)', describeValue(text));
	}
	let payload = text.trim();
	const dataUrl = /^data:([^,]*?),/i.exec(payload);
	if (dataUrl) {
		if (!/;base64$/i.test(dataUrl[1])) {
			throw new InputValidationError(parameter, 'must be a base64 data: URL (";base64,")', describeValue(text));
		}
		payload = payload.slice(dataUrl[0].length);
	}
	payload = payload.replace(/\s+/g, '');
	if (payload === '') throw new InputValidationError(parameter, 'must contain an image; it is empty', describeValue(text));
	// Accept the URL-safe alphabet too; refuse anything else instead of letting the decoder skip it.
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(payload) || payload.length % 4 === 1) {
		throw new InputValidationError(parameter, 'is not valid base64', describeValue(text));
	}
	return Buffer.from(payload, 'base64');
}

/** readImageInfo, with its failure as a value. */
function inspectImage(bytes: Uint8Array): ImageInfo | ImageInspectionError {
	try {
		return readImageInfo(bytes);
	} catch (error) {
		return error instanceof ImageInspectionError ? error : new ImageInspectionError('corrupt', `the image header could not be read (${String(error)})`);
	}
}

function sha256Of(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

function checkImageBytes(image: ImageBytes): ImagePreview {
	const { bytes, parameter, origin } = image;
	if (bytes.length === 0) throw new InputValidationError(parameter, `must be a JPEG or PNG image; ${origin} is empty (0 bytes)`, '');
	const size = image.totalBytes ?? bytes.length;
	if (size > IMAGE_MAX_BYTES || bytes.length > IMAGE_MAX_BYTES) {
		const shown = size > IMAGE_MAX_BYTES ? formatBytes(size) : `more than ${formatBytes(IMAGE_MAX_BYTES)}`;
		throw new InputValidationError(parameter, `must be at most 4.7 MB (${IMAGE_MAX_BYTES} bytes); ${origin} is ${shown}`, '');
	}
	const info = inspectImage(bytes);
	if (info instanceof ImageInspectionError) {
		const detected = detectImageFormat(bytes.subarray(0, 32));
		const what =
			detected !== 'unknown' && detected !== 'png' && detected !== 'jpeg'
				? `${origin} is a ${detected.toUpperCase()} image`
				: `${origin}: ${info.message}`;
		throw new InputValidationError(parameter, `must be a JPEG or PNG image (judged by its bytes, not its name); ${what}`, '');
	}
	const { width, height } = info;
	const dimensions = `${width}×${height}`;
	if (width > IMAGE_MAX_SIDE || height > IMAGE_MAX_SIDE) {
		throw new InputValidationError(parameter, `must be at most ${IMAGE_MAX_SIDE}×${IMAGE_MAX_SIDE} pixels; ${origin} is ${dimensions}`, '');
	}
	const shortSide = Math.min(width, height);
	const longSide = Math.max(width, height);
	if (shortSide < IMAGE_MIN_SHORT_SIDE) {
		throw new InputValidationError(parameter, `must have a short side of at least ${IMAGE_MIN_SHORT_SIDE} pixels; ${origin} is ${dimensions}`, '');
	}
	// long/short ≤ 3, compared without division: 3 × short ≥ long
	if (longSide > IMAGE_MAX_RATIO * shortSide) {
		throw new InputValidationError(
			parameter,
			`must have a long/short side ratio of at most ${IMAGE_MAX_RATIO}; ${origin} is ${dimensions} (ratio ${(longSide / shortSide).toFixed(2)})`,
			'',
		);
	}
	const plan = planImageCrop(width, height);
	return {
		slot: image.slot,
		width,
		height,
		format: info.format,
		bytes: size,
		expectedAspectRatio: plan.expectedAspectRatio,
		crop: plan.crop,
		cropped: plan.cropped,
	};
}

function checkImageUrl(image: Extract<ImageInput, { kind: 'url' }>): string {
	const { url, parameter } = image;
	if (typeof url !== 'string' || url.trim() === '') {
		throw new InputValidationError(parameter, 'must be an http(s) URL of a JPEG or PNG image', describeValue(url));
	}
	if (!URL.canParse(url.trim())) {
		throw new InputValidationError(parameter, 'must be a valid http(s) URL', describeValue(url));
	}
	const parsed = new URL(url.trim());
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new InputValidationError(parameter, `must use http or https (Jimeng downloads it); the scheme is "${parsed.protocol.replace(/:$/, '')}"`, describeValue(url));
	}
	return parsed.href;
}

function checkModel(value: unknown): ModelSpec {
	const model = typeof value === 'string' ? findModel(value) : undefined;
	if (!model) {
		throw new InputValidationError('Model', `must be one of ${MODELS.map((m) => m.id).join(', ')}`, describeValue(value));
	}
	return model;
}

function checkPrompt(value: unknown, required: boolean, hints: string[]): string {
	if (value !== undefined && value !== null && typeof value !== 'string') {
		throw new InputValidationError('Prompt', 'must be text', describeValue(value));
	}
	const prompt = typeof value === 'string' ? value.trim() : '';
	if (required && prompt === '') {
		throw new InputValidationError('Prompt', 'is required for text-to-video (describe the video to generate)', describeValue(value));
	}
	const chars = [...prompt].length;
	if (chars > PROMPT_MAX_CHARS) {
		throw new InputValidationError('Prompt', `must be at most ${PROMPT_MAX_CHARS} characters`, `${chars} characters`);
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
		const allowed = DURATIONS.map((duration) => `${duration.seconds} s (${duration.frames} frames)`).join(' or ');
		throw new InputValidationError('Duration', `must be ${allowed}`, describeValue(value));
	}
	return frames;
}

function checkSeed(value: unknown): number {
	const seed = parseInteger(value === undefined ? -1 : value);
	if (seed === undefined || seed < -1 || seed > 4_294_967_295) {
		throw new InputValidationError('Seed', 'must be a whole number: -1 for random, or 0 to 4294967295', describeValue(value));
	}
	return seed;
}

function checkAspectRatio(value: unknown): AspectRatio {
	if (typeof value !== 'string' || !(ASPECT_RATIOS as readonly string[]).includes(value.trim())) {
		throw new InputValidationError('Aspect Ratio', `must be one of ${ASPECT_RATIOS.join(', ')}`, describeValue(value));
	}
	return value.trim() as AspectRatio;
}

function checkOneOf<T extends string>(parameter: string, value: unknown, allowed: readonly T[], fallback?: T): T {
	const candidate = value === undefined || value === '' ? fallback : value;
	if (typeof candidate !== 'string' || !(allowed as readonly string[]).includes(candidate)) {
		throw new InputValidationError(parameter, `must be one of ${allowed.join(', ')}`, describeValue(value));
	}
	return candidate as T;
}

export function buildVideoRequest(input: VideoRequestInput, options: BuildOptions = {}): VideoRequest {
	const hints: string[] = [];
	const model = checkModel(input.model);
	const [minImages, maxImages] = model.images;
	const images = input.images;
	if (images.length < minImages) {
		const need = model.input === 'firstAndLastFrame' ? 'a first-frame and a last-frame image' : 'a first-frame image';
		throw new InputValidationError('Image Source', `must provide ${need} for model ${model.id}`, images.length ? `${images.length} image` : 'no image');
	}
	if (images.length > maxImages) {
		throw new InputValidationError(
			'Image Source',
			maxImages === 0 ? `must be "None" for text-to-video model ${model.id}` : `allows at most ${maxImages} image(s) for model ${model.id}`,
			`${images.length} images`,
		);
	}
	const prompt = checkPrompt(input.prompt, images.length === 0, hints);
	const frames = checkFrames(input.frames);
	const seed = checkSeed(input.seed);

	const body: Record<string, unknown> = { req_key: model.id };
	if (prompt) body.prompt = prompt;
	body.seed = seed;
	body.frames = frames;
	const summary: VideoRequest['summary'] = { prompt, frames, seed };

	if (images.length > 0) {
		const kinds = new Set(images.map((image) => image.kind));
		if (kinds.size > 1) {
			throw new InputValidationError('Last Frame Source', 'must be the same kind as the first image (both URLs, or both binary/base64): the API takes one list', '');
		}
		const previews: ImagePreview[] = [];
		let deferredImages: CheckedImageDigest[] | undefined;
		if (images[0].kind === 'url') {
			body.image_urls = images.map((image) => checkImageUrl(image as Extract<ImageInput, { kind: 'url' }>));
		} else {
			const byteImages = images as ImageBytes[];
			for (const image of byteImages) previews.push(checkImageBytes(image));
			if (options.deferImageData) {
				deferredImages = byteImages.map((image) => digestOf(image));
				body.binary_data_base64 = new DeferredImageData(deferredImages);
			} else {
				body.binary_data_base64 = byteImages.map((image) => encodeBase64(image.bytes));
			}
		}
		if (previews.length === 2 && previews[0].expectedAspectRatio !== previews[1].expectedAspectRatio) {
			throw new InputValidationError(
				'Last Frame',
				`must have the same aspect ratio as the first frame (${previews[0].expectedAspectRatio}, ${previews[0].width}×${previews[0].height})`,
				`${previews[1].width}×${previews[1].height}, closest to ${previews[1].expectedAspectRatio}`,
			);
		}
		if (model.takesAspectRatio && input.aspectRatio !== undefined && input.aspectRatio !== '16:9') {
			hints.push(
				`Aspect Ratio "${String(input.aspectRatio)}" is ignored for image-to-video: Jimeng uses the ratio closest to the image${previews[0] ? ` (${previews[0].expectedAspectRatio})` : ''}.`,
			);
		}
		if (model.input === 'cameraMotion') {
			body.template_id = checkOneOf('Camera Template', input.cameraTemplate, CAMERA_TEMPLATES);
			body.camera_strength = checkOneOf('Camera Strength', input.cameraStrength, CAMERA_STRENGTHS, 'medium');
			summary.template_id = body.template_id as string;
			summary.camera_strength = body.camera_strength as string;
		}
		return deferredImages ? { model, body, summary, images: previews, hints, deferredImages } : { model, body, summary, images: previews, hints };
	}

	if (model.takesAspectRatio) {
		const aspectRatio = checkAspectRatio(input.aspectRatio ?? '16:9');
		body.aspect_ratio = aspectRatio;
		summary.aspect_ratio = aspectRatio;
	}
	return { model, body, summary, images: [], hints };
}

function encodeBase64(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function digestOf(image: ImageBytes): CheckedImageDigest {
	return { slot: image.slot, parameter: image.parameter, origin: image.origin, bytes: image.bytes.length, sha256: sha256Of(image.bytes) };
}

function shortDigest(digest: { bytes: number; sha256: string }): string {
	return `${digest.bytes} bytes, sha256 ${digest.sha256.slice(0, 16)}…`;
}

/**
 * The sendable request of a deferred build: the images read again just before the submit go into
 * the body, in the place and form a direct build gives them (same body, same ledger key), once they
 * prove to be the very bytes that were checked. An image that changed in between fails the item:
 * nothing is sent for it.
 */
export function attachImageData(request: VideoRequest, images: ImageBytes[]): VideoRequest {
	const checked = request.deferredImages;
	if (!checked) return request;
	if (images.length !== checked.length) {
		throw new InputValidationError(
			checked[0]?.parameter ?? 'Image Source',
			`changed after the batch was checked: ${checked.length} image(s) were checked, ${images.length} found at submit time; nothing was sent for this item`,
			'',
		);
	}
	const encoded = images.map((image, index) => {
		const before = checked[index];
		const now = { bytes: image.bytes.length, sha256: sha256Of(image.bytes) };
		if (now.bytes !== before.bytes || now.sha256 !== before.sha256) {
			throw new InputValidationError(
				before.parameter,
				`changed after the batch was checked: ${before.origin} was ${shortDigest(before)} when checked and is ${shortDigest(now)} at submit time; nothing was sent for this item`,
				'',
			);
		}
		// Bytes, not a base64 string: jsonBodyBytes writes them into the sent body piece by piece.
		return new Base64Image(image.bytes);
	});
	// Replacing the key keeps its position: the body is the one a direct build gives.
	const body = { ...request.body, binary_data_base64: encoded };
	return { model: request.model, body, summary: request.summary, images: request.images, hints: request.hints };
}

/** Get Result's optional provenance metadata, sent as a JSON string inside JSON (`req_json`). */
export interface AigcMeta {
	contentProducer?: unknown;
	producerId?: unknown;
	contentPropagator?: unknown;
	propagateId?: unknown;
}

export const AIGC_META_MAX_CHARS = 256;

export function buildReqJson(meta: AigcMeta | undefined): string | undefined {
	if (!meta) return undefined;
	const fields: Array<[keyof AigcMeta, string, string]> = [
		['contentProducer', 'content_producer', 'Content Producer'],
		['producerId', 'producer_id', 'Producer ID'],
		['contentPropagator', 'content_propagator', 'Content Propagator'],
		['propagateId', 'propagate_id', 'Propagate ID'],
	];
	const aigcMeta: Record<string, string> = {};
	for (const [key, apiName, label] of fields) {
		const value = meta[key];
		if (value === undefined || value === null || value === '') continue;
		if (typeof value !== 'string' && typeof value !== 'number') {
			throw new InputValidationError(`AIGC Metadata › ${label}`, 'must be text', describeValue(value));
		}
		const text = String(value);
		if ([...text].length > AIGC_META_MAX_CHARS) {
			throw new InputValidationError(`AIGC Metadata › ${label}`, `must be at most ${AIGC_META_MAX_CHARS} characters`, `${[...text].length} characters`);
		}
		aigcMeta[apiName] = text;
	}
	return Object.keys(aigcMeta).length ? JSON.stringify({ aigc_meta: aigcMeta }) : undefined;
}

/** Task ids are decimal strings of up to 20 digits (they can exceed 2^63: never a number). */
export function checkTaskId(value: unknown, parameter = 'Task ID'): string {
	const text = typeof value === 'number' ? undefined : typeof value === 'string' ? value.trim() : undefined;
	if (typeof value === 'number') {
		throw new InputValidationError(
			parameter,
			'must be the task_id string from Submit; as a number it has lost digits (ids exceed 2^53) — map it as text',
			describeValue(value),
		);
	}
	if (!text || !/^\d{1,32}$/.test(text)) {
		throw new InputValidationError(parameter, 'must be a task id: the digits of task_id returned by Submit', describeValue(value));
	}
	return text;
}
