/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The Jimeng Video node with API = Seedance, run by n8n-core against the Ark simulator: each
 * operation, the media inputs (binary data and URLs), the outputs (video and last frame as binary,
 * the contract json, the cost estimate) and the checks made before anything is sent.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';

import type { IDataObject } from 'n8n-workflow';

import { ARK_LABELS, ARK_PRICES } from '../../nodes/shared/ark';
import { png } from '../fixtures/images';
import { AUDIO_FIXTURE_PATH } from '../tooling/simulator';
import { binaryBytes, errorOf, outputOf, useFilesystemBinaryData } from '../support/harness';
import {
	FAST_POLL,
	SEEDANCE_NODE,
	binaryOf,
	seedanceWorkflow,
	useSeedanceSimulator,
} from '../support/seedance';
import { sleep } from '../support/time';

const PRO = 'doubao-seedance-1-5-pro-251215';
const V2 = 'doubao-seedance-2-0-260128';
const FAST_V2 = 'doubao-seedance-2-0-fast-260128';
const FRAME = png(640, 360);
const WAV = Buffer.concat([
	Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'),
	Buffer.alloc(64),
]);

const isMp4 = (bytes: Buffer) => bytes.subarray(4, 8).toString('latin1') === 'ftyp';
const isPng = (bytes: Buffer) => bytes.subarray(1, 4).toString('latin1') === 'PNG';

describe('Seedance in the Jimeng Video node', () => {
	const { ark, harness } = useSeedanceSimulator(
		{ seed: 41, queueMs: 20, generateMs: 40 },
		{ queueMs: 20, generateMs: 40 },
	);

	const run = async (
		parameters: IDataObject,
		options: Parameters<typeof seedanceWorkflow>[1] = {},
	) => await harness.run(seedanceWorkflow(parameters, options));
	const itemsOf = async (...args: Parameters<typeof run>) =>
		outputOf(await run(...args), SEEDANCE_NODE);
	/** Waits until the simulator shows the task in `status` (5 s at most). */
	const until = async (taskId: string, status: string) => {
		for (const end = Date.now() + 5000; Date.now() < end; await sleep(10))
			if (ark.task(taskId)?.status === status) return;
		throw new Error(`task ${taskId} never became ${status}`);
	};
	const lastCreate = () => ark.creates().at(-1)?.body as Record<string, unknown>;

	describe('Generate and Wait', () => {
		it('text-to-video with sound: the mp4 in binary data, the contract json, one create', async () => {
			const [item] = await itemsOf({
				operation: 'generateAndWait',
				prompt: 'a lighthouse at dusk, waves',
				options: FAST_POLL,
			});
			expect(item.json).toMatchObject({
				status: 'succeeded',
				model: PRO,
				resolution: '720p',
				ratio: '16:9',
				duration: 5,
				generate_audio: true,
				tokens: 108900,
				estimated_cost_cny: 1.7424,
				timed_out: false,
				prompt: 'a lighthouse at dusk, waves',
				last_frame_url: null,
			});
			expect(item.json.task_id).toMatch(/^cgt-/);
			expect(item.binary?.data).toMatchObject({
				mimeType: 'video/mp4',
				fileName: `${item.json.task_id as string}.mp4`,
			});
			expect(isMp4(await binaryBytes(item.binary!.data))).toBe(true);
			expect(item.binary).not.toHaveProperty('last_frame');
			expect(ark.creates()).toHaveLength(1);
			expect(lastCreate()).toMatchObject({
				model: PRO,
				content: [{ type: 'text', text: 'a lighthouse at dusk, waves' }],
				generate_audio: true,
				ratio: 'adaptive',
				resolution: '720p',
				duration: 5,
			});
		});

		it('Return Last Frame: the last frame as binary last_frame (image/png), beside the video', async () => {
			const [item] = await itemsOf({
				operation: 'generateAndWait',
				prompt: 'x',
				returnLastFrame: true,
				options: { ...FAST_POLL, binaryPropertyOutput: 'clip' },
			});
			expect(Object.keys(item.binary ?? {}).sort()).toEqual(['clip', 'last_frame']);
			expect(item.binary!.last_frame).toMatchObject({
				mimeType: 'image/png',
				fileName: `${item.json.task_id as string}-last-frame.png`,
			});
			const frame = await binaryBytes(item.binary!.last_frame);
			expect(isPng(frame)).toBe(true);
			// The frame is the video's size (1280×720 at 720p 16:9): usable as the next first frame.
			expect(frame.readUInt32BE(16)).toBe(1280);
			expect(String(item.json.last_frame_url)).toContain('last-frame.png');
			expect(lastCreate()).toMatchObject({ return_last_frame: true });
		});

		it('filesystem binary mode: a padded 8 MB video stored as a file of its exact bytes; the last frame byte-identical to the PNG served', async () => {
			const size = 8 * 1024 * 1024;
			ark.configure({ videoBytes: size });
			const store = await useFilesystemBinaryData();
			try {
				const [item] = await itemsOf({
					operation: 'generateAndWait',
					prompt: 'x',
					returnLastFrame: true,
					options: FAST_POLL,
				});
				const path = (id: string | undefined) => Container.get(BinaryDataService).getPath(id!);
				const video = path(item.binary!.data.id);
				expect(item.binary!.data.id).toMatch(/^filesystem/);
				expect(statSync(video).size).toBe(size);
				const stored = readFileSync(video);
				const sound = readFileSync(AUDIO_FIXTURE_PATH);
				expect(stored.subarray(0, sound.length).equals(sound)).toBe(true);
				expect(stored.toString('latin1', sound.length + 4, sound.length + 8)).toBe('free');
				// The PNG as stored is the PNG as Ark serves it: nothing re-encodes the picture.
				const served = Buffer.from(
					await (await fetch(String(item.json.last_frame_url))).arrayBuffer(),
				);
				const frame = readFileSync(path(item.binary!.last_frame.id));
				const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
				expect(frame.length).toBe(served.length);
				expect(sha(frame)).toBe(sha(served));
				expect(item.binary!.last_frame).toMatchObject({ mimeType: 'image/png' });
			} finally {
				store.cleanup();
			}
		});

		it('Download Video off: the URLs only, no binary', async () => {
			const [item] = await itemsOf({
				operation: 'generateAndWait',
				prompt: 'x',
				returnLastFrame: true,
				options: { ...FAST_POLL, downloadVideo: false },
			});
			expect(item.binary).toBeUndefined();
			expect(item.json.video_url).toEqual(expect.stringContaining('video.mp4'));
			expect(ark.requests.filter((entry) => entry.call === 'media')).toHaveLength(0);
		});

		it('estimated_cost_cny uses the price in Options, at half for flex', async () => {
			const [online] = await itemsOf({
				operation: 'generateAndWait',
				prompt: 'x',
				options: { ...FAST_POLL, priceCnyPerMillionTokens: 20 },
			});
			expect(online.json.estimated_cost_cny).toBe((108900 * 20) / 1e6);
			const [flex] = await itemsOf({
				operation: 'generateAndWait',
				prompt: 'x',
				serviceTier: 'flex',
				options: { ...FAST_POLL, priceCnyPerMillionTokens: 20 },
			});
			expect(flex.json).toMatchObject({ service_tier: 'flex', estimated_cost_cny: 1.089 });
			// Without it, the built-in table (1.5 Pro with sound).
			const [table] = await itemsOf({
				operation: 'generateAndWait',
				prompt: 'x',
				options: FAST_POLL,
			});
			expect(table.json.estimated_cost_cny).toBe((108900 * ARK_PRICES[PRO].cnyPerMillion) / 1e6);
		});
	});

	describe('media inputs', () => {
		it('first and last frame from binary data: sent as data URLs with their roles', async () => {
			const items = [
				{
					binary: {
						data: binaryOf(FRAME, 'a.png', 'image/png'),
						end: binaryOf(png(640, 360), 'b.png', 'image/png'),
					},
				},
			];
			const [item] = await itemsOf(
				{
					operation: 'submit',
					prompt: 'from a to b',
					firstFrameSource: 'binary',
					lastFrameSource: 'binary',
					lastFrameBinaryProperty: 'end',
				},
				{ items },
			);
			expect(item.json.status).toBe('queued');
			expect(lastCreate().content).toEqual([
				{ type: 'text', text: 'from a to b' },
				{
					type: 'image_url',
					image_url: { url: expect.stringMatching(/^data:image\/png;base64,<\d+ chars>$/) },
					role: 'first_frame',
				},
				{
					type: 'image_url',
					image_url: { url: expect.stringMatching(/^data:image\/png;base64,/) },
					role: 'last_frame',
				},
			]);
		});

		it('first and last frame by URL', async () => {
			await itemsOf({
				operation: 'submit',
				firstFrameSource: 'url',
				firstFrameUrl: 'https://cdn.example.com/first.png',
				lastFrameSource: 'url',
				lastFrameUrl: 'https://cdn.example.com/last.png',
			});
			expect(lastCreate().content).toEqual([
				{
					type: 'image_url',
					image_url: { url: 'https://cdn.example.com/first.png' },
					role: 'first_frame',
				},
				{
					type: 'image_url',
					image_url: { url: 'https://cdn.example.com/last.png' },
					role: 'last_frame',
				},
			]);
		});

		it('reference images from several binary properties and URLs, a video and audio (binary and URL) on 2.0', async () => {
			const items = [
				{
					binary: {
						ref1: binaryOf(FRAME, 'r1.png', 'image/png'),
						ref2: binaryOf(png(400, 400), 'r2.png', 'image/png'),
						voice: binaryOf(WAV, 'voice.wav', 'audio/wav'),
					},
				},
			];
			const [item] = await itemsOf(
				{
					operation: 'submit',
					model: V2,
					prompt: 'the two characters talk',
					referenceImages: {
						items: [
							{ source: 'binary', binaryPropertyName: 'ref1' },
							{ source: 'url', url: 'https://cdn.example.com/r3.jpg' },
							{ source: 'binary', binaryPropertyName: 'ref2' },
						],
					},
					referenceVideos: { items: [{ url: 'https://cdn.example.com/motion.mp4' }] },
					referenceAudio: {
						items: [
							{ source: 'binary', binaryPropertyName: 'voice' },
							{ source: 'url', url: 'https://cdn.example.com/music.mp3' },
						],
					},
				},
				{ items },
			);
			expect(item.json).toMatchObject({ status: 'queued', model: V2 });
			const content = lastCreate().content as Array<Record<string, unknown>>;
			expect(content.map((part) => [part.type, part.role ?? null])).toEqual([
				['text', null],
				['image_url', 'reference_image'],
				['image_url', 'reference_image'],
				['image_url', 'reference_image'],
				['video_url', 'reference_video'],
				['audio_url', 'reference_audio'],
				['audio_url', 'reference_audio'],
			]);
			expect(content[2]).toMatchObject({ image_url: { url: 'https://cdn.example.com/r3.jpg' } });
			expect(content[5]).toMatchObject({
				audio_url: { url: expect.stringMatching(/^data:audio\/wav;base64,/) },
			});
			expect(content[6]).toMatchObject({ audio_url: { url: 'https://cdn.example.com/music.mp3' } });
		});

		it('the real sample audio from a binary property is refused by its bytes (an mp4 is not WAV/MP3), before sending', async () => {
			const items = [
				{ binary: { voice: binaryOf(readFileSync(AUDIO_FIXTURE_PATH), 'a.mp4', 'video/mp4') } },
			];
			const result = await run(
				{
					operation: 'submit',
					model: V2,
					referenceImages: { items: [{ source: 'url', url: 'https://cdn.example.com/r.png' }] },
					referenceAudio: { items: [{ source: 'binary', binaryPropertyName: 'voice' }] },
				},
				{ items },
			);
			expect(errorOf(result, SEEDANCE_NODE)?.message).toMatch(
				/^"Reference Audio 1" must be WAV or MP3 audio \(judged by its bytes\); binary property "voice" \(a\.mp4\) is neither \[item 0\]/,
			);
			expect(ark.creates()).toHaveLength(0);
		});

		it('a binary property the item lacks: named, with the ones it has, nothing sent', async () => {
			const items = [{ binary: { photo: binaryOf(FRAME, 'p.png', 'image/png') } }];
			const result = await run({ operation: 'submit', firstFrameSource: 'binary' }, { items });
			expect(errorOf(result, SEEDANCE_NODE)?.message).toBe(
				'"First Frame" names binary property "data", which input item 0 does not have (it has "photo") [item 0]',
			);
			expect(ark.creates()).toHaveLength(0);
		});
	});

	describe('checked before anything is sent, per item, naming the field', () => {
		it.each<[string, IDataObject, string, RegExp]>([
			[
				'1080p on 2.0 Fast',
				{ model: FAST_V2, prompt: 'x', resolution: '1080p' },
				ARK_LABELS.resolution,
				/must be one of 480p, 720p for doubao-seedance-2-0-fast/,
			],
			[
				'16 seconds on 1.5 Pro',
				{ prompt: 'x', duration: 16 },
				ARK_LABELS.duration,
				/from 4 to 12, or -1/,
			],
			['no prompt and no image', { prompt: '' }, ARK_LABELS.prompt, /required for text-to-video/],
			[
				'adaptive text-to-video on 1.0 Pro',
				{ model: 'doubao-seedance-1-0-pro-250528', prompt: 'x', generateAudio: false },
				ARK_LABELS.ratio,
				/"adaptive" needs an image/,
			],
			[
				'flex expiring in under an hour',
				{ prompt: 'x', serviceTier: 'flex', executionExpiresAfter: 600 },
				ARK_LABELS.executionExpiresAfter,
				/from 3600 \(1 hour\) to 259200 \(72 hours\); got number 600/,
			],
			[
				'a draft at 720p',
				{ prompt: 'x', draft: true },
				ARK_LABELS.resolution,
				/must be 480p for a draft/,
			],
			[
				'a callback that is no URL',
				{ prompt: 'x', callbackUrl: 'example.com/hook' },
				ARK_LABELS.callbackUrl,
				/must be an http\(s\) URL/,
			],
		])('%s', async (_case, parameters, label, rule) => {
			for (const operation of ['submit', 'generateAndWait']) {
				const result = await run({ operation, ...parameters, options: FAST_POLL });
				const error = errorOf(result, SEEDANCE_NODE)!;
				expect(error.message.startsWith(`"${label}" `)).toBe(true);
				expect(error.message).toMatch(rule);
				expect(String((error as { description?: string }).description)).toBe(
					'Nothing was sent to Ark for this item.',
				);
			}
			expect(ark.requests.filter((entry) => entry.call !== 'unknown')).toHaveLength(0);
		});

		it('Generate and Wait checks every item first: a bad third item stops the batch before any create', async () => {
			const items = [{ json: { s: 5 } }, { json: { s: 6 } }, { json: { s: 99 } }];
			const result = await run(
				{
					operation: 'generateAndWait',
					prompt: 'x',
					duration: '={{ $json.s }}',
					options: FAST_POLL,
				},
				{ items },
			);
			expect(errorOf(result, SEEDANCE_NODE)?.message).toMatch(
				/^"Duration" .*; got number 99 \[item 2\]$/,
			);
			expect(ark.creates()).toHaveLength(0);
		});
	});

	describe('Submit, Get Result, Cancel', () => {
		it('Submit returns the queued task; Get Result returns it running, then succeeded with its files', async () => {
			ark.configure({ queueMs: 20, generateMs: 1500 });
			const [submitted] = await itemsOf({
				operation: 'submit',
				prompt: 'x',
				returnLastFrame: true,
				seed: 7,
			});
			expect(submitted.json).toMatchObject({
				status: 'queued',
				seed: 7,
				video_url: null,
				tokens: null,
				estimated_cost_cny: null,
			});
			const taskId = submitted.json.task_id as string;
			await until(taskId, 'running');
			const [running] = await itemsOf({ operation: 'getResult', taskId });
			expect(running.json).toMatchObject({ task_id: taskId, status: 'running', video_url: null });
			expect(running.binary).toBeUndefined();
			await until(taskId, 'succeeded');
			const [done] = await itemsOf({
				operation: 'getResult',
				taskId,
				options: { priceCnyPerMillionTokens: 10 },
			});
			expect(done.json).toMatchObject({
				task_id: taskId,
				status: 'succeeded',
				seed: 7,
				estimated_cost_cny: 1.089,
			});
			expect(Object.keys(done.binary ?? {}).sort()).toEqual(['data', 'last_frame']);
			expect(ark.creates()).toHaveLength(1);
		});

		it('Get Result after the video URL expired (Ark: 24 hours): says so; without the download the task still comes back', async () => {
			ark.configure({ videoUrlTtlMs: 30 });
			const [submitted] = await itemsOf({ operation: 'submit', prompt: 'x' });
			const taskId = submitted.json.task_id as string;
			await until(taskId, 'succeeded');
			await sleep(60);
			const [item] = await itemsOf({ operation: 'getResult', taskId }, { continueOnFail: true });
			expect(item.json).toMatchObject({ code: 'HTTP_403', task_id: taskId });
			expect(item.json.error).toBe(
				`The video of task ${taskId} could not be downloaded: its URL answered HTTP 403. Ark keeps result URLs for 24 hours after a task finishes: this one has expired, and the file can no longer be downloaded.`,
			);
			// Ark signs no fresh URL: one GET of the task, one download, nothing retried.
			expect(ark.requests.filter((entry) => entry.call === 'get')).toHaveLength(1);
			expect(ark.requests.filter((entry) => entry.call === 'media')).toHaveLength(1);
			const [urlsOnly] = await itemsOf({
				operation: 'getResult',
				taskId,
				options: { downloadVideo: false },
			});
			expect(urlsOnly.json).toMatchObject({ task_id: taskId, status: 'succeeded' });
		});

		it('Get Result of a failed task is an error with its code; with continueOnFail an item with task_id', async () => {
			const [submitted] = await itemsOf({
				operation: 'submit',
				prompt: 'x [sim:output-moderation]',
			});
			const taskId = submitted.json.task_id as string;
			await until(taskId, 'failed');
			const failed = await run({ operation: 'getResult', taskId });
			expect(errorOf(failed, SEEDANCE_NODE)?.message).toMatch(
				new RegExp(`^Ark task ${taskId} failed: OutputVideoSensitiveContentDetected`),
			);
			const [item] = await itemsOf({ operation: 'getResult', taskId }, { continueOnFail: true });
			expect(item.json).toMatchObject({
				code: 'OutputVideoSensitiveContentDetected',
				task_id: taskId,
				retryable: expect.any(Boolean),
			});
		});

		it('Get Result of an unknown task id: Ark’s 404, and a malformed id refused before sending', async () => {
			const [unknown] = await itemsOf(
				{ operation: 'getResult', taskId: 'cgt-20250101000000-zzzzz' },
				{ continueOnFail: true },
			);
			expect(unknown.json).toMatchObject({
				code: 'ResourceNotFound',
				task_id: 'cgt-20250101000000-zzzzz',
			});
			const requests = ark.requests.length;
			const [bad] = await itemsOf(
				{ operation: 'getResult', taskId: '../tasks?x' },
				{ continueOnFail: true },
			);
			expect(bad.json).toMatchObject({ code: 'INVALID_PARAMETER', parameter: ARK_LABELS.taskId });
			expect(ark.requests).toHaveLength(requests);
		});

		it('Cancel: a queued task is cancelled', async () => {
			ark.configure({ queueMs: 5000, generateMs: 40 });
			const [submitted] = await itemsOf({ operation: 'submit', prompt: 'x' });
			const taskId = submitted.json.task_id as string;
			const [cancelled] = await itemsOf({ operation: 'cancel', taskId });
			expect(cancelled.json).toEqual({
				task_id: taskId,
				status: 'cancelled',
				previous_status: 'queued',
			});
			expect(ark.task(taskId)?.status).toBe('cancelled');
			expect(ark.requests.filter((entry) => entry.call === 'delete')).toHaveLength(1);
		});

		it('Cancel: a running task is refused with what Ark allows, and no DELETE is sent', async () => {
			ark.configure({ queueMs: 10, generateMs: 5000 });
			const [submitted] = await itemsOf({ operation: 'submit', prompt: 'x' });
			const taskId = submitted.json.task_id as string;
			await until(taskId, 'running');
			const result = await run({ operation: 'cancel', taskId });
			expect(errorOf(result, SEEDANCE_NODE)?.message).toBe(
				`Ark task ${taskId} is running: Ark cannot cancel a running task; it finishes (and is billed) as usual. Nothing was changed.`,
			);
			expect(ark.requests.filter((entry) => entry.call === 'delete')).toHaveLength(0);
			expect(ark.task(taskId)?.status).toBe('running');
		});

		it('Cancel: a finished task is refused unless Delete If Finished is on, which deletes it', async () => {
			const [done] = await itemsOf({
				operation: 'generateAndWait',
				prompt: 'x',
				options: { ...FAST_POLL, downloadVideo: false },
			});
			const taskId = done.json.task_id as string;
			const refused = await run({ operation: 'cancel', taskId });
			expect(errorOf(refused, SEEDANCE_NODE)?.message).toMatch(
				/has already finished.*Turn on Delete If Finished/,
			);
			expect(ark.requests.filter((entry) => entry.call === 'delete')).toHaveLength(0);
			const [deleted] = await itemsOf({
				operation: 'cancel',
				taskId,
				options: { deleteFinished: true },
			});
			expect(deleted.json).toEqual({
				task_id: taskId,
				status: 'deleted',
				previous_status: 'succeeded',
			});
			expect(ark.task(taskId)).toBeUndefined();
		});
	});

	it('a draft, then the final video from it (Draft Task ID)', async () => {
		const [draft] = await itemsOf({
			operation: 'generateAndWait',
			prompt: 'a fox in snow',
			draft: true,
			resolution: '480p',
			seed: 99,
			options: { ...FAST_POLL, downloadVideo: false },
		});
		expect(draft.json).toMatchObject({ status: 'succeeded', resolution: '480p', seed: 99 });
		const [final] = await itemsOf({
			operation: 'generateAndWait',
			draftTaskId: draft.json.task_id,
			options: { ...FAST_POLL, downloadVideo: false },
		});
		expect(final.json).toMatchObject({ status: 'succeeded', seed: 99, resolution: '720p' });
		expect(lastCreate()).toMatchObject({
			content: [{ type: 'draft_task', draft_task: { id: draft.json.task_id } }],
		});
		expect(lastCreate()).not.toHaveProperty('seed');
	});
});
