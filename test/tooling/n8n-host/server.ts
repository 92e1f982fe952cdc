/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error, @typescript-eslint/no-explicit-any -- test tooling, not shipped */
/**
 * `n8n start` for end-to-end tests, `npm start` and the demo: waits for readiness, creates the
 * owner, logs in, creates a public-API key, and offers small clients for `/rest` and `/api/v1`.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';

import { request } from 'undici';

import type { N8nHost } from './host';
import { logAndSplitLines, spawnGroup, terminateGroup, waitForReadiness } from './proc';
import type { UserFolder } from './userFolder';
import { sleep } from '../../support/time';

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/** Meets n8n's password rules (8+ chars, a digit, an upper-case letter). Not a secret: local test instances only. */
export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@jimeng-e2e.test',
	password: 'Jimeng-e2e-Passw0rd',
	firstName: 'Jimeng',
	lastName: 'Tester',
};

export interface StartOptions {
	/** Default: the user folder's port. */
	port?: number;
	/** Give up waiting for /healthz/readiness after this long. Default 120 s. */
	readyTimeoutMs?: number;
	/** Owner to create (or log in as, when the folder already has one). Default DEFAULT_OWNER. */
	owner?: OwnerAccount;
	/** Create the owner and log in. Default true. */
	setupOwner?: boolean;
	/** Create a public-API key (needs the owner). Default true. */
	createApiKey?: boolean;
	/** Extra environment for the server. */
	env?: Record<string, string>;
	/** Echo n8n's output to stderr; also on with env JIMENG_N8N_VERBOSE=1. */
	verbose?: boolean;
	/** SIGTERM → SIGKILL grace period for stop(). Default 15 s. */
	stopGraceMs?: number;
}

export interface HttpResult<T = unknown> {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the answer was JSON, else the text. */
	body: T;
}

export class N8nHttpError extends Error {
	constructor(
		readonly method: string,
		readonly url: string,
		readonly status: number,
		readonly body: unknown,
	) {
		super(
			`${method} ${url} → HTTP ${status}: ${typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body).slice(0, 500)}`,
		);
		this.name = 'N8nHttpError';
	}
}

export interface N8nServer {
	baseUrl: string;
	port: number;
	pid: number | undefined;
	owner: OwnerAccount;
	/** Raw public-API key (X-N8N-API-KEY), when one was created. */
	apiKey: string | undefined;
	/** Session cookie (`n8n-auth=...`), when logged in. */
	cookie: string | undefined;
	/** Milliseconds from spawn to /healthz/readiness answering 200. */
	readyMs: number;
	/** Everything n8n printed is appended here. */
	logFile: string;
	/** Last lines n8n printed (stdout and stderr). */
	logTail: (lines?: number) => string;
	/** `/api/v1/<path>` with X-N8N-API-KEY; parsed JSON; throws N8nHttpError on a non-2xx answer. */
	api: <T = any>(method: string, apiPath: string, body?: unknown) => Promise<T>;
	/** `/rest/<path>` with the session cookie; parsed JSON (n8n wraps most answers in `{ data }`); throws on non-2xx. */
	rest: <T = any>(method: string, restPath: string, body?: unknown) => Promise<T>;
	/** Any path, no throwing: for asserting on error answers. `auth`: which credentials to send. */
	fetch: <T = unknown>(
		method: string,
		urlPath: string,
		body?: unknown,
		auth?: 'cookie' | 'apiKey' | 'none',
	) => Promise<HttpResult<T>>;
	/** Runs the credential modal's "Test" for a stored credential (POST /rest/credentials/test). */
	testCredential: (credentialId: string) => Promise<{ status: 'OK' | 'Error'; message: string }>;
	/** SIGTERM the process group, SIGKILL after the grace period. Safe to call more than once. */
	stop: () => Promise<void>;
	/** Resolves when the process exits (for whatever reason). */
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<N8nServer>();

/** Stops every server this process started and has not stopped yet (for afterAll / global teardown). */
export async function stopAllN8n(): Promise<void> {
	await Promise.all([...running].map((s) => s.stop()));
}

function headerList(h: string | string[] | undefined): string[] {
	return h === undefined ? [] : Array.isArray(h) ? h : [h];
}

export async function startN8n(
	host: N8nHost,
	userFolder: UserFolder,
	options: StartOptions = {},
): Promise<N8nServer> {
	const port = options.port ?? userFolder.port;
	const baseUrl = `http://127.0.0.1:${port}`;
	const owner = options.owner ?? DEFAULT_OWNER;
	const verbose = options.verbose ?? process.env['JIMENG_N8N_VERBOSE'] === '1';
	const logFile = path.join(userFolder.dir, `n8n-start-${port}.log`);
	const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
	const tailLines: string[] = [];
	// Sent on every REST call: n8n binds the session cookie to the browser-id it was issued with.
	const browserId = randomBytes(12).toString('hex');

	const started = Date.now();
	const child: ChildProcess = spawnGroup(host.nodeBin, [host.n8nBin, 'start'], {
		cwd: userFolder.dir,
		env: {
			...host.env,
			...userFolder.env,
			N8N_PORT: String(port),
			N8N_EDITOR_BASE_URL: `${baseUrl}`,
			WEBHOOK_URL: `${baseUrl}/`,
			...options.env,
		},
	});
	const onData = (stream: string) =>
		logAndSplitLines(log, (line) => {
			tailLines.push(line);
			if (tailLines.length > 300) tailLines.shift();
			if (verbose) process.stderr.write(`[n8n start ${stream}] ${line}\n`);
		});
	child.stdout?.on('data', onData('stdout'));
	child.stderr?.on('data', onData('stderr'));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
		child.once('exit', (code, signal) => resolve({ code, signal }));
		child.once('error', () => resolve({ code: null, signal: null }));
	});
	let hasExited = false;
	void exited.then(() => {
		hasExited = true;
		log.end();
	});
	const logTail = (lines = 40): string => tailLines.filter(Boolean).slice(-lines).join('\n');

	let stopping: Promise<void> | undefined;
	const server: N8nServer = {
		baseUrl,
		port,
		pid: child.pid,
		owner,
		apiKey: undefined,
		cookie: undefined,
		readyMs: 0,
		logFile,
		logTail,
		exited,
		stop: () => {
			stopping ??= (async () => {
				running.delete(server);
				await terminateGroup(child, options.stopGraceMs ?? 15_000);
			})();
			return stopping;
		},
		fetch: async <T>(
			method: string,
			urlPath: string,
			body?: unknown,
			auth: 'cookie' | 'apiKey' | 'none' = 'none',
		) => {
			const headers: Record<string, string> = {
				accept: 'application/json',
				'browser-id': browserId,
			};
			if (body !== undefined) headers['content-type'] = 'application/json';
			if (auth === 'cookie' && server.cookie) headers['cookie'] = server.cookie;
			if (auth === 'apiKey' && server.apiKey) headers['x-n8n-api-key'] = server.apiKey;
			const res = await request(`${baseUrl}${urlPath}`, {
				method: method.toUpperCase() as 'GET',
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
				headersTimeout: 120_000,
				bodyTimeout: 120_000,
			});
			const text = await res.body.text();
			let parsed: unknown = text;
			if (String(res.headers['content-type'] ?? '').includes('json') && text) {
				try {
					parsed = JSON.parse(text);
				} catch {
					parsed = text;
				}
			}
			return { status: res.statusCode, headers: res.headers, body: parsed as T };
		},
		api: async (method, apiPath, body) => {
			const p = `/api/v1${apiPath.startsWith('/') ? '' : '/'}${apiPath}`;
			const res = await server.fetch(method, p, body, 'apiKey');
			if (res.status < 200 || res.status > 299)
				throw new N8nHttpError(method, p, res.status, res.body);
			return res.body as any;
		},
		rest: async (method, restPath, body) => {
			const p = `/rest${restPath.startsWith('/') ? '' : '/'}${restPath}`;
			const res = await server.fetch(method, p, body, 'cookie');
			if (res.status < 200 || res.status > 299)
				throw new N8nHttpError(method, p, res.status, res.body);
			return res.body as any;
		},
		testCredential: async (credentialId) => {
			// What the credential modal does: load the stored credential (secrets come back redacted),
			// then send it to /credentials/test, which puts the stored secrets back before testing.
			const stored = await server.rest<{
				data: { id: string; name: string; type: string; data?: Record<string, unknown> };
			}>('GET', `/credentials/${credentialId}?includeData=true`);
			const { id, name, type, data } = stored.data;
			const res = await server.rest<{ data: { status: 'OK' | 'Error'; message: string } }>(
				'POST',
				'/credentials/test',
				{
					credentials: { id, name, type, data },
				},
			);
			return res.data;
		},
	};
	running.add(server);

	try {
		await waitForReadiness({
			what: 'n8n start',
			url: `${baseUrl}/healthz/readiness`,
			where: `${baseUrl}/healthz/readiness`,
			started,
			timeoutMs: options.readyTimeoutMs ?? 120_000,
			hasExited: () => hasExited,
			exited,
			logTail: () => logTail(),
		});
		server.readyMs = Date.now() - started;

		if (options.setupOwner ?? true) {
			// n8n 1.x opens the port (readiness 200) before it registers its REST routes: 404 until then.
			let setup = await server.fetch('POST', '/rest/owner/setup', owner);
			const routesDeadline = Date.now() + 60_000;
			while (setup.status === 404 && Date.now() < routesDeadline) {
				await sleep(500);
				setup = await server.fetch('POST', '/rest/owner/setup', owner);
			}
			// 400 when the folder already has an owner (a restarted server): logging in is enough.
			if (setup.status !== 200 && setup.status !== 400) {
				throw new N8nHttpError('POST', '/rest/owner/setup', setup.status, setup.body);
			}
			const login = await server.fetch('POST', '/rest/login', {
				emailOrLdapLoginId: owner.email,
				password: owner.password,
			});
			if (login.status !== 200)
				throw new N8nHttpError('POST', '/rest/login', login.status, login.body);
			const auth = headerList(login.headers['set-cookie'])
				.map((c) => c.split(';')[0] ?? '')
				.find((c) => c.startsWith('n8n-auth='));
			if (!auth)
				throw new Error(
					`POST /rest/login set no n8n-auth cookie: ${JSON.stringify(login.headers['set-cookie'])}`,
				);
			server.cookie = auth;

			if (options.createApiKey ?? true) {
				// The owner may hold every scope the role allows; ask the server rather than hard-code 2.41's list.
				const scopes = await server.rest<{ data: string[] }>('GET', '/api-keys/scopes');
				const created = await server.rest<{ data: { rawApiKey: string } }>('POST', '/api-keys', {
					label: `e2e-${Date.now()}`,
					scopes: scopes.data,
					expiresAt: null,
				});
				server.apiKey = created.data.rawApiKey;
			}
		}
		return server;
	} catch (err) {
		await server.stop();
		throw err;
	}
}
