/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/**
 * Model-based property test of the trigger's money guarantees (fast-check). Each run picks one of
 * n8n's poll schedulers and a Max Videos, then applies a random sequence of what n8n and Jimeng do:
 * polls, overlapping polls, polls whose result n8n throws away, polls that outlast their budget,
 * restarts, publishes, Unpublish → Publish, gateway faults around a submit, slow downloads, tasks
 * finishing, and a Retry On Fail run of the node. The real trigger runs in n8n-core's PollContext
 * against the simulator; a tiny model (what the simulator saw, what n8n kept) checks after every step:
 *
 * - after a submit whose outcome is unknown, no submit until the user publishes again;
 * - per activation, submits that may have created a task never exceed Max Videos;
 * - at most one of the trigger's tasks runs at a time (beside tasks it cannot know of);
 * - no finished task is delivered twice; a Retry On Fail run submits each item once;
 * - at the end, with faults gone and every task finished, every accepted task was delivered once
 *   and every unknown outcome was reported.
 *
 * A restart is not applied while a world fact may live only in the process (after a thrown-away poll,
 * before the next kept one): no n8n scheduler saves it then (docs/trigger.md, "What is not covered").
 * A failure prints its seed and the shortest command sequence that breaks an invariant.
 */
import fc from 'fast-check';
import type { INodeExecutionData } from 'n8n-workflow';

import { SUBMIT_ACTION, type RequestLogEntry, type SimulatorFaults } from '../tooling/simulator';
import { outputOf } from '../support/harness';
import { TriggerHost, itemsOf, type Scheduler, type SchedulerConfig } from '../support/triggerHost';
import { useSimulator } from '../support/useSimulator';
import { jimengWorkflow } from '../support/workflows';

const TRIGGER_PROMPT = 'property: a heron at dawn';
const NODE_PROMPT = 'property: retried item';
const RUNS = Number(process.env.PROPERTY_RUNS ?? 250);
/** Answers to a submit that do not prove it was refused (the simulator knows; the client cannot). */
const UNKNOWN_FAULTS = new Set([
	'gatewayTimeoutAfterCreate',
	'resetAfterCreate',
	'invalidHttpAfterCreate',
	'truncatedAnswerAfterCreate',
	'htmlErrorPage',
	'gatewayErrorBeforeCreate',
	'rate50500',
	'rate50501',
]);

interface Model {
	scheduler: Scheduler;
	maxVideos: number;
	/** a world fact may live in the process alone: no restart now */
	exposed: boolean;
	/** the simulator's last request seq at each user activation (the first: the run's start) */
	activations: number[];
	/** kept deliveries of ended tasks, by task id */
	delivered: Map<string, number>;
	/** kept `submit_outcome_unknown` items */
	unknownReports: number;
}

interface Real {
	host: TriggerHost;
}

describe('the trigger under random schedules (model-based)', () => {
	const { sim, harness } = useSimulator(
		{ queueMs: 3_600_000, generateMs: 3_600_000, seed: 77 },
		{ queueMs: 3_600_000, generateMs: 3_600_000, concurrency: null, faults: {} },
	);

	const triggerSubmits = (): RequestLogEntry[] =>
		sim.requests.filter(
			(e) =>
				e.action === SUBMIT_ACTION && (e.body as { prompt?: string })?.prompt === TRIGGER_PROMPT,
		);
	const lastSeq = () => sim.requests.reduce((last, e) => Math.max(last, e.seq), 0);
	const isUnknown = (e: RequestLogEntry) =>
		(e.fault !== null && UNKNOWN_FAULTS.has(e.fault)) || e.code === 50500 || e.code === 50501;
	const mayHaveCreated = (e: RequestLogEntry) => e.taskCreated || isUnknown(e);
	const accepted = (e: RequestLogEntry) => e.taskCreated && !isUnknown(e);

	/** Records what n8n kept of a poll: deliveries and unknown-outcome reports. */
	function keep(model: Model, items: INodeExecutionData[]): void {
		for (const { json } of items) {
			if (json.status === 'done' || json.status === 'failed') {
				const id = String(json.task_id);
				model.delivered.set(id, (model.delivered.get(id) ?? 0) + 1);
			}
			if (json.status === 'submit_outcome_unknown') model.unknownReports++;
		}
	}

	function checkInvariants(model: Model): void {
		const submits = triggerSubmits();
		const windows = [...model.activations, Infinity];
		for (let w = 0; w < model.activations.length; w++) {
			const inWindow = submits.filter((e) => e.seq > windows[w] && e.seq <= windows[w + 1]);
			const firstUnknown = inWindow.findIndex(isUnknown);
			if (firstUnknown >= 0)
				expect({ window: w, submitsAfterUnknown: inWindow.slice(firstUnknown + 1).length }).toEqual(
					{
						window: w,
						submitsAfterUnknown: 0,
					},
				);
			expect(inWindow.filter(mayHaveCreated).length).toBeLessThanOrEqual(model.maxVideos);
		}
		const running = sim
			.createdTaskIds()
			.map((id) => sim.task(id)!)
			.filter((t) => (t.body as { prompt?: string })?.prompt === TRIGGER_PROMPT)
			.filter((t) => t.state === 'in_queue' || t.state === 'generating');
		const unknownCreated = submits.filter((e) => e.taskCreated && isUnknown(e)).length;
		expect(running.length).toBeLessThanOrEqual(1 + unknownCreated);
		for (const [id, count] of model.delivered) expect({ id, count }).toEqual({ id, count: 1 });
	}

	// ---- commands ---------------------------------------------------------------------------------

	type Command = fc.AsyncCommand<Model, Real>;
	const command = (
		name: string,
		run: (model: Model, real: Real) => Promise<void>,
		check: (model: Model) => boolean = () => true,
	): Command => ({
		check,
		run: async (model, real) => {
			await run(model, real);
			checkInvariants(model);
		},
		toString: () => name,
	});

	const kept = async (model: Model, poll: Promise<INodeExecutionData[][] | null>) => {
		const result = await poll;
		keep(model, itemsOf(result));
		// A kept poll is saved when it emits (in every scheduler) or, with durable cursors, always.
		if (result !== null || model.scheduler === 'durableCursors') model.exposed = false;
	};

	const poll = command('poll', async (model, { host }) => kept(model, host.poll()));
	const droppedPoll = command('poll, result thrown away', async (model, { host }) => {
		await host.poll({ drop: true });
		model.exposed = true;
	});
	const overlappingPolls = command(
		'two overlapping polls, slow video link',
		async (model, { host }) => {
			sim.configure({ faults: { downloadDelayMs: 30 } });
			try {
				await Promise.all([kept(model, host.poll()), kept(model, host.poll())]);
			} finally {
				sim.configure({ faults: {} });
			}
		},
	);
	const abandonedPoll = command(
		'poll outlasting its budget (abandoned), a tick meanwhile',
		async (model, { host }) => {
			sim.configure({ faults: { latencyMs: 40 } });
			try {
				const abandoned = host.abandonedPoll();
				await kept(model, host.poll());
				await abandoned.finished;
			} finally {
				sim.configure({ faults: {} });
			}
			model.exposed = true;
		},
		(model) => model.scheduler !== 'inProcess',
	);
	const faultyPoll = (fault: keyof SimulatorFaults) =>
		command(`poll with ${fault}`, async (model, { host }) => {
			sim.configure({ faults: { [fault]: 1 } });
			try {
				await kept(model, host.poll());
			} finally {
				sim.configure({ faults: {} });
			}
		});
	const concurrencyRefusal = command(
		'poll while another workflow holds the only slot',
		async (model, { host }) => {
			sim.configure({ concurrency: 0 });
			try {
				await kept(model, host.poll());
			} finally {
				sim.configure({ concurrency: null });
			}
		},
	);
	const restart = command(
		'restart n8n',
		async (model, { host }) => kept(model, host.restart()),
		(model) => !model.exposed,
	);
	const publishChange = command('publish a change', async (model, { host }) =>
		kept(model, host.activate('update')),
	);
	const republish = command('unpublish, then publish', async (model, { host }) => {
		model.activations.push(lastSeq());
		await kept(model, host.activate('activate'));
	});
	const finishOne = command('one task finishes', async () => {
		const running = sim
			.createdTaskIds()
			.filter((id) => ['in_queue', 'generating'].includes(sim.task(id)!.state));
		if (running.length) sim.finishTask(running[0]);
	});
	const retryOnFail = (fault: keyof SimulatorFaults) =>
		command(`Submit with Retry On Fail after ${fault}`, async () => {
			const before = sim.submits().length;
			sim.configure({ faults: { [fault]: 1 } });
			try {
				const run = await harness.run(
					jimengWorkflow(
						{ operation: 'submit', prompt: NODE_PROMPT },
						{
							nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 },
							continueOnFail: true,
						},
					),
				);
				expect(outputOf(run, 'Jimeng Video')[0].json.task_may_exist).toBe(true);
			} finally {
				sim.configure({ faults: {} });
			}
			expect(sim.submits().length - before).toBe(1);
		});

	const commands = [
		fc.constant(poll),
		fc.constant(poll),
		fc.constant(finishOne),
		fc.constant(finishOne),
		fc.constant(droppedPoll),
		fc.constant(overlappingPolls),
		fc.constant(abandonedPoll),
		fc.constantFrom(
			faultyPoll('gatewayTimeoutAfterCreate'),
			faultyPoll('resetAfterCreate'),
			faultyPoll('invalidHttpAfterCreate'),
			faultyPoll('rate50500'),
			faultyPoll('rate50429'),
			faultyPoll('htmlErrorPage'),
		),
		fc.constant(concurrencyRefusal),
		fc.constant(restart),
		fc.constant(publishChange),
		fc.constant(republish),
		fc.constantFrom(
			retryOnFail('gatewayTimeoutAfterCreate'),
			retryOnFail('invalidHttpAfterCreate'),
		),
	];

	/** Faults gone, every task finished, polls until nothing is left: then nothing may be missing. */
	async function settle(model: Model, host: TriggerHost): Promise<void> {
		sim.configure({ faults: {}, concurrency: null });
		for (let i = 0; i < 3 * (model.maxVideos + 3); i++) {
			for (const id of sim.createdTaskIds()) sim.finishTask(id);
			await kept(model, host.poll());
			checkInvariants(model);
		}
		const submits = triggerSubmits();
		for (const entry of submits.filter(accepted))
			expect({ task: entry.taskId, delivered: model.delivered.get(entry.taskId!) ?? 0 }).toEqual({
				task: entry.taskId,
				delivered: 1,
			});
		const windows = [...model.activations, Infinity];
		const windowsWithUnknown = model.activations.filter((start, w) =>
			submits.some((e) => e.seq > start && e.seq <= windows[w + 1] && isUnknown(e)),
		).length;
		expect(model.unknownReports).toBe(windowsWithUnknown);
	}

	it(`holds its invariants over ${RUNS} random schedules`, async () => {
		const started = Date.now();
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom<Scheduler>('inProcess', 'durable', 'durableCursors'),
				fc.constantFrom<SchedulerConfig>(
					{ pollTimeoutSec: 45, leaseDurationSec: 60 },
					{ pollTimeoutSec: 600, leaseDurationSec: 600 },
				),
				fc.integer({ min: 1, max: 4 }),
				fc.commands(commands, { maxCommands: 14 }),
				async (scheduler, config, maxVideos, cmds) => {
					sim.reset();
					sim.configure({
						queueMs: 3_600_000,
						generateMs: 3_600_000,
						concurrency: null,
						faults: {},
					});
					const host = new TriggerHost(
						harness,
						{
							mode: 'generate',
							prompt: TRIGGER_PROMPT,
							frames: 121,
							aspectRatio: '16:9',
							maxVideos,
						},
						scheduler,
						config,
					);
					const model: Model = {
						scheduler,
						maxVideos,
						exposed: false,
						activations: [0],
						delivered: new Map(),
						unknownReports: 0,
					};
					const first = await host.activate('activate');
					keep(model, itemsOf(first));
					await fc.asyncModelRun(() => ({ model, real: { host } }), cmds);
					await settle(model, host);
				},
			),
			{ numRuns: RUNS, verbose: 1 },
		);
		// eslint-disable-next-line no-console
		console.log(
			`trigger property: ${RUNS} random schedules in ${((Date.now() - started) / 1000).toFixed(1)} s`,
		);
	}, 180_000);
});
