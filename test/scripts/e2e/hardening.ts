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
	submit504: 'Submit answered 504 after create: sent once',
	html502: 'Get Result rides out HTML 502 pages',
	overlap: 'Overlapping trigger polls emit once',
	durable: 'Durable poll scheduler: Max Videos holds',
} as const;

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
			this.generateWorkflow(),
		];
	}

	private submitWorkflow(operation: 'submit' | 'generateAndWait'): Workflow {
		const id = operation === 'submit' ? 'E2eSubmit504Once' : 'E2eGenWait504One';
		const workflow = exampleWorkflow(
			'text-to-video.json',
			id,
			`E2E: ${operation} answered InternalServiceTimeout 504`,
		);
		const node = nodeNamed(workflow, 'Jimeng Video');
		node.parameters = { ...node.parameters, operation, options: { pollInterval: 0.5 } };
		// The item carries the error (continue on fail), as a workflow that routes failures would see it.
		node.onError = 'continueRegularOutput';
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

	private generateWorkflow(): Workflow {
		const workflow = exampleWorkflow(
			'trigger-generate.json',
			'E2eTriggerDurabl',
			'E2E: generate under the durable poll scheduler',
		);
		const trigger = nodeNamed(workflow, 'Jimeng Video Trigger');
		if (trigger.parameters.mode !== 'generate')
			throw new Error(`"${workflow.name}" is not in generate mode`);
		trigger.parameters.maxVideos = 1;
		return workflow;
	}

	private since(mark: number): RequestLogEntry[] {
		return this.sim.requests.slice(mark);
	}

	// ---- headless (n8n execute) -------------------------------------------------------------------

	async checkSubmit504(runner: HeadlessRunner): Promise<void> {
		for (const operation of ['submit', 'generateAndWait'] as const) {
			const mark = this.sim.requests.length;
			this.sim.configure({ faults: { gatewayTimeoutAfterCreate: 1 } });
			let run: ExecutionRun;
			try {
				run = runner.expectSuccess(await runner.execute(this.submitWorkflow(operation)));
			} finally {
				this.sim.configure({ faults: {} });
			}
			const [item] = nodeItems(run, 'Jimeng Video');
			assert.ok(item, `${operation}: no item`);
			const json = item.json;
			assert.equal(json.task_may_exist, true, `${operation} item: ${JSON.stringify(json)}`);
			assert.equal(
				json.code,
				'InternalServiceTimeout',
				`${operation} item: ${JSON.stringify(json)}`,
			);
			assert.match(
				String(json.submitted_at),
				/^\d{4}-\d\d-\d\dT/,
				`${operation}: submitted_at ${String(json.submitted_at)}`,
			);
			assert.equal(json.req_key, 'jimeng_ti2v_v30_pro', `${operation}: the item names the model`);
			assert.equal(typeof json.prompt, 'string', `${operation}: the item carries the request`);
			const traffic = this.since(mark);
			const submits = traffic.filter((e) => e.action === SUBMIT_ACTION);
			const created = traffic.filter((e) => e.taskCreated);
			assert.equal(
				submits.length,
				1,
				`${operation}: the submit was sent ${submits.length} times (each may be a paid task)`,
			);
			assert.equal(created.length, 1, `${operation}: tasks created ${created.length}`);
			assert.equal(submits[0]!.httpStatus, 504);
			this.report.note(
				`${operation}: 1 submit, answered HTTP 504 InternalServiceTimeout after task ${created[0]!.taskId} was created; not sent again`,
			);
			this.report.note(
				`  item: task_may_exist ${String(json.task_may_exist)}, submitted_at ${String(json.submitted_at)}, retryable ${String(json.retryable)}`,
			);
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
	 * n8n's durable poll scheduler builds a fresh poll context for every scheduled poll. A generate
	 * trigger with Max Videos 1 there: the activation poll submits one task, a scheduled poll emits its
	 * video with the limit notice, and nothing more is submitted or emitted after another tick.
	 * Restarts `server` with the scheduler on; returns the new server (the caller stops it).
	 */
	async checkDurableScheduler(
		host: N8nHost,
		userFolder: UserFolder,
		server: N8nServer,
	): Promise<N8nServer> {
		const workflowId = 'E2eTriggerDurabl';
		await server.stop();
		const durable = await startN8n(host, userFolder, {
			env: { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true' },
		});
		this.report.note(
			`n8n restarted with N8N_SCHEDULER_ENABLED=true N8N_SCHEDULER_POLL_TRIGGERS_ENABLED=true (ready in ${Math.round(durable.readyMs / 1000)} s)`,
		);
		const mark = this.sim.requests.length;
		const submits = () => this.since(mark).filter((e) => e.action === SUBMIT_ACTION).length;
		try {
			await durable.api('POST', `/workflows/${workflowId}/activate`);
			const activatedAt = Date.now();
			const executions = triggerExecutions(durable, workflowId);
			const first = await executions.firstFinished('the generate trigger execution');
			const emittedAfterS = Math.round((Date.now() - activatedAt) / 1000);
			await new Promise((resolve) => setTimeout(resolve, 75_000));
			const all = await executions.list();
			const items = await executions.triggerItems(first.id);
			assert.deepEqual(
				items.map((i) => i.json.status),
				['done', 'limit_reached'],
				`items: ${JSON.stringify(items.map((i) => i.json))}`,
			);
			assert.equal(items[1]!.json.limit, 'max_videos');
			assert.ok(items[0]!.binary?.data, 'the video is not attached');
			assert.equal(submits(), 1, `submits: ${submits()} (Max Videos is 1)`);
			assert.equal(all.length, 1, `executions: ${all.length}`);
			this.report.note(
				`activation poll submitted 1 task; execution ${first.id} ${emittedAfterS} s later: done (video attached) + limit_reached (max_videos 1)`,
			);
			this.report.note(`75 s later: ${all.length} execution, ${submits()} submit in all`);
		} finally {
			await durable.api('POST', `/workflows/${workflowId}/deactivate`).catch(() => undefined);
		}
		return durable;
	}
}

/**
 * A trigger workflow's executions through the public API: the list, the first to finish (waited for,
 * 4 min at most), and the items the Jimeng Video Trigger node emitted in one of them.
 */
function triggerExecutions(server: N8nServer, workflowId: string) {
	type ExecutionSummary = { id: string; status: string; startedAt?: string };
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
