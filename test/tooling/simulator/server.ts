/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
// A local stand-in for the Jimeng AI video API (Volcengine visual service, cn-north-1 / cv): the gateway's
// signature check, the two async actions, task lifecycle, limits, injected faults and the CDN download.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Socket } from 'node:net';

import { BusinessError, businessAnswer, codeInfo, SUCCESS_CODE } from './envelope';
import {
	gatewayErrorAnswer,
	parseQuery,
	verifySignature,
	type GatewayErrorCode,
	type SimulatorAccount,
} from './gateway';
import { MAX_BODY_BYTES, readPromptMarkers, validateGetResult, validateSubmit } from './models';
import {
	checkVideoBytes,
	checkVideoUrlSignature,
	loadFixture,
	parseRange,
	signVideoUrl,
	VideoFile,
} from './video';
import { gradientPng } from '../../fixtures/images';
import { mulberry32 } from '../../fixtures/random';
import type { ArkSimulator } from './ark/arkServer';

export type { SimulatorAccount } from './gateway';

export const SUBMIT_ACTION = 'CVSync2AsyncSubmitTask';
export const GET_RESULT_ACTION = 'CVSync2AsyncGetResult';
export const API_VERSION = '2022-08-31';
/**
 * Not a Jimeng URL: a sample first frame (an 800×500 PNG gradient) that the image-to-video example
 * downloads when it runs offline (`npm start`, the tests), in place of a picture from the internet.
 */
export const SAMPLE_IMAGE_PATH = '/samples/first-frame.png';
export const SAMPLE_IMAGE = { width: 800, height: 500, bytes: gradientPng(800, 500) } as const;
/**
 * Test aid, not a Jimeng action: after the gateway's signature check (the same as for the real
 * actions), answers the SHA-256 and size of the body it received, whatever the body is. Lets a test
 * send binary, form or raw bodies through the credential and prove they arrived byte for byte.
 */
export const ECHO_BODY_ACTION = 'SimulatorEchoBody';

export interface SimulatorFaults {
	/** Probability a request (either action) answers 50429 (HTTP 429). */
	rate50429?: number;
	/** Probability of 50500 (HTTP 500). */
	rate50500?: number;
	/** Probability of 50501 (HTTP 500). */
	rate50501?: number;
	/** Probability the socket is destroyed before anything happens (submit: no task created; get result: no answer). */
	resetBeforeCreate?: number;
	/** Submit only: the task IS created, then the socket is destroyed without an answer. */
	resetAfterCreate?: number;
	/** Submit only: the task IS created, then bytes that are not valid HTTP come back (a broken proxy). */
	invalidHttpAfterCreate?: number;
	/** Probability a created task ends failed; it answers failCode at query time once it would be done. */
	failRate?: number;
	/** Default 50516. */
	failCode?: number;
	/** Probability that the first download of a task's video URL answers 403 (as an expired CDN link). */
	expireFirstDownload?: number;
	/** Probability that a download announces the full Content-Length and then cuts the connection halfway. */
	truncateDownload?: number;
	/** Added to every API answer. */
	latencyMs?: number;
	/** Submit only: the task IS created, then the gateway answers InternalServiceTimeout (HTTP 504): the backend was too slow. */
	gatewayTimeoutAfterCreate?: number;
	/** Either action, before anything happens: the gateway answers InternalServiceError (HTTP 500). */
	gatewayErrorBeforeCreate?: number;
	/** Either action, before anything happens: a load balancer answers an HTML error page (HTTP 502, text/html). */
	htmlErrorPage?: number;
	/** Submit only: the task IS created, then the answer is cut off mid-JSON (HTTP 200, a complete but unparsable body). */
	truncatedAnswerAfterCreate?: number;
	/** Probability that a download is gzip-compressed (Content-Encoding: gzip) when the client accepts gzip, as a CDN with gzip on for video/mp4 does. */
	gzipDownload?: number;
	/** The same, whatever the client's Accept-Encoding says (a CDN that ignores it). */
	gzipDownloadAlways?: number;
	/** Every video download waits this long before its headers (a slow CDN). */
	downloadDelayMs?: number;
}

export interface SimulatorOptions {
	/** Default '127.0.0.1'. */
	host?: string;
	/** Default 0 (ephemeral). */
	port?: number;
	/** Default: [DEFAULT_SIMULATOR_ACCOUNT]. */
	accounts?: SimulatorAccount[];
	/** Default 'cn-north-1'. */
	region?: string;
	/** Default 'cv'. */
	service?: string;
	/** Default 900. */
	timestampToleranceSec?: number;
	/** Time in 'in_queue' (default 1000). */
	queueMs?: number;
	/** Time in 'generating' (default 2000). */
	generateMs?: number;
	/** Per account, tasks not yet finished; a submit beyond answers 50430 (HTTP 429). Default null = unlimited. */
	concurrency?: number | null;
	/** Per account, requests per rolling second across both actions, beyond → 50429. Default null. */
	qps?: number | null;
	/** Default 3_600_000 (1 h), after which the video URL answers 403. */
	videoUrlTtlMs?: number;
	/** Default 12 h; older tasks answer not_found. */
	taskRetentionMs?: number;
	/** null: serve the fixture; a number: serve a valid mp4 of exactly that many bytes, streamed. */
	videoBytes?: number | null;
	faults?: SimulatorFaults;
	/** Seeds the PRNG behind every random decision (faults, task ids) → deterministic runs. */
	seed?: number;
	/** One line per request (never secrets or signatures). */
	log?: (line: string) => void;
	/**
	 * An Ark simulator served on this server too: its paths (`/api/v3/…`, `/ark-media/…`) go to it,
	 * so one URL serves both APIs (the Ark credential's Base URL is then `<url>/api/v3`).
	 */
	ark?: ArkSimulator;
}

export type SimulatorConfigPatch = Partial<
	Pick<
		SimulatorOptions,
		'queueMs' | 'generateMs' | 'concurrency' | 'qps' | 'videoUrlTtlMs' | 'videoBytes' | 'faults'
	>
>;

export const DEFAULT_SIMULATOR_ACCOUNT: SimulatorAccount = {
	accessKeyId: 'AKLTsimulatorAccessKey0001',
	secretAccessKey: 'c2ltdWxhdG9yLXNlY3JldC1rZXk=',
};

export interface RequestLogEntry {
	seq: number;
	at: number;
	method: string;
	/** Path without the query (download URLs carry a signature there). */
	path: string;
	/**
	 * 'CVSync2AsyncSubmitTask' | 'CVSync2AsyncGetResult' | other | null; video downloads: 'download';
	 * the sample image: 'sample'.
	 */
	action: string | null;
	accessKeyId: string | null;
	/** null when the connection was reset. */
	httpStatus: number | null;
	/** Business code answered, if any. */
	code: number | null;
	/** e.g. 'SignatureDoesNotMatch'. */
	gatewayError: string | null;
	reqKey: string | null;
	taskId: string | null;
	/** Parsed JSON body; every base64 string replaced by '<base64 N chars>'. */
	body: unknown;
	/** True when this request created a task. */
	taskCreated: boolean;
	/** Which injected fault fired, if any. */
	fault: string | null;
	/** API requests: SHA-256 (hex) of the exact body bytes received; null for downloads and admin calls. */
	bodySha256: string | null;
}

/** 'failed': done with a failure code (the API answers that code); 'not_found': past retention. */
export type SimulatedTaskState =
	| 'in_queue'
	| 'generating'
	| 'done'
	| 'failed'
	| 'expired'
	| 'not_found';

/** What the simulator keeps of a task from its submit on. */
interface TaskCreated {
	id: string;
	reqKey: string;
	accessKeyId: string;
	createdAt: number;
	queueMs: number;
	generateMs: number;
	/** The submit body, as logged. */
	body: unknown;
	/** GET downloads of its video so far. */
	downloads: number;
}

export interface SimulatedTask extends TaskCreated {
	/** When the task reaches done (or its failure). */
	doneAt: number;
	state: SimulatedTaskState;
	failCode?: number;
	/** The last video URL handed out by Get Result. */
	videoUrl?: string;
}

interface TaskRecord extends TaskCreated {
	failCode: number | null;
	expiredAt: number | null;
	videoUrl: string | null;
}

interface Settings {
	host: string;
	port: number;
	accounts: SimulatorAccount[];
	region: string;
	service: string;
	timestampToleranceSec: number;
	queueMs: number;
	generateMs: number;
	concurrency: number | null;
	qps: number | null;
	videoUrlTtlMs: number;
	taskRetentionMs: number;
	videoBytes: number | null;
	faults: SimulatorFaults;
	seed: number | undefined;
	log: ((line: string) => void) | undefined;
}

type JsonAnswer = { http: number; body: unknown };

const JSON_TYPE = 'application/json; charset=utf-8';
const PATCH_KEYS = [
	'queueMs',
	'generateMs',
	'concurrency',
	'qps',
	'videoUrlTtlMs',
	'videoBytes',
	'faults',
] as const;
const PROBABILITY_FAULTS = [
	'rate50429',
	'rate50500',
	'rate50501',
	'resetBeforeCreate',
	'resetAfterCreate',
	'invalidHttpAfterCreate',
	'failRate',
	'expireFirstDownload',
	'truncateDownload',
	'gatewayTimeoutAfterCreate',
	'gatewayErrorBeforeCreate',
	'htmlErrorPage',
	'truncatedAnswerAfterCreate',
	'gzipDownload',
	'gzipDownloadAlways',
] as const;

/** One signed, admitted API call on its way to its action's handler. */
interface ActionCall {
	req: IncomingMessage;
	res: ServerResponse;
	entry: RequestLogEntry;
	/** The parsed body. */
	json: unknown;
	account: SimulatorAccount;
	startedNs: bigint;
}

export class JimengSimulator {
	readonly requests: RequestLogEntry[] = [];
	/** The Ark simulator mounted on this server, if any. */
	readonly ark: ArkSimulator | undefined;

	private readonly settings: Settings;
	private readonly fixture: Buffer;
	private video: VideoFile;
	private rng: () => number;
	private server: Server | null = null;
	private baseUrl = '';
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	// Per simulator: URLs from another simulator instance (or an earlier run) never validate here.
	private readonly urlKey = randomBytes(32);
	private readonly tasks = new Map<string, TaskRecord>();
	/** Per account: tasks that may still be unfinished (pruned lazily). */
	private readonly active = new Map<string, TaskRecord[]>();
	private readonly qpsWindows = new Map<string, number[]>();
	private readonly maxConcurrent = new Map<string, number>();
	private maxConcurrentAll = 0;
	private seq = 0;

	constructor(options: SimulatorOptions = {}) {
		this.ark = options.ark;
		this.fixture = loadFixture();
		this.settings = {
			host: options.host ?? '127.0.0.1',
			port: options.port ?? 0,
			accounts: (options.accounts ?? [DEFAULT_SIMULATOR_ACCOUNT]).map((a) => ({ ...a })),
			region: options.region ?? 'cn-north-1',
			service: options.service ?? 'cv',
			timestampToleranceSec: options.timestampToleranceSec ?? 900,
			queueMs: 1000,
			generateMs: 2000,
			concurrency: null,
			qps: null,
			videoUrlTtlMs: 3_600_000,
			taskRetentionMs: options.taskRetentionMs ?? 12 * 3_600_000,
			videoBytes: null,
			faults: {},
			seed: options.seed,
			log: options.log,
		};
		if (this.settings.accounts.length === 0) throw new RangeError('at least one account is needed');
		checkNonNegative('timestampToleranceSec', this.settings.timestampToleranceSec);
		checkNonNegative('taskRetentionMs', this.settings.taskRetentionMs);
		const patch: SimulatorConfigPatch = {};
		for (const key of PATCH_KEYS)
			if (options[key] !== undefined) Object.assign(patch, { [key]: options[key] });
		this.video = new VideoFile(this.fixture);
		this.configure(patch);
		this.rng = mulberry32(this.newSeed());
	}

	/** Resolves to the base URL, e.g. 'http://127.0.0.1:39123'. */
	async start(): Promise<string> {
		if (this.server) return this.baseUrl;
		const server = createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => this.internalError(res, error));
		});
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(this.settings.port, this.settings.host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		this.server = server;
		const address = server.address();
		const port = typeof address === 'object' && address ? address.port : this.settings.port;
		this.baseUrl = `http://${urlHost(this.settings.host)}:${port}`;
		return this.baseUrl;
	}

	/** Closes the server and destroys open sockets (keep-alive ones included). */
	async stop(): Promise<void> {
		await this.ark?.stop();
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		const server = this.server;
		if (!server) return;
		this.server = null;
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		await closed;
	}

	get url(): string {
		return this.baseUrl;
	}

	/** Requests whose action was CVSync2AsyncSubmitTask, whatever their outcome. */
	submits(): RequestLogEntry[] {
		return this.requests.filter((r) => r.action === SUBMIT_ACTION);
	}

	getResults(): RequestLogEntry[] {
		return this.requests.filter((r) => r.action === GET_RESULT_ACTION);
	}

	downloads(): RequestLogEntry[] {
		return this.requests.filter((r) => r.action === 'download');
	}

	/** In creation order. */
	createdTaskIds(): string[] {
		return [...this.tasks.keys()];
	}

	/**
	 * Test aid: the task is done (or failed, with its fail code) from now on, whatever its timings. Lets
	 * a test decide when generation ends instead of waiting for the clock.
	 */
	finishTask(taskId: string): void {
		const task = this.tasks.get(taskId);
		if (!task) throw new RangeError(`no task ${taskId}`);
		const elapsed = Date.now() - task.createdAt;
		task.queueMs = Math.min(task.queueMs, elapsed);
		task.generateMs = Math.max(0, Math.min(task.generateMs, elapsed - task.queueMs));
	}

	/**
	 * Changes timing, limits, video size or faults. `faults` replaces the whole fault set.
	 * Timing changes apply to tasks created afterwards. Throws RangeError on invalid values.
	 */
	configure(patch: SimulatorConfigPatch): void {
		if (typeof patch !== 'object' || patch === null)
			throw new RangeError('the config patch must be an object');
		for (const key of Object.keys(patch)) {
			if (!(PATCH_KEYS as readonly string[]).includes(key))
				throw new RangeError(`unknown config key "${key}" (allowed: ${PATCH_KEYS.join(', ')})`);
		}
		// Validate everything first so a bad patch changes nothing.
		if (patch.queueMs !== undefined) checkNonNegative('queueMs', patch.queueMs);
		if (patch.generateMs !== undefined) checkNonNegative('generateMs', patch.generateMs);
		if (patch.videoUrlTtlMs !== undefined) checkNonNegative('videoUrlTtlMs', patch.videoUrlTtlMs);
		if (patch.concurrency !== undefined) checkLimit('concurrency', patch.concurrency);
		if (patch.qps !== undefined) checkLimit('qps', patch.qps);
		if (patch.videoBytes !== undefined) {
			const problem = checkVideoBytes(this.fixture.length, patch.videoBytes);
			if (problem) throw new RangeError(problem);
		}
		if (patch.faults !== undefined) checkFaults(patch.faults);

		const s = this.settings;
		if (patch.queueMs !== undefined) s.queueMs = patch.queueMs;
		if (patch.generateMs !== undefined) s.generateMs = patch.generateMs;
		if (patch.videoUrlTtlMs !== undefined) s.videoUrlTtlMs = patch.videoUrlTtlMs;
		if (patch.concurrency !== undefined) s.concurrency = patch.concurrency;
		if (patch.qps !== undefined) s.qps = patch.qps;
		if (patch.videoBytes !== undefined) {
			s.videoBytes = patch.videoBytes;
			this.video = new VideoFile(this.fixture, patch.videoBytes);
		}
		if (patch.faults !== undefined) s.faults = { ...patch.faults };
	}

	/** Clears tasks, limits' windows and the log, and re-seeds the PRNG (options are kept). */
	reset(): void {
		this.tasks.clear();
		this.active.clear();
		this.qpsWindows.clear();
		this.maxConcurrent.clear();
		this.maxConcurrentAll = 0;
		this.requests.length = 0;
		this.seq = 0;
		this.rng = mulberry32(this.newSeed());
	}

	task(id: string): SimulatedTask | undefined {
		const task = this.tasks.get(id);
		return task ? this.describe(task, Date.now()) : undefined;
	}

	/** From now on Get Result answers status 'expired' for this task. Throws for an unknown id. */
	expireTask(id: string): void {
		const task = this.tasks.get(id);
		if (!task) throw new RangeError(`unknown task ${id}`);
		task.expiredAt ??= Date.now();
	}

	/** Highest number of simultaneously unfinished tasks seen, for one account or all together. */
	maxConcurrentObserved(accessKeyId?: string): number {
		return accessKeyId === undefined
			? this.maxConcurrentAll
			: (this.maxConcurrent.get(accessKeyId) ?? 0);
	}

	// ---- request handling -------------------------------------------------------------------------

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const startedNs = process.hrtime.bigint();
		const rawUrl = req.url ?? '/';
		const q = rawUrl.indexOf('?');
		const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
		const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
		const method = req.method ?? 'GET';

		if (path === '/_sim' || path.startsWith('/_sim/'))
			return this.handleAdmin(req, res, method, path);
		if (this.ark?.owns(path)) return this.ark.handle(req, res);
		const entry = this.newEntry(method, path);
		if (path.startsWith('/video/') && (method === 'GET' || method === 'HEAD')) {
			req.resume();
			return this.handleDownload(req, res, entry, path, rawQuery);
		}
		if (path === SAMPLE_IMAGE_PATH && method === 'GET') {
			req.resume();
			entry.action = 'sample';
			res.writeHead(200, {
				'Content-Type': 'image/png',
				'Content-Length': String(SAMPLE_IMAGE.bytes.length),
			});
			this.record(entry, 200);
			res.end(Buffer.from(SAMPLE_IMAGE.bytes));
			return;
		}
		if (path !== '/' || method !== 'POST') {
			req.resume();
			const answer = gatewayErrorAnswer(
				'InvalidActionOrVersion',
				`No API is served at ${method} ${path}.`,
				this.gatewayContext('', ''),
			);
			entry.gatewayError = 'InvalidActionOrVersion';
			return this.writeJson(res, entry, answer, startedNs, false);
		}
		return this.handleApi(req, res, entry, path, rawQuery, startedNs);
	}

	private async handleApi(
		req: IncomingMessage,
		res: ServerResponse,
		entry: RequestLogEntry,
		path: string,
		rawQuery: string,
		startedNs: bigint,
	): Promise<void> {
		const body = await readBody(req);
		if (!body) return; // the client went away mid-body: nobody to answer
		const query = parseQuery(rawQuery);
		const action = queryValue(query.Action);
		const version = queryValue(query.Version);
		entry.action = action;
		entry.bodySha256 = body.sha256;
		const json = body.kept ? parseJson(body.kept) : undefined;
		entry.body = json === undefined ? describeUnparsed(body) : redactBase64(json);
		if (isRecord(json) && typeof json.req_key === 'string') entry.reqKey = json.req_key;
		if (action === GET_RESULT_ACTION && isRecord(json) && typeof json.task_id === 'string')
			entry.taskId = json.task_id;
		const ctx = this.gatewayContext(action ?? '', version ?? '');
		const now = Date.now();

		const verdict = verifySignature(
			{
				method: req.method ?? 'POST',
				path,
				query,
				headers: req.headers,
				// Only the body's presence matters to the signer once the real hash is given.
				body: body.size === 0 ? '' : body.kept ? body.kept.toString('utf8') : '<body>',
				bodySha256: body.sha256,
			},
			{
				accounts: this.settings.accounts,
				region: this.settings.region,
				service: this.settings.service,
				timestampToleranceSec: this.settings.timestampToleranceSec,
				now,
			},
		);
		entry.accessKeyId = verdict.ok ? verdict.account.accessKeyId : verdict.accessKeyId;
		const gatewayError = (code: GatewayErrorCode, message: string) => {
			entry.gatewayError = code;
			return this.writeJson(res, entry, gatewayErrorAnswer(code, message, ctx), startedNs, true);
		};
		if (!verdict.ok) return gatewayError(verdict.error, verdict.message);
		if (!action)
			return gatewayError(
				'MissingParameter',
				'The request must contain the query parameter Action.',
			);
		if (!version)
			return gatewayError(
				'MissingParameter',
				'The request must contain the query parameter Version.',
			);
		if (action === ECHO_BODY_ACTION) {
			const echo = {
				sha256: body.sha256,
				size: body.size,
				signature: 'verified',
				content_type: firstHeader(req, 'content-type') ?? null,
			};
			return this.writeBusiness(res, entry, SUCCESS_CODE, echo, 'Success', startedNs);
		}
		if ((action !== SUBMIT_ACTION && action !== GET_RESULT_ACTION) || version !== API_VERSION) {
			return gatewayError(
				'InvalidActionOrVersion',
				`Action ${action} with Version ${version} is not available on service ${this.settings.service}; ` +
					`use ${SUBMIT_ACTION} or ${GET_RESULT_ACTION} with Version ${API_VERSION}.`,
			);
		}

		const faults = this.settings.faults;
		const businessError = (code: number, message: string = codeInfo(code).message) =>
			this.writeBusiness(res, entry, code, null, message, startedNs);
		if (this.chance(faults.resetBeforeCreate))
			return this.resetConnection(req, entry, 'resetBeforeCreate');
		if (this.chance(faults.htmlErrorPage)) return this.writeHtmlErrorPage(res, entry, startedNs);
		if (this.chance(faults.gatewayErrorBeforeCreate)) {
			entry.fault = 'gatewayErrorBeforeCreate';
			return gatewayError('InternalServiceError', 'The service behind the gateway failed.');
		}
		for (const [fault, code] of [
			['rate50429', 50429],
			['rate50500', 50500],
			['rate50501', 50501],
		] as const) {
			if (this.chance(faults[fault])) {
				entry.fault = fault;
				return businessError(code);
			}
		}
		if (!this.admitQps(verdict.account.accessKeyId, now)) return businessError(50429);

		try {
			if (body.size > MAX_BODY_BYTES) {
				throw new BusinessError(
					50213,
					`the body is ${body.size} bytes, at most ${MAX_BODY_BYTES} (10 MiB) are allowed`,
				);
			}
			if (json === undefined)
				throw new BusinessError(
					50204,
					body.size === 0 ? 'the body is empty' : 'the body is not valid JSON',
				);
			const call: ActionCall = { req, res, entry, json, account: verdict.account, startedNs };
			if (action === SUBMIT_ACTION) return await this.submit(call);
			return this.getResult(call);
		} catch (error) {
			if (error instanceof BusinessError) return businessError(error.code, error.message);
			throw error;
		}
	}

	private async submit({ req, res, entry, json, account, startedNs }: ActionCall): Promise<void> {
		const request = validateSubmit(json);
		const markers = readPromptMarkers(request.prompt);
		if (markers.code !== null && markers.code !== SUCCESS_CODE)
			throw new BusinessError(markers.code);
		const now = Date.now();
		const limit = this.settings.concurrency;
		if (limit !== null && this.unfinished(account.accessKeyId, now).length >= limit)
			throw new BusinessError(50430);

		const s = this.settings;
		let queueMs = s.queueMs;
		let generateMs = s.generateMs;
		if (markers.ms !== null) {
			// Split a per-task total the way the defaults are split.
			const total = s.queueMs + s.generateMs;
			queueMs = total === 0 ? 0 : Math.round((markers.ms * s.queueMs) / total);
			generateMs = markers.ms - queueMs;
		}
		const task: TaskRecord = {
			id: this.newTaskId(),
			reqKey: request.reqKey,
			accessKeyId: account.accessKeyId,
			createdAt: now,
			queueMs,
			generateMs,
			body: entry.body,
			failCode:
				markers.fail ?? (this.chance(s.faults.failRate) ? (s.faults.failCode ?? 50516) : null),
			expiredAt: null,
			videoUrl: null,
			downloads: 0,
		};
		this.addTask(task, now);
		entry.taskCreated = true;
		entry.taskId = task.id;
		if (this.chance(s.faults.resetAfterCreate))
			return this.resetConnection(req, entry, 'resetAfterCreate');
		if (this.chance(s.faults.invalidHttpAfterCreate)) return this.writeInvalidHttp(req, entry);
		const answer = businessAnswer(SUCCESS_CODE, { task_id: task.id }, 'Success', startedNs);
		if (this.chance(s.faults.gatewayTimeoutAfterCreate)) {
			entry.fault = 'gatewayTimeoutAfterCreate';
			entry.gatewayError = 'InternalServiceTimeout';
			const timeout = gatewayErrorAnswer(
				'InternalServiceTimeout',
				'The service did not answer in time.',
				this.gatewayContext(SUBMIT_ACTION, API_VERSION),
			);
			return this.writeJson(res, entry, timeout, startedNs, true);
		}
		if (this.chance(s.faults.truncatedAnswerAfterCreate)) {
			entry.fault = 'truncatedAnswerAfterCreate';
			const text = JSON.stringify(answer.body);
			return this.writeRaw(
				res,
				entry,
				200,
				JSON_TYPE,
				text.slice(0, Math.floor(text.length / 2)),
				startedNs,
			);
		}
		entry.code = SUCCESS_CODE;
		return this.writeJson(res, entry, answer, startedNs, true);
	}

	private getResult({ req, res, entry, json, account, startedNs }: ActionCall): Promise<void> {
		const request = validateGetResult(json);
		const now = Date.now();
		const found = this.tasks.get(request.taskId);
		// Tasks are private to their account and their model: anything else is simply not found.
		const task =
			found && found.accessKeyId === account.accessKeyId && found.reqKey === request.reqKey
				? found
				: null;
		const state = task ? stateOf(task, now, this.settings.taskRetentionMs) : 'not_found';
		if (state === 'failed') throw new BusinessError(task!.failCode!);
		const data = {
			aigc_meta_tagged: state === 'done' && request.aigcMeta !== null,
			binary_data_base64: [] as string[],
			image_urls: null,
			status: state,
			video_url: '',
		};
		if (state === 'done') {
			// A freshly signed URL (new expiry) on every call, like the CDN links of the real service.
			const expiresAt = now + this.settings.videoUrlTtlMs;
			const signature = signVideoUrl(this.urlKey, task!.id, expiresAt);
			data.video_url = `${this.publicBase(req)}/video/${task!.id}.mp4?x-expires=${expiresAt}&x-signature=${signature}`;
			task!.videoUrl = data.video_url;
		}
		return this.writeBusiness(res, entry, SUCCESS_CODE, data, 'Success', startedNs);
	}

	private async handleDownload(
		req: IncomingMessage,
		res: ServerResponse,
		entry: RequestLogEntry,
		path: string,
		rawQuery: string,
	): Promise<void> {
		entry.action = 'download';
		const match = /^\/video\/(\d+)\.mp4$/.exec(path);
		const task = match ? this.tasks.get(match[1]) : undefined;
		if (match) entry.taskId = match[1];
		if (!task)
			return this.writeXml(res, entry, 404, 'NoSuchKey', 'The specified key does not exist.');
		entry.reqKey = task.reqKey;
		const query = parseQuery(rawQuery);
		const expires = queryValue(query['x-expires']) ?? '';
		const signature = queryValue(query['x-signature']) ?? '';
		if (!checkVideoUrlSignature(this.urlKey, task.id, expires, signature)) {
			return this.writeXml(res, entry, 403, 'AccessDenied', 'Signature does not match.');
		}
		if (Date.now() > Number(expires))
			return this.writeXml(res, entry, 403, 'AccessDenied', 'Request has expired');

		const isGet = req.method === 'GET';
		if (isGet) {
			task.downloads++;
			if (task.downloads === 1 && this.chance(this.settings.faults.expireFirstDownload)) {
				entry.fault = 'expireFirstDownload';
				return this.writeXml(res, entry, 403, 'AccessDenied', 'Request has expired');
			}
		}
		const video = this.video;
		const range = parseRange(firstHeader(req, 'range'), video.size);
		if (range === 'unsatisfiable') {
			res.setHeader('Content-Range', `bytes */${video.size}`);
			return this.writeXml(
				res,
				entry,
				416,
				'InvalidRange',
				'The requested range is not satisfiable',
			);
		}
		const start = range ? range.start : 0;
		const end = range ? range.end : video.size;
		const truncate = isGet && this.chance(this.settings.faults.truncateDownload);
		if (truncate) entry.fault = 'truncateDownload';
		const delayMs = this.settings.faults.downloadDelayMs ?? 0;
		if (isGet && delayMs > 0) await this.pause(delayMs);
		const acceptsGzip = /\bgzip\b/i.test(firstHeader(req, 'accept-encoding') ?? '');
		const gzip =
			(acceptsGzip && this.chance(this.settings.faults.gzipDownload)) ||
			this.chance(this.settings.faults.gzipDownloadAlways);
		if (isGet && !range && gzip) {
			entry.fault = truncate ? 'gzipDownload+truncateDownload' : 'gzipDownload';
			return this.sendGzipped(res, entry, video, truncate);
		}
		res.statusCode = range ? 206 : 200;
		res.setHeader('Content-Type', 'video/mp4');
		res.setHeader('Content-Length', String(end - start));
		res.setHeader('Accept-Ranges', 'bytes');
		if (range) res.setHeader('Content-Range', `bytes ${start}-${end - 1}/${video.size}`);
		this.record(entry, res.statusCode);
		if (!isGet) {
			res.end();
			return;
		}
		res.flushHeaders();
		const stream = video.stream(start, truncate ? start + Math.floor((end - start) / 2) : end);
		// pipe() gives backpressure: the next chunk is produced only when the socket drained the last one.
		stream.pipe(res, { end: !truncate });
		res.on('close', () => stream.destroy());
		if (truncate) {
			// Flush what was sent, then close: the client sees fewer bytes than Content-Length announced.
			stream.on('end', () => res.socket?.end());
		}
	}

	private async handleAdmin(
		req: IncomingMessage,
		res: ServerResponse,
		method: string,
		path: string,
	): Promise<void> {
		const send = (status: number, body: unknown) => {
			const text = JSON.stringify(body);
			res.writeHead(status, {
				'Content-Type': JSON_TYPE,
				'Content-Length': Buffer.byteLength(text),
			});
			res.end(text);
		};
		const body = await readBody(req);
		if (!body) return;
		if (method === 'GET' && path === '/_sim/log') return send(200, this.requests);
		if (method === 'GET' && path === '/_sim/state') return send(200, this.state());
		if (method === 'POST' && path === '/_sim/reset') {
			this.reset();
			return send(200, { ok: true });
		}
		if (method === 'POST' && path === '/_sim/config') {
			const patch = body.kept ? parseJson(body.kept) : undefined;
			try {
				this.configure(patch as SimulatorConfigPatch);
			} catch (error) {
				return send(400, { error: error instanceof Error ? error.message : String(error) });
			}
			return send(200, { ok: true, config: this.publicConfig() });
		}
		const expire = /^\/_sim\/expire\/([^/]+)$/.exec(path);
		if (method === 'POST' && expire) {
			const id = decodeURIComponent(expire[1]);
			if (!this.tasks.has(id)) return send(404, { error: `unknown task ${id}` });
			this.expireTask(id);
			return send(200, { ok: true, task: this.task(id) });
		}
		return send(404, {
			error: `unknown admin endpoint ${method} ${path}`,
			endpoints: [
				'GET /_sim/log',
				'GET /_sim/state',
				'POST /_sim/config',
				'POST /_sim/reset',
				'POST /_sim/expire/<taskId>',
			],
		});
	}

	// ---- answers ----------------------------------------------------------------------------------

	/** An API answer in the service's envelope (`data` and `message` under `code`), logged with that code. */
	private writeBusiness(
		res: ServerResponse,
		entry: RequestLogEntry,
		code: number,
		data: unknown,
		message: string,
		startedNs: bigint,
	): Promise<void> {
		entry.code = code;
		return this.writeJson(
			res,
			entry,
			businessAnswer(code, data, message, startedNs),
			startedNs,
			true,
		);
	}

	private writeJson(
		res: ServerResponse,
		entry: RequestLogEntry,
		answer: JsonAnswer,
		startedNs: bigint,
		api: boolean,
	): Promise<void> {
		return this.writeRaw(
			res,
			entry,
			answer.http,
			JSON_TYPE,
			JSON.stringify(answer.body),
			startedNs,
			api,
		);
	}

	/** A body written as given (an HTML page, a cut-off JSON), with a matching Content-Length. */
	private writeRaw(
		res: ServerResponse,
		entry: RequestLogEntry,
		status: number,
		contentType: string,
		text: string,
		startedNs: bigint,
		api = true,
	): Promise<void> {
		return this.later(api, () => {
			this.record(entry, status, startedNs);
			if (res.destroyed) return;
			res.writeHead(status, {
				'Content-Type': contentType,
				'Content-Length': Buffer.byteLength(text),
			});
			res.end(text);
		});
	}

	/** What a load balancer in front of the gateway answers when its upstream fails. */
	private writeHtmlErrorPage(
		res: ServerResponse,
		entry: RequestLogEntry,
		startedNs: bigint,
	): Promise<void> {
		entry.fault = 'htmlErrorPage';
		const page =
			'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
		return this.writeRaw(res, entry, 502, 'text/html', page, startedNs);
	}

	/** The whole video gzip-compressed, Content-Length the compressed size; `truncate` cuts it halfway. */
	private async sendGzipped(
		res: ServerResponse,
		entry: RequestLogEntry,
		video: VideoFile,
		truncate: boolean,
	): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of video.stream()) chunks.push(chunk as Buffer);
		const compressed = gzipSync(Buffer.concat(chunks));
		res.writeHead(200, {
			'Content-Type': 'video/mp4',
			'Content-Encoding': 'gzip',
			'Content-Length': compressed.length,
		});
		this.record(entry, 200);
		if (!truncate) {
			res.end(compressed);
			return;
		}
		res.write(compressed.subarray(0, Math.floor(compressed.length / 2)), () => res.socket?.end());
	}

	private pause(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	private writeXml(
		res: ServerResponse,
		entry: RequestLogEntry,
		status: number,
		code: string,
		message: string,
	): void {
		// The CDN's error shape, not the API's.
		const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
		this.record(entry, status);
		res.writeHead(status, {
			'Content-Type': 'application/xml',
			'Content-Length': Buffer.byteLength(text),
		});
		res.end(text);
	}

	private resetConnection(
		req: IncomingMessage,
		entry: RequestLogEntry,
		fault: string,
	): Promise<void> {
		entry.fault = fault;
		return this.later(true, () => {
			this.record(entry, null);
			req.socket.destroy();
		});
	}

	/** A status line, then a header value with a control character: Node's HTTP parser refuses it. */
	private writeInvalidHttp(req: IncomingMessage, entry: RequestLogEntry): Promise<void> {
		entry.fault = 'invalidHttpAfterCreate';
		return this.later(true, () => {
			this.record(entry, null);
			req.socket.end(
				'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Broken: a\u0001b\r\n\r\n{}',
			);
		});
	}

	private internalError(res: ServerResponse, error: unknown): void {
		this.settings.log?.(
			`simulator internal error: ${error instanceof Error ? error.stack : String(error)}`,
		);
		if (res.headersSent || res.destroyed) {
			res.destroy();
			return;
		}
		const answer = gatewayErrorAnswer(
			'InternalError',
			'The simulator failed to handle this request.',
			this.gatewayContext('', ''),
		);
		const text = JSON.stringify(answer.body);
		res.writeHead(answer.http, {
			'Content-Type': JSON_TYPE,
			'Content-Length': Buffer.byteLength(text),
		});
		res.end(text);
	}

	/** Runs `fn` after the configured API latency (immediately for non-API answers). */
	private later(api: boolean, fn: () => void): Promise<void> {
		const delay = api ? (this.settings.faults.latencyMs ?? 0) : 0;
		if (delay <= 0) {
			fn();
			return Promise.resolve();
		}
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				fn();
				resolve();
			}, delay);
			this.timers.add(timer);
		});
	}

	// ---- log --------------------------------------------------------------------------------------

	private newEntry(method: string, path: string): RequestLogEntry {
		return {
			seq: ++this.seq,
			at: Date.now(),
			method,
			path,
			action: null,
			accessKeyId: null,
			httpStatus: null,
			code: null,
			gatewayError: null,
			reqKey: null,
			taskId: null,
			body: null,
			taskCreated: false,
			fault: null,
			bodySha256: null,
		};
	}

	/** Adds the entry once its outcome is known, keeping the log in arrival (seq) order. */
	private record(entry: RequestLogEntry, httpStatus: number | null, startedNs?: bigint): void {
		entry.httpStatus = httpStatus;
		let index = this.requests.length;
		while (index > 0 && this.requests[index - 1].seq > entry.seq) index--;
		this.requests.splice(index, 0, entry);
		const log = this.settings.log;
		if (!log) return;
		const parts = [
			`#${entry.seq}`,
			entry.method,
			entry.path,
			entry.action ?? '-',
			httpStatus === null ? 'RESET' : String(httpStatus),
		];
		if (entry.gatewayError) parts.push(entry.gatewayError);
		if (entry.code !== null) parts.push(`code=${entry.code}`);
		if (entry.accessKeyId) parts.push(`ak=${entry.accessKeyId}`);
		if (entry.reqKey) parts.push(`req_key=${entry.reqKey}`);
		if (entry.taskId) parts.push(`task=${entry.taskId}${entry.taskCreated ? ' (created)' : ''}`);
		if (entry.fault) parts.push(`fault=${entry.fault}`);
		if (startedNs !== undefined)
			parts.push(`${Number((process.hrtime.bigint() - startedNs) / 1000n) / 1000}ms`);
		log(parts.join(' '));
	}

	// ---- tasks and limits -------------------------------------------------------------------------

	private addTask(task: TaskRecord, now: number): void {
		this.tasks.set(task.id, task);
		const state = stateOf(task, now, this.settings.taskRetentionMs);
		// A zero-duration task ([sim:ms=0]) is done at once and never counts as in flight.
		if (state === 'in_queue' || state === 'generating')
			this.unfinished(task.accessKeyId, now).push(task);
		// Unfinished counts only grow when a task is created, so checking here catches every maximum.
		const mine = this.unfinished(task.accessKeyId, now).length;
		this.maxConcurrent.set(
			task.accessKeyId,
			Math.max(this.maxConcurrent.get(task.accessKeyId) ?? 0, mine),
		);
		let all = 0;
		for (const accessKeyId of this.active.keys()) all += this.unfinished(accessKeyId, now).length;
		this.maxConcurrentAll = Math.max(this.maxConcurrentAll, all);
	}

	/** The account's tasks still in_queue or generating at `now`; prunes the rest (the returned list is the stored one). */
	private unfinished(accessKeyId: string, now: number): TaskRecord[] {
		const list = (this.active.get(accessKeyId) ?? []).filter((t) => {
			const state = stateOf(t, now, this.settings.taskRetentionMs);
			return state === 'in_queue' || state === 'generating';
		});
		this.active.set(accessKeyId, list);
		return list;
	}

	/** Rolling one-second window per account; only admitted requests count. */
	private admitQps(accessKeyId: string, now: number): boolean {
		const limit = this.settings.qps;
		if (limit === null) return true;
		const window = (this.qpsWindows.get(accessKeyId) ?? []).filter((t) => t > now - 1000);
		const admitted = window.length < limit;
		if (admitted) window.push(now);
		this.qpsWindows.set(accessKeyId, window);
		return admitted;
	}

	/** 19–20 digit decimal ids; about half exceed 2^63 so a client that parses them as numbers breaks visibly. */
	private newTaskId(): string {
		const two63 = 1n << 63n;
		const low = 7_000_000_000_000_000_000n; // real ids below 2^63 start around 7.3e18
		for (;;) {
			const random =
				(BigInt(Math.floor(this.rng() * 2 ** 32)) << 32n) |
				BigInt(Math.floor(this.rng() * 2 ** 32));
			const id = this.rng() < 0.5 ? two63 + (random % two63) : low + (random % (two63 - low));
			const text = id.toString();
			if (!this.tasks.has(text)) return text;
		}
	}

	private chance(probability: number | undefined): boolean {
		// Draw only for active faults, so enabling none leaves task ids as without faults.
		return probability !== undefined && probability > 0 && this.rng() < probability;
	}

	private newSeed(): number {
		return this.settings.seed ?? randomBytes(4).readUInt32BE(0);
	}

	// ---- views ------------------------------------------------------------------------------------

	private describe(task: TaskRecord, now: number): SimulatedTask {
		const view: SimulatedTask = {
			id: task.id,
			reqKey: task.reqKey,
			accessKeyId: task.accessKeyId,
			createdAt: task.createdAt,
			queueMs: task.queueMs,
			generateMs: task.generateMs,
			doneAt: task.createdAt + task.queueMs + task.generateMs,
			body: task.body,
			state: stateOf(task, now, this.settings.taskRetentionMs),
			downloads: task.downloads,
		};
		if (task.failCode !== null) view.failCode = task.failCode;
		if (task.videoUrl !== null) view.videoUrl = task.videoUrl;
		return view;
	}

	private state(): unknown {
		const now = Date.now();
		const tasks = [...this.tasks.values()].map((t) => this.describe(t, now));
		const byState: Record<string, number> = {};
		for (const t of tasks) byState[t.state] = (byState[t.state] ?? 0) + 1;
		return {
			url: this.baseUrl,
			config: this.publicConfig(),
			counts: {
				requests: this.requests.length,
				submits: this.submits().length,
				created: this.tasks.size,
				getResults: this.getResults().length,
				downloads: this.downloads().length,
				maxConcurrency: this.maxConcurrentAll,
				maxConcurrencyByAccount: Object.fromEntries(this.maxConcurrent),
				tasksByState: byState,
			},
			tasks,
		};
	}

	/** Settings without secrets. */
	private publicConfig(): Record<string, unknown> {
		const s = this.settings;
		return {
			region: s.region,
			service: s.service,
			accessKeyIds: s.accounts.map((a) => a.accessKeyId),
			timestampToleranceSec: s.timestampToleranceSec,
			queueMs: s.queueMs,
			generateMs: s.generateMs,
			concurrency: s.concurrency,
			qps: s.qps,
			videoUrlTtlMs: s.videoUrlTtlMs,
			taskRetentionMs: s.taskRetentionMs,
			videoBytes: s.videoBytes,
			videoSize: this.video.size,
			faults: s.faults,
			seed: s.seed ?? null,
		};
	}

	private gatewayContext(action: string, version: string) {
		return { action, version, service: this.settings.service, region: this.settings.region };
	}

	/** Base URL for video links: the host the client reached us by, so links work behind port mappings. */
	private publicBase(req: IncomingMessage): string {
		const host = req.headers.host;
		return host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? `http://${host}` : this.baseUrl;
	}
}

// ---- helpers --------------------------------------------------------------------------------------

function stateOf(task: TaskRecord, now: number, retentionMs: number): SimulatedTaskState {
	if (now - task.createdAt > retentionMs) return 'not_found';
	if (task.expiredAt !== null) return 'expired';
	const elapsed = now - task.createdAt;
	if (elapsed < task.queueMs) return 'in_queue';
	if (elapsed < task.queueMs + task.generateMs) return 'generating';
	return task.failCode !== null ? 'failed' : 'done';
}

interface ReceivedBody {
	/** The bytes, or null when over MAX_BODY_BYTES (only hashed, not kept). */
	kept: Buffer | null;
	size: number;
	sha256: string;
}

/** Reads the whole body, hashing every byte but keeping at most MAX_BODY_BYTES; null if the client aborted. */
function readBody(req: IncomingMessage): Promise<ReceivedBody | null> {
	return new Promise((resolve) => {
		const hash = createHash('sha256');
		let chunks: Buffer[] | null = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			hash.update(chunk);
			size += chunk.length;
			if (chunks && size > MAX_BODY_BYTES) chunks = null;
			chunks?.push(chunk);
		});
		req.on('end', () =>
			resolve({ kept: chunks ? Buffer.concat(chunks) : null, size, sha256: hash.digest('hex') }),
		);
		req.on('close', () => {
			if (!req.complete) resolve(null);
		});
		req.on('error', () => resolve(null));
	});
}

function parseJson(bytes: Buffer): unknown {
	try {
		return JSON.parse(bytes.toString('utf8')) as unknown;
	} catch {
		return undefined;
	}
}

function describeUnparsed(body: ReceivedBody): string | null {
	if (body.size === 0) return null;
	return body.kept ? `<unparsable body ${body.size} bytes>` : `<body too large ${body.size} bytes>`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function queryValue(value: string | string[] | undefined): string | null {
	if (value === undefined) return null;
	// A repeated parameter is never a valid Action/Version: keep all of it so the answer shows why.
	return Array.isArray(value) ? value.join(',') : value;
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

const BASE64_LIKE = /^(?:data:[\w.+-]+\/[\w.+-]+;base64,)?[A-Za-z0-9+/=\r\n]+$/;

/** Copy of a JSON value with base64 payloads replaced by '<base64 N chars>' so logs stay small. */
export function redactBase64(value: unknown, key?: string): unknown {
	if (typeof value === 'string') {
		const isImageField = key === 'binary_data_base64';
		return isImageField || (value.length >= 1024 && BASE64_LIKE.test(value))
			? `<base64 ${value.length} chars>`
			: value;
	}
	if (Array.isArray(value)) return value.map((item) => redactBase64(item, key));
	if (isRecord(value))
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactBase64(v, k)]));
	return value;
}

function urlHost(host: string): string {
	// Wildcard binds are reachable on loopback; IPv6 literals need brackets in a URL.
	if (host === '0.0.0.0' || host === '') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}

function checkNonNegative(name: string, value: unknown): void {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw new RangeError(`${name} must be a finite number >= 0, got ${JSON.stringify(value)}`);
	}
}

function checkLimit(name: string, value: unknown): void {
	if (value === null) return;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw new RangeError(
			`${name} must be null (unlimited) or an integer >= 0, got ${JSON.stringify(value)}`,
		);
	}
}

function checkFaults(faults: unknown): void {
	if (!isRecord(faults)) throw new RangeError('faults must be an object');
	for (const [key, value] of Object.entries(faults)) {
		if (value === undefined) continue;
		if ((PROBABILITY_FAULTS as readonly string[]).includes(key)) {
			if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
				throw new RangeError(
					`faults.${key} is a probability in [0, 1], got ${JSON.stringify(value)}`,
				);
			}
		} else if (key === 'failCode') {
			if (typeof value !== 'number' || !Number.isInteger(value) || value === SUCCESS_CODE) {
				throw new RangeError(
					`faults.failCode must be an integer error code, got ${JSON.stringify(value)}`,
				);
			}
		} else if (key === 'latencyMs' || key === 'downloadDelayMs') {
			checkNonNegative(`faults.${key}`, value);
		} else {
			throw new RangeError(`unknown fault "${key}"`);
		}
	}
}
