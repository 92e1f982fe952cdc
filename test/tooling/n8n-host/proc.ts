/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Child-process helpers shared by the n8n host tooling.
 *
 * Every child runs in its own process group (`detached: true`) so a timeout or stop can kill the
 * whole tree (n8n starts a task-runner child of its own). Because a detached group no longer gets
 * the terminal's Ctrl-C, live groups are tracked here and killed on 'exit', SIGINT and SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import { request } from 'undici';

import { sleep } from '../../support/time';

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Kill the whole process group after this many ms (SIGTERM, then SIGKILL). */
	timeoutMs?: number;
	/** Called for every complete output line, e.g. to print progress. */
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
	/** Written to stdin, then stdin is closed. stdin is always closed so nothing waits on a TTY. */
	input?: string;
	/** Called with the child's pid (= its process-group id) right after spawning. */
	onSpawn?: (pid: number) => void;
}

export interface RunResult {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
	timedOut: boolean;
}

const liveGroups = new Set<number>();
let handlersInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		// Negative pid: the whole group, so grandchildren (task runners, node-gyp) go too.
		process.kill(-pid, signal);
	} catch {
		// ESRCH: already gone.
	}
}

/** True while any process of the group is alive. */
export function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

function installHandlers(): void {
	if (handlersInstalled) return;
	handlersInstalled = true;
	// 'exit' handlers must be synchronous: SIGKILL is the only thing that surely lands in time.
	process.on('exit', () => {
		for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
	});
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		const handler = (): void => {
			for (const pid of liveGroups) killGroup(pid, 'SIGTERM');
			const deadline = Date.now() + 3_000;
			// Give n8n a moment to close its SQLite file, then make sure.
			while (Date.now() < deadline && [...liveGroups].some(groupAlive)) {
				Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
			}
			for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
			liveGroups.clear();
			// Re-raise so the default behaviour (or other listeners) still apply.
			process.removeListener(sig, handler);
			if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
		};
		process.on(sig, handler);
	}
}

/** Spawns `cmd` in a new process group that is killed if this process exits or is interrupted. */
export function spawnGroup(cmd: string, args: string[], opts: RunOptions = {}): ChildProcess {
	installHandlers();
	const child = spawn(cmd, args, {
		cwd: opts.cwd,
		env: opts.env,
		detached: true,
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	if (child.pid !== undefined) {
		const pid = child.pid;
		liveGroups.add(pid);
		opts.onSpawn?.(pid);
		child.once('exit', () => {
			// The leader exited; kill stragglers of its group (orphaned grandchildren) before forgetting it.
			killGroup(pid, 'SIGKILL');
			liveGroups.delete(pid);
		});
	}
	// A child that has already exited makes this write fail with EPIPE: that is not an error here.
	child.stdin?.on('error', () => undefined);
	child.stdin?.end(opts.input ?? '');
	return child;
}

/** SIGTERM the group, wait up to `graceMs`, then SIGKILL. Resolves when the leader has exited. */
export async function terminateGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
	const pid = child.pid;
	if (pid === undefined) return;
	const exited =
		child.exitCode !== null || child.signalCode !== null
			? Promise.resolve()
			: new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killGroup(pid, 'SIGTERM');
	let timer: NodeJS.Timeout | undefined;
	const timedOut = await Promise.race([
		exited.then(() => false),
		new Promise<boolean>((resolve) => {
			timer = setTimeout(() => resolve(true), graceMs);
		}),
	]);
	if (timer) clearTimeout(timer);
	if (timedOut) killGroup(pid, 'SIGKILL');
	await exited;
	killGroup(pid, 'SIGKILL');
	liveGroups.delete(pid);
}

/** Splits a stream into lines for `onLine` while also keeping the whole text. */
function collect(
	stream: NodeJS.ReadableStream | null,
	name: 'stdout' | 'stderr',
	onLine: RunOptions['onLine'],
): { text: () => string } {
	const chunks: Buffer[] = [];
	let partial = '';
	stream?.on('data', (chunk: Buffer) => {
		chunks.push(chunk);
		if (!onLine) return;
		partial += chunk.toString('utf8');
		const lines = partial.split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) onLine(line, name);
	});
	stream?.on('end', () => {
		if (onLine && partial) onLine(partial, name);
		partial = '';
	});
	return { text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs a command to completion, capturing output; kills the process group on timeout. */
export async function runProcess(
	cmd: string,
	args: string[],
	opts: RunOptions = {},
): Promise<RunResult> {
	const started = Date.now();
	const child = spawnGroup(cmd, args, opts);
	const out = collect(child.stdout, 'stdout', opts.onLine);
	const err = collect(child.stderr, 'stderr', opts.onLine);
	let timedOut = false;
	let timer: NodeJS.Timeout | undefined;
	if (opts.timeoutMs !== undefined) {
		timer = setTimeout(() => {
			timedOut = true;
			void terminateGroup(child, 5_000);
		}, opts.timeoutMs);
	}
	// 'close' (not 'exit') so all output has been read.
	const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
		(resolve, reject) => {
			child.once('error', reject);
			child.once('close', (code, sig) => resolve([code, sig]));
		},
	);
	if (timer) clearTimeout(timer);
	return {
		exitCode,
		signal,
		stdout: out.text(),
		stderr: err.text(),
		durationMs: Date.now() - started,
		timedOut,
	};
}

/** "1m 05s" / "4.2s": what progress lines print. */
export function formatMs(ms: number): string {
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
	const s = Math.round(ms / 1000);
	return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

/**
 * A child's output chunk handler: every chunk goes to `log` as it is, and each complete line to
 * `onLine` (a partial line waits for the next chunk).
 */
export function logAndSplitLines(
	log: { write(chunk: Buffer): unknown },
	onLine: (line: string) => void,
): (chunk: Buffer) => void {
	let partial = '';
	return (chunk: Buffer): void => {
		log.write(chunk);
		partial += chunk.toString('utf8');
		const lines = partial.split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) onLine(line);
	};
}

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

/**
 * The child's end: `exited` resolves with its exit code and signal (both null when it could not be
 * spawned), and `hasExited()` is true from then on. `onExit` runs on a real exit, before `exited`
 * resolves (close its log file there).
 */
export function watchExit(
	child: ChildProcess,
	onExit: () => void,
): { exited: Promise<ExitStatus>; hasExited: () => boolean } {
	let done = false;
	const exited = new Promise<ExitStatus>((resolve) => {
		child.once('exit', (code, signal) => {
			done = true;
			onExit();
			resolve({ code, signal });
		});
		child.once('error', () => {
			done = true;
			resolve({ code: null, signal: null });
		});
	});
	return { exited, hasExited: () => done };
}

/**
 * Polls an n8n process's `/healthz/readiness` every 250 ms until it answers 200. Throws, with the
 * last output, when the process exits first or is not ready after `timeoutMs` (from `started`).
 */
export async function waitForReadiness(p: {
	/** "n8n start", "n8n worker worker-1": how the errors name it. */
	what: string;
	url: string;
	/** Where it was asked, for the timeout error. */
	where: string;
	started: number;
	timeoutMs: number;
	hasExited: () => boolean;
	exited: Promise<ExitStatus>;
	logTail: () => string;
}): Promise<void> {
	for (;;) {
		if (p.hasExited()) {
			const { code, signal } = await p.exited;
			throw new Error(
				`${p.what} exited (code ${code}, signal ${signal}) before it was ready. Last output:\n${p.logTail()}`,
			);
		}
		if (Date.now() - p.started > p.timeoutMs) {
			throw new Error(
				`${p.what} was not ready after ${formatMs(p.timeoutMs)} (${p.where}). Last output:\n${p.logTail()}`,
			);
		}
		try {
			const res = await request(p.url, { headersTimeout: 2_000, bodyTimeout: 2_000 });
			await res.body.dump();
			if (res.statusCode === 200) return;
		} catch {
			// Not listening yet.
		}
		await sleep(250);
	}
}
