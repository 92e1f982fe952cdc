/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
// Tests of the simulator itself. Requests are signed with the OFFICIAL Volcengine SDK signer and sent with
// undici exactly as signed, so these tests check the simulator against the vendor's own signing code.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

import Signer from '@volcengine/openapi/lib/base/sign';
import { request } from 'undici';

import {
	DEFAULT_SIMULATOR_ACCOUNT,
	FIXTURE_PATH,
	freeBoxHeader,
	goDuration,
	JimengSimulator,
	redactBase64,
	type SimulatorAccount,
	type SimulatorOptions,
} from './index';
import { readImageInfo } from './images';
import { sleep } from '../../support/time';
import { b64 } from '../../support/bytes';

const SUBMIT = 'CVSync2AsyncSubmitTask';
const GET_RESULT = 'CVSync2AsyncGetResult';
const FIXTURE = readFileSync(FIXTURE_PATH);
const TWO_63 = 2n ** 63n;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

// ---- test images -----------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(data: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}
/** A real (black, greyscale) PNG of the given size. */
function png(width: number, height: number): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth; colour type 0 (grey), compression, filter, interlace all 0
	const raw = Buffer.alloc((width + 1) * height);
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}
/** JPEG headers up to the scan: APP0, a comment hiding a fake SOF marker, DQT, then the real SOF. */
function jpeg(width: number, height: number, sof = 0xc0): Buffer {
	const segment = (marker: number, data: Buffer) => {
		const head = Buffer.from([0xff, marker, 0, 0]);
		head.writeUInt16BE(data.length + 2, 2);
		return Buffer.concat([head, data]);
	};
	const frame = Buffer.alloc(15);
	frame[0] = 8;
	frame.writeUInt16BE(height, 1);
	frame.writeUInt16BE(width, 3);
	frame[5] = 3;
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
		segment(0xfe, Buffer.from([0x66, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10])),
		segment(0xdb, Buffer.alloc(65)),
		segment(sof, frame),
		segment(0xda, Buffer.alloc(10)),
		Buffer.from([0x12, 0x34, 0xff, 0xd9]),
	]);
}
const PNG_16_9 = b64(png(640, 360));
const PNG_16_9_BIG = b64(png(1280, 720));
const PNG_1_1 = b64(png(512, 512));
const JPEG_4_3 = b64(jpeg(800, 600, 0xc2));

// ---- signed client -------------------------------------------------------------------------------

interface SendOptions {
	/** null: no Version parameter. */
	version?: string | null;
	account?: SimulatorAccount;
	date?: Date;
	/** A different X-Content-Sha256 to sign (a stale hash). */
	signedBodySha256?: string;
	/** Sign exactly these header names (Go/Python SDK style) instead of the Node SDK's default. */
	signHeaders?: string[];
	/** Headers present before signing. */
	headers?: Record<string, string>;
	/** Edits after signing. */
	mutate?: (headers: Record<string, string>) => void;
	/** Send this instead of the signed body. */
	sendBody?: string;
}

interface ApiAnswer {
	status: number;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	headers: Record<string, string | string[] | undefined>;
}

async function api(
	base: string,
	action: string | null,
	body: unknown,
	options: SendOptions = {},
): Promise<ApiAnswer> {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const params: Record<string, string> = {};
	if (action !== null) params.Action = action;
	const version = options.version === undefined ? '2022-08-31' : options.version;
	if (version !== null) params.Version = version;
	const account = options.account ?? DEFAULT_SIMULATOR_ACCOUNT;
	const signer = new Signer(
		{
			method: 'POST',
			region: 'cn-north-1',
			pathname: '/',
			params,
			headers: { 'Content-Type': 'application/json', ...options.headers },
			body: text,
		},
		'cv',
		// crypto-js is slow on megabytes: give the SDK a precomputed hash for big bodies.
		{
			bodySha256: options.signedBodySha256 ?? (text.length > 1_000_000 ? sha256(text) : undefined),
		},
	);
	if (options.signHeaders) {
		const names = new Set(options.signHeaders);
		signer.isSignableHeader = (name: string) => names.has(name);
	}
	signer.addAuthorization(
		{
			accessKeyId: account.accessKeyId,
			secretKey: account.secretAccessKey,
			sessionToken: account.sessionToken,
		},
		options.date ?? new Date(),
	);
	const headers = { ...(signer.request.headers as Record<string, string>) };
	options.mutate?.(headers);
	const query = new URLSearchParams(params).toString();
	const res = await request(`${base}/${query ? `?${query}` : ''}`, {
		method: 'POST',
		headers,
		body: options.sendBody ?? text,
	});
	const answer = await res.body.text();
	return { status: res.statusCode, json: JSON.parse(answer), headers: res.headers };
}

const submit = (sim: JimengSimulator, body: unknown, options?: SendOptions) =>
	api(sim.url, SUBMIT, body, options);
const getResult = (sim: JimengSimulator, body: unknown, options?: SendOptions) =>
	api(sim.url, GET_RESULT, body, options);
const t2v = (prompt = 'a cat surfing a wave at sunset') => ({ req_key: 'jimeng_t2v_v30', prompt });

async function download(
	url: string,
	headers: Record<string, string> = {},
	method: 'GET' | 'HEAD' = 'GET',
) {
	const res = await request(url, { method, headers });
	const body = Buffer.from(await res.body.arrayBuffer());
	return { status: res.statusCode, headers: res.headers, body };
}

async function submitOk(sim: JimengSimulator, body: unknown = t2v()): Promise<string> {
	const res = await submit(sim, body);
	expect(res.json.code).toBe(10000);
	return res.json.data.task_id as string;
}

/** Polls Get Result until `done` (or a failure code), returning the last answer. */
async function untilDone(
	sim: JimengSimulator,
	taskId: string,
	reqKey = 'jimeng_t2v_v30',
	extra: object = {},
): Promise<ApiAnswer> {
	for (;;) {
		const res = await getResult(sim, { req_key: reqKey, task_id: taskId, ...extra });
		if (res.json.code !== 10000 || !['in_queue', 'generating'].includes(res.json.data.status))
			return res;
		await sleep(20);
	}
}

function expectBusinessError(
	res: ApiAnswer,
	code: number,
	http: number,
	message?: string | RegExp,
): void {
	expect({
		status: res.status,
		code: res.json.code,
		statusField: res.json.status,
		data: res.json.data,
	}).toEqual({
		status: http,
		code,
		statusField: code,
		data: null,
	});
	if (message) expect(res.json.message).toMatch(message);
}

function expectGatewayError(res: ApiAnswer, code: string, codeN: number, http: number): void {
	expect(res.status).toBe(http);
	expect(res.json.ResponseMetadata).toMatchObject({
		Service: 'cv',
		Region: 'cn-north-1',
		Error: { Code: code, CodeN: codeN },
	});
	expect(res.json.ResponseMetadata.RequestId).toMatch(/^\d{14}[0-9A-F]{20}$/);
}

// ---- simulator per test --------------------------------------------------------------------------

let sim: JimengSimulator;
const started: JimengSimulator[] = [];
async function startSim(options: SimulatorOptions = {}): Promise<JimengSimulator> {
	const s = new JimengSimulator({ queueMs: 50, generateMs: 50, ...options });
	started.push(s);
	await s.start();
	return s;
}
afterEach(async () => {
	await Promise.all(started.splice(0).map((s) => s.stop()));
});

describe('envelope and ids', () => {
	beforeEach(async () => {
		sim = await startSim();
	});

	it('answers a text-to-video submit with a 19-20 digit string task id in the vendor envelope', async () => {
		const utc8Stamp = () =>
			new Date(Date.now() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
		const before = utc8Stamp();
		const res = await submit(sim, t2v());
		const after = utc8Stamp();
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toMatch(/^application\/json/);
		expect(Object.keys(res.json).sort()).toEqual([
			'code',
			'data',
			'message',
			'request_id',
			'status',
			'time_elapsed',
		]);
		expect(res.json).toMatchObject({ code: 10000, status: 10000, message: 'Success' });
		expect(typeof res.json.data.task_id).toBe('string');
		expect(res.json.data.task_id).toMatch(/^\d{19,20}$/);
		expect(res.json.request_id).toMatch(/^\d{14}[0-9A-F]{20}$/);
		// starts with the UTC+8 time of the answer
		const stamp: string = res.json.request_id.slice(0, 14);
		expect(stamp >= before && stamp <= after).toBe(true);
		expect(res.json.time_elapsed).toMatch(/^\d+(\.\d+)?(ns|µs|ms|s)$/);
		expect(sim.createdTaskIds()).toEqual([res.json.data.task_id]);
	});

	it('issues unique ids, about half above 2^63', async () => {
		const s = await startSim({ seed: 7 });
		const ids: string[] = [];
		for (let i = 0; i < 120; i++) ids.push(await submitOk(s));
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(id).toMatch(/^\d{19,20}$/);
		const above = ids.filter((id) => BigInt(id) >= TWO_63).length;
		expect(above).toBeGreaterThan(30);
		expect(above).toBeLessThan(90);
		// The point: Number() cannot represent them.
		expect(ids.some((id) => String(Number(id)) !== id)).toBe(true);
	});

	it('formats durations like Go', () => {
		expect(goDuration(104_852_309n)).toBe('104.852309ms');
		expect(goDuration(100_511n)).toBe('100.511µs');
		expect(goDuration(342_100_000n)).toBe('342.1ms');
		expect(goDuration(1_500_000_000n)).toBe('1.5s');
		expect(goDuration(123_400_000_000n)).toBe('2m3.4s');
		expect(goDuration(999n)).toBe('999ns');
	});
});

describe('lifecycle and download', () => {
	it('goes in_queue → generating → done and serves the fixture byte for byte', async () => {
		sim = await startSim({ queueMs: 100, generateMs: 200 });
		const id = await submitOk(sim);
		const createdAt = sim.task(id)!.createdAt;
		const body = { req_key: 'jimeng_t2v_v30', task_id: id };

		const queued = await getResult(sim, body);
		expect(queued.status).toBe(200);
		expect(queued.json.data).toEqual({
			aigc_meta_tagged: false,
			binary_data_base64: [],
			image_urls: null,
			status: 'in_queue',
			video_url: '',
		});

		await sleep(createdAt + 170 - Date.now());
		const generating = await getResult(sim, body);
		expect(generating.json.data.status).toBe('generating');
		expect(sim.task(id)!.state).toBe('generating');

		await sleep(createdAt + 320 - Date.now());
		const done = await getResult(sim, body);
		expect(done.json.code).toBe(10000);
		expect(done.json.data).toMatchObject({
			status: 'done',
			aigc_meta_tagged: false,
			binary_data_base64: [],
			image_urls: null,
		});
		const url: string = done.json.data.video_url;
		expect(url.startsWith(`${sim.url}/video/${id}.mp4?x-expires=`)).toBe(true);

		const video = await download(url);
		expect(video.status).toBe(200);
		expect(video.headers['content-type']).toBe('video/mp4');
		expect(Number(video.headers['content-length'])).toBe(FIXTURE.length);
		expect(video.body.equals(FIXTURE)).toBe(true);

		// Each Get Result signs a new URL with a later expiry.
		await sleep(5);
		const again = await getResult(sim, body);
		expect(again.json.data.video_url).not.toBe(url);
		const expiry = (u: string) => Number(new URL(u).searchParams.get('x-expires'));
		expect(expiry(again.json.data.video_url)).toBeGreaterThan(expiry(url));

		const head = await download(url, {}, 'HEAD');
		expect(head.status).toBe(200);
		expect(Number(head.headers['content-length'])).toBe(FIXTURE.length);
		expect(sim.downloads().map((d) => [d.method, d.httpStatus, d.taskId])).toEqual([
			['GET', 200, id],
			['HEAD', 200, id],
		]);
		expect(sim.task(id)).toMatchObject({
			state: 'done',
			downloads: 1,
			videoUrl: again.json.data.video_url,
		});
	});

	it('streams a padded 5 MB video of the exact size that starts with the fixture', async () => {
		sim = await startSim({ queueMs: 0, generateMs: 0, videoBytes: 5_000_000 });
		const done = await untilDone(sim, await submitOk(sim));
		const res = await request(done.json.data.video_url as string);
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-length']).toBe('5000000');
		let size = 0;
		const head: Buffer[] = [];
		for await (const chunk of res.body) {
			const buf = chunk as Buffer;
			if (size < FIXTURE.length + 8) head.push(buf);
			size += buf.length;
		}
		expect(size).toBe(5_000_000);
		const start = Buffer.concat(head);
		expect(start.subarray(0, 8).toString('latin1', 4)).toBe('ftyp');
		expect(start.subarray(0, FIXTURE.length).equals(FIXTURE)).toBe(true);
		// then one 'free' box covering the rest of the file
		expect(start.readUInt32BE(FIXTURE.length)).toBe(5_000_000 - FIXTURE.length);
		expect(start.toString('latin1', FIXTURE.length + 4, FIXTURE.length + 8)).toBe('free');
	});

	it('serves ranges of a 5 GiB video (64-bit free box) without building it', async () => {
		const size = 5 * 1024 ** 3;
		sim = await startSim({ queueMs: 0, generateMs: 0, videoBytes: size });
		const url = (await untilDone(sim, await submitOk(sim))).json.data.video_url as string;
		const box = await download(url, { Range: `bytes=${FIXTURE.length}-${FIXTURE.length + 15}` });
		expect(box.status).toBe(206);
		expect(box.headers['content-range']).toBe(
			`bytes ${FIXTURE.length}-${FIXTURE.length + 15}/${size}`,
		);
		expect(box.body.equals(freeBoxHeader(size - FIXTURE.length))).toBe(true);
		expect(box.body.readUInt32BE(0)).toBe(1);
		expect(box.body.readBigUInt64BE(8)).toBe(BigInt(size - FIXTURE.length));
		const tail = await download(url, { Range: 'bytes=-100' });
		expect(tail.body.equals(Buffer.alloc(100))).toBe(true);
		const head = await download(url, {}, 'HEAD');
		expect(head.headers['content-length']).toBe(String(size));
		expect((await download(url, { Range: `bytes=${size}-` })).status).toBe(416);
	});

	it('rejects video sizes that cannot hold a free box', () => {
		expect(() => new JimengSimulator({ videoBytes: FIXTURE.length + 7 })).toThrow(RangeError);
		expect(() => new JimengSimulator({ videoBytes: FIXTURE.length - 1 })).toThrow(RangeError);
		expect(() => new JimengSimulator({ videoBytes: FIXTURE.length })).not.toThrow();
	});

	it('answers 403 for an expired or forged video URL', async () => {
		sim = await startSim({ queueMs: 0, generateMs: 0, videoUrlTtlMs: 60 });
		const url = (await untilDone(sim, await submitOk(sim))).json.data.video_url as string;
		const forged = url.replace(
			/x-signature=([0-9a-f])/,
			(_m, c: string) => `x-signature=${c === '0' ? '1' : '0'}`,
		);
		const bad = await download(forged);
		expect(bad.status).toBe(403);
		expect(bad.body.toString()).toContain('<Code>AccessDenied</Code>');
		await sleep(80);
		const expired = await download(url);
		expect(expired.status).toBe(403);
		expect(expired.headers['content-type']).toBe('application/xml');
		expect(expired.body.toString()).toContain(
			'<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
		);
		expect(sim.downloads().map((d) => d.httpStatus)).toEqual([403, 403]);
	});

	it('answers not_found, expired, and tasks past retention', async () => {
		sim = await startSim({ queueMs: 0, generateMs: 0, taskRetentionMs: 150 });
		const notFound = await getResult(sim, {
			req_key: 'jimeng_t2v_v30',
			task_id: '9300000000000000001',
		});
		expect(notFound.status).toBe(200);
		expect(notFound.json).toMatchObject({
			code: 10000,
			data: { status: 'not_found', video_url: '' },
		});

		const id = await submitOk(sim);
		// another model's req_key does not find it
		const otherModel = await getResult(sim, { req_key: 'jimeng_ti2v_v30_pro', task_id: id });
		expect(otherModel.json.data.status).toBe('not_found');

		sim.expireTask(id);
		const expired = await getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: id });
		expect(expired.json).toMatchObject({ code: 10000, data: { status: 'expired', video_url: '' } });

		const old = await submitOk(sim);
		await sleep(170);
		expect(
			(await getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: old })).json.data.status,
		).toBe('not_found');
	});

	it('validates Get Result bodies and tags AIGC metadata', async () => {
		sim = await startSim({ queueMs: 0, generateMs: 0 });
		const id = await submitOk(sim);
		const meta = {
			content_producer: 'n8n',
			producer_id: 'p-1',
			content_propagator: 'n8n',
			propagate_id: 'x-1',
		};
		const tagged = await untilDone(sim, id, 'jimeng_t2v_v30', {
			req_json: JSON.stringify({ aigc_meta: meta }),
		});
		expect(tagged.json.data).toMatchObject({ status: 'done', aigc_meta_tagged: true });

		expectBusinessError(await getResult(sim, { req_key: 'jimeng_t2v_v30' }), 50201, 400, /task_id/);
		expectBusinessError(
			await getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: Number(id) }),
			50200,
			400,
			/string/,
		);
		expectBusinessError(
			await getResult(sim, {
				req_key: 'jimeng_t2v_v30',
				task_id: id,
				req_json: { aigc_meta: meta },
			}),
			50200,
			400,
			/req_json/,
		);
		const long = JSON.stringify({ aigc_meta: { ...meta, producer_id: 'p'.repeat(257) } });
		expectBusinessError(
			await getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: id, req_json: long }),
			50200,
			400,
			/256/,
		);
		expectBusinessError(await getResult(sim, { task_id: id }), 50201, 400, /req_key/);
	});
});

describe('gateway signature checks', () => {
	beforeEach(async () => {
		sim = await startSim();
	});

	it('accepts the SDK default (x-content-sha256;x-date) and Go-style signed headers', async () => {
		expect((await submit(sim, t2v())).status).toBe(200);
		const host = new URL(sim.url).host;
		const goStyle = await submit(sim, t2v(), {
			headers: { Host: host },
			signHeaders: ['content-type', 'host', 'x-content-sha256', 'x-date'],
		});
		expect(goStyle.status).toBe(200);
		// a client that changes a signed header after signing (appending a charset) is refused
		const rewritten = await submit(sim, t2v(), {
			headers: { Host: host },
			signHeaders: ['content-type', 'host', 'x-content-sha256', 'x-date'],
			mutate: (h) => (h['Content-Type'] = 'application/json; charset=utf-8'),
		});
		expectGatewayError(rewritten, 'SignatureDoesNotMatch', 100010, 401);
	});

	it('refuses a wrong secret, a tampered body and a stale X-Content-Sha256', async () => {
		const wrongSecret = await submit(sim, t2v(), {
			account: { ...DEFAULT_SIMULATOR_ACCOUNT, secretAccessKey: 'not-the-secret' },
		});
		expectGatewayError(wrongSecret, 'SignatureDoesNotMatch', 100010, 401);
		expect(wrongSecret.json.ResponseMetadata).toMatchObject({
			Action: SUBMIT,
			Version: '2022-08-31',
		});
		expect(wrongSecret.json.ResponseMetadata.Error.Message).toMatch(
			/^The request signature we calculated does not match the signature you provided/,
		);

		const tampered = await submit(sim, t2v('a dog'), { sendBody: JSON.stringify(t2v('a cat')) });
		expectGatewayError(tampered, 'SignatureDoesNotMatch', 100010, 401);

		const stale = await submit(sim, t2v(), { signedBodySha256: sha256('{}') });
		expectGatewayError(stale, 'SignatureDoesNotMatch', 100010, 401);

		const wrongScope = await submit(sim, t2v(), {
			mutate: (h) =>
				(h.Authorization = h.Authorization.replace('/cn-north-1/cv/', '/cn-beijing/cv/')),
		});
		expectGatewayError(wrongScope, 'SignatureDoesNotMatch', 100010, 401);

		const missingSigned = await submit(sim, t2v(), {
			signHeaders: ['x-content-sha256', 'x-date', 'x-custom'],
			headers: { 'X-Custom': 'yes' },
			mutate: (h) => delete h['X-Custom'],
		});
		expectGatewayError(missingSigned, 'SignatureDoesNotMatch', 100010, 401);
		expect(sim.createdTaskIds()).toEqual([]);
		expect(sim.submits().map((s) => s.gatewayError)).toEqual(
			Array(5).fill('SignatureDoesNotMatch'),
		);
	});

	it('allows 899 s of clock skew and refuses 901 s in either direction', async () => {
		const at = (offsetSec: number) => ({ date: new Date(Date.now() + offsetSec * 1000) });
		expect((await submit(sim, t2v(), at(-899))).status).toBe(200);
		expect((await submit(sim, t2v(), at(899))).status).toBe(200);
		const old = await submit(sim, t2v(), at(-901));
		expectGatewayError(old, 'InvalidTimestamp', 100006, 400);
		expect(old.json.ResponseMetadata.Error.Message).toMatch(/90[12] s behind/);
		expectGatewayError(await submit(sim, t2v(), at(901)), 'InvalidTimestamp', 100006, 400);
	});

	it('answers missing or malformed authentication in the gateway order', async () => {
		const noAuth = await submit(sim, t2v(), { mutate: (h) => delete h.Authorization });
		expectGatewayError(noAuth, 'MissingAuthenticationToken', 100003, 401);
		const malformed = await submit(sim, t2v(), {
			mutate: (h) => (h.Authorization = h.Authorization.replace(/, Signature=.*$/, '')),
		});
		expectGatewayError(malformed, 'MissingSignature', 100005, 401);
		const noDate = await submit(sim, t2v(), { mutate: (h) => delete h['X-Date'] });
		expectGatewayError(noDate, 'MissingRequestInfo', 100004, 400);
		const unknownKey = await submit(sim, t2v(), {
			account: { accessKeyId: 'AKLTnobody', secretAccessKey: 'x' },
		});
		expectGatewayError(unknownKey, 'InvalidAccessKey', 100009, 401);
	});

	it('requires the session token of an STS account', async () => {
		const sts: SimulatorAccount = {
			accessKeyId: 'AKTPsts0001',
			secretAccessKey: 'sts-secret',
			sessionToken: 'STS.token.value',
		};
		const s = await startSim({ accounts: [DEFAULT_SIMULATOR_ACCOUNT, sts] });
		const ok = await submit(s, t2v(), { account: sts });
		expect(ok.status).toBe(200);
		expect(s.task(ok.json.data.task_id)!.accessKeyId).toBe('AKTPsts0001');
		const missing = await submit(s, t2v(), { account: { ...sts, sessionToken: undefined } });
		expectGatewayError(missing, 'MissingAuthenticationToken', 100003, 401);
		const wrong = await submit(s, t2v(), { account: { ...sts, sessionToken: 'STS.other' } });
		expectGatewayError(wrong, 'MissingAuthenticationToken', 100003, 401);
		// tasks are private to their account
		const other = await getResult(s, { req_key: 'jimeng_t2v_v30', task_id: ok.json.data.task_id });
		expect(other.json.data.status).toBe('not_found');
	});

	it('routes by Action and Version after checking the signature', async () => {
		expectGatewayError(await api(sim.url, null, t2v()), 'MissingParameter', 100002, 400);
		expectGatewayError(
			await api(sim.url, 'CVProcess', t2v()),
			'InvalidActionOrVersion',
			100008,
			404,
		);
		expectGatewayError(
			await submit(sim, t2v(), { version: '2020-08-26' }),
			'InvalidActionOrVersion',
			100008,
			404,
		);
		// an unsigned request for an unknown action is an authentication error first
		const unsigned = await request(`${sim.url}/?Action=Nope&Version=2022-08-31`, {
			method: 'POST',
			body: '{}',
		});
		expect(unsigned.statusCode).toBe(401);
		const refusal = (await unsigned.body.json()) as {
			ResponseMetadata: { Error: { Code: string } };
		};
		expect(refusal.ResponseMetadata.Error.Code).toBe('MissingAuthenticationToken');
		for (const [method, path] of [
			['GET', '/'],
			['GET', '/nope'],
			['POST', '/api'],
		] as const) {
			const res = await request(`${sim.url}${path}`, { method });
			expect(res.statusCode).toBe(404);
			const json = (await res.body.json()) as { ResponseMetadata: { Error: { Code: string } } };
			expect(json.ResponseMetadata.Error.Code).toBe('InvalidActionOrVersion');
		}
	});
});

describe('submit validation by model', () => {
	// One simulator for the whole block (not in `started`, so the per-test afterEach leaves it running).
	beforeAll(async () => {
		sim = new JimengSimulator();
		await sim.start();
	});
	afterAll(async () => {
		await sim.stop();
	});

	const ok = async (body: object) => {
		const res = await submit(sim, body);
		expect({ status: res.status, code: res.json.code, message: res.json.message }).toEqual({
			status: 200,
			code: 10000,
			message: 'Success',
		});
		return res;
	};
	const bad = async (body: object, code: number, message: RegExp) =>
		expectBusinessError(await submit(sim, body), code, 400, message);

	it('jimeng_ti2v_v30_pro: text or one first frame', async () => {
		const key = 'jimeng_ti2v_v30_pro';
		await ok({ req_key: key, prompt: '千军万马', seed: -1, frames: 121, aspect_ratio: '16:9' });
		await ok({ req_key: key, image_urls: ['https://example.com/a.png'] });
		await ok({ req_key: key, binary_data_base64: [PNG_16_9], prompt: 'waves', frames: 241 });
		await ok({ req_key: key, prompt: '😀'.repeat(800) }); // 800 code points, 1600 UTF-16 units
		await bad({ req_key: key }, 50201, /prompt/);
		await bad({ req_key: key, prompt: '字'.repeat(801) }, 50200, /801 characters/);
		await bad(
			{ req_key: key, image_urls: ['https://a/1.png'], binary_data_base64: [PNG_16_9] },
			50200,
			/mutually exclusive/,
		);
		await bad({ req_key: key, image_urls: ['https://a/1.png', 'https://a/2.png'] }, 50200, /got 2/);
		await bad({ req_key: key, prompt: 'x', frames: 120 }, 50200, /frames/);
		await bad({ req_key: key, prompt: 'x', frames: '121' }, 50200, /frames must be an integer/);
		await bad({ req_key: key, prompt: 'x', frames: 121.5 }, 50200, /frames/);
		await bad({ req_key: key, prompt: 'x', aspect_ratio: '2:1' }, 50200, /aspect_ratio/);
		await bad({ req_key: key, prompt: 'x', seed: 'random' }, 50200, /seed/);
	});

	it('jimeng_t2v_v30 and jimeng_t2v_v30_1080p: text only', async () => {
		await ok({
			req_key: 'jimeng_t2v_v30',
			prompt: 'x',
			aspect_ratio: '21:9',
			frames: 241,
			seed: 42,
		});
		await ok({ req_key: 'jimeng_t2v_v30_1080p', prompt: 'x', aspect_ratio: '9:16' });
		await bad(
			{ req_key: 'jimeng_t2v_v30', prompt: 'x', image_urls: ['https://a/1.png'] },
			50200,
			/takes no image/,
		);
		await bad({ req_key: 'jimeng_t2v_v30_1080p', prompt: '' }, 50201, /prompt is required/);
		await bad(
			{ req_key: 'jimeng_t2v_v30_1080p', prompt: 'x', seed: 1.5 },
			50200,
			/seed must be an integer/,
		);
	});

	it('jimeng_i2v_first_v30 / _1080: exactly one image, aspect_ratio ignored', async () => {
		await ok({
			req_key: 'jimeng_i2v_first_v30',
			binary_data_base64: [PNG_16_9],
			aspect_ratio: 'ignored',
		});
		await ok({
			req_key: 'jimeng_i2v_first_v30_1080',
			binary_data_base64: [JPEG_4_3],
			prompt: 'slow pan',
		});
		await bad({ req_key: 'jimeng_i2v_first_v30', prompt: 'no image' }, 50201, /needs 1 image/);
		await bad(
			{ req_key: 'jimeng_i2v_first_v30_1080', binary_data_base64: [b64(png(640, 200))] },
			50200,
			/short side/,
		);
		await bad(
			{ req_key: 'jimeng_i2v_first_v30', binary_data_base64: [PNG_16_9], frames: 60 },
			50200,
			/frames/,
		);
	});

	it('jimeng_i2v_first_tail_v30 / _1080: two images of the same ratio from one source', async () => {
		await ok({
			req_key: 'jimeng_i2v_first_tail_v30',
			binary_data_base64: [PNG_16_9, PNG_16_9_BIG],
		});
		await ok({
			req_key: 'jimeng_i2v_first_tail_v30_1080',
			image_urls: ['https://a/first.png', 'http://a/last.jpg'],
		});
		await bad(
			{ req_key: 'jimeng_i2v_first_tail_v30', binary_data_base64: [PNG_16_9, PNG_1_1] },
			50200,
			/same aspect ratio/,
		);
		await bad(
			{ req_key: 'jimeng_i2v_first_tail_v30', binary_data_base64: [PNG_16_9] },
			50200,
			/takes 2 image/,
		);
		await bad(
			{
				req_key: 'jimeng_i2v_first_tail_v30_1080',
				binary_data_base64: [PNG_16_9],
				image_urls: ['https://a/last.png'],
			},
			50200,
			/mutually exclusive/,
		);
	});

	it('jimeng_i2v_recamera_v30: one image and a camera template', async () => {
		const key = 'jimeng_i2v_recamera_v30';
		await ok({
			req_key: key,
			binary_data_base64: [PNG_16_9],
			template_id: 'hitchcock_dolly_in',
			camera_strength: 'strong',
		});
		await ok({ req_key: key, image_urls: ['https://a/1.png'], template_id: 'rapid_push_pull' });
		await bad({ req_key: key, image_urls: ['https://a/1.png'] }, 50201, /template_id/);
		await bad(
			{ req_key: key, image_urls: ['https://a/1.png'], template_id: 'zoom' },
			50200,
			/template_id/,
		);
		await bad(
			{
				req_key: key,
				image_urls: ['https://a/1.png'],
				template_id: 'handheld',
				camera_strength: 'max',
			},
			50200,
			/camera_strength/,
		);
	});

	it('checks images: base64, emptiness, size, format, dimensions, URL scheme', async () => {
		const key = 'jimeng_i2v_first_v30';
		await bad({ req_key: key, binary_data_base64: ['not base64!'] }, 50207, /base64/);
		await bad(
			{ req_key: key, binary_data_base64: [`data:image/png;base64,${PNG_16_9}`] },
			50207,
			/base64/,
		);
		await bad({ req_key: key, binary_data_base64: [''] }, 50206, /empty/);
		await bad(
			{ req_key: key, binary_data_base64: [b64(Buffer.from('GIF89a-not-supported'))] },
			50207,
			/PNG or JPEG/,
		);
		await bad(
			{ req_key: key, binary_data_base64: [b64(jpeg(800, 600, 0xc3))] },
			50207,
			/frame header/,
		);
		await bad({ req_key: key, binary_data_base64: [b64(png(4097, 400))] }, 50200, /at most 4096/);
		await bad({ req_key: key, binary_data_base64: [b64(png(1000, 330))] }, 50200, /3 times/);
		const big = Buffer.concat([png(640, 360), Buffer.alloc(Math.floor(4.7 * 1024 * 1024))]);
		await bad({ req_key: key, binary_data_base64: [b64(big)] }, 50205, /4\.7 MB/);
		await bad({ req_key: key, image_urls: ['ftp://example.com/a.png'] }, 50200, /http or https/);
	});

	it('checks the body itself', async () => {
		expectBusinessError(await submit(sim, 'not json'), 50204, 400);
		expectBusinessError(await submit(sim, '[1,2]'), 50204, 400);
		await bad({ req_key: 'jimeng_v40' }, 50200, /req_key/);
		await bad({ prompt: 'x' }, 50201, /req_key/);
		const huge = JSON.stringify({ ...t2v(), pad: 'a'.repeat(10 * 1024 * 1024) });
		expectBusinessError(await submit(sim, huge), 50213, 400, /10 MiB/);
		expect(sim.submits().at(-1)!.body).toBe(`<body too large ${huge.length} bytes>`);
	});

	it('logs base64 images as placeholders', async () => {
		await ok({ req_key: 'jimeng_i2v_first_v30', binary_data_base64: [PNG_16_9] });
		const entry = sim.submits().at(-1)!;
		expect(entry.body).toEqual({
			req_key: 'jimeng_i2v_first_v30',
			binary_data_base64: [`<base64 ${PNG_16_9.length} chars>`],
		});
		expect(sim.task(entry.taskId!)!.body).toEqual(entry.body);
		expect(redactBase64({ nested: { blob: 'A'.repeat(2000) }, prompt: 'short' })).toEqual({
			nested: { blob: '<base64 2000 chars>' },
			prompt: 'short',
		});
	});
});

describe('image header reading', () => {
	it('reads PNG and baseline/progressive JPEG sizes, skipping other segments', () => {
		expect(readImageInfo(png(640, 360))).toEqual({
			ok: true,
			format: 'png',
			width: 640,
			height: 360,
		});
		expect(readImageInfo(jpeg(800, 600))).toEqual({
			ok: true,
			format: 'jpeg',
			width: 800,
			height: 600,
		});
		expect(readImageInfo(jpeg(1024, 768, 0xc2))).toEqual({
			ok: true,
			format: 'jpeg',
			width: 1024,
			height: 768,
		});
		expect(readImageInfo(jpeg(800, 600, 0xc1))).toMatchObject({ ok: true, width: 800 });
		expect(readImageInfo(jpeg(800, 600).subarray(0, 30)).ok).toBe(false);
		expect(readImageInfo(png(640, 360).subarray(0, 20)).ok).toBe(false);
	});
});

describe('limits', () => {
	it('answers 50430 beyond the concurrency limit, then accepts once a task finished', async () => {
		sim = await startSim({ queueMs: 100, generateMs: 100, concurrency: 1 });
		const first = await submitOk(sim);
		const refused = await submit(sim, t2v());
		expectBusinessError(
			refused,
			50430,
			429,
			'Request Has Reached API Concurrent Limit, Please Try Later',
		);
		expect(sim.createdTaskIds()).toEqual([first]);
		await sleep(sim.task(first)!.doneAt - Date.now() + 10);
		await submitOk(sim);
		expect(sim.maxConcurrentObserved()).toBe(1);
		expect(sim.maxConcurrentObserved(DEFAULT_SIMULATOR_ACCOUNT.accessKeyId)).toBe(1);
		expect(sim.submits().map((s) => [s.httpStatus, s.code, s.taskCreated])).toEqual([
			[200, 10000, true],
			[429, 50430, false],
			[200, 10000, true],
		]);
	});

	it('counts concurrency without a limit', async () => {
		sim = await startSim({ queueMs: 300, generateMs: 300 });
		await Promise.all([submitOk(sim), submitOk(sim), submitOk(sim)]);
		expect(sim.maxConcurrentObserved()).toBe(3);
	});

	it('answers 50429 beyond the QPS limit across both actions, in a rolling second', async () => {
		sim = await startSim({ qps: 2 });
		const id = await submitOk(sim);
		expect((await getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: id })).status).toBe(200);
		const refused = await getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: id });
		expectBusinessError(refused, 50429, 429, 'Request Has Reached API Limit, Please Try Later');
		expectBusinessError(await submit(sim, t2v()), 50429, 429);
		await sleep(1010);
		expect((await submit(sim, t2v())).status).toBe(200);
	});
});

describe('faults and markers', () => {
	it.each([
		['rate50429', 50429, 429, 'Request Has Reached API Limit, Please Try Later'],
		['rate50500', 50500, 500, 'Internal Error'],
		['rate50501', 50501, 500, 'Internal RPC Error'],
	] as const)('%s answers %i on both actions', async (fault, code, http, message) => {
		sim = await startSim({ faults: { [fault]: 1 } });
		expectBusinessError(await submit(sim, t2v()), code, http, message);
		expectBusinessError(
			await getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: '1' }),
			code,
			http,
			message,
		);
		expect(sim.createdTaskIds()).toEqual([]);
		expect(sim.requests.map((r) => r.fault)).toEqual([fault, fault]);
	});

	it('resetBeforeCreate drops the connection and creates nothing', async () => {
		sim = await startSim({ faults: { resetBeforeCreate: 1 } });
		await expect(submit(sim, t2v())).rejects.toThrow();
		await expect(getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: '1' })).rejects.toThrow();
		expect(sim.createdTaskIds()).toEqual([]);
		expect(sim.requests.map((r) => [r.action, r.httpStatus, r.fault, r.taskCreated])).toEqual([
			[SUBMIT, null, 'resetBeforeCreate', false],
			[GET_RESULT, null, 'resetBeforeCreate', false],
		]);
	});

	it('resetAfterCreate creates the task, then drops the connection', async () => {
		sim = await startSim({ faults: { resetAfterCreate: 1 } });
		await expect(submit(sim, t2v())).rejects.toThrow();
		expect(sim.createdTaskIds()).toHaveLength(1);
		const entry = sim.submits()[0];
		expect(entry).toMatchObject({
			httpStatus: null,
			fault: 'resetAfterCreate',
			taskCreated: true,
			taskId: sim.createdTaskIds()[0],
		});
		sim.configure({ faults: {} });
		// The task exists and completes: a client that resubmits would pay twice.
		expect((await untilDone(sim, entry.taskId!)).json.data.status).toBe('done');
	});

	it('failRate and [sim:fail=] end tasks failed: the code is answered at query time once done', async () => {
		sim = await startSim({ queueMs: 60, generateMs: 60, faults: { failRate: 1 } });
		const id = await submitOk(sim);
		expect(
			(await getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: id })).json.data.status,
		).toBe('in_queue');
		expectBusinessError(await untilDone(sim, id), 50516, 400, 'Post Video Risk Not Pass');
		expect(sim.task(id)).toMatchObject({ state: 'failed', failCode: 50516 });

		sim.configure({ faults: { failRate: 1, failCode: 50500 } });
		expectBusinessError(await untilDone(sim, await submitOk(sim)), 50500, 500, 'Internal Error');

		sim.configure({ faults: {} });
		const marked = await submitOk(sim, t2v('a cat [sim:fail=50413]'));
		expectBusinessError(await untilDone(sim, marked), 50413, 400, 'Post Text Risk Not Pass');
	});

	it('[sim:code=] answers a code without a task, [sim:ms=] sets the duration', async () => {
		sim = await startSim({ queueMs: 1000, generateMs: 3000 });
		expectBusinessError(
			await submit(sim, t2v('[sim:code=50412] x')),
			50412,
			400,
			'Text Risk Not Pass',
		);
		expectBusinessError(await submit(sim, t2v('[sim:code=50501]')), 50501, 500);
		expect(sim.createdTaskIds()).toEqual([]);
		const quick = await submitOk(sim, t2v('quick [sim:ms=80]'));
		expect(sim.task(quick)).toMatchObject({ queueMs: 20, generateMs: 60 });
		expect((await untilDone(sim, quick)).json.data.status).toBe('done');
	});

	it('expireFirstDownload answers 403 once per task; truncateDownload cuts the body', async () => {
		sim = await startSim({ queueMs: 0, generateMs: 0, faults: { expireFirstDownload: 1 } });
		const url = (await untilDone(sim, await submitOk(sim))).json.data.video_url as string;
		const first = await download(url);
		expect(first.status).toBe(403);
		expect(first.body.toString()).toContain('Request has expired');
		expect((await download(url)).body.equals(FIXTURE)).toBe(true);

		sim.configure({ faults: { truncateDownload: 1 } });
		const res = await request(url);
		expect(res.headers['content-length']).toBe(String(FIXTURE.length));
		await expect(res.body.arrayBuffer()).rejects.toThrow();
		expect(sim.downloads().map((d) => [d.httpStatus, d.fault])).toEqual([
			[403, 'expireFirstDownload'],
			[200, null],
			[200, 'truncateDownload'],
		]);
	});

	it('latencyMs delays every API answer', async () => {
		sim = await startSim({ faults: { latencyMs: 150 } });
		const t0 = Date.now();
		await submitOk(sim);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(145);
		const t1 = Date.now();
		await submit(sim, t2v(), {
			account: { ...DEFAULT_SIMULATOR_ACCOUNT, secretAccessKey: 'wrong' },
		});
		expect(Date.now() - t1).toBeGreaterThanOrEqual(145);
	});

	it('is deterministic under a seed', async () => {
		const run = async (seed: number) => {
			const s = await startSim({
				seed,
				queueMs: 0,
				generateMs: 0,
				faults: { rate50500: 0.3, resetBeforeCreate: 0.2, failRate: 0.5 },
			});
			const outcomes: string[] = [];
			for (let i = 0; i < 25; i++) {
				try {
					const res = await submit(s, t2v());
					outcomes.push(
						res.json.code === 10000 ? `task ${res.json.data.task_id}` : `code ${res.json.code}`,
					);
				} catch {
					outcomes.push('reset');
				}
			}
			const failed = s.createdTaskIds().map((id) => s.task(id)!.failCode ?? 0);
			await s.stop();
			return { outcomes, failed, faults: s.requests.map((r) => r.fault) };
		};
		const a = await run(1234);
		const b = await run(1234);
		const c = await run(4321);
		expect(b).toEqual(a);
		expect(c.outcomes).not.toEqual(a.outcomes);
		// every kind of decision actually happened
		expect(a.outcomes.some((o) => o === 'reset')).toBe(true);
		expect(a.outcomes.some((o) => o === 'code 50500')).toBe(true);
		expect(new Set(a.failed).size).toBe(2);
	});
});

describe('admin endpoints and the log', () => {
	it('expose log, state, config, expire and reset over HTTP without secrets', async () => {
		sim = await startSim({ queueMs: 0, generateMs: 0 });
		const id = await submitOk(sim);
		await submit(sim, t2v(), {
			account: { ...DEFAULT_SIMULATOR_ACCOUNT, secretAccessKey: 'wrong' },
		});

		const logRes = await request(`${sim.url}/_sim/log`);
		const logText = await logRes.body.text();
		const log = JSON.parse(logText) as Array<{
			action: string;
			gatewayError: string | null;
			taskId: string | null;
		}>;
		expect(log.map((e) => [e.action, e.gatewayError, e.taskId])).toEqual([
			[SUBMIT, null, id],
			[SUBMIT, 'SignatureDoesNotMatch', null],
		]);
		for (const secret of [
			DEFAULT_SIMULATOR_ACCOUNT.secretAccessKey,
			'Signature=',
			'HMAC-SHA256',
			'wrong',
		]) {
			expect(logText).not.toContain(secret);
		}

		const stateRes = await request(`${sim.url}/_sim/state`);
		const stateText = await stateRes.body.text();
		expect(stateText).not.toContain(DEFAULT_SIMULATOR_ACCOUNT.secretAccessKey);
		const state = JSON.parse(stateText);
		expect(state.counts).toMatchObject({ submits: 2, created: 1, maxConcurrency: 0 });
		expect(state.tasks).toEqual([
			expect.objectContaining({ id, state: 'done', reqKey: 'jimeng_t2v_v30' }),
		]);

		const config = await request(`${sim.url}/_sim/config`, {
			method: 'POST',
			body: JSON.stringify({ faults: { rate50500: 1 } }),
		});
		expect(config.statusCode).toBe(200);
		await config.body.dump();
		expectBusinessError(await submit(sim, t2v()), 50500, 500);
		const badConfig = await request(`${sim.url}/_sim/config`, {
			method: 'POST',
			body: JSON.stringify({ faults: { rate50500: 2 } }),
		});
		expect(badConfig.statusCode).toBe(400);
		expect(((await badConfig.body.json()) as { error: string }).error).toMatch(/probability/);
		const typo = await request(`${sim.url}/_sim/config`, {
			method: 'POST',
			body: JSON.stringify({ queueMS: 5 }),
		});
		expect(typo.statusCode).toBe(400);
		await typo.body.dump();
		sim.configure({ faults: {} });

		const expire = await request(`${sim.url}/_sim/expire/${id}`, { method: 'POST' });
		expect(expire.statusCode).toBe(200);
		await expire.body.dump();
		expect(
			(await getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: id })).json.data.status,
		).toBe('expired');
		const unknown = await request(`${sim.url}/_sim/expire/123`, { method: 'POST' });
		expect(unknown.statusCode).toBe(404);
		await unknown.body.dump();

		const reset = await request(`${sim.url}/_sim/reset`, { method: 'POST' });
		expect(reset.statusCode).toBe(200);
		await reset.body.dump();
		expect(sim.requests).toEqual([]);
		expect(sim.createdTaskIds()).toEqual([]);
		expect(
			(await getResult(sim, { req_key: 'jimeng_t2v_v30', task_id: id })).json.data.status,
		).toBe('not_found');
	});

	it('writes one log line per request through the log option', async () => {
		const lines: string[] = [];
		sim = await startSim({ log: (line) => lines.push(line) });
		await submitOk(sim);
		await submit(sim, t2v(), {
			account: { ...DEFAULT_SIMULATOR_ACCOUNT, secretAccessKey: 'wrong' },
		});
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(
			/^#1 POST \/ CVSync2AsyncSubmitTask 200 code=10000 ak=AKLTsimulatorAccessKey0001 req_key=jimeng_t2v_v30 task=\d+ \(created\)/,
		);
		expect(lines[1]).toMatch(/401 SignatureDoesNotMatch/);
		expect(lines.join('\n')).not.toContain(DEFAULT_SIMULATOR_ACCOUNT.secretAccessKey);
	});
});
