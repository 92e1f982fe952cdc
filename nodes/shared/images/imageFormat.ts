/**
 * Identifies an image by its magic bytes (detectImageFormat), and the byte readers that
 * imageInspection.ts reads PNG and JPEG headers with.
 *
 * Jimeng accepts only JPEG and PNG first frames, and a task costs money: reading the size locally lets
 * the node reject an unusable image before submitting and predict the service's centre crop.
 * Only the header is read and nothing is copied, so a prefix of the file (e.g. its first 64 KB) is
 * enough and a 5 MB image costs no more than a small one.
 */

export type ImageFormat = 'png' | 'jpeg';

export interface ImageInfo {
	format: ImageFormat;
	width: number;
	height: number;
	mimeType: 'image/png' | 'image/jpeg';
}

export type DetectedFormat =
	| ImageFormat
	| 'gif'
	| 'webp'
	| 'bmp'
	| 'tiff'
	| 'heic'
	| 'avif'
	| 'unknown';

export type ImageInspectionFailure = 'empty' | 'unsupported-format' | 'truncated' | 'corrupt';

export class ImageInspectionError extends Error {
	readonly reason: ImageInspectionFailure;
	/** The format the magic bytes point to, when there is one. */
	readonly detectedFormat?: DetectedFormat;

	constructor(reason: ImageInspectionFailure, message: string, detectedFormat?: DetectedFormat) {
		super(message);
		this.name = 'ImageInspectionError';
		this.reason = reason;
		this.detectedFormat = detectedFormat;
	}
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export const JPEG_SIGNATURE = [0xff, 0xd8];

/** Signature + IHDR length + type + 13 data bytes + CRC: everything the size check reads. */
export const PNG_HEADER_END = 33;
/** The PNG spec caps width and height at 2^31 - 1 (they must fit a signed 32-bit integer). */
export const PNG_MAX_DIMENSION = 0x7fffffff;

/** ISO-BMFF major/compatible brands (the `ftyp` box) that mean an HEIF image. */
const HEIF_BRANDS = new Set([
	'heic',
	'heix',
	'hevc',
	'hevx',
	'heim',
	'heis',
	'hevm',
	'hevs',
	'mif1',
	'msf1',
]);
const AVIF_BRANDS = new Set(['avif', 'avis']);
/** BITMAPCOREHEADER, BITMAPINFOHEADER and its successors: a 'BM' without one of these is not a BMP. */
const BMP_DIB_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** With the article, for messages ("the data is a GIF image"). */
export const FORMAT_NAMES: Record<Exclude<DetectedFormat, ImageFormat | 'unknown'>, string> = {
	gif: 'a GIF',
	webp: 'a WebP',
	bmp: 'a BMP',
	tiff: 'a TIFF',
	heic: 'a HEIC/HEIF',
	avif: 'an AVIF',
};

function startsWith(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
	if (offset + expected.length > bytes.length) return false;
	for (let i = 0; i < expected.length; i++) {
		if (bytes[offset + i] !== expected[i]) return false;
	}
	return true;
}

export function asciiAt(bytes: Uint8Array, offset: number, length: number): string {
	let text = '';
	for (let i = offset; i < offset + length && i < bytes.length; i++)
		text += String.fromCharCode(bytes[i]);
	return text;
}

export function uint16BE(bytes: Uint8Array, offset: number): number {
	return (bytes[offset] << 8) | bytes[offset + 1];
}

export function uint32BE(bytes: Uint8Array, offset: number): number {
	// Multiplying the top byte (instead of `<< 24`) keeps the result unsigned.
	return (
		bytes[offset] * 0x1000000 +
		((bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3])
	);
}

function uint32LE(bytes: Uint8Array, offset: number): number {
	return (
		bytes[offset + 3] * 0x1000000 +
		((bytes[offset + 2] << 16) | (bytes[offset + 1] << 8) | bytes[offset])
	);
}

function detectIsoMediaImage(head: Uint8Array): DetectedFormat {
	if (head.length < 12 || asciiAt(head, 4, 4) !== 'ftyp') return 'unknown';
	const majorBrand = asciiAt(head, 8, 4);
	if (AVIF_BRANDS.has(majorBrand)) return 'avif';
	if (!HEIF_BRANDS.has(majorBrand)) return 'unknown'; // e.g. an MP4 or QuickTime video
	// A generic HEIF major brand (mif1/msf1) is also used by AVIF files: their compatible brands tell.
	const boxEnd = Math.min(uint32BE(head, 0), head.length);
	for (let offset = 16; offset + 4 <= boxEnd; offset += 4) {
		if (AVIF_BRANDS.has(asciiAt(head, offset, 4))) return 'avif';
	}
	return 'heic';
}

/**
 * The format the first bytes of a file point to. Only the content counts, never a file name or a
 * declared MIME type (a GIF named `photo.png` is a GIF). A head too short for a full signature is
 * `unknown`.
 */
export function detectImageFormat(head: Uint8Array): DetectedFormat {
	if (startsWith(head, 0, PNG_SIGNATURE)) return 'png';
	if (startsWith(head, 0, JPEG_SIGNATURE)) return 'jpeg';
	const sixChars = asciiAt(head, 0, 6);
	if (sixChars === 'GIF87a' || sixChars === 'GIF89a') return 'gif';
	if (asciiAt(head, 0, 4) === 'RIFF' && asciiAt(head, 8, 4) === 'WEBP') return 'webp';
	if (
		head.length >= 18 &&
		asciiAt(head, 0, 2) === 'BM' &&
		BMP_DIB_HEADER_SIZES.has(uint32LE(head, 14))
	)
		return 'bmp';
	// Classic TIFF (42) and BigTIFF (43), little- or big-endian.
	if (
		startsWith(head, 0, [0x49, 0x49, 0x2a, 0x00]) ||
		startsWith(head, 0, [0x4d, 0x4d, 0x00, 0x2a])
	)
		return 'tiff';
	if (
		startsWith(head, 0, [0x49, 0x49, 0x2b, 0x00]) ||
		startsWith(head, 0, [0x4d, 0x4d, 0x00, 0x2b])
	)
		return 'tiff';
	return detectIsoMediaImage(head);
}
