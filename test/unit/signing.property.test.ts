/* eslint-disable no-console -- test tooling, not shipped */
/**
 * Property test: requests signed by the credential (both request shapes n8n hands it) verify with
 * the official @volcengine/openapi signer, as the simulator's gateway runs it.
 */
import { createHash } from 'node:crypto';

import { VolcengineApi } from '../../credentials/VolcengineApi.credentials';
import { verifySignature, type ReceivedRequest } from '../tooling/simulator/gateway';
import { mulberry32 } from '../fixtures/random';

const random = mulberry32(20261126);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
const int = (max: number) => Math.floor(random() * max);

// Code points from several planes: ASCII with reserved characters, CJK, emoji (surrogate pairs), combining marks.
const ALPHABETS = [
	'abcXYZ019 -_.~!*\'()&=+/?#[]@$,;:%"<>\\^`{|}',
	'即梦视频生成千军万马的场景猫狗',
	'😀🎬🐕‍🦺🌊👩🏽‍💻🇨🇳',
	'éüñçåøß̧̀́',
	'\t\n\r ',
];

function randomText(maxLength: number): string {
	let text = '';
	const length = int(maxLength + 1);
	for (let i = 0; i < length; i++) {
		const alphabet = [...pick(ALPHABETS)];
		text += pick(alphabet);
	}
	return text;
}

function randomQuery(): Record<string, string> {
	const query: Record<string, string> = {};
	const count = int(4);
	for (let i = 0; i < count; i++) query[randomText(6) || 'k'] = randomText(10);
	return query;
}

const REGIONS = ['cn-north-1', 'cn-beijing', 'cn-shanghai', 'ap-southeast-1'];
const SERVICES = ['cv', 'ecs', 'iam', 'billing'];

function received(options: {
	method?: string;
	url?: string;
	uri?: string;
	headers?: Record<string, unknown>;
	body?: unknown;
}): ReceivedRequest {
	const target = new URL((options.url ?? options.uri) as string);
	// What goes on the wire: a string as UTF-8, a Buffer as its bytes.
	const bytes =
		typeof options.body === 'string'
			? Buffer.from(options.body, 'utf8')
			: Buffer.isBuffer(options.body)
				? options.body
				: Buffer.alloc(0);
	const body = bytes.length === 0 ? '' : '<body>';
	const headers: Record<string, string> = { host: target.host };
	for (const [name, value] of Object.entries(options.headers ?? {}))
		headers[name.toLowerCase()] = String(value);
	const query: Record<string, string | string[]> = {};
	for (const [key, value] of target.searchParams) {
		const existing = query[key];
		query[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
	}
	return {
		method: options.method ?? 'GET',
		path: target.pathname,
		query,
		headers,
		body,
		bodySha256: createHash('sha256').update(bytes).digest('hex'),
	};
}

describe('credential signatures verify with the official SDK signer', () => {
	const credential = new VolcengineApi();

	it('holds for 600 random requests in both request shapes', async () => {
		let verified = 0;
		const failures: string[] = [];
		for (let i = 0; i < 600; i++) {
			const region = pick(REGIONS);
			const service = pick(SERVICES);
			const sessionToken =
				random() < 0.3 ? `STS${randomText(20).replace(/\s/g, '')}token` : undefined;
			const account = {
				accessKeyId: `AKLT${int(1e9)}`,
				secretAccessKey: Buffer.from(randomText(24) || 'secret').toString('base64'),
				sessionToken,
			};
			const credentials = {
				...account,
				sessionToken: sessionToken ?? '',
				region,
				service,
				baseUrl: 'https://visual.volcengineapi.com',
			};
			const legacy = i % 2 === 1;
			const method = pick(['POST', 'GET', 'PUT']);
			const shape = random();
			const body =
				method === 'GET'
					? undefined
					: shape < 0.4
						? { prompt: randomText(80), seed: int(100), nested: { text: randomText(20) } }
						: shape < 0.8
							? randomText(120)
							: Buffer.from(Array.from({ length: int(2000) }, () => int(256))); // arbitrary bytes, mostly not UTF-8
			const query = randomQuery();
			const request = legacy
				? {
						method,
						uri: `https://open.volcengineapi.com/?Action=${encodeURIComponent(randomText(8) || 'A')}`,
						qs: query,
						body,
						json: true,
						headers: Buffer.isBuffer(body)
							? { 'content-type': 'application/octet-stream', 'content-length': body.length }
							: body && typeof body !== 'string'
								? {}
								: { 'Content-Type': 'text/plain' },
					}
				: {
						method,
						baseURL: 'https://visual.volcengineapi.com',
						url: '/?Version=2022-08-31',
						qs: query,
						body,
						headers: {},
					};
			const signed = (await credential.authenticate(
				credentials,
				request as never,
			)) as unknown as Parameters<typeof received>[0];
			const result = verifySignature(received(signed), {
				accounts: [account],
				region,
				service,
				timestampToleranceSec: 900,
				now: Date.now(),
			});
			if (result.ok) verified++;
			else
				failures.push(`#${i} ${legacy ? 'legacy' : 'helper'}: ${result.error} ${result.message}`);
		}
		// The count is part of the acceptance: show it.
		console.log(
			`signing property test: ${verified} of 600 random requests verified by the official SDK signer`,
		);
		expect(failures).toEqual([]);
		expect(verified).toBe(600);
	});
});
