/**
 * The setup most workflow tests share: a simulator started once for the file, a harness that runs
 * workflows against it with the simulator credential, binary data in memory, and a clean simulator
 * before each test. Call it inside a `describe`.
 */
import {
	JimengSimulator,
	type SimulatorConfigPatch,
	type SimulatorOptions,
} from '../tooling/simulator';
import { createHarness, useMemoryBinaryData, type Harness } from './harness';
import { simulatorCredential } from './workflows';

export interface SimulatorSetup {
	sim: JimengSimulator;
	/** The harness, ready from the first test on (created in beforeAll). */
	harness: Harness;
}

/** `reset` is applied before each test, after `sim.reset()` (faults off, limits as the test file wants). */
export function useSimulator(
	options: SimulatorOptions,
	reset: SimulatorConfigPatch = { faults: {} },
): SimulatorSetup {
	const sim = new JimengSimulator(options);
	let current: Harness | undefined;
	// A stand-in until beforeAll has made the harness: test bodies keep writing `harness.run(...)`.
	const harness = new Proxy({} as Harness, {
		get: (_target, key) => {
			if (!current) throw new Error('useSimulator: the harness is used before beforeAll ran');
			return current[key as keyof Harness];
		},
	});
	beforeAll(async () => {
		await sim.start();
		current = await createHarness([simulatorCredential(sim)]);
	});
	beforeEach(() => {
		// Each test starts in n8n's default binary mode, whatever the previous test switched to.
		useMemoryBinaryData();
		sim.reset();
		sim.configure(reset);
	});
	afterAll(async () => await sim.stop());
	return { sim, harness };
}
