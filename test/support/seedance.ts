/**
 * The setup of the Seedance workflow tests: one simulator serving both APIs on one port (Jimeng's
 * and Ark's under /api/v3), a harness holding both credentials, and workflows Start → (Items) →
 * Jimeng Video with API = Seedance.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import {
	ArkSimulator,
	DEFAULT_ARK_API_KEY,
	DEFAULT_ARK_CONFIG,
	JimengSimulator,
	type ArkSimulatorConfig,
	type ArkSimulatorOptions,
} from '../tooling/simulator';
import {
	createHarness,
	NODE_TYPE,
	useMemoryBinaryData,
	type CredentialRecord,
	type Harness,
	type WorkflowJson,
} from './harness';
import { startNode } from './startNode';
import { simulatorCredential, type ItemSpec } from './workflows';

export const ARK_SIM_CREDENTIAL_ID = 'cred-ark-sim';
export const SEEDANCE_NODE = 'Seedance';
export { DEFAULT_ARK_API_KEY };

export function arkSimulatorCredential(sim: JimengSimulator): CredentialRecord {
	return {
		id: ARK_SIM_CREDENTIAL_ID,
		name: 'Ark simulator',
		type: 'volcengineArkApi',
		data: { apiKey: DEFAULT_ARK_API_KEY, baseUrl: `${sim.url}/api/v3` },
	};
}

export interface SeedanceSetup {
	sim: JimengSimulator;
	ark: ArkSimulator;
	harness: Harness;
	/** Called with the Ark simulator's log line of every request (e.g. to turn a fault off after one). */
	onRequest(listener: (line: string) => void): void;
}

/**
 * Call inside a `describe`: the simulator starts once for the file; before each test its Ark side is
 * reset to its defaults (no limits, no faults, 24-hour URLs, the timing of `options`) and `reset`
 * applied: a limit one test sets never leaks into the next.
 */
export function useSeedanceSimulator(
	options: ArkSimulatorOptions,
	reset: Partial<ArkSimulatorConfig> = { faults: {} },
): SeedanceSetup {
	const timing = { queueMs: options.queueMs ?? 20, generateMs: options.generateMs ?? 40 };
	let listener: (line: string) => void = () => undefined;
	// The caller's options object itself (a test may change `apiKeys` between requests).
	const ark = new ArkSimulator(Object.assign(options, { log: (line: string) => listener(line) }));
	const sim = new JimengSimulator({ ark, queueMs: 50, generateMs: 50 });
	let current: Harness | undefined;
	const harness = new Proxy({} as Harness, {
		get: (_target, key) => {
			if (!current) throw new Error('useSeedanceSimulator: the harness is used before beforeAll');
			return current[key as keyof Harness];
		},
	});
	beforeAll(async () => {
		await sim.start();
		current = await createHarness([simulatorCredential(sim), arkSimulatorCredential(sim)]);
	});
	beforeEach(() => {
		useMemoryBinaryData();
		listener = () => undefined;
		sim.reset();
		ark.reset();
		ark.configure({ ...DEFAULT_ARK_CONFIG, ...timing, faults: {}, ...reset });
	});
	afterAll(async () => await sim.stop());
	return { sim, ark, harness, onRequest: (next) => (listener = next) };
}

/** Start → (Items) → "Seedance", a Jimeng Video node with API = Seedance and the Ark credential. */
export function seedanceWorkflow(
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
		name: SEEDANCE_NODE,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [400, 0],
		parameters: { api: 'ark', ...parameters } as INode['parameters'],
		credentials: { volcengineArkApi: { id: ARK_SIM_CREDENTIAL_ID, name: 'Ark simulator' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...options.nodeSettings,
	});
	connections[previous] = { main: [[{ node: SEEDANCE_NODE, type: 'main', index: 0 }]] };
	return { nodes, connections };
}

/** A binary item property as the Items node takes it. */
export function binaryOf(bytes: Uint8Array, fileName: string, mimeType: string) {
	return { base64: Buffer.from(bytes).toString('base64'), fileName, mimeType };
}

/** Polls every 50 ms: Generate and Wait's options for a quick test. */
export const FAST_POLL = { pollInterval: 0.05 };
