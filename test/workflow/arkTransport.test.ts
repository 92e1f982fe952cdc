/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The Ark transport in a real n8n node execution (n8n-core's ExecuteContext and PollContext, the
 * built credential's authenticate) against the Ark simulator: the money rules of create — repeated
 * only after a refusal, never after an unknown outcome, which listing settles —, the other calls,
 * and that the API key never shows up in what comes back.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
	ArkApiError,
	arkTaskJson,
	buildArkRequest,
	cancelTask,
	createTask,
	getTask,
	listTasks,
	type ArkCreateBody,
	type CreateOptions,
} from '../../nodes/shared/ark';
import { ArkSimulator, DEFAULT_ARK_API_KEY, type ArkFaults } from '../tooling/simulator';
import { arkCredential, arkProbeWorkflow, inArkNode } from '../support/arkProbe';
import { createHarness, type Harness } from '../support/harness';
import { sleep } from '../support/time';

const MODEL = 'doubao-seedance-1-5-pro-251215';
const FAST = { retry: { baseDelayMs: 5, maxDelayMs: 20 }, resolve: { delayMs: 20, attempts: 2 } };

function body(overrides: Partial<ArkCreateBody> = {}, seed = -1): ArkCreateBody {
	const { body } = buildArkRequest({
		model: MODEL,
		prompt: 'a lighthouse at dusk',
		resolution: '720p',
		ratio: '16:9',
		duration: 5,
		seed,
	});
	return { ...body, ...overrides };
}

/** The error `promise` rejects with, which must be an ArkApiError. */
async function arkError(promise: Promise<unknown>): Promise<ArkApiError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!(error instanceof ArkApiError))
		throw new Error(`expected an ArkApiError, got ${String(error)}`);
	return error;
}

describe('Ark transport in n8n, against the simulator', () => {
	const sim = new ArkSimulator({ seed: 3, queueMs: 20, generateMs: 40 });
	let harness: Harness;
	let base = '';
	beforeAll(async () => {
		base = await sim.start();
		harness = await createHarness([arkCredential({ apiKey: DEFAULT_ARK_API_KEY, baseUrl: base })]);
	});
	beforeEach(() => {
		sim.reset();
		sim.configure({ queueMs: 20, generateMs: 40, faults: {} });
	});
	afterAll(async () => await sim.stop());

	/** Waits until the simulator shows the task in `status` (15 s at most). */
	const until = async (taskId: string, status: string) => {
		for (const end = Date.now() + 15_000; Date.now() < end; await sleep(20)) {
			if (sim.task(taskId)?.status === status) return;
		}
		throw new Error(`task ${taskId} never became ${status}`);
	};

	const create = (b: ArkCreateBody, options: CreateOptions = {}) =>
		inArkNode(harness, (ctx) => createTask(ctx, b, { ...FAST, ...options }));

	it('creates once and reads the task back as the contract json', async () => {
		const created = await create(body());
		expect(created).toMatchObject({ resolvedByList: false });
		expect(created.taskId).toMatch(/^cgt-/);
		expect(sim.creates()).toHaveLength(1);
		await until(created.taskId, 'succeeded');
		const task = await inArkNode(harness, (ctx) => getTask(ctx, created.taskId));
		const json = arkTaskJson(task);
		expect(json).toMatchObject({
			task_id: created.taskId,
			status: 'succeeded',
			model: MODEL,
			resolution: '720p',
			ratio: '16:9',
			duration: 5,
			generate_audio: true,
			tokens: 108900,
		});
		expect(json.estimated_cost_cny).toBeCloseTo((108900 * 16) / 1e6, 4);
		expect(String(json.video_url)).toContain('/ark-media/');
	});

	it("a failed task's GET is the task with its own error, not a refusal (HTTP 200)", async () => {
		const created = await create(
			body({ content: [{ type: 'text', text: 'x [sim:output-moderation]' }] }),
		);
		await until(created.taskId, 'failed');
		const task = await inArkNode(harness, (ctx) => getTask(ctx, created.taskId));
		expect(task).toMatchObject({
			id: created.taskId,
			status: 'failed',
			error: { code: 'OutputVideoSensitiveContentDetected' },
		});
		expect(sim.requests.filter((entry) => entry.call === 'get')).toHaveLength(1);
	});

	it.each<[keyof ArkFaults]>([
		['resetAfterCreate'],
		['invalidHttpAfterCreate'],
		['serverErrorAfterCreate'],
		['gatewayErrorAfterCreate'],
		['truncatedAfterCreate'],
	])('%s: never sent again; the task is found by listing (resolved_by_list)', async (fault) => {
		sim.configure({ faults: { [fault]: 1 } });
		const created = await create(body());
		expect(sim.creates()).toHaveLength(1);
		expect(sim.createdTaskIds()).toEqual([created.taskId]);
		expect(created.resolvedByList).toBe(true);
		expect(arkTaskJson(created.task!, undefined, { resolvedByList: true }).resolved_by_list).toBe(
			true,
		);
	});

	it('a flex create is looked for among flex tasks (Ark lists the default tier unless asked)', async () => {
		sim.configure({ faults: { resetAfterCreate: 1 } });
		const created = await create(body({ service_tier: 'flex' }));
		expect(created).toMatchObject({ resolvedByList: true, taskId: sim.createdTaskIds()[0] });
		const lists = sim.requests.filter((entry) => entry.call === 'list');
		expect(lists.length).toBeGreaterThan(0);
	});

	it('a rate limit (429 envelope) proves no task: retried with backoff, one task in the end', async () => {
		sim.configure({ faults: { rateLimit: 1 } });
		const retries: number[] = [];
		const created = await create(body(), {
			onRetry: ({ delayMs }) => {
				retries.push(delayMs);
				sim.configure({ faults: {} });
			},
		});
		expect(retries).toHaveLength(1);
		expect(sim.creates().map((entry) => entry.httpStatus)).toEqual([429, 200]);
		expect(sim.createdTaskIds()).toEqual([created.taskId]);
	});

	it("Ark's 400 refusal is not retried and names the parameter", async () => {
		const error = await arkError(
			create(body({ model: 'doubao-seedance-2-0-fast-260128', resolution: '1080p' })),
		);
		expect(error.details).toMatchObject({
			kind: 'api',
			code: 'InvalidParameter',
			httpStatus: 400,
			param: 'resolution',
			retryable: false,
		});
		expect(error.details.taskMayExist).toBeUndefined();
		expect(sim.creates()).toHaveLength(1);
	});

	it('nothing matches after an unknown outcome: task_may_exist with submitted_at and the request', async () => {
		sim.configure({ faults: { serverErrorBeforeCreate: 1 } });
		const before = Date.now();
		const error = await arkError(create(body({}, 777)));
		expect(error.details).toMatchObject({
			taskMayExist: true,
			code: 'InternalServiceError',
			retryable: false,
		});
		expect(Date.parse(error.details.submittedAt!)).toBeGreaterThanOrEqual(before - 1000);
		expect(error.details.request).toMatchObject({
			model: MODEL,
			seed: 777,
			prompt: 'a lighthouse at dusk',
			resolution: '720p',
		});
		expect(error.message).toMatch(/NOT sent again/);
		expect(error.message).toMatch(/No fitting task was in the task list after 2 looks/);
		expect([error.message, error.description, JSON.stringify(error)].join()).not.toContain(
			DEFAULT_ARK_API_KEY,
		);
		expect(sim.creates()).toHaveLength(1);
		expect(sim.requests.filter((entry) => entry.call === 'list').length).toBeGreaterThanOrEqual(2);
	});

	it('never adopts a task the caller already knows, never guesses between two', async () => {
		const first = await create(body({}, 5));
		sim.configure({ faults: { serverErrorBeforeCreate: 1 } });
		const known = await arkError(create(body({}, 5), { knownTaskIds: [first.taskId] }));
		expect(known.details.taskMayExist).toBe(true);
		sim.configure({ faults: {} });
		const second = await create(body({}, 5));
		sim.configure({ faults: { serverErrorAfterCreate: 1 } });
		const ambiguous = await arkError(create(body({}, 5)));
		expect(ambiguous.details.taskMayExist).toBe(true);
		expect(ambiguous.message).toMatch(/shows 3 tasks that fit/);
		expect(ambiguous.message).toContain(second.taskId);
	});

	it('a cancel while the create is in flight is an unknown outcome, not looked up', async () => {
		sim.configure({ faults: { latencyMs: 400 } });
		let cancel = () => {};
		const error = await arkError(
			inArkNode(
				harness,
				(ctx) =>
					createTask(ctx, body(), {
						...FAST,
						// n8n aborts a request on the execution's own cancel signal (it replaces any other).
						onSend: () => setTimeout(() => cancel(), 100),
					}),
				{ onStarted: (cancelRun) => (cancel = cancelRun) },
			),
		);
		expect(error.details).toMatchObject({ taskMayExist: true, code: 'CANCELLED' });
		expect(error.message).toMatch(/not looked up, as the execution was cancelled/);
		await sleep(400);
		expect(sim.createdTaskIds()).toHaveLength(1);
		expect(sim.requests.filter((entry) => entry.call === 'list')).toHaveLength(0);
	});

	it('a wrong key: AuthenticationError, sent once, and the key shows nowhere', async () => {
		const secret = 'sk-wrong-key-that-must-not-leak';
		const wrong = await createHarness([arkCredential({ apiKey: secret, baseUrl: base })]);
		const error = await arkError(inArkNode(wrong, (ctx) => createTask(ctx, body(), FAST)));
		expect(error.details).toMatchObject({
			kind: 'api',
			code: 'AuthenticationError',
			httpStatus: 401,
		});
		expect(error.message).toMatch(/API key refused/);
		const everything = [
			error.message,
			error.description,
			error.stack,
			JSON.stringify(error),
			JSON.stringify(error.details),
		].join('\n');
		expect(everything).not.toContain(secret);
		expect(sim.creates()).toHaveLength(1);
	});

	it('an API key with a line break is refused before sending, without echoing it', async () => {
		const broken = await createHarness([
			arkCredential({ apiKey: `${DEFAULT_ARK_API_KEY}\n`, baseUrl: base }),
		]);
		const error = await arkError(inArkNode(broken, (ctx) => createTask(ctx, body(), FAST)));
		expect(error.details).toMatchObject({ kind: 'local', code: 'REQUEST_NOT_SENT' });
		expect(error.message).not.toContain(DEFAULT_ARK_API_KEY);
		expect(sim.requests).toHaveLength(0);
	});

	it('a connection refused proves nothing was sent: retried, then a network error without task_may_exist', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		const nowhere = await createHarness([
			arkCredential({ apiKey: DEFAULT_ARK_API_KEY, baseUrl: `http://127.0.0.1:${port}/api/v3` }),
		]);
		let retries = 0;
		const error = await arkError(
			inArkNode(nowhere, (ctx) =>
				createTask(ctx, body(), {
					...FAST,
					retry: { ...FAST.retry, maxAttempts: 3 },
					onRetry: () => retries++,
				}),
			),
		);
		expect(error.details).toMatchObject({
			kind: 'network',
			code: 'ECONNREFUSED',
			taskMayExist: false,
		});
		expect(retries).toBe(2);
	});

	describe('a Base URL that redirects', () => {
		let redirector: Server;
		let redirectBase = '';
		beforeAll(async () => {
			redirector = createServer((req, res) =>
				res.writeHead(302, { Location: `${base}${req.url?.replace(/^\/api\/v3/, '')}` }).end(),
			);
			await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
			redirectBase = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/api/v3`;
		});
		afterAll(async () => await new Promise((resolve) => redirector.close(resolve)));

		it('is not followed: the create is an unknown outcome, and nothing reached Ark', async () => {
			const redirected = await createHarness([
				arkCredential({ apiKey: DEFAULT_ARK_API_KEY, baseUrl: redirectBase }),
			]);
			const error = await arkError(inArkNode(redirected, (ctx) => createTask(ctx, body(), FAST)));
			expect(error.details).toMatchObject({ taskMayExist: true, code: 'HTTP_302' });
			expect(error.message).toMatch(/Looking for it in the task list failed too/);
			expect(sim.requests).toHaveLength(0);
		});
	});

	it('lists with filters from a poll context too, newest first', async () => {
		const a = await create(body());
		const b = await create(body());
		const workflow = harness.buildWorkflow(arkProbeWorkflow('none'));
		const ctx = harness.pollContext(workflow, 'Ark Probe');
		const list = await listTasks(ctx, { model: MODEL, pageSize: 10 });
		expect(list.items.map((task) => task.id)).toEqual([b.taskId, a.taskId]);
		const one = await listTasks(ctx, { taskIds: [a.taskId] });
		expect(one.items.map((task) => task.id)).toEqual([a.taskId]);
	});

	it('cancels a queued task; refuses a running one; deletes a finished one only when asked', async () => {
		// Phases long enough that each call meets the status it is meant for, even on a busy machine.
		sim.configure({ queueMs: 1000, generateMs: 1500 });
		const queued = await create(body());
		expect(await inArkNode(harness, (ctx) => cancelTask(ctx, queued.taskId))).toEqual({
			taskId: queued.taskId,
			previousStatus: 'queued',
			action: 'cancelled',
		});
		const other = await create(body());
		await until(other.taskId, 'running');
		const running = await arkError(inArkNode(harness, (ctx) => cancelTask(ctx, other.taskId)));
		expect(running.message).toMatch(/is running: Ark cannot cancel a running task/);
		await until(other.taskId, 'succeeded');
		const finished = await arkError(inArkNode(harness, (ctx) => cancelTask(ctx, other.taskId)));
		expect(finished.message).toMatch(/delete its record/);
		expect(sim.task(other.taskId)).toBeDefined();
		const deleted = await inArkNode(harness, (ctx) =>
			cancelTask(ctx, other.taskId, { deleteFinished: true }),
		);
		expect(deleted.action).toBe('deleted');
		expect(sim.task(other.taskId)).toBeUndefined();
		const gone = await arkError(inArkNode(harness, (ctx) => getTask(ctx, other.taskId)));
		expect(gone.details).toMatchObject({ code: 'ResourceNotFound', httpStatus: 404 });
	});
});
