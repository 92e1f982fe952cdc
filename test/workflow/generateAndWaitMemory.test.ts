/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- test tooling, not shipped */
/**
 * Generate and Wait keeps no image bytes per item between its check and its submit: each image is
 * read again just before its submit, verified against the sha256 taken at the check, and let go
 * once the submit is answered. Counted through the node's progress events (`imageBody`), never by GC.
 * Real workflow runs (n8n-core, built package, filesystem binary mode) against the simulator.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { pngBytes } from '../fixtures/images';
import { errorOf, outputOf, REPO_ROOT, useFilesystemBinaryData } from '../support/harness';
import { useSimulator } from '../support/useSimulator';
import { sleep } from '../support/time';
import { jimengWorkflow, type ItemSpec } from '../support/workflows';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { onBatchProgress } = require(
	join(REPO_ROOT, 'dist', 'nodes', 'shared', 'batch', 'batchProgress.js'),
) as typeof import('../../nodes/shared/batch/batchProgress');
type ImageBodyEvent = Extract<
	Parameters<Parameters<typeof onBatchProgress>[0]>[0],
	{ type: 'imageBody' }
>;

/** A PNG of `size` bytes (a valid 1280×720 header, then filler distinct per `seed`). */
function bigPng(size: number, seed: number): Buffer {
	const bytes = Buffer.alloc(size, seed & 0xff);
	Buffer.from(pngBytes(1280, 720)).copy(bytes);
	bytes.writeUInt32BE(seed, size - 4);
	return bytes;
}

const imageItem = (bytes: Buffer, index: number): ItemSpec => ({
	json: { prompt: `image ${index}` },
	binary: {
		data: {
			base64: bytes.toString('base64'),
			fileName: `frame-${index}.png`,
			mimeType: 'image/png',
		},
	},
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [path];
	});
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await sleep(5);
	}
}

describe('Generate and Wait: image memory per item', () => {
	const { sim, harness } = useSimulator(
		{ queueMs: 100, generateMs: 200, seed: 11 },
		{ queueMs: 100, generateMs: 200, concurrency: null, faults: {} },
	);
	let store: { storagePath: string; cleanup(): void };
	/** Generate and Wait over items with a binary image each, polling fast. */
	const imageBatch = (settings: Parameters<typeof jimengWorkflow>[1]) =>
		jimengWorkflow(
			{
				operation: 'generateAndWait',
				imageSource: 'binary',
				prompt: '={{ $json.prompt }}',
				options: { pollInterval: 0.05 },
			},
			settings,
		);

	// The node's progress interface, from the same built module the harness loaded.
	let events: ImageBodyEvent[] = [];
	const imageBodyEvents = () => events;
	let stopListening: () => void;
	beforeAll(() => {
		stopListening = onBatchProgress((event) => {
			if (event.type === 'imageBody') events.push(event);
		});
	});
	afterAll(() => stopListening());
	beforeEach(async () => {
		events = [];
		store = await useFilesystemBinaryData();
	});
	afterEach(() => store.cleanup());
	afterAll(async () => await sim.stop());

	it('under 50430 pressure (concurrency 2, 8 items): each image is read once for its submit, at most one body is held at a time', async () => {
		sim.configure({ concurrency: 2, queueMs: 300, generateMs: 500 });
		const images = Array.from({ length: 8 }, (_, i) => bigPng(600_000 + i, i + 1));
		const run = await harness.run(imageBatch({ items: images.map(imageItem) }));
		const output = outputOf(run, 'Jimeng Video');
		expect(output.map((item) => item.json.status)).toEqual(Array(8).fill('done'));
		const refused = sim.submits().filter((entry) => entry.code === 50430);
		expect(refused.length).toBeGreaterThan(0);
		expect(sim.createdTaskIds()).toHaveLength(8);
		// Every submit, refused or not, carried the item's full image.
		for (const entry of sim.submits()) {
			const item = Number(/image (\d+)/.exec((entry.body as { prompt: string }).prompt)![1]);
			expect(entry.body).toMatchObject({
				binary_data_base64: [`<base64 ${images[item].toString('base64').length} chars>`],
			});
		}

		const events = imageBodyEvents();
		// One read (and one base64 encoding) per item however often it was refused…
		const reads = events.filter((event) => event.action === 'read');
		expect(reads.map((event) => event.item).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		// …and each released once its submit was accepted.
		expect(
			events
				.filter((event) => event.action === 'released')
				.map((event) => event.item)
				.sort(),
		).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		// Submits go one at a time: never more than one encoded image held (the bound asked is concurrency + 1 = 3).
		expect(Math.max(...events.map((event) => event.alive))).toBe(1);
		expect(events.at(-1)?.alive).toBe(0);
		console.log(
			`8 items, concurrency 2: ${sim.submits().length} submits (${refused.length} refused 50430), ${reads.length} image reads, at most ${Math.max(...events.map((e) => e.alive))} body held`,
		);
	}, 30_000);

	it('an image changed on disk between the check and its submit fails that item; nothing is sent for it', async () => {
		sim.configure({ faults: { latencyMs: 1500 } });
		const images = [bigPng(300_000, 1), bigPng(300_000, 2)];
		const running = harness.run(imageBatch({ items: images.map(imageItem), continueOnFail: true }));
		// Item 0's task exists, its answer is held back 1.5 s: item 1 was checked but not yet read again.
		await waitFor(() => sim.createdTaskIds().length === 1);
		const secondFile = filesUnder(store.storagePath).find(
			(path) => statSync(path).size === images[1].length && readFileSync(path).equals(images[1]),
		);
		expect(secondFile).toBeDefined();
		const edited = Buffer.from(images[1]);
		edited[edited.length - 10] ^= 0xff;
		writeFileSync(secondFile!, edited);

		const output = outputOf(await running, 'Jimeng Video');
		expect(output[0].json).toMatchObject({ status: 'done' });
		expect(output[1].json).toMatchObject({
			code: 'INVALID_PARAMETER',
			parameter: 'Input Binary Field',
			task_id: null,
		});
		expect(output[1].json.error).toBe(
			`"Input Binary Field" changed after the batch was checked: binary property "data" (frame-1.png) was 300000 bytes, sha256 ${sha256(images[1]).slice(0, 16)}… when checked and is 300000 bytes, sha256 ${sha256(edited).slice(0, 16)}… at submit time; nothing was sent for this item`,
		);
		expect(sim.submits()).toHaveLength(1);
		expect(sim.createdTaskIds()).toHaveLength(1);
	}, 30_000);

	it('without continueOnFail the changed image stops the batch, and the error lists the task already created', async () => {
		sim.configure({ faults: { latencyMs: 1000 } });
		const images = [bigPng(200_000, 3), bigPng(200_000, 4)];
		const running = harness.run(imageBatch({ items: images.map(imageItem) }));
		await waitFor(() => sim.createdTaskIds().length === 1);
		const secondFile = filesUnder(store.storagePath).find((path) =>
			readFileSync(path).equals(images[1]),
		)!;
		writeFileSync(secondFile, bigPng(200_000, 5));
		const error = errorOf(await running, 'Jimeng Video') as
			| (Error & { description?: string })
			| undefined;
		expect(error?.message).toMatch(
			/"Input Binary Field" changed after the batch was checked.*\[item 1\]$/,
		);
		expect(error?.description).toContain(`item 0: task_id ${sim.createdTaskIds()[0]}`);
		expect(sim.submits()).toHaveLength(1);
	}, 30_000);

	it('Retry On Fail with images: items accepted by the first try are not sent again (the ledger key is the same body)', async () => {
		const images = [bigPng(200_000, 6), bigPng(200_000, 7), bigPng(200_000, 8)];
		const items = images.map(imageItem);
		items[2].json = { prompt: 'refused [sim:code=50412]' };
		const run = await harness.run(
			imageBatch({ items, nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } }),
		);
		expect(errorOf(run, 'Jimeng Video')?.message).toMatch(/50412/);
		expect(sim.submits().map((entry) => (entry.body as { prompt: string }).prompt)).toEqual([
			'image 0',
			'image 1',
			'refused [sim:code=50412]',
			'refused [sim:code=50412]',
			'refused [sim:code=50412]',
		]);
		expect(sim.createdTaskIds()).toHaveLength(2);
	}, 30_000);
});
