/**
 * Reads an image's pixel size from its PNG or JPEG header, without decoding it.
 *
 * Jimeng accepts only JPEG and PNG first frames, and a task costs money: reading the size locally lets
 * the node reject an unusable image before submitting and predict the service's centre crop.
 * Only the header is read and nothing is copied, so a prefix of the file (e.g. its first 64 KB) is
 * enough and a 5 MB image costs no more than a small one.
 */
import {
	ImageInspectionError,
	detectImageFormat,
	type ImageInfo,
	PNG_SIGNATURE,
	JPEG_SIGNATURE,
	PNG_HEADER_END,
	PNG_MAX_DIMENSION,
	FORMAT_NAMES,
	asciiAt,
	uint16BE,
	uint32BE,
} from './imageFormat';

export { ImageInspectionError, detectImageFormat } from './imageFormat';
export type { DetectedFormat, ImageFormat, ImageInfo, ImageInspectionFailure } from './imageFormat';

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
		throw new ImageInspectionError(
			'unsupported-format',
			`the data is ${FORMAT_NAMES[format]} image, not JPEG or PNG`,
			format,
		);
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
		throw pngError(
			'truncated',
			`the PNG header is truncated (the data ends after ${bytes.length} bytes)`,
		);
	}
	if (uint32BE(bytes, 8) !== 13 || asciiAt(bytes, 12, 4) !== 'IHDR') {
		throw pngError(
			'corrupt',
			'the PNG is damaged: it does not start with a 13-byte IHDR header chunk',
		);
	}
	if (bytes.length < PNG_HEADER_END) {
		throw pngError(
			'truncated',
			`the PNG header is truncated (the data ends after ${bytes.length} bytes, inside the IHDR chunk)`,
		);
	}
	// Decoders reject a critical chunk with a bad checksum, so the service would too.
	if (crc32(bytes, 12, 29) !== uint32BE(bytes, 29)) {
		throw pngError('corrupt', 'the PNG is damaged: its IHDR header chunk fails its CRC check');
	}
	const width = uint32BE(bytes, 16);
	const height = uint32BE(bytes, 20);
	if (width === 0 || height === 0 || width > PNG_MAX_DIMENSION || height > PNG_MAX_DIMENSION) {
		throw pngError(
			'corrupt',
			`the PNG is damaged: its header gives an impossible size of ${width}×${height}`,
		);
	}
	const bitDepth = bytes[24];
	const colourType = bytes[25];
	if (!PNG_BIT_DEPTHS[colourType]?.includes(bitDepth)) {
		throw pngError(
			'corrupt',
			`the PNG is damaged: colour type ${colourType} with bit depth ${bitDepth} does not exist`,
		);
	}
	if (bytes[26] !== 0 || bytes[27] !== 0 || bytes[28] > 1) {
		throw pngError(
			'corrupt',
			'the PNG is damaged: its header names an unknown compression, filter or interlace method',
		);
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
	return jpegError(
		'truncated',
		`the JPEG header is truncated (the data ends after ${end} bytes, before the frame header)`,
	);
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
		if (marker === SOS)
			throw jpegError('corrupt', 'the JPEG has no frame header (SOF) before its image data');
		if (marker === EOI)
			throw jpegError('corrupt', 'the JPEG ends (EOI marker) before its frame header (SOF)');

		if (offset + 2 > end) throw jpegTruncated(end);
		const segmentLength = uint16BE(bytes, offset); // counts its own two bytes
		if (segmentLength < 2) {
			throw jpegError(
				'corrupt',
				`the JPEG is damaged: the segment at byte ${markerOffset} has an impossible length of ${segmentLength}`,
			);
		}
		if (isStartOfFrame(marker)) return readFrameSize(bytes, markerOffset, segmentLength);
		offset += segmentLength;
	}
}

/** Reads the SOF segment that starts at `markerOffset` (its 0xFF). The whole segment must be present. */
function readFrameSize(
	bytes: Uint8Array,
	markerOffset: number,
	segmentLength: number,
): { width: number; height: number } {
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
	if (width === 0)
		throw jpegError('corrupt', 'the JPEG is damaged: its frame header gives a width of 0');
	return { width, height };
}
