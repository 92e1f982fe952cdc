/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The example workflows (examples/*.json) as the end-to-end run imports them: the same files users
 * import, in their offline form (test/tooling/n8n-host/examples.ts, as `npm start` imports them:
 * the simulator's credential and sample image), patched only where a test run must differ (poll
 * interval, wait time). Every patch asserts that the node or parameter it changes still exists, so
 * an edited example fails here loudly instead of silently testing something else.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { offlineExample } from '../../tooling/n8n-host/examples';
import { REPO_DIR } from '../../tooling/n8n-host/host';
import type { WorkflowJson } from '../../tooling/n8n-host/n8nCli';
import { SAMPLE_IMAGE_PATH } from '../../tooling/simulator';

/** The credential id the examples reference; remapped to the imported one. */
export const EXAMPLE_CREDENTIAL_ID = 'jimengCredential';
export const JIMENG_NODE_TYPE = 'n8n-nodes-jimeng-video.jimengVideo';
export const TRIGGER_NODE_TYPE = 'n8n-nodes-jimeng-video.jimengVideoTrigger';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export interface Workflow extends WorkflowJson {
	nodes: WorkflowNode[];
}

export interface CredentialRef {
	id: string;
	name: string;
}

export function loadExample(file: string): Workflow {
	return JSON.parse(readFileSync(path.join(REPO_DIR, 'examples', file), 'utf8')) as Workflow;
}

export function nodeNamed(workflow: Workflow, name: string): WorkflowNode {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node)
		throw new Error(
			`workflow "${workflow.name}" has no node "${name}" (nodes: ${workflow.nodes.map((n) => n.name).join(', ')})`,
		);
	return node;
}

function nodesOfType(workflow: Workflow, type: string): WorkflowNode[] {
	return workflow.nodes.filter((n) => n.type === type);
}

/** Points every volcengineApi reference at `credential` (the examples all use EXAMPLE_CREDENTIAL_ID). */
export function useCredential(workflow: Workflow, credential: CredentialRef): Workflow {
	let remapped = 0;
	for (const node of workflow.nodes) {
		const ref = node.credentials?.volcengineApi;
		if (!ref) continue;
		if (ref.id !== EXAMPLE_CREDENTIAL_ID)
			throw new Error(
				`"${workflow.name}" / ${node.name} references credential ${ref.id}, not ${EXAMPLE_CREDENTIAL_ID}`,
			);
		node.credentials!.volcengineApi = { ...credential };
		remapped++;
	}
	if (remapped === 0) throw new Error(`"${workflow.name}" references no volcengineApi credential`);
	return workflow;
}

/** Generate and Wait polls every `options.pollInterval` seconds (10–15 s in the examples): far too slow for a test. */
function fastPolling(workflow: Workflow, pollIntervalSec: number): Workflow {
	const nodes = nodesOfType(workflow, JIMENG_NODE_TYPE).filter(
		(n) => (n.parameters.operation ?? 'generateAndWait') === 'generateAndWait',
	);
	if (nodes.length === 0) throw new Error(`"${workflow.name}" has no Generate and Wait node`);
	for (const node of nodes)
		node.parameters.options = {
			...(node.parameters.options as object | undefined),
			pollInterval: pollIntervalSec,
		};
	return workflow;
}

/** A stable, readable id per workflow: the n8n log and the public API then name what they run. */
function withId(workflow: Workflow, id: string): Workflow {
	if (!/^[A-Za-z0-9]{16}$/.test(id)) throw new Error(`workflow id ${id} must be 16 letters/digits`);
	return { ...workflow, id };
}

export interface Endpoints {
	/** The simulator's base URL: the examples' credential points there, the image example downloads its sample image there. */
	simulatorUrl: string;
}

/** The example in its offline form (as `npm start` imports it) with `credential`. */
function offline(file: string, credential: CredentialRef, simulatorUrl: string): Workflow {
	return offlineExample(
		useCredential(loadExample(file), credential),
		simulatorUrl,
		credential,
	) as Workflow;
}

export interface E2eWorkflows {
	textToVideo: Workflow;
	submitThenGet: Workflow;
	imageToVideo: Workflow;
	batch: Workflow;
	batchFaults: Workflow;
	badFrames: Workflow;
	longPrompt: Workflow;
	httpRequest: Workflow;
	trigger: Workflow;
}

export interface BuildOptions {
	credential: CredentialRef;
	/** Credential whose Base URL is the fault-injecting simulator. */
	faultCredential: CredentialRef;
	endpoints: Endpoints;
	pollIntervalSec: number;
	/** The Submit → Get Result example's Wait, shortened from 3 minutes so it stays in-process (< 65 s). */
	waitSec: number;
	/** Task watched by the trigger workflow; also the one the HTTP Request node asks about. */
	triggerTaskId: string;
	/** Model the trigger task was created with (Get Result must use it). */
	model: string;
}

export function buildWorkflows(o: BuildOptions): E2eWorkflows {
	const sim = o.endpoints.simulatorUrl;
	const textToVideo = withId(
		fastPolling(offline('text-to-video.json', o.credential, sim), o.pollIntervalSec),
		'E2eTextToVideo01',
	);

	const submitThenGet = withId(
		offline('submit-then-get-result.json', o.credential, sim),
		'E2eSubmitGetRes1',
	);
	const wait = nodeNamed(submitThenGet, 'Wait');
	if (wait.type !== 'n8n-nodes-base.wait')
		throw new Error(`"${submitThenGet.name}" / Wait is ${wait.type}`);
	wait.parameters = { ...wait.parameters, amount: o.waitSec, unit: 'seconds' };

	const imageToVideo = withId(
		offline('image-to-video-from-url.json', o.credential, sim),
		'E2eImageToVideo1',
	);
	const download = nodeNamed(imageToVideo, 'Download Image');
	if (download.parameters.url !== `${sim}${SAMPLE_IMAGE_PATH}`)
		throw new Error(
			`"${imageToVideo.name}" / Download Image fetches ${String(download.parameters.url)} offline: only the public sample picture of examples.ts (PUBLIC_SAMPLE_IMAGE_URL) is served by the simulator`,
		);
	fastPolling(imageToVideo, o.pollIntervalSec);

	const batch = withId(
		fastPolling(offline('batch-from-prompts.json', o.credential, sim), o.pollIntervalSec),
		'E2eBatchPrompts1',
	);
	const batchFaults = withId(
		fastPolling(offline('batch-from-prompts.json', o.faultCredential, sim), o.pollIntervalSec),
		'E2eBatchFaults01',
	);
	batchFaults.name = `${batchFaults.name} (fault profile)`;

	// Values that only an expression can produce (the editor offers 121/241 and caps nothing): the
	// node's own pre-send validation must stop them before any request.
	const badFrames = withId(
		useCredential(loadExample('text-to-video.json'), o.credential),
		'E2eBadFrames0001',
	);
	badFrames.name = 'E2E: frames 120 by expression';
	nodeNamed(badFrames, 'Jimeng Video').parameters.frames = '={{ 120 }}';
	const longPrompt = withId(
		useCredential(loadExample('text-to-video.json'), o.credential),
		'E2eLongPrompt001',
	);
	longPrompt.name = 'E2E: an 801-character prompt by expression';
	nodeNamed(longPrompt, 'Jimeng Video').parameters.prompt = "={{ 'A'.repeat(801) }}";

	// Not a run of the example (it needs real keys and says so on its canvas, so it is left out of the
	// offline runs): its HTTP Request node, which signs with "Predefined Credential Type" →
	// volcengineApi, pointed at the simulator's Get Result (POST + JSON body) instead of IAM ListUsers.
	const httpRequest = withId(
		useCredential(loadExample('http-request-other-volcengine-api.json'), o.credential),
		'E2eHttpRequest01',
	);
	httpRequest.name = "E2E: the IAM example's HTTP Request node, signing for the simulator";
	const http = nodeNamed(httpRequest, 'List IAM Users');
	if (
		http.parameters.authentication !== 'predefinedCredentialType' ||
		http.parameters.nodeCredentialType !== 'volcengineApi'
	) {
		throw new Error(`"${httpRequest.name}" no longer uses the predefined volcengineApi credential`);
	}
	http.parameters = {
		...http.parameters,
		method: 'POST',
		url: `${o.endpoints.simulatorUrl}/?Action=CVSync2AsyncGetResult&Version=2022-08-31`,
		sendBody: true,
		specifyBody: 'json',
		jsonBody: JSON.stringify({ req_key: o.model, task_id: o.triggerTaskId }),
	};

	const trigger = withId(
		offline('trigger-watch-tasks.json', o.credential, sim),
		'E2eTriggerWatch1',
	);
	const triggerNode = nodeNamed(trigger, 'Jimeng Video Trigger');
	if ((triggerNode.parameters.mode ?? 'watchTasks') !== 'watchTasks')
		throw new Error(`"${trigger.name}" is not in watchTasks mode`);
	triggerNode.parameters.taskIds = o.triggerTaskId;

	return {
		textToVideo,
		submitThenGet,
		imageToVideo,
		batch,
		batchFaults,
		badFrames,
		longPrompt,
		httpRequest,
		trigger,
	};
}

// ---- Seedance (API = Seedance on Ark) ------------------------------------------------------------

/** The Seedance examples' node name and the credential id they reference. */
export const SEEDANCE_NODE = 'Seedance';
export const EXAMPLE_ARK_CREDENTIAL_ID = 'seedanceCredential';
export const SEEDANCE_AUDIO_EXAMPLE = 'seedance-text-to-video-with-audio.json';
export const SEEDANCE_CHAIN_EXAMPLE = 'seedance-last-frame-chain.json';
/** The 2.0 model: reference images (up to 9). */
export const SEEDANCE_2_MODEL = 'doubao-seedance-2-0-260128';

export interface SeedanceWorkflows {
	/** The text-to-video-with-audio example (Generate and Wait). */
	audio: Workflow;
	/** Four PNGs made by a Code node → first + last frame (Submit), and → two reference images (Submit, 2.0). */
	media: Workflow;
	/** The last-frame chain example: three clips. */
	chain: Workflow;
	/** Cancel on two task ids (a queued one, a running one), failures as items. */
	cancel: Workflow;
	/** The audio example's node as Submit. */
	submit: Workflow;
	/** The trigger, API Seedance, Trigger On Watch Account, every minute (imported inactive). */
	watch: Workflow;
}

export interface SeedanceBuildOptions {
	/** The Volcengine (Jimeng) credential: the examples' Jimeng references, if any. */
	credential: CredentialRef;
	arkCredential: CredentialRef;
	simulatorUrl: string;
	pollIntervalSec: number;
	/** PNGs the media workflow's Code node makes, by binary property name. */
	images: Record<'first' | 'last' | 'ref_1' | 'ref_2', Buffer>;
	/** The task ids Cancel is given, in this order. */
	cancelTaskIds: [queued: string, running: string];
}

/** A Seedance example in its offline form (the simulator's credentials), under `id`. */
export function seedanceExample(
	file: string,
	id: string,
	o: Pick<
		SeedanceBuildOptions,
		'credential' | 'arkCredential' | 'simulatorUrl' | 'pollIntervalSec'
	>,
): Workflow {
	const original = loadExample(file);
	const refs = original.nodes.filter((n) => n.credentials?.volcengineArkApi);
	if (
		refs.length === 0 ||
		refs.some((n) => n.credentials!.volcengineArkApi!.id !== EXAMPLE_ARK_CREDENTIAL_ID)
	)
		throw new Error(
			`"${original.name}" does not reference the Ark credential ${EXAMPLE_ARK_CREDENTIAL_ID}`,
		);
	const workflow = offlineExample(
		original,
		o.simulatorUrl,
		o.credential,
		o.arkCredential,
	) as Workflow;
	return withId(fastPolling(workflow, o.pollIntervalSec), id);
}

const startNode = (): WorkflowNode => ({
	id: 'e2e00000-0000-4000-8000-000000000001',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
});

const codeNode = (name: string, jsCode: string, x: number): WorkflowNode => ({
	id: `e2e00000-0000-4000-8000-${String(x).padStart(12, '0')}`,
	name,
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [x, 0],
	parameters: { jsCode },
});

const main = (...targets: string[]) => ({
	main: [targets.map((node) => ({ node, type: 'main', index: 0 }))],
});

export function buildSeedanceWorkflows(o: SeedanceBuildOptions): SeedanceWorkflows {
	const audio = seedanceExample(SEEDANCE_AUDIO_EXAMPLE, 'E2eSeedanceAudio', o);
	const chain = seedanceExample(SEEDANCE_CHAIN_EXAMPLE, 'E2eSeedanceChain', o);
	// Every other Seedance workflow is built from the audio example's node (type, credential).
	const template = nodeNamed(audio, SEEDANCE_NODE);
	const seedanceNode = (name: string, x: number, parameters: Record<string, unknown>) => ({
		...template,
		id: `e2e00000-0000-4000-8001-${String(x).padStart(12, '0')}`,
		name,
		position: [x, 0] as [number, number],
		parameters: { api: 'ark', ...parameters },
	});

	const submit = withId(JSON.parse(JSON.stringify(audio)) as Workflow, 'E2eSeedanceSubmt');
	submit.name = 'E2E: Seedance Submit (the audio example’s node)';
	const submitNode = nodeNamed(submit, SEEDANCE_NODE);
	const { options, ...submitParameters } = submitNode.parameters;
	void options;
	submitNode.parameters = { ...submitParameters, operation: 'submit' };

	const images = Object.fromEntries(
		Object.entries(o.images).map(([name, bytes]) => [name, bytes.toString('base64')]),
	);
	const makeImages = codeNode(
		'Make Images',
		[
			'// Four PNG images made in the workflow, as binary properties first, last, ref_1, ref_2.',
			`const images = ${JSON.stringify(images)};`,
			'return [{',
			'  json: { images: Object.keys(images) },',
			'  binary: Object.fromEntries(Object.entries(images).map(([name, data]) => [',
			"    name, { data, mimeType: 'image/png', fileExtension: 'png', fileName: `${name}.png` },",
			'  ])),',
			'}];',
		].join('\n'),
		240,
	);
	const media = withId(
		{
			name: 'E2E: Seedance frames and reference images from binary data',
			nodes: [
				startNode(),
				makeImages,
				seedanceNode('First and Last Frame', 480, {
					operation: 'submit',
					prompt: 'The grey card turns into the other grey card (e2e first + last frame)',
					firstFrameSource: 'binary',
					firstFrameBinaryProperty: 'first',
					lastFrameSource: 'binary',
					lastFrameBinaryProperty: 'last',
				}),
				seedanceNode('Reference Images', 720, {
					operation: 'submit',
					model: SEEDANCE_2_MODEL,
					prompt: 'A short film with the subjects of both pictures (e2e reference images)',
					ratio: '16:9',
					referenceImages: {
						items: [
							{ source: 'binary', binaryPropertyName: 'ref_1' },
							{ source: 'binary', binaryPropertyName: 'ref_2' },
						],
					},
				}),
			],
			connections: {
				Start: main('Make Images'),
				'Make Images': main('First and Last Frame', 'Reference Images'),
			},
			settings: { executionOrder: 'v1' },
		},
		'E2eSeedanceMedia',
	);

	const cancel = withId(
		{
			name: 'E2E: Seedance Cancel, a queued and a running task',
			nodes: [
				startNode(),
				codeNode(
					'Task IDs',
					`return ${JSON.stringify(o.cancelTaskIds)}.map((task_id) => ({ json: { task_id } }));`,
					240,
				),
				{
					...seedanceNode('Cancel', 480, {
						operation: 'cancel',
						taskId: '={{ $json.task_id }}',
					}),
					// Each item's outcome shows in the output: the refusal as an item with its error.
					onError: 'continueRegularOutput',
				},
			],
			connections: { Start: main('Task IDs'), 'Task IDs': main('Cancel') },
			settings: { executionOrder: 'v1' },
		},
		'E2eSeedanceCancl',
	);

	const watch = withId(loadExample('trigger-watch-tasks.json'), 'E2eSeedanceWatch');
	watch.name = 'E2E: Seedance account watch';
	const trigger = nodeNamed(watch, 'Jimeng Video Trigger');
	const pollTimes = trigger.parameters.pollTimes as { item?: Array<{ mode?: string }> } | undefined;
	if (pollTimes?.item?.[0]?.mode !== 'everyMinute')
		throw new Error(`"${watch.name}" no longer polls every minute: ${JSON.stringify(pollTimes)}`);
	trigger.parameters = { pollTimes, api: 'ark', mode: 'watchAccount' };
	trigger.credentials = { volcengineArkApi: { ...o.arkCredential } };

	return { audio, media, chain, cancel, submit, watch };
}
