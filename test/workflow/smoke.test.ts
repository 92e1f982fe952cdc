/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
import { readFileSync } from 'node:fs';

import { FIXTURE_PATH } from '../tooling/simulator';
import { binaryBytes, outputOf } from '../support/harness';
import { useSimulator } from '../support/useSimulator';
import { jimengWorkflow } from '../support/workflows';

describe('smoke', () => {
	const { harness } = useSimulator({ queueMs: 100, generateMs: 200 });

	it('generates a video', async () => {
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
