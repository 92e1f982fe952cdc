/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Seedance's money rules in real workflow runs against the Ark simulator: one create per item and
 * execution whatever n8n re-runs (Retry On Fail after an ambiguous create, resolved by listing or
 * not), list resolution that never adopts a task the execution owns, Generate and Wait's batch
 * under Ark's concurrency and queued-task cap, continueOnFail items, bodies held only while needed,
 * and the API key never in what comes back.
 */
import { join } from 'node:path';

import type { BatchProgressEvent } from '../../nodes/shared/batch/batchProgress';
import { png } from '../fixtures/images';
import type { ArkSimulatorOptions } from '../tooling/simulator';
import { createHarness, errorOf, outputOf, REPO_ROOT } from '../support/harness';
import {
	DEFAULT_ARK_API_KEY,
	FAST_POLL,
	SEEDANCE_NODE,
	arkSimulatorCredential,
	binaryOf,
	seedanceWorkflow,
	useSeedanceSimulator,
} from '../support/seedance';

// The node's progress interface, from the same built module the harness loaded.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { onBatchProgress } = require(
	join(REPO_ROOT, 'dist', 'nodes', 'shared', 'batch', 'batchProgress.js'),
) as typeof import('../../nodes/shared/batch/batchProgress');

// n8n reads 0 as its default 1000 ms: 1 ms keeps the test quick.
const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 };
const PROMPT = 'a lighthouse at dusk';

describe('Seedance: never paying twice', () => {
	const options: ArkSimulatorOptions = { seed: 43, queueMs: 20, generateMs: 40 };
	const { ark, harness, onRequest } = useSeedanceSimulator(options, {
		queueMs: 20,
		generateMs: 40,
	});
	const runs: unknown[] = [];
	const run = async (...args: Parameters<typeof seedanceWorkflow>) => {
		const result = await harness.run(seedanceWorkflow(...args));
		runs.push(result);
		return result;
	};
	/** The fault answers the next create only. */
	const faultOnNextCreate = (fault: 'resetAfterCreate' | 'serverErrorBeforeCreate') => {
		ark.configure({ faults: { [fault]: 1 } });
		onRequest((line) => {
			if (/ create /.test(line)) ark.configure({ faults: {} });
		});
	};

	afterAll(() => {
		// Whatever failed above, the key never reached an item, an error or a log of the runs.
		expect(JSON.stringify(runs)).not.toContain(DEFAULT_ARK_API_KEY);
	});

	describe.each(['submit', 'generateAndWait'] as const)('%s', (operation) => {
		it('Retry On Fail after a create nobody answered and listing did not find: one create, task_may_exist, re-runs send nothing', async () => {
			ark.configure({ faults: { serverErrorBeforeCreate: 1 } });
			const result = await run(
				{ operation, prompt: PROMPT, seed: 77, options: FAST_POLL },
				{ nodeSettings: RETRY },
			);
			const error = errorOf(result, SEEDANCE_NODE)!;
			expect(error.message).toMatch(
				/^Ark answered InternalServiceError \(HTTP 500\) after the create request was sent at .*It was NOT sent again, to avoid paying twice\. No fitting task was in the task list after 3 looks\./,
			);
			expect(String((error as { description?: string }).description)).toMatch(
				/Retry On Fail ran this item again; nothing was sent\./,
			);
			expect(ark.creates()).toHaveLength(1);
			// The same in a continueOnFail item: what was asked, when, and that two re-runs sent nothing.
			const kept = await run(
				{ operation, prompt: PROMPT, seed: 78, options: FAST_POLL },
				{ nodeSettings: RETRY, continueOnFail: true },
			);
			expect(outputOf(kept, SEEDANCE_NODE)[0].json).toMatchObject({
				task_may_exist: true,
				code: 'InternalServiceError',
				task_id: null,
				prompt: PROMPT,
				seed: 78,
				model: 'doubao-seedance-1-5-pro-251215',
				submitted_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				reruns_not_sent: 2,
			});
			expect(ark.creates()).toHaveLength(2);
			expect(ark.createdTaskIds()).toEqual([]);
		});

		it('a create whose answer was lost is found by listing: resolved_by_list and the task, one create', async () => {
			faultOnNextCreate('resetAfterCreate');
			const [item] = outputOf(
				await run({ operation, prompt: PROMPT, options: FAST_POLL }),
				SEEDANCE_NODE,
			);
			expect(ark.creates()).toHaveLength(1);
			expect(item.json).toMatchObject({
				task_id: ark.createdTaskIds()[0],
				resolved_by_list: true,
				// Submit shows the task as listed: its status then depends on how long the look took.
				status:
					operation === 'submit'
						? expect.stringMatching(/^(queued|running|succeeded)$/)
						: 'succeeded',
			});
			if (operation === 'generateAndWait') expect(item.binary?.data?.mimeType).toBe('video/mp4');
		});
	});

	it('Retry On Fail after a resolved create and a later refused item: item 0 is never created again', async () => {
		faultOnNextCreate('resetAfterCreate');
		const items = [{ json: { p: PROMPT } }, { json: { p: 'refused [sim:input-moderation]' } }];
		const result = await run(
			{ operation: 'submit', prompt: '={{ $json.p }}' },
			{ items, nodeSettings: RETRY },
		);
		const error = errorOf(result, SEEDANCE_NODE)!;
		expect(error.message).toMatch(/InputTextSensitiveContentDetected/);
		const [taskId] = ark.createdTaskIds();
		expect(ark.createdTaskIds()).toHaveLength(1);
		// One create for item 0 (the first try), three refused ones for item 1 (one per try).
		expect(ark.creates().map((entry) => entry.httpStatus)).toEqual([null, 400, 400, 400]);
		expect(String((error as { description?: string }).description)).toContain(
			`Tasks already created by earlier items (collect them with Get Result): item 0: task_id ${taskId}.`,
		);
	});

	it('listing never adopts a task this execution already owns: two identical items, the second answer lost', async () => {
		// Same prompt, settings and seed: only the execution's own knowledge tells the two apart.
		onRequest((line) => {
			if (/ create 200 /.test(line)) {
				ark.configure({ faults: { resetAfterCreate: 1 } });
				onRequest((next) => {
					if (/ create /.test(next)) ark.configure({ faults: {} });
				});
			}
		});
		const items = [{ json: {} }, { json: {} }];
		const output = outputOf(
			await run({ operation: 'submit', prompt: PROMPT, seed: 5 }, { items }),
			SEEDANCE_NODE,
		);
		expect(ark.creates()).toHaveLength(2);
		expect(output.map((item) => item.json.task_id)).toEqual(ark.createdTaskIds());
		expect(output[0].json.resolved_by_list).toBeUndefined();
		expect(output[1].json.resolved_by_list).toBe(true);
	});

	it('a create refused by Ark proves no task: Retry On Fail may send it again', async () => {
		// The first create is refused (401: the simulator knows another key), the re-run is accepted.
		options.apiKeys = ['another-key'];
		onRequest((line) => {
			if (/ create /.test(line)) delete options.apiKeys;
		});
		const [item] = outputOf(
			await run({ operation: 'submit', prompt: PROMPT }, { nodeSettings: RETRY }),
			SEEDANCE_NODE,
		);
		expect(ark.creates().map((entry) => entry.httpStatus)).toEqual([401, 200]);
		expect(item.json.task_id).toBe(ark.createdTaskIds()[0]);
		expect(ark.createdTaskIds()).toHaveLength(1);
	});
});

describe('Seedance Generate and Wait: the batch', () => {
	const { ark, harness } = useSeedanceSimulator(
		{ seed: 44, queueMs: 20, generateMs: 60 },
		{ queueMs: 20, generateMs: 60 },
	);
	const run = async (...args: Parameters<typeof seedanceWorkflow>) =>
		await harness.run(seedanceWorkflow(...args));
	const prompts = (n: number) =>
		Array.from({ length: n }, (_, i) => ({ json: { p: `clip ${i}` } }));

	it('under concurrency 1 and a queued-task cap of 1: every item once, in order, each video downloaded', async () => {
		ark.configure({ concurrency: 1, maxQueued: 1 });
		const events: BatchProgressEvent[] = [];
		const stop = onBatchProgress((event) => events.push(event));
		const output = outputOf(
			await run(
				{ operation: 'generateAndWait', prompt: '={{ $json.p }}', options: FAST_POLL },
				{ items: prompts(4) },
			),
			SEEDANCE_NODE,
		);
		stop();
		expect(output.map((item) => [item.json.prompt, item.json.status])).toEqual([
			['clip 0', 'succeeded'],
			['clip 1', 'succeeded'],
			['clip 2', 'succeeded'],
			['clip 3', 'succeeded'],
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		for (const item of output) expect(item.binary?.data?.mimeType).toBe('video/mp4');
		// The cap answered 429 QuotaExceeded: each refused item waited and was created once.
		const refused = ark.creates().filter((entry) => entry.errorCode === 'QuotaExceeded');
		expect(refused.length).toBeGreaterThan(0);
		expect(ark.createdTaskIds()).toHaveLength(4);
		expect(new Set(output.map((item) => item.json.task_id))).toEqual(new Set(ark.createdTaskIds()));
		expect(events.filter((event) => event.type === 'concurrencyLimit').length).toBe(refused.length);
	});

	it('binary first frames: each body is read just before its create and released at the answer (one at a time)', async () => {
		ark.configure({ concurrency: 1, maxQueued: 1 });
		const items = [0, 1, 2].map((i) => ({
			json: { p: `frame ${i}` },
			binary: { data: binaryOf(png(640 + i * 16, 360), `f${i}.png`, 'image/png') },
		}));
		const events: BatchProgressEvent[] = [];
		const stop = onBatchProgress((event) => events.push(event));
		const output = outputOf(
			await run(
				{
					operation: 'generateAndWait',
					prompt: '={{ $json.p }}',
					firstFrameSource: 'binary',
					options: { ...FAST_POLL, downloadVideo: false },
				},
				{ items },
			),
			SEEDANCE_NODE,
		);
		stop();
		expect(output.map((item) => item.json.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
		const bodies = events.filter((event) => event.type === 'imageBody');
		expect(Math.max(...bodies.map((event) => (event as { alive: number }).alive))).toBe(1);
		// Read once each (an item refused for the cap keeps its body), released each.
		for (const item of [0, 1, 2]) {
			const mine = bodies.filter((event) => (event as { item: number }).item === item);
			expect(mine.map((event) => (event as { action: string }).action)).toEqual([
				'read',
				'released',
			]);
		}
		expect(bodies.at(-1)).toMatchObject({ alive: 0 });
	});

	it('continueOnFail: an invalid item and a failed task become error items; the others their videos', async () => {
		const items = [
			{ json: { p: 'fine', d: 5 } },
			{ json: { p: 'too long', d: 99 } },
			{ json: { p: 'refused [sim:output-moderation]', d: 5 } },
		];
		const output = outputOf(
			await run(
				{
					operation: 'generateAndWait',
					prompt: '={{ $json.p }}',
					duration: '={{ $json.d }}',
					options: FAST_POLL,
				},
				{ items, continueOnFail: true },
			),
			SEEDANCE_NODE,
		);
		expect(output[0].json).toMatchObject({ status: 'succeeded', prompt: 'fine' });
		expect(output[1].json).toMatchObject({
			code: 'INVALID_PARAMETER',
			parameter: 'Duration',
			task_id: null,
			request_id: null,
		});
		expect(output[2].json).toMatchObject({
			code: 'OutputVideoSensitiveContentDetected',
			task_id: ark.createdTaskIds()[1],
			error: expect.stringMatching(/^Ark task cgt-\S+ failed: OutputVideoSensitiveContentDetected/),
		});
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
		expect(ark.createdTaskIds()).toHaveLength(2);
	});

	it('without continueOnFail a failed task stops the batch; the error lists every task it created', async () => {
		const items = [{ json: { p: 'fine' } }, { json: { p: 'refused [sim:output-moderation]' } }];
		const error = errorOf(
			await run(
				{ operation: 'generateAndWait', prompt: '={{ $json.p }}', options: FAST_POLL },
				{ items },
			),
			SEEDANCE_NODE,
		)!;
		expect(error.message).toMatch(/^Ark task cgt-\S+ failed: OutputVideoSensitiveContentDetected/);
		const description = String((error as { description?: string }).description);
		expect(description).toContain(
			'Tasks this batch created (collect them with Get Result within 7 days)',
		);
		for (const taskId of ark.createdTaskIds()) expect(description).toContain(taskId);
	});

	it('Retry On Fail after a stopped batch: the finished item is polled again, never created again', async () => {
		const items = [{ json: { p: 'fine' } }, { json: { p: 'refused [sim:output-moderation]' } }];
		const error = errorOf(
			await run(
				{ operation: 'generateAndWait', prompt: '={{ $json.p }}', options: FAST_POLL },
				{ items, nodeSettings: RETRY },
			),
			SEEDANCE_NODE,
		)!;
		expect(error.message).toMatch(/OutputVideoSensitiveContentDetected/);
		const byPrompt = (prompt: string) =>
			ark
				.creates()
				.filter(
					(entry) =>
						(entry.body as { content: Array<{ text?: string }> }).content[0].text === prompt,
				);
		// Item 0: one create in three tries; item 1's failed task is not a result, so each try makes a new one (unbilled).
		expect(byPrompt('fine')).toHaveLength(1);
		expect(byPrompt('refused [sim:output-moderation]')).toHaveLength(3);
	});

	it('Max Wait: an unfinished item comes back timed out with its task id and Ark’s status', async () => {
		ark.configure({ queueMs: 20, generateMs: 10_000 });
		const [item] = outputOf(
			await run({
				operation: 'generateAndWait',
				prompt: PROMPT,
				options: { ...FAST_POLL, maxWait: 1 },
			}),
			SEEDANCE_NODE,
		);
		expect(item.json).toMatchObject({
			task_id: ark.createdTaskIds()[0],
			status: 'running',
			timed_out: true,
			note: expect.stringMatching(/collect it with Get Result/),
		});
	});
});

describe('Seedance: the API key', () => {
	it('a wrong key: Ark’s 401 explained, the key in no item and no error', async () => {
		const { ArkSimulator, JimengSimulator } = await import('../tooling/simulator');
		const sim = new JimengSimulator({ ark: new ArkSimulator({ seed: 1 }) });
		await sim.start();
		try {
			const wrongKey = 'ark-wrong-key-9b8f7e6d5c4b3a21';
			const credential = arkSimulatorCredential(sim);
			credential.data = { ...credential.data, apiKey: wrongKey };
			const harness = await createHarness([credential]);
			for (const continueOnFail of [false, true]) {
				const result = await harness.run(
					seedanceWorkflow({ operation: 'submit', prompt: PROMPT }, { continueOnFail }),
				);
				const text = JSON.stringify(result);
				expect(text).toContain('AuthenticationError');
				expect(text).not.toContain(wrongKey);
				expect(sim.ark!.createdTaskIds()).toEqual([]);
			}
		} finally {
			await sim.stop();
		}
	});
});
