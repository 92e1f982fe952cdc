/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/**
 * `npm start`'s examples and banner: the banner links straight to the text-to-video example, by the
 * id the example is imported under, and gives the simulator's keys; the examples are imported in
 * their offline form.
 */
import path from 'node:path';

import {
	EXAMPLE_ARK_CREDENTIAL_ID,
	EXAMPLE_CREDENTIAL_ID,
	FIRST_EXAMPLE_FILE,
	PUBLIC_SAMPLE_IMAGE_URL,
	loadExamples,
	startBanner,
	workflowUrl,
} from '../tooling/n8n-host/examples';
import { DEFAULT_SIMULATOR_ACCOUNT, SAMPLE_IMAGE_PATH } from '../tooling/simulator';

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');
const credential = { id: 'JimengSimulator1', name: 'Jimeng simulator' };

describe('npm start: examples and banner', () => {
	const examples = loadExamples(EXAMPLES_DIR, credential, 'http://127.0.0.1:5699');

	it('imports every example under a stable id, using the simulator credential', () => {
		expect(examples.length).toBeGreaterThanOrEqual(5);
		const ids = examples.map((example) => example.workflow.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(id).toMatch(/^JimengExample\d{3}$/);
		const text = JSON.stringify(examples.map((example) => example.workflow));
		expect(text).not.toContain(`"id":"${EXAMPLE_CREDENTIAL_ID}"`);
		expect(text).toContain('"volcengineApi":{"id":"JimengSimulator1","name":"Jimeng simulator"}');
	});

	it('points the Seedance examples at the Ark simulator credential', () => {
		const ark = { id: 'SeedanceSimulat1', name: 'Seedance simulator' };
		const seedance = loadExamples(EXAMPLES_DIR, credential, 'http://127.0.0.1:5699', ark).filter(
			(example) => example.file.startsWith('seedance-'),
		);
		expect(seedance.map((example) => example.file).sort()).toEqual([
			'seedance-last-frame-chain.json',
			'seedance-text-to-video-with-audio.json',
		]);
		// Numbered after the others: the ids an existing user folder imported keep their examples.
		expect(seedance.map((example) => example.workflow.id)).toEqual([
			`JimengExample${String(examples.length - 1).padStart(3, '0')}`,
			`JimengExample${String(examples.length).padStart(3, '0')}`,
		]);
		const text = JSON.stringify(seedance.map((example) => example.workflow));
		expect(text).not.toContain(`"id":"${EXAMPLE_ARK_CREDENTIAL_ID}"`);
		expect(text).toContain(
			'"volcengineArkApi":{"id":"SeedanceSimulat1","name":"Seedance simulator"}',
		);
	});

	it('prints a direct link to the text-to-video example', () => {
		const first = examples.find((example) => example.file === FIRST_EXAMPLE_FILE);
		expect(first?.workflow.name).toBe('Jimeng: text-to-video (Generate and Wait)');
		const lines = startBanner({
			baseUrl: 'http://localhost:5678/',
			login: { email: 'dev@jimeng.local', password: 'pw' },
			examples,
			simulatorUrl: 'http://127.0.0.1:5699',
			realCredential: false,
			logFile: '/tmp/n8n.log',
		});
		const tryLine = lines.find((line) => line.includes('try:'));
		expect(tryLine).toBe(
			`  try:            http://localhost:5678/workflow/${first?.workflow.id as string} ("Jimeng: text-to-video (Generate and Wait)"), then click "Execute workflow"`,
		);
		expect(lines.join('\n')).toContain('n8n is ready:   http://localhost:5678/');
		expect(lines.join('\n')).not.toContain('real service');
		expect(lines.join('\n')).toContain('2-second test pattern');
		// The simulator's test keys (not secrets), for a credential or a request made by hand.
		expect(lines).toContain(
			`  simulator keys: Access Key ID ${DEFAULT_SIMULATOR_ACCOUNT.accessKeyId} / Secret Access Key ${DEFAULT_SIMULATOR_ACCOUNT.secretAccessKey} (Region cn-north-1, Service cv, Base URL http://127.0.0.1:5699)`,
		);
		expect(lines.filter((line) => line.includes('needs real keys'))).toEqual([
			'  needs real keys: "Volcengine: call another API with the HTTP Request node" — it calls Volcengine IAM (open.volcengineapi.com), which the local simulator does not serve.',
		]);
	});

	it("imports the examples in their offline form: the image example downloads the simulator's sample image", () => {
		const image = examples.find((example) => example.file === 'image-to-video-from-url.json')
			?.workflow as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
		const download = image.nodes.find((node) => node.name === 'Download Image');
		expect(download?.parameters.url).toBe(`http://127.0.0.1:5699${SAMPLE_IMAGE_PATH}`);
		expect(JSON.stringify(examples.map((example) => example.workflow))).not.toContain(
			PUBLIC_SAMPLE_IMAGE_URL,
		);
		expect(examples.filter((example) => example.needsRealKeys).map((e) => e.file)).toEqual([
			'http-request-other-volcengine-api.json',
		]);
	});

	it("the watch-tasks example's sticky note tells to paste your own task id", () => {
		const watch = examples.find((example) => example.file === 'trigger-watch-tasks.json')
			?.workflow as { nodes: Array<{ type: string; parameters: Record<string, string> }> };
		const trigger = watch.nodes.find((node) => node.type.endsWith('.jimengVideoTrigger'));
		const note = watch.nodes.find((node) => node.type === 'n8n-nodes-base.stickyNote');
		expect(note?.parameters.content).toContain('Paste your own task IDs');
		expect(note?.parameters.content).toContain(trigger?.parameters.taskIds);
	});

	it('builds editor links without double slashes', () => {
		expect(workflowUrl('http://127.0.0.1:5678', 'JimengExample005')).toBe(
			'http://127.0.0.1:5678/workflow/JimengExample005',
		);
		expect(workflowUrl('http://127.0.0.1:5678//', 'a b')).toBe(
			'http://127.0.0.1:5678/workflow/a%20b',
		);
	});
});
