/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The money and duplicate guarantees, in a real n8n (issue "never pay twice, never emit twice"):
 * - a submit answered by the gateway's InternalServiceTimeout (HTTP 504) after the task was created
 *   is sent once, and its item says `task_may_exist` (Submit and Generate and Wait);
 * - HTML 502 pages from a load balancer on Get Result are ridden out;
 * - overlapping polls of an active trigger (a slow video link makes a poll outlast the 1-minute
 *   interval) emit each task once.
 * Runs on its own simulator and credential, so the other checks' traffic and seeds are untouched.
 */
import assert from 'node:assert/strict';

import type { ExecutionRun } from '../../tooling/n8n-host/n8nCli';
import type { N8nHost } from '../../tooling/n8n-host/host';
import { startN8n, type N8nServer } from '../../tooling/n8n-host/server';
import type { UserFolder } from '../../tooling/n8n-host/userFolder';
import {
	GET_RESULT_ACTION,
	JimengSimulator,
	SUBMIT_ACTION,
	type RequestLogEntry,
} from '../../tooling/simulator';
import type { Report } from './report';
import { nodeItems, submitTask, waitFor, type ExecuteOutcome, type RunItem } from './support';
import {
	loadExample,
	nodeNamed,
	useCredential,
	type CredentialRef,
	type Workflow,
} from './workflows';
import { simulatorCredentialData } from '../../support/simulatorCredential';

export const HARDENING_CHECKS = {
	submit504: 'Retry On Fail after 504 / not HTTP: sent once',
	html502: 'Get Result rides out HTML 502 pages',
	overlap: 'Overlapping trigger polls emit once',
	durable: 'Durable scheduler (600 s lease): Max Videos 1',
	cursors: 'Durable cursors (600 s lease): Max Videos 1',
} as const;

/** N8N_SCHEDULER_POLL_TIMEOUT = N8N_SCHEDULER_LEASE_DURATION = 600 s: every scheduled poll gets a 480 s budget. */
const LONG_LEASE_ENV = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TIMEOUT: '600',
	N8N_SCHEDULER_LEASE_DURATION: '600',
};
const DURABLE_MODES = {
	durable: { workflowId: 'E2eTriggerDurabl', env: LONG_LEASE_ENV },
	cursors: {
		workflowId: 'E2eTriggerCursor',
		env: {
			...LONG_LEASE_ENV,
			N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
			N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
		},
	},
} as const;
/** The generate task's time in queue + generating: scheduled polls find it running, then done. */
const DURABLE_TASK_MS = { queueMs: 20_000, generateMs: 55_000 };
/** Unknown-outcome faults a Retry On Fail run meets after the task was created. */
const AFTER_CREATE_FAULTS = [
	['gatewayTimeoutAfterCreate', 'InternalServiceTimeout'],
	['invalidHttpAfterCreate', null],
] as const;

const CREDENTIAL: CredentialRef = { id: 'E2eJimengHarden1', name: 'Jimeng simulator (hardening)' };
/** Two downloads of this in one poll (the trigger downloads one task after the other) outlast its 1-minute interval. */
const SLOW_DOWNLOAD_MS = 40_000;

export interface HeadlessRunner {
	execute: (workflow: Workflow) => Promise<ExecuteOutcome>;
	expectSuccess: (run: ExecuteOutcome) => ExecutionRun;
	expectVideo: (item: RunItem) => unknown;
}

const withId = (workflow: Workflow, id: string, name: string): Workflow => ({
	...workflow,
	id,
	name,
});

export class HardeningChecks {
	readonly sim: JimengSimulator;
	private doneTaskId = '';
	private overlapTaskIds: string[] = [];

	constructor(
		private readonly report: Report,
		private readonly repoDir: string,
		log: (line: string) => void,
	) {
		this.sim = new JimengSimulator({
			queueMs: 200,
			generateMs: 500,
			seed: 11,
			log: (line) => log(`[hardening-sim] ${line}`),
		});
	}

	private get credentialData(): Record<string, unknown> {
		return simulatorCredentialData(this.sim.url);
	}

	private async submitDirect(prompt: string): Promise<string> {
		const { taskId } = await submitTask(this.repoDir, this.credentialData, {
			model: 'jimeng_ti2v_v30_pro',
			prompt,
		});
		return taskId;
	}

	/** Starts the simulator and creates the finished task Get Result will ask for. */
	async start(): Promise<void> {
		await this.sim.start();
		this.doneTaskId = await this.submitDirect(
			'A paper boat on a rain puddle (e2e Get Result behind error pages)',
		);
		this.report.note(`hardening simulator ${this.sim.url}; task ${this.doneTaskId} for Get Result`);
	}

	async stop(): Promise<void> {
		await this.sim.stop();
	}

	credentials(): Array<CredentialRef & { type: string; data: Record<string, unknown> }> {
		return [{ ...CREDENTIAL, type: 'volcengineApi', data: this.credentialData }];
	}

	workflows(): Workflow[] {
		return [
			this.submitWorkflow('submit'),
			this.submitWorkflow('generateAndWait'),
			this.getResultWorkflow(),
			this.triggerWorkflow(),
			this.generateWorkflow('durable'),
			this.generateWorkflow('cursors'),
		];
	}

	private submitWorkflow(operation: 'submit' | 'generateAndWait'): Workflow {
		const id = operation === 'submit' ? 'E2eSubmit504Once' : 'E2eGenWait504One';
		const workflow = exampleWorkflow(
			'text-to-video.json',
			id,
			`E2E: ${operation} with Retry On Fail after an unknown outcome`,
		);
		const node = nodeNamed(workflow, 'Jimeng Video');
		node.parameters = { ...node.parameters, operation, options: { pollInterval: 0.5 } };
		// The item carries the error (continue on fail), as a workflow that routes failures would see
		// it; Retry On Fail re-runs the node on it (n8n retries an item with an error), 3 tries.
		node.onError = 'continueRegularOutput';
		Object.assign(node, { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 });
		return workflow;
	}

	private getResultWorkflow(): Workflow {
		const workflow = exampleWorkflow(
			'text-to-video.json',
			'E2eGetResultHtml',
			'E2E: Get Result behind HTML 502 pages',
		);
		const node = nodeNamed(workflow, 'Jimeng Video');
		node.parameters = { operation: 'getResult', taskId: this.doneTaskId };
		return workflow;
	}

	private triggerWorkflow(): Workflow {
		const workflow = exampleWorkflow(
			'trigger-watch-tasks.json',
			'E2eTriggerOverlp',
			'E2E: trigger behind a slow video link',
		);
		const trigger = nodeNamed(workflow, 'Jimeng Video Trigger');
		const pollTimes = trigger.parameters.pollTimes as
			| { item?: Array<{ mode?: string }> }
			| undefined;
		if (pollTimes?.item?.[0]?.mode !== 'everyMinute')
			throw new Error(
				`"${workflow.name}" no longer polls every minute: ${JSON.stringify(pollTimes)}`,
			);
		// Filled in just before activation (the tasks are created then); imported inactive.
		trigger.parameters.taskIds = '';
		return workflow;
	}

	private generateWorkflow(mode: keyof typeof DURABLE_MODES): Workflow {
		const workflow = exampleWorkflow(
			'trigger-generate.json',
			DURABLE_MODES[mode].workflowId,
			`E2E: generate under the ${mode === 'durable' ? 'durable poll scheduler' : 'durable poll cursors'}`,
		);
		const trigger = nodeNamed(workflow, 'Jimeng Video Trigger');
		if (trigger.parameters.mode !== 'generate')
			throw new Error(`"${workflow.name}" is not in generate mode`);
		trigger.parameters.maxVideos = 1;
		trigger.parameters.prompt = `A heron takes off over a lake (e2e, ${mode})`;
		return workflow;
	}

	private since(mark: number): RequestLogEntry[] {
		return this.sim.requests.slice(mark);
	}

	// ---- headless (n8n execute) -------------------------------------------------------------------

	async checkSubmit504(runner: HeadlessRunner): Promise<void> {
		for (const operation of ['submit', 'generateAndWait'] as const) {
			for (const [fault, code] of AFTER_CREATE_FAULTS) {
				const mark = this.sim.requests.length;
				this.sim.configure({ faults: { [fault]: 1 } });
				let run: ExecutionRun;
				try {
					run = runner.expectSuccess(await runner.execute(this.submitWorkflow(operation)));
				} finally {
					this.sim.configure({ faults: {} });
				}
				const what = `${operation} after ${fault}`;
				const [item] = nodeItems(run, 'Jimeng Video');
				assert.ok(item, `${what}: no item`);
				const json = item.json;
				assert.equal(json.task_may_exist, true, `${what} item: ${JSON.stringify(json)}`);
				// Retry On Fail ran the item 3 times; the 2nd and 3rd sent nothing.
				assert.equal(
					json.reruns_not_sent,
					2,
					`${what}: reruns_not_sent ${String(json.reruns_not_sent)}`,
				);
				if (code) assert.equal(json.code, code, `${what} item: ${JSON.stringify(json)}`);
				assert.notEqual(json.code, 'REQUEST_NOT_SENT', `${what}: called "not sent"`);
				assert.match(
					String(json.error),
					/may have created the task/,
					`${what}: ${String(json.error)}`,
				);
				assert.match(
					String(json.submitted_at),
					/^\d{4}-\d\d-\d\dT/,
					`${what}: submitted_at ${String(json.submitted_at)}`,
				);
				assert.equal(json.req_key, 'jimeng_ti2v_v30_pro', `${what}: the item names the model`);
				assert.equal(typeof json.prompt, 'string', `${what}: the item carries the request`);
				const traffic = this.since(mark);
				const submits = traffic.filter((e) => e.action === SUBMIT_ACTION);
				const created = traffic.filter((e) => e.taskCreated);
				assert.equal(
					submits.length,
					1,
					`${what}: the submit was sent ${submits.length} times (each may be a paid task)`,
				);
				assert.equal(created.length, 1, `${what}: tasks created ${created.length}`);
				this.report.note(
					`${what}: 3 tries (Retry On Fail), 1 submit (task ${created[0]!.taskId} created, answered ${submits[0]!.httpStatus ?? 'no HTTP'}); the 2 re-runs sent nothing`,
				);
				this.report.note(
					`  item: task_may_exist ${String(json.task_may_exist)}, code ${String(json.code)}, submitted_at ${String(json.submitted_at)}`,
				);
			}
		}
	}

	async checkHtml502(runner: HeadlessRunner): Promise<void> {
		const mark = this.sim.requests.length;
		const pagesBeforeRecovery = 2;
		// Every API answer is an HTML 502 page until two were served to Get Result; then the service is back.
		this.sim.configure({ faults: { htmlErrorPage: 1 } });
		const recovered = waitFor(
			'two HTML pages served',
			120_000,
			() =>
				this.since(mark).filter(
					(e) => e.action === GET_RESULT_ACTION && e.fault === 'htmlErrorPage',
				).length >= pagesBeforeRecovery
					? true
					: undefined,
			100,
		).then(() => this.sim.configure({ faults: {} }));
		let run: ExecutionRun;
		try {
			run = runner.expectSuccess(await runner.execute(this.getResultWorkflow()));
			await recovered;
		} finally {
			this.sim.configure({ faults: {} });
		}
		const [item] = nodeItems(run, 'Jimeng Video');
		assert.ok(item, 'no item');
		assert.equal(item.json.status, 'done', `item: ${JSON.stringify(item.json)}`);
		assert.equal(item.json.task_id, this.doneTaskId);
		runner.expectVideo(item);
		const queries = this.since(mark).filter((e) => e.action === GET_RESULT_ACTION);
		const pages = queries.filter((e) => e.fault === 'htmlErrorPage');
		assert.ok(pages.length >= pagesBeforeRecovery, `HTML pages served: ${pages.length}`);
		assert.ok(
			queries.some((e) => e.httpStatus === 200 && e.fault === null),
			'no Get Result answered after the pages',
		);
		this.report.note(
			`Get Result: ${pages.length} HTML 502 pages (text/html) served, then answered; ${queries.length} queries in all; item done with the video`,
		);
	}

	// ---- n8n start ----------------------------------------------------------------------------------

	/**
	 * Two watched tasks finish behind a video link that answers after 40 s each; the trigger polls every
	 * minute, so a tick lands while the first poll is still downloading (80 s). Each task must be
	 * emitted once: one execution, two items, and no execution after it.
	 */
	async checkOverlappingPolls(server: N8nServer): Promise<void> {
		const workflowId = 'E2eTriggerOverlp';
		// Still generating at activation (its poll finds nothing), done a few seconds later.
		this.sim.configure({ generateMs: 5_000 });
		this.overlapTaskIds = [
			await this.submitDirect('Overlap one (e2e)'),
			await this.submitDirect('Overlap two (e2e)'),
		];
		this.sim.configure({ generateMs: 500 });
		const downloadsBefore = this.sim.requests.filter((e) => e.action === 'download').length;
		this.sim.configure({ faults: { downloadDelayMs: SLOW_DOWNLOAD_MS } });
		try {
			const stored = await server.api<Workflow>('GET', `/workflows/${workflowId}`);
			const node = stored.nodes.find((n) => n.name === 'Jimeng Video Trigger');
			assert.ok(node, 'trigger node missing');
			node.parameters.taskIds = this.overlapTaskIds.join(', ');
			await server.api('PUT', `/workflows/${workflowId}`, {
				name: stored.name,
				nodes: stored.nodes,
				connections: stored.connections,
				settings: { executionOrder: 'v1' },
			});
			const activatedAt = Date.now();
			await server.api('POST', `/workflows/${workflowId}/activate`);
			this.report.note(
				`activated with tasks ${this.overlapTaskIds.join(', ')}; every video download waits ${SLOW_DOWNLOAD_MS / 1000} s`,
			);

			const executions = triggerExecutions(server, workflowId);
			const first = await executions.firstFinished('the trigger execution');
			const emittedAfterMs = Date.now() - activatedAt;
			// Polls were attempted during the download (ticks every minute): wait for one more tick after it.
			const downloadsSeen =
				this.sim.requests.filter((e) => e.action === 'download').length - downloadsBefore;
			await new Promise((resolve) => setTimeout(resolve, 65_000));
			const all = await executions.list();
			const items = await executions.triggerItems(first.id);
			const emittedIds = items.map((i) => String(i.json.task_id)).sort();
			assert.deepEqual(
				emittedIds,
				[...this.overlapTaskIds].sort(),
				`emitted: ${JSON.stringify(items.map((i) => i.json))}`,
			);
			assert.equal(
				all.length,
				1,
				`the trigger started ${all.length} executions (each task must be emitted once): ${JSON.stringify(all)}`,
			);
			assert.ok(
				emittedAfterMs > 2 * SLOW_DOWNLOAD_MS,
				`emitted after ${emittedAfterMs} ms: the poll did not outlast the interval, so the check proves nothing`,
			);
			const downloads =
				this.sim.requests.filter((e) => e.action === 'download').length - downloadsBefore;
			assert.equal(downloads, 2, `video downloads: ${downloads} (a second poll downloaded again)`);
			this.report.note(
				`one execution (${first.id}, ${first.status}) ${Math.round(emittedAfterMs / 1000)} s after activation, items: ${emittedIds.join(', ')}`,
			);
			this.report.note(
				`downloads: ${downloadsSeen} when it was saved, ${downloads} after one more tick; executions after that tick: ${all.length}`,
			);
		} finally {
			this.sim.configure({ faults: {} });
			await server.api('POST', `/workflows/${workflowId}/deactivate`).catch(() => undefined);
		}
	}

	/**
	 * Generate mode with Max Videos 1 under n8n's durable poll scheduler (and, for `cursors`, durable
	 * poll cursors), every poll leased 600 s: the activation poll submits one task and emits it as
	 * `submitted`; scheduled polls find it running, then done (its video and the limit notice); a
	 * third scheduled poll submits and emits nothing. Before the trigger became a state machine, each
	 * such poll was taken for an activation: 5 tasks in 4 minutes. Restarts `server` with the mode's
	 * environment; returns the new server (the caller stops it).
	 */
	async checkDurableScheduler(
		host: N8nHost,
		userFolder: UserFolder,
		server: N8nServer,
		mode: keyof typeof DURABLE_MODES,
	): Promise<N8nServer> {
		const { workflowId, env } = DURABLE_MODES[mode];
		await server.stop();
		const durable = await startN8n(host, userFolder, { env });
		this.report.note(
			`n8n restarted with ${Object.entries(env)
				.map(([k, v]) => `${k}=${v}`)
				.join(' ')} (ready in ${Math.round(durable.readyMs / 1000)} s)`,
		);
		const mark = this.sim.requests.length;
		const traffic = () => this.since(mark);
		const submits = () => traffic().filter((e) => e.action === SUBMIT_ACTION);
		this.sim.configure(DURABLE_TASK_MS);
		try {
			await durable.api('POST', `/workflows/${workflowId}/activate`);
			const activatedAt = Date.now();
			const executions = triggerExecutions(durable, workflowId);
			// Three scheduled polls after the activation (one a minute), and a margin.
			await waitFor(
				'three scheduled polls',
				5 * 60_000,
				async () => {
					const list = await executions.list();
					return Date.now() - activatedAt > 3 * 60_000 + 15_000 &&
						list.length >= 2 &&
						list.every((e) => e.status !== 'running' && e.status !== 'new')
						? true
						: undefined;
				},
				5_000,
			);
			const all = (await executions.list()).sort((a, b) => Number(a.id) - Number(b.id));
			const items = await Promise.all(all.map((e) => executions.triggerItems(e.id)));
			const statuses = items.map((list) => list.map((i) => String(i.json.status)));
			assert.deepEqual(
				statuses,
				[['submitted'], ['done', 'limit_reached']],
				`executions' items: ${JSON.stringify(items.map((list) => list.map((i) => i.json)))}`,
			);
			const [video, limit] = items[1]!;
			assert.ok(video!.binary?.data, 'the video is not attached');
			assert.equal(limit!.json.limit, 'max_videos');
			assert.equal(submits().length, 1, `submits: ${submits().length} (Max Videos is 1)`);
			const taskId = submits()[0]!.taskId;
			assert.equal(items[0]![0]!.json.task_id, taskId);
			assert.equal(video!.json.task_id, taskId);
			const queries = traffic().filter((e) => e.action === GET_RESULT_ACTION).length;
			this.report.note(
				`${mode}: 1 submit (task ${taskId}); executions ${all.map((e) => e.id).join(', ')}: ${JSON.stringify(statuses)}; ${queries} Get Result in ${Math.round((Date.now() - activatedAt) / 1000)} s (scheduled polls found it running, then done), nothing after`,
			);
		} finally {
			this.sim.configure({ queueMs: 200, generateMs: 500 });
			await durable.api('POST', `/workflows/${workflowId}/deactivate`).catch(() => undefined);
		}
		return durable;
	}
}

/**
 * A trigger workflow's executions through the public API: the list, the first to finish (waited for,
 * 4 min at most), and the items the Jimeng Video Trigger node emitted in one of them.
 */
export function triggerExecutions(server: N8nServer, workflowId: string) {
	type ExecutionSummary = { id: string; status: string; startedAt?: string; stoppedAt?: string };
	const list = async () =>
		(await server.api<{ data: ExecutionSummary[] }>('GET', `/executions?workflowId=${workflowId}`))
			.data;
	return {
		list,
		firstFinished: (what: string) =>
			waitFor(
				what,
				4 * 60_000,
				async () => (await list()).find((e) => e.status !== 'running' && e.status !== 'new'),
				2_000,
			),
		triggerItems: async (executionId: string) => {
			const full = await server.api<{ data: ExecutionRun['data'] }>(
				'GET',
				`/executions/${executionId}?includeData=true`,
			);
			return nodeItems({ data: full.data } as ExecutionRun, 'Jimeng Video Trigger');
		},
	};
}

/** An example workflow with the hardening simulator's credential, under its own id and name. */
function exampleWorkflow(file: string, id: string, name: string): Workflow {
	return withId(useCredential(loadExample(file), CREDENTIAL), id, name);
}
