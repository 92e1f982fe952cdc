/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
/**
 * `n8n worker` for queue-mode tests: one process group per worker, its output in a log file (the
 * worker log is where n8n says which execution a worker ran, and where this package logs every
 * accepted task id), ready when its health endpoint answers.
 *
 * The worker needs the same database, Redis, encryption key and installed community package as
 * the main instance; give it its own user folder (n8n keeps a crash journal and event log there).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';

import type { N8nHost } from './host';
import {
	formatMs,
	groupAlive,
	logAndSplitLines,
	spawnGroup,
	terminateGroup,
	waitForReadiness,
	watchExit,
} from './proc';
import { freePort, type UserFolder } from './userFolder';
import { sleep } from '../../support/time';

export interface WorkerOptions {
	/** A label for logs; also passed as JIMENG_WORKER_NAME so workflows can record which worker ran them. */
	name: string;
	/** `--concurrency` (executions at once). Default: n8n's (10). */
	concurrency?: number;
	/** QUEUE_HEALTH_CHECK_PORT. Default: a free port. */
	healthPort?: number;
	/** Task-runner broker port. Default: a free port (every n8n process on a machine needs its own). */
	brokerPort?: number;
	/** Queue/DB settings and anything else; merged over the user folder's env. */
	env?: Record<string, string>;
	readyTimeoutMs?: number;
	/** Echo its output to stderr; also on with env JIMENG_N8N_VERBOSE=1. */
	verbose?: boolean;
	/** SIGTERM → SIGKILL grace period for stop(). Default 15 s. */
	stopGraceMs?: number;
}

export interface N8nWorker {
	name: string;
	pid: number | undefined;
	healthPort: number;
	brokerPort: number;
	logFile: string;
	/** Milliseconds from spawn to the health endpoint answering. */
	readyMs: number;
	/** Every line it printed so far. */
	lines: () => string[];
	logTail: (lines?: number) => string;
	/** Resolves when a printed line matches, or rejects after the timeout. */
	waitForLine: (pattern: RegExp, timeoutMs: number) => Promise<string>;
	/** Sends a signal to the whole process group (worker + its task runner) and waits for the exit. SIGKILL: a crash, no shutdown. */
	kill: (
		signal?: NodeJS.Signals,
	) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	/** Graceful stop: SIGTERM, SIGKILL after the grace period. Safe to call more than once. */
	stop: () => Promise<void>;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	readonly alive: boolean;
}

export async function startN8nWorker(
	host: N8nHost,
	userFolder: UserFolder,
	options: WorkerOptions,
): Promise<N8nWorker> {
	const verbose = options.verbose ?? process.env['JIMENG_N8N_VERBOSE'] === '1';
	const healthPort = options.healthPort ?? (await freePort());
	let brokerPort = options.brokerPort ?? (await freePort());
	while (brokerPort === healthPort) brokerPort = await freePort();
	const logFile = path.join(userFolder.dir, `n8n-${options.name}.log`);
	const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
	const all: string[] = [];
	const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();

	const args = [host.n8nBin, 'worker'];
	if (options.concurrency !== undefined) args.push(`--concurrency=${options.concurrency}`);
	const started = Date.now();
	const child: ChildProcess = spawnGroup(host.nodeBin, args, {
		cwd: userFolder.dir,
		env: {
			...host.env,
			...userFolder.env,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			JIMENG_WORKER_NAME: options.name,
			...options.env,
		},
	});
	const onData = (stream: string) =>
		logAndSplitLines(log, (line) => {
			all.push(line);
			for (const w of waiters) {
				if (w.pattern.test(line)) {
					waiters.delete(w);
					w.resolve(line);
				}
			}
			if (verbose) process.stderr.write(`[n8n ${options.name} ${stream}] ${line}\n`);
		});
	child.stdout?.on('data', onData('stdout'));
	child.stderr?.on('data', onData('stderr'));
	const { exited, hasExited } = watchExit(child, () => log.end());
	const logTail = (lines = 40): string => all.filter(Boolean).slice(-lines).join('\n');

	let stopping: Promise<void> | undefined;
	const worker: N8nWorker = {
		name: options.name,
		pid: child.pid,
		healthPort,
		brokerPort,
		logFile,
		readyMs: 0,
		lines: () => all,
		logTail,
		waitForLine: (pattern, timeoutMs) => {
			const seen = all.find((l) => pattern.test(l));
			if (seen !== undefined) return Promise.resolve(seen);
			return new Promise((resolve, reject) => {
				const waiter = { pattern, resolve: (line: string) => (clearTimeout(timer), resolve(line)) };
				const timer = setTimeout(() => {
					waiters.delete(waiter);
					reject(
						new Error(
							`${options.name}: no log line matching ${pattern} within ${formatMs(timeoutMs)}`,
						),
					);
				}, timeoutMs);
				waiters.add(waiter);
			});
		},
		kill: async (signal = 'SIGKILL') => {
			if (child.pid !== undefined && !hasExited()) {
				try {
					// The whole group: a dead machine or container takes the task runner with it.
					process.kill(-child.pid, signal);
				} catch {
					// Already gone.
				}
			}
			const result = await exited;
			// The task runner may take a moment longer than the leader.
			for (let i = 0; i < 50 && child.pid !== undefined && groupAlive(child.pid); i++)
				await sleep(100);
			return result;
		},
		stop: () => (stopping ??= terminateGroup(child, options.stopGraceMs ?? 15_000)),
		exited,
		get alive() {
			return !hasExited();
		},
	};

	try {
		await waitForReadiness({
			what: `n8n worker ${options.name}`,
			url: `http://127.0.0.1:${healthPort}/healthz/readiness`,
			where: `health port ${healthPort}`,
			started,
			timeoutMs: options.readyTimeoutMs ?? 120_000,
			hasExited,
			exited,
			logTail: () => logTail(),
		});
		worker.readyMs = Date.now() - started;
		return worker;
	} catch (err) {
		await worker.stop();
		throw err;
	}
}
