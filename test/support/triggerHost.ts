/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Drives the Jimeng Video Trigger the way n8n 2.41.1 drives a poll trigger, in each of its three poll
 * schedulers (docs/trigger.md cites the n8n source for every rule modelled here):
 *
 * - 'inProcess' (default): an activation builds one workflow (static data from the database) and one
 *   PollContext; the activation poll runs on it, then every cron tick reuses both. Static data is
 *   saved after the activation and with every emission (never after a poll that returns null, whose
 *   changes live on in the in-memory workflow). A restart activates again with mode 'init'.
 * - 'durable' (N8N_SCHEDULER_POLL_TRIGGERS_ENABLED): the activation poll runs only when the job is
 *   newly registered (activate, or a publish, which removes the jobs first; not a restart), on the
 *   activation's context. Every scheduled poll builds a fresh workflow from the database and a fresh
 *   context with mode 'update' and a leased budget; static data is saved only with an emission.
 * - 'durableCursors' (… + N8N_POLLER_DURABLE_CURSORS_ENABLED): as 'durable', but the node's static data
 *   is a cursor row (seeded once from the workflow's static data), committed with the emission or,
 *   after a scheduled poll that emits nothing, alone. The activation poll commits only when it emits.
 *
 * `poll({ drop: true })` is a poll whose result n8n throws away (superseded by a publish, the workflow
 * unpublished meanwhile); `abandonedPoll()` one that outlasts its budget: n8n stops waiting and drops
 * the result while the poll itself runs on. `restart()` also forgets the trigger's in-process journal.
 */
import { PollContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	IPollFunctions,
	Workflow,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { join } from 'node:path';

import { REPO_ROOT, TRIGGER_TYPE, type Harness } from './harness';
import { ARK_SIM_CREDENTIAL_ID } from './seedance';
import { SIM_CREDENTIAL_ID } from './workflows';

type PollResult = INodeExecutionData[][] | null;
export type Scheduler = 'inProcess' | 'durable' | 'durableCursors';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const journal = require(
	join(REPO_ROOT, 'dist', 'nodes', 'JimengVideoTrigger', 'processJournal.js'),
) as typeof import('../../nodes/JimengVideoTrigger/processJournal');

/** A restart of n8n: every trigger's in-process journal is gone. */
export const forgetProcessMemory = (): void => journal.forgetJournal();

const NODE_NAME = 'Jimeng Video Trigger';
let hosts = 0;

export interface SchedulerConfig {
	/** N8N_SCHEDULER_POLL_TIMEOUT and N8N_SCHEDULER_LEASE_DURATION, seconds (defaults 45 and 60) */
	pollTimeoutSec: number;
	leaseDurationSec: number;
}

/** A scheduled poll's budget as n8n computes it (trigger-execution-context.factory.js). */
export function leasedBudgetMs({ pollTimeoutSec, leaseDurationSec }: SchedulerConfig): number {
	const ceiling = Math.min(pollTimeoutSec, leaseDurationSec) * 1000;
	const margin = Math.min(Math.max(0.2 * ceiling, 5000), ceiling / 2);
	return ceiling - margin;
}

export class TriggerHost {
	/** The workflow's static data in the database (JSON). */
	saved = '{}';
	/** durableCursors: the poller_state cursor row, once created (JSON). */
	cursor: string | undefined;
	activations = 0;
	polls = 0;
	private activeWorkflow: Workflow | undefined;
	private activeContext: IPollFunctions | undefined;
	private readonly workflowId = `wf-trigger-${++hosts}`;

	constructor(
		private readonly harness: Harness,
		readonly parameters: Record<string, unknown>,
		readonly scheduler: Scheduler = 'inProcess',
		readonly config: SchedulerConfig = { pollTimeoutSec: 45, leaseDurationSec: 60 },
	) {}

	private node(): INode {
		return {
			id: 't1',
			name: NODE_NAME,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				...this.parameters,
			} as INode['parameters'],
			credentials:
				this.parameters.api === 'ark'
					? { volcengineArkApi: { id: ARK_SIM_CREDENTIAL_ID, name: 'Ark simulator' } }
					: { volcengineApi: { id: SIM_CREDENTIAL_ID, name: 'Jimeng simulator' } },
		};
	}

	private workflowFromDatabase(): Workflow {
		return this.harness.buildWorkflow({
			id: this.workflowId,
			nodes: [this.node()],
			connections: {},
			staticData: JSON.parse(this.saved),
		});
	}

	/** A PollContext as n8n builds it; in cursor mode its static data is a staged copy of the cursor. */
	private context(
		workflow: Workflow,
		activation: WorkflowActivateMode,
		budgetMs?: number,
	): { context: IPollFunctions; staged?: Record<string, unknown> } {
		const node = workflow.getNode(NODE_NAME)!;
		let staged: Record<string, unknown> | undefined;
		if (this.scheduler === 'durableCursors') {
			this.cursor ??= JSON.stringify(workflow.getStaticData('node', node));
			staged = JSON.parse(this.cursor) as Record<string, unknown>;
		}
		const context = new PollContext(
			workflow,
			node,
			this.harness.additionalData(),
			'trigger',
			activation,
			undefined,
			undefined,
			undefined,
			undefined,
			staged ? () => staged as IDataObject : undefined,
			budgetMs === undefined ? undefined : () => budgetMs,
		) as unknown as IPollFunctions;
		return { context, staged };
	}

	private get nodeType() {
		return this.harness.pkg.nodeTypes.getByName(TRIGGER_TYPE) as {
			poll(this: IPollFunctions): Promise<PollResult>;
		};
	}

	/** n8n saves what the poll left: the workflow's static data, or the cursor. */
	private save(workflow: Workflow, staged: Record<string, unknown> | undefined): void {
		if (staged) this.cursor = JSON.stringify(staged);
		else this.saved = JSON.stringify(workflow.staticData);
	}

	/**
	 * The user publishes the unpublished workflow ('activate'), publishes a change ('update'), or n8n
	 * starts with it published ('init'). Returns the activation poll's result (null when none runs).
	 */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<PollResult> {
		this.activations++;
		const durable = this.scheduler !== 'inProcess';
		// The durable scheduler's job survives a restart: no activation poll then.
		if (durable && activation === 'init') return null;
		const workflow = this.workflowFromDatabase();
		const { context, staged } = this.context(workflow, activation);
		this.activeWorkflow = workflow;
		this.activeContext = context;
		this.polls++;
		const result = await this.nodeType.poll.call(context);
		// After the activation n8n saves the workflow's static data; a cursor only with an emission.
		if (!staged || result !== null) this.save(workflow, staged);
		return result;
	}

	/** n8n restarts: the process memory is gone; the in-process scheduler activates again ('init'). */
	async restart(): Promise<PollResult> {
		forgetProcessMemory();
		this.activeWorkflow = undefined;
		this.activeContext = undefined;
		return await this.activate('init');
	}

	/** One scheduled poll. Polls started without awaiting the previous one overlap, as n8n's ticks do. */
	async poll(options: { drop?: boolean } = {}): Promise<PollResult> {
		const { result, commit } = await this.runScheduledPoll();
		if (!options.drop) {
			commit(result);
			return result;
		}
		// In process, n8n throws a poll's result away only when a publish superseded it: the workflow
		// and context it ran on are replaced by the new version's (static data from the database).
		if (this.scheduler === 'inProcess' && this.activeContext) {
			this.activeWorkflow = this.workflowFromDatabase();
			this.activeContext = this.context(this.activeWorkflow, 'update').context;
		}
		return null;
	}

	/** A poll that outlasts its budget: n8n drops its result at once; the poll itself runs on. */
	abandonedPoll(): { finished: Promise<PollResult> } {
		return { finished: this.runScheduledPoll().then(({ result }) => result) };
	}

	private async runScheduledPoll(): Promise<{
		result: PollResult;
		commit: (result: PollResult) => void;
	}> {
		this.polls++;
		if (this.scheduler === 'inProcess') {
			if (!this.activeContext) throw new Error('not activated');
			const workflow = this.activeWorkflow!;
			const result = await this.nodeType.poll.call(this.activeContext);
			return { result, commit: (r) => r !== null && this.save(workflow, undefined) };
		}
		const workflow = this.workflowFromDatabase();
		const { context, staged } = this.context(workflow, 'update', leasedBudgetMs(this.config));
		const result = await this.nodeType.poll.call(context);
		// Saved with an emission; a cursor is also committed alone after a poll that emits nothing.
		return {
			result,
			commit: (r) => (r !== null || staged) && this.save(workflow, staged),
		};
	}

	/** "Fetch Test Event": a manual-mode poll on a copy of the saved state; n8n never saves it. */
	async testEvent(): Promise<PollResult> {
		const workflow = this.workflowFromDatabase();
		const node = workflow.getNode(NODE_NAME)!;
		const context = new PollContext(
			workflow,
			node,
			this.harness.additionalData(),
			'manual',
			'manual',
		) as unknown as IPollFunctions;
		return await this.nodeType.poll.call(context);
	}
}

export const itemsOf = (result: PollResult): INodeExecutionData[] => result?.[0] ?? [];
