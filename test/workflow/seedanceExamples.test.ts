/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The Seedance examples (examples/seedance-*.json) run here offline, in-process against the
 * simulator (both APIs on one port), in the form `npm start` imports them: the example's Ark
 * credential pointed at the simulator, Generate and Wait polling fast. Every HTTP request the
 * process sends is recorded: one to a host other than the simulator fails the test.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { loadExample, type Workflow } from '../scripts/e2e/workflows';
import { EXAMPLE_ARK_CREDENTIAL_ID } from '../tooling/n8n-host/examples';
import { binaryBytes, errorOf, outputOf, REPO_ROOT, type WorkflowJson } from '../support/harness';
import { recordOutboundRequests, strayRequests } from '../support/outboundRequests';
import { ARK_SIM_CREDENTIAL_ID, useSeedanceSimulator } from '../support/seedance';

const JIMENG_NODE_TYPE = 'n8n-nodes-jimeng-video.jimengVideo';
const isMp4 = (bytes: Buffer) => bytes.subarray(4, 8).toString('latin1') === 'ftyp';

/** The example as `npm start` imports it, polling every 50 ms. */
function offline(file: string): WorkflowJson {
	const workflow: Workflow = loadExample(file);
	let ark = 0;
	for (const node of workflow.nodes) {
		const ref = node.credentials?.volcengineArkApi;
		if (!ref) continue;
		if (ref.id !== EXAMPLE_ARK_CREDENTIAL_ID)
			throw new Error(`${file} / ${node.name} references credential ${ref.id}`);
		node.credentials!.volcengineArkApi = { id: ARK_SIM_CREDENTIAL_ID, name: 'Ark simulator' };
		ark++;
		if (node.type === JIMENG_NODE_TYPE)
			node.parameters.options = {
				...(node.parameters.options as object | undefined),
				pollInterval: 0.05,
			};
	}
	if (ark === 0) throw new Error(`${file} uses no Volcengine Ark API credential`);
	return workflow as unknown as WorkflowJson;
}

describe('examples/seedance-*.json, offline against the simulator', () => {
	const { sim, ark, harness } = useSeedanceSimulator(
		{ seed: 45, queueMs: 20, generateMs: 60 },
		{ queueMs: 20, generateMs: 60 },
	);
	const ran = new Set<string>();
	let outbound: ReturnType<typeof recordOutboundRequests>;
	beforeEach(() => {
		outbound = recordOutboundRequests();
	});
	afterEach(() => {
		outbound.stop();
		// Every example runs offline: a request to anything but the simulator is a failure.
		expect(strayRequests(outbound.requests, [sim.url])).toEqual([]);
	});
	/** The recorder saw the run's requests (the check above is not vacuous). */
	const expectRecorded = () =>
		expect(outbound.requests.map((request) => request.origin)).toContain(sim.url);

	it('seedance-text-to-video-with-audio.json: one video with sound, as binary data', async () => {
		ran.add('seedance-text-to-video-with-audio.json');
		const run = await harness.run(offline('seedance-text-to-video-with-audio.json'));
		const [item] = outputOf(run, 'Seedance');
		expect(item.json).toMatchObject({
			status: 'succeeded',
			generate_audio: true,
			timed_out: false,
		});
		expect(isMp4(await binaryBytes(item.binary!.data))).toBe(true);
		expect(ark.creates()).toHaveLength(1);
		expect(ark.creates()[0].body).toMatchObject({ generate_audio: true, ratio: '16:9' });
		expectRecorded();
	});

	it('seedance-last-frame-chain.json: each clip starts from the last frame before it; the three listed in order', async () => {
		ran.add('seedance-last-frame-chain.json');
		const run = await harness.run(offline('seedance-last-frame-chain.json'));
		expect(errorOf(run, 'Clips in Order')).toBeUndefined();
		const clips = ['Clip 1', 'Clip 2', 'Clip 3'].map((name) => outputOf(run, name)[0]);
		const creates = ark
			.creates()
			.map((entry) => entry.body as { content: Array<{ role?: string }> });
		expect(creates).toHaveLength(3);
		// Clip 1 from text; clips 2 and 3 from a first frame (the PNG the clip before returned).
		expect(creates.map((body) => body.content.map((part) => part.role ?? 'text'))).toEqual([
			['text'],
			['text', 'first_frame'],
			['text', 'first_frame'],
		]);
		expect(clips[0].binary!.last_frame.mimeType).toBe('image/png');
		const [story] = outputOf(run, 'Clips in Order');
		expect(story.json.task_ids).toEqual(clips.map((clip) => clip.json.task_id));
		expect(Object.keys(story.binary ?? {})).toEqual(['clip_1', 'clip_2', 'clip_3']);
		for (const [index, clip] of clips.entries()) {
			const listed = await binaryBytes(story.binary![`clip_${index + 1}`]);
			expect(isMp4(listed)).toBe(true);
			expect(listed.equals(await binaryBytes(clip.binary!.data))).toBe(true);
			expect(story.binary![`clip_${index + 1}`].fileName).toBe(
				`${clip.json.task_id as string}.mp4`,
			);
		}
	});

	it('covers every examples/seedance-*.json', () => {
		const files = readdirSync(join(REPO_ROOT, 'examples')).filter(
			(name) => name.startsWith('seedance-') && name.endsWith('.json'),
		);
		expect([...ran].sort()).toEqual(files.sort());
	});
});
