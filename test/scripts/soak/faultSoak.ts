/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/**
 * The fault soak: tasks through Generate and Wait and the trigger while the simulator injects rate
 * limits, internal errors, connection resets before and after task creation, a concurrency limit,
 * failed tasks, expired video URLs and truncated downloads. Every input must end delivered intact or
 * as a clean error naming its code; every task the simulator created must be accounted for.
 */
import { createHash } from 'node:crypto';

import type { IBinaryData, IDataObject, INodeExecutionData, IRun } from 'n8n-workflow';

import type { JimengSimulator, SimulatorFaults } from '../../tooling/simulator';
import { binaryBytes, errorOf, outputOf, type Harness } from '../../support/harness';
import { jimengWorkflow, type ItemSpec } from '../../support/workflows';
import { sleep } from '../bench/report';
import type { Capture } from './capture';
import { itemsOf, TriggerHost } from '../../support/triggerHost';

export const SOAK_FAULTS: SimulatorFaults = {
	rate50429: 0.2,
	rate50500: 0.05,
	resetBeforeCreate: 0.01,
	resetAfterCreate: 0.01,
	failRate: 0.1,
	failCode: 50516,
	expireFirstDownload: 1,
	truncateDownload: 0.1,
};
/**
 * Where prompts differ per item (Generate and Wait, Submit) every 10th one carries the simulator's
 * `[sim:fail=50516]` marker: exactly 10% failed tasks, whatever order requests arrive in. The
 * generate-mode trigger repeats one prompt, so there the simulator's random failRate applies.
 */
export const UNIQUE_PROMPT_FAULTS: SimulatorFaults = { ...SOAK_FAULTS, failRate: 0 };
export const FAIL_MARKER = '[sim:fail=50516]';
export const FAIL_EVERY = 10;
/** A short run where every submit's connection breaks after the task is created: the unknown-outcome path, always exercised. */
export const FORCED_RESET_ITEMS = 4;
export const SOAK_CONCURRENCY = 3;
export const SOAK_QUEUE_MS = 300;
export const SOAK_GENERATE_MS = 700;
export const GW_BATCHES = 4;
export const GW_BATCH_SIZE = 20;
export const WATCH_TASKS = 10;
export const GENERATE_TASKS = 10;
const POLL_INTERVAL_S = 0.2;
/** One workflow run is cancelled after this long (the soak is bounded even if something hangs). */
const RUN_LIMIT_MS = 150_000;
const TRIGGER_POLL_GAP_MS = 300;
const TRIGGER_MAX_POLLS = 400;

export interface Video {
	bytes: number;
	sha256: string;
}

export type ItemVerdict =
	| 'delivered'
	| 'clean error'
	| 'unknown outcome'
	| 'broken video'
	| 'unclean error'
	| 'timed out'
	| 'lost';

export interface PartTally {
	part: string;
	asked: number;
	created: number;
	delivered: number;
	cleanErrors: number;
	unknownOutcome: number;
	duplicates: number;
	orphansExplained: number;
	orphansUnexplained: number;
	lost: number;
}

export interface UnknownOutcomeReport {
	part: string;
	saysSo: boolean;
	/** a task really was created for it (reset after creation) */
	taskCreated: boolean;
	hasTime: boolean;
	hasReqKey: boolean;
	hasPrompt: boolean;
	keys: string[];
}

export interface SoakResult {
	tallies: PartTally[];
	problems: string[];
	codes: Map<string, number>;
	unknownOutcomes: UnknownOutcomeReport[];
	faultsFired: Map<string, number>;
	requests: { submits: number; getResults: number; downloads: number; maxConcurrent: number };
	cancelledRuns: number;
}

/** The bytes the simulator serves for every video (the fixture padded to `videoBytes`). */
export function videoDigest(bytes: Buffer): Video {
	return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

// ECONNRESET, HTTP_403, FlowLimitExceeded, not_found: an identifier, not a sentence or null.
const NAMED_CODE = /^[A-Za-z][A-Za-z0-9_]+$/;

/** A per-item error a user can act on: a message, a code, and the code named in the message when numeric. */
function isCleanError(json: IDataObject): boolean {
	const { error, code } = json;
	if (typeof error !== 'string' || error.trim() === '') return false;
	if (typeof code === 'number') return error.includes(String(code));
	return typeof code === 'string' && NAMED_CODE.test(code);
}

function saysTaskMayExist(json: IDataObject): boolean {
	return (
		(json.task_may_exist === true || json.status === 'submit_outcome_unknown') &&
		/may have created the task/i.test(String(json.error ?? ''))
	);
}

function describeUnknown(
	part: string,
	json: IDataObject,
	taskCreated: boolean,
): UnknownOutcomeReport {
	const keys = Object.keys(json);
	return {
		part,
		saysSo: saysTaskMayExist(json),
		taskCreated,
		hasTime: keys.some((key) => /(^|_)(at|time|date|timestamp)$|submitted/i.test(key)),
		hasReqKey: typeof json.req_key === 'string',
		hasPrompt: typeof json.prompt === 'string',
		keys,
	};
}

/** A part's tally before anything is counted. */
export function emptyTally(part: string): PartTally {
	return {
		part,
		asked: 0,
		created: 0,
		delivered: 0,
		cleanErrors: 0,
		unknownOutcome: 0,
		duplicates: 0,
		orphansExplained: 0,
		orphansUnexplained: 0,
		lost: 0,
	};
}

export class FaultSoak {
	private readonly problems: string[] = [];
	private readonly codes = new Map<string, number>();
	private readonly unknownOutcomes: UnknownOutcomeReport[] = [];
	private cancelledRuns = 0;
	/** Generate and Wait parts run so far: keeps every prompt of the soak unique. */
	private parts = 0;

	constructor(
		private readonly harness: Harness,
		private readonly sim: JimengSimulator,
		private readonly video: Video,
		private readonly capture: Capture,
	) {}

	private problem(text: string): void {
		this.problems.push(text);
	}

	private countCode(json: IDataObject): void {
		const key = String(json.code);
		this.codes.set(key, (this.codes.get(key) ?? 0) + 1);
	}

	/** Runs a workflow, cancelling it after RUN_LIMIT_MS; keeps everything it produced for the scan. */
	private async run(label: string, workflow: Parameters<Harness['run']>[0]): Promise<IRun> {
		let cancel: () => void = () => undefined;
		const running = this.harness.run(workflow, { onStarted: (c) => (cancel = c) });
		const timer = setTimeout(() => {
			this.cancelledRuns++;
			cancel();
		}, RUN_LIMIT_MS);
		try {
			const run = await running;
			this.capture.add(`run:${label}`, run.data.resultData);
			return run;
		} finally {
			clearTimeout(timer);
		}
	}

	private async videoOk(item: INodeExecutionData): Promise<boolean> {
		const binary = item.binary?.data as IBinaryData | undefined;
		if (!binary) return false;
		const bytes = await binaryBytes(binary as never);
		const digest = videoDigest(bytes);
		return (
			digest.bytes === this.video.bytes &&
			digest.sha256 === this.video.sha256 &&
			binary.mimeType === 'video/mp4' &&
			binary.fileName === `${String(item.json.task_id)}.mp4`
		);
	}

	/** Created tasks by prompt (prompts are unique per input in this soak). */
	private tasksByPrompt(): Map<string, string[]> {
		const map = new Map<string, string[]>();
		for (const taskId of this.sim.createdTaskIds()) {
			const prompt = String(
				(this.sim.task(taskId)?.body as { prompt?: unknown } | undefined)?.prompt ?? '',
			);
			map.set(prompt, [...(map.get(prompt) ?? []), taskId]);
		}
		return map;
	}

	/** Judges one output item whose input asked for one task with `prompt`. */
	private async judge(
		part: string,
		prompt: string,
		item: INodeExecutionData | undefined,
		created: string[],
	): Promise<ItemVerdict> {
		if (!item) {
			this.problem(`${part}: no output item for "${prompt}"`);
			return 'lost';
		}
		const json = item.json;
		if (json.status === 'done') {
			if (await this.videoOk(item)) return 'delivered';
			this.problem(
				`${part}: "${prompt}" is done but its video is missing or not intact (${JSON.stringify(json).slice(0, 200)})`,
			);
			return 'broken video';
		}
		if (json.timed_out === true) {
			this.problem(`${part}: "${prompt}" timed out (${String(json.task_id)})`);
			return 'timed out';
		}
		if (json.task_may_exist === true || json.status === 'submit_outcome_unknown') {
			this.unknownOutcomes.push(describeUnknown(part, json, created.length > 0));
			this.countCode(json);
			if (!saysTaskMayExist(json) || json.code === null || json.code === undefined) {
				this.problem(
					`${part}: unknown-outcome item for "${prompt}" does not say so: ${String(json.error).slice(0, 160)}`,
				);
				return 'unclean error';
			}
			return 'unknown outcome';
		}
		if (isCleanError(json)) {
			this.countCode(json);
			// A task the node learned about must be named in the item, or nobody can collect it.
			if (created.length > 0 && json.task_id !== created[0]) {
				this.problem(
					`${part}: error item for "${prompt}" lacks task_id ${created[0]} (has ${String(json.task_id)}): ${String(json.error).slice(0, 160)}`,
				);
				return 'unclean error';
			}
			return 'clean error';
		}
		this.problem(
			`${part}: "${prompt}" ended neither delivered nor as a clean error: ${JSON.stringify(json).slice(0, 300)}`,
		);
		return 'unclean error';
	}

	private add(tally: PartTally, verdict: ItemVerdict): void {
		if (verdict === 'delivered') tally.delivered++;
		else if (verdict === 'clean error') tally.cleanErrors++;
		else if (verdict === 'unknown outcome') tally.unknownOutcome++;
		else tally.lost++;
	}

	/**
	 * Duplicates and orphans among the created tasks of `prompts` (one input each), given the task ids
	 * the outputs named. An input must create at most one task; a created task that no output names is
	 * an orphan, explained only by that input's own "task may exist" item (one orphan at most).
	 */
	private reconcile(
		tally: PartTally,
		prompts: string[],
		mentioned: Set<string>,
		unknownPrompts: Set<string>,
	): void {
		const byPrompt = this.tasksByPrompt();
		for (const prompt of prompts) {
			const created = byPrompt.get(prompt) ?? [];
			tally.created += created.length;
			if (created.length > 1) {
				tally.duplicates += created.length - 1;
				this.problem(
					`${tally.part}: "${prompt}" created ${created.length} tasks: ${created.join(', ')}`,
				);
			}
			const orphans = created.filter((taskId) => !mentioned.has(taskId));
			orphans.forEach((taskId, index) => {
				if (index === 0 && unknownPrompts.has(prompt)) {
					tally.orphansExplained++;
				} else {
					tally.orphansUnexplained++;
					this.problem(`${tally.part}: task ${taskId} ("${prompt}") appears in no output`);
				}
			});
		}
	}

	/** ~80 tasks: Generate and Wait batches with Continue On Fail, so each item has its own outcome. */
	async generateAndWait(
		label: string,
		batches: number,
		size: number,
		faults: SimulatorFaults,
	): Promise<PartTally> {
		this.sim.configure({ faults });
		const tally = emptyTally(label);
		const allPrompts: string[] = [];
		const mentioned = new Set<string>();
		const unknownPrompts = new Set<string>();
		const tag = `gw${++this.parts}`;
		for (let batch = 0; batch < batches; batch++) {
			const prompts = Array.from(
				{ length: size },
				(_, i) =>
					`soak ${tag} ${batch + 1}.${i + 1}: lanterns over a river at night${(i + 1) % FAIL_EVERY === 0 ? ` ${FAIL_MARKER}` : ''}`,
			);
			allPrompts.push(...prompts);
			tally.asked += prompts.length;
			const items: ItemSpec[] = prompts.map((prompt) => ({ json: { prompt } }));
			const run = await this.run(
				`generateAndWait#${batch + 1}`,
				jimengWorkflow(
					{
						operation: 'generateAndWait',
						prompt: '={{ $json.prompt }}',
						options: { pollInterval: POLL_INTERVAL_S },
					},
					{ items, continueOnFail: true },
				),
			);
			const stopped = errorOf(run, 'Jimeng Video');
			if (stopped)
				this.problem(`${tally.part}: run ${batch + 1} failed as a whole: ${stopped.message}`);
			const output = stopped ? [] : outputOf(run, 'Jimeng Video');
			if (output.length !== prompts.length)
				this.problem(
					`${tally.part}: run ${batch + 1} returned ${output.length} items for ${prompts.length}`,
				);
			const byPrompt = this.tasksByPrompt();
			for (const [index, prompt] of prompts.entries()) {
				const item = output.find(
					(candidate) => (candidate.pairedItem as { item: number } | undefined)?.item === index,
				);
				const verdict = await this.judge(tally.part, prompt, item, byPrompt.get(prompt) ?? []);
				this.add(tally, verdict);
				if (typeof item?.json.task_id === 'string') mentioned.add(item.json.task_id);
				if (verdict === 'unknown outcome') unknownPrompts.add(prompt);
			}
		}
		this.reconcile(tally, allPrompts, mentioned, unknownPrompts);
		return tally;
	}

	/** ~10 tasks: Submit (Continue On Fail), then a watchTasks trigger over the ids until all are emitted. */
	async watchTasks(): Promise<PartTally[]> {
		this.sim.configure({ faults: UNIQUE_PROMPT_FAULTS });
		const submitTally = emptyTally(`Submit (${WATCH_TASKS} items, for the trigger)`);
		const watchTally = emptyTally('Trigger: watchTasks over those ids');
		const prompts = Array.from(
			{ length: WATCH_TASKS },
			(_, i) =>
				`soak watch ${i + 1}: a lighthouse in a storm${(i + 1) % FAIL_EVERY === 0 ? ` ${FAIL_MARKER}` : ''}`,
		);
		submitTally.asked = prompts.length;
		const run = await this.run(
			'submit',
			jimengWorkflow(
				{ operation: 'submit', prompt: '={{ $json.prompt }}' },
				{ items: prompts.map((prompt) => ({ json: { prompt } })), continueOnFail: true },
			),
		);
		const output = errorOf(run, 'Jimeng Video') ? [] : outputOf(run, 'Jimeng Video');
		const byPrompt = this.tasksByPrompt();
		const ids: string[] = [];
		const idPrompt = new Map<string, string>();
		const unknownPrompts = new Set<string>();
		for (const [index, prompt] of prompts.entries()) {
			const item = output.find(
				(candidate) => (candidate.pairedItem as { item: number } | undefined)?.item === index,
			);
			if (item && typeof item.json.task_id === 'string' && item.json.status === 'in_queue') {
				ids.push(item.json.task_id);
				idPrompt.set(item.json.task_id, prompt);
				continue;
			}
			const verdict = await this.judge(submitTally.part, prompt, item, byPrompt.get(prompt) ?? []);
			this.add(submitTally, verdict);
			if (verdict === 'unknown outcome') unknownPrompts.add(prompt);
		}
		watchTally.asked = ids.length;

		const host = new TriggerHost(this.harness, { mode: 'watchTasks', taskIds: ids.join('\n') });
		const emitted = new Map<string, number>();
		const verdicts = new Map<string, ItemVerdict>();
		let needsActivation = true;
		for (let attempt = 0; attempt < TRIGGER_MAX_POLLS && verdicts.size < ids.length; attempt++) {
			let result: INodeExecutionData[] = [];
			try {
				result = itemsOf(needsActivation ? await host.activate() : await host.poll());
				needsActivation = false;
			} catch (error) {
				// n8n reports a failed poll as an error execution and polls again; a failed activation is retried.
				this.capture.add('trigger:watch:error', error);
				this.checkPollError('watchTasks', error);
			}
			for (const item of result) {
				this.capture.add('trigger:watch:item', item.json);
				// A task started with no video to emit alongside: it is recorded, not finished.
				if (item.json.status === 'submitted') continue;
				const taskId = String(item.json.task_id);
				emitted.set(taskId, (emitted.get(taskId) ?? 0) + 1);
				if (emitted.get(taskId)! > 1) continue;
				verdicts.set(
					taskId,
					await this.judge(watchTally.part, idPrompt.get(taskId) ?? taskId, item, [taskId]),
				);
			}
			if (verdicts.size < ids.length) await sleep(TRIGGER_POLL_GAP_MS);
		}
		// A few more polls after the last emission: nothing may come twice.
		for (let extra = 0; extra < 3; extra++) {
			await sleep(TRIGGER_POLL_GAP_MS);
			try {
				for (const item of itemsOf(await host.poll()))
					emitted.set(String(item.json.task_id), (emitted.get(String(item.json.task_id)) ?? 0) + 1);
			} catch (error) {
				this.capture.add('trigger:watch:error', error);
			}
		}
		for (const taskId of ids) {
			const verdict = verdicts.get(taskId);
			if (!verdict) this.problem(`${watchTally.part}: task ${taskId} was never emitted`);
			this.add(watchTally, verdict ?? 'lost');
		}
		for (const [taskId, count] of emitted) {
			if (count > 1) {
				watchTally.duplicates += count - 1;
				this.problem(`${watchTally.part}: task ${taskId} emitted ${count} times`);
			}
		}
		this.reconcile(submitTally, prompts, new Set(ids), unknownPrompts);
		// The Submit part created the tasks; the trigger part only delivers them.
		watchTally.created = ids.length;
		return [submitTally, watchTally];
	}

	private checkPollError(mode: string, error: unknown): void {
		const message = error instanceof Error ? error.message : String(error);
		const details = (error as { details?: { code?: unknown; taskMayExist?: boolean } }).details;
		if (details?.taskMayExist) return; // judged by the caller
		if (!/\b(5\d{4}|[A-Z][A-Za-z]+Exceeded|ECONNRESET|may have created)/.test(message)) {
			this.problem(
				`trigger ${mode}: a poll failed with an error that names no code: ${message.slice(0, 200)}`,
			);
		}
	}

	/** ~10 tasks: the generate-mode trigger, reactivated whenever it pauses (as a user would). */
	async generate(): Promise<PartTally> {
		this.sim.configure({ faults: SOAK_FAULTS });
		const tally = emptyTally(`Trigger: generate (until ${GENERATE_TASKS} tasks emitted)`);
		// Halfway, every submit breaks after creating its task until one such outcome was reported:
		// the trigger's unknown-outcome path (pause, reactivate) is always exercised.
		let forcing = false;
		let forcedDone = false;
		const prompt = 'soak trigger: a koi pond in the rain';
		// Max Videos well above the tasks this part needs: the limit itself is tested in triggerSafety.test.ts.
		const host = new TriggerHost(this.harness, {
			mode: 'generate',
			prompt,
			frames: 121,
			aspectRatio: '16:9',
			maxVideos: 1000,
		});
		const emitted = new Map<string, number>();
		let needsActivation = true;
		let taskOutcomes = 0;
		/** submits that failed for good without creating a task (a clean error, not a task outcome) */
		let submitFailures = 0;
		for (let attempt = 0; attempt < TRIGGER_MAX_POLLS && taskOutcomes < GENERATE_TASKS; attempt++) {
			if (!forcing && !forcedDone && taskOutcomes >= GENERATE_TASKS / 2) {
				forcing = true;
				this.sim.configure({ faults: { ...SOAK_FAULTS, resetAfterCreate: 1 } });
			}
			const unknownBefore = tally.unknownOutcome;
			let result: INodeExecutionData[] = [];
			const activating = needsActivation;
			try {
				result = itemsOf(activating ? await host.activate() : await host.poll());
				needsActivation = false;
			} catch (error) {
				this.capture.add('trigger:generate:error', error);
				const details = (error as { details?: { taskMayExist?: boolean } }).details;
				if (activating && details?.taskMayExist) {
					// The activation's own submit broke after sending: n8n shows this error and the workflow
					// stays inactive until activated again. Judged like an unknown-outcome item.
					this.unknownOutcomes.push({
						...describeUnknown(
							tally.part,
							{ error: (error as Error).message, task_may_exist: true },
							false,
						),
						keys: ['(activation error)'],
					});
					tally.unknownOutcome++;
				} else if (activating) {
					submitFailures++;
					tally.cleanErrors++;
					this.checkPollError('generate', error);
				} else {
					this.checkPollError('generate', error);
				}
			}
			for (const item of result) {
				this.capture.add('trigger:generate:item', item.json);
				if (item.json.status === 'submit_outcome_unknown' || item.json.status === 'submit_failed') {
					// Generation paused: reactivating is what the item's note tells the user to do.
					needsActivation = true;
					if (item.json.status === 'submit_outcome_unknown') {
						this.unknownOutcomes.push(describeUnknown(tally.part, item.json, false));
						tally.unknownOutcome++;
						this.countCode(item.json);
						if (!saysTaskMayExist(item.json))
							this.problem(
								`${tally.part}: submit_outcome_unknown item does not say a task may exist`,
							);
					} else {
						submitFailures++;
						if (isCleanError(item.json)) {
							tally.cleanErrors++;
							this.countCode(item.json);
						} else {
							tally.lost++;
							this.problem(
								`${tally.part}: unclear submit failure ${JSON.stringify(item.json).slice(0, 200)}`,
							);
						}
					}
					continue;
				}
				// A task started with no video to emit alongside: it is recorded, not finished.
				if (item.json.status === 'submitted') continue;
				const taskId = String(item.json.task_id);
				emitted.set(taskId, (emitted.get(taskId) ?? 0) + 1);
				if (emitted.get(taskId)! > 1) continue;
				taskOutcomes++;
				this.add(tally, await this.judge(tally.part, `${prompt} (${taskId})`, item, [taskId]));
			}
			if (forcing && tally.unknownOutcome > unknownBefore) {
				forcing = false;
				forcedDone = true;
				this.sim.configure({ faults: SOAK_FAULTS });
			}
			await sleep(TRIGGER_POLL_GAP_MS);
		}
		if (taskOutcomes < GENERATE_TASKS)
			this.problem(
				`${tally.part}: only ${taskOutcomes} tasks emitted within ${TRIGGER_MAX_POLLS} polls`,
			);
		for (const [taskId, count] of emitted) {
			if (count > 1) {
				tally.duplicates += count - 1;
				this.problem(`${tally.part}: task ${taskId} emitted ${count} times`);
			}
		}
		// Every task this trigger created: emitted once, in flight now, or explained by an unknown outcome.
		// Static data as n8n saved it: { "node:<name>": TriggerState }; its undelivered tasks are in flight.
		const saved = JSON.parse(host.saved) as Record<
			string,
			{ generate?: { tasks?: Array<{ taskId: string }> } }
		>;
		const inFlight = new Set(
			Object.values(saved).flatMap((node) => (node.generate?.tasks ?? []).map((t) => t.taskId)),
		);
		const created = this.tasksByPrompt().get(prompt) ?? [];
		tally.created = created.length;
		const orphans = created.filter((taskId) => !emitted.has(taskId) && !inFlight.has(taskId));
		// Same prompt for every task here: an orphan is explained by any unknown outcome not used yet.
		tally.orphansExplained = Math.min(orphans.length, tally.unknownOutcome);
		// Which unknown outcome created which orphan cannot be told apart here; the counts can.
		this.unknownOutcomes
			.filter((u) => u.part === tally.part)
			.forEach((u, index) => (u.taskCreated = index < orphans.length));
		tally.orphansUnexplained = orphans.length - tally.orphansExplained;
		if (tally.orphansUnexplained > 0)
			this.problem(
				`${tally.part}: tasks created but never emitted nor in flight: ${orphans.join(', ')}`,
			);
		tally.asked = taskOutcomes + inFlight.size + tally.unknownOutcome + submitFailures;
		return tally;
	}

	result(tallies: PartTally[]): SoakResult {
		const faultsFired = new Map<string, number>();
		for (const entry of this.sim.requests)
			if (entry.fault) faultsFired.set(entry.fault, (faultsFired.get(entry.fault) ?? 0) + 1);
		const concurrencyRefusals = this.sim.submits().filter((entry) => entry.code === 50430).length;
		if (concurrencyRefusals) faultsFired.set('50430 (concurrency limit 3)', concurrencyRefusals);
		const failedTasks = this.sim
			.createdTaskIds()
			.filter((taskId) => this.sim.task(taskId)?.failCode !== undefined).length;
		if (failedTasks) faultsFired.set('failed task (50516 at query)', failedTasks);
		return {
			tallies,
			problems: this.problems,
			codes: this.codes,
			unknownOutcomes: this.unknownOutcomes,
			faultsFired,
			requests: {
				submits: this.sim.submits().length,
				getResults: this.sim.getResults().length,
				downloads: this.sim.downloads().length,
				maxConcurrent: this.sim.maxConcurrentObserved(),
			},
			cancelledRuns: this.cancelledRuns,
		};
	}
}
