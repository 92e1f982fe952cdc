/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The Volcengine Ark API credential's Test button, run the way n8n runs it (support/credentialTest.ts),
 * against the Ark simulator: a cheap authenticated list call, and Ark's reason when it refuses.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ArkSimulator, DEFAULT_ARK_API_KEY } from '../tooling/simulator';
import { arkCredential } from '../support/arkProbe';
import { runCredentialTest } from '../support/credentialTest';
import { createHarness } from '../support/harness';

const TYPE = 'volcengineArkApi';

describe('Volcengine Ark API credential test', () => {
	const sim = new ArkSimulator();
	let base = '';
	let htmlServer: Server;
	let htmlUrl = '';
	beforeAll(async () => {
		base = await sim.start();
		htmlServer = createServer((_req, res) =>
			res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>a proxy login page</html>'),
		);
		await new Promise<void>((resolve) => htmlServer.listen(0, '127.0.0.1', resolve));
		htmlUrl = `http://127.0.0.1:${(htmlServer.address() as AddressInfo).port}/api/v3`;
	});
	beforeEach(() => {
		sim.reset();
		sim.configure({ faults: {} });
	});
	afterAll(async () => {
		await sim.stop();
		await new Promise((resolve) => htmlServer.close(resolve));
	});

	const test = async (apiKey: string, baseUrl: string) => {
		const data = { apiKey, baseUrl };
		const harness = await createHarness([arkCredential(data)]);
		return await runCredentialTest(harness, TYPE, 'cred-ark', data);
	};

	it('passes with a good key, with one list call of one task', async () => {
		expect(await test(DEFAULT_ARK_API_KEY, base)).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(sim.requests).toHaveLength(1);
		expect(sim.requests[0]).toMatchObject({
			method: 'GET',
			call: 'list',
			authorized: true,
			httpStatus: 200,
		});
	});

	it("shows Ark's reason for a refused key, without the key", async () => {
		const result = await test('sk-not-a-real-key-0042', base);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Ark refused the test: AuthenticationError\. The Ark API key is missing, mistyped/,
		);
		expect(result.message).not.toContain('sk-not-a-real-key-0042');
	});

	it('says a throttled test may have a good key', async () => {
		sim.configure({ faults: { rateLimit: 1 } });
		const result = await test(DEFAULT_ARK_API_KEY, base);
		expect(result.message).toMatch(
			/^Ark refused the test: ModelAccountRpmRateLimitExceeded\. Too many requests/,
		);
		expect(result.message).toMatch(/The key may be fine/);
	});

	it('names the Base URL when the answer is not Ark (a wrong path, a proxy page)', async () => {
		for (const baseUrl of [base.replace(/\/api\/v3$/, '/api/v2'), htmlUrl]) {
			const result = await test(DEFAULT_ARK_API_KEY, baseUrl);
			expect(result).toEqual({
				status: 'Error',
				message: expect.stringMatching(/Base URL did not answer like Ark's task list/),
			});
		}
	});
});
