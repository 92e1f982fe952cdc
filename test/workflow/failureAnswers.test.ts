/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/**
 * The transport's answers to every kind of failure, through real workflow runs against the simulator.
 */
import { DEFAULT_RETRY_OPTIONS } from '../../nodes/shared/jimeng/transport/retryPolicy';
import { createHarness, errorOf, outputOf } from '../support/harness';
import { jimengWorkflow, simulatorCredential } from '../support/workflows';
import { useSimulator } from '../support/useSimulator';
import { sleep } from '../support/time';

// The vendor's table (vendor page + docs/jimeng-api.md): code → HTTP status, "retry?".
const SUBMIT_CODES: Array<[number, number, boolean]> = [
	[50411, 400, false],
	[50412, 400, false],
	[50413, 400, false],
	[50512, 400, false],
	[50518, 400, false],
	[50520, 400, false],
	[50521, 400, false],
	[50522, 400, false],
	[50200, 400, false],
	[50201, 400, false],
	[50204, 400, false],
	[50205, 400, false],
	[50206, 400, false],
	[50207, 400, false],
	[50213, 400, false],
];
const TASK_FAILURE_CODES: Array<[number, boolean]> = [
	[50511, true],
	[50516, true],
	[50517, true],
	[50519, true],
	[50411, false],
	[50413, false],
	[50518, false],
];

describe('transport', () => {
	const { sim, harness } = useSimulator(
		{ queueMs: 50, generateMs: 100, seed: 11 },
		{ faults: {}, qps: null, concurrency: null },
	);

	/** Get Result (no download) with `faults` on for its first `ms`; its item. */
	const getResultDuring = async (
		taskId: string,
		faults: Parameters<typeof sim.configure>[0]['faults'],
		ms: number,
	) => {
		sim.configure({ faults });
		setTimeout(() => sim.configure({ faults: {} }), ms);
		const run = await harness.run(
			jimengWorkflow({ operation: 'getResult', taskId, options: { downloadVideo: false } }),
		);
		return outputOf(run, 'Jimeng Video')[0];
	};

	/** Submits one task (no fault active) and returns its id. */
	const submitOne = async (prompt = 'x'): Promise<string> => {
		const run = await harness.run(jimengWorkflow({ operation: 'submit', prompt }));
		return outputOf(run, 'Jimeng Video')[0].json.task_id as string;
	};

	it.each(SUBMIT_CODES)(
		'submit answered %i (HTTP %i): one request, classified retryable=%s, meaning and request_id in the message',
		async (code, status, retryable) => {
			const run = await harness.run(
				jimengWorkflow(
					{ operation: 'submit', prompt: `x [sim:code=${code}]` },
					{ continueOnFail: true },
				),
			);
			const [item] = outputOf(run, 'Jimeng Video');
			expect(item.json).toMatchObject({ code, retryable, task_id: null });
			expect(item.json.error).toMatch(
				new RegExp(`Jimeng API error ${code}: .+\\. .+ \\(request_id \\d{14}[0-9A-F]{20}\\)$`),
			);
			expect(item.json.request_id).toMatch(/^\d{14}[0-9A-F]{20}$/);
			expect(sim.submits()).toHaveLength(1);
			expect(sim.submits()[0].httpStatus).toBe(status);
		},
	);

	it.each(TASK_FAILURE_CODES)(
		'a task that fails with %i at query time is reported with retryable=%s',
		async (code, retryable) => {
			const taskId = await submitOne(`x [sim:fail=${code}]`);
			await sleep(200);
			const run = await harness.run(
				jimengWorkflow({ operation: 'getResult', taskId }, { continueOnFail: true }),
			);
			const [item] = outputOf(run, 'Jimeng Video');
			expect(item.json).toMatchObject({ code, retryable, task_id: taskId });
			expect(item.json.error).toMatch(new RegExp(`^Jimeng task \\d+ failed with code ${code}: `));
			expect(sim.getResults()).toHaveLength(1);
		},
	);

	it('rides out a burst of 50429 (QPS) on submit: one task created', async () => {
		sim.configure({ faults: { rate50429: 1 } });
		setTimeout(() => sim.configure({ faults: {} }), 2500);
		const run = await harness.run(jimengWorkflow({ operation: 'submit', prompt: 'burst' }));
		expect(outputOf(run, 'Jimeng Video')[0].json.task_id).toMatch(/^\d+$/);
		const codes = sim.submits().map((entry) => entry.code);
		expect(codes.filter((c) => c === 50429).length).toBeGreaterThanOrEqual(2);
		expect(codes[codes.length - 1]).toBe(10000);
		expect(sim.createdTaskIds()).toHaveLength(1);
	}, 30_000);

	it('rides out 50500 on Get Result', async () => {
		const taskId = await submitOne();
		await sleep(200);
		const item = await getResultDuring(taskId, { rate50500: 1 }, 1500);
		expect(item.json.status).toBe('done');
		expect(sim.getResults().filter((entry) => entry.code === 50500).length).toBeGreaterThanOrEqual(
			1,
		);
	}, 30_000);

	it('never repeats a submit whose connection broke after sending: one submit, and the error says a task may exist', async () => {
		sim.configure({ faults: { resetAfterCreate: 1 } });
		const run = await harness.run(
			jimengWorkflow({ operation: 'submit', prompt: 'x' }, { continueOnFail: true }),
		);
		const [item] = outputOf(run, 'Jimeng Video');
		expect(item.json).toMatchObject({
			task_may_exist: true,
			retryable: false,
			code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET|ECONNABORTED/),
		});
		expect(item.json.error).toMatch(
			/sent at \d{4}-\d\d-\d\dT[\d:.]+Z, so Jimeng may have created the task .* NOT submitted again/,
		);
		// what is needed to find the task in the console: when, which model, what prompt
		expect(item.json).toMatchObject({ req_key: 'jimeng_ti2v_v30_pro', prompt: 'x', frames: 121 });
		expect(Date.parse(item.json.submitted_at as string)).toBeGreaterThan(Date.now() - 60_000);
		expect(sim.submits()).toHaveLength(1);
		expect(sim.createdTaskIds()).toHaveLength(1);
	});

	it('retries Get Result after a reset (queries are safe to repeat)', async () => {
		const taskId = await submitOne();
		const item = await getResultDuring(taskId, { resetBeforeCreate: 1 }, 1200);
		expect(['in_queue', 'generating', 'done']).toContain(item.json.status);
		expect(
			sim.getResults().filter((entry) => entry.fault === 'resetBeforeCreate').length,
		).toBeGreaterThanOrEqual(1);
	}, 30_000);

	it('a wrong secret fails with the gateway code, what it means, and no retry', async () => {
		const wrong = await createHarness([
			simulatorCredential(sim, { secretAccessKey: 'not-the-secret' }),
		]);
		const run = await wrong.run(jimengWorkflow({ operation: 'submit', prompt: 'x' }));
		const error = errorOf(run, 'Jimeng Video')!;
		expect(error.message).toMatch(
			/gateway refused the request: SignatureDoesNotMatch \(100010\): Signature does not match\. The Secret Access Key does not belong/,
		);
		expect(error.message).not.toContain('not-the-secret');
		expect(sim.requests).toHaveLength(1);
	});

	it('an abort stops the retry loop at once', async () => {
		sim.configure({ faults: { rate50500: 1 } });
		let cancel: () => void = () => undefined;
		const running = harness.run(jimengWorkflow({ operation: 'submit', prompt: 'x' }), {
			onStarted: (c) => (cancel = c),
		});
		await sleep(1500);
		const requestsBefore = sim.requests.length;
		const cancelledAt = Date.now();
		cancel();
		await running.catch(() => undefined);
		// Settled before the shortest backoff (1 s) could have ended: the wait was cut, not waited out.
		expect(Date.now() - cancelledAt).toBeLessThan(DEFAULT_RETRY_OPTIONS.baseDelayMs);
		await sleep(3000);
		expect(sim.requests.length).toBe(requestsBefore);
		expect(requestsBefore).toBeGreaterThanOrEqual(1);
	}, 30_000);
});
