/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
// Tests of the Ark simulator itself, over real HTTP (Node's fetch): auth, validation envelopes, the
// lifecycle, results (a video of any size), list, DELETE, callbacks, limits and faults.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';

import {
	AUDIO_FIXTURE_PATH,
	ArkSimulator,
	DEFAULT_ARK_API_KEY,
	FIXTURE_PATH,
	JimengSimulator,
	freeBoxHeader,
	type ArkSimulatorOptions,
} from './index';
import { sleep } from '../../support/time';

const T2V = 'doubao-seedance-1-5-pro-251215';
const V2 = 'doubao-seedance-2-0-260128';

interface Answer {
	status: number;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	headers: Headers;
}

async function call(
	base: string,
	method: string,
	path: string,
	body?: unknown,
	key = DEFAULT_ARK_API_KEY,
): Promise<Answer> {
	const response = await fetch(`${base}${path}`, {
		method,
		headers: {
			Authorization: `Bearer ${key}`,
			...(body ? { 'Content-Type': 'application/json' } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown = text;
	try {
		json = JSON.parse(text);
	} catch {
		// an HTML page or a cut-off body stays text
	}
	return { status: response.status, json, headers: response.headers };
}

const TASKS = '/contents/generations/tasks';
const text = (prompt: string) => [{ type: 'text', text: prompt }];
const create = (base: string, body: Record<string, unknown>, key?: string) =>
	call(base, 'POST', TASKS, { model: T2V, content: text('a cat'), ...body }, key);

/** A real grey PNG of the given size, as a data: URL. */
function pngDataUrl(width: number, height: number): string {
	const crcTable = Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		return c >>> 0;
	});
	const chunk = (type: string, data: Buffer) => {
		const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		let crc = 0xffffffff;
		for (const byte of typed) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
		const out = Buffer.alloc(8 + data.length + 4);
		out.writeUInt32BE(data.length, 0);
		typed.copy(out, 4);
		out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 8 + data.length);
		return out;
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 8;
	const png = Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(Buffer.alloc((width + 1) * height))),
		chunk('IEND', Buffer.alloc(0)),
	]);
	return `data:image/png;base64,${png.toString('base64')}`;
}

async function waitFor(
	base: string,
	id: string,
	status: string,
	timeoutMs = 5000,
): Promise<Answer> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const answer = await call(base, 'GET', `${TASKS}/${id}`);
		if (answer.json.status === status || Date.now() > until) return answer;
		await sleep(25);
	}
}

function useArk(options: ArkSimulatorOptions = {}) {
	const sim = new ArkSimulator({ seed: 7, queueMs: 30, generateMs: 60, ...options });
	const state = { base: '' };
	beforeAll(async () => {
		state.base = await sim.start();
	});
	beforeEach(() => {
		sim.reset();
		sim.configure({
			queueMs: 30,
			generateMs: 60,
			concurrency: null,
			maxQueued: null,
			rpm: null,
			videoBytes: null,
			faults: {},
		});
	});
	afterAll(async () => await sim.stop());
	return { sim, state };
}

describe('Ark simulator: auth and validation', () => {
	const { sim, state } = useArk({ endpoints: { 'ep-20260101000000-abcde': V2 } });

	it('answers 401 AuthenticationError in Ark envelope for a wrong or missing key', async () => {
		for (const key of ['wrong-key', '']) {
			const answer = await create(state.base, {}, key);
			expect(answer.status).toBe(401);
			expect(answer.json.error).toMatchObject({
				code: 'AuthenticationError',
				type: 'Unauthorized',
				param: '',
			});
			expect(answer.json.error.message).toMatch(/Request id: 02\d+/);
			expect(answer.headers.get('x-request-id')).toMatch(/^02/);
		}
		expect(sim.createdTaskIds()).toEqual([]);
	});

	it.each([
		['an unknown model', { model: 'doubao-seedance-9' }, 404, 'InvalidEndpointOrModel.NotFound'],
		['no content', { content: [] }, 400, 'MissingParameter'],
		[
			'1080p on 2.0 fast',
			{ model: 'doubao-seedance-2-0-fast-260128', resolution: '1080p' },
			400,
			'InvalidParameter',
		],
		[
			'duration -1 on 2.0 mini',
			{ model: 'doubao-seedance-2-0-mini-260615', duration: -1 },
			400,
			'InvalidParameter',
		],
		['16 s on 2.0', { model: V2, duration: 16 }, 400, 'InvalidParameter'],
		['frames on 1.5 pro', { frames: 121 }, 400, 'InvalidParameter'],
		['camera_fixed on 2.0', { model: V2, camera_fixed: true }, 400, 'InvalidParameter'],
		['flex on 2.0', { model: V2, service_tier: 'flex' }, 400, 'InvalidParameter'],
		['a string duration', { duration: '5' }, 400, 'InvalidParameter'],
		['expires after 1 s', { execution_expires_after: 1 }, 400, 'InvalidParameter'],
		['a draft at 720p', { draft: true, resolution: '720p' }, 400, 'InvalidParameter'],
		[
			'moderated input',
			{ content: text('[sim:input-moderation] x') },
			400,
			'InputTextSensitiveContentDetected',
		],
		[
			'a first frame with reference images',
			{
				model: V2,
				content: [
					...text('x'),
					{ type: 'image_url', image_url: { url: 'https://e.x/a.png' }, role: 'first_frame' },
					{ type: 'image_url', image_url: { url: 'https://e.x/b.png' }, role: 'reference_image' },
				],
			},
			400,
			'InvalidParameter',
		],
		[
			'a 200×200 image',
			{ content: [{ type: 'image_url', image_url: { url: pngDataUrl(200, 200) } }] },
			400,
			'InvalidParameter',
		],
	])(
		'refuses %s with its status and code, and creates nothing',
		async (_name, body, status, code) => {
			const answer = await create(state.base, body);
			expect(answer.status).toBe(status);
			expect(answer.json.error.code).toBe(code);
			expect(sim.createdTaskIds()).toEqual([]);
		},
	);

	it('serves an endpoint id as its model; filter.model matches the endpoint id used', async () => {
		const created = await call(state.base, 'POST', TASKS, {
			model: 'ep-20260101000000-abcde',
			content: text('x'),
		});
		expect(created.status).toBe(200);
		expect((await call(state.base, 'GET', `${TASKS}/${created.json.id}`)).json.model).toBe(V2);
		const byEndpoint = await call(
			state.base,
			'GET',
			`${TASKS}?filter.model=ep-20260101000000-abcde`,
		);
		const byModel = await call(state.base, 'GET', `${TASKS}?filter.model=${V2}`);
		expect(byEndpoint.json.items.map((t: { id: string }) => t.id)).toEqual([created.json.id]);
		expect(byModel.json.total).toBe(0);
	});
});

describe('Ark simulator: lifecycle and results', () => {
	const { sim, state } = useArk({ videoUrlTtlMs: 60_000 });

	it('goes queued → running → succeeded with a task id, tokens, seed and signed URLs', async () => {
		sim.configure({ queueMs: 400, generateMs: 400 });
		const created = await create(state.base, {
			resolution: '720p',
			ratio: '16:9',
			duration: 5,
			return_last_frame: true,
		});
		expect(created.json.id).toMatch(/^cgt-\d{14}-[a-z0-9]{5}$/);
		expect((await call(state.base, 'GET', `${TASKS}/${created.json.id}`)).json.status).toBe(
			'queued',
		);
		expect((await waitFor(state.base, created.json.id, 'running')).json.status).toBe('running');
		const done = (await waitFor(state.base, created.json.id, 'succeeded')).json;
		expect(done).toMatchObject({
			status: 'succeeded',
			model: T2V,
			resolution: '720p',
			ratio: '16:9',
			duration: 5,
			generate_audio: true,
			error: null,
			service_tier: 'default',
			execution_expires_after: 172800,
			framespersecond: 24,
		});
		// The doc's example: 1280×720 × (24·5 + 1) / 1024
		expect(done.usage).toEqual({ completion_tokens: 108900, total_tokens: 108900 });
		expect(Number.isInteger(done.seed) && done.seed >= 0).toBe(true);
		const video = Buffer.from(await (await fetch(done.content.video_url)).arrayBuffer());
		expect(video.includes(Buffer.from('soun'))).toBe(true); // an audio track's handler
		const frame = await fetch(done.content.last_frame_url);
		expect(frame.headers.get('content-type')).toBe('image/png');
		const png = Buffer.from(await frame.arrayBuffer());
		expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 720]);
	});

	it('serves a silent video when generate_audio is false, and 403 once the URL expired', async () => {
		sim.configure({ videoUrlTtlMs: 300 });
		const created = await create(state.base, { generate_audio: false });
		const done = (await waitFor(state.base, created.json.id, 'succeeded')).json;
		const video = Buffer.from(await (await fetch(done.content.video_url)).arrayBuffer());
		expect(video.includes(Buffer.from('soun'))).toBe(false);
		expect(video.includes(Buffer.from('vide'))).toBe(true);
		expect(done.content.last_frame_url).toBeUndefined();
		await sleep(350);
		const expired = await fetch(done.content.video_url);
		expect(expired.status).toBe(403);
		expect(await expired.text()).toMatch(/<Code>AccessDenied<\/Code>.*expired/s);
	});

	it('serves each task its own last frame (the PNG names the task), as lastFrameBytes gives it', async () => {
		const ids: string[] = [];
		for (const prompt of ['one', 'two']) {
			const created = await create(state.base, {
				content: text(prompt),
				ratio: '16:9',
				return_last_frame: true,
			});
			ids.push(created.json.id);
		}
		const frames: Buffer[] = [];
		for (const id of ids) {
			const done = (await waitFor(state.base, id, 'succeeded')).json;
			const frame = Buffer.from(await (await fetch(done.content.last_frame_url)).arrayBuffer());
			expect([frame.readUInt32BE(16), frame.readUInt32BE(20)]).toEqual([1280, 720]);
			expect(frame.includes(Buffer.from(`last frame of ${id}`, 'latin1'))).toBe(true);
			expect(frame.equals(sim.lastFrameBytes(id)!)).toBe(true);
			frames.push(frame);
		}
		expect(frames[0].equals(frames[1])).toBe(false);
		expect(sim.lastFrameBytes('cgt-20260101000000-nope0')).toBeUndefined();
	});

	it("logs a create's data: URLs by role, media type, size and sha256 (the body keeps them short)", async () => {
		const first = pngDataUrl(640, 360);
		const last = pngDataUrl(800, 450);
		await create(state.base, {
			content: [
				...text('from one to the other'),
				{ type: 'image_url', image_url: { url: first }, role: 'first_frame' },
				{ type: 'image_url', image_url: { url: last }, role: 'last_frame' },
				{ type: 'image_url', image_url: { url: 'https://example.com/x.png' }, role: 'x' },
			],
		});
		const bytesOf = (url: string) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
		const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
		const [entry] = sim.creates();
		expect(entry.media).toEqual([
			{
				type: 'image_url',
				role: 'first_frame',
				mimeType: 'image/png',
				bytes: bytesOf(first).length,
				sha256: sha256(bytesOf(first)),
			},
			{
				type: 'image_url',
				role: 'last_frame',
				mimeType: 'image/png',
				bytes: bytesOf(last).length,
				sha256: sha256(bytesOf(last)),
			},
		]);
		expect(JSON.stringify(entry.body)).not.toContain(first.slice(30, 90));
	});

	it('picks the duration for -1 and the ratio of the first frame for adaptive', async () => {
		const created = await create(state.base, {
			duration: -1,
			content: [{ type: 'image_url', image_url: { url: pngDataUrl(512, 512) } }],
		});
		const done = (await waitFor(state.base, created.json.id, 'succeeded')).json;
		expect(done.duration).toBe(6);
		expect(done.ratio).toBe('1:1');
	});

	it('fails a task whose output is moderated, with no content or usage', async () => {
		const created = await create(state.base, { content: text('[sim:output-moderation] a cat') });
		const failed = (await waitFor(state.base, created.json.id, 'failed')).json;
		expect(failed.error.code).toBe('OutputVideoSensitiveContentDetected');
		expect(failed.content).toBeUndefined();
		expect(failed.usage).toBeUndefined();
	});

	it('expires a task past execution_expires_after (scaled), error null', async () => {
		sim.configure({ queueMs: 10_000, expiresAfterScaleMs: 0.05 });
		const created = await create(state.base, { execution_expires_after: 3600 });
		const expired = (await waitFor(state.base, created.json.id, 'expired')).json;
		expect(expired).toMatchObject({ status: 'expired', error: null });
	});

	it('answers 404 ResourceNotFound for an unknown task id', async () => {
		const answer = await call(state.base, 'GET', `${TASKS}/cgt-20990101000000-zzzzz`);
		expect(answer.status).toBe(404);
		expect(answer.json.error.code).toBe('ResourceNotFound');
	});

	it('reuses a succeeded draft: same seed and ratio, draft_task_id shown', async () => {
		const draft = await create(state.base, { draft: true, seed: 42, ratio: '9:16' });
		await waitFor(state.base, draft.json.id, 'succeeded');
		const final = await call(state.base, 'POST', TASKS, {
			model: T2V,
			content: [{ type: 'draft_task', draft_task: { id: draft.json.id } }],
			resolution: '720p',
		});
		const done = (await waitFor(state.base, final.json.id, 'succeeded')).json;
		expect(done).toMatchObject({
			seed: 42,
			ratio: '9:16',
			resolution: '720p',
			draft_task_id: draft.json.id,
			draft: false,
		});
	});
});

describe('Ark simulator: the size of the video', () => {
	const { sim, state } = useArk();
	const AUDIO = readFileSync(AUDIO_FIXTURE_PATH);
	const SILENT = readFileSync(FIXTURE_PATH);
	const videoUrl = async (body: Record<string, unknown> = {}) => {
		const created = await create(state.base, body);
		return (await waitFor(state.base, created.json.id, 'succeeded')).json.content
			.video_url as string;
	};

	it('streams a padded 5 MB video of the exact size: the fixture (with its sound), then a free box', async () => {
		sim.configure({ videoBytes: 5_000_000 });
		const response = await fetch(await videoUrl());
		expect(response.status).toBe(200);
		expect(response.headers.get('content-length')).toBe('5000000');
		expect(response.headers.get('accept-ranges')).toBe('bytes');
		const video = Buffer.from(await response.arrayBuffer());
		expect(video.length).toBe(5_000_000);
		expect(video.subarray(0, AUDIO.length).equals(AUDIO)).toBe(true);
		expect(video.readUInt32BE(AUDIO.length)).toBe(5_000_000 - AUDIO.length);
		expect(video.toString('latin1', AUDIO.length + 4, AUDIO.length + 8)).toBe('free');
		expect(
			video.subarray(AUDIO.length + 8).equals(Buffer.alloc(5_000_000 - AUDIO.length - 8)),
		).toBe(true);
		// A silent task pads its own fixture to the same size.
		const silent = Buffer.from(
			await (await fetch(await videoUrl({ generate_audio: false }))).arrayBuffer(),
		);
		expect(silent.length).toBe(5_000_000);
		expect(silent.subarray(0, SILENT.length).equals(SILENT)).toBe(true);
	});

	it('serves HEAD and byte ranges of a 5 GiB video (64-bit free box) without building it', async () => {
		const size = 5 * 1024 ** 3;
		sim.configure({ videoBytes: size });
		const url = await videoUrl();
		const head = await fetch(url, { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(head.headers.get('content-length')).toBe(String(size));
		const box = await fetch(url, {
			headers: { Range: `bytes=${AUDIO.length}-${AUDIO.length + 15}` },
		});
		expect(box.status).toBe(206);
		expect(box.headers.get('content-range')).toBe(
			`bytes ${AUDIO.length}-${AUDIO.length + 15}/${size}`,
		);
		const header = Buffer.from(await box.arrayBuffer());
		expect(header.equals(freeBoxHeader(size - AUDIO.length))).toBe(true);
		expect(header.readBigUInt64BE(8)).toBe(BigInt(size - AUDIO.length));
		const tail = await fetch(url, { headers: { Range: 'bytes=-100' } });
		expect(Buffer.from(await tail.arrayBuffer()).equals(Buffer.alloc(100))).toBe(true);
		const beyond = await fetch(url, { headers: { Range: `bytes=${size}-` } });
		expect(beyond.status).toBe(416);
		expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);
		expect(await beyond.text()).toContain('<Code>InvalidRange</Code>');
	});

	it('keeps the size a task succeeded with; the fixture itself by default', async () => {
		sim.configure({ videoBytes: 100_000 });
		const padded = await videoUrl();
		sim.configure({ videoBytes: null });
		const plain = await videoUrl();
		expect((await fetch(padded, { method: 'HEAD' })).headers.get('content-length')).toBe('100000');
		expect(Buffer.from(await (await fetch(plain)).arrayBuffer()).equals(AUDIO)).toBe(true);
	});

	it('refuses a size that cannot hold the larger fixture and a free box, before anything changes', () => {
		for (const bad of [SILENT.length, AUDIO.length, AUDIO.length + 7, 1.5e6 + 0.5, -1])
			expect(() => sim.configure({ videoBytes: bad })).toThrow(RangeError);
		expect(() => new ArkSimulator({ videoBytes: AUDIO.length })).toThrow(/at least/);
		expect(() => sim.configure({ videoBytes: AUDIO.length + 8 })).not.toThrow();
	});
});

describe('Ark simulator: list and delete', () => {
	const { sim, state } = useArk();

	it('lists newest first with paging, filters and the default service tier', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) {
			ids.push((await create(state.base, {})).json.id);
			await sleep(5);
		}
		const flex = (await create(state.base, { service_tier: 'flex' })).json.id;
		const page1 = await call(state.base, 'GET', `${TASKS}?page_num=1&page_size=2`);
		const page2 = await call(state.base, 'GET', `${TASKS}?page_num=2&page_size=2`);
		expect(page1.json.total).toBe(3);
		expect([...page1.json.items, ...page2.json.items].map((t: { id: string }) => t.id)).toEqual(
			[...ids].reverse(),
		);
		const flexOnly = await call(state.base, 'GET', `${TASKS}?filter.service_tier=flex`);
		expect(flexOnly.json.items.map((t: { id: string }) => t.id)).toEqual([flex]);
		const two = await call(
			state.base,
			'GET',
			`${TASKS}?filter.task_ids=${ids[0]}&filter.task_ids=${ids[2]}`,
		);
		expect(two.json.items.map((t: { id: string }) => t.id).sort()).toEqual([ids[0], ids[2]].sort());
		expect((await call(state.base, 'GET', `${TASKS}?filter.status=cancelled`)).json.total).toBe(0);
		expect((await call(state.base, 'GET', `${TASKS}?page_size=501`)).json.error.code).toBe(
			'InvalidParameter',
		);
	});

	it('DELETE cancels a queued task, refuses running and cancelled ones, deletes a finished one', async () => {
		// Phases long enough that each DELETE meets the status it is meant for, even on a busy machine.
		sim.configure({ queueMs: 1000, generateMs: 1500 });
		const queued = (await create(state.base, {})).json.id;
		expect((await call(state.base, 'DELETE', `${TASKS}/${queued}`)).json).toEqual({});
		expect((await call(state.base, 'GET', `${TASKS}/${queued}`)).json.status).toBe('cancelled');
		const again = await call(state.base, 'DELETE', `${TASKS}/${queued}`);
		expect([again.status, again.json.error.code]).toEqual([403, 'OperationDenied.InvalidState']);
		const other = (await create(state.base, {})).json.id;
		await waitFor(state.base, other, 'running');
		expect((await call(state.base, 'DELETE', `${TASKS}/${other}`)).status).toBe(403);
		await waitFor(state.base, other, 'succeeded');
		expect((await call(state.base, 'DELETE', `${TASKS}/${other}`)).status).toBe(200);
		expect((await call(state.base, 'GET', `${TASKS}/${other}`)).status).toBe(404);
	});
});

describe('Ark simulator: limits and callbacks', () => {
	const { sim, state } = useArk();
	let receiver: Server;
	let receiverUrl = '';
	let answerWith = 200;
	const received: Array<{ id: string; status: string }> = [];
	beforeAll(async () => {
		receiver = createServer((req, res) => {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				const task = JSON.parse(body) as { id: string; status: string };
				received.push({ id: task.id, status: task.status });
				res.writeHead(answerWith).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
	});
	afterAll(async () => await new Promise((resolve) => receiver.close(resolve)));

	it('runs at most `concurrency` tasks per account and model; the rest wait queued', async () => {
		sim.configure({ concurrency: 1, queueMs: 10, generateMs: 800 });
		const a = (await create(state.base, {})).json.id;
		const b = (await create(state.base, {})).json.id;
		await waitFor(state.base, a, 'running');
		await sleep(50);
		expect((await call(state.base, 'GET', `${TASKS}/${b}`)).json.status).toBe('queued');
		await waitFor(state.base, a, 'succeeded');
		expect((await waitFor(state.base, b, 'succeeded')).json.status).toBe('succeeded');
		expect(sim.maxRunningObserved()).toBe(1);
	});

	it('caps queued tasks with 429 QuotaExceeded naming the queue', async () => {
		sim.configure({ maxQueued: 1, queueMs: 5000 });
		expect((await create(state.base, {})).status).toBe(200);
		const refused = await create(state.base, {});
		expect(refused.status).toBe(429);
		expect(refused.json.error.code).toBe('QuotaExceeded');
		expect(refused.json.error.message).toMatch(/排队|queued/);
		expect(sim.createdTaskIds()).toHaveLength(1);
	});

	it('enforces requests per minute on creates with 429', async () => {
		sim.configure({ rpm: 1 });
		expect((await create(state.base, {})).status).toBe(200);
		const refused = await create(state.base, {});
		expect([refused.status, refused.json.error.code]).toEqual([
			429,
			'ModelAccountRpmRateLimitExceeded',
		]);
	});

	it('calls back on each status change; a failing receiver gets 1 + 3 attempts for succeeded', async () => {
		received.length = 0;
		answerWith = 500;
		sim.configure({ callbackRetryDelayMs: 10 });
		const id = (await create(state.base, { callback_url: receiverUrl })).json.id;
		await waitFor(state.base, id, 'succeeded');
		await sleep(200);
		const statuses = received.filter((r) => r.id === id).map((r) => r.status);
		expect(statuses.filter((s) => s === 'queued')).toHaveLength(1);
		expect(statuses.filter((s) => s === 'running')).toHaveLength(1);
		expect(statuses.filter((s) => s === 'succeeded')).toHaveLength(4);
		expect(sim.callbacksSent.filter((c) => c.status === 'succeeded').map((c) => c.attempt)).toEqual(
			[1, 2, 3, 4],
		);
		answerWith = 200;
	});
});

describe('Ark simulator: faults', () => {
	const { sim, state } = useArk();

	it('rateLimit: 429 in Ark envelope, nothing created', async () => {
		sim.configure({ faults: { rateLimit: 1 } });
		const answer = await create(state.base, {});
		expect(answer.status).toBe(429);
		expect(answer.json.error.code).toBe('ModelAccountRpmRateLimitExceeded');
		expect(sim.createdTaskIds()).toEqual([]);
	});

	it('gatewayPage: an HTML 502 instead of Ark', async () => {
		sim.configure({ faults: { gatewayPage: 1 } });
		const answer = await call(state.base, 'GET', TASKS);
		expect(answer.status).toBe(502);
		expect(answer.headers.get('content-type')).toBe('text/html');
	});

	it.each([
		['serverErrorAfterCreate', 500],
		['gatewayErrorAfterCreate', 504],
		['truncatedAfterCreate', 200],
	] as const)('%s: answers %i although the task was created', async (fault, status) => {
		sim.configure({ faults: { [fault]: 1 } });
		const answer = await create(state.base, {});
		expect(answer.status).toBe(status);
		expect(typeof answer.json === 'string' || answer.json.error).toBeTruthy();
		expect(sim.createdTaskIds()).toHaveLength(1);
		expect(sim.creates()[0]).toMatchObject({ taskCreated: true, fault });
	});

	it.each(['resetAfterCreate', 'invalidHttpAfterCreate'] as const)(
		'%s: no HTTP answer, the task exists',
		async (fault) => {
			sim.configure({ faults: { [fault]: 1 } });
			await expect(create(state.base, {})).rejects.toThrow();
			expect(sim.createdTaskIds()).toHaveLength(1);
			const listed = await call(state.base, 'GET', TASKS);
			expect(listed.json.items[0].id).toBe(sim.createdTaskIds()[0]);
		},
	);
});

describe('Ark simulator mounted on the Jimeng simulator', () => {
	it('serves Ark under /api/v3 on the same port and stops with it', async () => {
		const ark = new ArkSimulator({ queueMs: 0, generateMs: 0 });
		const jimeng = new JimengSimulator({ ark });
		const url = await jimeng.start();
		try {
			const created = await create(`${url}/api/v3`, {});
			expect(created.status).toBe(200);
			const done = await waitFor(`${url}/api/v3`, created.json.id, 'succeeded');
			expect(done.json.content.video_url.startsWith(url)).toBe(true);
			expect((await fetch(`${url}/_sim/state`)).status).toBe(200);
			expect(ark.createdTaskIds()).toEqual([created.json.id]);
		} finally {
			await jimeng.stop();
		}
	});
});
