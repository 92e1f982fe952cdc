/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Bench 2 child process: one 1 GB download per process, so the variants' peaks never mix.
 *
 *  streamed         Jimeng Get Result (the product) through n8n-core with BinaryDataService in
 *                   filesystem mode.
 *  buffered         what a naive node does: n8n's request helper with `encoding: 'arraybuffer'`, then
 *                   prepareBinaryData on the whole Buffer (same filesystem store).
 *  seedanceGet      Seedance Get Result of a succeeded task with Return Last Frame: the video and
 *                   the PNG last frame (same store).
 *  seedanceWait     Seedance Generate and Wait of one item with Return Last Frame: create, polls, the
 *                   video and the last frame.
 *
 * Protocol (IPC): in  {variant, taskId, credentials}
 *                 out {type:'baseline', rss} just before the measured run, {type:'measured'} right
 *                 after it, then {type:'result', ...} once the stored files are checked.
 * Peak RSS is read from VmHWM after resetting it (`5 > /proc/self/clear_refs`) at the baseline; the
 * parent samples VmRSS every 20 ms as a cross-check.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type {
	IBinaryData,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { Capture } from '../soak/capture';
import {
	createHarness,
	outputOf,
	useFilesystemBinaryData,
	type CredentialRecord,
	type Harness,
} from '../../support/harness';
import { SEEDANCE_NODE, seedanceWorkflow } from '../../support/seedance';
import { startNode } from '../../support/startNode';
import { jimengWorkflow } from '../../support/workflows';

export type WorkerVariant = 'streamed' | 'buffered' | 'seedanceGet' | 'seedanceWait';

export interface WorkerInput {
	variant: WorkerVariant;
	/** Jimeng's task (streamed, buffered) or Ark's (seedance…: the warm-up reads it) */
	taskId: string;
	/** the Jimeng simulator credential, and the Ark one for the Seedance variants */
	credentials: CredentialRecord[];
}

/** A stored file, checked after the measured window. */
export interface StoredFile {
	bytes: number;
	sha256: string;
}

export interface WorkerResult {
	type: 'result';
	variant: string;
	baselineRss: number;
	/** VmHWM after the run (reset at the baseline), bytes; null when the kernel refused the reset */
	peakRss: number | null;
	storedBytes: number;
	storedSha256: string;
	durationMs: number;
	/** Date.now() when the measured run started and ended (the parent lines them up with its log) */
	startedAt: number;
	endedAt: number;
	/** Seedance: the last frame as stored (binary `last_frame`) */
	lastFrame?: StoredFile;
	/** Seedance Generate and Wait: the task it created */
	createdTaskId?: string;
	error?: string;
}

const BUFFERED_TYPE = 'bench.bufferedDownload';

/** The naive download: the whole body as one Buffer, then into the binary store. */
class BufferedDownload implements INodeType {
	description = {
		displayName: 'Buffered Download',
		name: 'bufferedDownload',
		group: ['transform'],
		version: 1,
		description: 'Downloads a URL whole into memory (bench only)',
		defaults: { name: 'Buffered Download' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const body = (await this.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'arraybuffer',
		})) as Buffer | ArrayBuffer;
		// axios gives a Buffer on Node; no extra copy, so the figure is the helper's own.
		const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
		const binary = await this.helpers.prepareBinaryData(buffer, 'video.mp4', 'video/mp4');
		return [[{ json: { bytes: buffer.length }, binary: { data: binary } }]];
	}
}

function status(field: 'VmRSS' | 'VmHWM'): number {
	const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(
		readFileSync('/proc/self/status', 'utf8'),
	);
	return match ? Number(match[1]) * 1024 : NaN;
}

function resetPeak(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

async function sha256File(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }))
		hash.update(chunk as Buffer);
	return hash.digest('hex');
}

function withBufferedNode(harness: Harness): void {
	// The harness knows a fixed set of node types: add the bench node in front of its lookup.
	const nodeTypes = harness.pkg.nodeTypes;
	const original = nodeTypes.getByName.bind(nodeTypes);
	const buffered = new BufferedDownload();
	nodeTypes.getByName = (name: string) => (name === BUFFERED_TYPE ? buffered : original(name));
}

function bufferedWorkflow(url: string) {
	const nodes: INode[] = [
		startNode('n1'),
		{
			id: 'n2',
			name: 'Buffered Download',
			type: BUFFERED_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: { url },
		},
	];
	return {
		nodes,
		connections: {
			Start: { main: [[{ node: 'Buffered Download', type: 'main' as const, index: 0 }]] },
		},
	};
}

const isSeedance = (variant: WorkerVariant) =>
	variant === 'seedanceGet' || variant === 'seedanceWait';

/**
 * Warm-up, the same for every variant of an API: loads and JITs n8n's execution path and the HTTP
 * stack with one status query (no download), and gives the video URL (a fresh signed link).
 */
async function warmUp(harness: Harness, input: WorkerInput): Promise<string> {
	const options = { downloadVideo: false };
	const run = isSeedance(input.variant)
		? await harness.run(seedanceWorkflow({ operation: 'getResult', taskId: input.taskId, options }))
		: await harness.run(jimengWorkflow({ operation: 'getResult', taskId: input.taskId, options }));
	const videoUrl = outputOf(run, isSeedance(input.variant) ? SEEDANCE_NODE : 'Jimeng Video')[0].json
		.video_url as string;
	if (!videoUrl) throw new Error('the task has no video_url yet');
	return videoUrl;
}

/** The measured run: the item's binary data (video, and Seedance's last frame). */
async function measuredRun(
	harness: Harness,
	input: WorkerInput,
	videoUrl: string,
): Promise<INodeExecutionData | undefined> {
	switch (input.variant) {
		case 'streamed':
			return outputOf(
				await harness.run(jimengWorkflow({ operation: 'getResult', taskId: input.taskId })),
				'Jimeng Video',
			)[0];
		case 'buffered':
			return outputOf(await harness.run(bufferedWorkflow(videoUrl)), 'Buffered Download')[0];
		case 'seedanceGet':
			return outputOf(
				await harness.run(seedanceWorkflow({ operation: 'getResult', taskId: input.taskId })),
				SEEDANCE_NODE,
			)[0];
		case 'seedanceWait':
			return outputOf(
				await harness.run(
					seedanceWorkflow({
						operation: 'generateAndWait',
						prompt: 'a 1 GB video, and its last frame',
						returnLastFrame: true,
						options: { pollInterval: 0.1 },
					}),
				),
				SEEDANCE_NODE,
			)[0];
	}
}

async function storedFile(binary: IBinaryData): Promise<StoredFile & { path: string }> {
	if (!binary.id) throw new Error('not stored in the filesystem store');
	const path = Container.get(BinaryDataService).getPath(binary.id);
	return { path, bytes: statSync(path).size, sha256: await sha256File(path) };
}

async function storedSummary(binary: IBinaryData): Promise<StoredFile> {
	const { bytes, sha256 } = await storedFile(binary);
	return { bytes, sha256 };
}

async function measure(input: WorkerInput): Promise<WorkerResult> {
	new Capture().installLogger(); // n8n's log lines are not part of this measurement's output
	const harness = await createHarness(input.credentials);
	withBufferedNode(harness);
	const store = await useFilesystemBinaryData();
	try {
		const videoUrl = await warmUp(harness, input);

		(globalThis as { gc?: () => void }).gc?.();
		const peakResettable = resetPeak();
		const baselineRss = status('VmRSS');
		process.send?.({ type: 'baseline', rss: baselineRss });

		const startedAt = Date.now();
		const item = await measuredRun(harness, input, videoUrl);
		const endedAt = Date.now();
		const peakRss = peakResettable ? status('VmHWM') : null;
		process.send?.({ type: 'measured' });
		const binary = item?.binary?.data;
		if (!binary?.id) throw new Error('no binary stored in the filesystem store');

		// Checked after the measured window: reading 1 GB back must not count as download memory.
		const video = await storedFile(binary);
		const frame = item?.binary?.last_frame;
		if (isSeedance(input.variant) && !frame) throw new Error('no last_frame binary');
		return {
			type: 'result',
			variant: input.variant,
			baselineRss,
			peakRss,
			storedBytes: video.bytes,
			storedSha256: video.sha256,
			durationMs: endedAt - startedAt,
			startedAt,
			endedAt,
			...(frame ? { lastFrame: await storedSummary(frame) } : {}),
			...(input.variant === 'seedanceWait' ? { createdTaskId: item?.json.task_id as string } : {}),
		};
	} finally {
		store.cleanup();
	}
}

process.once('message', (message: WorkerInput) => {
	measure(message)
		.then((result) => process.send?.(result, () => process.exit(0)))
		.catch((error: unknown) => {
			const failed: WorkerResult = {
				type: 'result',
				variant: message.variant,
				baselineRss: 0,
				peakRss: null,
				storedBytes: 0,
				storedSha256: '',
				durationMs: 0,
				startedAt: 0,
				endedAt: 0,
				error: error instanceof Error ? (error.stack ?? error.message) : String(error),
			};
			process.send?.(failed, () => process.exit(1));
		});
});
