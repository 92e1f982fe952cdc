/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/**
 * The model-based property test of trigger.property.test.ts, on Seedance (API = Ark): the same state
 * machine behind the Ark adapter, whose creates add one twist — an answer lost after the task was made
 * is looked up in the account's task list and the task adopted. Random schedules of polls, overlapping
 * polls, thrown-away and abandoned polls, restarts, publishes, Unpublish → Publish, create faults
 * (5xx before and after the task was made, resets, bytes that are not HTTP, cut-off answers, HTML pages,
 * throttling, the queued-task cap) under all three n8n poll schedulers. Checked after every step:
 * creates that may have made a task never exceed Max Videos per activation; at most one of the
 * trigger's tasks runs beside those it cannot know of; no ended task is delivered twice. At the end,
 * with faults gone and every task ended: every task the trigger made was delivered once, unless its
 * create's answer was lost and listing did not find it — then a pause reported it, and nothing was
 * created after it until the user published again.
 */
import fc from 'fast-check';
import type { INodeExecutionData } from 'n8n-workflow';

import type { ArkFaults, ArkRequestLogEntry } from '../tooling/simulator';
import { TriggerHost, itemsOf, type Scheduler, type SchedulerConfig } from '../support/triggerHost';
import { useSeedanceSimulator } from '../support/seedance';
import { sleep } from '../support/time';

const PROMPT = 'property: a koi pond in the rain';
const MODEL = 'doubao-seedance-1-0-pro-fast-251015';
const RUNS = Number(process.env.PROPERTY_RUNS_ARK ?? 40);
/** Create answers that do not prove the create was refused. */
const AMBIGUOUS = new Set([
	'serverErrorBeforeCreate',
	'serverErrorAfterCreate',
	'gatewayErrorAfterCreate',
	'resetAfterCreate',
	'invalidHttpAfterCreate',
	'truncatedAfterCreate',
	'gatewayPage',
]);
const TASK_MS = 90;

interface Model {
	scheduler: Scheduler;
	maxVideos: number;
	exposed: boolean;
	/** the simulator's last request seq at each user activation */
	activations: number[];
	delivered: Map<string, number>;
	pauseReports: number;
}

describe('the trigger on Seedance under random schedules (model-based)', () => {
	const { ark, harness } = useSeedanceSimulator({ seed: 91, queueMs: 30, generateMs: 60 });

	const creates = (): ArkRequestLogEntry[] =>
		ark.creates().filter((e) => {
			const content = (e.body as { content?: Array<{ text?: string }> } | null)?.content;
			return content?.[0]?.text === PROMPT;
		});
	const ambiguous = (e: ArkRequestLogEntry) => e.fault !== null && AMBIGUOUS.has(e.fault);
	const mayHaveCreated = (e: ArkRequestLogEntry) => e.taskCreated || ambiguous(e);
	const lastSeq = () => ark.requests.reduce((last, e) => Math.max(last, e.seq), 0);

	function keep(model: Model, items: INodeExecutionData[]): void {
		for (const { json } of items) {
			if (['succeeded', 'failed', 'expired', 'cancelled'].includes(String(json.status))) {
				const id = String(json.task_id);
				model.delivered.set(id, (model.delivered.get(id) ?? 0) + 1);
			}
			if (json.status === 'submit_outcome_unknown') model.pauseReports++;
		}
	}

	function windows(model: Model): ArkRequestLogEntry[][] {
		const bounds = [...model.activations, Infinity];
		return model.activations.map((start, w) =>
			creates().filter((e) => e.seq > start && e.seq <= bounds[w + 1]),
		);
	}

	function checkInvariants(model: Model): void {
		for (const inWindow of windows(model))
			expect(inWindow.filter(mayHaveCreated).length).toBeLessThanOrEqual(model.maxVideos);
		const running = creates()
			.filter((e) => e.taskCreated)
			.map((e) => ark.task(e.taskId!))
			.filter((t) => t && (t.status === 'queued' || t.status === 'running'));
		const unknownCreated = creates().filter((e) => e.taskCreated && ambiguous(e)).length;
		expect(running.length).toBeLessThanOrEqual(1 + unknownCreated);
		for (const [id, count] of model.delivered) expect({ id, count }).toEqual({ id, count: 1 });
	}

	type Command = fc.AsyncCommand<Model, { host: TriggerHost }>;
	const command = (
		name: string,
		run: (model: Model, host: TriggerHost) => Promise<void>,
		check: (model: Model) => boolean = () => true,
	): Command => ({
		check,
		run: async (model, real) => {
			await run(model, real.host);
			checkInvariants(model);
		},
		toString: () => name,
	});
	const kept = async (model: Model, poll: Promise<INodeExecutionData[][] | null>) => {
		const result = await poll;
		keep(model, itemsOf(result));
		if (result !== null || model.scheduler === 'durableCursors') model.exposed = false;
	};
	const withFaults = async (faults: ArkFaults, fn: () => Promise<void>) => {
		ark.configure({ faults });
		try {
			await fn();
		} finally {
			ark.configure({ faults: {} });
		}
	};

	const commands = [
		fc.constant(command('poll', (model, host) => kept(model, host.poll()))),
		fc.constant(command('tasks run on', async () => await sleep(TASK_MS))),
		fc.constant(
			command('poll, result thrown away', async (model, host) => {
				await host.poll({ drop: true });
				model.exposed = true;
			}),
		),
		fc.constant(
			command('two overlapping polls', (model, host) =>
				Promise.all([kept(model, host.poll()), kept(model, host.poll())]).then(() => undefined),
			),
		),
		fc.constant(
			command(
				'poll outlasting its budget',
				async (model, host) => {
					await withFaults({ latencyMs: 30 }, async () => {
						const abandoned = host.abandonedPoll();
						await kept(model, host.poll());
						await abandoned.finished;
					});
					model.exposed = true;
				},
				(model) => model.scheduler !== 'inProcess',
			),
		),
		fc.constantFrom(
			...(
				[
					'serverErrorAfterCreate',
					'resetAfterCreate',
					'invalidHttpAfterCreate',
					'truncatedAfterCreate',
					'serverErrorBeforeCreate',
					'rateLimit',
				] as const
			).map((fault) =>
				command(`poll with ${fault}`, (model, host) =>
					withFaults({ [fault]: 1 }, () => kept(model, host.poll())),
				),
			),
		),
		fc.constant(
			command('poll at the queued-task cap', async (model, host) => {
				ark.configure({ maxQueued: 0 });
				try {
					await kept(model, host.poll());
				} finally {
					ark.configure({ maxQueued: null });
				}
			}),
		),
		fc.constant(
			command(
				'restart n8n',
				(model, host) => kept(model, host.restart()),
				(model) => !model.exposed,
			),
		),
		fc.constant(command('publish a change', (model, host) => kept(model, host.activate('update')))),
		fc.constant(
			command('unpublish, then publish', async (model, host) => {
				model.activations.push(lastSeq());
				await kept(model, host.activate('activate'));
			}),
		),
	];

	async function settle(model: Model, host: TriggerHost): Promise<void> {
		ark.configure({ faults: {}, maxQueued: null });
		// Until nothing runs and two polls in a row emit nothing (bounded).
		for (let i = 0, quiet = 0; i < 3 * (model.maxVideos + 3) && quiet < 2; i++) {
			await sleep(TASK_MS);
			const result = await host.poll();
			keep(model, itemsOf(result));
			checkInvariants(model);
			const running = ark
				.createdTaskIds()
				.some((id) => ['queued', 'running'].includes(String(ark.task(id)?.status)));
			quiet = result === null && !running ? quiet + 1 : 0;
		}
		let pausedWindows = 0;
		for (const inWindow of windows(model)) {
			// A create is "lost" when its task (if any) never reached the user: listing did not find it.
			const lost = inWindow.filter(
				(e) => ambiguous(e) && !(e.taskId && model.delivered.has(e.taskId)),
			);
			if (lost.length) {
				pausedWindows++;
				expect(inWindow.slice(inWindow.indexOf(lost[0]) + 1)).toEqual([]);
			}
			for (const e of inWindow.filter((c) => c.taskCreated && !lost.includes(c)))
				expect({ task: e.taskId, delivered: model.delivered.get(e.taskId!) ?? 0 }).toEqual({
					task: e.taskId,
					delivered: 1,
				});
		}
		expect(model.pauseReports).toBe(pausedWindows);
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
				fc.integer({ min: 1, max: 3 }),
				fc.commands(commands, { maxCommands: 10 }),
				async (scheduler, config, maxVideos, cmds) => {
					ark.reset();
					ark.configure({ queueMs: 30, generateMs: 60, faults: {}, maxQueued: null });
					const host = new TriggerHost(
						harness,
						{
							api: 'ark',
							mode: 'generate',
							model: MODEL,
							prompt: PROMPT,
							ratio: '16:9',
							duration: 5,
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
						pauseReports: 0,
					};
					keep(model, itemsOf(await host.activate('activate')));
					await fc.asyncModelRun(() => ({ model, real: { host } }), cmds);
					await settle(model, host);
				},
			),
			{ numRuns: RUNS, verbose: 1 },
		);
		// eslint-disable-next-line no-console
		console.log(
			`trigger property (Seedance): ${RUNS} random schedules in ${((Date.now() - started) / 1000).toFixed(1)} s`,
		);
	}, 240_000);
});
