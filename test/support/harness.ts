/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Runs real workflow JSON in-process with n8n-core, the way n8n runs it: the BUILT package is
 * loaded by n8n's own PackageDirectoryLoader (from the `n8n` field of package.json), credentials
 * are signed by the real credential class, binary data goes through n8n's BinaryDataService.
 * n8n's built-in nodes come from n8n-nodes-base. Only the host around the engine (credential
 * storage, a Code-node task runner stand-in) is provided here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';

import { Container } from '@n8n/di';
import {
	BinaryDataService,
	ExecutionLifecycleHooks,
	PackageDirectoryLoader,
	PollContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { ARK_PROBE_TYPE, ArkProbe } from './arkProbe';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-jimeng-video';
export const NODE_TYPE = `${PACKAGE_NAME}.jimengVideo`;
export const TRIGGER_TYPE = `${PACKAGE_NAME}.jimengVideoTrigger`;

/**
 * n8n's own built-in nodes that the examples and tests use, from n8n-nodes-base (the version n8n-core
 * 2.41.1 ships with): the real classes, not stand-ins.
 */
const BASE_NODES: Record<string, string> = {
	manualTrigger: 'ManualTrigger/ManualTrigger.node.js',
	code: 'Code/Code.node.js',
	httpRequest: 'HttpRequest/HttpRequest.node.js',
	wait: 'Wait/Wait.node.js',
	noOp: 'NoOp/NoOp.node.js',
	stickyNote: 'StickyNote/StickyNote.node.js',
	if: 'If/If.node.js',
};

/**
 * Node's own require, not jest's: n8n-nodes-base pulls in ES modules (htmlparser2 via the Wait
 * node's form helpers) that jest's CommonJS runtime cannot load and Node 20 can.
 */
const nodeRequire = (
	process.getBuiltinModule('node:module') as typeof import('node:module')
).createRequire(__filename);

function loadBaseNode(file: string): INodeType | IVersionedNodeType {
	const module = nodeRequire(`n8n-nodes-base/dist/nodes/${file}`) as Record<
		string,
		new () => INodeType | IVersionedNodeType
	>;
	const [NodeClass] = Object.values(module);
	return new NodeClass();
}

/**
 * n8n runs a Code node's JavaScript in a task runner (a separate process behind a broker), which an
 * in-process engine does not have. This stand-in runs "Run Once for All Items" code in a node:vm
 * context with `$input`, `items` and `$` (earlier nodes' items); the Code node around it (result checks, item normalising) is
 * n8n's. Enough for the examples' Code nodes; the real runner is exercised by the e2e suite.
 */
async function runCodeInVm(
	settings: { code: string; nodeMode: string },
	inputItems: INodeExecutionData[],
	$: unknown,
): Promise<{ ok: true; result: unknown } | { ok: false; error: { message: string } }> {
	if (settings.nodeMode !== 'runOnceForAllItems')
		return { ok: false, error: { message: `harness: Code mode ${settings.nodeMode} unsupported` } };
	const $input = {
		all: () => inputItems,
		first: () => inputItems[0],
		last: () => inputItems.at(-1),
	};
	try {
		const result: unknown = await runInNewContext(`(async () => {\n${settings.code}\n})()`, {
			$input,
			$,
			items: inputItems,
		});
		return { ok: true, result };
	} catch (error) {
		return { ok: false, error: { message: (error as Error).message } };
	}
}

/** Emits the items given in its `items` parameter; `binary` values are { base64, mimeType, fileName }. */
class StaticItems implements INodeType {
	description = {
		displayName: 'Static Items',
		name: 'staticItems',
		group: ['transform'],
		version: 1,
		description: 'Emits fixed items (tests only)',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: {
		getNodeParameter(name: string, index: number): unknown;
		helpers: {
			prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string): Promise<unknown>;
		};
	}): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0);
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{
			json?: IDataObject;
			binary?: Record<string, { base64: string; mimeType?: string; fileName?: string }>;
		}>;
		const output: INodeExecutionData[] = [];
		for (const [index, item] of items.entries()) {
			const out: INodeExecutionData = { json: item.json ?? {}, pairedItem: { item: 0 } };
			if (item.binary) {
				out.binary = {};
				for (const [name, file] of Object.entries(item.binary)) {
					out.binary[name] = (await this.helpers.prepareBinaryData(
						Buffer.from(file.base64, 'base64'),
						file.fileName,
						file.mimeType,
					)) as never;
				}
			}
			void index;
			output.push(out);
		}
		return [output];
	}
}

export interface LoadedPackage {
	nodeTypes: INodeTypes;
	credentialTypes: Map<string, ICredentialType>;
	loader: PackageDirectoryLoader;
}

let loaded: Promise<LoadedPackage> | undefined;

/** Loads dist/ through n8n's loader (run `npm run build` first; `npm test` does). */
export async function loadPackage(): Promise<LoadedPackage> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(REPO_ROOT);
		await loader.loadAll();
		const types: Record<string, INodeType | IVersionedNodeType> = {
			'test.staticItems': new StaticItems(),
			[ARK_PROBE_TYPE]: new ArkProbe(),
		};
		for (const [name, data] of Object.entries(loader.nodeTypes)) {
			const fullName = name.includes('.') ? name : `${PACKAGE_NAME}.${name}`;
			types[fullName] = data.type;
			// n8n offers a usableAsTool node to AI agents under `<type>Tool`: same class, other name.
			if ((data.type.description as { usableAsTool?: boolean }).usableAsTool)
				types[`${fullName}Tool`] = data.type;
		}
		const credentialTypes = new Map<string, ICredentialType>();
		for (const [name, data] of Object.entries(loader.credentialTypes))
			credentialTypes.set(name, data.type);
		const nodeTypes: INodeTypes = {
			getByName: (name) => {
				// n8n's built-in nodes are loaded when a workflow first uses one (about 2 s for all).
				const baseFile = BASE_NODES[name.replace(/^n8n-nodes-base\./, '')];
				if (!types[name] && name.startsWith('n8n-nodes-base.') && baseFile)
					types[name] = loadBaseNode(baseFile);
				const type = types[name];
				if (!type) throw new Error(`Unknown node type ${name}`);
				return type;
			},
			getByNameAndVersion: (name, version) =>
				NodeHelpers.getVersionedNodeType(nodeTypes.getByName(name), version),
			getKnownTypes: () => ({}),
		};
		return { nodeTypes, credentialTypes, loader };
	})();
	return await loaded;
}

/** n8n's binary data store in filesystem mode (streams to disk, like a default n8n install). */
export async function useFilesystemBinaryData(): Promise<{ storagePath: string; cleanup(): void }> {
	const storagePath = mkdtempSync(join(tmpdir(), 'jimeng-binary-'));
	const config = {
		mode: 'filesystem',
		availableModes: ['filesystem'],
		localStoragePath: storagePath,
		signingSecret: 'test',
		dbMaxFileSize: 512,
	};
	const errorReporter = { error: () => undefined, warn: () => undefined, info: () => undefined };
	const logger = {
		debug() {},
		info() {},
		warn() {},
		error() {},
		scoped() {
			return logger;
		},
	};
	const service = new BinaryDataService(config as never, errorReporter as never, logger as never);
	await service.init();
	Container.set(BinaryDataService, service);
	return { storagePath, cleanup: () => rmSync(storagePath, { recursive: true, force: true }) };
}

/** Back to n8n's default: binary data inline as base64 (the mode of a bare BinaryDataService). */
export function useMemoryBinaryData(): void {
	Container.set(
		BinaryDataService,
		new BinaryDataService({ mode: 'default' } as never, {} as never, {} as never),
	);
}

export interface CredentialRecord {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

function createCredentialsHelper(pkg: LoadedPackage, credentials: CredentialRecord[]) {
	const find = (id: string | null | undefined, type: string) => {
		const record = credentials.find((c) => c.type === type && (c.id === id || !id));
		if (!record) throw new Error(`No credential ${id} of type ${type}`);
		return record;
	};
	return {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		// What n8n's CredentialsHelper does for a credential type whose `authenticate` is a function.
		authenticate: async (
			data: ICredentialDataDecryptedObject,
			typeName: string,
			requestOptions: IHttpRequestOptions,
		) => {
			const type = pkg.credentialTypes.get(typeName);
			if (!type?.authenticate || typeof type.authenticate !== 'function')
				throw new Error(`No authenticate on ${typeName}`);
			return await type.authenticate(data, requestOptions);
		},
		preAuthentication: async () => undefined,
		runPreAuthentication: async () => undefined,
		getCredentials: async () => {
			throw new Error('not used');
		},
		getDecrypted: async (
			_additional: unknown,
			nodeCredentials: { id: string | null },
			type: string,
		) => ({
			...find(nodeCredentials.id, type).data,
		}),
		updateCredentials: async () => undefined,
		updateCredentialsOauthTokenData: async () => undefined,
		getCredentialsProperties: (type: string) => pkg.credentialTypes.get(type)?.properties ?? [],
	};
}

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: Workflow['connectionsBySourceNode'];
	settings?: IDataObject;
	staticData?: IDataObject;
}

export interface Harness {
	pkg: LoadedPackage;
	buildWorkflow(json: WorkflowJson): Workflow;
	additionalData(executionId?: string): IWorkflowExecuteAdditionalData;
	/** Runs the workflow from its first trigger-less start; returns the run and a cancel handle. */
	run(
		json: WorkflowJson,
		options?: { mode?: WorkflowExecuteMode; onStarted?: (cancel: () => void) => void },
	): Promise<IRun>;
	pollContext(
		workflow: Workflow,
		nodeName: string,
		mode?: 'trigger' | 'manual',
		activation?: WorkflowActivateMode,
	): PollContext;
}

let executionCounter = 0;

export async function createHarness(credentials: CredentialRecord[]): Promise<Harness> {
	const pkg = await loadPackage();
	const credentialsHelper = createCredentialsHelper(pkg, credentials);

	const buildWorkflow = (json: WorkflowJson) =>
		new Workflow({
			id: json.id ?? 'wf-test',
			name: json.name ?? 'test workflow',
			nodes: json.nodes,
			connections: json.connections,
			active: false,
			nodeTypes: pkg.nodeTypes,
			staticData: json.staticData,
			settings: json.settings ?? { executionOrder: 'v1' },
		});

	const additionalData = (
		executionId = `exec-${++executionCounter}`,
	): IWorkflowExecuteAdditionalData => {
		const data = {
			credentialsHelper,
			executeWorkflow: async () => {
				throw new Error('sub-workflows are not supported in the harness');
			},
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			executionId,
			currentNodeExecutionIndex: 0,
			restApiUrl: 'http://127.0.0.1:5678/rest',
			instanceBaseUrl: 'http://127.0.0.1:5678/',
			formBaseUrl: 'http://127.0.0.1:5678/form',
			formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
			formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
			webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
			mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
			mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
			variables: {},
			logAiEvent: () => undefined,
			startRunnerTask: async (
				_additionalData: unknown,
				jobType: string,
				settings: { code: string; nodeMode: string },
				context: { getWorkflowDataProxy(itemIndex: number): { $: unknown } },
				inputData: { main?: Array<INodeExecutionData[] | null> },
			) => {
				if (jobType !== 'javascript') throw new Error(`harness: no ${jobType} task runner`);
				const { $ } = context.getWorkflowDataProxy(0);
				return await runCodeInVm(settings, inputData.main?.[0] ?? [], $);
			},
		};
		return data as unknown as IWorkflowExecuteAdditionalData;
	};

	const run: Harness['run'] = async (json, options = {}) => {
		const workflow = buildWorkflow(json);
		const mode = options.mode ?? 'manual';
		const start =
			json.nodes.find((node) => {
				const { inputs } = pkg.nodeTypes.getByNameAndVersion(
					node.type,
					node.typeVersion,
				).description;
				return Array.isArray(inputs) && inputs.length === 0;
			}) ?? json.nodes[0];
		const executionId = `exec-${++executionCounter}`;
		const data = additionalData(executionId);
		(data as unknown as { hooks: ExecutionLifecycleHooks }).hooks = new ExecutionLifecycleHooks(
			mode,
			executionId,
			{
				id: workflow.id,
				name: workflow.name,
				nodes: json.nodes,
				connections: json.connections,
				active: false,
				activeVersionId: null,
				isArchived: false,
				createdAt: new Date(),
				updatedAt: new Date(),
				settings: {},
			} as never,
		);
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }],
			},
		});
		const execution = new WorkflowExecute(data, mode, runExecutionData).processRunExecutionData(
			workflow,
		);
		options.onStarted?.(() => execution.cancel());
		return await execution;
	};

	const pollContext: Harness['pollContext'] = (
		workflow,
		nodeName,
		mode = 'trigger',
		activation = 'activate',
	) => {
		const node = workflow.getNode(nodeName);
		if (!node) throw new Error(`No node ${nodeName}`);
		return new PollContext(workflow, node, additionalData(), mode, activation);
	};

	return { pkg, buildWorkflow, additionalData, run, pollContext };
}

/** The output items of a node in a finished run (first run, main output 0). */
export function outputOf(run: IRun, nodeName: string): INodeExecutionData[] {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task)
		throw new Error(
			`Node "${nodeName}" did not run. Error: ${run.data.resultData.error?.message ?? 'none'}`,
		);
	if (task.error) throw task.error;
	return task.data?.main?.[0] ?? [];
}

/** The error a node stopped with, if any. */
export function errorOf(run: IRun, nodeName: string): Error | undefined {
	return run.data.resultData.runData[nodeName]?.[0]?.error ?? undefined;
}

/** Reads a binary item property back as bytes, whatever the binary mode. */
export async function binaryBytes(binary: { id?: string; data: string }): Promise<Buffer> {
	if (binary.id) return await Container.get(BinaryDataService).getAsBuffer(binary as never);
	return Buffer.from(binary.data, 'base64');
}
