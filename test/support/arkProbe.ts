/**
 * Runs test code inside a real n8n node execution that holds the Volcengine Ark API credential:
 * `inArkNode(harness, async (ctx) => …)` gives the function n8n's own ExecuteContext (its
 * httpRequestWithAuthentication, the credential's authenticate from dist/), before any node uses
 * the Ark transport. The `test.arkProbe` node type is registered by harness.ts.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import type { CredentialRecord, Harness, WorkflowJson } from './harness';
import { startNode } from './startNode';

type ProbeFunction = (ctx: IExecuteFunctions) => Promise<unknown>;

const probes = new Map<string, ProbeFunction>();
let probeCounter = 0;

export const ARK_PROBE_TYPE = 'test.arkProbe';
export const ARK_CREDENTIAL_ID = 'cred-ark';

export function arkCredential(data: { apiKey: string; baseUrl: string }): CredentialRecord {
	return { id: ARK_CREDENTIAL_ID, name: 'Ark simulator', type: 'volcengineArkApi', data };
}

export class ArkProbe implements INodeType {
	description = {
		displayName: 'Ark Probe',
		name: 'arkProbe',
		group: ['transform'],
		version: 1,
		description: 'Runs a test function with the Ark credential (tests only)',
		defaults: { name: 'Ark Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'volcengineArkApi', required: true }],
		properties: [{ displayName: 'Probe', name: 'probe', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const probe = probes.get(this.getNodeParameter('probe', 0) as string);
		if (!probe) throw new Error('unknown probe');
		await probe(this);
		return [[{ json: {}, pairedItem: { item: 0 } }]];
	}
}

/** The workflow Start → Ark Probe running `probe`. */
export function arkProbeWorkflow(probeId: string): WorkflowJson {
	return {
		nodes: [
			startNode('n1'),
			{
				id: 'n2',
				name: 'Ark Probe',
				type: ARK_PROBE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { probe: probeId },
				credentials: { volcengineArkApi: { id: ARK_CREDENTIAL_ID, name: 'Ark simulator' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Ark Probe', type: 'main', index: 0 }]] } },
	};
}

/** Runs `fn` in a node execution; resolves to what it returned, or rejects with what it threw. */
export async function inArkNode<T>(
	harness: Harness,
	fn: (ctx: IExecuteFunctions) => Promise<T>,
	options: { onStarted?: (cancel: () => void) => void } = {},
): Promise<T> {
	const id = `probe-${++probeCounter}`;
	let outcome: { value: T } | { error: unknown } | undefined;
	probes.set(id, async (ctx) => {
		try {
			outcome = { value: await fn(ctx) };
		} catch (error) {
			outcome = { error };
		}
	});
	try {
		await harness.run(arkProbeWorkflow(id), options);
	} finally {
		probes.delete(id);
	}
	if (!outcome) throw new Error('the probe did not run');
	if ('error' in outcome) throw outcome.error;
	return outcome.value;
}
