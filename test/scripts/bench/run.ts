/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * `npm run bench`: how the node does on batches, big videos, request budgets and signing, measured
 * against the local simulator on loopback (Jimeng, and Seedance on Ark beside it for the batch and
 * the 1 GB video). A benchmark, not a test: it prints figures measured side by side in one run and a
 * PASS/FAIL line per target. Exit code 0 once everything was measured (BENCH_STRICT=1: non-zero when
 * a target is missed); 2 when a measurement could not be made.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { VolcengineApi } from '../../../credentials/VolcengineApi.credentials';
import {
	signRequest,
	type SignableRequest,
	type SigningCredentials,
} from '../../../credentials/signing/volcengineSigner';
import { IMAGE_MAX_BYTES } from '../../../nodes/shared/jimeng/requests/imageRules';
import { ArkSimulator, JimengSimulator } from '../../tooling/simulator';
import { videoFile } from '../../tooling/simulator/ark/arkMedia';
import { loadFixture, VideoFile } from '../../tooling/simulator/video';
import { Capture } from '../soak/capture';
import { createHarness, outputOf, useMemoryBinaryData } from '../../support/harness';
import { arkSimulatorCredential, SEEDANCE_NODE, seedanceWorkflow } from '../../support/seedance';
import { jimengWorkflow, simulatorCredential } from '../../support/workflows';
import { heading, mb, out, seconds, sleep, table, Verdicts } from './report';
import {
	IMAGE_BATCH_CONCURRENCY,
	IMAGE_BATCH_GROWTH_TARGET,
	imageBatchTable,
	measureImageBatchMemory,
} from './imageBatchMemory';
import type { WorkerInput, WorkerResult, WorkerVariant } from './memoryWorker';

const verdicts = new Verdicts();
/** Submits of bench 1's batch run, quoted again by bench 3 (a concurrency limit means refused submits). */
let batchSubmits: { accepted: number; refused: number; created: number } | undefined;

// ---- 1. batch throughput ---------------------------------------------------------------------------

const BATCH_N = 20;
const BATCH_D_MS = 2000;
/** Of the task time D: queued this long, then generating the rest (both simulators). */
const BATCH_QUEUE_MS = 500;
const BATCH_C = 5;
const BATCH_POLL_S = 0.25;
/** The target for wall / ideal, the same for both APIs. */
const BATCH_RATIO_TARGET = 1.15;

interface BatchStats {
	submits: number;
	refused: number;
	created: number;
	getResults: number;
	maxConcurrent: number;
}

async function benchBatch(): Promise<void> {
	out(
		heading(
			`1. Batch throughput: Generate and Wait, N = ${BATCH_N}, task time D = ${BATCH_D_MS / 1000} s, account concurrency C = ${BATCH_C} (Jimeng, then Seedance on Ark)`,
		),
	);
	// One server for both APIs; the same timings and limit on each side.
	const ark = new ArkSimulator({
		queueMs: BATCH_QUEUE_MS,
		generateMs: BATCH_D_MS - BATCH_QUEUE_MS,
		concurrency: BATCH_C,
		seed: 102,
	});
	const sim = new JimengSimulator({
		queueMs: BATCH_QUEUE_MS,
		generateMs: BATCH_D_MS - BATCH_QUEUE_MS,
		concurrency: BATCH_C,
		seed: 101,
		ark,
	});
	await sim.start();
	try {
		const harness = await createHarness([simulatorCredential(sim), arkSimulatorCredential(sim)]);
		useMemoryBinaryData();
		const prompts = Array.from(
			{ length: BATCH_N },
			(_, i) => `bench scene ${i + 1}: a paper boat on a rainy street`,
		);
		const items = prompts.map((prompt) => ({ json: { prompt } }));
		const options = { pollInterval: BATCH_POLL_S };

		// Warm-up (not measured): n8n loads and compiles its execution path on the first run.
		await harness.run(
			jimengWorkflow({ operation: 'generateAndWait', prompt: 'warm-up [sim:ms=0]', options }),
		);
		sim.reset();

		let started = Date.now();
		const run = await harness.run(
			jimengWorkflow(
				{ operation: 'generateAndWait', prompt: '={{ $json.prompt }}', options },
				{ items },
			),
		);
		const oursMs = Date.now() - started;
		const ours = outputOf(run, 'Jimeng Video');
		const oursDone = ours.filter((item) => item.json.status === 'done' && item.binary?.data).length;
		const oursStats: BatchStats = {
			submits: sim.submits().length,
			refused: sim.submits().filter((e) => e.code === 50430).length,
			created: sim.createdTaskIds().length,
			getResults: sim.getResults().length,
			maxConcurrent: sim.maxConcurrentObserved(),
		};
		batchSubmits = {
			accepted: sim.submits().filter((e) => e.taskCreated).length,
			refused: oursStats.refused,
			created: oursStats.created,
		};
		sim.reset();

		// The other Jimeng nodes: submit, wait, download one item, then the next (one run per item).
		started = Date.now();
		let sequentialDone = 0;
		for (const prompt of prompts) {
			const one = await harness.run(
				jimengWorkflow({ operation: 'generateAndWait', prompt, options }),
			);
			if (outputOf(one, 'Jimeng Video')[0]?.json.status === 'done') sequentialDone++;
		}
		const sequentialMs = Date.now() - started;
		const seqStats: BatchStats = {
			submits: sim.submits().length,
			refused: 0,
			created: sim.createdTaskIds().length,
			getResults: sim.getResults().length,
			maxConcurrent: sim.maxConcurrentObserved(),
		};

		// Seedance: the same batch through Ark (warm-up with instant tasks, then the real timings).
		ark.configure({ queueMs: 0, generateMs: 0 });
		await harness.run(
			seedanceWorkflow({ operation: 'generateAndWait', prompt: 'warm-up', options }),
		);
		ark.reset();
		ark.configure({ queueMs: BATCH_QUEUE_MS, generateMs: BATCH_D_MS - BATCH_QUEUE_MS });
		started = Date.now();
		const arkRun = await harness.run(
			seedanceWorkflow(
				{ operation: 'generateAndWait', prompt: '={{ $json.prompt }}', options },
				{ items },
			),
		);
		const arkMs = Date.now() - started;
		const arkDone = outputOf(arkRun, SEEDANCE_NODE).filter(
			(item) => item.json.status === 'succeeded' && item.binary?.data,
		).length;
		const arkStats: BatchStats = {
			submits: ark.creates().length,
			refused: ark.creates().filter((e) => e.httpStatus === 429).length,
			created: ark.createdTaskIds().length,
			getResults: ark.requests.filter((e) => e.call === 'get').length,
			maxConcurrent: ark.maxRunningObserved(),
		};

		// Jimeng's limit counts queued and generating tasks (a submit beyond it is refused with 50430):
		// waves of C tasks of D each. Ark's counts running tasks only; the rest wait queued, so their
		// queue time overlaps the running waves: Q, then waves of C tasks of D − Q each.
		const waves = Math.ceil(BATCH_N / BATCH_C);
		const idealMs = waves * BATCH_D_MS;
		const arkIdealMs = BATCH_QUEUE_MS + waves * (BATCH_D_MS - BATCH_QUEUE_MS);
		const seqIdealMs = BATCH_N * BATCH_D_MS;
		out(
			`D = ${BATCH_QUEUE_MS / 1000} s queued + ${(BATCH_D_MS - BATCH_QUEUE_MS) / 1000} s generating (Q + G) on both simulators; poll interval ${BATCH_POLL_S} s in every variant`,
		);
		out(
			`ideal: Jimeng ⌈N/C⌉·D = ${seconds(idealMs)} (its limit counts queued and generating tasks: a submit beyond it is refused with 50430); Seedance Q + ⌈N/C⌉·G = ${seconds(arkIdealMs)} (Ark's limit counts running tasks; the rest wait queued); one after another N·D = ${seconds(seqIdealMs)}`,
		);
		out(
			table(
				[
					'variant',
					'wall',
					'ideal',
					'wall/ideal',
					'videos',
					'creates',
					'refused',
					'created',
					'status polls',
					'max in flight',
				],
				[
					variantRow('Jimeng: one run, 20 items', oursMs, idealMs, oursDone, oursStats),
					variantRow(
						'Jimeng sequential: 20 runs of 1',
						sequentialMs,
						seqIdealMs,
						sequentialDone,
						seqStats,
					),
					variantRow('Seedance: one run, 20 items', arkMs, arkIdealMs, arkDone, arkStats),
				],
			),
		);
		out(
			'refused: Jimeng 50430 (over the concurrency limit, nothing created), Ark 429; max in flight: Jimeng counts queued + generating tasks, Ark running ones',
		);
		out(`Jimeng sequential / one run = ${(sequentialMs / oursMs).toFixed(2)}×`);
		const ratio = oursMs / idealMs;
		const arkRatio = arkMs / arkIdealMs;
		verdicts.add(
			`Jimeng batch wall/ideal ≤ ${BATCH_RATIO_TARGET}`,
			`${ratio.toFixed(3)} (${seconds(oursMs)} / ${seconds(idealMs)}), sequential/ours ${(sequentialMs / oursMs).toFixed(2)}×`,
			ratio <= BATCH_RATIO_TARGET && oursDone === BATCH_N,
		);
		verdicts.add(
			`Seedance batch wall/ideal ≤ ${BATCH_RATIO_TARGET}`,
			`${arkRatio.toFixed(3)} (${seconds(arkMs)} / ${seconds(arkIdealMs)}), ${arkDone}/${BATCH_N} videos, ${arkStats.created} tasks; Jimeng ${ratio.toFixed(3)} in this run`,
			arkRatio <= BATCH_RATIO_TARGET &&
				arkDone === BATCH_N &&
				arkStats.created === BATCH_N &&
				arkStats.maxConcurrent <= BATCH_C,
		);
	} finally {
		await sim.stop();
	}
}

/** A row of the batch table: wall time against the ideal, videos done, and what the simulator saw. */
function variantRow(
	variant: string,
	wallMs: number,
	idealMs: number,
	done: number,
	stats: BatchStats,
) {
	return [
		variant,
		seconds(wallMs),
		seconds(idealMs),
		(wallMs / idealMs).toFixed(3),
		`${done}/${BATCH_N}`,
		stats.submits,
		stats.refused,
		stats.created,
		stats.getResults,
		stats.maxConcurrent,
	];
}

// ---- 2. streaming memory ---------------------------------------------------------------------------

const VIDEO_BYTES = 1024 ** 3;

function childRss(pid: number): number {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

/** Runs one variant in its own process; samples its RSS from here every 20 ms once it says "baseline". */
async function runWorker(input: WorkerInput): Promise<MeasuredWorker> {
	const child = fork(join(__dirname, 'memoryWorker.ts'), [], {
		execArgv: ['--import', 'tsx', '--expose-gc'],
		stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
	});
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	child.stdout?.resume();
	let sampledPeak = 0;
	let sampler: NodeJS.Timeout | undefined;
	try {
		return await new Promise((resolve, reject) => {
			child.on(
				'message',
				(message: { type: 'baseline'; rss: number } | { type: 'measured' } | WorkerResult) => {
					if (message.type === 'baseline') {
						sampler = setInterval(
							() => (sampledPeak = Math.max(sampledPeak, childRss(child.pid!))),
							20,
						);
					} else if (message.type === 'measured') {
						// Reading the 1 GB file back for the hash is not part of the download.
						clearInterval(sampler);
					} else if (message.type === 'result') {
						resolve({ ...message, sampledPeak });
					}
				},
			);
			child.on('exit', (code) =>
				reject(
					new Error(
						`memory worker (${input.variant}) exited with ${code} before reporting: ${stderr.slice(-2000)}`,
					),
				),
			);
			child.send(input);
		});
	} finally {
		if (sampler) clearInterval(sampler);
		if (child.exitCode === null) child.kill();
	}
}

async function sha256Of(stream: AsyncIterable<unknown>): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of stream) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

type MeasuredWorker = WorkerResult & { sampledPeak: number };

const peakGrowth = (r: MeasuredWorker) => Math.max(r.peakRss ?? 0, r.sampledPeak) - r.baselineRss;

/** The last frame as the simulator serves it (its URL from the task) and when the node asked for it. */
async function servedLastFrame(ark: ArkSimulator, taskId: string) {
	const url = (ark.task(taskId)?.content as { last_frame_url?: string } | undefined)
		?.last_frame_url;
	if (!url) throw new Error(`task ${taskId} has no last frame`);
	const png = Buffer.from(await (await fetch(url)).arrayBuffer());
	const media = (kind: string) =>
		ark.requests.find(
			(e) =>
				e.call === 'media' && e.taskId === taskId && e.path.endsWith(kind) && e.httpStatus === 200,
		);
	return {
		bytes: png.length,
		sha256: createHash('sha256').update(png).digest('hex'),
		width: png.readUInt32BE(16),
		height: png.readUInt32BE(20),
		videoAt: media('video.mp4')?.at,
		frameAt: media('last-frame.png')?.at,
	};
}

const MEMORY_VARIANTS: Array<{ variant: WorkerVariant; label: string }> = [
	{ variant: 'streamed', label: 'Jimeng Get Result (the node)' },
	{ variant: 'buffered', label: 'buffered: encoding arraybuffer' },
	{ variant: 'seedanceGet', label: 'Seedance Get Result (+ last frame)' },
	{ variant: 'seedanceWait', label: 'Seedance Generate and Wait (+ last frame)' },
];
/** The issue's target for either API: peak RSS growth while a 1 GB video is stored. */
const MEMORY_GROWTH_TARGET = 64 * 1024 * 1024;

async function benchMemory(): Promise<void> {
	out(
		heading(
			'2. Streaming memory: a 1 GB video into n8n binary data (BinaryDataService, filesystem mode), Jimeng and Seedance',
		),
	);
	const ark = new ArkSimulator({ queueMs: 0, generateMs: 50, videoBytes: VIDEO_BYTES, seed: 203 });
	const sim = new JimengSimulator({
		queueMs: 0,
		generateMs: 50,
		videoBytes: VIDEO_BYTES,
		seed: 202,
		ark,
	});
	await sim.start();
	try {
		const credentials = [simulatorCredential(sim), arkSimulatorCredential(sim)];
		const harness = await createHarness(credentials);
		const submitted = outputOf(
			await harness.run(jimengWorkflow({ operation: 'submit', prompt: 'a 1 GB video' })),
			'Jimeng Video',
		)[0];
		const taskId = submitted.json.task_id as string;
		const arkTaskId = outputOf(
			await harness.run(
				seedanceWorkflow({
					operation: 'submit',
					prompt: 'a 1 GB video, and its last frame',
					returnLastFrame: true,
				}),
			),
			SEEDANCE_NODE,
		)[0].json.task_id as string;
		await sleep(200);
		if (ark.task(arkTaskId)?.status !== 'succeeded')
			throw new Error(`Seedance task ${arkTaskId} did not succeed`);
		// Every Seedance task of this bench asks for sound (the model's default): the sounding fixture.
		const withAudio = ark.task(arkTaskId)?.generate_audio === true;
		const expected = {
			jimeng: await sha256Of(new VideoFile(loadFixture(), VIDEO_BYTES).stream()),
			ark: await sha256Of(videoFile(withAudio, VIDEO_BYTES).stream()),
		};

		const results: Partial<Record<WorkerVariant, MeasuredWorker>> = {};
		const rows = [];
		for (const { variant, label } of MEMORY_VARIANTS) {
			const seedance = variant.startsWith('seedance');
			const result = await runWorker({
				variant,
				taskId: seedance ? arkTaskId : taskId,
				credentials,
			});
			if (result.error) throw new Error(`${variant}: ${result.error}`);
			results[variant] = result;
			const peak = Math.max(result.peakRss ?? 0, result.sampledPeak);
			rows.push([
				label,
				mb(result.baselineRss),
				mb(peak),
				mb(peak - result.baselineRss),
				result.peakRss === null
					? 'sampled only'
					: `${mb(result.peakRss - result.baselineRss)} / ${mb(result.sampledPeak - result.baselineRss)}`,
				`${result.storedBytes}`,
				result.storedSha256 === (seedance ? expected.ark : expected.jimeng) ? 'yes' : 'NO',
				seconds(result.durationMs),
			]);
		}
		out(
			`one child process per variant; growth = peak RSS − RSS just before the run (after a warm-up status query and a GC); Seedance tasks with sound and Return Last Frame`,
		);
		out(
			table(
				[
					'variant',
					'RSS before',
					'peak RSS',
					'growth',
					'growth VmHWM / 20 ms samples',
					'stored bytes',
					'sha256 ok',
					'time',
				],
				rows,
			),
		);

		// The last frame: the PNG as stored must be the PNG as served, byte for byte.
		const frameRows = [];
		const frames: Array<{ ok: boolean; text: string }> = [];
		for (const variant of ['seedanceGet', 'seedanceWait'] as const) {
			const result = results[variant]!;
			const frameTask = variant === 'seedanceGet' ? arkTaskId : result.createdTaskId!;
			const served = await servedLastFrame(ark, frameTask);
			const stored = result.lastFrame;
			const ok = stored?.bytes === served.bytes && stored.sha256 === served.sha256;
			// From the node's request for the frame to the end of the run (n8n's own wrap-up included).
			const frameMs =
				served.frameAt === undefined ? NaN : Math.max(0, result.endedAt - served.frameAt);
			const videoMs =
				served.frameAt === undefined || served.videoAt === undefined
					? NaN
					: served.frameAt - served.videoAt;
			frameRows.push([
				MEMORY_VARIANTS.find((v) => v.variant === variant)!.label,
				`${served.width}×${served.height}`,
				served.bytes,
				stored?.bytes ?? 0,
				ok ? 'yes' : 'NO',
				`${frameMs} ms`,
				seconds(videoMs),
			]);
			frames.push({
				ok,
				text: `${served.width}×${served.height} PNG of ${served.bytes} bytes, ${frameMs} ms`,
			});
		}
		out(
			table(
				[
					'last frame',
					'PNG',
					'served bytes',
					'stored bytes',
					'identical (sha256)',
					'frame: request → run end',
					'video: request → frame request',
				],
				frameRows,
			),
		);

		const streamed = results.streamed!;
		const buffered = results.buffered!;
		const intact = (r: MeasuredWorker, sha: string) =>
			r.storedBytes === VIDEO_BYTES && r.storedSha256 === sha;
		const jimengOk = intact(streamed, expected.jimeng);
		verdicts.add(
			'Jimeng streaming peak RSS growth ≤ 64 MB for 1 GB',
			`${mb(peakGrowth(streamed))}, stored ${streamed.storedBytes} bytes, ${jimengOk ? 'intact' : 'NOT intact'}`,
			peakGrowth(streamed) <= MEMORY_GROWTH_TARGET && jimengOk,
		);
		const seedanceRuns = [results.seedanceGet!, results.seedanceWait!];
		const seedanceOk = seedanceRuns.every((r) => intact(r, expected.ark));
		verdicts.add(
			'Seedance streaming peak RSS growth ≤ 64 MB for 1 GB',
			`Get Result ${mb(peakGrowth(seedanceRuns[0]))}, Generate and Wait ${mb(peakGrowth(seedanceRuns[1]))}, ${seedanceOk ? 'both intact' : 'NOT intact'}; Jimeng ${mb(peakGrowth(streamed))} in this run`,
			seedanceRuns.every((r) => peakGrowth(r) <= MEMORY_GROWTH_TARGET) && seedanceOk,
		);
		verdicts.add(
			'Seedance last frame stored unchanged',
			`${frames.map((f) => f.text).join('; ')}; ${frames.every((f) => f.ok) ? 'byte-identical to the PNG served' : 'DIFFERS from the PNG served'}`,
			frames.every((f) => f.ok),
		);
		verdicts.add(
			'buffered download > 1 GB (for comparison)',
			`${mb(peakGrowth(buffered))} (${(peakGrowth(buffered) / Math.max(1, peakGrowth(streamed))).toFixed(0)}× streamed)`,
			peakGrowth(buffered) > VIDEO_BYTES,
		);
	} finally {
		await sim.stop();
	}
}

// ---- 3. request economy ----------------------------------------------------------------------------

async function benchRequests(): Promise<void> {
	const scale = 20;
	const taskMs = 60_000 / scale;
	const intervalS = 10 / scale;
	const tasks = 5;
	out(heading('3. Request economy: Get Result calls per task, submits per created task'));
	out(
		`a 60 s task with the default 10 s poll interval, time scaled 1/${scale}: ${taskMs / 1000} s tasks polled every ${intervalS} s (D/interval = ${60 / 10}), ${tasks} tasks in one Generate and Wait run`,
	);
	const sim = new JimengSimulator({ queueMs: taskMs / 3, generateMs: (taskMs * 2) / 3, seed: 303 });
	await sim.start();
	try {
		const harness = await createHarness([simulatorCredential(sim)]);
		useMemoryBinaryData();
		const items = Array.from({ length: tasks }, (_, i) => ({ json: { prompt: `economy ${i}` } }));
		const run = await harness.run(
			jimengWorkflow(
				{
					operation: 'generateAndWait',
					prompt: '={{ $json.prompt }}',
					options: { pollInterval: intervalS },
				},
				{ items },
			),
		);
		const done = outputOf(run, 'Jimeng Video').filter((item) => item.json.status === 'done').length;
		const created = sim.createdTaskIds();
		const perTask = created.map(
			(taskId) => sim.getResults().filter((entry) => entry.taskId === taskId).length,
		);
		const creatingSubmits = sim.submits().filter((entry) => entry.taskCreated).length;
		const bound = 60 / 10 + 2;
		out(
			table(
				['task', 'Get Result calls', 'bound D/interval + 2', 'downloads'],
				created.map((taskId, i) => [
					taskId,
					perTask[i],
					bound,
					sim.downloads().filter((entry) => entry.taskId === taskId).length,
				]),
			),
		);
		out(
			`submit requests ${sim.submits().length}, of which created a task ${creatingSubmits}; tasks created ${created.length}; items ${tasks}; videos ${done}`,
		);
		const worst = Math.max(...perTask);
		const mean = perTask.reduce((a, b) => a + b, 0) / perTask.length;
		verdicts.add(
			`Get Result calls per task ≤ D/interval + 2 = ${bound}`,
			`max ${worst}, mean ${mean.toFixed(2)} (${tasks} tasks)`,
			worst <= bound && done === tasks,
		);
		// Under a concurrency limit some submits are refused (50430, nothing created): what must hold is
		// one accepted submit per task and one task per item.
		const batch = batchSubmits
			? `; bench 1 batch: ${batchSubmits.accepted} accepted / ${batchSubmits.created} tasks, + ${batchSubmits.refused} refused 50430 (nothing created)`
			: '';
		const batchOk =
			!batchSubmits ||
			(batchSubmits.accepted === batchSubmits.created && batchSubmits.created === BATCH_N);
		verdicts.add(
			'exactly one submit per created task',
			`${sim.submits().length} submits / ${created.length} tasks for ${tasks} items${batch}`,
			sim.submits().length === created.length && created.length === tasks && batchOk,
		);
	} finally {
		await sim.stop();
	}
}

// ---- 4. signing cost -------------------------------------------------------------------------------

function timeIt(
	run: () => void,
	minMs = 1500,
): { perSecond: number; microseconds: number; count: number } {
	for (let i = 0; i < 3; i++) run(); // warm-up
	let count = 0;
	const started = process.hrtime.bigint();
	let elapsedNs = 0n;
	while (elapsedNs < BigInt(minMs) * 1_000_000n || count < 5) {
		run();
		count++;
		elapsedNs = process.hrtime.bigint() - started;
	}
	const seconds_ = Number(elapsedNs) / 1e9;
	return { perSecond: count / seconds_, microseconds: (seconds_ * 1e6) / count, count };
}

async function timeAsync(
	run: () => Promise<unknown>,
	minMs = 1500,
): Promise<{ perSecond: number; microseconds: number; count: number }> {
	for (let i = 0; i < 3; i++) await run();
	let count = 0;
	const started = process.hrtime.bigint();
	let elapsedNs = 0n;
	while (elapsedNs < BigInt(minMs) * 1_000_000n || count < 5) {
		await run();
		count++;
		elapsedNs = process.hrtime.bigint() - started;
	}
	const seconds_ = Number(elapsedNs) / 1e9;
	return { perSecond: count / seconds_, microseconds: (seconds_ * 1e6) / count, count };
}

async function benchSigning(): Promise<void> {
	out(heading('4. Signing cost: Volcengine HMAC-SHA256 signatures per second'));
	const credentials: SigningCredentials = {
		accessKeyId: 'AKLTbenchAccessKey',
		secretAccessKey: 'YmVuY2gtc2VjcmV0',
		region: 'cn-north-1',
		service: 'cv',
	};
	const typical = JSON.stringify({
		req_key: 'jimeng_ti2v_v30_pro',
		prompt:
			'A corgi surfing a huge wave at sunset, cinematic, slow motion, golden light, 35 mm film look, 一只柯基在日落时冲浪',
		seed: -1,
		frames: 121,
		aspect_ratio: '16:9',
	});
	// The largest image the node sends: 4.7 MB (IMAGE_MAX_BYTES) as base64 in the JSON body.
	const image = Buffer.alloc(IMAGE_MAX_BYTES, 0x5a);
	const withImage = JSON.stringify({
		req_key: 'jimeng_i2v_first_v30',
		prompt: 'the waves move',
		seed: -1,
		frames: 121,
		binary_data_base64: [image.toString('base64')],
	});
	const request = (body: string): SignableRequest => ({
		method: 'POST',
		path: '/',
		query: { Action: 'CVSync2AsyncSubmitTask', Version: '2022-08-31' },
		headers: { 'Content-Type': 'application/json', Host: 'visual.volcengineapi.com' },
		body,
	});
	const date = new Date();
	const credential = new VolcengineApi();
	const stored = { ...credentials, sessionToken: '', baseUrl: 'https://visual.volcengineapi.com' };
	const options = (body: string) => ({
		method: 'POST' as const,
		url: '/?Action=CVSync2AsyncSubmitTask&Version=2022-08-31',
		headers: { 'Content-Type': 'application/json' },
		body,
		json: true,
	});

	const rows = [];
	for (const [name, body] of [
		['typical Submit body', typical],
		['Submit with a 4.7 MB image', withImage],
	] as const) {
		const sign = timeIt(() => signRequest(credentials, request(body), { date }));
		const full = await timeAsync(() => credential.authenticate(stored, options(body) as never));
		const bytes = Buffer.byteLength(body);
		rows.push([
			name,
			bytes < 1024 * 1024 ? `${bytes} B` : mb(bytes),
			Math.round(sign.perSecond),
			sign.microseconds.toFixed(1),
			((bytes * sign.perSecond) / 1024 / 1024).toFixed(1),
			Math.round(full.perSecond),
		]);
	}
	out(
		'signRequest (pure) timed in a loop for ≥ 1.5 s each; "authenticate" = the credential as n8n calls it (normalise the request shape + sign the exact body)',
	);
	out(table(['body', 'size', 'signRequest / s', 'µs each', 'body MB/s', 'authenticate / s'], rows));
	verdicts.add(
		'signing cost (reported, no target)',
		`${rows[0][2]}/s typical, ${rows[1][2]}/s with a 4.7 MB image`,
		true,
	);
}

// ---- 5. image-batch memory (real n8n) ---------------------------------------------------------------

async function benchImageBatch(): Promise<void> {
	out(
		heading(
			`5. Image-batch memory: Generate and Wait with 10 vs 40 large PNGs in a real n8n (filesystem binary mode, concurrency ${IMAGE_BATCH_CONCURRENCY})`,
		),
	);
	const result = await measureImageBatchMemory((line) =>
		process.stderr.write(`[bench 5] ${line}\n`),
	);
	out(
		`each item a distinct PNG of ${result.imageBytes} bytes (the largest the node accepts); one \`n8n execute\` process per run; peak RSS = its VmHWM; each size and image source repeated (BENCH_IMAGE_REPEATS, default 2), the lowest peak counts`,
	);
	out(imageBatchTable(result));
	const failed = result.runs.filter((run) => run.error);
	out(
		`growth 10 → 40 items with images: ${mb(result.growth)} = ${mb(result.perExtraItem)} per extra item`,
	);
	if (result.control) {
		out(
			`growth 10 → 40 items without images (control, same run): ${mb(result.control.growth)} = ${mb(result.control.perExtraItem)} per extra item`,
		);
		out(
			`what the node's image handling adds per extra item: ${mb(result.perExtraItem - result.control.perExtraItem)} (with images − control; below zero is noise)`,
		);
	}
	for (const run of failed) out(`${run.items} items: ${run.error}`);
	verdicts.add(
		'image batch: peak RSS growth 10 → 40 items ≤ 40 MB',
		`${mb(result.growth)} (${mb(result.perExtraItem)} per extra item; peak ${Object.entries(
			result.peaks,
		)
			.map(([items, peak]) => `${items}: ${mb(peak)}`)
			.join(', ')})`,
		result.growth <= IMAGE_BATCH_GROWTH_TARGET && failed.length === 0,
	);
}

// ---- main ------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	// n8n's log lines would interleave with the tables: keep them (nothing prints them).
	new Capture().installLogger();
	const started = Date.now();
	out(
		`n8n-nodes-jimeng-video benchmark — Node ${process.version}, ${process.platform}/${process.arch}, loopback simulator`,
	);
	// BENCH_ONLY=2,4 runs a subset (while working on one measurement).
	const only = process.env.BENCH_ONLY?.split(',').map((part) => part.trim());
	const benches: Array<[string, () => Promise<void>]> = [
		['1', benchBatch],
		['2', benchMemory],
		['3', benchRequests],
		['4', benchSigning],
		['5', benchImageBatch],
	];
	for (const [id, bench] of benches) if (!only || only.includes(id)) await bench();
	out(heading('Targets'));
	out(verdicts.render());
	out(
		`\nbench finished in ${seconds(Date.now() - started)}: ${verdicts.list.filter((v) => v.pass).length}/${verdicts.list.length} targets met`,
	);
	process.exitCode = !verdicts.allPass && process.env.BENCH_STRICT === '1' ? 1 : 0;
}

main().catch((error: unknown) => {
	process.stderr.write(
		`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(2);
});
