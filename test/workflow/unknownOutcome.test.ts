/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Answers that do not prove a submit was refused — a gateway 5xx, a load balancer's HTML page, a
 * cut-off answer — leave the outcome unknown: sent once, reported as task_may_exist. Queries ride
 * the same answers out. Real workflow runs against the simulator.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

import { FIXTURE_PATH, JimengSimulator, type SimulatorFaults } from '../tooling/simulator';
import {
	binaryBytes,
	createHarness,
	outputOf,
	useMemoryBinaryData,
	type Harness,
} from '../support/harness';
import { jimengWorkflow, simulatorCredential } from '../support/workflows';
import { useSimulator } from '../support/useSimulator';
import { sleep } from '../support/time';

const PROMPT = 'a lighthouse at dusk';

describe('submit outcomes that are not a refusal', () => {
	const { sim, harness } = useSimulator({ queueMs: 50, generateMs: 100, seed: 21 }, { faults: {} });

	const submitWith = async (faults: SimulatorFaults) => {
		sim.configure({ faults });
		const run = await harness.run(
			jimengWorkflow({ operation: 'submit', prompt: PROMPT }, { continueOnFail: true }),
		);
		return outputOf(run, 'Jimeng Video')[0].json;
	};

	const expectUnknownOutcome = (json: Record<string, unknown>, code: string) => {
		expect(json).toMatchObject({
			task_may_exist: true,
			retryable: false,
			code,
			req_key: 'jimeng_ti2v_v30_pro',
			prompt: PROMPT,
			frames: 121,
		});
		expect(json.error).toMatch(
			/sent at \d{4}-\d\d-\d\dT[\d:.]+Z, so Jimeng may have created the task .* NOT submitted again/,
		);
		expect(Date.parse(json.submitted_at as string)).toBeGreaterThan(Date.now() - 60_000);
		expect(sim.submits()).toHaveLength(1);
	};

	it('gateway InternalServiceTimeout (504) after the task was created: sent once, task_may_exist', async () => {
		const json = await submitWith({ gatewayTimeoutAfterCreate: 1 });
		expectUnknownOutcome(json, 'InternalServiceTimeout');
		expect(json.error).toMatch(
			/^The Volcengine gateway answered InternalServiceTimeout \(HTTP 504\) after the submit/,
		);
		expect(sim.createdTaskIds()).toHaveLength(1);
	});

	it('gateway InternalServiceError (500): sent once, task_may_exist (the backend may have acted)', async () => {
		const json = await submitWith({ gatewayErrorBeforeCreate: 1 });
		expectUnknownOutcome(json, 'InternalServiceError');
	});

	it("a load balancer's HTML 502 page: sent once, task_may_exist, not blamed on the Base URL", async () => {
		const json = await submitWith({ htmlErrorPage: 1 });
		expectUnknownOutcome(json, 'HTTP_502');
		expect(json.error).toMatch(/not a Jimeng answer \(HTTP 502, text\/html\)/);
		expect(json.error).toMatch(/load balancer or proxy/);
	});

	it('an answer cut off mid-JSON after the task was created: sent once, task_may_exist', async () => {
		const json = await submitWith({ truncatedAnswerAfterCreate: 1 });
		expectUnknownOutcome(json, 'HTTP_200');
		expect(sim.createdTaskIds()).toHaveLength(1);
	});

	it('Generate and Wait reports the same unknown outcome and polls nothing for that item', async () => {
		sim.configure({ faults: { gatewayTimeoutAfterCreate: 1 } });
		const run = await harness.run(
			jimengWorkflow(
				{ operation: 'generateAndWait', prompt: PROMPT, options: { pollInterval: 0.1 } },
				{ continueOnFail: true },
			),
		);
		expectUnknownOutcome(outputOf(run, 'Jimeng Video')[0].json, 'InternalServiceTimeout');
		expect(sim.getResults()).toHaveLength(0);
	});
});

describe('queries ride out error pages', () => {
	const fixture = readFileSync(FIXTURE_PATH);
	let harness: Harness;
	let sim: JimengSimulator;
	// Reacts to the simulator's own log: turns a fault on or off right after a given request.
	let onRequest: (line: string) => void = () => undefined;

	beforeAll(async () => {
		sim = new JimengSimulator({
			queueMs: 20,
			generateMs: 30,
			seed: 22,
			log: (line) => onRequest(line),
		});
		await sim.start();
		harness = await createHarness([simulatorCredential(sim)]);
		useMemoryBinaryData();
	});
	beforeEach(() => {
		sim.reset();
		sim.configure({ faults: {} });
		onRequest = () => undefined;
	});
	afterAll(async () => await sim.stop());

	/** Get Result for `taskId`: the bytes of the video it downloaded. */
	const videoOf = async (taskId: string): Promise<Buffer> => {
		const run = await harness.run(jimengWorkflow({ operation: 'getResult', taskId }));
		return await binaryBytes(outputOf(run, 'Jimeng Video')[0].binary!.data as never);
	};

	const submitDone = async (): Promise<string> => {
		const submitted = outputOf(
			await harness.run(jimengWorkflow({ operation: 'submit', prompt: PROMPT })),
			'Jimeng Video',
		)[0];
		await sleep(150);
		return submitted.json.task_id as string;
	};

	/** The fault answers `times` requests in a row, then stops. */
	const faultFor = (faults: SimulatorFaults, times: number) => {
		let left = times;
		sim.configure({ faults });
		onRequest = (line) => {
			if (/fault=/.test(line) && --left === 0) sim.configure({ faults: {} });
		};
	};

	it('Get Result retries HTML 502 pages and gets the video', async () => {
		const taskId = await submitDone();
		faultFor({ htmlErrorPage: 1 }, 2);
		const run = await harness.run(jimengWorkflow({ operation: 'getResult', taskId }));
		const [item] = outputOf(run, 'Jimeng Video');
		expect(item.json.status).toBe('done');
		expect(await binaryBytes(item.binary!.data as never)).toEqual(fixture);
		expect(sim.getResults().map((entry) => entry.httpStatus)).toEqual([502, 502, 200]);
	}, 30_000);

	it('Get Result retries a gateway InternalServiceError', async () => {
		const taskId = await submitDone();
		faultFor({ gatewayErrorBeforeCreate: 1 }, 1);
		const run = await harness.run(
			jimengWorkflow({ operation: 'getResult', taskId, options: { downloadVideo: false } }),
		);
		expect(outputOf(run, 'Jimeng Video')[0].json.status).toBe('done');
		expect(sim.getResults().map((entry) => entry.httpStatus)).toEqual([500, 200]);
	}, 30_000);

	it('the fresh-URL refresh inside a download rides out an HTML page: the paid video is delivered', async () => {
		const taskId = await submitDone();
		sim.configure({ faults: { expireFirstDownload: 1 } });
		// Right after the expired link is refused, the load balancer fails the refresh twice.
		let pages = 0;
		onRequest = (line) => {
			if (/fault=expireFirstDownload/.test(line)) sim.configure({ faults: { htmlErrorPage: 1 } });
			if (/fault=htmlErrorPage/.test(line) && ++pages === 2) sim.configure({ faults: {} });
		};
		expect(await videoOf(taskId)).toEqual(fixture);
		expect(pages).toBe(2);
		expect(sim.downloads().map((entry) => entry.httpStatus)).toEqual([403, 200]);
	}, 30_000);

	it('a CDN that would gzip the video is asked for identity: the video arrives intact, not as a "truncated" failure', async () => {
		const taskId = await submitDone();
		sim.configure({ faults: { gzipDownload: 1 } });
		expect(await videoOf(taskId)).toEqual(fixture);
		expect(sim.downloads()).toHaveLength(1);
	}, 30_000);

	it('a CDN that gzips anyway: the decompressed video is accepted (its size exceeds the compressed Content-Length)', async () => {
		const taskId = await submitDone();
		sim.configure({ faults: { gzipDownloadAlways: 1 } });
		expect(await videoOf(taskId)).toEqual(fixture);
		expect(sim.downloads().map((entry) => entry.fault)).toEqual(['gzipDownload']);
	}, 30_000);

	it('a gzip-compressed video cut halfway is caught by the decompressor and downloaded again', async () => {
		const taskId = await submitDone();
		faultFor({ gzipDownloadAlways: 1, truncateDownload: 1 }, 1);
		expect(await videoOf(taskId)).toEqual(fixture);
		expect(sim.downloads().map((entry) => entry.fault)).toEqual([
			'gzipDownload+truncateDownload',
			null,
		]);
	}, 30_000);
});

describe('an endpoint that is not Jimeng (wrong Base URL)', () => {
	let server: Server;
	let hits = 0;
	let harness: Harness;

	beforeAll(async () => {
		server = createServer((req, res) => {
			hits++;
			req.resume();
			res.writeHead(200, { 'Content-Type': 'text/html' });
			res.end('<html><body>Welcome to nginx!</body></html>');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		harness = await createHarness([
			simulatorCredential({ url: `http://127.0.0.1:${port}` } as JimengSimulator),
		]);
	});
	beforeEach(() => (hits = 0));
	afterAll(async () => await new Promise((resolve) => server.close(resolve)));

	it('Get Result names the Base URL and does not retry a 200 page', async () => {
		const run = await harness.run(
			jimengWorkflow(
				{ operation: 'getResult', taskId: '7392616336519610409' },
				{ continueOnFail: true },
			),
		);
		const [item] = outputOf(run, 'Jimeng Video');
		expect(item.json.error).toMatch(
			/answered HTTP 200, text\/html with something that is not a Jimeng answer\. Check the Base URL/,
		);
		expect(item.json.retryable).toBe(false);
		expect(hits).toBe(1);
	});

	it('Submit says the task may exist AND names the Base URL; sent once', async () => {
		const run = await harness.run(
			jimengWorkflow({ operation: 'submit', prompt: PROMPT }, { continueOnFail: true }),
		);
		const [item] = outputOf(run, 'Jimeng Video');
		expect(item.json.task_may_exist).toBe(true);
		expect(item.json.error).toMatch(/Check the Base URL/);
		expect(hits).toBe(1);
	});
});
