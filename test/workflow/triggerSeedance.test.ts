/**
 * The Jimeng Video Trigger on Seedance (API = Ark): Generate Videos under the same state machine
 * (an ambiguous create settled by listing, or a pause), Watch Tasks with cgt- ids, and Watch Account
 * (every task of the account that ends after watching began, once each). Real polls (n8n-core's
 * PollContext) against the Ark simulator, driven as n8n's schedulers drive them (triggerHost.ts).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { TriggerHost, itemsOf as items, type Scheduler } from '../support/triggerHost';
import { DEFAULT_ARK_API_KEY, useSeedanceSimulator, seedanceWorkflow } from '../support/seedance';
import { sleep } from '../support/time';

const MODEL = 'doubao-seedance-1-5-pro-251215';
const generate = {
	api: 'ark',
	mode: 'generate',
	model: MODEL,
	prompt: 'A heron takes off over a misty lake',
	resolution: '720p',
	ratio: '16:9',
	duration: 5,
};
const statuses = (emitted: INodeExecutionData[]) => emitted.map((item) => item.json.status);

describe('Jimeng Video Trigger on Seedance (Ark)', () => {
	const { sim, ark, harness } = useSeedanceSimulator({ seed: 41, queueMs: 60, generateMs: 120 });

	/** A Seedance Submit in another workflow: its task id. */
	async function submitInWorkflow(prompt: string): Promise<string> {
		const run = await harness.run(seedanceWorkflow({ operation: 'submit', model: MODEL, prompt }));
		return String(run.data.resultData.runData.Seedance[0].data!.main[0]![0].json.task_id);
	}

	/** A task made outside n8n (as in the Ark console): a create with the account's key. */
	async function createDirectly(prompt: string): Promise<string> {
		const answer = await fetch(`${sim.url}/api/v3/contents/generations/tasks`, {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${DEFAULT_ARK_API_KEY}`,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify({ model: MODEL, content: [{ type: 'text', text: prompt }] }),
		});
		return ((await answer.json()) as { id: string }).id;
	}

	/** Polls until a poll emits (at most `max` polls, `gapMs` apart). */
	async function pollUntilEmitted(host: TriggerHost, max = 30, gapMs = 60) {
		for (let i = 0; i < max; i++) {
			const emitted = items(await host.poll());
			if (emitted.length) return emitted;
			await sleep(gapMs);
		}
		throw new Error(`nothing emitted after ${max} polls`);
	}

	describe.each<Scheduler>(['inProcess', 'durable', 'durableCursors'])(
		'Generate Videos (%s)',
		(scheduler) => {
			it('one task in flight; its video (and last frame) emitted once; Max Videos holds', async () => {
				const host = new TriggerHost(
					harness,
					{ ...generate, returnLastFrame: true, maxVideos: 2 },
					scheduler,
				);
				const first = items(await host.activate());
				expect(statuses(first)).toEqual(['submitted']);
				expect(first[0].json).toMatchObject({ task_id: ark.createdTaskIds()[0], model: MODEL });
				const video = await pollUntilEmitted(host);
				expect(statuses(video)).toEqual(['succeeded']);
				expect(video[0].json).toMatchObject({
					task_id: ark.createdTaskIds()[0],
					generate_audio: true,
				});
				expect(video[0].binary?.data?.mimeType).toBe('video/mp4');
				expect(video[0].binary?.last_frame?.mimeType).toBe('image/png');
				const second = await pollUntilEmitted(host);
				expect(statuses(second)).toEqual(['succeeded', 'limit_reached']);
				for (let i = 0; i < 3; i++) expect(await host.poll()).toBeNull();
				expect(ark.creates()).toHaveLength(2);
			}, 30_000);
		},
	);

	it('a create answered 500 after the task was made: found by listing and adopted, no pause', async () => {
		const host = new TriggerHost(harness, generate);
		ark.configure({ faults: { serverErrorAfterCreate: 1 } });
		const first = items(await host.activate());
		ark.configure({ faults: {} });
		expect(statuses(first)).toEqual(['submitted']);
		expect(first[0].json).toMatchObject({
			task_id: ark.createdTaskIds()[0],
			resolved_by_list: true,
		});
		const video = await pollUntilEmitted(host);
		expect(video[0].json.task_id).toBe(ark.createdTaskIds()[0]);
		expect(ark.creates()).toHaveLength(2); // the next task, after the video
	}, 30_000);

	it('a create whose outcome listing cannot settle pauses generation: nothing more is created', async () => {
		const host = new TriggerHost(harness, generate, 'durable');
		await host.activate();
		await pollUntilEmitted(host);
		ark.configure({ faults: { serverErrorBeforeCreate: 1 } });
		// The video of task 2 comes; the third create gets a 500 with nothing behind it.
		const emitted = await pollUntilEmitted(host);
		ark.configure({ faults: {} });
		expect(statuses(emitted)).toEqual(['succeeded', 'submit_outcome_unknown']);
		expect(emitted[1].json).toMatchObject({ task_may_exist: true, model: MODEL });
		const creates = ark.creates().length;
		for (let i = 0; i < 3; i++) expect(await host.poll()).toBeNull();
		expect(await host.restart()).toBeNull();
		expect(ark.creates()).toHaveLength(creates);
		await host.activate('activate'); // Unpublish, then Publish
		expect(ark.creates()).toHaveLength(creates + 1);
	}, 40_000);

	it('Watch Tasks takes Seedance task ids and emits each once', async () => {
		const taskId = await submitInWorkflow('watched by id');
		const host = new TriggerHost(harness, {
			api: 'ark',
			mode: 'watchTasks',
			taskIds: `${taskId}, not-a-task`,
		});
		const first = items(await host.activate());
		expect(first.map((item) => [item.json.task_id, item.json.status])).toEqual([
			['not-a-task', 'invalid'],
		]);
		const video = await pollUntilEmitted(host);
		expect(video.map((item) => [item.json.task_id, item.json.status])).toEqual([
			[taskId, 'succeeded'],
		]);
		expect(await host.poll()).toBeNull();
	}, 30_000);

	describe('Watch Account', () => {
		it('emits every task of the account that ends after watching began, once each', async () => {
			const before = await createDirectly('made before watching');
			// Ended before the trigger started, in an earlier second (Ark's times are whole seconds).
			await sleep(1300);
			const host = new TriggerHost(harness, { api: 'ark', mode: 'watchAccount' }, 'durable');
			expect(await host.activate()).toBeNull();
			const ids = [
				await createDirectly('made in the console'),
				await submitInWorkflow('made by another workflow'),
			];
			const emitted: INodeExecutionData[] = [];
			for (let i = 0; i < 20 && emitted.length < 2; i++) {
				emitted.push(...items(await host.poll()));
				await sleep(60);
			}
			expect(emitted.map((item) => item.json.task_id).sort()).toEqual([...ids].sort());
			expect(emitted.every((item) => item.binary?.data?.mimeType === 'video/mp4')).toBe(true);
			expect(emitted.map((item) => item.json.task_id)).not.toContain(before);
			// Later polls, a restart, a thrown-away poll: nothing twice.
			expect(await host.poll()).toBeNull();
			expect(await host.restart()).toBeNull();
			expect(await host.poll()).toBeNull();
		}, 30_000);

		it('an emission n8n throws away is made again at the next poll', async () => {
			const host = new TriggerHost(harness, { api: 'ark', mode: 'watchAccount' }, 'durable');
			await host.activate();
			const id = await createDirectly('dropped once');
			await sleep(300);
			expect(await host.poll({ drop: true })).toBeNull();
			const again = items(await host.poll());
			expect(again.map((item) => item.json.task_id)).toEqual([id]);
			expect(await host.poll()).toBeNull();
		}, 30_000);

		it('Fetch Test Event shows the latest ended tasks and marks nothing', async () => {
			await createDirectly('one');
			await sleep(1300);
			const host = new TriggerHost(harness, { api: 'ark', mode: 'watchAccount' });
			const [shown] = items(await host.testEvent());
			expect(shown.json.status).toBe('succeeded');
			await host.activate();
			expect(await host.poll()).toBeNull(); // ended before watching began
		}, 30_000);

		it('is refused with API Jimeng: the Visual API has no task list', async () => {
			await expect(new TriggerHost(harness, { mode: 'watchAccount' }).activate()).rejects.toThrow(
				/Watch Account is only for API Seedance/,
			);
		});
	});
});
