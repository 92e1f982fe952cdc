/**
 * Workflow JSON as n8n stores it (nodes + connections), built for the tests.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { JimengSimulator } from '../tooling/simulator';
import type { CredentialRecord, WorkflowJson } from './harness';
import { NODE_TYPE } from './harness';
import { simulatorCredentialData } from './simulatorCredential';
import { startNode } from './startNode';

export const SIM_CREDENTIAL_ID = 'cred-sim';

export function simulatorCredential(
	sim: JimengSimulator,
	overrides: IDataObject = {},
): CredentialRecord {
	return {
		id: SIM_CREDENTIAL_ID,
		name: 'Jimeng simulator',
		type: 'volcengineApi',
		data: { ...simulatorCredentialData(sim.url), ...overrides } as CredentialRecord['data'],
	};
}

export interface ItemSpec {
	json?: IDataObject;
	binary?: Record<string, { base64: string; mimeType?: string; fileName?: string }>;
}

/** Start → (Items) → Jimeng Video. */
export function jimengWorkflow(
	parameters: IDataObject,
	options: { items?: ItemSpec[]; continueOnFail?: boolean; nodeSettings?: Partial<INode> } = {},
): WorkflowJson {
	const nodes: INode[] = [startNode('n1')];
	const connections: WorkflowJson['connections'] = {};
	let previous = 'Start';
	if (options.items) {
		nodes.push({
			id: 'n2',
			name: 'Items',
			type: 'test.staticItems',
			typeVersion: 1,
			position: [200, 0],
			parameters: { items: JSON.stringify(options.items) },
		});
		connections.Start = { main: [[{ node: 'Items', type: 'main', index: 0 }]] };
		previous = 'Items';
	}
	nodes.push({
		id: 'n3',
		name: 'Jimeng Video',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [400, 0],
		parameters: parameters as INode['parameters'],
		credentials: { volcengineApi: { id: SIM_CREDENTIAL_ID, name: 'Jimeng simulator' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...options.nodeSettings,
	});
	connections[previous] = { main: [[{ node: 'Jimeng Video', type: 'main', index: 0 }]] };
	return { nodes, connections };
}
