/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * A submit is sent once per item and execution, whatever n8n re-runs and whatever comes back:
 * Retry On Fail after an unknown outcome, a prompt that changes between tries, bytes that are not
 * HTTP, an internal error, a redirect (a cancel while the submit is out: test/unit/callApi.test.ts). Real workflow runs against
 * the simulator.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { SimulatorFaults } from '../tooling/simulator';
import { createHarness, errorOf, outputOf } from '../support/harness';
import { jimengWorkflow, simulatorCredential } from '../support/workflows';
import { useSimulator } from '../support/useSimulator';

const PROMPT = 'a lighthouse at dusk';
// n8n reads 0 as its default 1000 ms: 1 ms keeps the test quick.
const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 };

describe('Retry On Fail never sends a submit twice', () => {
	const { sim, harness } = useSimulator({ queueMs: 50, generateMs: 100, seed: 33 }, { faults: {} });

	describe.each(['submit', 'generateAndWait'] as const)('%s', (operation) => {
		it.each<[string, SimulatorFaults, RegExp]>([
			[
				'a gateway 504 after the task was created',
				{ gatewayTimeoutAfterCreate: 1 },
				/InternalServiceTimeout/,
			],
			['an answer that is not valid HTTP', { invalidHttpAfterCreate: 1 }, /connection broke/],
			['Jimeng’s own 50500 (internal error)', { rate50500: 1 }, /Jimeng answered 50500/],
		])(
			'after %s: one submit in 3 tries, and the error says a task may exist',
			async (_, faults, cause) => {
				sim.configure({ faults });
				const run = await harness.run(
					jimengWorkflow(
						{ operation, prompt: PROMPT, options: { pollInterval: 0.05 } },
						{ nodeSettings: RETRY },
					),
				);
				const error = errorOf(run, 'Jimeng Video')!;
				expect(error.message).toMatch(cause);
				expect(error.message).toMatch(/may have created the task .* NOT submitted again/);
				expect(String((error as { description?: string }).description)).toMatch(
					/Retry On Fail ran this item again; nothing was sent/,
				);
				expect(sim.submits()).toHaveLength(1);
				expect(sim.getResults()).toHaveLength(0);
				// The same in a continueOnFail item: the two re-runs sent nothing.
				sim.configure({ faults });
				const kept = await harness.run(
					jimengWorkflow(
						{ operation, prompt: PROMPT, options: { pollInterval: 0.05 } },
						{ nodeSettings: RETRY, continueOnFail: true },
					),
				);
				expect(outputOf(kept, 'Jimeng Video')[0].json).toMatchObject({
					task_may_exist: true,
					reruns_not_sent: 2,
				});
				expect(sim.submits()).toHaveLength(2);
			},
		);
	});

	it('a prompt that changes between tries ({{ $now }}): not submitted again, and the error says why', async () => {
		const items = [{ json: { prompt: 'one' } }, { json: { prompt: 'refused [sim:code=50412]' } }];
		const run = await harness.run(
			jimengWorkflow(
				{ operation: 'submit', prompt: '={{ $json.prompt }} at {{ $now.toMillis() }}' },
				{ items, nodeSettings: { ...RETRY, waitBetweenTries: 10 } },
			),
		);
		const error = errorOf(run, 'Jimeng Video')!;
		expect(error.message).toMatch(
			/^Item 0 was already submitted in this execution: Jimeng accepted task \d+ at .*request has changed since the first try/,
		);
		expect(String((error as { description?: string }).description)).toMatch(
			/Collect task \d+ with Get Result/,
		);
		expect(sim.createdTaskIds()).toHaveLength(1);
		expect(
			sim.submits().filter((e) => String((e.body as { prompt: string }).prompt).startsWith('one')),
		).toHaveLength(1);
	});
});

describe('what a failed submit says about the task', () => {
	const { sim, harness } = useSimulator({ queueMs: 50, generateMs: 100, seed: 34 }, { faults: {} });

	it('bytes that are not HTTP after the task was created: outcome unknown, not "not sent"', async () => {
		sim.configure({ faults: { invalidHttpAfterCreate: 1 } });
		const run = await harness.run(
			jimengWorkflow({ operation: 'submit', prompt: PROMPT }, { continueOnFail: true }),
		);
		const json = outputOf(run, 'Jimeng Video')[0].json;
		expect(json).toMatchObject({
			task_may_exist: true,
			retryable: false,
			req_key: 'jimeng_ti2v_v30_pro',
		});
		expect(json.code).not.toBe('REQUEST_NOT_SENT');
		expect(sim.createdTaskIds()).toHaveLength(1);
	});
});

describe('redirects', () => {
	let target: Server;
	let redirector: Server;
	const reached: IncomingHttpHeaders[] = [];

	beforeAll(async () => {
		target = createServer((req, res) => {
			reached.push(req.headers);
			res
				.writeHead(200, { 'Content-Type': 'application/json' })
				.end('{"code":10000,"data":{"task_id":"1"}}');
		});
		await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
		const targetUrl = `http://localhost:${(target.address() as AddressInfo).port}/`;
		redirector = createServer((req, res) => {
			req.resume();
			res.writeHead(307, { Location: targetUrl }).end();
		});
		await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
	});
	afterAll(async () => {
		await new Promise((resolve) => target.close(resolve));
		await new Promise((resolve) => redirector.close(resolve));
	});

	it('a signed API call does not follow a redirect: the STS token never reaches another origin', async () => {
		const url = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
		const credential = simulatorCredential({ url } as never, { sessionToken: 'sts-token-secret' });
		const redirected = await createHarness([credential]);
		const run = await redirected.run(
			jimengWorkflow({ operation: 'getResult', taskId: '123' }, { continueOnFail: true }),
		);
		const json = outputOf(run, 'Jimeng Video')[0].json;
		expect(json.code).toBe('HTTP_307');
		expect(reached).toEqual([]);
		expect(JSON.stringify(json)).not.toContain('sts-token-secret');
	});
});
