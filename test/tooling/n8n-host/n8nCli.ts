/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Headless n8n: `import:credentials`, `import:workflow`, `execute --id --rawOutput`,
 * `publish:workflow`, each a separate `n8n` process on the host's Node 24 in its own process group.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

import type { N8nHost } from './host';
import { formatMs, runProcess, type RunResult } from './proc';
import { freePort, type UserFolder } from './userFolder';

export interface CliOptions {
	/** Kill the process group after this long. Default 120 s. */
	timeoutMs?: number;
	/** Extra environment for this one command. */
	env?: Record<string, string>;
	/** Print each output line as it comes (debugging); also on with env JIMENG_N8N_VERBOSE=1. */
	verbose?: boolean;
	/** Called with the n8n process's pid right after it starts (e.g. to sample its memory). */
	onSpawn?: (pid: number) => void;
}

export interface CliResult extends RunResult {
	args: string[];
}

/** What `import:credentials` reads: `data` in plain text (n8n encrypts it on import). */
export interface CredentialImport {
	id?: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** A workflow as exported by n8n (`name`, `nodes`, `connections`, optional `id`, `settings`, ...). */
export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface ExecuteResult {
	exitCode: number | null;
	/**
	 * The signal that ended n8n, if one did (exitCode is then null): `n8n execute` (2.41.1, Node 24)
	 * sometimes dies of SIGSEGV while exiting, after printing the run (see test/scripts/e2e/README.md).
	 */
	signal: NodeJS.Signals | null;
	/** The parsed `--rawOutput` JSON (n8n's IRun: `data.resultData.runData`, `status`, ...); undefined when none was printed. */
	result: ExecutionRun | undefined;
	stdout: string;
	stderr: string;
	durationMs: number;
	timedOut: boolean;
	/** When the run failed: the error message n8n logged (node errors included). */
	errorMessage: string | undefined;
}

/** The parts of n8n's IRun that tests read. */
export interface ExecutionRun {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{
					data?: {
						main?: Array<Array<{
							json: Record<string, unknown>;
							binary?: Record<string, unknown>;
						}> | null>;
					};
					error?: { message?: string; description?: string };
				}>
			>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string; name?: string; node?: { name?: string } };
		};
	};
	[key: string]: unknown;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A 16-character id like the ones n8n generates for workflows and credentials. */
export function newN8nId(): string {
	const bytes = randomBytes(16);
	let id = '';
	for (const b of bytes) id += ID_ALPHABET[b % ID_ALPHABET.length];
	return id;
}

/** Runs `n8n <args>` with the user folder's settings. Never throws on a non-zero exit; see `runN8nOk`. */
export async function runN8n(
	host: N8nHost,
	userFolder: UserFolder,
	args: string[],
	options: CliOptions = {},
): Promise<CliResult> {
	const verbose = options.verbose ?? process.env['JIMENG_N8N_VERBOSE'] === '1';
	// A fresh task-runner broker port per command: a CLI run next to `n8n start` on the same user
	// folder (or a parallel test) must not clash with its broker.
	const brokerPort = String(await freePort());
	const res = await runProcess(host.nodeBin, [host.n8nBin, ...args], {
		cwd: userFolder.dir,
		env: { ...host.env, ...userFolder.env, N8N_RUNNERS_BROKER_PORT: brokerPort, ...options.env },
		timeoutMs: options.timeoutMs ?? 120_000,
		onLine: verbose
			? (line, stream) => process.stderr.write(`[n8n ${args[0]} ${stream}] ${line}\n`)
			: undefined,
		onSpawn: options.onSpawn,
	});
	return { ...res, args };
}

/** Like runN8n, but a non-zero exit or a timeout throws with the output's tail. */
export async function runN8nOk(
	host: N8nHost,
	userFolder: UserFolder,
	args: string[],
	options: CliOptions = {},
): Promise<CliResult> {
	const res = await runN8n(host, userFolder, args, options);
	if (res.exitCode !== 0 || res.timedOut) {
		throw new Error(
			`n8n ${args.join(' ')} ${res.timedOut ? `timed out after ${formatMs(res.durationMs)}` : `exited ${res.exitCode}`}\n` +
				tail(res.stdout + '\n' + res.stderr, 40),
		);
	}
	return res;
}

function tail(text: string, lines: number): string {
	return text.split('\n').filter(Boolean).slice(-lines).join('\n');
}

/** Runs `n8n <command> --input=<file>` on `rows` written to a temporary JSON file; returns their ids. */
async function importJson(
	host: N8nHost,
	userFolder: UserFolder,
	command: 'import:credentials' | 'import:workflow',
	rows: Array<{ id: string }>,
	options: CliOptions,
): Promise<string[]> {
	// Inside the user folder (not /tmp): it holds secrets in plain text and goes away with the folder.
	const file = path.join(userFolder.dir, `.import-${newN8nId()}.json`);
	await fs.writeFile(file, JSON.stringify(rows), { mode: 0o600 });
	try {
		await runN8nOk(host, userFolder, [command, `--input=${file}`], options);
	} finally {
		await fs.rm(file, { force: true });
	}
	return rows.map((row) => row.id);
}

/** Imports credentials (data in plain text) and returns their ids (generated when not given). */
export async function importCredentials(
	host: N8nHost,
	userFolder: UserFolder,
	creds: CredentialImport[],
	options: CliOptions = {},
): Promise<string[]> {
	const now = new Date().toISOString();
	const withIds = creds.map((c) => ({
		createdAt: now,
		updatedAt: now,
		...c,
		id: c.id ?? newN8nId(),
	}));
	return await importJson(host, userFolder, 'import:credentials', withIds, options);
}

/** Imports one workflow (inactive) and returns its id (generated when the JSON has none). */
export async function importWorkflow(
	host: N8nHost,
	userFolder: UserFolder,
	workflow: WorkflowJson,
	options: CliOptions = {},
): Promise<string> {
	const [id] = await importWorkflows(host, userFolder, [workflow], options);
	return id as string;
}

/** Imports several workflows with one n8n start-up (each CLI command costs ~4 s); returns their ids in order. */
export async function importWorkflows(
	host: N8nHost,
	userFolder: UserFolder,
	workflows: WorkflowJson[],
	options: CliOptions = {},
): Promise<string[]> {
	const withIds = workflows.map((w) => ({
		active: false,
		settings: { executionOrder: 'v1' },
		...w,
		id: w.id ?? newN8nId(),
	}));
	return await importJson(host, userFolder, 'import:workflow', withIds, options);
}

/**
 * `n8n publish:workflow --id` (2.x's "activate"; 1.x has no publish, it sets `active` with
 * `update:workflow --active=true`): takes effect at the next `n8n start`.
 */
export async function publishWorkflow(
	host: N8nHost,
	userFolder: UserFolder,
	id: string,
	options: CliOptions = {},
): Promise<void> {
	const args =
		Number(host.n8nVersion.split('.')[0]) >= 2
			? ['publish:workflow', `--id=${id}`]
			: ['update:workflow', `--id=${id}`, '--active=true'];
	await runN8nOk(host, userFolder, args, options);
}

/**
 * Finds n8n's result JSON in `execute --rawOutput` stdout. It is logged (at info level) as one
 * pretty-printed object after the start-up log lines, so: every line that is exactly "{" opens a
 * candidate, closed by the next line that is exactly "}"; the last candidate that parses as an
 * execution wins. On failure n8n logs the same object after "Execution error:".
 */
export function parseExecuteOutput(stdout: string): ExecutionRun | undefined {
	const lines = stdout.split('\n').map((l) => l.replace(/\r$/, ''));
	let found: ExecutionRun | undefined;
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				const parsed = JSON.parse(lines.slice(i, j + 1).join('\n')) as ExecutionRun;
				if (parsed?.data?.resultData) {
					found = parsed;
					i = j;
				}
			} catch {
				continue;
			}
			break;
		}
	}
	return found;
}

/** Executes a stored workflow once (it must start with a Manual Trigger) and returns its run data. */
export async function executeWorkflow(
	host: N8nHost,
	userFolder: UserFolder,
	id: string,
	options: CliOptions = {},
): Promise<ExecuteResult> {
	// n8n prints the result through its logger at info level: a quieter level would hide it.
	const res = await runN8n(host, userFolder, ['execute', `--id=${id}`, '--rawOutput'], {
		timeoutMs: 300_000,
		...options,
		env: { N8N_LOG_LEVEL: 'info', ...options.env },
	});
	const result = parseExecuteOutput(res.stdout);
	let errorMessage: string | undefined;
	if (res.exitCode !== 0 || result?.data.resultData.error) {
		const err = result?.data.resultData.error;
		errorMessage = err
			? [
					err.node?.name ? `${err.node.name}: ` : '',
					err.message ?? '',
					err.description ? ` (${err.description})` : '',
				].join('')
			: tail(res.stdout + '\n' + res.stderr, 20);
	}
	return {
		exitCode: res.exitCode,
		signal: res.signal,
		result,
		stdout: res.stdout,
		stderr: res.stderr,
		durationMs: res.durationMs,
		timedOut: res.timedOut,
		errorMessage,
	};
}

/** The `json` of every item a node output on its first run (main output 0): what tests usually assert on. */
export function nodeOutput(
	run: ExecutionRun | undefined,
	nodeName: string,
	outputIndex = 0,
): Array<Record<string, unknown>> {
	const runs = run?.data.resultData.runData[nodeName];
	if (!runs?.length)
		throw new Error(
			`node "${nodeName}" did not run; ran: ${Object.keys(run?.data.resultData.runData ?? {}).join(', ')}`,
		);
	return (runs[0]?.data?.main?.[outputIndex] ?? []).map((item) => item.json);
}
