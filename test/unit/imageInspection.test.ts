/* eslint-disable @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
import {
	detectImageFormat,
	ImageInspectionError,
	readImageInfo,
	type DetectedFormat,
} from '../../nodes/shared/images/imageInspection';
import {
	APP0_JFIF,
	AVIF,
	BMP,
	DHT,
	DQT,
	EOI,
	GIF,
	HEIC,
	PNG_HEADER_END,
	PNG_SIGNATURE,
	SCAN_DATA,
	SOI,
	SOS,
	TIFF_BE,
	TIFF_LE,
	WEBP,
	app1Exif,
	ascii,
	concat,
	ftyp,
	ihdr,
	jpeg,
	jpegWithHeaderEnd,
	png,
	pngChunk,
	segment,
	sofPayload,
	u16be,
	u32be,
} from '../fixtures/images';
import { mulberry32 } from '../fixtures/random';
import { thrownBy } from '../support/thrown';

const inspectionError = (bytes: Uint8Array) =>
	thrownBy(() => readImageInfo(bytes), ImageInspectionError);

describe('detectImageFormat', () => {
	it.each<[string, Uint8Array, DetectedFormat]>([
		['PNG', png(640, 480), 'png'],
		['JPEG', jpeg({ width: 640, height: 480 }), 'jpeg'],
		['GIF89a', GIF, 'gif'],
		['GIF87a', concat(ascii('GIF87a'), new Uint8Array(10)), 'gif'],
		['WebP (RIFF....WEBP)', WEBP, 'webp'],
		['BMP', BMP, 'bmp'],
		['little-endian TIFF', TIFF_LE, 'tiff'],
		['big-endian TIFF', TIFF_BE, 'tiff'],
		['BigTIFF', concat([0x49, 0x49, 0x2b, 0x00], new Uint8Array(12)), 'tiff'],
		['HEIC (ftypheic)', HEIC, 'heic'],
		['HEIF with a generic mif1 brand', ftyp('mif1', 'mif1', 'heic'), 'heic'],
		['AVIF (ftypavif)', AVIF, 'avif'],
		['AVIF behind a generic mif1 brand', ftyp('mif1', 'mif1', 'avif'), 'avif'],
		['an MP4 video (ftypisom)', ftyp('isom', 'isom', 'mp41'), 'unknown'],
		['text', Uint8Array.from(ascii('hello, this is not an image')), 'unknown'],
		['text starting with BM', Uint8Array.from(ascii('BMW 320i brochure, page one')), 'unknown'],
		['no bytes', new Uint8Array(0), 'unknown'],
		['half a PNG signature', Uint8Array.from(PNG_SIGNATURE.slice(0, 4)), 'unknown'],
	])('%s → %s', (_name, bytes, expected) => {
		expect(detectImageFormat(bytes)).toBe(expected);
	});

	it('looks at the bytes only: a GIF saved as "photo.png" is still a GIF', () => {
		const fileNamedPhotoPng = { fileName: 'photo.png', mimeType: 'image/png', data: GIF };
		expect(detectImageFormat(fileNamedPhotoPng.data)).toBe('gif');
		expect(inspectionError(fileNamedPhotoPng.data)).toMatchObject({
			reason: 'unsupported-format',
			detectedFormat: 'gif',
		});
	});

	it('needs only the head of the file', () => {
		expect(detectImageFormat(png(1, 1).subarray(0, 8))).toBe('png');
		expect(detectImageFormat(jpeg({ width: 1, height: 1 }).subarray(0, 2))).toBe('jpeg');
	});
});

describe('readImageInfo: PNG', () => {
	it.each([
		[1, 1],
		[320, 320],
		[1280, 720],
		[4096, 2304],
		[720, 1280],
		[0x7fffffff, 1],
	])('reads %i×%i', (width, height) => {
		expect(readImageInfo(png(width, height))).toEqual({
			format: 'png',
			mimeType: 'image/png',
			width,
			height,
		});
	});

	it('accepts every colour type with its allowed bit depths', () => {
		const allowed: Array<[number, number[]]> = [
			[0, [1, 2, 4, 8, 16]],
			[2, [8, 16]],
			[3, [1, 2, 4, 8]],
			[4, [8, 16]],
			[6, [8, 16]],
		];
		for (const [colourType, depths] of allowed) {
			for (const depth of depths) {
				expect(readImageInfo(png(10, 20, ihdr(10, 20, depth, colourType)))).toMatchObject({
					width: 10,
					height: 20,
				});
			}
		}
	});

	it('needs only the signature and the IHDR chunk', () => {
		const bytes = png(1920, 1080);
		expect(readImageInfo(bytes.subarray(0, PNG_HEADER_END))).toMatchObject({
			width: 1920,
			height: 1080,
		});
	});

	it('reads a view into a larger buffer (non-zero byteOffset)', () => {
		const host = concat(new Uint8Array(123), png(800, 600), new Uint8Array(50));
		expect(readImageInfo(host.subarray(123))).toMatchObject({ width: 800, height: 600 });
		expect(readImageInfo(Buffer.from(host.buffer, 123))).toMatchObject({ width: 800, height: 600 });
	});

	it('reports any cut inside the header as truncated', () => {
		const bytes = png(640, 480);
		for (let length = 1; length < PNG_HEADER_END; length++) {
			const error = inspectionError(bytes.subarray(0, length));
			expect(error.reason).toBe('truncated');
		}
		expect(inspectionError(bytes.subarray(0, 20)).message).toBe(
			'the PNG header is truncated (the data ends after 20 bytes, inside the IHDR chunk)',
		);
		expect(inspectionError(bytes.subarray(0, 20)).detectedFormat).toBe('png');
	});

	it.each<[string, Uint8Array]>([
		['a zero width', png(0, 10)],
		['a zero height', png(10, 0)],
		['a width of 2^31', png(0x80000000, 10)],
		['a height of 2^32 - 1', png(10, 0xffffffff)],
		[
			'an IHDR with a bad CRC',
			(() => {
				const bytes = png(10, 10);
				bytes[29] ^= 0x01;
				return bytes;
			})(),
		],
		[
			'a size changed after the CRC was computed',
			(() => {
				const bytes = png(10, 10);
				bytes[19] = 11;
				return bytes;
			})(),
		],
		[
			'another chunk before IHDR',
			concat(PNG_SIGNATURE, pngChunk('gAMA', u32be(45455)), pngChunk('IHDR', ihdr(10, 10))),
		],
		['an IHDR of the wrong length', concat(PNG_SIGNATURE, pngChunk('IHDR', [...ihdr(10, 10), 0]))],
		['a bit depth of 3', png(10, 10, ihdr(10, 10, 3, 6))],
		['a palette image with 16-bit depth', png(10, 10, ihdr(10, 10, 16, 3))],
		['colour type 5', png(10, 10, ihdr(10, 10, 8, 5))],
		['an unknown compression method', png(10, 10, [...ihdr(10, 10).slice(0, 10), 1, 0, 0])],
		['an unknown interlace method', png(10, 10, [...ihdr(10, 10).slice(0, 10), 0, 0, 2])],
	])('rejects %s as corrupt', (_name, bytes) => {
		expect(inspectionError(bytes)).toMatchObject({ reason: 'corrupt', detectedFormat: 'png' });
	});
});

describe('readImageInfo: JPEG', () => {
	it('reads a baseline JPEG (SOF0) behind a long APP1 segment', () => {
		expect(readImageInfo(jpeg({ width: 1280, height: 720 }))).toEqual({
			format: 'jpeg',
			mimeType: 'image/jpeg',
			width: 1280,
			height: 720,
		});
	});

	it('reads a progressive JPEG (SOF2)', () => {
		expect(readImageInfo(jpeg({ width: 3000, height: 4000, sofMarker: 0xc2 }))).toMatchObject({
			width: 3000,
			height: 4000,
		});
	});

	it('reads the largest size a JPEG can declare', () => {
		expect(readImageInfo(jpeg({ width: 65535, height: 65535 }))).toMatchObject({
			width: 65535,
			height: 65535,
		});
	});

	it('reads the size from every SOF marker and skips DHT, JPG and DAC (C4, C8, CC)', () => {
		for (let marker = 0xc0; marker <= 0xcf; marker++) {
			const impostor = [0xc4, 0xc8, 0xcc].includes(marker);
			// For C4/C8/CC the segment holds a frame-like payload; the real SOF0 after it must win.
			const bytes = impostor
				? jpeg({ width: 111, height: 222, beforeFrame: [segment(marker, sofPayload(999, 888))] })
				: jpeg({ width: 640, height: 480, sofMarker: marker });
			expect(readImageInfo(bytes)).toMatchObject(
				impostor ? { width: 111, height: 222 } : { width: 640, height: 480 },
			);
		}
	});

	it('skips 0xFF fill bytes before markers', () => {
		const bytes = concat(
			SOI,
			[0xff, 0xff, 0xff],
			APP0_JFIF,
			[0xff, 0xff],
			segment(0xc0, sofPayload(800, 600)),
			SOS,
			EOI,
		);
		expect(readImageInfo(bytes)).toMatchObject({ width: 800, height: 600 });
	});

	it('skips padding between segments (zero bytes, other junk, 0xFF00) as libjpeg and Pillow do', () => {
		// Encoders and editors leave such bytes after APPn segments; decoders skip them up to the next marker.
		const zeroPadded = concat(
			SOI,
			[0x00, 0x00],
			APP0_JFIF,
			[0x00, 0x00, 0x00, 0x00],
			DQT,
			[0x00],
			segment(0xc0, sofPayload(1280, 720)),
			SOS,
			SCAN_DATA,
			EOI,
		);
		expect(readImageInfo(zeroPadded)).toMatchObject({ format: 'jpeg', width: 1280, height: 720 });
		const junk = concat(
			SOI,
			APP0_JFIF,
			ascii('padding'),
			[0xff, 0x00, 0x12, 0xff, 0xff, 0x00],
			DHT,
			[0x20, 0xff],
			segment(0xc2, sofPayload(640, 480)),
			SOS,
			EOI,
		);
		expect(readImageInfo(junk)).toMatchObject({ width: 640, height: 480 });
		// Padding never hides a missing frame header.
		expect(
			inspectionError(concat(SOI, APP0_JFIF, [0x00, 0x00], SOS, SCAN_DATA, EOI)),
		).toMatchObject({ reason: 'corrupt' });
		expect(inspectionError(concat(SOI, APP0_JFIF, new Uint8Array(5000)))).toMatchObject({
			reason: 'truncated',
			detectedFormat: 'jpeg',
		});
	});

	it('accepts 0xFF fill bytes between every pair of segments', () => {
		const fill = [0xff, 0xff, 0xff, 0xff];
		const bytes = concat(
			SOI,
			fill,
			APP0_JFIF,
			fill,
			DQT,
			fill,
			DHT,
			fill,
			segment(0xc0, sofPayload(1920, 1080)),
			fill,
			SOS,
			SCAN_DATA,
			EOI,
		);
		expect(readImageInfo(bytes)).toMatchObject({ width: 1920, height: 1080 });
	});

	it('skips standalone markers (TEM, RST0–RST7, a repeated SOI) that have no length', () => {
		const standalone = [0x01, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8].flatMap(
			(marker) => [0xff, marker],
		);
		const bytes = concat(SOI, standalone, segment(0xc0, sofPayload(800, 600)), SOS, EOI);
		expect(readImageInfo(bytes)).toMatchObject({ width: 800, height: 600 });
	});

	it('reads a one-component (greyscale) frame', () => {
		const bytes = concat(SOI, segment(0xc0, sofPayload(500, 400, 1)), SOS, EOI);
		expect(readImageInfo(bytes)).toMatchObject({ width: 500, height: 400 });
	});

	it('needs only the bytes up to the end of the frame header (e.g. a 64 KB prefix)', () => {
		const { bytes, headerEnd } = jpegWithHeaderEnd({
			width: 1920,
			height: 1080,
			beforeFrame: [app1Exif(40_000)],
		});
		const large = concat(bytes.subarray(0, headerEnd), new Uint8Array(1_000_000).fill(0x5a));
		expect(readImageInfo(large.subarray(0, 64 * 1024))).toMatchObject({
			width: 1920,
			height: 1080,
		});
		expect(readImageInfo(bytes.subarray(0, headerEnd))).toMatchObject({
			width: 1920,
			height: 1080,
		});
		expect(inspectionError(bytes.subarray(0, headerEnd - 1)).reason).toBe('truncated');
	});

	it('says truncated when a prefix ends before a frame header that lies beyond it', () => {
		// Several ICC profile segments can push the SOF past a 64 KB prefix.
		const { bytes } = jpegWithHeaderEnd({
			width: 10,
			height: 10,
			beforeFrame: [app1Exif(60_000), app1Exif(60_000)],
		});
		expect(inspectionError(bytes.subarray(0, 64 * 1024))).toMatchObject({
			reason: 'truncated',
			detectedFormat: 'jpeg',
		});
	});

	it('reports a cut inside a segment as truncated', () => {
		const bytes = jpeg({ width: 640, height: 480 });
		const error = inspectionError(bytes.subarray(0, 1000)); // inside the APP1 payload
		expect(error).toMatchObject({ reason: 'truncated', detectedFormat: 'jpeg' });
		expect(error.message).toBe(
			'the JPEG header is truncated (the data ends after 1000 bytes, before the frame header)',
		);
	});

	it.each([0, 1])('rejects a segment length of %i as corrupt', (length) => {
		const bytes = concat(
			SOI,
			[0xff, 0xe1, ...u16be(length)],
			new Uint8Array(100),
			segment(0xc0, sofPayload(10, 10)),
		);
		expect(inspectionError(bytes)).toMatchObject({ reason: 'corrupt', detectedFormat: 'jpeg' });
	});

	it('rejects a JPEG that reaches its image data (SOS) without a frame header', () => {
		const bytes = concat(SOI, APP0_JFIF, DQT, DHT, SOS, SCAN_DATA, EOI);
		const error = inspectionError(bytes);
		expect(error).toMatchObject({ reason: 'corrupt', detectedFormat: 'jpeg' });
		expect(error.message).toBe('the JPEG has no frame header (SOF) before its image data');
	});

	it('rejects a JPEG that ends (EOI) without a frame header', () => {
		expect(inspectionError(concat(SOI, APP0_JFIF, EOI, new Uint8Array(10)))).toMatchObject({
			reason: 'corrupt',
		});
	});

	it('rejects a height of 0 (defined later by DNL) as unsupported, saying so', () => {
		const error = inspectionError(jpeg({ width: 640, height: 0 }));
		expect(error.reason).toBe('corrupt');
		expect(error.message).toMatch(/height of 0.*DNL.*not supported/);
	});

	it('rejects a width of 0', () => {
		expect(inspectionError(jpeg({ width: 0, height: 480 }))).toMatchObject({ reason: 'corrupt' });
	});

	it.each<[string, Uint8Array]>([
		[
			'a frame header whose length does not match its component count',
			concat(SOI, [0xff, 0xc0, ...u16be(17)], sofPayload(10, 10, 1), [0, 0, 0, 0, 0, 0]),
		],
		['a frame header with no components', concat(SOI, segment(0xc0, [8, 0, 10, 0, 10, 0]))],
		[
			'a frame header too short to hold a size',
			concat(SOI, segment(0xc0, [8, 0]), new Uint8Array(20)),
		],
	])('rejects %s as corrupt', (_name, bytes) => {
		expect(inspectionError(bytes)).toMatchObject({ reason: 'corrupt', detectedFormat: 'jpeg' });
	});

	it.each<[string, number[]]>([
		['only the SOI marker', [0xff, 0xd8]],
		['SOI and a lone 0xFF', [0xff, 0xd8, 0xff]],
		['SOI and fill bytes', [0xff, 0xd8, 0xff, 0xff, 0xff]],
		['SOI, a marker and half its length', [0xff, 0xd8, 0xff, 0xe0, 0x00]],
	])('reports %s as truncated', (_name, bytes) => {
		expect(inspectionError(Uint8Array.from(bytes))).toMatchObject({
			reason: 'truncated',
			detectedFormat: 'jpeg',
		});
	});
});

describe('readImageInfo: other data', () => {
	it('rejects zero bytes as empty', () => {
		const error = inspectionError(new Uint8Array(0));
		expect(error).toMatchObject({ reason: 'empty', name: 'ImageInspectionError' });
		expect(error.detectedFormat).toBeUndefined();
		expect(error).toBeInstanceOf(Error);
	});

	it('reports 1 byte that could start a JPEG or PNG as truncated, any other as unsupported', () => {
		expect(inspectionError(Uint8Array.of(0xff)).reason).toBe('truncated');
		expect(inspectionError(Uint8Array.of(0x89)).reason).toBe('truncated');
		expect(inspectionError(Uint8Array.of(0x00))).toMatchObject({
			reason: 'unsupported-format',
			detectedFormat: 'unknown',
		});
		expect(inspectionError(Uint8Array.from(PNG_SIGNATURE.slice(0, 7))).reason).toBe('truncated');
	});

	it.each<[string, Uint8Array, DetectedFormat, string]>([
		['GIF', GIF, 'gif', 'the data is a GIF image, not JPEG or PNG'],
		['WebP', WEBP, 'webp', 'the data is a WebP image, not JPEG or PNG'],
		['BMP', BMP, 'bmp', 'the data is a BMP image, not JPEG or PNG'],
		['TIFF', TIFF_LE, 'tiff', 'the data is a TIFF image, not JPEG or PNG'],
		['HEIC', HEIC, 'heic', 'the data is a HEIC/HEIF image, not JPEG or PNG'],
		['AVIF', AVIF, 'avif', 'the data is an AVIF image, not JPEG or PNG'],
		[
			'text',
			Uint8Array.from(ascii('<html>not an image</html>')),
			'unknown',
			'the data is not a JPEG or PNG image (its first bytes match no known image format)',
		],
	])('rejects %s as an unsupported format', (_name, bytes, detectedFormat, message) => {
		const error = inspectionError(bytes);
		expect(error).toMatchObject({ reason: 'unsupported-format', detectedFormat });
		expect(error.message).toBe(message);
	});
});

describe('readImageInfo never fails in any other way', () => {
	/** Returns normally with a sane size, or throws ImageInspectionError: nothing else is allowed. */
	function expectOnlyInspectionOutcomes(bytes: Uint8Array): void {
		let info;
		try {
			info = readImageInfo(bytes);
		} catch (error) {
			if (error instanceof ImageInspectionError) return;
			throw error;
		}
		expect(Number.isInteger(info.width) && info.width > 0).toBe(true);
		expect(Number.isInteger(info.height) && info.height > 0).toBe(true);
	}

	const random = mulberry32(0x5eed);
	const randomBytes = (length: number) =>
		Uint8Array.from({ length }, () => Math.floor(random() * 256));
	// The first two are swept at every length: a short APP1 keeps that quick.
	const sweptJpeg = jpegWithHeaderEnd({ width: 640, height: 480, beforeFrame: [app1Exif(3000)] });
	const samples = [
		png(640, 480),
		sweptJpeg.bytes,
		jpeg({ width: 1080, height: 1920, sofMarker: 0xc2, beforeFrame: [app1Exif(500)] }),
		concat(SOI, [0xff, 0xff], APP0_JFIF, segment(0xc0, sofPayload(800, 600)), SOS, EOI),
	];

	it('on 2,000 random buffers, half of them starting with a PNG or JPEG signature', () => {
		for (let i = 0; i < 2000; i++) {
			const body = randomBytes(Math.floor(random() * 600));
			const prefix = i % 4 === 0 ? PNG_SIGNATURE : i % 4 === 1 ? [0xff, 0xd8] : [];
			const bytes = concat(prefix, body);
			expect(typeof detectImageFormat(bytes)).toBe('string');
			expectOnlyInspectionOutcomes(bytes);
		}
	});

	it('on random JPEG marker soup', () => {
		const markerish = () =>
			random() < 0.5
				? 0xff
				: [0x00, 0x01, 0x02, 0xc0, 0xc2, 0xc4, 0xd0, 0xd8, 0xd9, 0xda, 0xe0][
						Math.floor(random() * 11)
					];
		for (let i = 0; i < 2000; i++) {
			expectOnlyInspectionOutcomes(
				concat(SOI, Uint8Array.from({ length: Math.floor(random() * 80) }, markerish)),
			);
		}
	});

	it('on every truncation of the valid samples: truncated before the header ends, the full size after', () => {
		const headerEnds = [PNG_HEADER_END, sweptJpeg.headerEnd];
		samples.slice(0, 2).forEach((bytes, index) => {
			const expected = readImageInfo(bytes);
			for (let length = 1; length <= bytes.length; length++) {
				const prefix = bytes.subarray(0, length);
				if (length < headerEnds[index]) expect(inspectionError(prefix).reason).toBe('truncated');
				else expect(readImageInfo(prefix)).toEqual(expected);
			}
		});
		for (const bytes of samples.slice(2)) {
			for (let length = 0; length <= bytes.length; length++)
				expectOnlyInspectionOutcomes(bytes.subarray(0, length));
		}
	});

	it('on 2,000 random corruptions of the valid samples', () => {
		for (let i = 0; i < 2000; i++) {
			const sample = samples[i % samples.length];
			const bytes = sample.slice(
				0,
				Math.min(sample.length, 200 + Math.floor(random() * sample.length)),
			);
			const flips = 1 + Math.floor(random() * 4);
			for (let flip = 0; flip < flips; flip++)
				bytes[Math.floor(random() * Math.min(bytes.length, 120))] = Math.floor(random() * 256);
			expectOnlyInspectionOutcomes(bytes);
		}
	});
});

describe('readImageInfo reads only what it needs of large inputs', () => {
	const FIVE_MB = 5 * 1024 * 1024;

	/** The bytes behind a proxy that counts index reads: work measured in reads, not milliseconds. */
	function counted(bytes: Uint8Array): { bytes: Uint8Array; reads: () => number } {
		let reads = 0;
		const proxy = new Proxy(bytes, {
			get(target, key) {
				if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
				const value = Reflect.get(target, key, target) as unknown;
				return typeof value === 'function'
					? (value as (...args: unknown[]) => unknown).bind(target)
					: value;
			},
		});
		return { bytes: proxy, reads: () => reads };
	}

	it('reads a 5 MB PNG from its header alone', () => {
		const file = new Uint8Array(FIVE_MB);
		file.set(png(4096, 4096).subarray(0, PNG_HEADER_END));
		const { bytes, reads } = counted(file);
		expect(readImageInfo(bytes).width).toBe(4096);
		expect(reads()).toBeGreaterThan(8); // the proxy sees the reads (the signature alone is 8)
		expect(reads()).toBeLessThanOrEqual(PNG_HEADER_END * 2);
	});

	it('reads a 5 MB JPEG up to its frame header only', () => {
		const file = new Uint8Array(FIVE_MB);
		const header = jpegWithHeaderEnd({ width: 4096, height: 2304 }).bytes;
		file.set(header);
		const { bytes, reads } = counted(file);
		expect(readImageInfo(bytes).height).toBe(2304);
		expect(reads()).toBeGreaterThan(8);
		expect(reads()).toBeLessThanOrEqual(header.length * 2);
	});

	it('walks 5 MB of the smallest possible segments, or of fill bytes, reading each byte a bounded number of times', () => {
		const emptyComments = new Uint8Array(FIVE_MB).map((_, i) => [0xff, 0xfe, 0x00, 0x02][i % 4]);
		const commentsThenFrame = concat(SOI, emptyComments, segment(0xc0, sofPayload(320, 240)));
		const fillThenFrame = concat(
			SOI,
			new Uint8Array(FIVE_MB).fill(0xff),
			segment(0xc0, sofPayload(320, 240)),
		);
		for (const file of [commentsThenFrame, fillThenFrame]) {
			const { bytes, reads } = counted(file);
			expect(readImageInfo(bytes).width).toBe(320);
			// Linear: a few reads per byte at most (a quadratic walk would need millions per byte).
			expect(reads()).toBeGreaterThanOrEqual(FIVE_MB / 4); // it did walk the segments
			expect(reads()).toBeLessThanOrEqual(4 * file.length);
		}
	});
});
