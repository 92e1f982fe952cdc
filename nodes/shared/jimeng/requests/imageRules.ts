/**
 * The API's rules for an image (JPEG or PNG by content, 4.7 MB, 4096 px, short side 320 px, ratio
 * at most 3), checked before anything is sent, and what a checked image is remembered by. Pure.
 */
import { planImageCrop, type AspectRatio, type CropRect } from './aspectRatio';
import {
	ImageInspectionError,
	detectImageFormat,
	readImageInfo,
	type ImageInfo,
} from '../../images/imageInspection';
import { InputValidationError, describeValue, formatBytes } from '../../requests/inputValues';

/** The vendor's "4.7MB", read as MiB like the rest of its documentation. */
export const IMAGE_MAX_BYTES = Math.floor(4.7 * 1024 * 1024);
export const IMAGE_MAX_SIDE = 4096;
export const IMAGE_MIN_SHORT_SIDE = 320;
export const IMAGE_MAX_RATIO = 3;

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

export type ImageInput =
	| { slot: ImageSlot; kind: 'url'; url: unknown; parameter: string }
	| ImageBytes;

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

/** Strips a `data:` URL prefix and whitespace; refuses what is not base64. */
export function decodeBase64Image(text: unknown, parameter: string): Uint8Array {
	if (typeof text !== 'string') {
		throw new InputValidationError(
			parameter,
			'must be a base64 string (raw or a data: URL)',
			describeValue(text),
		);
	}
	let payload = text.trim();
	const dataUrl = /^data:([^,]*?),/i.exec(payload);
	if (dataUrl) {
		if (!/;base64$/i.test(dataUrl[1])) {
			throw new InputValidationError(
				parameter,
				'must be a base64 data: URL (";base64,")',
				describeValue(text),
			);
		}
		payload = payload.slice(dataUrl[0].length);
	}
	payload = payload.replace(/\s+/g, '');
	if (payload === '')
		throw new InputValidationError(
			parameter,
			'must contain an image; it is empty',
			describeValue(text),
		);
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
		return error instanceof ImageInspectionError
			? error
			: new ImageInspectionError(
					'corrupt',
					`the image header could not be read (${String(error)})`,
				);
	}
}

/**
 * An image that breaks a rule, said as a user sees it: which image, where it came from, what it is,
 * what it must be, and the parameter it was read from.
 */
function imageError(image: ImageBytes, is: string, mustBe: string): InputValidationError {
	const name = image.slot === 'first' ? 'first-frame image' : 'last-frame image';
	return new InputValidationError(
		image.parameter,
		mustBe,
		is,
		`The ${name} from ${image.origin} ${is}: ${mustBe}. Parameter: "${image.parameter}"`,
	);
}

/** 4096 px at most, a short side of 320 px at least, long/short side at most 3. */
function checkDimensions(image: ImageBytes, width: number, height: number): void {
	const dimensions = `${width}×${height} pixels`;
	if (width > IMAGE_MAX_SIDE || height > IMAGE_MAX_SIDE) {
		throw imageError(
			image,
			`is ${dimensions}`,
			`Jimeng takes at most ${IMAGE_MAX_SIDE}×${IMAGE_MAX_SIDE} pixels`,
		);
	}
	const shortSide = Math.min(width, height);
	const longSide = Math.max(width, height);
	if (shortSide < IMAGE_MIN_SHORT_SIDE) {
		throw imageError(
			image,
			`is ${dimensions}`,
			`its short side must be at least ${IMAGE_MIN_SHORT_SIDE} pixels`,
		);
	}
	// long/short ≤ 3, compared without division: 3 × short ≥ long
	if (longSide > IMAGE_MAX_RATIO * shortSide) {
		throw imageError(
			image,
			`is ${dimensions} (long/short side ratio ${(longSide / shortSide).toFixed(2)})`,
			`its long side must be at most ${IMAGE_MAX_RATIO} times its short side`,
		);
	}
}

export function checkImageBytes(image: ImageBytes): ImagePreview {
	const { bytes } = image;
	if (bytes.length === 0)
		throw imageError(image, 'is empty (0 bytes)', 'it must be a JPEG or PNG image');
	const size = image.totalBytes ?? bytes.length;
	if (size > IMAGE_MAX_BYTES || bytes.length > IMAGE_MAX_BYTES) {
		const shown =
			size > IMAGE_MAX_BYTES ? formatBytes(size) : `more than ${formatBytes(IMAGE_MAX_BYTES)}`;
		throw imageError(image, `is ${shown}`, `Jimeng takes at most 4.7 MB, ${IMAGE_MAX_BYTES} bytes`);
	}
	const info = inspectImage(bytes);
	if (info instanceof ImageInspectionError) {
		const detected = detectImageFormat(bytes.subarray(0, 32));
		const is =
			detected !== 'unknown' && detected !== 'png' && detected !== 'jpeg'
				? `is a ${detected.toUpperCase()} image`
				: `cannot be read as a JPEG or PNG: ${info.message}`;
		throw imageError(
			image,
			is,
			'it must be a JPEG or PNG image, judged by its bytes, not its name',
		);
	}
	const { width, height } = info;
	checkDimensions(image, width, height);
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

export function checkImageUrl(image: Extract<ImageInput, { kind: 'url' }>): string {
	const { url, parameter } = image;
	if (typeof url !== 'string' || url.trim() === '') {
		throw new InputValidationError(
			parameter,
			'must be an http(s) URL of a JPEG or PNG image',
			describeValue(url),
		);
	}
	if (!URL.canParse(url.trim())) {
		throw new InputValidationError(parameter, 'must be a valid http(s) URL', describeValue(url));
	}
	const parsed = new URL(url.trim());
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new InputValidationError(
			parameter,
			`must use http or https (Jimeng downloads it); the scheme is "${parsed.protocol.replace(/:$/, '')}"`,
			describeValue(url),
		);
	}
	return parsed.href;
}
