/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
// Serving the generated video: the committed fixture, or the fixture padded to any size, streamed.
//
// test/fixtures/sample.mp4 (2 s, 320x180, H.264 yuv420p, moov first, ~20 KB) was made with ffmpeg 5.1:
//   ffmpeg -f lavfi -i "testsrc2=size=320x180:rate=24:duration=2" -c:v libx264 -preset veryslow -crf 35 \
//     -pix_fmt yuv420p -profile:v baseline -movflags +faststart -an -map_metadata -1 \
//     -fflags +bitexact -flags:v +bitexact test/fixtures/sample.mp4
// CI machines have no ffmpeg: the file is committed.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

export const FIXTURE_PATH = join(__dirname, '..', '..', 'fixtures', 'sample.mp4');

export function loadFixture(): Buffer {
	return readFileSync(FIXTURE_PATH);
}

const CHUNK_BYTES = 64 * 1024;
// Shared and never written to, so it can be pushed any number of times.
const ZEROS = Buffer.alloc(CHUNK_BYTES);
const MAX_32BIT_BOX = 0xffffffff;

type Segment = { offset: number; length: number; data: Buffer | null }; // data null: zero bytes

/**
 * A valid MP4 of an exact size: the fixture followed by an ISO BMFF 'free' box of zero padding.
 * Players skip 'free' boxes, so the result still plays as the fixture. Never held in memory.
 */
export class VideoFile {
	readonly size: number;
	private readonly segments: Segment[];

	constructor(fixture: Buffer, totalBytes: number | null = null) {
		this.segments = [{ offset: 0, length: fixture.length, data: fixture }];
		if (totalBytes === null || totalBytes === fixture.length) {
			this.size = fixture.length;
			return;
		}
		const header = freeBoxHeader(totalBytes - fixture.length);
		this.size = totalBytes;
		this.segments.push({ offset: fixture.length, length: header.length, data: header });
		const zeros = totalBytes - fixture.length - header.length;
		if (zeros > 0)
			this.segments.push({ offset: fixture.length + header.length, length: zeros, data: null });
	}

	/** Bytes [start, end) as a stream that produces a chunk only when the consumer asks (backpressure). */
	stream(start = 0, end = this.size): Readable {
		const segments = this.segments;
		let pos = start;
		return new Readable({
			read() {
				if (pos >= end) {
					this.push(null);
					return;
				}
				const segment = segments.find((s) => pos < s.offset + s.length)!;
				const length = Math.min(CHUNK_BYTES, end - pos, segment.offset + segment.length - pos);
				const at = pos - segment.offset;
				pos += length;
				this.push(
					segment.data ? segment.data.subarray(at, at + length) : ZEROS.subarray(0, length),
				);
			},
		});
	}
}

/** Why `totalBytes` cannot be served as a valid mp4 (too small to hold a 'free' box), or null if it can. */
export function checkVideoBytes(fixtureBytes: number, totalBytes: number | null): string | null {
	if (totalBytes === null) return null;
	if (!Number.isSafeInteger(totalBytes)) return `videoBytes must be an integer, got ${totalBytes}`;
	if (totalBytes === fixtureBytes) return null;
	if (totalBytes < fixtureBytes + 8) {
		return `videoBytes must be ${fixtureBytes} (the fixture) or at least ${fixtureBytes + 8} (room for an mp4 'free' box), got ${totalBytes}`;
	}
	return null;
}

/** 'free' box header for a box of `boxBytes` bytes in total (header included). */
export function freeBoxHeader(boxBytes: number): Buffer {
	if (boxBytes <= MAX_32BIT_BOX) {
		const header = Buffer.alloc(8);
		header.writeUInt32BE(boxBytes, 0);
		header.write('free', 4, 'latin1');
		return header;
	}
	// 64-bit form: size field 1, then the real size in a 'largesize' field after the type.
	const header = Buffer.alloc(16);
	header.writeUInt32BE(1, 0);
	header.write('free', 4, 'latin1');
	header.writeBigUInt64BE(BigInt(boxBytes), 8);
	return header;
}

export type ByteRange = { start: number; end: number }; // end exclusive

/** A single `bytes=` range as a CDN reads it; null means "serve the whole file", 'unsatisfiable' → 416. */
export function parseRange(
	header: string | undefined,
	size: number,
): ByteRange | 'unsatisfiable' | null {
	if (!header) return null;
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	// Multiple or malformed ranges: serving the full file is a valid answer.
	if (!match || (match[1] === '' && match[2] === '')) return null;
	if (match[1] === '') {
		const suffix = Number(match[2]);
		if (suffix === 0) return 'unsatisfiable';
		return { start: Math.max(0, size - suffix), end: size };
	}
	const start = Number(match[1]);
	const last = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	if (start >= size || last < start) return 'unsatisfiable';
	return { start, end: last + 1 };
}

/** CDN-style URL signature over task id and expiry, keyed per simulator instance. */
export function signVideoUrl(key: Buffer, taskId: string, expiresAt: number): string {
	return createHmac('sha256', key).update(`${taskId}\n${expiresAt}`).digest('hex');
}

export function checkVideoUrlSignature(
	key: Buffer,
	taskId: string,
	expiresAt: string,
	signature: string,
): boolean {
	if (!/^\d{1,16}$/.test(expiresAt)) return false;
	const expected = Buffer.from(signVideoUrl(key, taskId, Number(expiresAt)), 'utf8');
	const given = Buffer.from(signature, 'utf8');
	return expected.length === given.length && timingSafeEqual(expected, given);
}
