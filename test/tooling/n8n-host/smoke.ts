/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test tooling, not shipped */
/**
 * Smoke check of the real-n8n tooling against what the package has today (the volcengineApi
 * credential): `npx tsx test/tooling/n8n-host/smoke.ts`. Not a jest test: it needs the ~3 GB n8n host.
 *
 * Packs and installs the package into a fresh user folder, signs a request through the built-in
 * HTTP Request node ("Predefined Credential Type") against a local echo server, runs it headless,
 * then starts the server and checks the credential type, the public API and the credential test.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { ensureN8nHost, REPO_DIR } from './host';
import {
	executeWorkflow,
	importCredentials,
	importWorkflows,
	nodeOutput,
	publishWorkflow,
	type WorkflowJson,
} from './n8nCli';
import { formatMs } from './proc';
import { startN8n, type N8nServer } from './server';
import {
	createUserFolder,
	installPackageTarball,
	packProject,
	type UserFolder,
} from './userFolder';

const ECHO_ANSWER = {
	code: 10000,
	data: { status: 'not_found' },
	message: 'Success',
	request_id: 'x',
	status: 10000,
};
const ACCESS_KEY = 'AKLTc21va2UtdGVzdA';
const SECRET_KEY = 'c21va2Utc2VjcmV0LWtleQ==';
const BODY = '{"req_key":"jimeng_ti2v_v30_pro","task_id":"1"}';

interface Recorded {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

/**
 * Answers every request with ECHO_ANSWER and records it. Paths starting with /deny answer 403
 * with a gateway error, /http500 a 500 with a code the credential's rules don't list: probes for
 * the credential test (and a node error for `execute`).
 */
async function startEcho(): Promise<{
	url: string;
	requests: Recorded[];
	close: () => Promise<void>;
}> {
	const requests: Recorded[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			requests.push({
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks),
			});
			let status = 200;
			let answer: unknown = ECHO_ANSWER;
			if (req.url?.startsWith('/deny')) {
				status = 403;
				answer = {
					ResponseMetadata: {
						RequestId: 'y',
						Error: { Code: 'InvalidAccessKey', Message: 'bad key' },
					},
				};
			} else if (req.url?.startsWith('/http500')) {
				status = 500;
				answer = {
					ResponseMetadata: {
						RequestId: 'z',
						Error: { Code: 'SomeUnlistedCode', Message: 'boom' },
					},
				};
			}
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(answer));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

function httpRequestWorkflow(
	name: string,
	url: string,
	cred: { id: string; name: string },
): WorkflowJson {
	return {
		name,
		nodes: [
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000001',
				name: 'Manual Trigger',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000002',
				name: 'Get Result',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'volcengineApi',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: BODY,
					options: {},
				},
				credentials: { volcengineApi: cred },
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Get Result', type: 'main', index: 0 }]] },
		},
	};
}

/** Never fires during the smoke run (hourly); only proves publish:workflow activates at start. */
function scheduledWorkflow(): WorkflowJson {
	return {
		name: 'Smoke: published schedule',
		nodes: [
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000011',
				name: 'Schedule Trigger',
				type: 'n8n-nodes-base.scheduleTrigger',
				typeVersion: 1.2,
				position: [0, 0],
				parameters: { rule: { interval: [{ field: 'hours' }] } },
			},
			{
				id: 'a1b2c3d4-0000-4000-8000-000000000012',
				name: 'No Operation',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: {
			'Schedule Trigger': { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] },
		},
	};
}

function header(h: IncomingHttpHeaders, name: string): string {
	const v = h[name.toLowerCase()];
	return Array.isArray(v) ? v.join(', ') : (v ?? '');
}

async function main(): Promise<void> {
	const timings: Array<[string, number]> = [];
	const time = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
		const t = Date.now();
		const result = await fn();
		timings.push([label, Date.now() - t]);
		console.log(`✓ ${label} (${formatMs(Date.now() - t)})`);
		return result;
	};

	const first = await time('host: ensure (installs when the cache is cold)', () => ensureN8nHost());
	if (first.installedNow) timings.push(['host: cold install', first.installMs]);
	const host = await time('host: warm check', () => ensureN8nHost({ verify: true }));
	assert.equal(host.installedNow, false);
	console.log(`  node ${host.nodeVersion}, n8n ${host.n8nVersion}, cache ${host.cacheDir}`);

	const echo = await startEcho();
	let userFolder: UserFolder | undefined;
	let server: N8nServer | undefined;
	let ok = false;
	try {
		userFolder = await createUserFolder();
		const uf = userFolder;
		console.log(`  user folder ${uf.dir}`);
		const installed = await time('pack + install the package tarball', async () => {
			const tarball = await packProject(REPO_DIR);
			try {
				return await installPackageTarball(uf, tarball);
			} finally {
				await fs.rm(path.dirname(tarball), { recursive: true, force: true });
			}
		});
		console.log(`  installed ${installed.name}@${installed.version} at ${installed.dir}`);

		const cred = { id: 'VolcSmokeCred0001', name: 'Volcengine (echo)' };
		const credData = {
			accessKeyId: ACCESS_KEY,
			secretAccessKey: SECRET_KEY,
			sessionToken: '',
			region: 'cn-north-1',
			service: 'cv',
			baseUrl: echo.url,
		};
		await time('import credentials', () =>
			importCredentials(host, uf, [
				{ ...cred, type: 'volcengineApi', data: credData },
				{
					id: 'VolcSmokeDeny0001',
					name: 'Volcengine (403)',
					type: 'volcengineApi',
					data: { ...credData, baseUrl: `${echo.url}/deny` },
				},
				{
					id: 'VolcSmoke5000001',
					name: 'Volcengine (500)',
					type: 'volcengineApi',
					data: { ...credData, baseUrl: `${echo.url}/http500` },
				},
			]),
		);
		const [wfId, failId, schedId] = await time('import 3 workflows', () =>
			importWorkflows(host, uf, [
				httpRequestWorkflow(
					'Smoke: signed Get Result',
					`${echo.url}/?Action=CVSync2AsyncGetResult&Version=2022-08-31`,
					cred,
				),
				httpRequestWorkflow(
					'Smoke: failing request',
					`${echo.url}/http500?Action=CVSync2AsyncGetResult&Version=2022-08-31`,
					cred,
				),
				scheduledWorkflow(),
			]),
		);
		await time('publish the scheduled workflow', () =>
			publishWorkflow(host, uf, schedId as string),
		);

		const run = await time('execute (headless)', () => executeWorkflow(host, uf, wfId as string));
		assert.equal(
			run.exitCode,
			0,
			`execute failed: ${run.errorMessage}\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`,
		);
		const req = echo.requests.at(-1);
		assert.ok(req, 'the echo server received no request');
		const auth = header(req.headers, 'authorization');
		const authRe =
			/^HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/cn-north-1\/cv\/request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;
		const m = authRe.exec(auth);
		assert.ok(m, `unexpected Authorization header: ${auth}`);
		assert.equal(m[1], ACCESS_KEY);
		const signed = (m[3] ?? '').split(';');
		for (const h of ['host', 'x-content-sha256', 'x-date'])
			assert.ok(signed.includes(h), `${h} not in SignedHeaders=${m[3]}`);
		assert.deepEqual(signed.slice(-2), ['x-content-sha256', 'x-date'], `SignedHeaders=${m[3]}`);
		assert.equal(
			m[2],
			header(req.headers, 'x-date').slice(0, 8),
			'credential scope date differs from X-Date',
		);
		const bodyHash = createHash('sha256').update(req.body).digest('hex');
		assert.equal(
			header(req.headers, 'x-content-sha256'),
			bodyHash,
			'X-Content-Sha256 is not the sha256 of the body received',
		);
		assert.equal(req.method, 'POST');
		assert.deepEqual(JSON.parse(req.body.toString('utf8')), JSON.parse(BODY));
		const out = nodeOutput(run.result, 'Get Result');
		assert.deepEqual(out[0], ECHO_ANSWER, `HTTP Request output: ${JSON.stringify(out)}`);
		console.log(
			`  ${req.method} ${req.url}\n  Authorization: ${auth}\n  X-Content-Sha256 matches the body (${req.body.length} bytes)`,
		);

		// A node error: what `n8n execute` does with it.
		const failed = await time('execute a failing workflow', () =>
			executeWorkflow(host, uf, failId as string),
		);
		console.log(`  exit code ${failed.exitCode}; error: ${failed.errorMessage}`);
		assert.notEqual(failed.exitCode, 0);
		assert.ok(failed.result?.data.resultData.error, 'the failed run data was not parsed');

		server = await time('n8n start → ready + owner + API key', () => startN8n(host, uf));
		const srv = server;
		timings.push(['server: spawn to /healthz/readiness', srv.readyMs]);
		console.log(
			`  ${srv.baseUrl} (pid ${srv.pid}), owner ${srv.owner.email}, ready in ${formatMs(srv.readyMs)}`,
		);

		const credTypes = await srv.fetch<Array<{ name: string; displayName: string }>>(
			'GET',
			'/types/credentials.json',
			undefined,
			'cookie',
		);
		assert.equal(credTypes.status, 200);
		const volc = credTypes.body.find((t) => t.name === 'volcengineApi');
		assert.ok(volc, 'volcengineApi is not among the server credential types');
		console.log(`  credential type known to the server: ${volc.name} ("${volc.displayName}")`);
		const nodeTypes = await srv.fetch<Array<{ name: string }>>(
			'GET',
			'/types/nodes.json',
			undefined,
			'cookie',
		);
		const ours = nodeTypes.body
			.filter((t) => t.name.startsWith(`${installed.name}.`))
			.map((t) => t.name);
		console.log(
			`  package node types: ${ours.length ? [...new Set(ours)].join(', ') : '(none yet: package.json n8n.nodes is empty)'}`,
		);

		const executions = await srv.api<{ data: Array<{ id: string; status: string; mode: string }> }>(
			'GET',
			`/executions?workflowId=${wfId}`,
		);
		console.log(
			`  public API: ${executions.data.length} execution(s) of ${wfId}: ${executions.data.map((e) => `${e.id}/${e.mode}/${e.status}`).join(', ')}`,
		);
		assert.ok(executions.data.length >= 1);

		const sched = await srv.api<{ id: string; active: boolean }>('GET', `/workflows/${schedId}`);
		assert.equal(sched.active, true, 'the published workflow is not active after start');
		console.log(`  published workflow ${sched.id} is active`);

		const before = echo.requests.length;
		const test = await srv.testCredential(cred.id);
		console.log(`  credential test (200 + business answer): ${JSON.stringify(test)}`);
		assert.ok(echo.requests.length > before, 'the credential test sent no request');
		const testReq = echo.requests.at(-1);
		console.log(
			`    it sent ${testReq?.method} ${testReq?.url}, Authorization ${header(testReq?.headers ?? {}, 'authorization').slice(0, 60)}...`,
		);
		console.log(
			`  credential test (403 InvalidAccessKey): ${JSON.stringify(await srv.testCredential('VolcSmokeDeny0001'))}`,
		);
		console.log(
			`  credential test (500, unlisted code):   ${JSON.stringify(await srv.testCredential('VolcSmoke5000001'))}`,
		);
		ok = true;
	} finally {
		if (server) {
			const t = Date.now();
			await server.stop();
			timings.push(['server: stop', Date.now() - t]);
		}
		await echo.close();
		if (userFolder) {
			if (ok) await userFolder.cleanup();
			else console.error(`  keeping ${userFolder.dir} for inspection`);
		}
	}

	console.log('\nTimings');
	for (const [label, ms] of timings) console.log(`  ${label.padEnd(48)} ${formatMs(ms)}`);
	console.log('\nsmoke: OK');
}

main().catch((err: unknown) => {
	console.error(err instanceof Error ? (err.stack ?? err.message) : err);
	process.exitCode = 1;
});
