/**
 * Ark's rules for input media (docs/ark-api.md "Input media limits"), checked before anything is
 * sent, and the `content[]` items they become. Images are judged by their bytes (format by magic
 * bytes, pixel size, side ratio, byte size) with nodes/shared/images; URLs are Ark's to download,
 * so only their form is checked here. Pure.
 */
import { ImageInspectionError } from '../../images/imageFormat';
import { readImageSize, type ImageSize } from '../../images/imageSize';
import { InputValidationError, formatBytes } from '../../requests/inputValues';
import { checkUrl } from './parameterRules';

/** A medium as the node has it: a URL (or asset://), or bytes from a binary property. */
export type ArkMediaInput =
	| { url: string }
	| {
			bytes: Uint8Array;
			/** for messages: 'binary property "data"' */
			origin?: string;
			/** the full size when `bytes` is only the head of a larger file */
			totalBytes?: number;
	  };

export type ImageRole = 'first_frame' | 'last_frame' | 'reference_image';

export interface ContentItem {
	type: 'text' | 'image_url' | 'video_url' | 'audio_url' | 'draft_task';
	[key: string]: unknown;
}

/** What the builder learnt from an image's bytes (nothing for a URL). */
export interface ImageFacts {
	role: ImageRole;
	format?: string;
	width?: number | null;
	height?: number | null;
	bytes?: number;
}

export const IMAGE_MAX_BYTES = 30 * 1024 * 1024;
/** Width and height strictly between these (pixels), width/height strictly between the ratios. */
export const IMAGE_SIDE_RANGE = [300, 6000] as const;
export const IMAGE_RATIO_RANGE = [0.4, 2.5] as const;
export const AUDIO_MAX_BYTES = 15 * 1024 * 1024;
const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'bmp', 'tiff', 'gif'];

function base64Of(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function originOf(input: { origin?: string }): string {
	return input.origin ?? 'the data';
}

function checkImageDimensions(label: string, origin: string, width: number, height: number): void {
	const [minSide, maxSide] = IMAGE_SIDE_RANGE;
	const [minRatio, maxRatio] = IMAGE_RATIO_RANGE;
	const size = `${width}×${height}`;
	if (Math.min(width, height) <= minSide || Math.max(width, height) >= maxSide) {
		throw new InputValidationError(
			label,
			`must be wider and taller than ${minSide} pixels and under ${maxSide} pixels on each side; ${origin} is ${size}`,
			'',
		);
	}
	const ratio = width / height;
	if (ratio <= minRatio || ratio >= maxRatio) {
		throw new InputValidationError(
			label,
			`must have a width/height ratio between ${minRatio} and ${maxRatio}; ${origin} is ${size} (ratio ${ratio.toFixed(2)})`,
			'',
		);
	}
}

/** readImageSize, with its failure as a value. */
function inspect(bytes: Uint8Array): ImageSize | Error {
	try {
		return readImageSize(bytes);
	} catch (error) {
		return error instanceof ImageInspectionError ? error : new Error(String(error));
	}
}

/** An image as a content item, its bytes checked; `heic`: the model takes HEIC/HEIF (1.5 pro). */
export function imageItem(
	label: string,
	input: ArkMediaInput,
	role: ImageRole,
	options: { heic: boolean; hints: string[] },
): { item: ContentItem; facts: ImageFacts } {
	const item = (url: string): ContentItem => ({ type: 'image_url', image_url: { url }, role });
	if ('url' in input) return { item: item(checkUrl(label, input.url, true)), facts: { role } };
	const origin = originOf(input);
	const size = input.totalBytes ?? input.bytes.length;
	if (size >= IMAGE_MAX_BYTES) {
		throw new InputValidationError(
			label,
			`must be under 30 MB; ${origin} is ${formatBytes(size)}`,
			'',
		);
	}
	const allowed = options.heic ? [...IMAGE_FORMATS, 'heic'] : IMAGE_FORMATS;
	const image = inspect(input.bytes);
	if (image instanceof Error) {
		throw new InputValidationError(
			label,
			`must be an image (${allowed.join(', ')}); ${origin}: ${image.message}`,
			'',
		);
	}
	if (!allowed.includes(image.format)) {
		throw new InputValidationError(
			label,
			`must be one of ${allowed.join(', ')} for this model (judged by its bytes); ${origin} is ${image.format.toUpperCase()}`,
			'',
		);
	}
	if (image.width === null || image.height === null) {
		options.hints.push(
			`${label}: the pixel size of a ${image.format.toUpperCase()} image is not read locally; Ark checks it (300–6000 px, ratio 0.4–2.5).`,
		);
	} else checkImageDimensions(label, origin, image.width, image.height);
	const url = `data:image/${image.format};base64,${base64Of(input.bytes)}`;
	return {
		item: item(url),
		facts: { role, format: image.format, width: image.width, height: image.height, bytes: size },
	};
}

/** A reference video: by URL or asset only (Ark takes no Base64 video). */
export function videoItem(label: string, input: ArkMediaInput): ContentItem {
	if (!('url' in input)) {
		throw new InputValidationError(
			label,
			'must be a URL (or asset:// id): Ark does not take reference videos as uploaded bytes',
			'binary data',
		);
	}
	const url = checkUrl(label, input.url, true);
	return { type: 'video_url', video_url: { url }, role: 'reference_video' };
}

/** WAV (RIFF…WAVE) or MP3 (an ID3 tag or an MPEG audio frame sync), by magic bytes. */
export function detectAudioFormat(bytes: Uint8Array): 'wav' | 'mp3' | undefined {
	const ascii = (start: number, length: number) =>
		String.fromCharCode(...bytes.subarray(start, start + length));
	if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WAVE') return 'wav';
	if (ascii(0, 3) === 'ID3') return 'mp3';
	if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) return 'mp3';
	return undefined;
}

/** A reference audio: by URL/asset, or WAV/MP3 bytes under 15 MB sent as a data: URL. */
export function audioItem(label: string, input: ArkMediaInput): ContentItem {
	const item = (url: string): ContentItem => ({
		type: 'audio_url',
		audio_url: { url },
		role: 'reference_audio',
	});
	if ('url' in input) return item(checkUrl(label, input.url, true));
	const origin = originOf(input);
	const size = input.totalBytes ?? input.bytes.length;
	if (size >= AUDIO_MAX_BYTES) {
		throw new InputValidationError(
			label,
			`must be under 15 MB; ${origin} is ${formatBytes(size)}`,
			'',
		);
	}
	const format = detectAudioFormat(input.bytes);
	if (!format) {
		throw new InputValidationError(
			label,
			`must be WAV or MP3 audio (judged by its bytes); ${origin} is neither`,
			'',
		);
	}
	return item(`data:audio/${format};base64,${base64Of(input.bytes)}`);
}
