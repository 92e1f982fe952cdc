/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * `npm run test:e2e`: the package inside a real n8n 2.41.1 (headless, Node 24) against the local
 * simulator (Jimeng's API, and Seedance's — Ark — under /api/v3 on the same port). Installs the packed
 * tarball the way n8n's installer does, runs the example workflows (Seedance's too: seedance.ts) with
 * `n8n execute`, then `n8n start` with an active trigger workflow and a Watch Account one, and checks
 * the credential test and the editor (node creator search, runs from the browser; headless chromium).
 * Prints a PASS/FAIL table; exits non-zero on any failure.
 *
 * Env (all optional):
 *   E2E_N8N_PORT, E2E_N8N_BROKER_PORT   n8n start's HTTP and task-runner ports (default: free ports)
 *   E2E_SIM_PORT, E2E_FAULT_SIM_PORT    the two simulators (default: free ports)
 *   E2E_RUN_ID                          names e2e-artifacts/<run id>/ (default: the start time, UTC)
 *   E2E_CHROMIUM                        the editor check's browser (default /usr/bin/chromium, apt-installed when missing)
 *   E2E_SIM_QUEUE_MS (300), E2E_SIM_GENERATE_MS (700), E2E_POLL_INTERVAL (0.5 s), E2E_FAULT_SEED (20260526)
 *   JIMENG_N8N_HOST_CACHE, JIMENG_N8N_VERBOSE=1, JIMENG_N8N_KEEP_USER_FOLDER=1 (see test/tooling/n8n-host/README.md)
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ensureN8nHost, REPO_DIR, type N8nHost } from '../../tooling/n8n-host/host';
import {
	importCredentials,
	importWorkflows,
	publishWorkflow,
	runN8nOk,
	type ExecutionRun,
} from '../../tooling/n8n-host/n8nCli';
import { formatMs } from '../../tooling/n8n-host/proc';
import { startN8n, stopAllN8n, type N8nServer } from '../../tooling/n8n-host/server';
import {
	createUserFolder,
	installPackageTarball,
	packProject,
	type UserFolder,
} from '../../tooling/n8n-host/userFolder';
import {
	ArkSimulator,
	DEFAULT_SIMULATOR_ACCOUNT,
	FIXTURE_PATH,
	GET_RESULT_ACTION,
	JimengSimulator,
	SAMPLE_IMAGE,
	SAMPLE_IMAGE_PATH,
	SUBMIT_ACTION,
	type RequestLogEntry,
} from '../../tooling/simulator';
import { BROWSER_CHECK, artifactsDir, checkBrowser } from './browser/check';
import { panelWorkflows } from './browser/panels';
import { BINARY_BODY_CHECK, checkBinaryBody } from './checks/binaryBody';
import { HARDENING_CHECKS, HardeningChecks } from './hardening';
import { Report } from './report';
import { keepUserFolderIfFailed, runE2e, tarballCleanup } from './runner';
import { ARK_CREDENTIAL, SEEDANCE_CHECKS, SeedanceChecks, type SeedanceRunner } from './seedance';
import {
	binaryFile,
	crashedAfterResult,
	describeBinary,
	executeOnce,
	nodeItems,
	numberFromEnv,
	portFromEnv,
	servedPackageTypes,
	submitDoneTask,
	waitFor,
	type ExecuteOutcome,
	type RunItem,
	type StoredBinary,
} from './support';
import { buildWorkflows, type E2eWorkflows, type Workflow } from './workflows';
import {
	OUTBOUND_LOG_PRELOAD,
	readOutboundLog,
	strayRequests,
	type OutboundRequest,
} from '../../support/outboundRequests';
import { simulatorCredentialData } from '../../support/simulatorCredential';
import { runScript } from '../../support/script';

const EXPECTED_N8N_VERSION = '2.41.1';
const MODEL = 'jimeng_ti2v_v30_pro';
const FIXTURE = readFileSync(FIXTURE_PATH);
const sha12 = (bytes: Buffer | Uint8Array) =>
	createHash('sha256').update(bytes).digest('hex').slice(0, 12);

const CHECKS = {
	textToVideo: 'Generate and Wait: video = simulator mp4',
	submitGet: 'Submit → Wait → Get Result',
	image: 'Image-to-video from a binary image',
	batch: 'Batch of 3 at concurrency limit 2',
	badFrames: 'Validation: frames 120 stops the run',
	longPrompt: 'Validation: 801-char prompt stops it',
	faults: 'Fault profile: no duplicate task',
	httpRequest: 'HTTP Request node signs (volcengineApi)',
	binaryBody: BINARY_BODY_CHECK,
	version: 'n8n 2.41.1 runs the installed package',
	trigger: 'Trigger emits the video (n8n start)',
	credOk: 'Credential test: good keys → OK',
	credBad: 'Credential test: wrong secret → refused',
	browser: BROWSER_CHECK,
} as const;

const CREDENTIALS = {
	good: { id: 'E2eJimengSimul01', name: 'Jimeng simulator' },
	wrongSecret: { id: 'E2eJimengBadKey1', name: 'Jimeng simulator (wrong secret)' },
	faults: { id: 'E2eJimengFaults1', name: 'Jimeng simulator (faults)' },
};

interface Context {
	report: Report;
	host: N8nHost;
	uf: UserFolder;
	sim: JimengSimulator;
	faultSim: JimengSimulator;
	workflows: E2eWorkflows;
	triggerTaskId: string;
	settings: Settings;
}

interface Settings {
	queueMs: number;
	generateMs: number;
	pollIntervalSec: number;
	faultSeed: number;
}

/** Requests the simulator logged since `mark` (its log length before a step): one step's traffic. */
const since = (sim: JimengSimulator, mark: number): RequestLogEntry[] => sim.requests.slice(mark);
const countBy = (
	entries: RequestLogEntry[],
	pick: (e: RequestLogEntry) => string | number | null,
) => {
	const counts: Record<string, number> = {};
	for (const e of entries) {
		const key = String(pick(e));
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return Object.entries(counts)
		.map(([k, n]) => `${k}×${n}`)
		.join(' ');
};

/**
 * One `n8n execute --id`, with n8n's default (isolated-vm) expression engine. n8n 2.41.1 on Node 24
 * sometimes dies of SIGSEGV while exiting, after it has run the workflow, stored the execution and
 * printed the result — more often under CPU load, never with N8N_EXPRESSION_ENGINE=legacy (see
 * README.md). That is n8n's crash, not the package's, so:
 * - by default the printed result is judged (it is complete);
 * - `rerunIfCrashed` (for runs that send nothing and whose exit code is the point) runs the workflow
 *   again with the legacy engine, whose exit code is reliable.
 * Every crash is listed under Warnings in the summary.
 */
async function execute(
	ctx: Context,
	workflow: Workflow,
	/** `offline`: the simulators this run may reach; any other host fails it (an example runs offline). */
	options: { rerunIfCrashed?: boolean; offline?: JimengSimulator[] } = {},
): Promise<ExecuteOutcome> {
	const once = async (env: Record<string, string>, label: string): Promise<ExecuteOutcome> => {
		const outboundLog = path.join(ctx.uf.dir, `outbound-${workflow.id}-${Date.now()}.jsonl`);
		const guard: Record<string, string> = options.offline
			? { NODE_OPTIONS: `--require ${OUTBOUND_LOG_PRELOAD}`, JIMENG_OUTBOUND_LOG: outboundLog }
			: {};
		const marks = options.offline?.map((sim) => sim.requests.length) ?? [];
		const run = await executeOnce(ctx.host, ctx.uf, workflow.id as string, { ...env, ...guard });
		if (options.offline) {
			const served = options.offline.reduce(
				(sum, sim, i) => sum + sim.requests.length - marks[i]!,
				0,
			);
			expectOffline(ctx, workflow, readOutboundLog(outboundLog), options.offline, served);
		}
		const how = run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode}`;
		ctx.report.note(
			`n8n execute --id=${workflow.id}${label} ("${workflow.name}"): ${how} in ${formatMs(run.durationMs)}`,
		);
		if (run.timedOut) throw new Error(`n8n execute timed out after ${formatMs(run.durationMs)}`);
		return run;
	};
	const run = await once({}, '');
	if (!crashedAfterResult(run)) return run;
	ctx.report.warn(
		`n8n execute of ${workflow.id} died of ${run.signal} while exiting, after printing its run (status "${run.result?.status}")` +
			(options.rerunIfCrashed
				? ': ran it again with N8N_EXPRESSION_ENGINE=legacy for the exit code'
				: ': judged on the printed run'),
	);
	if (!options.rerunIfCrashed) return run;
	return await once({ N8N_EXPRESSION_ENGINE: 'legacy' }, ' [legacy expression engine]');
}

/** An example runs offline: every request it sent went to `allowed` (its simulator), none elsewhere. */
function expectOffline(
	ctx: Context,
	workflow: Workflow,
	requests: OutboundRequest[],
	sims: JimengSimulator[],
	served: number,
): void {
	const allowed = sims.map((sim) => sim.url);
	const stray = strayRequests(requests, allowed);
	if (stray.length > 0)
		throw new Error(
			`"${workflow.name}" sent ${stray.length} request(s) to a host other than the simulator (${allowed.join(', ')}): ${stray.join('; ')}`,
		);
	// The recorder must have seen at least what the simulator served, or it proves nothing.
	if (requests.length < served)
		throw new Error(
			`the outbound log of "${workflow.name}" holds ${requests.length} request(s), the simulator served ${served}: outboundLog.cjs was not loaded`,
		);
	const byOrigin = new Map<string, number>();
	for (const request of requests)
		byOrigin.set(request.origin, (byOrigin.get(request.origin) ?? 0) + 1);
	ctx.report.note(
		`outbound requests: ${[...byOrigin].map(([origin, n]) => `${origin}×${n}`).join(' ') || 'none'} (the simulator's; no other host)`,
	);
}

function expectSuccess(run: ExecuteOutcome): ExecutionRun {
	// A run n8n completed and printed, then crashed on exit: judged on what it printed.
	if (
		crashedAfterResult(run) &&
		run.result?.status === 'success' &&
		!run.result.data.resultData.error
	)
		return run.result;
	if (run.exitCode !== 0 || !run.result || run.errorMessage) {
		const tail = (run.stdout + '\n' + run.stderr).split('\n').filter(Boolean).slice(-25).join('\n');
		throw new Error(
			`the run failed (exit ${run.exitCode}): ${run.errorMessage ?? 'no result printed'}\n${tail}`,
		);
	}
	return run.result;
}

/** The video binary of a done item: metadata as the contract says, file in n8n's storage = the fixture. */
function expectVideo(
	ctx: Context,
	item: RunItem,
	property = 'data',
): { binary: StoredBinary; file: string } {
	const taskId = item.json.task_id as string;
	const binary = item.binary?.[property];
	assert.ok(binary, `no binary "${property}" on the item: ${JSON.stringify(item.json)}`);
	assert.equal(binary.mimeType, 'video/mp4', `mimeType of ${describeBinary(binary)}`);
	assert.equal(binary.fileName, `${taskId}.mp4`, `fileName of ${describeBinary(binary)}`);
	const file = binaryFile(ctx.uf.dir, binary);
	const bytes = readFileSync(file);
	assert.ok(
		bytes.equals(FIXTURE),
		`the stored video (${bytes.length} bytes, sha256 ${sha12(bytes)}) differs from ${FIXTURE_PATH} (${FIXTURE.length} bytes, sha256 ${sha12(FIXTURE)})`,
	);
	return { binary, file };
}

const rel = (ctx: Context, file: string) => path.relative(ctx.uf.dir, file);

/** What the host tooling recorded when it installed this cache (its completion marker), for the log. */
function coldInstallOf(host: N8nHost): { ms: number; at: string } | undefined {
	try {
		const marker = JSON.parse(
			readFileSync(path.join(host.cacheDir, '.n8n-host-complete.json'), 'utf8'),
		) as { installMs?: number; installedAt?: string };
		return typeof marker.installMs === 'number'
			? { ms: marker.installMs, at: marker.installedAt ?? '?' }
			: undefined;
	} catch {
		return undefined;
	}
}

// ---- checks run with `n8n execute` ----------------------------------------------------------------

async function checkTextToVideo(ctx: Context): Promise<void> {
	const mark = ctx.sim.requests.length;
	const result = expectSuccess(
		await execute(ctx, ctx.workflows.textToVideo, { offline: [ctx.sim] }),
	);
	const items = nodeItems(result, 'Jimeng Video');
	assert.equal(items.length, 1, 'one item expected');
	const item = items[0]!;
	assert.equal(item.json.status, 'done', `item: ${JSON.stringify(item.json)}`);
	assert.equal(item.json.timed_out, false);
	const taskId = item.json.task_id as string;
	assert.match(taskId, /^\d{19,20}$/);
	const { file } = expectVideo(ctx, item);
	const traffic = since(ctx.sim, mark);
	assert.deepEqual(
		traffic.filter((e) => e.taskCreated).map((e) => e.taskId),
		[taskId],
		'exactly this task created',
	);
	ctx.report.note(`task ${taskId}: status done; binary data = ${taskId}.mp4, video/mp4`);
	ctx.report.note(
		`stored at ${rel(ctx, file)} (filesystem mode): ${FIXTURE.length} bytes, identical to the simulator's mp4 (sha256 ${sha12(FIXTURE)})`,
	);
	ctx.report.note(`simulator saw: ${countBy(traffic, (e) => e.action)}`);
}

async function checkSubmitThenGet(ctx: Context): Promise<void> {
	const mark = ctx.sim.requests.length;
	const result = expectSuccess(
		await execute(ctx, ctx.workflows.submitThenGet, { offline: [ctx.sim] }),
	);
	const [submitted] = nodeItems(result, 'Submit');
	assert.ok(submitted, 'Submit output no item');
	const taskId = submitted.json.task_id as string;
	assert.match(String(taskId), /^\d{19,20}$/, `Submit output: ${JSON.stringify(submitted.json)}`);
	const got = nodeItems(result, 'Get Result');
	assert.equal(got.length, 1);
	assert.equal(got[0]!.json.task_id, taskId, 'Get Result answered for another task');
	assert.equal(got[0]!.json.status, 'done', `Get Result: ${JSON.stringify(got[0]!.json)}`);
	expectVideo(ctx, got[0]!);
	const traffic = since(ctx.sim, mark);
	const submits = traffic.filter((e) => e.action === SUBMIT_ACTION);
	assert.equal(submits.length, 1, `submits in the simulator log: ${submits.length}`);
	assert.equal(submits[0]!.taskId, taskId);
	ctx.report.note(
		`Submit → task ${taskId} (${submitted.json.status}); Wait ${ctx.workflows.submitThenGet.nodes.find((n) => n.name === 'Wait')?.parameters.amount} s; Get Result → done, same task, video attached`,
	);
	ctx.report.note(`simulator saw: ${countBy(traffic, (e) => e.action)}`);
}

async function checkImageToVideo(ctx: Context): Promise<void> {
	const mark = ctx.sim.requests.length;
	const result = expectSuccess(
		await execute(ctx, ctx.workflows.imageToVideo, { offline: [ctx.sim] }),
	);
	const image = SAMPLE_IMAGE;
	assert.equal(
		since(ctx.sim, mark).filter((e) => e.action === 'sample').length,
		1,
		"the HTTP Request node did not download the simulator's sample image once",
	);
	const [downloaded] = nodeItems(result, 'Download Image');
	const imageBinary = downloaded?.binary?.data;
	assert.ok(imageBinary, 'Download Image output no binary');
	assert.equal(
		imageBinary.mimeType,
		'image/png',
		`Download Image binary: ${describeBinary(imageBinary)}`,
	);
	assert.ok(
		readFileSync(binaryFile(ctx.uf.dir, imageBinary)).equals(Buffer.from(image.bytes)),
		'n8n stored other bytes than the image served',
	);
	const [item] = nodeItems(result, 'Jimeng Video');
	assert.ok(item);
	assert.equal(item.json.status, 'done', `item: ${JSON.stringify(item.json)}`);
	// 800×500 (1.6) is closest to 16:9; Jimeng centre-crops to 800×450.
	assert.equal(item.json.expected_aspect_ratio, '16:9');
	assert.deepEqual(item.json.crop, { x: 0, y: 25, width: 800, height: 450 });
	expectVideo(ctx, item);
	const submits = since(ctx.sim, mark).filter((e) => e.action === SUBMIT_ACTION);
	assert.equal(submits.length, 1);
	const body = submits[0]!.body as Record<string, unknown>;
	const b64Length = Buffer.from(image.bytes).toString('base64').length;
	assert.deepEqual(
		body.binary_data_base64,
		[`<base64 ${b64Length} chars>`],
		`submit body: ${JSON.stringify(body)}`,
	);
	assert.equal(body.image_urls, undefined, 'image_urls sent as well');
	ctx.report.note(
		`HTTP Request downloaded the simulator's ${image.width}×${image.height} sample PNG (${image.bytes.length} bytes) from ${ctx.sim.url}${SAMPLE_IMAGE_PATH}`,
	);
	ctx.report.note(
		`submit body: req_key ${String(body.req_key)}, binary_data_base64 [${b64Length} chars = that PNG]`,
	);
	ctx.report.note(
		`output: expected_aspect_ratio ${String(item.json.expected_aspect_ratio)}, crop ${JSON.stringify(item.json.crop)}, video attached`,
	);
}

async function checkBatch(ctx: Context): Promise<void> {
	const mark = ctx.sim.requests.length;
	ctx.sim.configure({ concurrency: 2 });
	let result: ExecutionRun;
	try {
		result = expectSuccess(await execute(ctx, ctx.workflows.batch, { offline: [ctx.sim] }));
	} finally {
		ctx.sim.configure({ concurrency: null });
	}
	const items = nodeItems(result, 'Jimeng Video');
	assert.equal(items.length, 3, 'three items expected');
	for (const [i, item] of items.entries()) {
		assert.equal(item.json.status, 'done', `item ${i}: ${JSON.stringify(item.json)}`);
		expectVideo(ctx, item);
	}
	const traffic = since(ctx.sim, mark);
	const created = traffic.filter((e) => e.taskCreated).map((e) => e.taskId);
	assert.equal(created.length, 3, `tasks created: ${created.length}`);
	assert.deepEqual(
		[...created].sort(),
		items.map((i) => i.json.task_id as string).sort(),
		'output task ids differ from the tasks created',
	);
	assert.ok(
		ctx.sim.maxConcurrentObserved(DEFAULT_SIMULATOR_ACCOUNT.accessKeyId) <= 2,
		'more than 2 tasks ran at once',
	);
	const refused = traffic.filter((e) => e.code === 50430).length;
	ctx.report.note(
		`3 items done, 3 tasks created (${created.join(', ')}); 50430 (concurrency) answers ridden out: ${refused}`,
	);
	ctx.report.note(`simulator saw: ${countBy(traffic, (e) => e.action)}`);
}

async function checkValidation(ctx: Context, workflow: Workflow, rule: RegExp): Promise<void> {
	const mark = ctx.sim.requests.length;
	// Nothing is sent in these runs, so running again after an n8n crash changes nothing.
	const run = await execute(ctx, workflow, { rerunIfCrashed: true, offline: [ctx.sim] });
	assert.equal(
		run.exitCode,
		1,
		`exit code ${run.exitCode}${run.signal ? ` (${run.signal})` : ''}; error: ${run.errorMessage}`,
	);
	assert.ok(run.errorMessage, 'no error message');
	assert.match(run.errorMessage, rule);
	const traffic = since(ctx.sim, mark);
	assert.equal(
		traffic.length,
		0,
		`the simulator received ${traffic.length} request(s): ${countBy(traffic, (e) => e.action)}`,
	);
	ctx.report.note(`error: ${run.errorMessage}`);
	ctx.report.note('simulator received no request');
}

async function checkFaults(ctx: Context): Promise<void> {
	const sim = ctx.faultSim;
	const result = expectSuccess(
		await execute(ctx, ctx.workflows.batchFaults, { offline: [ctx.faultSim] }),
	);
	const items = nodeItems(result, 'Jimeng Video');
	assert.equal(items.length, 3);
	for (const [i, item] of items.entries()) {
		assert.equal(item.json.status, 'done', `item ${i}: ${JSON.stringify(item.json)}`);
		expectVideo(ctx, item);
	}
	const created = sim.createdTaskIds();
	assert.equal(
		created.length,
		items.length,
		`tasks created ${created.length} for ${items.length} items (a duplicate is a paid video)`,
	);
	assert.deepEqual([...created].sort(), items.map((i) => i.json.task_id as string).sort());
	const faults = sim.requests.filter((e) => e.fault !== null);
	// Without a single injected fault the check proves nothing: the seed must make some fire.
	assert.ok(faults.length > 0, 'no fault fired: choose another E2E_FAULT_SEED');
	assert.ok(sim.maxConcurrentObserved() <= 2);
	ctx.report.note(
		`profile: rate50429 0.3, rate50500 0.1, concurrency 2, seed ${ctx.settings.faultSeed}`,
	);
	ctx.report.note(
		`${sim.requests.length} requests, by answer: ${countBy(sim.requests, (e) => (e.action === 'download' ? 'download' : (e.code ?? `HTTP ${e.httpStatus}`)))}`,
	);
	ctx.report.note(
		`injected faults: ${countBy(faults, (e) => e.fault)}; 3 items done, 3 tasks created, no duplicate`,
	);
}

async function checkHttpRequest(ctx: Context): Promise<void> {
	const mark = ctx.sim.requests.length;
	const result = expectSuccess(
		await execute(ctx, ctx.workflows.httpRequest, { offline: [ctx.sim] }),
	);
	const [item] = nodeItems(result, 'List IAM Users');
	assert.ok(item);
	assert.equal(item.json.code, 10000, `answer: ${JSON.stringify(item.json)}`);
	const data = item.json.data as Record<string, unknown> | undefined;
	assert.equal(data?.status, 'done', `answer: ${JSON.stringify(item.json)}`);
	const traffic = since(ctx.sim, mark);
	assert.equal(traffic.length, 1, `requests: ${traffic.length}`);
	const entry = traffic[0]!;
	assert.equal(entry.action, GET_RESULT_ACTION);
	assert.equal(entry.gatewayError, null, `gateway error ${entry.gatewayError}`);
	assert.equal(entry.httpStatus, 200);
	assert.equal(entry.accessKeyId, DEFAULT_SIMULATOR_ACCOUNT.accessKeyId);
	assert.equal(entry.taskId, ctx.triggerTaskId);
	ctx.report.note(
		`POST /?Action=${GET_RESULT_ACTION}&Version=2022-08-31 signed by n8n's HTTP Request node (Predefined Credential Type → volcengineApi)`,
	);
	ctx.report.note(
		`simulator: signature verified, HTTP ${entry.httpStatus}, code ${entry.code}; node output code ${String(item.json.code)}, data.status ${String(data?.status)}`,
	);
}

// ---- checks against `n8n start` -----------------------------------------------------------------

async function checkServerVersion(ctx: Context, server: N8nServer): Promise<void> {
	const ours = await servedPackageTypes(server, EXPECTED_N8N_VERSION);
	for (const type of [
		'n8n-nodes-jimeng-video.jimengVideo',
		'n8n-nodes-jimeng-video.jimengVideoTrigger',
	]) {
		assert.ok(
			ours.includes(type),
			`${type} not served; package types: ${ours.join(', ') || 'none'}`,
		);
	}
	const creds = await server.fetch<Array<{ name: string }>>(
		'GET',
		'/types/credentials.json',
		undefined,
		'cookie',
	);
	for (const type of ['volcengineApi', 'volcengineArkApi'])
		assert.ok(
			creds.body.some((c) => c.name === type),
			`${type} credential type not served`,
		);
	ctx.report.note(
		`server reports n8n ${EXPECTED_N8N_VERSION}; node types ${ours.join(', ')}; credential types volcengineApi, volcengineArkApi`,
	);
}

async function checkTrigger(ctx: Context, server: N8nServer): Promise<void> {
	const wfId = ctx.workflows.trigger.id as string;
	const workflow = await server.api<{ active: boolean }>('GET', `/workflows/${wfId}`);
	assert.equal(workflow.active, true, 'the published trigger workflow is not active');
	type ExecutionSummary = { id: string; status: string; mode: string; finished: boolean };
	// The activation poll runs during start-up; its execution may be saved just after readiness.
	const execution = await waitFor('the trigger workflow execution', 60_000, async () => {
		const list = await server.api<{ data: ExecutionSummary[] }>(
			'GET',
			`/executions?workflowId=${wfId}`,
		);
		return list.data.find((e) => e.status !== 'running' && e.status !== 'new');
	});
	assert.equal(
		execution.status,
		'success',
		`execution ${execution.id}: ${JSON.stringify(execution)}`,
	);
	const full = await server.api<{ id: string; mode: string; data: ExecutionRun['data'] }>(
		'GET',
		`/executions/${execution.id}?includeData=true`,
	);
	const run = { data: full.data } as ExecutionRun;
	const items = nodeItems(run, 'Jimeng Video Trigger');
	assert.equal(items.length, 1, `trigger emitted ${items.length} items`);
	const item = items[0]!;
	assert.equal(item.json.task_id, ctx.triggerTaskId);
	assert.equal(item.json.status, 'done', `item: ${JSON.stringify(item.json)}`);
	const binary = item.binary?.data;
	assert.ok(binary, `no binary data on the trigger item: ${JSON.stringify(item.json)}`);
	assert.equal(binary.mimeType, 'video/mp4');
	assert.equal(binary.fileName, `${ctx.triggerTaskId}.mp4`);
	const file = binaryFile(ctx.uf.dir, binary);
	const bytes = readFileSync(file);
	assert.equal(
		bytes.length,
		FIXTURE.length,
		`stored video is ${bytes.length} bytes, the fixture ${FIXTURE.length}`,
	);
	assert.ok(bytes.equals(FIXTURE), 'stored video differs from the fixture');
	if (typeof binary.bytes === 'number') assert.equal(binary.bytes, FIXTURE.length, 'binary.bytes');
	assert.equal(
		nodeItems(run, 'Do Something').length,
		1,
		'the node after the trigger did not get the item',
	);
	const list = await server.api<{ data: ExecutionSummary[] }>(
		'GET',
		`/executions?workflowId=${wfId}`,
	);
	assert.equal(
		list.data.length,
		1,
		`the trigger started ${list.data.length} executions (the task must be emitted once)`,
	);
	ctx.report.note(
		`execution ${execution.id} (mode ${full.mode}, ${execution.status}) read back through GET /api/v1/executions/${execution.id}?includeData=true`,
	);
	ctx.report.note(
		`trigger item: task ${ctx.triggerTaskId}, status done; binary ${binary.fileName}, ${binary.mimeType}, ${bytes.length} bytes (${binary.fileSize ?? '?'}) = fixture`,
	);
}

async function checkCredentialOk(ctx: Context, server: N8nServer): Promise<void> {
	const mark = ctx.sim.requests.length;
	const res = await server.testCredential(CREDENTIALS.good.id);
	assert.equal(res.status, 'OK', `credential test: ${JSON.stringify(res)}`);
	const traffic = since(ctx.sim, mark);
	assert.ok(traffic.length >= 1, 'the credential test sent no request to the simulator');
	assert.ok(
		traffic.every((e) => e.gatewayError === null),
		`gateway errors: ${countBy(traffic, (e) => e.gatewayError)}`,
	);
	ctx.report.note(
		`POST /rest/credentials/test → ${JSON.stringify(res)}; simulator: ${countBy(traffic, (e) => `${e.action} HTTP ${e.httpStatus}`)}`,
	);
}

async function checkCredentialBad(ctx: Context, server: N8nServer): Promise<void> {
	const mark = ctx.sim.requests.length;
	const res = await server.testCredential(CREDENTIALS.wrongSecret.id);
	assert.equal(res.status, 'Error', `credential test: ${JSON.stringify(res)}`);
	assert.match(res.message, /SignatureDoesNotMatch/, `message: ${res.message}`);
	const traffic = since(ctx.sim, mark);
	assert.ok(
		traffic.length >= 1 && traffic.every((e) => e.gatewayError === 'SignatureDoesNotMatch'),
		`simulator: ${countBy(traffic, (e) => e.gatewayError)}`,
	);
	ctx.report.note(`POST /rest/credentials/test → ${res.status}: "${res.message}"`);
}

// ---- the run --------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const report = new Report([
		...Object.values(CHECKS),
		...Object.values(SEEDANCE_CHECKS),
		...Object.values(HARDENING_CHECKS),
	]);
	const settings: Settings = {
		queueMs: numberFromEnv('E2E_SIM_QUEUE_MS', 300),
		generateMs: numberFromEnv('E2E_SIM_GENERATE_MS', 700),
		pollIntervalSec: numberFromEnv('E2E_POLL_INTERVAL', 0.5),
		faultSeed: numberFromEnv('E2E_FAULT_SEED', 20260526),
	};
	report.log(
		`end-to-end: n8n-nodes-jimeng-video in a real n8n ${EXPECTED_N8N_VERSION} against the Jimeng simulator (Jimeng and Seedance)`,
	);
	const browserArtifacts = artifactsDir();
	report.log(`editor screenshots: ${path.relative(REPO_DIR, browserArtifacts)}`);
	report.log(
		`settings: simulator queue ${settings.queueMs} ms + generate ${settings.generateMs} ms, poll interval ${settings.pollIntervalSec} s, fault seed ${settings.faultSeed}`,
	);

	let uf: UserFolder | undefined;
	let tarballDir: string | undefined;
	let server: N8nServer | undefined;
	const simLog: string[] = [];
	// One simulator serves both APIs on one port: Jimeng's, and Seedance's (Ark) under /api/v3.
	const sim = new JimengSimulator({
		port: portFromEnv('E2E_SIM_PORT'),
		queueMs: settings.queueMs,
		generateMs: settings.generateMs,
		seed: 7,
		log: (line) => simLog.push(`[sim] ${line}`),
		ark: new ArkSimulator({
			queueMs: settings.queueMs,
			generateMs: settings.generateMs,
			seed: 7,
			log: (line) => simLog.push(`[ark] ${line}`),
		}),
	});
	const faultSim = new JimengSimulator({
		port: portFromEnv('E2E_FAULT_SIM_PORT'),
		queueMs: settings.queueMs,
		generateMs: settings.generateMs,
		concurrency: 2,
		faults: { rate50429: 0.3, rate50500: 0.1 },
		seed: settings.faultSeed,
		log: (line) => simLog.push(`[fault-sim] ${line}`),
	});
	const hardening = new HardeningChecks(report, REPO_DIR, (line) => simLog.push(line));
	const seedance = new SeedanceChecks(
		report,
		REPO_DIR,
		sim,
		() => {
			if (!uf) throw new Error('no user folder yet');
			return uf.dir;
		},
		settings,
	);

	await runE2e(report, {
		run: async () => {
			const host = await report.setup('n8n host: Node 24 + n8n (cached install)', async () => {
				const started = Date.now();
				const h = await ensureN8nHost({ log: (line) => report.note(`[n8n-host] ${line}`) });
				if (h.installedNow) {
					report.note(
						`cold: installed n8n ${h.n8nVersion} + Node ${h.nodeVersion} in ${formatMs(h.installMs)} (${h.cacheDir})`,
					);
				} else {
					report.note(
						`warm: reused the cache in ${formatMs(Date.now() - started)} (${h.cacheDir})`,
					);
					const cold = coldInstallOf(h);
					if (cold) report.note(`(its cold install took ${formatMs(cold.ms)}, on ${cold.at})`);
				}
				return h;
			});

			uf = await report.setup('fresh user folder', async () => {
				const folder = await createUserFolder({
					port: portFromEnv('E2E_N8N_PORT'),
					brokerPort: portFromEnv('E2E_N8N_BROKER_PORT'),
				});
				report.note(
					`N8N_USER_FOLDER=${folder.dir}; n8n start port ${folder.port}, task-runner broker ${folder.brokerPort}`,
				);
				return folder;
			});
			const userFolder = uf;

			await report.setup('n8n --version', async () => {
				const res = await runN8nOk(host, userFolder, ['--version'], { timeoutMs: 60_000 });
				const version = res.stdout.trim().split('\n').pop()?.trim();
				report.note(`n8n ${version} on Node ${host.nodeVersion} (${host.nodeBin})`);
				if (version !== EXPECTED_N8N_VERSION)
					throw new Error(`expected n8n ${EXPECTED_N8N_VERSION}, got ${version}`);
			});

			await report.setup('build + pack + install the tarball', async () => {
				const tarball = await packProject(REPO_DIR, { log: (line) => report.note(line) });
				tarballDir = path.dirname(tarball);
				const installed = await installPackageTarball(userFolder, tarball);
				report.note(
					`installed ${installed.name}@${installed.version} into ${path.relative(userFolder.dir, installed.dir)} (npm install --ignore-scripts, as n8n does)`,
				);
			});

			await report.setup('simulators', async () => {
				await sim.start();
				await faultSim.start();
				await hardening.start();
				report.note(
					`simulator ${sim.url} (Seedance: ${sim.url}/api/v3); fault simulator ${faultSim.url}`,
				);
			});
			await report.setup('Seedance: a queued and a running task for Cancel', () =>
				seedance.prepare(),
			);

			const goodData = simulatorCredentialData(sim.url);

			// Submitted before any import so the trigger workflow can be imported, published and activated
			// at the first `n8n start` with a task that is already done.
			const triggerTaskId = await report.setup(
				'a done task for the trigger (signed with dist credential)',
				async () => {
					const { taskId, ...answer } = await submitDoneTask(REPO_DIR, sim, goodData, {
						model: MODEL,
						prompt: 'A lighthouse in a storm, waves crashing (e2e trigger task)',
					});
					report.note(
						`task ${taskId} submitted (HTTP ${answer.status}, code ${String(answer.body.code)}) and done`,
					);
					return taskId;
				},
			);

			await report.setup('import credentials', async () => {
				await importCredentials(host, userFolder, [
					{ ...CREDENTIALS.good, type: 'volcengineApi', data: goodData },
					{
						...CREDENTIALS.wrongSecret,
						type: 'volcengineApi',
						data: { ...goodData, secretAccessKey: 'd3Jvbmctc2VjcmV0LWtleQ==' },
					},
					{
						...CREDENTIALS.faults,
						type: 'volcengineApi',
						data: { ...goodData, baseUrl: faultSim.url },
					},
					...hardening.credentials(),
					...seedance.credentials(),
				]);
				report.note(
					`volcengineApi: "${CREDENTIALS.good.name}", "${CREDENTIALS.wrongSecret.name}", "${CREDENTIALS.faults.name}"; volcengineArkApi: "${seedance.credentials()[0]!.name}"`,
				);
			});

			const workflows = buildWorkflows({
				credential: CREDENTIALS.good,
				faultCredential: CREDENTIALS.faults,
				endpoints: { simulatorUrl: sim.url },
				pollIntervalSec: settings.pollIntervalSec,
				waitSec: Math.ceil((settings.queueMs + settings.generateMs) / 1000) + 1,
				triggerTaskId,
				model: MODEL,
			});
			await report.setup('import workflows (patched examples)', async () => {
				const all = [
					...Object.values(workflows),
					...hardening.workflows(),
					...seedance.workflows(CREDENTIALS.good, settings.pollIntervalSec),
					...panelWorkflows(CREDENTIALS.good),
				];
				await importWorkflows(host, userFolder, all);
				for (const w of all) report.note(`${w.id}  ${w.name}`);
			});
			await report.setup('publish the trigger workflow', () =>
				publishWorkflow(host, userFolder, workflows.trigger.id as string),
			);

			const ctx: Context = {
				report,
				host,
				uf: userFolder,
				sim,
				faultSim,
				workflows,
				triggerTaskId,
				settings,
			};

			report.log('— headless runs: n8n execute --id, one per workflow —');
			await report.check(CHECKS.textToVideo, () => checkTextToVideo(ctx));
			await report.check(CHECKS.submitGet, () => checkSubmitThenGet(ctx));
			await report.check(CHECKS.image, () => checkImageToVideo(ctx));
			await report.check(CHECKS.batch, () => checkBatch(ctx));
			await report.check(CHECKS.badFrames, () =>
				checkValidation(
					ctx,
					workflows.badFrames,
					/"Duration" must be 5 s \(121 frames\) or 10 s \(241 frames\).*got number 120/,
				),
			);
			await report.check(CHECKS.longPrompt, () =>
				checkValidation(
					ctx,
					workflows.longPrompt,
					/"Prompt" must be at most 800 characters; got 801 characters/,
				),
			);
			await report.check(CHECKS.faults, () => checkFaults(ctx));
			await report.check(CHECKS.httpRequest, () => checkHttpRequest(ctx));
			const runner = {
				execute: (w: Workflow) => execute(ctx, w),
				expectSuccess,
				expectVideo: (item: RunItem) => expectVideo(ctx, item),
			};
			await report.check(HARDENING_CHECKS.submit504, () => hardening.checkSubmit504(runner));
			await report.check(HARDENING_CHECKS.html502, () => hardening.checkHtml502(runner));
			await report.check(CHECKS.binaryBody, () =>
				checkBinaryBody({ report, host, uf: userFolder, sim, credential: CREDENTIALS.good }),
			);
			report.log('— Seedance (API = Seedance on Ark), headless —');
			const seedanceRunner: SeedanceRunner = {
				execute: (w: Workflow) => execute(ctx, w, { offline: [sim] }),
				expectSuccess,
			};
			await report.check(SEEDANCE_CHECKS.audio, () => seedance.checkAudio(seedanceRunner));
			await report.check(SEEDANCE_CHECKS.frames, () => seedance.checkFrames(seedanceRunner));
			await report.check(SEEDANCE_CHECKS.references, () =>
				seedance.checkReferences(seedanceRunner),
			);
			await report.check(SEEDANCE_CHECKS.chain, () => seedance.checkChain(seedanceRunner));
			await report.check(SEEDANCE_CHECKS.cancel, () => seedance.checkCancel(seedanceRunner));
			await report.check(SEEDANCE_CHECKS.ambiguous, () =>
				seedance.checkAmbiguousCreate(seedanceRunner),
			);

			report.log('— server: n8n start with the published trigger workflow —');
			server = await report.setup('n8n start (ready + owner + API key)', async () => {
				const s = await startN8n(host, userFolder);
				report.note(
					`${s.baseUrl} ready in ${formatMs(s.readyMs)} (pid ${s.pid}); log ${path.relative(userFolder.dir, s.logFile)}`,
				);
				return s;
			});
			const srv = server;
			await report.check(CHECKS.version, () => checkServerVersion(ctx, srv));
			await report.check(CHECKS.trigger, () => checkTrigger(ctx, srv));
			await report.check(CHECKS.credOk, () => checkCredentialOk(ctx, srv));
			await report.check(CHECKS.credBad, () => checkCredentialBad(ctx, srv));
			// Watching runs beside the checks that follow; its tasks are checked after the overlap check.
			await report.check(SEEDANCE_CHECKS.watchStart, () =>
				seedance.startWatch(srv, seedanceRunner),
			);
			await report.check(CHECKS.browser, () =>
				checkBrowser({
					report,
					server: srv,
					workflow: workflows.textToVideo,
					imageWorkflow: workflows.imageToVideo,
					seedanceWorkflow: seedance.audioWorkflow,
					arkCredentialName: ARK_CREDENTIAL.name,
					sim,
					ark: seedance.ark,
					artifactsDir: browserArtifacts,
				}),
			);
			await report.check(HARDENING_CHECKS.overlap, () => hardening.checkOverlappingPolls(srv));
			await report.check(SEEDANCE_CHECKS.watchEmits, () => seedance.checkWatchEmits(srv));
			await report.check(HARDENING_CHECKS.durable, async () => {
				server = await hardening.checkDurableScheduler(ctx.host, userFolder, srv, 'durable');
			});
			await report.check(HARDENING_CHECKS.cursors, async () => {
				const previous = server ?? srv;
				server = await hardening.checkDurableScheduler(ctx.host, userFolder, previous, 'cursors');
			});
		},
		cleanup: () => [
			['n8n server', async () => (server ? await server.stop() : undefined)],
			['other n8n processes', () => stopAllN8n()],
			[
				'simulators',
				async () => await Promise.all([sim.stop(), faultSim.stop(), hardening.stop()]),
			],
			tarballCleanup(tarballDir),
		],
		afterCleanup: async () => {
			await keepUserFolderIfFailed(
				report,
				uf,
				simLog,
				'n8n log n8n-start-*.log, simulator.log, .n8n/database.sqlite',
			);
			report.log('stopped n8n and the simulators');
		},
	});
}

runScript(main);
