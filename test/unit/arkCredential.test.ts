/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The Volcengine Ark API credential: its fields, the Bearer header and Base URL its `authenticate`
 * adds (in both request shapes n8n uses), keys it refuses before sending, and its registration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IHttpRequestOptions } from 'n8n-workflow';

import { VolcengineArkApi } from '../../credentials/VolcengineArkApi.credentials';

const REPO = join(__dirname, '..', '..');
const credential = new VolcengineArkApi();
const KEY = 'ark-0123456789abcdef';

describe('Volcengine Ark API credential', () => {
	it('has the contract fields: apiKey (required password) and baseUrl (Ark by default)', () => {
		expect(credential.name).toBe('volcengineArkApi');
		expect(credential.displayName).toBe('Volcengine Ark API');
		const [apiKey, baseUrl] = credential.properties;
		expect(apiKey).toMatchObject({
			name: 'apiKey',
			required: true,
			typeOptions: { password: true },
		});
		expect(baseUrl).toMatchObject({
			name: 'baseUrl',
			default: 'https://ark.cn-beijing.volces.com/api/v3',
		});
	});

	it('adds the Bearer key, and the Base URL to a path-only request', async () => {
		const signed = await credential.authenticate(
			{ apiKey: KEY, baseUrl: 'http://127.0.0.1:9/api/v3/' },
			{
				url: '/contents/generations/tasks',
				method: 'GET',
				headers: { Accept: 'application/json' },
			},
		);
		expect(signed).toMatchObject({
			baseURL: 'http://127.0.0.1:9/api/v3',
			url: '/contents/generations/tasks',
			headers: { Accept: 'application/json', Authorization: `Bearer ${KEY}` },
		});
	});

	it("keeps an absolute URL (the HTTP Request node's legacy `uri` shape too) and a given baseURL", async () => {
		const legacy = (await credential.authenticate({ apiKey: KEY, baseUrl: '' }, {
			uri: 'https://other.example.com/x',
		} as unknown as IHttpRequestOptions)) as IHttpRequestOptions & { uri: string };
		expect(legacy.baseURL).toBeUndefined();
		expect(legacy.headers?.Authorization).toBe(`Bearer ${KEY}`);
		const based = await credential.authenticate(
			{ apiKey: KEY, baseUrl: '' },
			{ baseURL: 'https://proxy.example.com/api/v3', url: '/contents' },
		);
		expect(based.baseURL).toBe('https://proxy.example.com/api/v3');
	});

	it('refuses an empty key, or one with spaces or line breaks, without echoing it', async () => {
		await expect(credential.authenticate({ apiKey: '' }, { url: '/x' })).rejects.toThrow(
			/"API Key" is empty/,
		);
		for (const key of [` ${KEY}`, `${KEY}\n`, 'ark-01 23']) {
			const error = await credential
				.authenticate({ apiKey: key }, { url: '/x' })
				.catch((e: Error) => e);
			expect(String((error as Error).message)).toMatch(/"API Key" contains spaces or line breaks/);
			expect(String((error as Error).message)).not.toContain(key.trim());
		}
	});

	it('tests with one task of the list, and explains every refusal with a fixed rule', () => {
		expect(credential.test.request).toMatchObject({
			method: 'GET',
			url: '/contents/generations/tasks?page_num=1&page_size=1',
			ignoreHttpStatusErrors: true,
		});
		const rules = credential.test.rules ?? [];
		expect(
			rules.find((rule) => rule.properties.value === 'AuthenticationError')?.properties.message,
		).toMatch(/Ark API key is missing, mistyped/);
		expect(rules.at(-1)?.properties).toMatchObject({ key: 'items', value: undefined });
	});

	it('is registered in package.json, with light and dark icons that differ', () => {
		const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
			n8n: { credentials: string[] };
		};
		expect(pkg.n8n.credentials).toContain('dist/credentials/VolcengineArkApi.credentials.js');
		const icon = credential.icon as { light: string; dark: string };
		const light = readFileSync(join(REPO, 'credentials', icon.light.replace('file:', '')), 'utf8');
		const dark = readFileSync(join(REPO, 'credentials', icon.dark.replace('file:', '')), 'utf8');
		expect(light).toMatch(/^<svg/);
		expect(light).not.toBe(dark);
	});

	it('the built credential and Ark code carry no Chinese text', () => {
		const files = [
			'dist/credentials/VolcengineArkApi.credentials.js',
			'dist/nodes/shared/ark/codes/errorCodes.js',
			'dist/nodes/shared/ark/requests/parameterRules.js',
		];
		for (const file of files)
			expect(readFileSync(join(REPO, file), 'utf8')).not.toMatch(/[\u3400-\u9fff]/u);
	});
});
