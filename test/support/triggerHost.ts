/**
 * Drives the Jimeng Video Trigger the way n8n drives a poll trigger: one PollContext per activation,
 * reused for every poll; static data saved as JSON only after the activation poll and after polls
 * that emit; an activation (a user activating or publishing: 'activate'/'update'; n8n starting up:
 * 'init') reloads the saved JSON into a new workflow and a new context. `scheduler: 'durable'` drives
 * it like n8n's durable poll scheduler instead: only the activation poll uses the activation's
 * context; every later poll gets a fresh workflow from the saved JSON and a fresh context (activation
 * mode 'update', a leased poll budget). Used by the trigger tests and the soak.
 */
import type {
	INode,
	INodeExecutionData,
	IPollFunctions,
	Workflow,
	WorkflowActivateMode,
} from 'n8n-workflow';

import { TRIGGER_TYPE, type Harness } from './harness';
import { SIM_CREDENTIAL_ID } from './workflows';

type PollResult = INodeExecutionData[][] | null;

let hosts = 0;

export class TriggerHost {
	/** What n8n keeps in its database. */
	saved = '{}';
	activations = 0;
	polls = 0;
	private workflow!: Workflow;
	private context!: IPollFunctions;
	private firstPoll = true;
	/** Each host is its own workflow (the trigger runs one poll at a time per workflow and node). */
	private readonly workflowId = `wf-trigger-${++hosts}`;

	constructor(
		private readonly harness: Harness,
		readonly parameters: Record<string, unknown>,
		private readonly scheduler: 'legacy' | 'durable' = 'legacy',
	) {}

	private node(): INode {
		return {
			id: 't1',
			name: 'Jimeng Video Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				...this.parameters,
			} as INode['parameters'],
			credentials: { volcengineApi: { id: SIM_CREDENTIAL_ID, name: 'Jimeng simulator' } },
		};
	}

	/** A user activates (or publishes) the workflow: n8n runs the activation poll and saves after it. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<PollResult> {
		this.newContext(activation);
		this.firstPoll = true;
		this.activations++;
		return await this.poll();
	}

	/** n8n restarts: the legacy scheduler activates again ('init'); the durable one just polls on. */
	async restart(): Promise<PollResult> {
		if (this.scheduler === 'durable') return await this.poll();
		return await this.activate('init');
	}

	private newContext(activation: WorkflowActivateMode, leasedBudgetMs?: number): void {
		this.workflow = this.harness.buildWorkflow({
			id: this.workflowId,
			nodes: [this.node()],
			connections: {},
			staticData: JSON.parse(this.saved),
		});
		this.context = this.harness.pollContext(
			this.workflow,
			'Jimeng Video Trigger',
			'trigger',
			activation,
		) as unknown as IPollFunctions;
		// n8n's durable scheduler leases each scheduled poll: min(poll timeout, lease) minus a margin.
		if (leasedBudgetMs !== undefined)
			(this.context as { getPollBudgetMs(): number }).getPollBudgetMs = () => leasedBudgetMs;
	}

	/** One poll; polls started without awaiting the previous overlap, like n8n's ticks behind a slow poll. */
	async poll(): Promise<PollResult> {
		const type = this.harness.pkg.nodeTypes.getByName(TRIGGER_TYPE) as {
			poll(this: IPollFunctions): Promise<PollResult>;
		};
		if (this.scheduler === 'durable' && !this.firstPoll) this.newContext('update', 36_000);
		const { workflow, context } = this;
		const activationPoll = this.firstPoll;
		this.firstPoll = false;
		this.polls++;
		const result = await type.poll.call(context);
		// n8n saves after the activation poll and after a poll that emits, nothing else.
		if (result !== null || activationPoll) this.saved = JSON.stringify(workflow.staticData);
		return result;
	}

	/** "Fetch Test Event": a manual-mode poll on a copy of the saved state; n8n never saves it. */
	async testEvent(): Promise<PollResult> {
		const workflow = this.harness.buildWorkflow({
			id: this.workflowId,
			nodes: [this.node()],
			connections: {},
			staticData: JSON.parse(this.saved),
		});
		const context = this.harness.pollContext(
			workflow,
			'Jimeng Video Trigger',
			'manual',
		) as unknown as IPollFunctions;
		const type = this.harness.pkg.nodeTypes.getByName(TRIGGER_TYPE) as {
			poll(this: IPollFunctions): Promise<PollResult>;
		};
		return await type.poll.call(context);
	}
}

export const itemsOf = (result: PollResult): INodeExecutionData[] => result?.[0] ?? [];
