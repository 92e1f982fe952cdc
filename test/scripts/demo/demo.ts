/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports, no-console -- test tooling, not shipped */
/**
 * `npm run demo`: runs the Generate-and-Wait example (examples/text-to-video.json) headless with
 * n8n's execution engine (n8n-core, in this process: no n8n install needed) and writes the video to
 * ./output/<task_id>.mp4, printing progress while it waits.
 *
 * Against the local simulator by default. With VOLC_ACCESSKEY and VOLC_SECRETKEY set, against the
 * real Jimeng service (it costs money: about 5 CNY for the 5-second Pro video of the example).
 * Optional: VOLC_SESSIONTOKEN, VOLC_BASEURL, DEMO_PROMPT.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import { JimengSimulator } from '../../tooling/simulator';
import {
	createHarness,
	outputOf,
	REPO_ROOT,
	useFilesystemBinaryData,
	type WorkflowJson,
} from '../../support/harness';
import {
	realCredentialDataFromEnv,
	simulatorCredentialData,
} from '../../support/simulatorCredential';

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s`;
const say = (line: string) => console.log(`[demo ${elapsed()}] ${line}`);

/** Progress lines from the node's batch events (in this process: the package is loaded from dist/). */
function showProgress(): void {
	const { onBatchProgress } = require(
		join(REPO_ROOT, 'dist', 'nodes', 'shared', 'batch', 'batchProgress.js'),
	) as typeof import('../../../nodes/shared/batch/batchProgress');
	onBatchProgress((event) => {
		if (event.type === 'submitted') say(`submitted: task_id ${event.taskId} (in_queue)`);
		else if (event.type === 'status') say(`task ${event.taskId}: ${event.status}`);
		else if (event.type === 'concurrencyLimit')
			say('the account is at its concurrency limit (50430): waiting for a slot');
		else if (event.type === 'done') say(`task ${event.taskId}: done, video downloaded`);
		else if (event.type === 'failed') say(`task ${event.taskId ?? '(none)'}: failed`);
		else if (event.type === 'timedOut')
			say(`task ${event.taskId ?? '(none)'}: still running at Max Wait`);
	});
}

/** n8n's log: warnings and errors as demo lines, the rest (debug, info) silent. */
function quietLogger(): void {
	// n8n-core resolves its Logger from its own copy of @n8n/backend-common.
	const backendCommon = require(
		require.resolve('@n8n/backend-common', { paths: [require.resolve('n8n-core')] }),
	) as {
		Logger: new (...args: never[]) => unknown;
	};
	const logger = {
		debug: () => undefined,
		info: () => undefined,
		warn: (message: string) => say(`warning: ${message}`),
		error: (message: string) => say(`error: ${message}`),
		scoped: () => logger,
	};
	Container.set(backendCommon.Logger as never, logger as never);
}

async function main(): Promise<void> {
	const realData = realCredentialDataFromEnv();
	const real = realData !== undefined;
	let sim: JimengSimulator | undefined;
	let credentialData: IDataObject;
	if (realData) {
		credentialData = realData;
		say(
			`using the REAL Jimeng service at ${credentialData.baseUrl as string} (access key ${String(process.env.VOLC_ACCESSKEY).slice(0, 6)}…; this video is billed)`,
		);
	} else {
		sim = new JimengSimulator({ queueMs: 3000, generateMs: 5000 });
		await sim.start();
		credentialData = simulatorCredentialData(sim.url);
		say(
			`using the local Jimeng simulator at ${sim.url} (set VOLC_ACCESSKEY and VOLC_SECRETKEY for the real service)`,
		);
	}

	quietLogger();
	showProgress();
	const store = await useFilesystemBinaryData();
	try {
		const example = JSON.parse(
			readFileSync(join(REPO_ROOT, 'examples', 'text-to-video.json'), 'utf8'),
		) as WorkflowJson & {
			nodes: Array<{ type: string; parameters: IDataObject; credentials?: IDataObject }>;
		};
		const jimeng = example.nodes.find((node) => node.type === 'n8n-nodes-jimeng-video.jimengVideo');
		if (!jimeng) throw new Error('examples/text-to-video.json has no Jimeng Video node');
		if (process.env.DEMO_PROMPT) jimeng.parameters.prompt = process.env.DEMO_PROMPT;
		// The simulator finishes in seconds: poll it every second rather than every 10 s.
		if (!real)
			jimeng.parameters.options = {
				...(jimeng.parameters.options as IDataObject),
				pollInterval: 1,
			};
		jimeng.credentials = { volcengineApi: { id: 'demo', name: 'demo' } };
		example.nodes = example.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');

		say(`running "${example.name}" — prompt: ${JSON.stringify(jimeng.parameters.prompt)}`);
		const harness = await createHarness([
			{ id: 'demo', name: 'demo', type: 'volcengineApi', data: credentialData as never },
		]);
		const run = await harness.run(example);
		const [item] = outputOf(run, 'Jimeng Video');
		if (item.json.error || item.json.status !== 'done')
			throw new Error(`no video: ${JSON.stringify(item.json)}`);
		const binary = item.binary?.data as IBinaryData;
		const outputDir = resolve(process.cwd(), 'output');
		mkdirSync(outputDir, { recursive: true });
		const file = join(outputDir, `${item.json.task_id as string}.mp4`);
		if (binary.id) copyFileSync(Container.get(BinaryDataService).getPath(binary.id), file);
		else writeFileSync(file, Buffer.from(binary.data, 'base64'));
		say(
			`video written: ${file} (${binary.fileSize ?? ''}, ${binary.mimeType}); request_id ${item.json.request_id as string}`,
		);
	} finally {
		store.cleanup();
		await sim?.stop();
	}
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		console.error(`[demo] failed: ${error.message}`);
		process.exit(1);
	},
);
