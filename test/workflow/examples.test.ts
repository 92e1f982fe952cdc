/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Every workflow in examples/ runs here offline, in-process against the simulator: the same files
 * users import, in the offline form `npm start` imports them (the simulator's credential and sample
 * image), patched only as the e2e suite patches them (poll interval, the Wait's length) by
 * test/scripts/e2e/workflows.ts. Each run records every HTTP request this process sends: one to a
 * host other than the simulator fails the test. An example that needs real keys says so on its
 * canvas and is left out, with that reason. n8n's own nodes (Manual Trigger, Code, HTTP Request,
 * Wait, No Op) are n8n-nodes-base's. The e2e suite runs the same files in a real n8n.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import type { INode } from 'n8n-workflow';

import {
	buildWorkflows,
	loadExample,
	nodeNamed,
	type E2eWorkflows,
} from '../scripts/e2e/workflows';
import { realKeysReason } from '../tooling/n8n-host/examples';
import { SAMPLE_IMAGE } from '../tooling/simulator';
import { binaryBytes, errorOf, outputOf, REPO_ROOT, type WorkflowJson } from '../support/harness';
import { recordOutboundRequests, strayRequests } from '../support/outboundRequests';
import { itemsOf, TriggerHost } from '../support/triggerHost';
import { sleep } from '../support/time';
import { useSimulator } from '../support/useSimulator';
import { SIM_CREDENTIAL_ID, jimengWorkflow } from '../support/workflows';

const MODEL = 'jimeng_ti2v_v30_pro';
const asJson = (workflow: { nodes: unknown[]; connections: unknown }) =>
	workflow as unknown as WorkflowJson;
/** The items of the first poll that emits (a poll every 100 ms, at most 20). */
async function emittedBy(host: TriggerHost, first: 'activate' | 'poll') {
	let emitted = itemsOf(first === 'activate' ? await host.activate() : await host.poll());
	for (let poll = 0; poll < 20 && emitted.length === 0; poll++) {
		await sleep(100);
		emitted = itemsOf(await host.poll());
	}
	return emitted;
}

const isMp4 = (bytes: Buffer) => bytes.subarray(4, 8).toString('latin1') === 'ftyp';

describe('examples/*.json, in-process against the simulator', () => {
	const { sim, harness } = useSimulator(
		{ queueMs: 100, generateMs: 200, seed: 13 },
		{ queueMs: 100, generateMs: 200, concurrency: null, faults: {} },
	);
	let workflows: E2eWorkflows;
	/** Files the tests below ran: with the ones left out for real keys, every example. */
	const ran = new Set<string>();
	/** Examples that need the real service, with the reason their canvas gives. */
	const leftOut = new Map<string, string>();
	let outbound: ReturnType<typeof recordOutboundRequests>;

	beforeEach(() => {
		outbound = recordOutboundRequests();
	});
	afterEach(() => {
		outbound.stop();
		// Every example runs offline: a request to anything but the simulator is a failure.
		expect(strayRequests(outbound.requests, [sim.url])).toEqual([]);
	});
	beforeEach(async () => {
		const submitted = await harness.run(jimengWorkflow({ operation: 'submit', prompt: 'watched' }));
		workflows = buildWorkflows({
			credential: { id: SIM_CREDENTIAL_ID, name: 'Jimeng simulator' },
			faultCredential: { id: SIM_CREDENTIAL_ID, name: 'Jimeng simulator' },
			endpoints: { simulatorUrl: sim.url },
			pollIntervalSec: 0.1,
			waitSec: 1,
			triggerTaskId: outputOf(submitted, 'Jimeng Video')[0].json.task_id as string,
			model: MODEL,
		});
	});

	it('text-to-video.json: one done item with the mp4 as binary', async () => {
		ran.add('text-to-video.json');
		const [item] = outputOf(await harness.run(asJson(workflows.textToVideo)), 'Jimeng Video');
		expect(item.json).toMatchObject({ status: 'done', timed_out: false, req_key: MODEL });
		expect(isMp4(await binaryBytes(item.binary!.data))).toBe(true);
	});

	it('submit-then-get-result.json: Submit, Wait, then Get Result collects the same task', async () => {
		ran.add('submit-then-get-result.json');
		const run = await harness.run(asJson(workflows.submitThenGet));
		const [submitted] = outputOf(run, 'Submit');
		const [result] = outputOf(run, 'Get Result');
		expect(submitted.json.task_id).toMatch(/^\d+$/);
		expect(result.json).toMatchObject({ task_id: submitted.json.task_id, status: 'done' });
		expect(isMp4(await binaryBytes(result.binary!.data))).toBe(true);
	});

	it("image-to-video-from-url.json: the HTTP Request node downloads the simulator's sample image, the node sends it", async () => {
		ran.add('image-to-video-from-url.json');
		const run = await harness.run(asJson(workflows.imageToVideo));
		const [item] = outputOf(run, 'Jimeng Video');
		expect(sim.requests.filter((entry) => entry.action === 'sample')).toHaveLength(1);
		expect(item.json).toMatchObject({
			status: 'done',
			expected_aspect_ratio: '16:9',
			image: { width: SAMPLE_IMAGE.width, height: SAMPLE_IMAGE.height, format: 'png' },
		});
		expect(sim.submits().at(-1)?.body).toHaveProperty('binary_data_base64');
	});

	it('batch-from-prompts.json: the Code node makes three prompts, Generate and Wait runs them all', async () => {
		ran.add('batch-from-prompts.json');
		const output = outputOf(await harness.run(asJson(workflows.batch)), 'Jimeng Video');
		expect(output.map((item) => item.json.status)).toEqual(['done', 'done', 'done']);
		const code = nodeNamed(loadExample('batch-from-prompts.json'), 'Prompts');
		for (const item of output)
			expect(String(code.parameters.jsCode)).toContain(item.json.prompt as string);
	});

	it('http-request-other-volcengine-api.json: needs real keys, says so on its canvas, and is left out', () => {
		const reason = realKeysReason(loadExample('http-request-other-volcengine-api.json'));
		expect(reason).toMatch(/open\.volcengineapi\.com.*simulator does not serve/);
		leftOut.set('http-request-other-volcengine-api.json', reason as string);
	});

	it("the IAM example's HTTP Request node signs with the credential (pointed at the simulator)", async () => {
		const run = await harness.run(asJson(workflows.httpRequest));
		expect(errorOf(run, 'List IAM Users')).toBeUndefined();
		const [answer] = outputOf(run, 'List IAM Users');
		// The simulator verifies the signature with the official SDK: code 10000 means it was accepted.
		expect(answer.json).toMatchObject({
			code: 10000,
			data: { status: expect.stringMatching(/^(in_queue|generating|done)$/) },
		});
	});

	it('trigger-watch-tasks.json: the trigger emits the listed task once', async () => {
		ran.add('trigger-watch-tasks.json');
		const trigger = nodeNamed(workflows.trigger, 'Jimeng Video Trigger');
		const host = new TriggerHost(harness, trigger.parameters);
		const emitted = await emittedBy(host, 'activate');
		expect(emitted.map((item) => item.json.status)).toEqual(['done']);
		expect(emitted[0].json.task_id).toBe(trigger.parameters.taskIds);
		expect(itemsOf(await host.poll())).toEqual([]);
	});

	it('trigger-generate.json: Fetch Test Event shows the request and submits nothing', async () => {
		ran.add('trigger-generate.json');
		const example = loadExample('trigger-generate.json');
		const trigger = nodeNamed(example, 'Jimeng Video Trigger');
		const before = sim.submits().length;
		const [preview] = itemsOf(await new TriggerHost(harness, trigger.parameters).testEvent());
		expect(preview.json).toMatchObject({ status: 'preview', task_id: null });
		expect(sim.submits()).toHaveLength(before);
		// Active, the same parameters submit one task and emit its video.
		const host = new TriggerHost(harness, trigger.parameters);
		// Publishing submits the first task; its `submitted` item is what n8n saves it with.
		expect(itemsOf(await host.activate()).map((item) => item.json.status)).toEqual(['submitted']);
		const emitted = await emittedBy(host, 'poll');
		expect(emitted[0].json).toMatchObject({ status: 'done' });
		expect(trigger.parameters.mode).toBe('generate');
	});

	it('covers every file in examples/: run offline, or left out for the reason its canvas gives', () => {
		const files = readdirSync(join(REPO_ROOT, 'examples')).filter((name) => name.endsWith('.json'));
		// The Seedance examples run in seedanceExamples.test.ts (the simulator with both APIs).
		const jimengFiles = files.filter((name) => !name.startsWith('seedance-'));
		expect([...ran, ...leftOut.keys()].sort()).toEqual(jimengFiles.sort());
		for (const file of jimengFiles)
			expect([file, realKeysReason(loadExample(file)) !== undefined]).toEqual([
				file,
				leftOut.has(file),
			]);
		// Each example's nodes are types this harness loads (n8n-nodes-base or this package).
		for (const file of files)
			for (const node of loadExample(file).nodes as unknown as INode[])
				expect(() => harness.pkg.nodeTypes.getByName(node.type)).not.toThrow();
	});
});
