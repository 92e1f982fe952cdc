/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The example workflows as they run offline — under `npm start` and in every test run — and the
 * banner `npm start` prints: pure, so both are tested without starting n8n.
 *
 * Offline means: every request goes to the local simulator. An example that fetches a public sample
 * picture gets the simulator's sample image instead; an example that needs the real service says so
 * on its canvas (a sticky note starting with NEEDS_REAL_KEYS) and is left out of the offline run.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_ARK_API_KEY, DEFAULT_SIMULATOR_ACCOUNT, SAMPLE_IMAGE_PATH } from '../simulator';
import type { WorkflowJson } from './n8nCli';

/** The credential id the example workflows reference (see examples/*.json). */
export const EXAMPLE_CREDENTIAL_ID = 'jimengCredential';
/** The Volcengine Ark API credential id the Seedance examples reference (examples/seedance-*.json). */
export const EXAMPLE_ARK_CREDENTIAL_ID = 'seedanceCredential';
/** The example a newcomer should open first; the banner links straight to it. */
export const FIRST_EXAMPLE_FILE = 'text-to-video.json';

/** How an example's canvas says it cannot run offline: the first words of one of its sticky notes. */
export const NEEDS_REAL_KEYS = '**Needs real Volcengine keys**';
/** The public picture the image-to-video example downloads; offline, the simulator serves its sample. */
export const PUBLIC_SAMPLE_IMAGE_URL =
	'https://upload.wikimedia.org/wikipedia/commons/thumb/4/47/PNG_transparency_demonstration_1.png/640px-PNG_transparency_demonstration_1.png';

export interface ExampleWorkflow {
	file: string;
	workflow: WorkflowJson;
	/** Set when the example needs the real service: why, as its canvas says. Left out of offline runs. */
	needsRealKeys?: string;
}

interface ExampleNode {
	type: string;
	name: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
type ExampleJson = WorkflowJson & { nodes: ExampleNode[] };

/** Why the example needs the real service, from its sticky note; undefined when it runs offline. */
export function realKeysReason(workflow: WorkflowJson): string | undefined {
	for (const node of (workflow as ExampleJson).nodes) {
		const content = node.parameters?.content;
		if (node.type !== 'n8n-nodes-base.stickyNote' || typeof content !== 'string') continue;
		const line = content.split('\n').find((text) => text.trim().startsWith(NEEDS_REAL_KEYS));
		// Its first sentence: what the example reaches that the simulator does not serve.
		if (line)
			return line
				.trim()
				.slice(NEEDS_REAL_KEYS.length)
				.replace(/^[\s:—-]+/, '')
				.split(/(?<=\.)\s/)[0];
	}
	return undefined;
}

/**
 * The example as it runs offline: the credential is `credential` (the simulator's), a public sample
 * picture becomes the simulator's sample image. Nothing else changes.
 */
export function offlineExample(
	workflow: WorkflowJson,
	simulatorUrl: string,
	credential: { id: string; name: string },
	arkCredential?: { id: string; name: string },
): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as ExampleJson;
	for (const node of copy.nodes) {
		const ref = node.credentials?.volcengineApi;
		if (ref?.id === EXAMPLE_CREDENTIAL_ID) node.credentials!.volcengineApi = { ...credential };
		const arkRef = node.credentials?.volcengineArkApi;
		if (arkCredential && arkRef?.id === EXAMPLE_ARK_CREDENTIAL_ID)
			node.credentials!.volcengineArkApi = { ...arkCredential };
		for (const [name, value] of Object.entries(node.parameters ?? {}))
			if (value === PUBLIC_SAMPLE_IMAGE_URL)
				node.parameters[name] = `${simulatorUrl.replace(/\/+$/, '')}${SAMPLE_IMAGE_PATH}`;
	}
	return copy;
}

/** Example files → offline workflows with stable ids, using `credential` (and `arkCredential`). */
export function loadExamples(
	dir: string,
	credential: { id: string; name: string },
	simulatorUrl: string,
	arkCredential?: { id: string; name: string },
): ExampleWorkflow[] {
	// The Seedance examples came later: numbered after the others, so that the ids `npm start` has
	// already imported into a user folder keep naming the same examples.
	const later = (file: string) => (file.startsWith('seedance-') ? 1 : 0);
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort((a, b) => later(a) - later(b) || a.localeCompare(b))
		.map((file, index) => {
			const original = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as WorkflowJson;
			const workflow = offlineExample(original, simulatorUrl, credential, arkCredential);
			const needsRealKeys = realKeysReason(original);
			return {
				file,
				workflow: { ...workflow, id: `JimengExample${String(index + 1).padStart(3, '0')}` },
				...(needsRealKeys ? { needsRealKeys } : {}),
			};
		});
}

/** The editor's address of a workflow. */
export function workflowUrl(baseUrl: string, workflowId: string): string {
	return `${baseUrl.replace(/\/+$/, '')}/workflow/${encodeURIComponent(workflowId)}`;
}

export interface BannerInput {
	baseUrl: string;
	login: { email: string; password: string };
	examples: ExampleWorkflow[];
	simulatorUrl: string;
	realCredential: boolean;
	logFile: string;
}

/** What `npm start` prints once n8n is ready. */
export function startBanner(input: BannerInput): string[] {
	const first = input.examples.find((example) => example.file === FIRST_EXAMPLE_FILE);
	const lines = [
		'',
		`  n8n is ready:   ${input.baseUrl}`,
		`  log in:         ${input.login.email} / ${input.login.password}`,
		first
			? `  try:            ${workflowUrl(input.baseUrl, first.workflow.id as string)} ("${first.workflow.name}"), then click "Execute workflow"`
			: '  try:            open an example workflow and click "Execute workflow"',
		`  simulator:      ${input.simulatorUrl} (credential "Jimeng simulator"; videos in ~10 s; each is a 2-second test pattern)`,
		// Test keys the simulator accepts (not secrets): for a credential or an HTTP Request made by hand.
		`  simulator keys: Access Key ID ${DEFAULT_SIMULATOR_ACCOUNT.accessKeyId} / Secret Access Key ${DEFAULT_SIMULATOR_ACCOUNT.secretAccessKey} (Region cn-north-1, Service cv, Base URL ${input.simulatorUrl})`,
		`  Seedance:       ${input.simulatorUrl}/api/v3 (credential "Seedance simulator"; the seedance-* examples; API key ${DEFAULT_ARK_API_KEY})`,
	];
	for (const example of input.examples.filter((e) => e.needsRealKeys))
		lines.push(`  needs real keys: "${example.workflow.name}" — ${example.needsRealKeys}`);
	if (input.realCredential)
		lines.push(
			'  real service:   credential "Volcengine (real service)" — switch a node to it to generate real (paid) videos',
		);
	lines.push(`  n8n log:        ${input.logFile}`, '  stop:           Ctrl-C', '');
	return lines;
}
