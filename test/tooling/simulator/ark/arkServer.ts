/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
// A local stand-in for Ark's video task API (Seedance; docs/ark-api.md): Bearer keys, per-model
// validation with Ark's error envelopes, the task lifecycle with per-account concurrency and a
// queued-task cap, list with filters and paging, DELETE per status, callbacks, expiring pre-signed
// result URLs (a video of any size, streamed, with byte ranges), and injected faults. Runs alone
// (`start()`) or inside JimengSimulator's server (`owns()` + `handle()`), under `/api/v3`.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { mulberry32 } from '../../../fixtures/random';
import { ArkCallbacks, type CallbackRecord } from './arkCallbacks';
import {
	GATEWAY_PAGE,
	JSON_TYPE,
	envelope,
	newRequestId,
	readBody,
	tosError,
	writeGarbage,
	writeJson,
	writeText,
} from './arkHttp';
import {
	MEDIA_PREFIX,
	checkMediaUrl,
	lastFramePng,
	mediaUrl,
	videoFile,
	type MediaKind,
} from './arkMedia';
import { OUTPUT_SIZES } from './arkModels';
import { listPage } from './arkList';
import {
	dataUrlDigests,
	logLine,
	newLogEntry,
	shortenDataUrls,
	type ArkRequestLogEntry,
} from './arkLog';
import { ArkLifecycle, taskView, type ArkSimTask } from './arkTasks';
import { ArkSimError, validateCreate } from './arkValidation';
import { checkArkPatch, type ArkSimulatorConfig } from './arkConfig';
import { parseRange } from '../video';

export { type ArkFaults, type ArkSimulatorConfig } from './arkConfig';
export {
	shortenDataUrls,
	type ArkCall,
	type ArkMediaDigest,
	type ArkRequestLogEntry,
} from './arkLog';

export const ARK_API_PREFIX = '/api/v3';
export const ARK_TASKS_PATH = `${ARK_API_PREFIX}/contents/generations/tasks`;
/** The simulator's default API key (not a secret: a test key). */
export const DEFAULT_ARK_API_KEY = 'ark-simulator-key-0001';

export interface ArkSimulatorOptions extends Partial<ArkSimulatorConfig> {
	host?: string;
	port?: number;
	apiKeys?: string[];
	/** endpoint id (ep-…) → the model it serves */
	endpoints?: Record<string, string>;
	/** tasks are listed and found for this long (Ark: 7 days) */
	taskRetentionMs?: number;
	/** seeds every random decision (faults, seeds, ids) */
	seed?: number;
	log?: (line: string) => void;
}

export const DEFAULT_ARK_CONFIG: ArkSimulatorConfig = {
	queueMs: 300,
	generateMs: 700,
	concurrency: null,
	maxQueued: null,
	rpm: null,
	videoUrlTtlMs: 24 * 3_600_000,
	videoBytes: null,
	expiresAfterScaleMs: 1000,
	callbackTimeoutMs: 5000,
	callbackRetryDelayMs: 200,
	faults: {},
};

export class ArkSimulator {
	readonly requests: ArkRequestLogEntry[] = [];
	private readonly config: ArkSimulatorConfig;
	private readonly tasks = new Map<string, ArkSimTask>();
	/** results outlive a deleted record until their URLs expire */
	private readonly media = new Map<
		string,
		{ audio: boolean; width: number; height: number; bytes: number | null }
	>();
	private readonly createTimes = new Map<string, number[]>();
	private readonly callbacks: ArkCallbacks;
	private lifecycle: ArkLifecycle;
	private rng: () => number;
	private readonly urlKey = randomBytes(32);
	private server: Server | null = null;
	private readonly sockets = new Set<Socket>();
	private baseUrl = '';
	private seq = 0;

	constructor(private readonly options: ArkSimulatorOptions = {}) {
		this.config = { ...DEFAULT_ARK_CONFIG, faults: {} };
		const patch = Object.fromEntries(
			Object.keys(DEFAULT_ARK_CONFIG)
				.filter((k) => k in options)
				.map((k) => [k, options[k as keyof ArkSimulatorConfig]]),
		);
		this.configure(patch);
		this.rng = mulberry32(options.seed ?? randomBytes(4).readUInt32BE(0));
		this.callbacks = new ArkCallbacks(() => ({
			timeoutMs: this.config.callbackTimeoutMs,
			retryDelayMs: this.config.callbackRetryDelayMs,
		}));
		this.lifecycle = this.newLifecycle();
	}

	/** Standalone: listens and resolves to the Base URL for the credential (…/api/v3). */
	async start(): Promise<string> {
		if (this.server) return `${this.baseUrl}${ARK_API_PREFIX}`;
		const server = createServer((req, res) => void this.handle(req, res));
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve) =>
			server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve),
		);
		this.server = server;
		const address = server.address();
		this.baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
		return `${this.baseUrl}${ARK_API_PREFIX}`;
	}

	async stop(): Promise<void> {
		this.lifecycle.stop();
		this.callbacks.stop();
		if (!this.server) return;
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = null;
	}

	configure(patch: Partial<ArkSimulatorConfig>): void {
		checkArkPatch(patch);
		Object.assign(this.config, patch);
		if (patch.faults) this.config.faults = { ...patch.faults };
	}

	/** Clears tasks, callbacks and the log; options and configuration stay. */
	reset(): void {
		this.lifecycle.stop();
		this.tasks.clear();
		this.media.clear();
		this.createTimes.clear();
		this.requests.length = 0;
		this.callbacks.reset();
		this.seq = 0;
		this.rng = mulberry32(this.options.seed ?? randomBytes(4).readUInt32BE(0));
		this.lifecycle = this.newLifecycle();
	}

	get callbacksSent(): readonly CallbackRecord[] {
		return this.callbacks.sent;
	}

	/** Requests that asked to create a task (answered or not). */
	creates(): ArkRequestLogEntry[] {
		return this.requests.filter((entry) => entry.call === 'create');
	}

	createdTaskIds(): string[] {
		return this.requests.filter((entry) => entry.taskCreated).map((entry) => entry.taskId!);
	}

	/** The most tasks of one account and model seen running at once since the last reset. */
	maxRunningObserved(): number {
		return this.lifecycle.maxRunning;
	}

	/** A task as GET shows it (undefined once deleted). */
	task(id: string): Record<string, unknown> | undefined {
		const task = this.tasks.get(id);
		return task ? taskView(task) : undefined;
	}

	/** The bytes a succeeded task's last-frame URL serves (undefined: no such result). */
	lastFrameBytes(id: string): Buffer | undefined {
		const media = this.media.get(id);
		return media ? lastFramePng(media.width, media.height, id) : undefined;
	}

	/** Moves a queued or running task to expired now. */
	expireTask(id: string): void {
		const task = this.tasks.get(id);
		if (!task) throw new RangeError(`unknown task ${id}`);
		this.lifecycle.expire(task);
	}

	/** Whether a request path is Ark's (API or result media): for mounting in another server. */
	owns(path: string): boolean {
		return path.startsWith(`${ARK_API_PREFIX}/`) || path.startsWith(MEDIA_PREFIX);
	}

	async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator');
		const entry = this.newEntry(req.method ?? 'GET', url.pathname);
		try {
			if (url.pathname.startsWith(MEDIA_PREFIX)) return this.serveMedia(req, res, entry, url);
			const body = await readBody(req);
			if (body === null) return;
			await this.api(req, res, entry, url, body);
		} catch (error) {
			this.options.log?.(
				`ark simulator internal error: ${error instanceof Error ? error.stack : String(error)}`,
			);
			this.answer(
				res,
				entry,
				500,
				envelope(
					'InternalServiceError',
					'The simulator failed.',
					newRequestId(),
					'',
					'InternalError',
				),
			);
		}
	}

	// ---- API ---------------------------------------------------------------------------------------

	private async api(
		req: IncomingMessage,
		res: ServerResponse,
		entry: ArkRequestLogEntry,
		url: URL,
		body: Buffer,
	): Promise<void> {
		const requestId = newRequestId();
		const id = url.pathname.startsWith(`${ARK_TASKS_PATH}/`)
			? decodeURIComponent(url.pathname.slice(ARK_TASKS_PATH.length + 1))
			: null;
		const method = req.method ?? 'GET';
		entry.call =
			url.pathname === ARK_TASKS_PATH
				? method === 'POST'
					? 'create'
					: method === 'GET'
						? 'list'
						: 'unknown'
				: id
					? method === 'GET'
						? 'get'
						: method === 'DELETE'
							? 'delete'
							: 'unknown'
					: 'unknown';
		entry.taskId = id;
		const apiKey = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
		entry.authorized =
			apiKey !== undefined && (this.options.apiKeys ?? [DEFAULT_ARK_API_KEY]).includes(apiKey);
		if (!entry.authorized)
			return this.answer(
				res,
				entry,
				401,
				envelope(
					'AuthenticationError',
					'The API key or AK/SK in the request is missing or invalid.',
					requestId,
					'',
					'Unauthorized',
				),
				requestId,
			);
		if (await this.anyCallFault(req, res, entry, requestId)) return;
		if (entry.call === 'unknown')
			return this.answer(
				res,
				entry,
				404,
				envelope('NotFound', `No API at ${method} ${url.pathname}.`, requestId, '', 'NotFound'),
				requestId,
			);
		try {
			if (entry.call === 'create')
				return await this.create(req, res, entry, body, apiKey!, requestId);
			if (entry.call === 'list') return this.list(res, entry, url.searchParams, apiKey!, requestId);
			const task = this.visibleTask(id!, apiKey!);
			if (!task)
				throw new ArkSimError(
					404,
					'ResourceNotFound',
					`The specified task ${id} is not found.`,
					'id',
					'NotFound',
				);
			if (entry.call === 'get') return this.answer(res, entry, 200, taskView(task), requestId);
			return this.remove(res, entry, task, requestId);
		} catch (error) {
			if (!(error instanceof ArkSimError)) throw error;
			return this.answer(
				res,
				entry,
				error.http,
				envelope(error.code, error.message, requestId, error.param, error.type),
				requestId,
			);
		}
	}

	/** Faults that strike any API call before it is handled. */
	private async anyCallFault(
		req: IncomingMessage,
		res: ServerResponse,
		entry: ArkRequestLogEntry,
		requestId: string,
	): Promise<boolean> {
		const faults = this.config.faults;
		await this.pause(faults.latencyMs ?? 0);
		if (this.chance(faults.resetBeforeCreate)) {
			entry.fault = 'resetBeforeCreate';
			this.record(entry, null);
			req.socket.destroy();
			return true;
		}
		if (this.chance(faults.gatewayPage)) {
			entry.fault = 'gatewayPage';
			this.record(entry, 502);
			writeText(res, 502, 'text/html', GATEWAY_PAGE);
			return true;
		}
		if (this.chance(faults.rateLimit)) {
			entry.fault = 'rateLimit';
			this.answer(
				res,
				entry,
				429,
				envelope(
					'ModelAccountRpmRateLimitExceeded',
					'Too many requests for this model and account. Please retry later.',
					requestId,
					'',
					'TooManyRequests',
				),
				requestId,
			);
			return true;
		}
		return false;
	}

	private async create(
		req: IncomingMessage,
		res: ServerResponse,
		entry: ArkRequestLogEntry,
		body: Buffer,
		apiKey: string,
		requestId: string,
	): Promise<void> {
		let json: unknown;
		try {
			json = JSON.parse(body.toString('utf8'));
		} catch {
			throw new ArkSimError(400, 'InvalidParameter', 'The request body is not valid JSON.', 'body');
		}
		entry.body = shortenDataUrls(json);
		entry.media = dataUrlDigests(json);
		entry.model =
			typeof (json as { model?: unknown })?.model === 'string'
				? (json as { model: string }).model
				: null;
		this.admitRate(apiKey);
		const request = validateCreate(
			json,
			this.options.endpoints ?? {},
			(id) => this.draftInfo(id, apiKey),
			this.rng,
		);
		const faults = this.config.faults;
		if (this.chance(faults.serverErrorBeforeCreate)) {
			entry.fault = 'serverErrorBeforeCreate';
			throw new ArkSimError(
				500,
				'InternalServiceError',
				'The service encountered an unexpected internal error.',
				'',
				'InternalError',
			);
		}
		if (
			this.config.maxQueued !== null &&
			this.lifecycle.count(apiKey, 'queued') >= this.config.maxQueued
		)
			throw new ArkSimError(
				429,
				'QuotaExceeded',
				'当前账号处于排队中状态的任务数已超过限制 (too many queued tasks for this account).',
				'',
				'TooManyRequests',
			);
		const now = Date.now();
		const task: ArkSimTask = {
			id: this.newTaskId(now),
			apiKey,
			request,
			status: 'queued',
			error: null,
			createdAt: now,
			updatedAt: now,
			base: this.publicBase(req),
			failCode:
				/\[sim:output-moderation\]/.test(request.prompt) || this.chance(faults.outputModeration)
					? 'OutputVideoSensitiveContentDetected'
					: null,
		};
		entry.taskCreated = true;
		entry.taskId = task.id;
		this.lifecycle.add(task);
		return this.afterCreate(req, res, entry, task, requestId);
	}

	/** Faults that strike after the task exists: the caller cannot know it was created. */
	private afterCreate(
		req: IncomingMessage,
		res: ServerResponse,
		entry: ArkRequestLogEntry,
		task: ArkSimTask,
		requestId: string,
	): void {
		const faults = this.config.faults;
		for (const fault of [
			'resetAfterCreate',
			'invalidHttpAfterCreate',
			'serverErrorAfterCreate',
			'gatewayErrorAfterCreate',
			'truncatedAfterCreate',
		] as const) {
			if (!this.chance(faults[fault])) continue;
			entry.fault = fault;
			if (fault === 'resetAfterCreate') {
				this.record(entry, null);
				req.socket.destroy();
			} else if (fault === 'invalidHttpAfterCreate') {
				this.record(entry, null);
				writeGarbage(res);
			} else if (fault === 'serverErrorAfterCreate') {
				this.answer(
					res,
					entry,
					500,
					envelope(
						'InternalServiceError',
						'The service encountered an unexpected internal error.',
						requestId,
						'',
						'InternalError',
					),
					requestId,
				);
			} else if (fault === 'gatewayErrorAfterCreate') {
				this.record(entry, 504);
				writeText(
					res,
					504,
					'text/html',
					GATEWAY_PAGE.replace(/502 Bad Gateway/g, '504 Gateway Time-out'),
				);
			} else {
				const text = JSON.stringify({ id: task.id });
				this.record(entry, 200);
				writeText(res, 200, JSON_TYPE, text.slice(0, Math.floor(text.length / 2)), requestId);
			}
			return;
		}
		this.answer(res, entry, 200, { id: task.id }, requestId);
	}

	private list(
		res: ServerResponse,
		entry: ArkRequestLogEntry,
		query: URLSearchParams,
		apiKey: string,
		requestId: string,
	): void {
		const visible = [...this.tasks.values()].filter(
			(task) => this.visibleTask(task.id, apiKey) === task,
		);
		this.answer(res, entry, 200, listPage(visible, query), requestId);
	}

	private remove(
		res: ServerResponse,
		entry: ArkRequestLogEntry,
		task: ArkSimTask,
		requestId: string,
	): void {
		if (task.status === 'running' || task.status === 'cancelled')
			throw new ArkSimError(
				403,
				'OperationDenied.InvalidState',
				`The task ${task.id} is ${task.status} and cannot be cancelled or deleted.`,
				'id',
				'Forbidden',
			);
		if (task.status === 'queued') this.lifecycle.cancel(task);
		else this.tasks.delete(task.id);
		this.answer(res, entry, 200, {}, requestId);
	}

	// ---- media -------------------------------------------------------------------------------------

	private serveMedia(
		req: IncomingMessage,
		res: ServerResponse,
		entry: ArkRequestLogEntry,
		url: URL,
	): void {
		entry.call = 'media';
		const match = /^\/ark-media\/([\w-]+)\/(video\.mp4|last-frame\.png)$/.exec(url.pathname);
		const media = match ? this.media.get(match[1]) : undefined;
		if (match) entry.taskId = match[1];
		const refused =
			match && media
				? checkMediaUrl(this.urlKey, match[1], match[2] as MediaKind, url.searchParams, Date.now())
				: 'The specified key does not exist.';
		if (refused || !match || !media) {
			this.record(entry, media ? 403 : 404);
			return tosError(res, media ? 403 : 404, media ? 'AccessDenied' : 'NoSuchKey', refused ?? '');
		}
		if (match[2] === 'last-frame.png') {
			const bytes = lastFramePng(media.width, media.height, match[1]);
			this.record(entry, 200);
			res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': bytes.length });
			res.end(req.method === 'HEAD' ? undefined : bytes);
			return;
		}
		// The video: streamed as the client reads it (any size, never built), one byte range if asked.
		const video = videoFile(media.audio, media.bytes);
		const range = parseRange(req.headers.range, video.size);
		if (range === 'unsatisfiable') {
			this.record(entry, 416);
			res.setHeader('Content-Range', `bytes */${video.size}`);
			return tosError(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
		}
		const start = range ? range.start : 0;
		const end = range ? range.end : video.size;
		this.record(entry, range ? 206 : 200);
		res.writeHead(range ? 206 : 200, {
			'Content-Type': 'video/mp4',
			'Content-Length': end - start,
			'Accept-Ranges': 'bytes',
			...(range ? { 'Content-Range': `bytes ${start}-${end - 1}/${video.size}` } : {}),
		});
		if (req.method === 'HEAD') {
			res.end();
			return;
		}
		const stream = video.stream(start, end);
		// pipe() gives backpressure: the next chunk is produced only when the socket drained the last one.
		stream.pipe(res);
		res.on('close', () => stream.destroy());
	}

	// ---- helpers -----------------------------------------------------------------------------------

	private newLifecycle(): ArkLifecycle {
		return new ArkLifecycle(this.tasks, this.config, {
			onChange: (task) => this.callbacks.notify(task.request.callbackUrl, taskView(task)),
			sign: (task) => this.sign(task),
		});
	}

	private sign(task: ArkSimTask): void {
		const base = task.base || this.baseUrl;
		const expiresAt = Date.now() + this.config.videoUrlTtlMs;
		const [width, height] = OUTPUT_SIZES[task.request.resolution][task.request.ratio] ?? [
			1280, 720,
		];
		this.media.set(task.id, {
			audio: task.request.generateAudio === true,
			width,
			height,
			bytes: this.config.videoBytes,
		});
		task.videoUrl = mediaUrl(base, this.urlKey, task.id, 'video.mp4', expiresAt);
		if (task.request.returnLastFrame)
			task.lastFrameUrl = mediaUrl(base, this.urlKey, task.id, 'last-frame.png', expiresAt);
	}

	private visibleTask(id: string, apiKey: string): ArkSimTask | undefined {
		const task = this.tasks.get(id);
		const retention = this.options.taskRetentionMs ?? 7 * 24 * 3_600_000;
		return task && task.apiKey === apiKey && Date.now() - task.createdAt < retention
			? task
			: undefined;
	}

	private draftInfo(id: string, apiKey: string) {
		const task = this.visibleTask(id, apiKey);
		if (!task) return undefined;
		const r = task.request;
		return {
			model: r.model,
			ratio: r.ratio,
			seconds: r.seconds,
			seed: r.seed,
			isDraft: r.draft,
			status: task.status,
		};
	}

	/** Creates per rolling minute per key (Ark's RPM); over → 429. */
	private admitRate(apiKey: string): void {
		if (this.config.rpm === null) return;
		const now = Date.now();
		const window = (this.createTimes.get(apiKey) ?? []).filter((at) => at > now - 60_000);
		if (window.length >= this.config.rpm)
			throw new ArkSimError(
				429,
				'ModelAccountRpmRateLimitExceeded',
				'Too many requests for this model and account. Please retry later.',
				'',
				'TooManyRequests',
			);
		window.push(now);
		this.createTimes.set(apiKey, window);
	}

	private newTaskId(now: number): string {
		const stamp = new Date(now + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
		const suffix = Array.from(
			{ length: 5 },
			() => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(this.rng() * 36)],
		).join('');
		const id = `cgt-${stamp}-${suffix}`;
		return this.tasks.has(id) ? this.newTaskId(now) : id;
	}

	private chance(probability: number | undefined): boolean {
		return probability !== undefined && probability > 0 && this.rng() < probability;
	}

	private pause(ms: number): Promise<void> {
		return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
	}

	private publicBase(req: IncomingMessage): string {
		const host = req.headers.host;
		return host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? `http://${host}` : this.baseUrl;
	}

	private answer(
		res: ServerResponse,
		entry: ArkRequestLogEntry,
		status: number,
		body: unknown,
		requestId = newRequestId(),
	): void {
		const error = (body as { error?: { code?: string } })?.error;
		entry.errorCode = error?.code ?? null;
		this.record(entry, status);
		writeJson(res, status, body, requestId);
	}

	private newEntry(method: string, path: string): ArkRequestLogEntry {
		return newLogEntry(++this.seq, method, path);
	}

	private record(entry: ArkRequestLogEntry, status: number | null): void {
		entry.httpStatus = status;
		this.requests.push(entry);
		this.options.log?.(logLine(entry));
	}
}
