/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports, no-console -- test tooling, not shipped */
/**
 * The Jimeng Video Trigger driven the way n8n drives a poll trigger (test/support/triggerHost.ts, the
 * in-process scheduler here; triggerSchedulers.test.ts covers the durable ones): static data saved as
 * JSON after the activation poll and with polls that emit; a restart loads the last saved JSON.
 */
import { readFileSync } from 'node:fs';

import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';

import { FIXTURE_PATH } from '../tooling/simulator';
import { binaryBytes, createHarness, outputOf } from '../support/harness';
import { TriggerHost, itemsOf } from '../support/triggerHost';
import { jimengWorkflow, simulatorCredential } from '../support/workflows';
import { sleep } from '../support/time';
import { useSimulator } from '../support/useSimulator';

const FIXTURE = readFileSync(FIXTURE_PATH);

const items = itemsOf;

describe('Jimeng Video Trigger', () => {
	const { sim, harness } = useSimulator(
		{ queueMs: 150, generateMs: 250, seed: 3 },
		{ queueMs: 150, generateMs: 250, concurrency: null, faults: {} },
	);

	async function submit(prompt: string): Promise<string> {
		const run = await harness.run(jimengWorkflow({ operation: 'submit', prompt }));
		return outputOf(run, 'Jimeng Video')[0].json.task_id as string;
	}

	describe('watchTasks', () => {
		it('3 ids (done, failing, unknown): exactly 3 items, once, and none on later polls or after a restart', async () => {
			const done = await submit('ok');
			const failing = await submit('bad [sim:fail=50516]');
			const unknown = '7000000000000000001';
			await sleep(500);
			const host = new TriggerHost(harness, {
				mode: 'watchTasks',
				taskIds: `${done}, ${failing}\n${unknown}`,
			});
			const first = items(await host.activate());
			expect(first).toHaveLength(3);
			const byId = Object.fromEntries(first.map((item) => [item.json.task_id, item]));
			expect(byId[done].json).toMatchObject({
				status: 'done',
				req_key: 'jimeng_ti2v_v30_pro',
				video_url: expect.stringMatching(/^http/),
			});
			expect((await binaryBytes(byId[done].binary!.data as never)).equals(FIXTURE)).toBe(true);
			expect((byId[done].binary!.data as IBinaryData).fileName).toBe(`${done}.mp4`);
			expect(byId[failing].json).toMatchObject({ status: 'failed', code: 50516, retryable: true });
			expect(byId[unknown].json).toMatchObject({ status: 'not_found', code: 'not_found' });
			expect(byId[unknown].json.error).toMatch(/12 hours/);

			expect(await host.poll()).toBeNull();
			expect(await host.poll()).toBeNull();
			expect(await host.restart()).toBeNull(); // the saved state remembers
			expect(sim.submits()).toHaveLength(2);
		});

		it('the done item carries the same json and binary as Get Result', async () => {
			const taskId = await submit('same');
			await sleep(500);
			const fromGetResult = outputOf(
				await harness.run(jimengWorkflow({ operation: 'getResult', taskId })),
				'Jimeng Video',
			)[0];
			const [fromTrigger] = items(
				await new TriggerHost(harness, { mode: 'watchTasks', taskIds: taskId }).activate(),
			);
			const strip = (json: Record<string, unknown>) => ({
				...json,
				video_url: undefined,
				request_id: undefined,
			});
			expect(strip(fromTrigger.json)).toEqual(strip(fromGetResult.json));
			expect(Object.keys(fromTrigger.binary!)).toEqual(Object.keys(fromGetResult.binary!));
			expect((fromTrigger.binary!.data as IBinaryData).mimeType).toBe('video/mp4');
		});

		it('emits each task when it finishes; ids added later are picked up; nothing twice', async () => {
			sim.configure({ queueMs: 300, generateMs: 300 });
			const a = await submit('a');
			const host = new TriggerHost(harness, { mode: 'watchTasks', taskIds: a });
			expect(await host.activate()).toBeNull();
			await sleep(700);
			expect(items(await host.poll()).map((item) => item.json.task_id)).toEqual([a]);
			const b = await submit('b');
			host.parameters.taskIds = `${a} ${b}`;
			expect(await host.activate()).toBeNull(); // n8n reactivates on save; b still running
			await sleep(700);
			expect(items(await host.poll()).map((item) => item.json.task_id)).toEqual([b]);
			expect(await host.poll()).toBeNull();
		});

		it('rides out retryable faults: the poll returns nothing and the task is emitted later', async () => {
			const taskId = await submit('x');
			await sleep(500);
			sim.configure({ faults: { rate50500: 1 } });
			const host = new TriggerHost(harness, { mode: 'watchTasks', taskIds: taskId });
			expect(await host.activate()).toBeNull();
			sim.configure({ faults: {} });
			expect(items(await host.poll()).map((item) => item.json.status)).toEqual(['done']);
		});

		it('emitFailures off: failed and unknown tasks are not emitted, and not queried again', async () => {
			const failing = await submit('bad [sim:fail=50516]');
			await sleep(500);
			const host = new TriggerHost(harness, {
				mode: 'watchTasks',
				taskIds: `${failing} 7000000000000000002 not-an-id`,
				options: { emitFailures: false },
			});
			expect(await host.activate()).toBeNull();
			const queries = sim.getResults().length;
			expect(await host.poll()).toBeNull();
			expect(sim.getResults().length).toBe(queries);
		});

		it('a wrong credential fails the activation with the gateway’s message', async () => {
			const wrong = await createHarness([simulatorCredential(sim, { secretAccessKey: 'wrong' })]);
			const host = new TriggerHost(wrong, { mode: 'watchTasks', taskIds: '7000000000000000003' });
			await expect(host.activate()).rejects.toThrow(/SignatureDoesNotMatch/);
		});

		it('Fetch Test Event shows the items without marking them emitted', async () => {
			const taskId = await submit('test');
			await sleep(500);
			const host = new TriggerHost(harness, { mode: 'watchTasks', taskIds: taskId });
			expect(items(await host.testEvent()).map((item) => item.json.status)).toEqual(['done']);
			expect(items(await host.testEvent())).toHaveLength(1);
			expect(items(await host.activate()).map((item) => item.json.task_id)).toEqual([taskId]);
		});
	});

	describe('generate', () => {
		const parameters = {
			mode: 'generate',
			prompt: 'Waves at dawn',
			frames: 121,
			aspectRatio: '16:9',
		};

		it('5 polls with a task that takes 2 polls: one task per emitted video (+ the one in flight), none added by a restart', async () => {
			sim.configure({ queueMs: 200, generateMs: 300 });
			const host = new TriggerHost(harness, parameters);
			// The activation submits the first task and emits it as `submitted`: n8n saves it with that item.
			const first = items(await host.activate());
			expect(first.map((item) => item.json.status)).toEqual(['submitted']);
			expect(first[0].json).toMatchObject({
				task_id: sim.createdTaskIds()[0],
				req_key: 'jimeng_ti2v_v30_pro',
				prompt: 'Waves at dawn',
			});
			const emitted: INodeExecutionData[] = [];
			for (let poll = 2; poll <= 5; poll++) {
				await sleep(320);
				emitted.push(...items(await host.poll()));
			}
			expect(emitted.map((item) => item.json.status)).toEqual(['done', 'done']);
			for (const item of emitted)
				expect((await binaryBytes(item.binary!.data as never)).equals(FIXTURE)).toBe(true);
			// A finished video carries what was asked, like Get Result's items.
			expect(emitted[0].json).toMatchObject({ prompt: 'Waves at dawn', frames: 121, seed: -1 });
			expect(emitted[0].json.submitted_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
			const created = sim.createdTaskIds();
			expect(created).toHaveLength(emitted.length + 1);
			expect(emitted.map((item) => item.json.task_id)).toEqual(created.slice(0, 2));
			console.log(
				`trigger generate: 5 polls → ${created.length} tasks created, ${emitted.length} videos emitted, 1 in flight`,
			);

			// restart between polls: the in-flight task is resumed, not submitted again
			expect(await host.restart()).toBeNull();
			expect(sim.createdTaskIds()).toHaveLength(3);
			await sleep(600);
			const resumed = items(await host.poll());
			expect(resumed.map((item) => item.json.task_id)).toEqual([created[2]]);
			expect(sim.createdTaskIds()).toHaveLength(4);
		});

		it('a restart before every poll (state always reloaded from saved JSON) never loses or duplicates a task', async () => {
			sim.configure({ queueMs: 200, generateMs: 300 });
			const host = new TriggerHost(harness, parameters);
			const emitted: string[] = [];
			for (let poll = 1; poll <= 8; poll++) {
				const result = poll === 1 ? await host.activate() : await host.restart();
				emitted.push(
					...items(result)
						.filter((item) => item.json.status === 'done')
						.map((item) => item.json.task_id as string),
				);
				await sleep(250);
			}
			const created = sim.createdTaskIds();
			expect(new Set(emitted).size).toBe(emitted.length);
			expect(created.slice(0, emitted.length)).toEqual(emitted);
			expect(created.length).toBe(emitted.length + 1);
		});

		it('a finished video is emitted in the poll that finds it, while the next submit is refused (concurrency)', async () => {
			sim.configure({ concurrency: 1 });
			const host = new TriggerHost(harness, parameters);
			await host.activate();
			await sleep(500);
			// Another workflow holds the account's only slot: the next submit answers 50430.
			const other = await submit('holds the slot');
			const [video] = items(await host.poll());
			expect(video.json).toMatchObject({ status: 'done', task_id: sim.createdTaskIds()[0] });
			expect(sim.createdTaskIds()).toEqual([sim.createdTaskIds()[0], other]);
			expect(sim.submits().filter((e) => e.code === 50430)).toHaveLength(1);
			// The slot is free again: the next poll submits, with a `submitted` item (no video to go with it).
			await sleep(500);
			const [next] = items(await host.poll());
			expect(next.json).toMatchObject({ status: 'submitted', task_id: sim.createdTaskIds()[2] });
			expect(sim.downloads()).toHaveLength(1);
		});

		it('a failed task is emitted as a failure item and the next one is submitted', async () => {
			const host = new TriggerHost(harness, { ...parameters, prompt: 'x [sim:fail=50516]' });
			await host.activate();
			await sleep(500);
			const [item] = items(await host.poll());
			expect(item.json).toMatchObject({
				status: 'failed',
				code: 50516,
				task_id: sim.createdTaskIds()[0],
			});
			expect(sim.createdTaskIds()).toHaveLength(2);
		});

		it('a submit with an unknown outcome pauses generation (no second paid task) until the user publishes again', async () => {
			const host = new TriggerHost(harness, parameters);
			await host.activate();
			await sleep(500);
			sim.configure({ faults: { resetAfterCreate: 1 } });
			const emitted = items(await host.poll());
			expect(emitted.map((item) => item.json.status)).toEqual(['done', 'submit_outcome_unknown']);
			expect(emitted[1].json.error).toMatch(/may have created the task/);
			// As in Submit and Generate and Wait: what is known, to find the task in the console.
			expect(emitted[1].json).toMatchObject({
				task_may_exist: true,
				req_key: 'jimeng_ti2v_v30_pro',
				prompt: parameters.prompt,
			});
			expect(emitted[1].json.submitted_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
			sim.configure({ faults: {} });
			const submitsBefore = sim.submits().length;
			await sleep(300);
			expect(await host.poll()).toBeNull();
			expect(await host.activate('update')).toBeNull(); // publishing a change does not resume
			expect(sim.submits()).toHaveLength(submitsBefore);
			await host.activate(); // Unpublish, then Publish
			expect(sim.submits()).toHaveLength(submitsBefore + 1);
		});

		it('an invalid parameter or a refused prompt fails the activation, with the rule', async () => {
			await expect(
				new TriggerHost(harness, { ...parameters, frames: 120 }).activate(),
			).rejects.toThrow(/"Duration" must be 5 s \(121 frames\)/);
			await expect(
				new TriggerHost(harness, { ...parameters, prompt: 'x [sim:code=50412]' }).activate(),
			).rejects.toThrow(/50412/);
			expect(sim.createdTaskIds()).toHaveLength(0);
		});

		it('Fetch Test Event submits nothing and shows the request', async () => {
			const [item] = items(await new TriggerHost(harness, parameters).testEvent());
			expect(item.json).toMatchObject({
				status: 'preview',
				task_id: null,
				prompt: 'Waves at dawn',
				frames: 121,
				aspect_ratio: '16:9',
			});
			expect(sim.requests).toHaveLength(0);
		});
	});
});
