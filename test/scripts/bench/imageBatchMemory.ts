/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Bench 5: memory of a Generate and Wait batch of large images, measured in a REAL n8n (the cached
 * n8n 2.41.1 host on Node 24, filesystem binary mode, the package installed from its tarball).
 *
 * Manual Trigger → Read/Write Files from Disk (N distinct PNGs of the largest size the node accepts,
 * streamed into n8n's binary store) → Jimeng Video, Generate and Wait, against the simulator with an
 * account concurrency of 3. Each run is its own `n8n execute` process; its peak RSS is its VmHWM
 * (the kernel's high-water mark, monotonic), read every 25 ms from /proc while it runs. The figure
 * that matters is the growth from 10 to 40 items: n8n's own start-up peak cancels out. Each size
 * runs twice, interleaved, and its lower peak counts (load from other processes only adds).
 *
 * Beside each image run, a control run: the same batch with Image Source "None" (the images are still
 * read into n8n, the node sends text-to-video): what n8n and the batch cost per item without any image
 * work. The two growths side by side show what the node's image handling adds.
 * BENCH_IMAGE_CONTROL=0 skips the control runs.
 * BENCH_IMAGE_TIMELINE=1: also logs the RSS before/after the first submit and every 2 s.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureN8nHost, REPO_DIR } from '../../tooling/n8n-host/host';
import {
	executeWorkflow,
	importCredentials,
	importWorkflows,
	nodeOutput,
	type WorkflowJson,
} from '../../tooling/n8n-host/n8nCli';
import {
	createUserFolder,
	installPackageTarball,
	packProject,
	type UserFolder,
} from '../../tooling/n8n-host/userFolder';
import { IMAGE_MAX_BYTES } from '../../../nodes/shared/jimeng/requests/imageRules';
import { JimengSimulator } from '../../tooling/simulator';
import { pngBytes } from '../../fixtures/images';
import { mb, seconds, table } from './report';
import { simulatorCredentialData } from '../../support/simulatorCredential';
import { startNode } from '../../support/startNode';

/** BENCH_IMAGE_SIZES=10,20,40 adds sizes in between (the growth is still first → last). */
export const IMAGE_BATCH_SIZES: readonly number[] = process.env.BENCH_IMAGE_SIZES?.split(',').map(
	Number,
) ?? [10, 40];
export const IMAGE_BATCH_CONCURRENCY = 3;
/** The target for the growth of peak RSS from 10 to 40 items. */
export const IMAGE_BATCH_GROWTH_TARGET = 40 * 1024 * 1024;

export type ImageBatchVariant = 'images' | 'control';

export interface ImageBatchRun {
	variant: ImageBatchVariant;
	items: number;
	peakRss: number;
	done: number;
	submits: number;
	refused: number;
	created: number;
	durationMs: number;
	error?: string;
}

export interface ImageBatchResult {
	imageBytes: number;
	runs: ImageBatchRun[];
	/** Per batch size, the lowest peak of its repeats (image runs). */
	peaks: Record<number, number>;
	/** peaks[40] − peaks[10] (image runs) */
	growth: number;
	perExtraItem: number;
	/** The same for the control runs (no image work), when they ran. */
	control?: { peaks: Record<number, number>; growth: number; perExtraItem: number };
}

const CREDENTIAL = { id: 'benchImagesCred1', name: 'Jimeng simulator (bench)' };

function vmHwm(pid: number): number | undefined {
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined; // gone
	}
}

/** A valid 1280×720 PNG header, then `size` bytes in all, distinct random content per file. */
function largePng(size: number): Buffer {
	const bytes = randomBytes(size);
	Buffer.from(pngBytes(1280, 720)).copy(bytes);
	return bytes;
}

function workflow(id: string, imageGlob: string, variant: ImageBatchVariant): WorkflowJson {
	return {
		id,
		name: `bench: ${path.basename(path.dirname(imageGlob))} large images, Generate and Wait (${variant})`,
		nodes: [
			startNode('b1'),
			{
				id: 'b2',
				name: 'Read Images',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1.1,
				position: [200, 0],
				parameters: { operation: 'read', fileSelector: imageGlob, options: {} },
			},
			{
				id: 'b3',
				name: 'Jimeng Video',
				type: 'n8n-nodes-jimeng-video.jimengVideo',
				typeVersion: 1,
				position: [400, 0],
				parameters: {
					operation: 'generateAndWait',
					prompt: '={{ "the picture comes alive: " + $json.fileName }}',
					imageSource: variant === 'control' ? 'none' : 'binary',
					binaryPropertyName: 'data',
					options: { pollInterval: 0.2 },
				},
				credentials: { volcengineApi: CREDENTIAL },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Read Images', type: 'main', index: 0 }]] },
			'Read Images': { main: [[{ node: 'Jimeng Video', type: 'main', index: 0 }]] },
		},
	};
}

/** Runs the whole measurement (each batch size `repeats` times); `log` gets progress lines. */
export async function measureImageBatchMemory(
	log: (line: string) => void,
	repeats = Number(process.env.BENCH_IMAGE_REPEATS ?? 2),
): Promise<ImageBatchResult> {
	const host = await ensureN8nHost({ log: (line) => log(`[n8n-host] ${line}`) });
	const imagesDir = await fs.mkdtemp(path.join(tmpdir(), 'jimeng-bench-images-'));
	const sim = new JimengSimulator({
		queueMs: 1000,
		generateMs: 2000,
		concurrency: IMAGE_BATCH_CONCURRENCY,
		seed: 505,
	});
	let userFolder: UserFolder | undefined;
	let tarballDir: string | undefined;
	try {
		// One folder per batch size; the 10 are hard links to the first 10 of the 40 (same bytes, no extra disk).
		const largest = Math.max(...IMAGE_BATCH_SIZES);
		const dirs = new Map<number, string>();
		for (const size of IMAGE_BATCH_SIZES) {
			dirs.set(size, path.join(imagesDir, `n${size}`));
			await fs.mkdir(dirs.get(size)!);
		}
		for (let i = 0; i < largest; i++) {
			const name = `frame-${String(i).padStart(3, '0')}.png`;
			const file = path.join(dirs.get(largest)!, name);
			await fs.writeFile(file, largePng(IMAGE_MAX_BYTES));
			for (const size of IMAGE_BATCH_SIZES)
				if (size !== largest && i < size) await fs.link(file, path.join(dirs.get(size)!, name));
		}
		log(
			`${largest} distinct PNGs of ${IMAGE_MAX_BYTES} bytes (4.7 MiB, the largest the node accepts) in ${imagesDir}`,
		);

		await sim.start();
		userFolder = await createUserFolder({
			env: { N8N_RESTRICT_FILE_ACCESS_TO: imagesDir, N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
		});
		const tarball = await packProject(REPO_DIR, { log });
		tarballDir = path.dirname(tarball);
		await installPackageTarball(userFolder, tarball);
		await importCredentials(host, userFolder, [
			{
				...CREDENTIAL,
				type: 'volcengineApi',
				data: simulatorCredentialData(sim.url),
			},
		]);
		const variants: ImageBatchVariant[] =
			process.env.BENCH_IMAGE_CONTROL === '0' ? ['images'] : ['images', 'control'];
		const workflowId = (variant: ImageBatchVariant, size: number) =>
			`benchImg${variant === 'control' ? 'C' : 'I'}${String(size).padStart(5, '0')}`;
		await importWorkflows(
			host,
			userFolder,
			variants.flatMap((variant) =>
				IMAGE_BATCH_SIZES.map((size) =>
					workflow(workflowId(variant, size), path.join(dirs.get(size)!, '*.png'), variant),
				),
			),
		);

		const runs: ImageBatchRun[] = [];
		// Interleaved repeats (10, 40, 10, 40…, each with and without images): the machine's load and GC
		// timing add noise to a peak, never take it away.
		const plan = Array.from({ length: repeats }, () =>
			IMAGE_BATCH_SIZES.flatMap((items) => variants.map((variant) => ({ items, variant }))),
		).flat();
		for (const { items, variant } of plan) {
			sim.reset();
			let pid: number | undefined;
			let peakRss = 0;
			const timeline: Array<[number, number]> = [];
			const sampler = setInterval(() => {
				const hwm = pid === undefined ? undefined : vmHwm(pid);
				if (hwm !== undefined) peakRss = Math.max(peakRss, hwm);
				if (process.env.BENCH_IMAGE_TIMELINE && pid !== undefined) {
					try {
						const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
						if (rss) timeline.push([Date.now(), Number(rss[1]) * 1024]);
					} catch {
						// gone
					}
				}
			}, 25);
			let run;
			try {
				run = await executeWorkflow(host, userFolder, workflowId(variant, items), {
					timeoutMs: 600_000,
					onSpawn: (spawned) => (pid = spawned),
				});
			} finally {
				clearInterval(sampler);
			}
			let done = 0;
			let error = run.errorMessage;
			try {
				done = nodeOutput(run.result, 'Jimeng Video').filter(
					(json) => json.status === 'done',
				).length;
			} catch (caught) {
				error ??= caught instanceof Error ? caught.message : String(caught);
			}
			const submits = sim.submits();
			if (process.env.BENCH_IMAGE_TIMELINE && submits.length) {
				const firstSubmit = submits[0].at;
				const before = Math.max(
					...timeline.filter(([at]) => at < firstSubmit).map(([, rss]) => rss),
				);
				const after = Math.max(
					...timeline.filter(([at]) => at >= firstSubmit).map(([, rss]) => rss),
				);
				log(
					`timeline: max RSS before the first submit ${mb(before)}, after ${mb(after)}; every 2 s: ${timeline
						.filter((_, i) => i % 80 === 0)
						.map(([, rss]) => Math.round(rss / 1048576))
						.join(' ')}`,
				);
			}
			runs.push({
				variant,
				items,
				peakRss,
				done,
				submits: submits.length,
				refused: submits.filter((entry) => entry.code === 50430).length,
				created: sim.createdTaskIds().length,
				durationMs: run.durationMs,
				error: done === items ? undefined : (error ?? `${done}/${items} done`),
			});
			log(
				`${items} items (${variant}): peak RSS ${mb(peakRss)}, ${done}/${items} done in ${seconds(run.durationMs)}`,
			);
		}
		const [fewest, most] = [IMAGE_BATCH_SIZES[0], IMAGE_BATCH_SIZES[IMAGE_BATCH_SIZES.length - 1]];
		const growthOf = (variant: ImageBatchVariant) => {
			const lowest = (items: number) =>
				Math.min(
					...runs
						.filter((run) => run.variant === variant && run.items === items)
						.map((run) => run.peakRss),
				);
			const peaks = Object.fromEntries(IMAGE_BATCH_SIZES.map((size) => [size, lowest(size)]));
			const growth = peaks[most] - peaks[fewest];
			return { peaks, growth, perExtraItem: growth / (most - fewest) };
		};
		return {
			imageBytes: IMAGE_MAX_BYTES,
			runs,
			...growthOf('images'),
			control: variants.includes('control') ? growthOf('control') : undefined,
		};
	} finally {
		await sim.stop();
		await userFolder?.cleanup();
		if (tarballDir) await fs.rm(tarballDir, { recursive: true, force: true });
		await fs.rm(imagesDir, { recursive: true, force: true });
	}
}

/** The table bench 5 prints. */
export function imageBatchTable(result: ImageBatchResult): string {
	return table(
		[
			'items',
			'image source',
			'peak RSS (n8n execute)',
			'videos',
			'submits',
			'50430 refused',
			'tasks created',
			'wall',
		],
		result.runs.map((run) => [
			run.items,
			run.variant === 'control' ? 'none (control)' : 'binary',
			mb(run.peakRss),
			`${run.done}/${run.items}`,
			run.submits,
			run.refused,
			run.created,
			seconds(run.durationMs),
		]),
	);
}
