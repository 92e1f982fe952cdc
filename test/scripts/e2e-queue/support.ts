/**
 * Helpers of the queue-mode run: reading executions through the public API, downloading binary
 * data through n8n's REST endpoint, and reading what the worker logs say.
 */
import { request } from 'undici';

import type { ExecutionRun } from '../../tooling/n8n-host/n8nCli';
import type { N8nServer } from '../../tooling/n8n-host/server';
import type { N8nWorker } from '../../tooling/n8n-host/worker';
import { sleep } from '../e2e/support';

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
	startedAt: string | null;
	stoppedAt: string | null;
	workflowId: string;
}

export interface ExecutionDetail extends ExecutionSummary {
	data: ExecutionRun['data'];
}

/** Statuses after which n8n changes an execution no more. */
export const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Every execution of a workflow, newest first. The public API leaves running executions out of its
 * list unless asked for `status=running` (2.41 `excludeRunning`), so both lists are merged.
 */
export async function listExecutions(
	server: N8nServer,
	workflowId: string,
): Promise<ExecutionSummary[]> {
	const query = async (filter: string) =>
		await server.api<{ data: ExecutionSummary[] }>(
			'GET',
			`/executions?workflowId=${workflowId}&limit=250${filter}`,
		);
	// Running first: one that finishes in between then shows up in the second list, not in neither.
	const running = await query('&status=running');
	const finished = await query('');
	const byId = new Map<string, ExecutionSummary>();
	for (const e of [...running.data, ...finished.data]) byId.set(e.id, e);
	return [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id));
}

export async function getExecution(server: N8nServer, id: string): Promise<ExecutionDetail> {
	return await server.api<ExecutionDetail>('GET', `/executions/${id}?includeData=true`);
}

/**
 * Waits until `count` executions of the workflow that are not in `known` exist and have all
 * finished; returns them oldest first.
 */
export async function waitForNewExecutions(
	server: N8nServer,
	workflowId: string,
	known: Set<string>,
	count: number,
	timeoutMs: number,
	onProgress?: (line: string) => void,
): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	let lastLine = '';
	for (;;) {
		const fresh = (await listExecutions(server, workflowId)).filter((e) => !known.has(e.id));
		const done = fresh.filter((e) => FINAL_STATUSES.has(e.status));
		const line = `${fresh.length}/${count} executions queued or running, ${done.length} finished`;
		if (line !== lastLine) {
			onProgress?.(line);
			lastLine = line;
		}
		if (fresh.length >= count && done.length === fresh.length)
			return fresh.sort((a, b) => Number(a.id) - Number(b.id));
		if (Date.now() > deadline)
			throw new Error(
				`timed out after ${timeoutMs} ms: ${line} (${fresh.map((e) => `${e.id}:${e.status}`).join(', ')})`,
			);
		await sleep(500);
	}
}

export interface RunItem {
	json: Record<string, unknown>;
	binary?: Record<
		string,
		{
			id?: string;
			mimeType?: string;
			fileName?: string;
			bytes?: number;
			fileSize?: string;
			data?: string;
		}
	>;
}

/** The items a node output on its first run (main output 0). */
export function itemsOf(data: ExecutionRun['data'], nodeName: string): RunItem[] {
	const runs = data.resultData.runData[nodeName];
	if (!runs?.length)
		throw new Error(
			`node "${nodeName}" did not run; ran: ${Object.keys(data.resultData.runData).join(', ') || 'nothing'}`,
		);
	return (runs[0]?.data?.main?.[0] ?? []) as RunItem[];
}

/**
 * A stored binary through n8n's REST endpoint, as the editor's download button fetches it
 * (`GET /rest/binary-data?id=<mode>:<file id>&action=download`, session cookie; n8n skips its
 * browser-id check for this route). The body is read as bytes, not text.
 */
export async function downloadBinary(
	server: N8nServer,
	binaryId: string,
): Promise<{ status: number; bytes: Buffer; contentType: string }> {
	const res = await request(
		`${server.baseUrl}/rest/binary-data?id=${encodeURIComponent(binaryId)}&action=download`,
		{
			headers: server.cookie ? { cookie: server.cookie } : {},
			headersTimeout: 60_000,
			bodyTimeout: 60_000,
		},
	);
	const bytes = Buffer.from(await res.body.arrayBuffer());
	return { status: res.statusCode, bytes, contentType: String(res.headers['content-type'] ?? '') };
}

/** "Worker started execution 12 (job 7)": n8n's own record of which worker took a job. */
export function workerThatStarted(
	workers: N8nWorker[],
	executionId: string,
): N8nWorker | undefined {
	const needle = `Worker started execution ${executionId} (`;
	return workers.find((w) => w.lines().some((line) => line.includes(needle)));
}

export interface AcceptedTask {
	taskId: string;
	model: string;
	executionId: string;
	node: string;
	item: number;
	requestId: string;
}

const ACCEPTED =
	/Jimeng task accepted: task_id (\S+) \(model (\S+), execution (\S+), node "(.*)", item (\d+), request_id (\S+)\)/;

/** The package's info line for every task Jimeng accepted (nodes/JimengVideo/actions/submitOnce.ts), parsed. */
export function acceptedTasks(lines: string[], executionId?: string): AcceptedTask[] {
	const tasks: AcceptedTask[] = [];
	for (const line of lines) {
		const m = ACCEPTED.exec(line);
		if (!m) continue;
		const task = {
			taskId: m[1]!,
			model: m[2]!,
			executionId: m[3]!,
			node: m[4]!,
			item: Number(m[5]),
			requestId: m[6]!,
		};
		if (executionId === undefined || task.executionId === executionId) tasks.push(task);
	}
	return tasks;
}

/** A fixed-width text table for the log. */
export function table(header: string[], rows: Array<Array<string | number>>): string[] {
	const cells = [header, ...rows.map((r) => r.map(String))];
	const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
	const fmt = (r: string[]) =>
		r
			.map((c, i) => c.padEnd(widths[i]!))
			.join('  ')
			.trimEnd();
	return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(fmt)];
}
