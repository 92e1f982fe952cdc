/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The example workflows as `npm start` imports them, and the banner it prints: pure, so the link to
 * the text-to-video example is tested without starting n8n.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import type { WorkflowJson } from './n8nCli';

/** The credential id the example workflows reference (see examples/*.json). */
export const EXAMPLE_CREDENTIAL_ID = 'jimengCredential';
/** The Volcengine Ark API credential id the Seedance examples reference (examples/seedance-*.json). */
export const EXAMPLE_ARK_CREDENTIAL_ID = 'seedanceCredential';
/** The example a newcomer should open first; the banner links straight to it. */
export const FIRST_EXAMPLE_FILE = 'text-to-video.json';

export interface ExampleWorkflow {
	file: string;
	workflow: WorkflowJson;
}

type ExampleJson = WorkflowJson & {
	nodes: Array<{ credentials?: Record<string, { id: string; name: string }> }>;
};

/** Example files → workflows with stable ids (by file name), using `credential` (and `arkCredential`). */
export function loadExamples(
	dir: string,
	credential: { id: string; name: string },
	arkCredential?: { id: string; name: string },
): ExampleWorkflow[] {
	// The Seedance examples came later: numbered after the others, so that the ids `npm start` has
	// already imported into a user folder keep naming the same examples.
	const later = (file: string) => (file.startsWith('seedance-') ? 1 : 0);
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort((a, b) => later(a) - later(b) || a.localeCompare(b))
		.map((file, index) => {
			const workflow = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ExampleJson;
			for (const node of workflow.nodes) {
				const ref = node.credentials?.volcengineApi;
				if (ref?.id === EXAMPLE_CREDENTIAL_ID) node.credentials!.volcengineApi = { ...credential };
				const arkRef = node.credentials?.volcengineArkApi;
				if (arkCredential && arkRef?.id === EXAMPLE_ARK_CREDENTIAL_ID)
					node.credentials!.volcengineArkApi = { ...arkCredential };
			}
			return {
				file,
				workflow: { ...workflow, id: `JimengExample${String(index + 1).padStart(3, '0')}` },
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
		`  Seedance:       ${input.simulatorUrl}/api/v3 (credential "Seedance simulator"; the seedance-* examples)`,
	];
	if (input.realCredential)
		lines.push(
			'  real service:   credential "Volcengine (real service)" — switch a node to it to generate real (paid) videos',
		);
	lines.push(`  n8n log:        ${input.logFile}`, '  stop:           Ctrl-C', '');
	return lines;
}
