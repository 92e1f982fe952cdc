// Minimal image header reading for the simulator's own input validation.
// Written independently of the product on purpose: the simulator must never share code with what it checks.

export type ImageFormat = 'png' | 'jpeg';

export type ImageInfo =
	| { ok: true; format: ImageFormat; width: number; height: number }
	| { ok: false; reason: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Format and pixel size from the first bytes of a PNG or JPEG; anything else is a decode error. */
export function readImageInfo(bytes: Buffer): ImageInfo {
	if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return readPng(bytes);
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return readJpeg(bytes);
	return { ok: false, reason: 'not a PNG or JPEG image' };
}

function readPng(bytes: Buffer): ImageInfo {
	// The first chunk must be IHDR: length(4) type(4) width(4) height(4) ...
	if (bytes.length < 8 + 8 + 13) return { ok: false, reason: 'PNG truncated before IHDR' };
	if (bytes.toString('latin1', 12, 16) !== 'IHDR')
		return { ok: false, reason: 'PNG first chunk is not IHDR' };
	const width = bytes.readUInt32BE(16);
	const height = bytes.readUInt32BE(20);
	if (width === 0 || height === 0) return { ok: false, reason: 'PNG has a zero dimension' };
	return { ok: true, format: 'png', width, height };
}

// Markers that stand alone (no length field): TEM, RST0-7, SOI, EOI.
function isStandaloneMarker(marker: number): boolean {
	return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
}

function readJpeg(bytes: Buffer): ImageInfo {
	let pos = 2;
	while (pos < bytes.length) {
		// Like libjpeg's next_marker: bytes before a marker (padding) are skipped with a warning, not refused.
		while (pos < bytes.length && bytes[pos] !== 0xff) pos++;
		// Any number of 0xFF fill bytes may precede a marker code.
		while (pos < bytes.length && bytes[pos] === 0xff) pos++;
		if (pos >= bytes.length) break;
		const marker = bytes[pos++];
		if (marker === 0x00 || isStandaloneMarker(marker)) continue;
		if (marker === 0xd9) return { ok: false, reason: 'JPEG ends before a frame header' };
		if (pos + 2 > bytes.length) break;
		const length = bytes.readUInt16BE(pos);
		if (length < 2) return { ok: false, reason: 'JPEG segment with invalid length' };
		// SOF0 baseline, SOF1 extended sequential, SOF2 progressive: precision(1) height(2) width(2).
		if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
			if (pos + 7 > bytes.length) break;
			const height = bytes.readUInt16BE(pos + 3);
			const width = bytes.readUInt16BE(pos + 5);
			if (width === 0 || height === 0)
				return { ok: false, reason: 'JPEG frame has a zero dimension' };
			return { ok: true, format: 'jpeg', width, height };
		}
		// Start of scan before any supported frame header: lossless/arithmetic or corrupt, not decodable here.
		if (marker === 0xda)
			return { ok: false, reason: 'JPEG has no baseline or progressive frame header' };
		pos += length;
	}
	return { ok: false, reason: 'JPEG truncated before its frame header' };
}
