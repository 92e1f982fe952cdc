/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any -- test tooling, not shipped */
/**
 * Bodies that are not plain JSON, signed by the credential and sent by n8n's own HTTP client
 * (`OutboundHttp` of @n8n/backend-network: `requestLegacy` is what the HTTP Request node's
 * "Predefined Credential Type" goes through, `request` what this package's nodes use), to the
 * simulator's gateway, which verifies the signature with the official SDK and answers the SHA-256
 * of the bytes it received (its echo action, a test aid).
 *
 * Shapes as n8n's HTTP Request node v4 builds them (n8n-nodes-base 2.41 HttpRequestV3.node.js):
 *  - "n8n Binary File", default binary mode: `body` = Buffer, `content-length` = its length;
 *  - "n8n Binary File", filesystem mode: `body` = the file's Readable stream (`getBinaryStream`),
 *    `content-length` = the stored file size;
 *  - "Form Urlencoded": `form` = { name: value | value[] } (repeated names become arrays);
 *  - "Raw": `body` = the text as typed, `content-type` = the chosen type, `json: false`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { Container } from '@n8n/di';

import { VolcengineApi } from '../../credentials/VolcengineApi.credentials';
import { stringifyForm, type FormArrayFormat } from '../../credentials/signing/formBody';
import { MAX_STREAM_BODY_BYTES, readStreamBody } from '../../credentials/signing/streamBody';
import { signRequest } from '../../credentials/signing/volcengineSigner';
import { ECHO_BODY_ACTION, JimengSimulator } from '../tooling/simulator';
import { verifySignature } from '../tooling/simulator/gateway';
import { createHarness, outputOf, useMemoryBinaryData } from '../support/harness';
import { jimengWorkflow, simulatorCredential } from '../support/workflows';
import { simulatorCredentialData } from '../support/simulatorCredential';

// n8n's HTTP client exactly as n8n-core 2.41.1 loads it (its own copy of @n8n/backend-network), and
// the qs that client serialises forms with: the oracle for "what n8n would send".
/* eslint-disable @typescript-eslint/no-require-imports */
const backendNetworkPath = require.resolve('@n8n/backend-network', {
	paths: [require.resolve('n8n-core')],
});
const { OutboundHttp } = require(backendNetworkPath) as typeof import('@n8n/backend-network');
const qs = require(require.resolve('qs', { paths: [backendNetworkPath] })) as {
	stringify(value: unknown, options?: { arrayFormat?: string }): string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Not valid UTF-8 anywhere: lone continuation bytes, 0xff/0xfe, a cut multi-byte sequence, NULs. */
function nonUtf8Bytes(size: number): Buffer {
	const bytes = Buffer.alloc(size);
	const head = [0xff, 0xfe, 0x80, 0x81, 0xc3, 0x28, 0xe2, 0x82, 0x00, 0xf0, 0x9f, 0x98];
	for (let i = 0; i < size; i++) bytes[i] = i < head.length ? head[i] : (i * 131 + 7) & 0xff;
	expect(Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)).toBe(false);
	return bytes;
}

interface Echo {
	status: number;
	code?: number;
	gatewayError?: string;
	sha256?: string;
	size?: number;
}

function readEcho(status: number, body: unknown): Echo {
	const json = (
		typeof body === 'string'
			? JSON.parse(body)
			: Buffer.isBuffer(body)
				? JSON.parse(body.toString('utf8'))
				: body
	) as Record<string, any>;
	return {
		status,
		code: json.code,
		gatewayError: json.ResponseMetadata?.Error?.Code,
		sha256: json.data?.sha256,
		size: json.data?.size,
	};
}

describe('credential: binary, stream, form and raw bodies arrive byte for byte, signature verified', () => {
	const sim = new JimengSimulator();
	const credential = new VolcengineApi();
	let credentials: Record<string, string>;
	let tmp: string;
	const client = () => Container.get(OutboundHttp).requests();
	const echoUrl = () => `${sim.url}/?Action=${ECHO_BODY_ACTION}&Version=2022-08-31`;

	beforeAll(async () => {
		await sim.start();
		tmp = mkdtempSync(join(tmpdir(), 'jimeng-cred-bodies-'));
		credentials = simulatorCredentialData(sim.url);
	});
	afterAll(async () => {
		await sim.stop();
		rmSync(tmp, { recursive: true, force: true });
	});

	/** authenticate() then n8n's legacy client, as the HTTP Request node does (full response, never throws on status). */
	async function sendLegacy(
		options: Record<string, unknown>,
		overrides: Record<string, string> = {},
	): Promise<Echo> {
		const signed = await credential.authenticate({ ...credentials, ...overrides }, {
			resolveWithFullResponse: true,
			simple: false,
			...options,
		} as never);
		const response = (await client().requestLegacy(signed as never)) as {
			statusCode: number;
			body: unknown;
		};
		return readEcho(response.statusCode, response.body);
	}

	/** The HTTP Request node's "n8n Binary File" body options for one body value. */
	const binaryFileOptions = (body: unknown, length: number) => ({
		method: 'POST',
		uri: echoUrl(),
		body,
		headers: { 'content-length': length, 'content-type': 'application/octet-stream' },
		json: false,
		encoding: null,
	});

	it('a Buffer that is not UTF-8 (default binary mode) is signed over its bytes and sent unchanged', async () => {
		const bytes = nonUtf8Bytes(40_000);
		const echo = await sendLegacy(binaryFileOptions(bytes, bytes.length));
		expect(echo).toMatchObject({
			status: 200,
			code: 10000,
			sha256: sha256(bytes),
			size: bytes.length,
		});
	});

	it('a file stream (filesystem binary mode) is read, signed over its bytes and sent unchanged', async () => {
		const bytes = nonUtf8Bytes(300_000);
		const file = join(tmp, 'upload.bin');
		writeFileSync(file, bytes);
		// n8n's FileSystemManager.getAsStream is a createReadStream of the stored file.
		const echo = await sendLegacy(
			binaryFileOptions(createReadStream(file, { highWaterMark: 16 * 1024 }), bytes.length),
		);
		expect(echo).toMatchObject({
			status: 200,
			code: 10000,
			sha256: sha256(bytes),
			size: bytes.length,
		});
	});

	it('the echo action (test aid) checks the signature like the real actions: a wrong secret is refused', async () => {
		const bytes = nonUtf8Bytes(100);
		const echo = await sendLegacy(binaryFileOptions(bytes, bytes.length), {
			secretAccessKey: 'd3Jvbmc=',
		});
		expect(echo).toMatchObject({ status: 401, gatewayError: 'SignatureDoesNotMatch' });
		expect(echo.sha256).toBeUndefined();
	});

	it('a stale content-length (any case) is dropped: the body is neither cut nor padded', async () => {
		const bytes = nonUtf8Bytes(1000);
		const signed = (await credential.authenticate(credentials, {
			...binaryFileOptions(bytes, 10),
			headers: { 'Content-Length': '10', 'content-type': 'application/octet-stream' },
		} as never)) as unknown as { headers: Record<string, string> };
		expect(Object.keys(signed.headers).map((k) => k.toLowerCase())).not.toContain('content-length');
		const echo = await sendLegacy({
			...binaryFileOptions(bytes, 10),
			headers: { 'Content-Length': '10', 'content-type': 'application/octet-stream' },
		});
		expect(echo).toMatchObject({ status: 200, sha256: sha256(bytes), size: 1000 });
	});

	it('a Buffer through the request helpers (this package’s nodes’ path) arrives unchanged too', async () => {
		const bytes = nonUtf8Bytes(5000);
		const signed = await credential.authenticate(credentials, {
			method: 'POST',
			url: `/?Action=${ECHO_BODY_ACTION}&Version=2022-08-31`,
			body: bytes,
			headers: { 'Content-Type': 'application/octet-stream' },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: true,
		} as never);
		const response = (await client().request(signed as never)) as {
			statusCode: number;
			body: unknown;
		};
		expect(readEcho(response.statusCode, response.body)).toMatchObject({
			status: 200,
			sha256: sha256(bytes),
			size: 5000,
		});
	});

	it(`a stream over the cap (${MAX_STREAM_BODY_BYTES / 1024 / 1024} MiB) is refused before anything is sent, naming the cap; the stream is closed`, async () => {
		const before = sim.requests.length;
		const chunk = Buffer.alloc(1024 * 1024, 0xff);
		let produced = 0;
		const stream = Readable.from(
			(function* () {
				for (let i = 0; i < 70; i++) {
					produced++;
					yield chunk;
				}
			})(),
		);
		await expect(sendLegacy(binaryFileOptions(stream, 70 * chunk.length))).rejects.toThrow(
			/up to 64 MiB \(67108864 bytes\); this body is larger \(more than 68157440 bytes read\)/,
		);
		expect(stream.destroyed).toBe(true);
		expect(produced).toBeLessThan(70);
		expect(sim.requests.length).toBe(before);
	});

	it('readStreamBody keeps every byte of chunked input and stops at the cap', async () => {
		const bytes = nonUtf8Bytes(10_000);
		const chunks = [
			bytes.subarray(0, 1),
			bytes.subarray(1, 4097),
			new Uint8Array(bytes.subarray(4097)),
		];
		expect((await readStreamBody(Readable.from(chunks))).equals(bytes)).toBe(true);
		await expect(readStreamBody(Readable.from(chunks), 4096)).rejects.toThrow(
			/up to 0 MiB \(4096 bytes\); this body is larger \(more than 4097 bytes read\)/,
		);
	});

	it('signature over a non-UTF-8 Buffer verifies with the official signer (the simulator’s gateway)', () => {
		const bytes = nonUtf8Bytes(256);
		const account = { accessKeyId: 'AKLTbin', secretAccessKey: 'c2VjcmV0' };
		const date = new Date();
		const signature = signRequest(
			{ ...account, region: 'cn-north-1', service: 'cv' },
			{
				method: 'POST',
				path: '/',
				query: { Action: 'X', Version: 'Y' },
				headers: { host: 'visual.volcengineapi.com' },
				body: bytes,
			},
			{ date },
		);
		expect(signature.payloadHash).toBe(sha256(bytes));
		const verdict = verifySignature(
			{
				method: 'POST',
				path: '/',
				query: { Action: 'X', Version: 'Y' },
				headers: {
					host: 'visual.volcengineapi.com',
					...Object.fromEntries(
						Object.entries(signature.headers).map(([k, v]) => [k.toLowerCase(), v]),
					),
				},
				body: '<binary>',
				bodySha256: sha256(bytes),
			},
			{
				accounts: [account],
				region: 'cn-north-1',
				service: 'cv',
				timestampToleranceSec: 900,
				now: date.getTime(),
			},
		);
		expect(verdict.ok).toBe(true);
	});

	describe('form bodies with repeated keys', () => {
		const form = {
			k: ['a', 'b'],
			name: 'x y',
			nested: { deep: ['1', '2'] },
			empty: [] as string[],
			nothing: null,
		};

		it.each(['indices', 'brackets', 'repeat', 'comma'] as FormArrayFormat[])(
			'arrayFormat %s: exactly what qs (n8n’s serialiser) writes',
			(format) => {
				expect(stringifyForm(form, format)).toBe(qs.stringify(form, { arrayFormat: format }));
			},
		);

		it('default (no qsStringifyOptions): what n8n’s client sends for `form`, signed and received', async () => {
			// What n8n 2.41's legacy client would send for this form unsigned: qs.stringify(form).
			const expected = qs.stringify({ k: ['a', 'b'] });
			expect(expected).toBe('k%5B0%5D=a&k%5B1%5D=b');
			const echo = await sendLegacy({
				method: 'POST',
				uri: echoUrl(),
				form: { k: ['a', 'b'] },
				json: true,
			});
			expect(echo).toMatchObject({ status: 200, code: 10000, sha256: sha256(expected) });
		});

		it.each([
			['repeat', 'k=a&k=b'],
			['brackets', 'k%5B%5D=a&k%5B%5D=b'],
			['comma', 'k=a%2Cb'],
		])('qsStringifyOptions.arrayFormat %s is respected: %s', async (arrayFormat, expected) => {
			const echo = await sendLegacy({
				method: 'POST',
				uri: echoUrl(),
				form: { k: ['a', 'b'] },
				qsStringifyOptions: { arrayFormat },
				json: true,
			});
			expect(echo).toMatchObject({ status: 200, code: 10000, sha256: sha256(expected) });
		});

		it('an unknown arrayFormat is refused before sending, naming it', async () => {
			await expect(
				sendLegacy({
					method: 'POST',
					uri: echoUrl(),
					form: { k: ['a'] },
					qsStringifyOptions: { arrayFormat: 'dots' },
				}),
			).rejects.toThrow(
				/qsStringifyOptions\.arrayFormat must be one of indices, brackets, repeat, comma; got "dots"/,
			);
		});
	});

	describe('raw string bodies are sent as the exact string', () => {
		it.each([
			['not JSON at all', 'hello, {not json'],
			['JSON with surrounding whitespace', '  {"a": 1}\n'],
			['a JSON string of a number', '42'],
		])('%s under content-type application/json', async (_label, text) => {
			const echo = await sendLegacy({
				method: 'POST',
				uri: echoUrl(),
				body: text,
				headers: { 'content-type': 'application/json' },
				json: false,
			});
			expect(echo).toMatchObject({
				status: 200,
				code: 10000,
				sha256: sha256(text),
				size: Buffer.byteLength(text),
			});
		});

		it('text with non-ASCII characters under text/plain', async () => {
			const text = '即梦 — naïve ✓';
			const echo = await sendLegacy({
				method: 'POST',
				uri: echoUrl(),
				body: text,
				headers: { 'content-type': 'text/plain; charset=utf-8' },
				json: false,
			});
			expect(echo).toMatchObject({ status: 200, sha256: sha256(text) });
		});
	});
});

/**
 * A reverse proxy in front of the simulator, configured like the README's nginx example:
 * `location /jimeng/ { proxy_pass <upstream>/; proxy_set_header Host visual.volcengineapi.com; }`
 * — the /jimeng prefix is stripped, the Host header becomes the upstream's, everything else passes.
 */
async function startProxy(
	upstream: string,
	prefix: string,
	upstreamHost: string,
): Promise<{ url: string; close(): Promise<void> }> {
	const target = new URL(upstream);
	const server: Server = createServer((req, res) => {
		const path = req.url ?? '/';
		if (!path.startsWith(`${prefix}/`)) {
			res.writeHead(404).end('no such location');
			return;
		}
		const headers = { ...req.headers, host: upstreamHost };
		const forward = httpRequest(
			{
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: path.slice(prefix.length),
				headers,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		forward.on('error', () => res.writeHead(502).end());
		req.pipe(forward);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

describe('credential behind a reverse proxy (Signing Host)', () => {
	const sim = new JimengSimulator();
	const credential = new VolcengineApi();
	let proxy: { url: string; close(): Promise<void> };
	let credentials: Record<string, string>;
	const getResult = { req_key: 'jimeng_ti2v_v30_pro', task_id: '1' };

	beforeAll(async () => {
		await sim.start();
		proxy = await startProxy(sim.url, '/jimeng', 'visual.volcengineapi.com');
		credentials = simulatorCredentialData(`${proxy.url}/jimeng`);
	});
	afterAll(async () => {
		await proxy.close();
		await sim.stop();
	});

	/** As this package's nodes send: a path under the Base URL, through n8n's request helper. */
	async function getResultVia(overrides: Record<string, string>) {
		const signed = await credential.authenticate({ ...credentials, ...overrides }, {
			method: 'POST',
			url: '/?Action=CVSync2AsyncGetResult&Version=2022-08-31',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(getResult),
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		} as never);
		const response = (await Container.get(OutboundHttp)
			.requests()
			.request(signed as never)) as { statusCode: number; body: any };
		return {
			status: response.statusCode,
			body: response.body,
			signed: signed as unknown as { url: string },
		};
	}

	it('without Signing Host the upstream refuses: SignatureDoesNotMatch', async () => {
		const answer = await getResultVia({});
		expect(answer.status).toBe(401);
		expect(answer.body.ResponseMetadata.Error.Code).toBe('SignatureDoesNotMatch');
	});

	it('with Signing Host the request is sent to the proxy and verified upstream', async () => {
		const answer = await getResultVia({ signingHost: 'visual.volcengineapi.com' });
		expect(answer.signed.url).toBe(
			`${proxy.url}/jimeng/?Action=CVSync2AsyncGetResult&Version=2022-08-31`,
		);
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ code: 10000, data: { status: 'not_found' } });
		const last = sim.requests[sim.requests.length - 1];
		expect(last).toMatchObject({ path: '/', gatewayError: null, httpStatus: 200 });
	});

	it('the HTTP Request node’s absolute URL to the proxy is signed for the upstream too', async () => {
		const signed = await credential.authenticate(
			{ ...credentials, signingHost: 'visual.volcengineapi.com' },
			{
				method: 'POST',
				uri: `${proxy.url}/jimeng/?Action=${ECHO_BODY_ACTION}&Version=2022-08-31`,
				body: Buffer.from([0xff, 0x00, 0xfe]),
				headers: { 'content-type': 'application/octet-stream', 'content-length': 3 },
				resolveWithFullResponse: true,
				simple: false,
			} as never,
		);
		const response = (await Container.get(OutboundHttp)
			.requests()
			.requestLegacy(signed as never)) as { statusCode: number; body: unknown };
		expect(readEcho(response.statusCode, response.body)).toMatchObject({
			status: 200,
			sha256: sha256(Buffer.from([0xff, 0x00, 0xfe])),
		});
	});

	it('a Signing Host that is not a host is refused before sending, naming the field, rule and value', async () => {
		for (const bad of [
			'https://visual.volcengineapi.com',
			'visual.volcengineapi.com/jimeng',
			'a b',
			'host:99999',
		]) {
			await expect(getResultVia({ signingHost: bad })).rejects.toThrow(
				new RegExp(
					`"Signing Host" must be a host name, optionally with a port.*got ${JSON.stringify(bad).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`,
				),
			);
		}
		await expect(getResultVia({ signingHost: ' visual.volcengineapi.com' })).rejects.toThrow(
			/"Signing Host" starts or ends with whitespace/,
		);
	});
});

describe('the node’s SignatureDoesNotMatch error names the proxy possibility when the Base URL is not Volcengine’s host', () => {
	const sim = new JimengSimulator();
	let proxy: { url: string; close(): Promise<void> };

	beforeAll(async () => {
		await sim.start();
		proxy = await startProxy(sim.url, '/jimeng', 'visual.volcengineapi.com');
		useMemoryBinaryData();
	});
	afterAll(async () => {
		await proxy.close();
		await sim.stop();
	});

	const getResultError = async (overrides: Record<string, string>) => {
		const harness = await createHarness([simulatorCredential(sim, overrides)]);
		const run = await harness.run(
			jimengWorkflow({ operation: 'getResult', taskId: '1' }, { continueOnFail: true }),
		);
		return String(outputOf(run, 'Jimeng Video')[0].json.error);
	};

	it('behind a proxy without Signing Host: the error says to set it', async () => {
		const error = await getResultError({ baseUrl: `${proxy.url}/jimeng` });
		expect(error).toMatch(/SignatureDoesNotMatch/);
		expect(error).toContain(
			`The Base URL (${new URL(proxy.url).host}) is not Volcengine's own host: if it is a reverse proxy, set "Signing Host"`,
		);
	});

	it('with Signing Host set and still refused: the error lists what the proxy must do', async () => {
		// A proxy that does not rewrite Host: the upstream sees the proxy's host, not the Signing Host.
		const error = await getResultError({
			baseUrl: sim.url,
			signingHost: 'visual.volcengineapi.com',
		});
		expect(error).toMatch(/SignatureDoesNotMatch/);
		expect(error).toContain(
			'signed for Signing Host visual.volcengineapi.com: check that the proxy forwards to visual.volcengineapi.com, sends "Host: visual.volcengineapi.com"',
		);
	});

	it('through the proxy with Signing Host: Submit creates the task', async () => {
		const harness = await createHarness([
			simulatorCredential(sim, {
				baseUrl: `${proxy.url}/jimeng`,
				signingHost: 'visual.volcengineapi.com',
			}),
		]);
		const run = await harness.run(
			jimengWorkflow({
				operation: 'submit',
				prompt: 'A lighthouse, submitted through a reverse proxy',
			}),
		);
		const taskId = outputOf(run, 'Jimeng Video')[0].json.task_id;
		expect(sim.createdTaskIds()).toEqual([taskId]);
		expect(sim.submits().map((e) => [e.path, e.gatewayError, e.httpStatus])).toEqual([
			['/', null, 200],
		]);
	});
});
