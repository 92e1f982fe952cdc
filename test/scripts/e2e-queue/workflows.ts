/**
 * The workflows of the queue-mode run, built from the examples users import (examples/*.json) and
 * patched only where a queue test must differ: a production Webhook instead of the Manual Trigger
 * (webhook executions go through the queue; manual ones stay on the main unless offloaded), fast
 * polling, and a last node that records which process ran the execution.
 */
import { randomUUID } from 'node:crypto';

import {
	loadExample,
	nodeNamed,
	useCredential,
	type CredentialRef,
	type Workflow,
	type WorkflowNode,
} from '../e2e/workflows';

/** The node every queue workflow ends with: `worker` = the env var JIMENG_WORKER_NAME of the process that ran it. */
export const RECORD_NODE = 'Record Worker';
/** Crypto node after the trigger: SHA-256 of the video, computed on the worker. */
export const HASH_NODE = 'Hash Video';
export const LOAD_PATH = 'jimeng-queue-load';
export const COLLECT_PATH = 'jimeng-queue-collect';

/**
 * A Set node writing `worker` (and the item's task id and status) into the execution record.
 * n8n 2.41 stores no worker id with an execution (the worker only logs "Worker started execution
 * N"), so the run data is where the record has to come from. `$env` needs
 * N8N_BLOCK_ENV_ACCESS_IN_NODE=false on the process that evaluates it.
 */
function recordWorkerNode(position: [number, number]): WorkflowNode {
	const field = (name: string, value: string) => ({
		id: randomUUID(),
		name,
		value,
		type: 'string',
	});
	return {
		id: randomUUID(),
		name: RECORD_NODE,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position,
		parameters: {
			assignments: {
				assignments: [
					field('worker', '={{ $env.JIMENG_WORKER_NAME }}'),
					field('task_id', '={{ $json.task_id }}'),
					field('status', '={{ $json.status }}'),
				],
			},
			options: {},
		},
	};
}

function webhookNode(name: string, webhookPath: string, position: [number, number]): WorkflowNode {
	const id = randomUUID();
	return {
		id,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position,
		webhookId: id,
		// "Respond immediately": the caller gets 200 once the execution is queued, not when it ends.
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
}

const link = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });

export interface QueueWorkflows {
	/** Webhook → Prompts (Code) → Jimeng Video (Generate and Wait) → Record Worker. */
	load: Workflow;
	/** Webhook → Task IDs (Code) → Get Result → Record Worker: collects tasks by id. */
	collect: Workflow;
	/** Jimeng Video Trigger (watchTasks) → Do Something → Hash Video (Crypto) → Record Worker. */
	trigger: Workflow;
}

export interface QueueWorkflowOptions {
	credential: CredentialRef;
	pollIntervalSec: number;
	triggerTaskId: string;
}

export function buildQueueWorkflows(o: QueueWorkflowOptions): QueueWorkflows {
	// The batch example: its Code node makes the prompts, Generate and Wait runs them all at once.
	const load = useCredential(loadExample('batch-from-prompts.json'), o.credential);
	load.name = 'Queue e2e: batch of prompts from a webhook';
	const start = nodeNamed(load, 'Start');
	if (start.type !== 'n8n-nodes-base.manualTrigger')
		throw new Error(`"${load.name}" / Start is ${start.type}`);
	const prompts = nodeNamed(load, 'Prompts');
	const video = nodeNamed(load, 'Jimeng Video');
	if ((video.parameters.operation ?? 'generateAndWait') !== 'generateAndWait')
		throw new Error(`"${load.name}" / Jimeng Video is not Generate and Wait`);
	// Each call says how many prompts and tags them, so every simulator task maps back to its call.
	prompts.parameters.jsCode = [
		'const body = $input.first().json.body ?? {};',
		'const count = Number(body.count ?? 5);',
		"const tag = String(body.tag ?? 'load');",
		"const scenes = ['a paper boat on a rainy street', 'a city skyline from dusk to night', 'a hummingbird over a red flower', 'waves on a black sand beach', 'a lantern festival from above'];",
		'return Array.from({ length: count }, (_, i) => ({ json: { tag, prompt: `${tag} #${i + 1}: ${scenes[i % scenes.length]}` } }));',
	].join('\n');
	video.parameters.options = {
		...(video.parameters.options as object | undefined),
		pollInterval: o.pollIntervalSec,
	};
	const hook = webhookNode('Webhook', LOAD_PATH, start.position);
	load.nodes = [hook, ...load.nodes.filter((n) => n !== start), recordWorkerNode([700, 0])];
	load.connections = {
		...load.connections,
		Webhook: link('Prompts'),
		'Jimeng Video': link(RECORD_NODE),
	};
	delete load.connections.Start;

	// Get Result from the submit-then-get example, fed with task ids from a webhook.
	const example = useCredential(loadExample('submit-then-get-result.json'), o.credential);
	const getResult = nodeNamed(example, 'Get Result');
	if (getResult.parameters.operation !== 'getResult')
		throw new Error(`"${example.name}" / Get Result is not the Get Result operation`);
	const collect: Workflow = {
		name: 'Queue e2e: collect tasks by id (Get Result)',
		nodes: [
			webhookNode('Webhook', COLLECT_PATH, [0, 0]),
			{
				id: randomUUID(),
				name: 'Task IDs',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode:
						'return ($input.first().json.body?.task_ids ?? []).map((task_id) => ({ json: { task_id: String(task_id) } }));',
				},
			},
			{
				...getResult,
				position: [440, 0],
				parameters: { ...getResult.parameters, taskId: '={{ $json.task_id }}' },
			},
			recordWorkerNode([660, 0]),
		],
		connections: {
			Webhook: link('Task IDs'),
			'Task IDs': link('Get Result'),
			'Get Result': link(RECORD_NODE),
		},
		settings: { executionOrder: 'v1' },
	};

	const trigger = useCredential(loadExample('trigger-watch-tasks.json'), o.credential);
	trigger.name = 'Queue e2e: trigger watching a done task';
	const triggerNode = nodeNamed(trigger, 'Jimeng Video Trigger');
	if ((triggerNode.parameters.mode ?? 'watchTasks') !== 'watchTasks')
		throw new Error(`"${trigger.name}" is not in watchTasks mode`);
	triggerNode.parameters.taskIds = o.triggerTaskId;
	nodeNamed(trigger, 'Do Something');
	// Reads the video's bytes on the worker (from the binary store) and writes their SHA-256: proof
	// that the file the main stored during poll() reaches the worker intact.
	trigger.nodes.push(
		{
			id: randomUUID(),
			name: HASH_NODE,
			type: 'n8n-nodes-base.crypto',
			typeVersion: 2,
			position: [480, 0],
			parameters: {
				action: 'hash',
				type: 'SHA256',
				binaryData: true,
				binaryPropertyName: 'data',
				dataPropertyName: 'sha256',
				encoding: 'hex',
			},
		},
		recordWorkerNode([720, 0]),
	);
	trigger.connections = {
		...trigger.connections,
		'Do Something': link(HASH_NODE),
		[HASH_NODE]: link(RECORD_NODE),
	};

	return { load, collect, trigger };
}
