/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
// What a succeeded Ark task points at: pre-signed TOS-style URLs (valid `videoUrlTtlMs`, 24 h at Ark;
// 403 AccessDenied after) for the mp4 — with an audio track when the task generated audio, padded to
// `videoBytes` when set (streamed, never built) — and the PNG last frame (the video's size, no
// watermark; its bytes name the task, so a test can tell whose last frame an image is).
//
// test/fixtures/sample-audio.mp4 (2 s, 320x180 H.264 + 16 kHz mono AAC sine, ~27 KB), made with
// ffmpeg 5.1 (Debian 12) — run twice it gives the same bytes:
//   ffmpeg -f lavfi -i "testsrc2=size=320x180:rate=24:duration=2" \
//     -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=2" \
//     -c:v libx264 -preset veryslow -crf 35 -pix_fmt yuv420p -profile:v baseline \
//     -c:a aac -b:a 24k -ac 1 -shortest -movflags +faststart -map_metadata -1 \
//     -fflags +bitexact -flags:v +bitexact -flags:a +bitexact test/fixtures/sample-audio.mp4
// The silent video is test/fixtures/sample.mp4 (see ../video.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

import { FIXTURE_PATH, VideoFile } from '../video';

export const AUDIO_FIXTURE_PATH = join(__dirname, '..', '..', '..', 'fixtures', 'sample-audio.mp4');
export const MEDIA_PREFIX = '/ark-media/';

export type MediaKind = 'video.mp4' | 'last-frame.png';

let fixtures: { silent: Buffer; audio: Buffer } | undefined;

export function videoBytes(withAudio: boolean): Buffer {
	fixtures ??= { silent: readFileSync(FIXTURE_PATH), audio: readFileSync(AUDIO_FIXTURE_PATH) };
	return withAudio ? fixtures.audio : fixtures.silent;
}

/**
 * Why `totalBytes` cannot be every task's video size, or null if it can: one size for silent and
 * sounding videos, so at least the larger fixture and an mp4 'free' box header after it.
 */
export function checkArkVideoBytes(totalBytes: number | null): string | null {
	if (totalBytes === null) return null;
	const smallest = Math.max(videoBytes(false).length, videoBytes(true).length) + 8;
	return Number.isSafeInteger(totalBytes) && totalBytes >= smallest
		? null
		: `videoBytes must be null (the fixture) or an integer of at least ${smallest} (the larger fixture and an mp4 'free' box), got ${totalBytes}`;
}

const files = new Map<string, VideoFile>();

/** The video a task serves: its fixture, padded to `totalBytes` when given (cached; no bytes built). */
export function videoFile(withAudio: boolean, totalBytes: number | null): VideoFile {
	const cacheKey = `${withAudio}:${totalBytes}`;
	let file = files.get(cacheKey);
	if (!file) {
		file = new VideoFile(videoBytes(withAudio), totalBytes);
		files.set(cacheKey, file);
	}
	return file;
}

function sign(key: Buffer, taskId: string, kind: MediaKind, expiresAt: number): string {
	return createHmac('sha256', key).update(`${taskId}\n${kind}\n${expiresAt}`).digest('hex');
}

/** A pre-signed URL under `base`, valid until `expiresAt` (ms). */
export function mediaUrl(
	base: string,
	key: Buffer,
	taskId: string,
	kind: MediaKind,
	expiresAt: number,
): string {
	const query = `X-Tos-Expires=${expiresAt}&X-Tos-Signature=${sign(key, taskId, kind, expiresAt)}`;
	return `${base}${MEDIA_PREFIX}${taskId}/${kind}?${query}`;
}

/** Why a media request is refused (the 403 message), or null when its signature holds and it is fresh. */
export function checkMediaUrl(
	key: Buffer,
	taskId: string,
	kind: MediaKind,
	query: URLSearchParams,
	now: number,
): string | null {
	const expires = query.get('X-Tos-Expires') ?? '';
	const given = Buffer.from(query.get('X-Tos-Signature') ?? '', 'utf8');
	if (!/^\d{1,16}$/.test(expires)) return 'Signature does not match.';
	const expected = Buffer.from(sign(key, taskId, kind, Number(expires)), 'utf8');
	if (expected.length !== given.length || !timingSafeEqual(expected, given))
		return 'Signature does not match.';
	return now > Number(expires) ? 'Request has expired' : null;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function chunk(type: string, data: Buffer): Buffer {
	const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	let crc = 0xffffffff;
	for (const byte of typed) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	const head = Buffer.alloc(4);
	head.writeUInt32BE(data.length);
	const tail = Buffer.alloc(4);
	tail.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
	return Buffer.concat([head, typed, tail]);
}

const frameRows = new Map<string, Buffer>();

/**
 * A real grey PNG of `width`×`height`; `text`, when given, goes into a tEXt chunk ("Comment"), so
 * two images of one size differ in their bytes (the deflated pixels are cached per size).
 */
export function greyPng(width: number, height: number, text?: string): Buffer {
	const cacheKey = `${width}x${height}`;
	let idat = frameRows.get(cacheKey);
	if (!idat) {
		const rows = Buffer.alloc((width + 1) * height, 0x80);
		for (let row = 0; row < height; row++) rows[row * (width + 1)] = 0; // filter byte: none
		idat = chunk('IDAT', deflateSync(rows));
		frameRows.set(cacheKey, idat);
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8; // bit depth 8, colour type 0 (grey)
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		...(text === undefined ? [] : [chunk('tEXt', Buffer.from(`Comment\0${text}`, 'latin1'))]),
		idat,
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/** A task's last frame: a grey PNG of the video's size naming the task (each task's bytes differ). */
export function lastFramePng(width: number, height: number, taskId: string): Buffer {
	return greyPng(width, height, `last frame of ${taskId}`);
}
