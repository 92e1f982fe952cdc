/**
 * Generate mode under each of n8n 2.41's poll schedulers, with what they do to a poll: long leased
 * budgets, fresh contexts, durable cursors, results thrown away (a publish supersedes the poll, a poll
 * outlasts its budget). test/support/triggerHost.ts models each scheduler as docs/trigger.md cites it.
 * Each case here paid for more than one task, or lost one, before the trigger became a state machine.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { TriggerHost, itemsOf as items, type Scheduler } from '../support/triggerHost';
import { useSimulator } from '../support/useSimulator';
import { sleep } from '../support/time';

const generate = { mode: 'generate', prompt: 'Waves at dawn', frames: 121, aspectRatio: '16:9' };
/** N8N_SCHEDULER_POLL_TIMEOUT = N8N_SCHEDULER_LEASE_DURATION = 600 s: a 480 s budget per poll. */
const LONG_LEASE = { pollTimeoutSec: 600, leaseDurationSec: 600 };

describe('generate mode under n8n’s poll schedulers', () => {
	const { sim, harness } = useSimulator(
		{ queueMs: 100, generateMs: 150, seed: 9 },
		{ queueMs: 100, generateMs: 150, concurrency: null, faults: {} },
	);

	const statuses = (emitted: INodeExecutionData[]) => emitted.map((item) => item.json.status);

	describe.each<Scheduler>(['durable', 'durableCursors'])('%s, 600 s lease', (scheduler) => {
		it('Max Videos 1 over 10 scheduled polls: one task, its video once, one limit notice', async () => {
			const host = new TriggerHost(harness, { ...generate, maxVideos: 1 }, scheduler, LONG_LEASE);
			const emitted: INodeExecutionData[] = [...items(await host.activate())];
			for (let poll = 0; poll < 10; poll++) {
				await sleep(60);
				emitted.push(...items(await host.poll()));
			}
			expect(sim.createdTaskIds()).toHaveLength(1);
			expect(sim.submits()).toHaveLength(1);
			expect(statuses(emitted)).toEqual(['submitted', 'done', 'limit_reached']);
			expect(emitted[1].json.task_id).toBe(sim.createdTaskIds()[0]);
		}, 30_000);

		it('after an unknown submit outcome, no scheduled poll submits again (the pause holds)', async () => {
			const host = new TriggerHost(harness, generate, scheduler, LONG_LEASE);
			await host.activate();
			await sleep(300);
			sim.configure({ faults: { resetAfterCreate: 1 } });
			expect(statuses(items(await host.poll()))).toEqual(['done', 'submit_outcome_unknown']);
			sim.configure({ faults: {} });
			for (let poll = 0; poll < 5; poll++) expect(await host.poll()).toBeNull();
			expect(sim.submits()).toHaveLength(2);
			expect(sim.createdTaskIds()).toHaveLength(2);
		}, 30_000);
	});

	describe('a poll whose result n8n throws away', () => {
		/** Polls until `count` videos came out; every item of those polls is returned. */
		async function pollForVideos(host: TriggerHost, count: number): Promise<INodeExecutionData[]> {
			const emitted: INodeExecutionData[] = [];
			for (
				let poll = 0;
				poll < 30 && statuses(emitted).filter((s) => s === 'done').length < count;
				poll++
			) {
				emitted.push(...items(await host.poll()));
				await sleep(100);
			}
			return emitted;
		}

		/** Each video once, in submit order; one task in flight; one submit per task. */
		function expectNothingPaidTwice(videos: INodeExecutionData[]): void {
			const created = sim.createdTaskIds();
			expect(videos.map((item) => item.json.task_id)).toEqual(created.slice(0, videos.length));
			expect(created).toHaveLength(videos.length + 1);
			expect(sim.submits()).toHaveLength(created.length);
		}

		it('in-process: a publish supersedes a slow poll that submitted; the next poll adopts its task', async () => {
			const host = new TriggerHost(harness, generate);
			await host.activate();
			await sleep(300);
			sim.configure({ faults: { latencyMs: 400 } });
			const slow = host.poll({ drop: true }); // superseded: n8n discards what it returns
			await sleep(100);
			expect(await host.activate('update')).toBeNull(); // the new version's activation poll: the old one still runs
			await slow;
			sim.configure({ faults: {} });
			expect(sim.createdTaskIds()).toHaveLength(2);
			// The first video was in the discarded result: it comes again, and the adopted task goes on.
			const videos = (await pollForVideos(host, 3)).filter((item) => item.json.status === 'done');
			expect(videos).toHaveLength(3);
			expectNothingPaidTwice(videos);
		}, 30_000);

		it('durable: a poll that outlasts its budget runs on; its task is adopted, never paid for twice', async () => {
			const host = new TriggerHost(harness, generate, 'durable');
			await host.activate();
			await sleep(300);
			sim.configure({ faults: { latencyMs: 500 } });
			const abandoned = host.abandonedPoll();
			await sleep(50);
			// While it runs, the next scheduled polls do nothing.
			expect(await host.poll()).toBeNull();
			await abandoned.finished;
			sim.configure({ faults: {} });
			expect(sim.createdTaskIds()).toHaveLength(2);
			const videos = (await pollForVideos(host, 3)).filter((item) => item.json.status === 'done');
			expect(videos).toHaveLength(3);
			expectNothingPaidTwice(videos);
		}, 30_000);

		it('a `submitted` item thrown away is emitted again, so that n8n saves the task before a restart', async () => {
			const host = new TriggerHost(harness, generate, 'durable');
			expect(await host.activate()).not.toBeNull();
			await sleep(300);
			// The poll finds the video, submits the next task, and its emission is thrown away.
			expect(await host.poll({ drop: true })).toBeNull();
			const [again] = items(await host.poll());
			expect(again.json).toMatchObject({ status: 'done', task_id: sim.createdTaskIds()[0] });
			// The second task is saved with that emission: a restart now loses nothing.
			expect(await host.restart()).toBeNull();
			await sleep(300);
			const [second] = items(await host.poll());
			expect(second.json).toMatchObject({ status: 'done', task_id: sim.createdTaskIds()[1] });
			expect(sim.createdTaskIds()).toHaveLength(3);
		}, 30_000);
	});

	it('no submit starts when the poll budget could not wait for its answer (a 21 s poll timeout)', async () => {
		const host = new TriggerHost(harness, generate, 'durable', {
			pollTimeoutSec: 21,
			leaseDurationSec: 60,
		});
		await host.activate(); // the activation poll has n8n's full 5 minutes
		await sleep(300);
		const emitted = items(await host.poll());
		expect(statuses(emitted)).toEqual(['done']);
		expect(sim.submits()).toHaveLength(1);
	}, 30_000);
});
