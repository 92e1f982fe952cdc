/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @typescript-eslint/no-explicit-any -- test tooling, not shipped */
/**
 * The credential's `authenticate` against the simulator's gateway (official SDK verification):
 * both request shapes n8n hands it are accepted; wrong keys, tampering and stale dates are refused
 * with the gateway's error and HTTP status.
 */
import { request } from 'undici';

import { VolcengineApi } from '../../credentials/VolcengineApi.credentials';
import { applySignature, normalizeRequest } from '../../credentials/signing/requestShapes';
import { signRequest } from '../../credentials/signing/volcengineSigner';
import { JimengSimulator } from '../tooling/simulator';
import { simulatorCredentialData } from '../support/simulatorCredential';

interface SignedRequest {
	method?: string;
	url?: string;
	uri?: string;
	headers?: Record<string, string>;
	body?: string;
}

async function send(signed: SignedRequest) {
	const response = await request((signed.url ?? signed.uri) as string, {
		method: (signed.method ?? 'GET') as 'POST',
		headers: signed.headers,
		body: signed.body,
	});
	return { status: response.statusCode, body: (await response.body.json()) as Record<string, any> };
}

describe('volcengineApi credential against the gateway', () => {
	const sim = new JimengSimulator();
	const credential = new VolcengineApi();
	let credentials: Record<string, string>;
	const getResultBody = { req_key: 'jimeng_ti2v_v30_pro', task_id: '1' };

	beforeAll(async () => {
		await sim.start();
		credentials = simulatorCredentialData(sim.url);
	});
	afterAll(async () => await sim.stop());

	const sign = async (options: Record<string, unknown>, overrides: Record<string, string> = {}) =>
		(await credential.authenticate(
			{ ...credentials, ...overrides },
			options as never,
		)) as unknown as SignedRequest;

	it('signs the request helpers’ shape (baseURL + url + qs, object body)', async () => {
		const signed = await sign({
			method: 'POST',
			url: '/',
			qs: { Action: 'CVSync2AsyncGetResult', Version: '2022-08-31' },
			body: getResultBody,
		});
		expect(signed.url).toBe(`${sim.url}/?Action=CVSync2AsyncGetResult&Version=2022-08-31`);
		expect(signed.headers?.Authorization).toMatch(
			/^HMAC-SHA256 Credential=AKLT\w+\/\d{8}\/cn-north-1\/cv\/request, SignedHeaders=host;x-content-sha256;x-date, Signature=[0-9a-f]{64}$/,
		);
		const answer = await send(signed);
		expect(answer).toMatchObject({
			status: 200,
			body: { code: 10000, data: { status: 'not_found' } },
		});
	});

	it('signs the HTTP Request node’s legacy shape (uri + qs + json body)', async () => {
		const signed = await sign({
			method: 'POST',
			uri: `${sim.url}/?Action=CVSync2AsyncGetResult`,
			qs: { Version: '2022-08-31' },
			body: getResultBody,
			json: true,
			headers: { 'Content-Type': 'application/json' },
		});
		expect(signed.uri).toBe(`${sim.url}/?Action=CVSync2AsyncGetResult&Version=2022-08-31`);
		expect((signed as Record<string, unknown>).qs).toBeUndefined();
		expect(typeof signed.body).toBe('string');
		expect((await send(signed)).status).toBe(200);
	});

	it('adds and signs X-Security-Token for STS keys', async () => {
		const sts = new JimengSimulator({
			accounts: [{ accessKeyId: 'AKLTsts', secretAccessKey: 'c3Rz', sessionToken: 'token-123' }],
		});
		await sts.start();
		try {
			const signed = await sign(
				{
					method: 'POST',
					url: '/?Action=CVSync2AsyncGetResult&Version=2022-08-31',
					body: getResultBody,
				},
				{
					accessKeyId: 'AKLTsts',
					secretAccessKey: 'c3Rz',
					sessionToken: 'token-123',
					baseUrl: sts.url,
				},
			);
			expect(signed.headers?.['X-Security-Token']).toBe('token-123');
			expect(signed.headers?.Authorization).toContain(
				'SignedHeaders=host;x-content-sha256;x-date;x-security-token',
			);
			expect((await send(signed)).status).toBe(200);
		} finally {
			await sts.stop();
		}
	});

	it('a wrong secret is refused: 401 SignatureDoesNotMatch', async () => {
		const signed = await sign(
			{
				method: 'POST',
				url: '/?Action=CVSync2AsyncGetResult&Version=2022-08-31',
				body: getResultBody,
			},
			{ secretAccessKey: 'wrong-secret' },
		);
		const answer = await send(signed);
		expect(answer.status).toBe(401);
		expect(answer.body.ResponseMetadata.Error).toMatchObject({
			Code: 'SignatureDoesNotMatch',
			CodeN: 100010,
		});
	});

	it('a tampered body is refused: 401 SignatureDoesNotMatch', async () => {
		const signed = await sign({
			method: 'POST',
			url: '/?Action=CVSync2AsyncGetResult&Version=2022-08-31',
			body: getResultBody,
		});
		const answer = await send({ ...signed, body: signed.body!.replace('"1"', '"2"') });
		expect(answer.status).toBe(401);
		expect(answer.body.ResponseMetadata.Error.Code).toBe('SignatureDoesNotMatch');
	});

	it('an X-Date 901 s old is refused: 400 InvalidTimestamp (895 s is accepted)', async () => {
		const signedAt = async (ageSeconds: number) => {
			const normalized = normalizeRequest({
				method: 'POST',
				url: `${sim.url}/?Action=CVSync2AsyncGetResult&Version=2022-08-31`,
				body: getResultBody,
			});
			const signature = signRequest(
				{
					accessKeyId: credentials.accessKeyId,
					secretAccessKey: credentials.secretAccessKey,
					region: 'cn-north-1',
					service: 'cv',
				},
				normalized.signable,
				{ date: new Date(Date.now() - ageSeconds * 1000) },
			);
			return applySignature(
				{ method: 'POST', url: `${sim.url}/` },
				normalized,
				signature.canonicalQuery,
				signature.headers,
			) as SignedRequest;
		};
		const stale = await send(await signedAt(901));
		expect(stale.status).toBe(400);
		expect(stale.body.ResponseMetadata.Error).toMatchObject({
			Code: 'InvalidTimestamp',
			CodeN: 100006,
		});
		// X-Date has whole seconds and the request takes time to arrive: the accepted side keeps 5 s of slack
		// (899 s failed once on a loaded CI machine); the refused side needs none, delays only add age.
		expect((await send(await signedAt(895))).status).toBe(200);
	});

	it('refuses a Base URL that is not http(s), or that carries a user name and password', async () => {
		await expect(sign({ url: '/' }, { baseUrl: 'ftp://visual.volcengineapi.com' })).rejects.toThrow(
			/only http and https are supported\. Check the Base URL/,
		);
		await expect(sign({ url: '/' }, { baseUrl: 'file:///etc' })).rejects.toThrow(
			/Check the Base URL/,
		);
		await expect(
			sign({ url: '/' }, { baseUrl: 'https://user:pw@visual.volcengineapi.com' }),
		).rejects.toThrow(/remove it from the Base URL/);
	});

	it('refuses empty or space-padded fields before signing, without echoing secrets', async () => {
		await expect(sign({ url: '/' }, { accessKeyId: '' })).rejects.toThrow(
			'"Access Key ID" is empty',
		);
		await expect(sign({ url: '/' }, { secretAccessKey: 'abc ' })).rejects.toThrow(
			/"Secret Access Key" starts or ends with whitespace/,
		);
		await expect(sign({ url: '/' }, { secretAccessKey: 'abc ' })).rejects.not.toThrow(/abc/);
		await expect(sign({ url: '/' }, { sessionToken: '\ntok' })).rejects.toThrow(
			/"Session Token" starts or ends with whitespace/,
		);
	});
});
