/**
 * The format (by magic bytes) and, where the header holds it plainly, the pixel size of an image in
 * any format an API may take: PNG and JPEG through imageInspection.ts, GIF, WebP and BMP read here.
 * TIFF and HEIC keep their size deep inside the file: their size is reported unknown, not guessed.
 * Pure; reads only the header.
 */
import { asciiAt, detectImageFormat, type DetectedFormat } from './imageFormat';
import { ImageInspectionError, readImageInfo } from './imageInspection';

export interface ImageSize {
	format: Exclude<DetectedFormat, 'unknown'>;
	/** null when the format keeps its size where only a decoder finds it (TIFF, HEIC, AVIF). */
	width: number | null;
	height: number | null;
}

const uint16LE = (bytes: Uint8Array, offset: number) => bytes[offset] | (bytes[offset + 1] << 8);
const uint24LE = (bytes: Uint8Array, offset: number) =>
	bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16);
const int32LE = (bytes: Uint8Array, offset: number) =>
	bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24);

function truncated(format: string): ImageInspectionError {
	return new ImageInspectionError('truncated', `the ${format} header is truncated`);
}

function readWebpSize(bytes: Uint8Array): { width: number; height: number } {
	if (bytes.length < 30) throw truncated('WebP');
	const chunk = asciiAt(bytes, 12, 4);
	if (chunk === 'VP8 ') {
		// Frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height.
		if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a)
			throw new ImageInspectionError('corrupt', 'the WebP (VP8) frame has no start code', 'webp');
		return { width: uint16LE(bytes, 26) & 0x3fff, height: uint16LE(bytes, 28) & 0x3fff };
	}
	if (chunk === 'VP8L') {
		if (bytes[20] !== 0x2f)
			throw new ImageInspectionError('corrupt', 'the WebP (VP8L) has no signature', 'webp');
		const bits = (uint16LE(bytes, 21) | (uint16LE(bytes, 23) << 16)) >>> 0;
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X') return { width: uint24LE(bytes, 24) + 1, height: uint24LE(bytes, 27) + 1 };
	throw new ImageInspectionError('corrupt', `the WebP has an unknown "${chunk}" chunk`, 'webp');
}

function readBmpSize(bytes: Uint8Array): { width: number; height: number } {
	if (bytes.length < 26) throw truncated('BMP');
	// BITMAPCOREHEADER (12 bytes) has 16-bit sizes; the later headers 32-bit, height negative for top-down.
	const dibSize = bytes[14] | (bytes[15] << 8) | (bytes[16] << 16) | (bytes[17] << 24);
	if (dibSize === 12) return { width: uint16LE(bytes, 18), height: uint16LE(bytes, 20) };
	return { width: Math.abs(int32LE(bytes, 18)), height: Math.abs(int32LE(bytes, 22)) };
}

/**
 * Format and pixel size of an image from its first bytes (64 KB is plenty).
 * @throws ImageInspectionError when the bytes are no known image, or a known header is damaged.
 */
export function readImageSize(bytes: Uint8Array): ImageSize {
	const format = detectImageFormat(bytes);
	switch (format) {
		case 'png':
		case 'jpeg': {
			const info = readImageInfo(bytes);
			return { format, width: info.width, height: info.height };
		}
		case 'gif':
			if (bytes.length < 10) throw truncated('GIF');
			return { format, width: uint16LE(bytes, 6), height: uint16LE(bytes, 8) };
		case 'webp':
			return { format, ...readWebpSize(bytes) };
		case 'bmp':
			return { format, ...readBmpSize(bytes) };
		case 'unknown':
			if (bytes.length === 0) throw new ImageInspectionError('empty', 'the image is empty');
			throw new ImageInspectionError(
				'unsupported-format',
				'the data is not an image (its first bytes match no known image format)',
				'unknown',
			);
		default:
			return { format, width: null, height: null };
	}
}
