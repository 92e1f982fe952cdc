/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
/**
 * Compatibility run (after test/scripts/e2e/run.ts in `npm run test:e2e`):
 * - n8n 1.123.81 (newest 1.x, Node 24) with the packed package installed as n8n's installer does:
 *   text-to-video (video = the simulator's mp4 by sha256), Submit → Get Result, image-to-video from
 *   an n8n binary, Seedance's Generate and Wait (the mp4 with sound, byte for byte), and the trigger
 *   in `n8n start` emitting the video;
 * - the README's manual install (`npm install --omit=peer` in ~/.n8n/nodes) on n8n 2.41.1 and 1.123.81.
 * Prints a PASS/FAIL table naming the n8n version of every check; exits non-zero on any failure.
 *
 * Env: E2E_SIM_QUEUE_MS (300), E2E_SIM_GENERATE_MS (700), E2E_POLL_INTERVAL (0.5 s) as in run.ts;
 * JIMENG_N8N_HOST_CACHE, JIMENG_N8N_VERBOSE=1, JIMENG_N8N_KEEP_USER_FOLDER=1 (test/tooling/n8n-host/README.md).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
	ensureN8nHost,
	HOST_SPEC_DIRS,
	REPO_DIR,
	type HostLine,
	type N8nHost,
} from '../../../tooling/n8n-host/host';
import {
	importCredentials,
	importWorkflows,
	publishWorkflow,
	runN8nOk,
	type ExecutionRun,
} from '../../../tooling/n8n-host/n8nCli';
import { formatMs } from '../../../tooling/n8n-host/proc';
import { startN8n, stopAllN8n, type N8nServer } from '../../../tooling/n8n-host/server';
import {
	createUserFolder,
	installPackageTarball,
	packProject,
	type UserFolder,
} from '../../../tooling/n8n-host/userFolder';
import {
	ArkSimulator,
	FIXTURE_PATH,
	JimengSimulator,
	SAMPLE_IMAGE,
	SUBMIT_ACTION,
	type RequestLogEntry,
} from '../../../tooling/simulator';
import { Report, SetupFailed } from '../report';
import { keepUserFolderIfFailed, runE2e, tarballCleanup } from '../runner';
import {
	binaryBytes,
	crashedAfterResult,
	executeOnce,
	nodeItems,
	numberFromEnv,
	servedPackageTypes,
	submitDoneTask,
	waitFor,
	type RunItem,
	type StoredBinary,
} from '../support';
import { ARK_CREDENTIAL, arkCredentialData, expectArkVideo } from '../seedance';
import {
	SEEDANCE_AUDIO_EXAMPLE,
	SEEDANCE_NODE,
	buildWorkflows,
	seedanceExample,
	type E2eWorkflows,
	type Workflow,
} from '../workflows';
import { checkManualInstall } from './manualInstall';
import { simulatorCredentialData } from '../../../support/simulatorCredential';
import { runScript } from '../../../support/script';

const VERSIONS: Record<HostLine, string> = { '1.123': '1.123.81', '2.41': '2.41.1' };
const MODEL = 'jimeng_ti2v_v30_pro';
const FIXTURE = readFileSync(FIXTURE_PATH);
const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const V1 = `n8n ${VERSIONS['1.123']}`;
const CHECKS = {
	textToVideo: `[${V1}] Generate and Wait: video = simulator mp4`,
	submitGet: `[${V1}] Submit → Wait → Get Result`,
	image: `[${V1}] Image-to-video from a binary image`,
	seedance: `[${V1}] Seedance Generate and Wait: mp4 with sound`,
	trigger: `[${V1}] Trigger loads and emits the video (n8n start)`,
	manual1: `[${V1}] Manual install (npm install --omit=peer)`,
	manual2: `[n8n ${VERSIONS['2.41']}] Manual install (npm install --omit=peer)`,
} as const;
const SMOKE_CHECKS = [
	CHECKS.textToVideo,
	CHECKS.submitGet,
	CHECKS.image,
	CHECKS.seedance,
	CHECKS.trigger,
];

const CREDENTIAL = { id: 'CompatJimengSim1', name: 'Jimeng simulator' };

interface Ctx {
	report: Report;
	host: N8nHost;
	uf: UserFolder;
	sim: JimengSimulator;
	workflows: E2eWorkflows;
	seedanceWorkflow: Workflow;
	triggerTaskId: string;
}

/** One `n8n execute --id`; a run n8n printed and then crashed on exit (see ../README.md) is judged on what it printed. */
async function run(ctx: Ctx, workflow: Workflow): Promise<ExecutionRun> {
	const res = await executeOnce(ctx.host, ctx.uf, workflow.id as string);
	const how = res.signal ? `killed by ${res.signal}` : `exit ${res.exitCode}`;
	ctx.report.note(
		`n8n ${ctx.host.n8nVersion} execute --id=${workflow.id} ("${workflow.name}"): ${how} in ${formatMs(res.durationMs)}`,
	);
	if (crashedAfterResult(res))
		ctx.report.warn(
			`n8n ${ctx.host.n8nVersion} execute of ${workflow.id} died of ${res.signal} while exiting; judged on the printed run`,
		);
	const completed =
		res.exitCode === 0 || (crashedAfterResult(res) && res.result?.status === 'success');
	if (!completed || !res.result || res.errorMessage) {
		const tail = (res.stdout + '\n' + res.stderr).split('\n').filter(Boolean).slice(-25).join('\n');
		throw new Error(
			`the run failed (exit ${res.exitCode}): ${res.errorMessage ?? 'no result printed'}\n${tail}`,
		);
	}
	return res.result;
}

/** A done item's video: metadata, and bytes (inline or on disk) with the sha256 of the simulator's mp4. */
function expectVideo(ctx: Ctx, item: RunItem): string {
	const taskId = item.json.task_id as string;
	const binary = item.binary?.data;
	assert.ok(binary, `no video binary on the item: ${JSON.stringify(item.json)}`);
	assert.equal(binary.mimeType, 'video/mp4');
	assert.equal(binary.fileName, `${taskId}.mp4`);
	const { bytes, where } = binaryBytes(ctx.uf.dir, binary);
	assert.equal(
		sha256(bytes),
		sha256(FIXTURE),
		`video: ${bytes.length} bytes, sha256 ${sha256(bytes).slice(0, 12)}; the simulator served ${FIXTURE.length} bytes, sha256 ${sha256(FIXTURE).slice(0, 12)}`,
	);
	return `${taskId}.mp4, ${bytes.length} bytes, sha256 ${sha256(bytes).slice(0, 12)} = simulator mp4; ${where}`;
}

function downloadsOf(traffic: RequestLogEntry[], taskId: unknown): number {
	return traffic.filter(
		(e) => e.action === 'download' && e.taskId === taskId && e.httpStatus === 200,
	).length;
}

async function checkTextToVideo(ctx: Ctx): Promise<void> {
	const mark = ctx.sim.requests.length;
	const [item, ...rest] = nodeItems(await run(ctx, ctx.workflows.textToVideo), 'Jimeng Video');
	assert.ok(item && rest.length === 0, 'one item expected');
	assert.equal(item.json.status, 'done', `item: ${JSON.stringify(item.json)}`);
	const video = expectVideo(ctx, item);
	const traffic = ctx.sim.requests.slice(mark);
	assert.deepEqual(
		traffic.filter((e) => e.taskCreated).map((e) => e.taskId),
		[item.json.task_id],
		'exactly this task created',
	);
	assert.ok(
		downloadsOf(traffic, item.json.task_id) >= 1,
		'the simulator served no download of the task',
	);
	ctx.report.note(`task ${String(item.json.task_id)} done; ${video}`);
}

async function checkSubmitThenGet(ctx: Ctx): Promise<void> {
	const mark = ctx.sim.requests.length;
	const result = await run(ctx, ctx.workflows.submitThenGet);
	const [submitted] = nodeItems(result, 'Submit');
	assert.match(
		String(submitted?.json.task_id),
		/^\d{19,20}$/,
		`Submit output: ${JSON.stringify(submitted?.json)}`,
	);
	const [got] = nodeItems(result, 'Get Result');
	assert.ok(got, 'Get Result output no item');
	assert.equal(got.json.task_id, submitted!.json.task_id, 'Get Result answered for another task');
	assert.equal(got.json.status, 'done', `Get Result: ${JSON.stringify(got.json)}`);
	const video = expectVideo(ctx, got);
	const submits = ctx.sim.requests.slice(mark).filter((e) => e.action === SUBMIT_ACTION);
	assert.equal(submits.length, 1, `submits: ${submits.length}`);
	ctx.report.note(
		`Submit → task ${String(submitted!.json.task_id)} (${String(submitted!.json.status)}); Get Result → done, same task; ${video}`,
	);
}

async function checkImageToVideo(ctx: Ctx): Promise<void> {
	const mark = ctx.sim.requests.length;
	const result = await run(ctx, ctx.workflows.imageToVideo);
	assert.equal(
		ctx.sim.requests.slice(mark).filter((e) => e.action === 'sample').length,
		1,
		"the HTTP Request node did not download the simulator's sample image once",
	);
	const image = nodeItems(result, 'Download Image')[0]?.binary?.data as StoredBinary | undefined;
	assert.ok(image, 'Download Image output no binary');
	const stored = binaryBytes(ctx.uf.dir, image);
	assert.ok(
		stored.bytes.equals(Buffer.from(SAMPLE_IMAGE.bytes)),
		'n8n holds other bytes than the image served',
	);
	const [item] = nodeItems(result, 'Jimeng Video');
	assert.ok(item);
	assert.equal(item.json.status, 'done', `item: ${JSON.stringify(item.json)}`);
	assert.equal(item.json.expected_aspect_ratio, '16:9');
	const video = expectVideo(ctx, item);
	const submits = ctx.sim.requests.slice(mark).filter((e) => e.action === SUBMIT_ACTION);
	assert.equal(submits.length, 1);
	const body = submits[0]!.body as Record<string, unknown>;
	const b64 = Buffer.from(SAMPLE_IMAGE.bytes).toString('base64').length;
	assert.deepEqual(
		body.binary_data_base64,
		[`<base64 ${b64} chars>`],
		`submit body: ${JSON.stringify(body)}`,
	);
	ctx.report.note(
		`image binary (${image.mimeType}, ${stored.bytes.length} bytes, ${stored.where}) → submit binary_data_base64 [${b64} chars]; ${video}`,
	);
}

/** Seedance's text-to-video-with-audio example: one task, the video with sound byte for byte. */
async function checkSeedance(ctx: Ctx): Promise<void> {
	const ark = ctx.sim.ark!;
	const mark = ark.requests.length;
	const [item, ...rest] = nodeItems(await run(ctx, ctx.seedanceWorkflow), SEEDANCE_NODE);
	assert.ok(item && rest.length === 0, 'one item expected');
	assert.equal(item.json.status, 'succeeded', `item: ${JSON.stringify(item.json)}`);
	assert.equal(item.json.generate_audio, true, `item: ${JSON.stringify(item.json)}`);
	assert.deepEqual(
		ark.requests
			.slice(mark)
			.filter((e) => e.taskCreated)
			.map((e) => e.taskId),
		[item.json.task_id],
		'exactly this task created',
	);
	const video = expectArkVideo(ctx.uf.dir, item, true);
	ctx.report.note(
		`Ark task ${String(item.json.task_id)} succeeded (tokens ${String(item.json.tokens)}, estimated_cost_cny ${String(item.json.estimated_cost_cny)}); ${video}`,
	);
}

async function checkTrigger(ctx: Ctx, server: N8nServer): Promise<void> {
	const ours = await servedPackageTypes(server, ctx.host.n8nVersion);
	assert.ok(
		ours.includes('n8n-nodes-jimeng-video.jimengVideoTrigger'),
		`trigger type not known; package types: ${ours.join(', ') || 'none'}`,
	);
	const loadErrors = server
		.logTail(400)
		.split('\n')
		.filter((l) => /jimeng/i.test(l) && /error|fail/i.test(l));
	assert.deepEqual(loadErrors, [], 'n8n logged errors about the package');
	ctx.report.note(
		`server reports n8n ${ctx.host.n8nVersion}; node types ${ours.join(', ')}; no error about the package in its log`,
	);

	const wfId = ctx.workflows.trigger.id as string;
	const workflow = await server.api<{ active: boolean }>('GET', `/workflows/${wfId}`);
	assert.equal(workflow.active, true, 'the trigger workflow is not active');
	type Summary = { id: string; status: string };
	const execution = await waitFor('the trigger workflow execution', 60_000, async () => {
		// n8n retries a failed activation with back-off and keeps `active`: its log says why.
		const log = server.logTail(2_000).split('\n');
		const failed = log.findIndex(
			(l) =>
				l.includes(`(${wfId})`) &&
				/did fail with error|Issue on initial workflow activation/.test(l),
		);
		if (failed >= 0) {
			const cause =
				log.slice(failed).find((l) => /did fail with error/.test(l)) ??
				log.slice(failed, failed + 3).join(' / ');
			throw new Error(`n8n could not activate the trigger workflow: ${cause.trim()}`);
		}
		const list = await server.api<{ data: Summary[] }>('GET', `/executions?workflowId=${wfId}`);
		return list.data.find((e) => e.status !== 'running' && e.status !== 'new');
	});
	assert.equal(
		execution.status,
		'success',
		`execution ${execution.id}: ${JSON.stringify(execution)}`,
	);
	const full = await server.api<{ mode: string; data: ExecutionRun['data'] }>(
		'GET',
		`/executions/${execution.id}?includeData=true`,
	);
	const [item, ...rest] = nodeItems({ data: full.data }, 'Jimeng Video Trigger');
	assert.ok(item && rest.length === 0, 'the trigger emitted other than one item');
	assert.equal(item.json.task_id, ctx.triggerTaskId);
	assert.equal(item.json.status, 'done', `item: ${JSON.stringify(item.json)}`);
	const video = expectVideo(ctx, item);
	ctx.report.note(
		`execution ${execution.id} (mode ${full.mode}, ${execution.status}) from the activated Watch Tasks trigger: task ${ctx.triggerTaskId}; ${video}`,
	);
}

/** Installs (or reuses) one host and logs cold/warm timing. */
async function host(report: Report, line: HostLine): Promise<N8nHost> {
	return await report.setup(`n8n host ${VERSIONS[line]} (cached install)`, async () => {
		const started = Date.now();
		const h = await ensureN8nHost({
			specDir: HOST_SPEC_DIRS[line],
			log: (l) => report.note(`[n8n-host] ${l}`),
		});
		if (h.n8nVersion !== VERSIONS[line])
			throw new Error(`expected n8n ${VERSIONS[line]}, the spec says ${h.n8nVersion}`);
		if (h.installedNow)
			report.note(
				`cold: installed n8n ${h.n8nVersion} + Node ${h.nodeVersion} in ${formatMs(h.installMs)}`,
			);
		else report.note(`warm: reused in ${formatMs(Date.now() - started)}`);
		report.note(`cache key folder ${path.basename(h.cacheDir)}`);
		try {
			const marker = JSON.parse(
				readFileSync(path.join(h.cacheDir, '.n8n-host-complete.json'), 'utf8'),
			) as { installMs?: number; installedAt?: string };
			if (!h.installedNow && marker.installMs)
				report.note(
					`(its cold install took ${formatMs(marker.installMs)}, on ${marker.installedAt})`,
				);
		} catch {
			// No marker details: nothing to add.
		}
		return h;
	});
}

async function main(): Promise<void> {
	const report = new Report(
		Object.values(CHECKS),
		`Compatibility summary (n8n ${VERSIONS['1.123']} smoke; manual install on ${VERSIONS['2.41']} and ${VERSIONS['1.123']})`,
		'compat',
	);
	const queueMs = numberFromEnv('E2E_SIM_QUEUE_MS', 300);
	const generateMs = numberFromEnv('E2E_SIM_GENERATE_MS', 700);
	const pollIntervalSec = numberFromEnv('E2E_POLL_INTERVAL', 0.5);
	report.log(
		`compatibility: n8n-nodes-jimeng-video on n8n ${VERSIONS['1.123']} and the manual install on ${VERSIONS['2.41']} + ${VERSIONS['1.123']}`,
	);

	const simLog: string[] = [];
	// Both APIs on one port: Seedance (Ark) under /api/v3.
	const sim = new JimengSimulator({
		queueMs,
		generateMs,
		seed: 11,
		log: (l) => simLog.push(l),
		ark: new ArkSimulator({ queueMs, generateMs, seed: 11, log: (l) => simLog.push(`[ark] ${l}`) }),
	});
	let tarballDir: string | undefined;
	let uf: UserFolder | undefined;
	let server: N8nServer | undefined;
	await runE2e(report, {
		run: async () => {
			const host1 = await host(report, '1.123');
			const host2 = await host(report, '2.41');
			const tarball = await report.setup('build + pack the package', async () => {
				const t = await packProject(REPO_DIR, { log: (l) => report.note(l) });
				tarballDir = path.dirname(t);
				return t;
			});
			await report.setup('simulator', async () => {
				await sim.start();
				report.note(`simulator ${sim.url}`);
			});
			const credentialData = simulatorCredentialData(sim.url);

			// ---- n8n 1.123: the package as the community-package installer puts it ----
			report.log(`— ${V1}: installed as n8n's installer does; n8n execute, then n8n start —`);
			try {
				const folder = await report.setup(
					`[${V1}] fresh user folder + install the tarball`,
					async () => {
						const f = await createUserFolder();
						uf = f;
						const res = await runN8nOk(host1, f, ['--version'], { timeoutMs: 60_000 });
						const version = res.stdout.trim().split('\n').pop()?.trim();
						if (version !== VERSIONS['1.123']) throw new Error(`n8n --version printed ${version}`);
						const installed = await installPackageTarball(f, tarball);
						report.note(`n8n ${version} on Node ${host1.nodeVersion}; N8N_USER_FOLDER=${f.dir}`);
						report.note(
							`installed ${installed.name}@${installed.version} into ${path.relative(f.dir, installed.dir)} (as n8n's installer does)`,
						);
						return f;
					},
				);
				const triggerTaskId = await report.setup(
					`[${V1}] a done task for the trigger + imports + activation`,
					async () => {
						const { taskId } = await submitDoneTask(REPO_DIR, sim, credentialData, {
							model: MODEL,
							prompt: 'A paper boat on a rainy street (compat trigger task)',
						});
						await importCredentials(host1, folder, [
							{ ...CREDENTIAL, type: 'volcengineApi', data: credentialData },
							{ ...ARK_CREDENTIAL, type: 'volcengineArkApi', data: arkCredentialData(sim) },
						]);
						return taskId;
					},
				);
				const workflows = buildWorkflows({
					credential: CREDENTIAL,
					faultCredential: CREDENTIAL,
					endpoints: { simulatorUrl: sim.url },
					pollIntervalSec,
					waitSec: Math.ceil((queueMs + generateMs) / 1000) + 1,
					triggerTaskId,
					model: MODEL,
				});
				const seedanceWorkflow = seedanceExample(SEEDANCE_AUDIO_EXAMPLE, 'E2eSeedanceAudio', {
					credential: CREDENTIAL,
					arkCredential: ARK_CREDENTIAL,
					simulatorUrl: sim.url,
					pollIntervalSec,
				});
				await report.setup(`[${V1}] import workflows, activate the trigger workflow`, async () => {
					const used = [
						workflows.textToVideo,
						workflows.submitThenGet,
						workflows.imageToVideo,
						seedanceWorkflow,
						workflows.trigger,
					];
					await importWorkflows(host1, folder, used);
					// 1.x: update:workflow --active=true (2.x: publish:workflow).
					await publishWorkflow(host1, folder, workflows.trigger.id as string);
					for (const w of used) report.note(`${w.id}  ${w.name}`);
				});
				const ctx: Ctx = {
					report,
					host: host1,
					uf: folder,
					sim,
					workflows,
					seedanceWorkflow,
					triggerTaskId,
				};
				await report.check(CHECKS.textToVideo, () => checkTextToVideo(ctx));
				await report.check(CHECKS.submitGet, () => checkSubmitThenGet(ctx));
				await report.check(CHECKS.image, () => checkImageToVideo(ctx));
				await report.check(CHECKS.seedance, () => checkSeedance(ctx));
				await report.check(CHECKS.trigger, async () => {
					server = await startN8n(host1, folder);
					report.note(
						`${server.baseUrl} ready in ${formatMs(server.readyMs)}; owner set up, API key created`,
					);
					await checkTrigger(ctx, server);
				});
			} catch (error) {
				if (!(error instanceof SetupFailed)) throw error;
				for (const name of SMOKE_CHECKS)
					if (!report.results.some((r) => r.name === name))
						report.skip(name, `setup "${error.step}" failed`);
			} finally {
				if (server) await server.stop();
				server = undefined;
			}

			// ---- the README's manual install, both versions ----
			report.log(
				'— manual install: cd <N8N_USER_FOLDER>/.n8n/nodes && npm install --omit=peer <tarball> —',
			);
			const manual = { report, tarball, sim, credentialData, pollIntervalSec };
			await report.check(CHECKS.manual2, () => checkManualInstall({ ...manual, host: host2 }));
			await report.check(CHECKS.manual1, () => checkManualInstall({ ...manual, host: host1 }));
		},
		cleanup: () => [
			['n8n processes', () => stopAllN8n()],
			['simulator', () => sim.stop()],
			tarballCleanup(tarballDir),
		],
		afterCleanup: () =>
			keepUserFolderIfFailed(
				report,
				uf,
				simLog,
				'n8n-start-*.log, simulator.log, .n8n/database.sqlite',
			),
	});
}

runScript(main);
