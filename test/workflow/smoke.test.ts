/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
import { readFileSync } from 'node:fs';

import { FIXTURE_PATH, JimengSimulator } from '../tooling/simulator';
import { binaryBytes, createHarness, outputOf, useMemoryBinaryData } from '../support/harness';
import { jimengWorkflow, simulatorCredential } from '../support/workflows';

describe('smoke', () => {
	const sim = new JimengSimulator({ queueMs: 100, generateMs: 200 });
	beforeAll(async () => {
		await sim.start();
		useMemoryBinaryData();
	});
	afterAll(async () => await sim.stop());

	it('generates a video', async () => {
		const harness = await createHarness([simulatorCredential(sim)]);
		const run = await harness.run(
			jimengWorkflow({
				operation: 'generateAndWait',
				prompt: 'a cat',
				options: { pollInterval: 0.1 },
			}),
		);
		const [item] = outputOf(run, 'Jimeng Video');
		expect(item.json).toMatchObject({
			status: 'done',
			timed_out: false,
			req_key: 'jimeng_ti2v_v30_pro',
		});
		const bytes = await binaryBytes(item.binary!.data as never);
		expect(bytes.equals(readFileSync(FIXTURE_PATH))).toBe(true);
	});
});
