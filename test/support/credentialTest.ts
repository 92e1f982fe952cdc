/**
 * A credential's Test button, the way n8n 2.41.1 runs it (n8n/dist/services/credentials-tester.service.js,
 * `runRequestTest`): the credential's `test.request` as the routing request of a throwaway node, sent
 * by n8n-core's RoutingNode through an ExecuteContext (so the credential's `authenticate` signs it),
 * then the `responseSuccessBody` rules read the answer, first match wins. What differs from n8n: the
 * credential comes from the harness, not the database.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	Workflow,
	createEmptyRunExecutionData,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import type { Harness } from './harness';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export async function runCredentialTest(
	harness: Harness,
	credentialType: string,
	credentialId: string,
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const test = harness.pkg.credentialTypes.get(credentialType)?.test;
	if (!test) throw new Error(`${credentialType} has no test`);
	const nodeType = {
		description: {
			displayName: 'Temp',
			name: 'credentialTestNode',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	} as unknown as INodeType;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTestNode',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType]: { id: credentialId, name: 'under test' } },
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const context = new ExecuteContext(
		workflow,
		node,
		harness.additionalData(),
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const credentials = { id: credentialId, name: 'under test', type: credentialType, data };
	let response;
	try {
		await workflow.expression.acquireIsolate();
		response = await new RoutingNode(context, nodeType, credentials).runNode();
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	} finally {
		await workflow.expression.releaseIsolate();
	}
	const json = (response?.[0]?.[0]?.json ?? {}) as Record<string, unknown>;
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const value = rule.properties.key
			.split('.')
			.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], json);
		if (value === rule.properties.value)
			return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
