/**
 * Drives the Jimeng Video Trigger the way n8n drives a poll trigger: one PollContext per activation,
 * reused for every poll; static data saved as JSON only after the activation poll and after polls
 * that emit; reactivation (what n8n does on start-up or when an active workflow is saved) reloads the
 * saved JSON into a new workflow and a new context. Used by the trigger tests and the soak.
 */
import type { INode, INodeExecutionData, IPollFunctions, Workflow } from 'n8n-workflow';

import { TRIGGER_TYPE, type Harness } from './harness';
import { SIM_CREDENTIAL_ID } from './workflows';

type PollResult = INodeExecutionData[][] | null;

export class TriggerHost {
	/** What n8n keeps in its database. */
	saved = '{}';
	activations = 0;
	polls = 0;
	private workflow!: Workflow;
	private context!: IPollFunctions;
	private firstPoll = true;

	constructor(
		private readonly harness: Harness,
		readonly parameters: Record<string, unknown>,
	) {}

	private node(): INode {
		return {
			id: 't1',
			name: 'Jimeng Video Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...this.parameters } as INode['parameters'],
			credentials: { volcengineApi: { id: SIM_CREDENTIAL_ID, name: 'Jimeng simulator' } },
		};
	}

	async activate(): Promise<PollResult> {
		this.workflow = this.harness.buildWorkflow({ nodes: [this.node()], connections: {}, staticData: JSON.parse(this.saved) });
		this.context = this.harness.pollContext(this.workflow, 'Jimeng Video Trigger') as unknown as IPollFunctions;
		this.firstPoll = true;
		this.activations++;
		return await this.poll();
	}

	async poll(): Promise<PollResult> {
		const type = this.harness.pkg.nodeTypes.getByName(TRIGGER_TYPE) as { poll(this: IPollFunctions): Promise<PollResult> };
		this.polls++;
		try {
			const result = await type.poll.call(this.context);
			if (result !== null || this.firstPoll) this.save();
			return result;
		} finally {
			this.firstPoll = false;
		}
	}

	/** "Fetch Test Event": a manual-mode poll on a copy of the saved state; n8n never saves it. */
	async testEvent(): Promise<PollResult> {
		const workflow = this.harness.buildWorkflow({ nodes: [this.node()], connections: {}, staticData: JSON.parse(this.saved) });
		const context = this.harness.pollContext(workflow, 'Jimeng Video Trigger', 'manual') as unknown as IPollFunctions;
		const type = this.harness.pkg.nodeTypes.getByName(TRIGGER_TYPE) as { poll(this: IPollFunctions): Promise<PollResult> };
		return await type.poll.call(context);
	}

	private save(): void {
		this.saved = JSON.stringify(this.workflow.staticData);
	}
}

export const itemsOf = (result: PollResult): INodeExecutionData[] => result?.[0] ?? [];
