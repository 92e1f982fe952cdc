/**
 * Identifies an image by its magic bytes and reads its pixel size from the header, without decoding it.
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

export type DetectedFormat = ImageFormat | 'gif' | 'webp' | 'bmp' | 'tiff' | 'heic' | 'avif' | 'unknown';

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

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8];

/** Signature + IHDR length + type + 13 data bytes + CRC: everything the size check reads. */
const PNG_HEADER_END = 33;
/** The PNG spec caps width and height at 2^31 - 1 (they must fit a signed 32-bit integer). */
const PNG_MAX_DIMENSION = 0x7fffffff;

/** ISO-BMFF major/compatible brands (the `ftyp` box) that mean an HEIF image. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
/** BITMAPCOREHEADER, BITMAPINFOHEADER and its successors: a 'BM' without one of these is not a BMP. */
const BMP_DIB_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** With the article, for messages ("the data is a GIF image"). */
const FORMAT_NAMES: Record<Exclude<DetectedFormat, ImageFormat | 'unknown'>, string> = {
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

function asciiAt(bytes: Uint8Array, offset: number, length: number): string {
	let text = '';
	for (let i = offset; i < offset + length && i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
	return text;
}

function uint16BE(bytes: Uint8Array, offset: number): number {
	return (bytes[offset] << 8) | bytes[offset + 1];
}

function uint32BE(bytes: Uint8Array, offset: number): number {
	// Multiplying the top byte (instead of `<< 24`) keeps the result unsigned.
	return bytes[offset] * 0x1000000 + ((bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]);
}

function uint32LE(bytes: Uint8Array, offset: number): number {
	return bytes[offset + 3] * 0x1000000 + ((bytes[offset + 2] << 16) | (bytes[offset + 1] << 8) | bytes[offset]);
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
	if (head.length >= 18 && asciiAt(head, 0, 2) === 'BM' && BMP_DIB_HEADER_SIZES.has(uint32LE(head, 14))) return 'bmp';
	// Classic TIFF (42) and BigTIFF (43), little- or big-endian.
	if (startsWith(head, 0, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, 0, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
	if (startsWith(head, 0, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, 0, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
	return detectIsoMediaImage(head);
}

/**
 * The format and pixel size of a JPEG or PNG image, read from its header.
 * `bytes` may be just the start of the file, as long as the header is inside it; when it is not,
 * the error's reason is `truncated` and more of the file should be passed.
 * @throws ImageInspectionError for empty, non-JPEG/PNG, truncated or damaged data.
 */
export function readImageInfo(bytes: Uint8Array): ImageInfo {
	if (bytes.length === 0) {
		throw new ImageInspectionError('empty', 'the image is empty (0 bytes)');
	}
	const format = detectImageFormat(bytes);
	if (format === 'png') return { format, mimeType: 'image/png', ...readPngSize(bytes) };
	if (format === 'jpeg') return { format, mimeType: 'image/jpeg', ...readJpegSize(bytes) };
	if (format !== 'unknown') {
		throw new ImageInspectionError('unsupported-format', `the data is ${FORMAT_NAMES[format]} image, not JPEG or PNG`, format);
	}
	// A few bytes that could still grow into a PNG or JPEG signature are a cut-off file, not another format.
	if (isSignaturePrefix(bytes, PNG_SIGNATURE) || isSignaturePrefix(bytes, JPEG_SIGNATURE)) {
		throw new ImageInspectionError(
			'truncated',
			`the data is only ${bytes.length} byte${bytes.length === 1 ? '' : 's'} long: too short to be a JPEG or PNG image`,
		);
	}
	throw new ImageInspectionError(
		'unsupported-format',
		'the data is not a JPEG or PNG image (its first bytes match no known image format)',
		'unknown',
	);
}

function isSignaturePrefix(bytes: Uint8Array, signature: readonly number[]): boolean {
	if (bytes.length >= signature.length) return false;
	for (let i = 0; i < bytes.length; i++) {
		if (bytes[i] !== signature[i]) return false;
	}
	return true;
}

// ---------------------------------------------------------------------------------------------
// PNG

const CRC32_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(bytes: Uint8Array, start: number, end: number): number {
	let crc = 0xffffffff;
	for (let i = start; i < end; i++) crc = CRC32_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/** Bit depths the PNG spec allows for each colour type. */
const PNG_BIT_DEPTHS: Record<number, readonly number[]> = {
	0: [1, 2, 4, 8, 16],
	2: [8, 16],
	3: [1, 2, 4, 8],
	4: [8, 16],
	6: [8, 16],
};

function pngError(reason: 'truncated' | 'corrupt', message: string): ImageInspectionError {
	return new ImageInspectionError(reason, message, 'png');
}

function readPngSize(bytes: Uint8Array): { width: number; height: number } {
	if (bytes.length < 16) {
		throw pngError('truncated', `the PNG header is truncated (the data ends after ${bytes.length} bytes)`);
	}
	if (uint32BE(bytes, 8) !== 13 || asciiAt(bytes, 12, 4) !== 'IHDR') {
		throw pngError('corrupt', 'the PNG is damaged: it does not start with a 13-byte IHDR header chunk');
	}
	if (bytes.length < PNG_HEADER_END) {
		throw pngError('truncated', `the PNG header is truncated (the data ends after ${bytes.length} bytes, inside the IHDR chunk)`);
	}
	// Decoders reject a critical chunk with a bad checksum, so the service would too.
	if (crc32(bytes, 12, 29) !== uint32BE(bytes, 29)) {
		throw pngError('corrupt', 'the PNG is damaged: its IHDR header chunk fails its CRC check');
	}
	const width = uint32BE(bytes, 16);
	const height = uint32BE(bytes, 20);
	if (width === 0 || height === 0 || width > PNG_MAX_DIMENSION || height > PNG_MAX_DIMENSION) {
		throw pngError('corrupt', `the PNG is damaged: its header gives an impossible size of ${width}×${height}`);
	}
	const bitDepth = bytes[24];
	const colourType = bytes[25];
	if (!PNG_BIT_DEPTHS[colourType]?.includes(bitDepth)) {
		throw pngError('corrupt', `the PNG is damaged: colour type ${colourType} with bit depth ${bitDepth} does not exist`);
	}
	if (bytes[26] !== 0 || bytes[27] !== 0 || bytes[28] > 1) {
		throw pngError('corrupt', 'the PNG is damaged: its header names an unknown compression, filter or interlace method');
	}
	return { width, height };
}

// ---------------------------------------------------------------------------------------------
// JPEG

const SOS = 0xda;
const EOI = 0xd9;

/** SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not. */
function isStartOfFrame(marker: number): boolean {
	return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers with no length field: TEM, RST0–RST7 and SOI. */
function isStandaloneMarker(marker: number): boolean {
	return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
}

function jpegError(reason: 'truncated' | 'corrupt', message: string): ImageInspectionError {
	return new ImageInspectionError(reason, message, 'jpeg');
}

function jpegTruncated(end: number): ImageInspectionError {
	return jpegError('truncated', `the JPEG header is truncated (the data ends after ${end} bytes, before the frame header)`);
}

function readJpegSize(bytes: Uint8Array): { width: number; height: number } {
	const end = bytes.length;
	let offset = JPEG_SIGNATURE.length;
	// Each pass moves past at least one marker, so the walk always ends.
	for (;;) {
		if (offset >= end) throw jpegTruncated(end);
		// Padding between segments (zero bytes after an APPn segment, say) is skipped up to the next
		// 0xFF, as libjpeg, libjpeg-turbo and Pillow do (with at most a warning): they decode such files.
		if (bytes[offset] !== 0xff) {
			offset = bytes.indexOf(0xff, offset);
			if (offset < 0) throw jpegTruncated(end);
		}
		// Any number of 0xFF fill bytes may precede a marker.
		while (offset + 1 < end && bytes[offset + 1] === 0xff) offset++;
		if (offset + 1 >= end) throw jpegTruncated(end);
		const markerOffset = offset;
		const marker = bytes[offset + 1];
		offset += 2;

		if (isStandaloneMarker(marker)) continue;
		// 0xFF00 is no marker: outside image data it is padding too (libjpeg skips it the same way).
		if (marker === 0x00) continue;
		if (marker === SOS) throw jpegError('corrupt', 'the JPEG has no frame header (SOF) before its image data');
		if (marker === EOI) throw jpegError('corrupt', 'the JPEG ends (EOI marker) before its frame header (SOF)');

		if (offset + 2 > end) throw jpegTruncated(end);
		const segmentLength = uint16BE(bytes, offset); // counts its own two bytes
		if (segmentLength < 2) {
			throw jpegError('corrupt', `the JPEG is damaged: the segment at byte ${markerOffset} has an impossible length of ${segmentLength}`);
		}
		if (isStartOfFrame(marker)) return readFrameSize(bytes, markerOffset, segmentLength);
		offset += segmentLength;
	}
}

/** Reads the SOF segment that starts at `markerOffset` (its 0xFF). The whole segment must be present. */
function readFrameSize(bytes: Uint8Array, markerOffset: number, segmentLength: number): { width: number; height: number } {
	if (markerOffset + 2 + segmentLength > bytes.length) throw jpegTruncated(bytes.length);
	// Length, precision, height, width, component count, then 3 bytes per component.
	const componentCount = segmentLength >= 8 ? bytes[markerOffset + 9] : 0;
	if (componentCount === 0 || segmentLength !== 8 + 3 * componentCount) {
		throw jpegError('corrupt', 'the JPEG is damaged: its frame header (SOF) has a wrong length');
	}
	const height = uint16BE(bytes, markerOffset + 5);
	const width = uint16BE(bytes, markerOffset + 7);
	if (height === 0) {
		throw jpegError(
			'corrupt',
			'the JPEG frame header gives a height of 0 (the height comes later in a DNL marker); such JPEGs are not supported',
		);
	}
	if (width === 0) throw jpegError('corrupt', 'the JPEG is damaged: its frame header gives a width of 0');
	return { width, height };
}
