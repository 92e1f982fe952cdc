/**
 * The trigger's money and duplicate guarantees under what production does to it: overlapping polls
 * behind a slow video link, restarts at any moment, n8n's durable poll scheduler, spending limits,
 * weeks of watching. Real polls (n8n-core PollContext) against the simulator.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { outputOf } from '../support/harness';
import { TriggerHost, itemsOf as items } from '../support/triggerHost';
import { useSimulator } from '../support/useSimulator';
import { jimengWorkflow } from '../support/workflows';
import { fakeDateOnly, sleep } from '../support/time';

const DAY_MS = 24 * 3600 * 1000;

describe('Jimeng Video Trigger safety', () => {
	const { sim, harness } = useSimulator(
		{ queueMs: 100, generateMs: 150, seed: 5 },
		{ queueMs: 100, generateMs: 150, concurrency: null, faults: {} },
	);
	afterEach(() => jest.useRealTimers());

	async function submit(prompt: string): Promise<string> {
		const run = await harness.run(jimengWorkflow({ operation: 'submit', prompt }));
		return outputOf(run, 'Jimeng Video')[0].json.task_id as string;
	}

	/** Polls until a poll emits (or `max` polls). Under a frozen fake clock, moves it on as the sleep does. */
	async function pollUntilEmitted(
		host: TriggerHost,
		max = 20,
		frozenClock = false,
	): Promise<INodeExecutionData[]> {
		for (let i = 0; i < max; i++) {
			const emitted = items(await host.poll());
			if (emitted.length) return emitted;
			await sleep(120);
			if (frozenClock) jest.setSystemTime(Date.now() + 120);
		}
		throw new Error(`nothing emitted after ${max} polls`);
	}

	const generate = { mode: 'generate', prompt: 'Waves at dawn', frames: 121, aspectRatio: '16:9' };

	describe('overlapping polls', () => {
		it('watch: a poll that starts while a slow download runs does nothing; each task is emitted once', async () => {
			const ids = [await submit('a'), await submit('b')];
			await sleep(350);
			// A third listed task still generating at activation; it finishes behind a slow video link.
			sim.configure({ generateMs: 1200 });
			const late = await submit('late');
			const host = new TriggerHost(harness, {
				mode: 'watchTasks',
				taskIds: [...ids, late].join(','),
			});
			expect(items(await host.activate()).map((item) => item.json.task_id)).toEqual(ids);
			const emittedBefore = sim.downloads().length;
			sim.configure({ faults: { downloadDelayMs: 600 } });
			while (sim.task(late)?.state !== 'done') await sleep(50);

			// Three ticks land while the first poll downloads the late task.
			const slow = host.poll();
			await sleep(50);
			const overlapping = [host.poll(), host.poll(), host.poll()];
			const overlapResults = await Promise.all(overlapping);
			expect(overlapResults).toEqual([null, null, null]); // returned at once, while the first still downloads
			const first = items(await slow);
			expect(first.map((item) => item.json.task_id)).toEqual([late]);
			expect(sim.downloads()).toHaveLength(emittedBefore + 1);
			expect(await host.poll()).toBeNull();
		}, 30_000);

		it('generate: two polls on a finished task submit one next task, not two', async () => {
			const host = new TriggerHost(harness, generate);
			await host.activate();
			await sleep(350);
			sim.configure({ faults: { downloadDelayMs: 400 } });
			const [a, b] = await Promise.all([host.poll(), host.poll()]);
			const emitted = [...items(a), ...items(b)];
			expect(emitted.map((item) => item.json.status)).toEqual(['done']);
			expect(sim.createdTaskIds()).toHaveLength(2);
			expect(sim.submits()).toHaveLength(2);
		}, 30_000);
	});

	describe('pauses and restarts', () => {
		it('a pause after an unknown submit outcome survives restarts and publishes; Unpublish → Publish lifts it', async () => {
			const host = new TriggerHost(harness, generate);
			await host.activate();
			await sleep(350);
			sim.configure({ faults: { gatewayTimeoutAfterCreate: 1 } });
			const emitted = items(await host.poll());
			expect(emitted.map((item) => item.json.status)).toEqual(['done', 'submit_outcome_unknown']);
			expect(emitted[1].json.note).toMatch(
				/paused.*unpublish the workflow, then publish it again.*survives n8n restarts/i,
			);
			sim.configure({ faults: {} });
			const submits = sim.submits().length;
			expect(await host.restart()).toBeNull();
			expect(await host.poll()).toBeNull();
			expect(await host.activate('update')).toBeNull(); // a published change: still paused
			expect(await host.restart()).toBeNull();
			expect(sim.submits()).toHaveLength(submits);
			await host.activate('activate'); // the user unpublishes, then publishes
			expect(sim.submits()).toHaveLength(submits + 1);
		}, 30_000);
	});

	describe("n8n's durable poll scheduler (a fresh context for every scheduled poll)", () => {
		it('generates as under the in-process scheduler: one task per emitted video plus the one in flight', async () => {
			const host = new TriggerHost(harness, generate, 'durable');
			const emitted: INodeExecutionData[] = [...items(await host.activate())];
			expect(emitted.map((item) => item.json.status)).toEqual(['submitted']);
			expect(sim.createdTaskIds()).toHaveLength(1);
			for (let poll = 0; poll < 8; poll++) {
				await sleep(130);
				emitted.push(...items(await host.poll()));
			}
			const videos = emitted.filter((item) => item.json.status === 'done');
			expect(videos.length).toBeGreaterThanOrEqual(2);
			expect(sim.createdTaskIds()).toHaveLength(videos.length + 1);
			expect(videos.map((item) => item.json.task_id)).toEqual(
				sim.createdTaskIds().slice(0, videos.length),
			);
		}, 30_000);

		it('a scheduled poll with nothing in flight (paused) never submits: no unrecorded paid task', async () => {
			const host = new TriggerHost(harness, generate, 'durable');
			await host.activate();
			await sleep(350);
			sim.configure({ faults: { resetAfterCreate: 1 } });
			expect((await pollUntilEmitted(host)).map((item) => item.json.status)).toEqual([
				'done',
				'submit_outcome_unknown',
			]);
			sim.configure({ faults: {} });
			const submits = sim.submits().length;
			for (let poll = 0; poll < 4; poll++) {
				expect(await host.restart()).toBeNull();
				expect(await host.poll()).toBeNull();
			}
			expect(sim.submits()).toHaveLength(submits);
		}, 30_000);
	});

	describe('spending limits', () => {
		it('Max Videos: stops at the limit with one item saying so, across restarts; Unpublish → Publish allows more', async () => {
			const host = new TriggerHost(harness, { ...generate, maxVideos: 2 });
			await host.activate();
			const first = await pollUntilEmitted(host);
			expect(first.map((item) => item.json.status)).toEqual(['done']);
			const second = await pollUntilEmitted(host);
			expect(second.map((item) => item.json.status)).toEqual(['done', 'limit_reached']);
			expect(second[1].json).toMatchObject({ limit: 'max_videos', max_videos: 2, submitted: 2 });
			expect(second[1].json.note).toMatch(/unpublish the workflow, then publish it again/);
			expect(sim.createdTaskIds()).toHaveLength(2);

			for (let i = 0; i < 3; i++) {
				expect(await host.poll()).toBeNull();
				expect(await host.restart()).toBeNull();
			}
			expect(await host.activate('update')).toBeNull();
			expect(sim.submits()).toHaveLength(2);
			const [preview] = items(await host.testEvent());
			expect(preview.json.allowance).toMatchObject({
				max_videos: 2,
				submitted_this_activation: 2,
				remaining: 0,
				paused: null,
			});

			await host.activate();
			expect(sim.createdTaskIds()).toHaveLength(3);
			const [again] = items(await host.testEvent());
			expect(again.json.allowance).toMatchObject({
				submitted_this_activation: 1,
				remaining: 1,
				paused: null,
			});
		}, 30_000);

		it('Max Videos per Day: stops for the day, resumes the next day with one item, and a restart changes nothing', async () => {
			fakeDateOnly();
			jest.setSystemTime(new Date('2026-12-01T10:00:00Z'));
			const host = new TriggerHost(harness, { ...generate, maxVideos: 10, maxVideosPerDay: 1 });
			await host.activate();
			const emitted = await pollUntilEmitted(host, 20, true);
			expect(emitted.map((item) => item.json.status)).toEqual(['done', 'limit_reached']);
			expect(emitted[1].json).toMatchObject({
				limit: 'max_videos_per_day',
				max_videos_per_day: 1,
				submitted_today: 1,
				day: '2026-12-01',
			});
			expect(await host.restart()).toBeNull();
			expect(await host.poll()).toBeNull();
			expect(sim.submits()).toHaveLength(1);

			jest.setSystemTime(new Date('2026-12-02T10:00:00Z'));
			const [resumed] = items(await host.poll());
			expect(resumed.json).toMatchObject({
				status: 'submitted',
				task_id: sim.createdTaskIds()[1],
			});
			expect(await host.restart()).toBeNull();
			expect(sim.createdTaskIds()).toHaveLength(2);
		}, 30_000);

		it('bad limits fail the activation before anything is sent', async () => {
			await expect(
				new TriggerHost(harness, { ...generate, maxVideos: 0 }).activate(),
			).rejects.toThrow(/"Max Videos" must be a whole number of at least 1; got number 0/);
			await expect(
				new TriggerHost(harness, { ...generate, maxVideosPerDay: 1.5 }).activate(),
			).rejects.toThrow(/"Max Videos per Day" must be a whole number/);
			expect(sim.requests).toHaveLength(0);
		});
	});

	describe('weeks of watching', () => {
		it('a listed task is emitted once, also 8 days later when Jimeng has forgotten it', async () => {
			const taskId = await submit('kept in the list');
			await sleep(350);
			const host = new TriggerHost(harness, { mode: 'watchTasks', taskIds: taskId });
			expect(items(await host.activate()).map((item) => item.json.status)).toEqual(['done']);
			fakeDateOnly();
			for (const days of [1, 7, 8, 30]) {
				jest.setSystemTime(Date.now() + days * DAY_MS);
				expect(await host.poll()).toBeNull();
				expect(await host.restart()).toBeNull();
			}
		}, 30_000);
	});
});
