/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-explicit-any, @typescript-eslint/no-require-imports -- test tooling, not shipped */
/**
 * Small helpers for the end-to-end run: a local image server, reading n8n's stored binary data,
 * a request signed with the built credential class, and reading items out of n8n's run data.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { request } from 'undici';

import type { N8nHost } from '../../tooling/n8n-host/host';
import {
	executeWorkflow,
	type ExecuteResult,
	type ExecutionRun,
} from '../../tooling/n8n-host/n8nCli';
import type { N8nServer } from '../../tooling/n8n-host/server';
import type { UserFolder } from '../../tooling/n8n-host/userFolder';
import { SUBMIT_ACTION, type JimengSimulator } from '../../tooling/simulator';

import { sleep } from '../../support/time';

export { sleep };

/** A port from the environment (0 or unset: pick a free one). */
export function portFromEnv(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`${name} must be a port number, got "${raw}"`);
	return port === 0 ? undefined : port;
}

export function numberFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0)
		throw new Error(`${name} must be a non-negative number, got "${raw}"`);
	return value;
}

export interface FileServer {
	url: string;
	/** GET requests served so far. */
	hits: number;
	close: () => Promise<void>;
}

/** Serves one file at `/<name>`: the image example's HTTP Request node downloads its first frame here. */
export async function serveFile(
	name: string,
	bytes: Uint8Array,
	contentType: string,
	port = 0,
): Promise<FileServer> {
	const state = { hits: 0 };
	const server: Server = createServer((req, res) => {
		req.resume();
		if (req.method === 'GET' && req.url === `/${name}`) {
			state.hits++;
			res.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes.length) });
			res.end(Buffer.from(bytes));
			return;
		}
		res.writeHead(404, { 'content-type': 'text/plain' });
		res.end('not found');
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	const address = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${address.port}/${name}`,
		get hits() {
			return state.hits;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** What n8n stores for a binary property (filesystem mode: `id` instead of inline `data`). */
export interface StoredBinary {
	id?: string;
	data?: string;
	mimeType?: string;
	fileName?: string;
	fileExtension?: string;
	fileSize?: string;
	bytes?: number;
	[key: string]: unknown;
}

/**
 * The file behind a `filesystem-v2:<key>` (or `filesystem:<key>`) binary id: n8n's FsByteStore keeps
 * it at `<user folder>/.n8n/storage/<key>` (n8n-core StorageConfig.storagePath + the key).
 */
export function binaryFile(userFolderDir: string, binary: StoredBinary): string {
	const id = binary.id;
	if (!id)
		throw new Error(
			`the binary is stored inline, not in filesystem mode: ${describeBinary(binary)}`,
		);
	const colon = id.indexOf(':');
	const mode = id.slice(0, colon);
	const key = id.slice(colon + 1);
	if (mode !== 'filesystem-v2' && mode !== 'filesystem')
		throw new Error(`unexpected binary data mode "${mode}" in id ${id}`);
	const storage = path.join(userFolderDir, '.n8n', 'storage');
	const file = path.resolve(storage, key);
	if (!file.startsWith(storage + path.sep))
		throw new Error(`binary id ${id} points outside ${storage}`);
	if (!existsSync(file)) throw new Error(`binary id ${id}: no file at ${file}`);
	return file;
}

export function readBinary(userFolderDir: string, binary: StoredBinary): Buffer {
	return readFileSync(binaryFile(userFolderDir, binary));
}

/** The bytes of a binary in either mode: inline base64 (n8n 1.x's default) or a filesystem reference. */
export function binaryBytes(
	userFolderDir: string,
	binary: StoredBinary,
): { bytes: Buffer; where: string } {
	if (binary.id) {
		const file = binaryFile(userFolderDir, binary);
		return {
			bytes: readFileSync(file),
			where: `${path.relative(userFolderDir, file)} (filesystem mode)`,
		};
	}
	if (typeof binary.data === 'string' && binary.data.length > 0) {
		return {
			bytes: Buffer.from(binary.data, 'base64'),
			where: 'inline base64 in the execution (default mode)',
		};
	}
	throw new Error(`the binary has neither an id nor inline data: ${describeBinary(binary)}`);
}

export function describeBinary(binary: StoredBinary | undefined): string {
	if (!binary) return 'none';
	const { data, ...rest } = binary;
	return JSON.stringify(
		data && data.length > 40 ? { ...rest, data: `<${data.length} chars>` } : binary,
	);
}

export interface RunItem {
	json: Record<string, unknown>;
	binary?: Record<string, StoredBinary>;
}

/** Every item (json and binary) a node output on its first run: what `nodeOutput` gives, with binaries. */
export function nodeItems(run: ExecutionRun | undefined, nodeName: string): RunItem[] {
	const runs = run?.data.resultData.runData[nodeName];
	if (!runs?.length)
		throw new Error(
			`node "${nodeName}" did not run; ran: ${Object.keys(run?.data.resultData.runData ?? {}).join(', ') || 'nothing'}`,
		);
	return (runs[0]?.data?.main?.[0] ?? []) as RunItem[];
}

export interface SigningCredential {
	authenticate(
		credentials: Record<string, unknown>,
		requestOptions: Record<string, unknown>,
	): Promise<Record<string, unknown>>;
}

/**
 * The built credential class from dist/ (what n8n loads), required at run time so type checking
 * does not depend on a build being present.
 */
export function loadBuiltCredential(repoDir: string): SigningCredential {
	const file = path.join(repoDir, 'dist', 'credentials', 'VolcengineApi.credentials.js');
	const mod = require(file) as { VolcengineApi: new () => SigningCredential };
	return new mod.VolcengineApi();
}

/** POSTs a Jimeng API action signed by the credential class; returns the HTTP status and parsed answer. */
export async function signedPost(
	credential: SigningCredential,
	credentials: Record<string, unknown>,
	action: string,
	body: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, any> }> {
	const signed = await credential.authenticate(credentials, {
		method: 'POST',
		url: `/?Action=${action}&Version=2022-08-31`,
		headers: { 'Content-Type': 'application/json' },
		body,
	});
	const url = (signed.url ?? signed.uri) as string;
	const fullUrl = /^https?:\/\//.test(url) ? url : `${String(signed.baseURL ?? '')}${url}`;
	const res = await request(fullUrl, {
		method: 'POST',
		headers: signed.headers as Record<string, string>,
		body: typeof signed.body === 'string' ? signed.body : JSON.stringify(signed.body),
	});
	return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
}

/**
 * Submits a 5 s 16:9 text-to-video task signed with the built credential (from `repoDir`'s dist/),
 * outside n8n; throws unless the answer is HTTP 200 with a task id.
 */
export async function submitTask(
	repoDir: string,
	credentialData: Record<string, unknown>,
	task: { model: string; prompt: string },
): Promise<{ taskId: string; status: number; body: Record<string, any> }> {
	const answer = await signedPost(loadBuiltCredential(repoDir), credentialData, SUBMIT_ACTION, {
		req_key: task.model,
		prompt: task.prompt,
		frames: 121,
		aspect_ratio: '16:9',
		seed: -1,
	});
	const taskId = answer.body?.data?.task_id as string | undefined;
	if (answer.status !== 200 || !taskId)
		throw new Error(`submit answered HTTP ${answer.status}: ${JSON.stringify(answer.body)}`);
	return { taskId, ...answer };
}

/** `submitTask`, then waits (30 s at most) until the simulator has finished the task. */
export async function submitDoneTask(
	repoDir: string,
	sim: JimengSimulator,
	credentialData: Record<string, unknown>,
	task: { model: string; prompt: string },
): Promise<{ taskId: string; status: number; body: Record<string, any> }> {
	const submitted = await submitTask(repoDir, credentialData, task);
	const { taskId } = submitted;
	await waitFor(
		`task ${taskId} done`,
		30_000,
		() => (sim.task(taskId)?.state === 'done' ? true : undefined),
		100,
	);
	return submitted;
}

/**
 * Asserts that `n8n start` reports n8n `version`; returns the node types of this package it serves
 * (sorted, each once).
 */
export async function servedPackageTypes(server: N8nServer, version: string): Promise<string[]> {
	const settings = await server.rest<{ data: { versionCli?: string } }>('GET', '/settings');
	assert.equal(settings.data.versionCli, version, 'server version');
	const nodes = await server.fetch<Array<{ name: string }>>(
		'GET',
		'/types/nodes.json',
		undefined,
		'cookie',
	);
	const ours = [
		...new Set(
			nodes.body.map((t) => t.name).filter((n) => n.startsWith('n8n-nodes-jimeng-video.')),
		),
	].sort();
	return ours;
}

/** Polls `probe` until it returns a value (not undefined) or the time is up. */
export async function waitFor<T>(
	what: string,
	timeoutMs: number,
	probe: () => Promise<T | undefined> | T | undefined,
	everyMs = 250,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(everyMs);
	}
}

/** `executeWorkflow` of test/tooling/n8n-host with only the environment to vary (the result carries the signal). */
export type ExecuteOutcome = ExecuteResult;

export async function executeOnce(
	host: N8nHost,
	userFolder: UserFolder,
	id: string,
	env: Record<string, string> = {},
): Promise<ExecuteOutcome> {
	return await executeWorkflow(host, userFolder, id, { env });
}

/** n8n finished the run and printed it, then the process died of a signal while exiting. */
export function crashedAfterResult(run: ExecuteOutcome): boolean {
	return (
		run.exitCode === null &&
		run.signal !== null &&
		!run.timedOut &&
		run.result !== undefined &&
		typeof run.result.status === 'string'
	);
}

/**
 * The sample entry types of every track of an mp4 (`moov/trak/mdia/minf/stbl/stsd`), track by
 * track: e.g. [['avc1'], ['mp4a']] for H.264 video with AAC sound. Parses the ISO BMFF boxes
 * (size, type; 64-bit sizes too); throws on a file whose boxes do not add up.
 */
export function mp4SampleEntries(bytes: Buffer): string[][] {
	type Box = { type: string; start: number; end: number };
	const children = (from: number, to: number): Box[] => {
		const boxes: Box[] = [];
		let at = from;
		while (at + 8 <= to) {
			let size = bytes.readUInt32BE(at);
			const type = bytes.toString('latin1', at + 4, at + 8);
			let header = 8;
			if (size === 1) {
				size = Number(bytes.readBigUInt64BE(at + 8));
				header = 16;
			} else if (size === 0) size = to - at;
			if (size < header || at + size > to)
				throw new Error(`mp4: box "${type}" at ${at} has size ${size}, beyond its parent (${to})`);
			boxes.push({ type, start: at + header, end: at + size });
			at += size;
		}
		if (at !== to) throw new Error(`mp4: ${to - at} stray bytes at ${at}`);
		return boxes;
	};
	const child = (parent: Box, type: string): Box | undefined =>
		children(parent.start, parent.end).find((box) => box.type === type);
	const moov = children(0, bytes.length).find((box) => box.type === 'moov');
	if (!moov) throw new Error('mp4: no moov box');
	return children(moov.start, moov.end)
		.filter((box) => box.type === 'trak')
		.map((trak) => {
			let box: Box | undefined = trak;
			for (const type of ['mdia', 'minf', 'stbl', 'stsd']) box = box && child(box, type);
			if (!box) throw new Error('mp4: a track without mdia/minf/stbl/stsd');
			// stsd: version + flags (4 bytes), entry count (4), then one box per sample entry.
			const count = bytes.readUInt32BE(box.start + 4);
			const entries = children(box.start + 8, box.end).map((entry) => entry.type);
			if (entries.length !== count)
				throw new Error(`mp4: stsd says ${count} entries, holds ${entries.length}`);
			return entries;
		});
}

/** The built Volcengine Ark API credential class from dist/ (what n8n loads). */
function loadBuiltArkCredential(repoDir: string): SigningCredential {
	const file = path.join(repoDir, 'dist', 'credentials', 'VolcengineArkApi.credentials.js');
	const mod = require(file) as { VolcengineArkApi: new () => SigningCredential };
	return new mod.VolcengineArkApi();
}

/**
 * Creates a Seedance task outside n8n, authenticated by the built Ark credential (its Bearer key and
 * Base URL) as another client of the account would; throws unless Ark answers 200 with a task id.
 */
export async function arkCreateDirect(
	repoDir: string,
	credentialData: Record<string, unknown>,
	body: Record<string, unknown>,
): Promise<string> {
	const signed = await loadBuiltArkCredential(repoDir).authenticate(credentialData, {
		method: 'POST',
		url: '/contents/generations/tasks',
		headers: { 'Content-Type': 'application/json' },
		body,
	});
	const base = String(signed.baseURL ?? '').replace(/\/+$/, '');
	const res = await request(`${base}${String(signed.url)}`, {
		method: 'POST',
		headers: signed.headers as Record<string, string>,
		body: JSON.stringify(body),
	});
	const answer = (await res.body.json()) as { id?: string; error?: unknown };
	if (res.statusCode !== 200 || typeof answer.id !== 'string')
		throw new Error(`Ark create answered HTTP ${res.statusCode}: ${JSON.stringify(answer)}`);
	return answer.id;
}
