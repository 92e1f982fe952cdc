/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports, no-console -- test tooling, not shipped */
/**
 * The Jimeng Video node in real workflow runs (n8n-core, built package) against the simulator.
 */
import { readFileSync } from 'node:fs';

import type { IBinaryData, INodeExecutionData, IRun } from 'n8n-workflow';

import { FIXTURE_PATH } from '../tooling/simulator';
import { gifBytes, jpegBytes, pngBytes } from '../fixtures/images';
import { binaryBytes, errorOf, outputOf, useFilesystemBinaryData } from '../support/harness';
import { useSimulator } from '../support/useSimulator';
import { sleep } from '../support/time';
import { jimengWorkflow, type ItemSpec } from '../support/workflows';
import { b64 } from '../support/bytes';

const FIXTURE = readFileSync(FIXTURE_PATH);
const imageItem = (
	bytes: Uint8Array,
	fileName = 'image.png',
	mimeType = 'image/png',
): ItemSpec => ({
	json: {},
	binary: { data: { base64: b64(bytes), fileName, mimeType } },
});

async function videoOf(item: INodeExecutionData, property = 'data'): Promise<Buffer> {
	const binary = item.binary?.[property] as IBinaryData | undefined;
	if (!binary) throw new Error(`no binary "${property}" in ${JSON.stringify(item.json)}`);
	expect(binary.mimeType).toBe('video/mp4');
	expect(binary.fileName).toBe(`${item.json.task_id as string}.mp4`);
	return await binaryBytes(binary as never);
}

function nodeError(run: IRun): Error & { description?: string; details?: Record<string, unknown> } {
	const error = errorOf(run, 'Jimeng Video');
	if (!error) throw new Error('the node did not fail');
	return error as never;
}

describe('Jimeng Video node in a workflow', () => {
	const { sim, harness } = useSimulator(
		{ queueMs: 150, generateMs: 250, seed: 7 },
		{ queueMs: 150, generateMs: 250, concurrency: null, qps: null, faults: {} },
	);
	const fast = { pollInterval: 0.1 };

	describe('text-to-video', () => {
		it('Generate and Wait returns the done item with the video as binary', async () => {
			const run = await harness.run(
				jimengWorkflow({
					operation: 'generateAndWait',
					prompt: 'A corgi surfing',
					frames: 241,
					aspectRatio: '9:16',
					seed: 42,
					options: fast,
				}),
			);
			const [item] = outputOf(run, 'Jimeng Video');
			expect(item.json).toMatchObject({
				status: 'done',
				timed_out: false,
				req_key: 'jimeng_ti2v_v30_pro',
				prompt: 'A corgi surfing',
				frames: 241,
				aspect_ratio: '9:16',
				seed: 42,
			});
			expect(item.json.task_id).toMatch(/^\d{19,20}$/);
			expect(item.json.request_id).toMatch(/^\d{14}[0-9A-F]{20}$/);
			expect(item.pairedItem).toEqual({ item: 0 });
			expect((await videoOf(item)).equals(FIXTURE)).toBe(true);
			expect(sim.submits()[0].body).toEqual({
				req_key: 'jimeng_ti2v_v30_pro',
				prompt: 'A corgi surfing',
				seed: 42,
				frames: 241,
				aspect_ratio: '9:16',
			});
		});

		it('Submit returns at once; Get Result reports the status, then the video', async () => {
			const submitted = outputOf(
				await harness.run(jimengWorkflow({ operation: 'submit', prompt: 'Neon city at night' })),
				'Jimeng Video',
			)[0];
			expect(submitted.json).toMatchObject({
				status: 'in_queue',
				req_key: 'jimeng_ti2v_v30_pro',
				prompt: 'Neon city at night',
				frames: 121,
				aspect_ratio: '16:9',
				seed: -1,
			});
			const taskId = submitted.json.task_id as string;
			expect(typeof taskId).toBe('string');

			const early = outputOf(
				await harness.run(jimengWorkflow({ operation: 'getResult', taskId })),
				'Jimeng Video',
			)[0];
			expect(early.json).toMatchObject({ task_id: taskId, status: 'in_queue' });
			expect(early.binary).toBeUndefined();

			await sleep(450);
			const done = outputOf(
				await harness.run(
					jimengWorkflow({
						operation: 'getResult',
						taskId,
						options: { binaryPropertyOutput: 'video' },
					}),
				),
				'Jimeng Video',
			)[0];
			expect(done.json).toMatchObject({
				task_id: taskId,
				status: 'done',
				req_key: 'jimeng_ti2v_v30_pro',
			});
			expect(done.json.video_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/video\//);
			expect((await videoOf(done, 'video')).equals(FIXTURE)).toBe(true);

			const urlOnly = outputOf(
				await harness.run(
					jimengWorkflow({ operation: 'getResult', taskId, options: { downloadVideo: false } }),
				),
				'Jimeng Video',
			)[0];
			expect(urlOnly.binary).toBeUndefined();
			expect(sim.submits()).toHaveLength(1);
		});

		it('Get Result explains not_found with the 12-hour retention', async () => {
			const run = await harness.run(
				jimengWorkflow({ operation: 'getResult', taskId: '9223372036854775999' }),
			);
			expect(nodeError(run).message).toMatch(
				/does not know task 9223372036854775999 .*keeps tasks for 12 hours/,
			);
		});
	});

	describe('image-to-video', () => {
		it('from binary data (filesystem mode, streamed): 1280×720 PNG → 16:9, no crop', async () => {
			const store = await useFilesystemBinaryData();
			try {
				const png = pngBytes(1280, 720);
				const run = await harness.run(
					jimengWorkflow(
						{ operation: 'generateAndWait', imageSource: 'binary', prompt: 'waves', options: fast },
						{ items: [imageItem(png, 'photo.jpg', 'image/jpeg')] },
					),
				);
				const [item] = outputOf(run, 'Jimeng Video');
				expect(item.json).toMatchObject({
					status: 'done',
					expected_aspect_ratio: '16:9',
					crop: { x: 0, y: 0, width: 1280, height: 720 },
					image: { width: 1280, height: 720, format: 'png' },
				});
				expect(item.json.aspect_ratio).toBeUndefined();
				expect((item.binary!.data as IBinaryData).id).toMatch(/^filesystem/);
				expect((await videoOf(item)).equals(FIXTURE)).toBe(true);
				expect(sim.submits()[0].body).toMatchObject({
					binary_data_base64: [`<base64 ${b64(png).length} chars>`],
				});
			} finally {
				store.cleanup();
			}
		});

		it('1000×1000 JPEG → 1:1; 3000×1000 PNG → 21:9 with the vendor page crop', async () => {
			const run = await harness.run(
				jimengWorkflow(
					{ operation: 'submit', imageSource: 'binary' },
					{
						items: [
							imageItem(jpegBytes(1000, 1000, { progressive: true })),
							imageItem(pngBytes(3000, 1000)),
						],
					},
				),
			);
			const [square, wide] = outputOf(run, 'Jimeng Video');
			expect(square.json).toMatchObject({
				expected_aspect_ratio: '1:1',
				crop: { x: 0, y: 0, width: 1000, height: 1000 },
			});
			expect(wide.json).toMatchObject({
				expected_aspect_ratio: '21:9',
				crop: { x: 333, y: 0, width: 2333, height: 1000 },
			});
			expect(wide.pairedItem).toEqual({ item: 1 });
		});

		it('from a URL (not downloaded by the node) and from base64 (raw and data: URL)', async () => {
			const urlRun = await harness.run(
				jimengWorkflow({
					operation: 'submit',
					imageSource: 'url',
					imageUrl: 'https://cdn.example.com/first.png',
				}),
			);
			expect(outputOf(urlRun, 'Jimeng Video')[0].json.expected_aspect_ratio).toBeUndefined();
			expect(sim.submits()[0].body).toMatchObject({
				image_urls: ['https://cdn.example.com/first.png'],
			});

			const png = pngBytes(800, 600);
			for (const imageBase64 of [b64(png), `data:image/png;base64,${b64(png)}`]) {
				const run = await harness.run(
					jimengWorkflow({ operation: 'submit', imageSource: 'base64', imageBase64 }),
				);
				expect(outputOf(run, 'Jimeng Video')[0].json).toMatchObject({
					expected_aspect_ratio: '4:3',
				});
			}
			expect(sim.createdTaskIds()).toHaveLength(3);
		});
	});

	describe('checks before any request', () => {
		const big = new Uint8Array(5 * 1024 * 1024);
		big.set(pngBytes(1280, 720));
		it.each([
			[
				'a 5 MB image',
				{ imageSource: 'binary' },
				[imageItem(big)],
				/is 5\.00 MB .*: Jimeng takes at most 4\.7 MB/,
			],
			[
				'a 4:1 image',
				{ imageSource: 'binary' },
				[imageItem(pngBytes(2000, 500))],
				/is 2000×500 pixels .*: its long side must be at most 3 times its short side/,
			],
			[
				'a GIF renamed .png',
				{ imageSource: 'binary' },
				[imageItem(gifBytes(800, 600), 'photo.png', 'image/png')],
				/is a GIF image: it must be a JPEG or PNG image/,
			],
			[
				'an 801-character prompt',
				{ prompt: 'x'.repeat(801) },
				undefined,
				/"Prompt" must be at most 800 characters; got 801 characters/,
			],
			[
				'frames 120',
				{ prompt: 'ok', frames: 120 },
				undefined,
				/"Duration" must be 5 s \(121 frames\) or 10 s \(241 frames\).*got number 120/,
			],
			[
				'an ftp image URL',
				{ imageSource: 'url', imageUrl: 'ftp://x/a.png' },
				undefined,
				/must use http or https/,
			],
		])(
			'%s fails with the rule, and nothing reaches the API',
			async (_name, parameters, items, message) => {
				for (const operation of ['submit', 'generateAndWait']) {
					const run = await harness.run(
						jimengWorkflow(
							{ operation, prompt: '', ...parameters },
							{ items: items as ItemSpec[] | undefined },
						),
					);
					const error = nodeError(run);
					expect(error.message).toMatch(message);
					expect(error.message).toMatch(/\[item 0\]$/);
				}
				expect(sim.requests).toHaveLength(0);
			},
		);

		it('one invalid item stops a Generate and Wait batch before anything is sent', async () => {
			const run = await harness.run(
				jimengWorkflow(
					{ operation: 'generateAndWait', imageSource: 'binary', options: fast },
					{ items: [imageItem(pngBytes(1280, 720)), imageItem(pngBytes(100, 100))] },
				),
			);
			expect(nodeError(run).message).toMatch(
				/its short side must be at least 320 pixels.*\[item 1\]/,
			);
			expect(sim.requests).toHaveLength(0);
		});
	});

	describe('batches', () => {
		it('10 items run side by side: every task is created before the first video is downloaded', async () => {
			sim.configure({ queueMs: 1000, generateMs: 2000 });
			const items = Array.from({ length: 10 }, (_, i) => ({ json: { prompt: `scene ${i}` } }));
			const started = Date.now();
			const run = await harness.run(
				jimengWorkflow(
					{
						operation: 'generateAndWait',
						prompt: '={{ $json.prompt }}',
						options: { pollInterval: 0.25 },
					},
					{ items },
				),
			);
			const wall = Date.now() - started;
			const output = outputOf(run, 'Jimeng Video');
			expect(output.map((item) => item.json.prompt)).toEqual(items.map((item) => item.json.prompt));
			expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
			expect(output.every((item) => item.json.status === 'done')).toBe(true);
			const ratio = wall / 3000;
			console.log(`batch: 10 items × 3 s task in ${wall} ms = ${ratio.toFixed(2)}× one task`);
			// Order of events, not seconds (timings are bench 1's): all ten submitted while the first still runs.
			const lastCreated = Math.max(
				...sim
					.submits()
					.filter((entry) => entry.taskCreated)
					.map((entry) => entry.at),
			);
			const firstDownload = Math.min(
				...sim.requests.filter((entry) => entry.action === 'download').map((entry) => entry.at),
			);
			expect(lastCreated).toBeLessThan(firstDownload);
			expect(sim.createdTaskIds()).toHaveLength(10);
		});

		it('concurrency limit 3 and 9 items: all finish, exactly 9 tasks created (50430 back-pressure)', async () => {
			sim.configure({ concurrency: 3 });
			const items = Array.from({ length: 9 }, (_, i) => ({ json: { prompt: `shot ${i}` } }));
			const run = await harness.run(
				jimengWorkflow(
					{ operation: 'generateAndWait', prompt: '={{ $json.prompt }}', options: fast },
					{ items },
				),
			);
			const output = outputOf(run, 'Jimeng Video');
			expect(output.map((item) => item.json.status)).toEqual(Array(9).fill('done'));
			expect(sim.createdTaskIds()).toHaveLength(9);
			expect(new Set(output.map((item) => item.json.task_id)).size).toBe(9);
			expect(sim.maxConcurrentObserved()).toBe(3);
			expect(sim.submits().filter((entry) => entry.code === 50430).length).toBeGreaterThan(0);
		});

		it('maxWait: unfinished items come back timed_out with their task_id; Get Result collects them later', async () => {
			sim.configure({ queueMs: 500, generateMs: 1500 });
			const run = await harness.run(
				jimengWorkflow({
					operation: 'generateAndWait',
					prompt: 'slow',
					options: { pollInterval: 0.2, maxWait: 1 },
				}),
			);
			const [item] = outputOf(run, 'Jimeng Video');
			expect(item.json).toMatchObject({
				timed_out: true,
				status: expect.stringMatching(/in_queue|generating/),
			});
			expect(item.json.task_id).toMatch(/^\d+$/);
			await sleep(1200);
			const later = outputOf(
				await harness.run(jimengWorkflow({ operation: 'getResult', taskId: item.json.task_id })),
				'Jimeng Video',
			)[0];
			expect(later.json.status).toBe('done');
			expect(sim.submits()).toHaveLength(1);
		});

		it('a failed task fails the node with its code and meaning, listing the batch’s other tasks', async () => {
			const items = [{ json: { prompt: 'fine' } }, { json: { prompt: 'bad [sim:fail=50516]' } }];
			const run = await harness.run(
				jimengWorkflow(
					{ operation: 'generateAndWait', prompt: '={{ $json.prompt }}', options: fast },
					{ items },
				),
			);
			const error = nodeError(run);
			expect(error.message).toMatch(
				/task \d+ failed with code 50516: Generated video refused by moderation .*request_id \d{14}[0-9A-F]{20}/,
			);
			const [first, second] = sim.createdTaskIds();
			expect(error.description).toContain(`task_id ${first}`);
			expect(error.description).toContain(`task_id ${second}`);
		});

		it('continueOnFail: each item its own outcome (done, failed task, invalid input), in input order', async () => {
			const items = [
				{ json: { prompt: 'fine' } },
				{ json: { prompt: 'bad [sim:fail=50516]' } },
				{ json: { prompt: '' } },
				{ json: { prompt: 'refused [sim:code=50412]' } },
			];
			const run = await harness.run(
				jimengWorkflow(
					{ operation: 'generateAndWait', prompt: '={{ $json.prompt }}', options: fast },
					{ items, continueOnFail: true },
				),
			);
			const output = outputOf(run, 'Jimeng Video');
			expect(output.map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
				{ item: 3 },
			]);
			expect(output[0].json.status).toBe('done');
			expect(output[1].json).toMatchObject({
				code: 50516,
				retryable: true,
				task_id: expect.stringMatching(/^\d+$/),
				request_id: expect.stringMatching(/^\d{14}/),
			});
			expect(output[1].json.error).toMatch(/Generated video refused by moderation/);
			expect(output[2].json).toMatchObject({ code: 'INVALID_PARAMETER', task_id: null });
			expect(output[2].json.error).toMatch(/"Prompt" is required/);
			expect(output[3].json).toMatchObject({ code: 50412, retryable: false, task_id: null });
			expect(output[3].json.error).toMatch(/Prompt refused by moderation/);
			expect(sim.createdTaskIds()).toHaveLength(2);
		});

		it('cancelling the execution stops polling within one interval', async () => {
			sim.configure({ queueMs: 10_000, generateMs: 10_000 });
			let cancel: () => void = () => undefined;
			const running = harness.run(
				jimengWorkflow({
					operation: 'generateAndWait',
					prompt: 'long',
					options: { pollInterval: 0.3 },
				}),
				{
					onStarted: (c) => (cancel = c),
				},
			);
			await sleep(1000);
			const cancelledAt = Date.now();
			cancel();
			await running.catch(() => undefined);
			await sleep(700);
			// Events, not a stopwatch: after the cancel, not one more Get Result in two poll intervals.
			const after = sim.getResults().filter((entry) => entry.at > cancelledAt + 50); // one already on the wire may land just after
			expect(after).toHaveLength(0);
			expect(sim.submits()).toHaveLength(1);
		});
	});

	describe('Retry On Fail', () => {
		it('a node re-run by n8n does not submit (or pay for) earlier items again', async () => {
			const items = [
				{ json: { prompt: 'one' } },
				{ json: { prompt: 'two' } },
				{ json: { prompt: 'refused [sim:code=50412]' } },
			];
			const run = await harness.run(
				jimengWorkflow(
					{ operation: 'submit', prompt: '={{ $json.prompt }}' },
					{ items, nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } },
				),
			);
			expect(errorOf(run, 'Jimeng Video')?.message).toMatch(/50412/);
			// items 1 and 2 are sent once; only the refused item 3 is sent on every try
			expect(sim.submits().map((entry) => (entry.body as { prompt: string }).prompt)).toEqual([
				'one',
				'two',
				'refused [sim:code=50412]',
				'refused [sim:code=50412]',
				'refused [sim:code=50412]',
			]);
			expect(sim.createdTaskIds()).toHaveLength(2);
		});
	});

	describe('a retry after the task itself failed', () => {
		it('Retry On Fail after a moderation failure submits a new task instead of returning the failed one', async () => {
			const run = await harness.run(
				jimengWorkflow(
					{
						operation: 'generateAndWait',
						prompt: 'refused later [sim:fail=50516]',
						options: { pollInterval: 0.05 },
					},
					{ nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } },
				),
			);
			expect(errorOf(run, 'Jimeng Video')?.message).toMatch(/failed with code 50516/);
			// one new attempt per try: every task failed, none was reused
			expect(sim.submits()).toHaveLength(3);
			expect(new Set(sim.createdTaskIds()).size).toBe(3);
		}, 30_000);
	});

	describe('the same request run again on purpose', () => {
		it('a node that runs twice in one execution (a loop, two branches) submits twice', async () => {
			// Start → A → Jimeng and Start → B → Jimeng: in v1 order the Jimeng node runs once per branch.
			const workflow = jimengWorkflow({ operation: 'submit', prompt: 'same prompt, new video' });
			const jimeng = workflow.nodes.find((node) => node.name === 'Jimeng Video')!;
			const items = (name: string, id: string) => ({
				id,
				name,
				type: 'test.staticItems',
				typeVersion: 1,
				position: [200, 0] as [number, number],
				parameters: { items: JSON.stringify([{ json: {} }]) },
			});
			workflow.nodes = [workflow.nodes[0], items('A', 'na'), items('B', 'nb'), jimeng];
			workflow.connections = {
				Start: {
					main: [
						[
							{ node: 'A', type: 'main', index: 0 },
							{ node: 'B', type: 'main', index: 0 },
						],
					],
				},
				A: { main: [[{ node: 'Jimeng Video', type: 'main', index: 0 }]] },
				B: { main: [[{ node: 'Jimeng Video', type: 'main', index: 0 }]] },
			};
			const run = await harness.run(workflow);
			expect(run.data.resultData.runData['Jimeng Video']).toHaveLength(2);
			expect(sim.createdTaskIds()).toHaveLength(2);
		});
	});

	describe('downloads', () => {
		it('an expired video URL gets one fresh Get Result, and the video arrives intact', async () => {
			sim.configure({ faults: { expireFirstDownload: 1 } });
			const run = await harness.run(
				jimengWorkflow({ operation: 'generateAndWait', prompt: 'x', options: fast }),
			);
			const [item] = outputOf(run, 'Jimeng Video');
			expect((await videoOf(item)).equals(FIXTURE)).toBe(true);
			expect(sim.downloads().map((d) => d.httpStatus)).toEqual([403, 200]);
		});

		it('a truncated transfer is retried, never stored as a short video', async () => {
			sim.configure({ faults: { truncateDownload: 0.5 }, videoBytes: 3 * 1024 * 1024 });
			const store = await useFilesystemBinaryData();
			try {
				const items = Array.from({ length: 4 }, (_, i) => ({ json: { prompt: `p${i}` } }));
				const run = await harness.run(
					jimengWorkflow(
						{ operation: 'generateAndWait', prompt: '={{ $json.prompt }}', options: fast },
						{ items },
					),
				);
				for (const item of outputOf(run, 'Jimeng Video')) {
					const bytes = await videoOf(item);
					expect(bytes.length).toBe(3 * 1024 * 1024);
					expect(bytes.subarray(0, FIXTURE.length).equals(FIXTURE)).toBe(true);
				}
				expect(sim.downloads().some((d) => d.fault === 'truncateDownload')).toBe(true);
			} finally {
				store.cleanup();
				sim.configure({ videoBytes: null });
			}
		});
	});

	describe('as an AI tool', () => {
		it('returns the video URL, not a binary blob, by default', async () => {
			const workflow = jimengWorkflow({ operation: 'generateAndWait', prompt: 'x', options: fast });
			workflow.nodes[1].type = 'n8n-nodes-jimeng-video.jimengVideoTool';
			const [item] = outputOf(await harness.run(workflow), 'Jimeng Video');
			expect(item.json.video_url).toMatch(/^http/);
			expect(item.binary).toBeUndefined();
			expect(sim.downloads()).toHaveLength(0);
		});
	});
});
