/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error, @typescript-eslint/no-explicit-any, no-console -- test tooling, not shipped */
/**
 * Runs the README's nginx example (section "Behind a reverse proxy (Signing Host)") in a real nginx in
 * front of the local simulator, and checks what the README promises:
 *  - without Signing Host the gateway refuses the request (SignatureDoesNotMatch);
 *  - with Signing Host visual.volcengineapi.com a Submit through the proxy creates a task, and a binary
 *    body that is not UTF-8 arrives byte for byte.
 * The README's `location` block is taken from README.md as it is; only the upstream
 * (https://visual.volcengineapi.com/) is replaced by the simulator's http URL, and
 * `proxy_ssl_server_name` is dropped (plain http upstream). Needs `nginx` on PATH (Debian: apt-get
 * install nginx); without it, says so and exits 0.
 *
 *   npx tsx test/scripts/checks/nginxProxyCheck.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { request } from 'undici';

import { VolcengineApi } from '../../../credentials/VolcengineApi.credentials';
import { freePort } from '../../tooling/n8n-host/userFolder';
import { ECHO_BODY_ACTION, JimengSimulator } from '../../tooling/simulator';
import { simulatorCredentialData } from '../../support/simulatorCredential';

const REPO = path.resolve(__dirname, '..', '..', '..');

function readmeLocationBlock(): string {
	const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
	const match = /```nginx\n([\s\S]*?)```/.exec(readme);
	if (!match) throw new Error('README.md has no ```nginx block');
	return match[1];
}

async function main(): Promise<number> {
	const nginx = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
	if (nginx.error) {
		console.log('nginx is not installed (apt-get install nginx): nothing checked');
		return 0;
	}
	const sim = new JimengSimulator({ queueMs: 0, generateMs: 0 });
	const simUrl = await sim.start();
	const dir = mkdtempSync(path.join(tmpdir(), 'jimeng-nginx-'));
	// nginx's workers (user nobody when started as root) write large request bodies to its temp paths here.
	chmodSync(dir, 0o755);
	const port = await freePort();
	const location = readmeLocationBlock()
		.replace('https://visual.volcengineapi.com/', `${simUrl}/`)
		.replace(/^\s*proxy_ssl_server_name on;.*$/m, '');
	writeFileSync(
		path.join(dir, 'nginx.conf'),
		[
			'daemon off;',
			'worker_processes 1;',
			`pid ${dir}/nginx.pid;`,
			`error_log ${dir}/error.log;`,
			'events { worker_connections 64; }',
			'http {',
			`  access_log ${dir}/access.log;`,
			`  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
			`  server {`,
			`    listen 127.0.0.1:${port};`,
			location
				.split('\n')
				.map((line) => `    ${line}`)
				.join('\n'),
			'  }',
			'}',
			'',
		].join('\n'),
	);
	console.log(
		`nginx config (README block, upstream → ${simUrl}/):\n${readFileSync(path.join(dir, 'nginx.conf'), 'utf8')}`,
	);
	const server = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], {
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	let failures = 0;
	const check = (ok: boolean, what: string) => {
		console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
		if (!ok) failures++;
	};
	try {
		const proxyBase = `http://127.0.0.1:${port}/jimeng`;
		for (let i = 0; ; i++) {
			try {
				await (await request(`http://127.0.0.1:${port}/`)).body.dump();
				break;
			} catch (error) {
				if (i > 50) throw error;
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		}
		const credential = new VolcengineApi();
		const credentials = simulatorCredentialData(proxyBase);
		const send = async (
			signingHost: string,
			action: string,
			body: string | Buffer,
			contentType: string,
		) => {
			const signed = (await credential.authenticate({ ...credentials, signingHost }, {
				method: 'POST',
				url: `/?Action=${action}&Version=2022-08-31`,
				headers: { 'Content-Type': contentType },
				body,
			} as never)) as unknown as {
				url: string;
				headers: Record<string, string>;
				body: string | Buffer;
			};
			const res = await request(signed.url, {
				method: 'POST',
				headers: signed.headers,
				body: signed.body,
			});
			const text = await res.body.text();
			try {
				return { status: res.statusCode, json: JSON.parse(text) as Record<string, any> };
			} catch {
				return {
					status: res.statusCode,
					json: { code: `not JSON: ${text.slice(0, 120)}` } as Record<string, any>,
				};
			}
		};
		const submit = JSON.stringify({
			req_key: 'jimeng_ti2v_v30_pro',
			prompt: 'A lighthouse behind nginx',
			frames: 121,
			aspect_ratio: '16:9',
		});

		const refused = await send('', 'CVSync2AsyncSubmitTask', submit, 'application/json');
		check(
			refused.status === 401 &&
				refused.json.ResponseMetadata?.Error?.Code === 'SignatureDoesNotMatch',
			`without Signing Host: HTTP ${refused.status} ${refused.json.ResponseMetadata?.Error?.Code ?? refused.json.code}`,
		);

		const accepted = await send(
			'visual.volcengineapi.com',
			'CVSync2AsyncSubmitTask',
			submit,
			'application/json',
		);
		const taskId = accepted.json.data?.task_id;
		check(
			accepted.status === 200 &&
				accepted.json.code === 10000 &&
				sim.createdTaskIds().includes(taskId),
			`with Signing Host: HTTP ${accepted.status}, code ${accepted.json.code}, task ${taskId}`,
		);

		const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 151 + 255) & 0xff));
		const echo = await send(
			'visual.volcengineapi.com',
			ECHO_BODY_ACTION,
			bytes,
			'application/octet-stream',
		);
		const sha = createHash('sha256').update(bytes).digest('hex');
		check(
			echo.status === 200 && echo.json.data?.sha256 === sha,
			`binary body through nginx: HTTP ${echo.status}, ${echo.json.data?.size} bytes, sha256 ${echo.json.data?.sha256 === sha ? 'equal' : 'DIFFERENT'}`,
		);
	} finally {
		server.kill('SIGQUIT');
		await new Promise((resolve) => server.once('exit', resolve));
		await sim.stop();
		rmSync(dir, { recursive: true, force: true });
	}
	return failures === 0 ? 0 : 1;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error);
		process.exitCode = 1;
	},
);
