/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
/**
 * The services n8n's queue mode needs, as throw-away local processes: Redis (the Bull queue) and
 * PostgreSQL (n8n calls queue mode on SQLite "not officially supported"). Both listen on 127.0.0.1
 * only, keep nothing (no Redis persistence, Postgres with fsync off in a temp folder) and run in
 * process groups from proc.ts, so they die with the test run.
 *
 * The binaries come from Debian's packages (`redis-server`, `postgresql`); `ensureServiceBinaries()`
 * installs them with apt-get when they are missing.
 */
import { existsSync, promises as fs, readFileSync, readdirSync, createWriteStream } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';

import {
	formatMs,
	logAndSplitLines,
	runProcess,
	spawnGroup,
	terminateGroup,
	watchExit,
} from './proc';
import { sleep } from '../../support/time';

export interface ServiceBinaries {
	redisServer: string;
	/** Folder of initdb, postgres, createdb, psql (e.g. /usr/lib/postgresql/15/bin). */
	pgBinDir: string;
	/** Packages this call installed (empty when everything was there). */
	installed: string[];
}

const log0 = (line: string): void => {
	process.stderr.write(`[services] ${line}\n`);
};

function onPath(name: string): string | undefined {
	for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
		if (!dir) continue;
		const file = path.join(dir, name);
		if (existsSync(file)) return file;
	}
	return undefined;
}

function findRedis(): string | undefined {
	return (
		onPath('redis-server') ??
		['/usr/bin/redis-server', '/usr/sbin/redis-server'].find((f) => existsSync(f))
	);
}

/** Debian keeps server binaries out of PATH, under /usr/lib/postgresql/<major>/bin: the newest wins. */
function findPgBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root)
		? readdirSync(root)
				.filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (majors[0]) return path.join(root, majors[0], 'bin');
	const initdb = onPath('initdb');
	if (!initdb) return undefined;
	const dir = path.dirname(initdb);
	return existsSync(path.join(dir, 'postgres')) ? dir : undefined;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Finds redis-server and the PostgreSQL server binaries; installs `redis-server` / `postgresql`
 * with apt-get when they are missing (root only). A temporary policy-rc.d keeps the packages from
 * starting their system services: the test runs its own instances and must leave nothing running.
 */
export async function ensureServiceBinaries(
	log: (line: string) => void = log0,
): Promise<ServiceBinaries> {
	const missing: string[] = [];
	if (!findRedis()) missing.push('redis-server');
	if (!findPgBinDir()) missing.push('postgresql');
	const installed: string[] = [];
	if (missing.length) {
		if (!isRoot()) {
			throw new Error(
				`missing ${missing.join(' and ')}: install them (sudo apt-get install -y --no-install-recommends ${missing.join(' ')}) or run as root`,
			);
		}
		log(
			`${missing.join(' and ')} not found: installing with apt-get install -y --no-install-recommends ${missing.join(' ')}`,
		);
		const policy = '/usr/sbin/policy-rc.d';
		const ownPolicy = !existsSync(policy);
		// Exit code 101 = "action forbidden": the packages' postinst then starts no system service.
		if (ownPolicy) await fs.writeFile(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
		try {
			const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
			const args = ['install', '-y', '--no-install-recommends', ...missing];
			let res = await runProcess('apt-get', args, { env, timeoutMs: 15 * 60_000 });
			if (res.exitCode !== 0) {
				// A fresh container has no package lists yet.
				log('apt-get install failed; running apt-get update and trying again');
				const update = await runProcess('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 });
				if (update.exitCode !== 0)
					throw new Error(`apt-get update failed:\n${update.stderr.slice(-2000)}`);
				res = await runProcess('apt-get', args, { env, timeoutMs: 15 * 60_000 });
			}
			if (res.exitCode !== 0)
				throw new Error(
					`apt-get install ${missing.join(' ')} failed:\n${(res.stdout + res.stderr).slice(-3000)}`,
				);
			log(`installed ${missing.join(', ')} in ${formatMs(res.durationMs)}`);
			installed.push(...missing);
		} finally {
			if (ownPolicy) await fs.rm(policy, { force: true });
		}
	}
	const redisServer = findRedis();
	const pgBinDir = findPgBinDir();
	if (!redisServer || !pgBinDir)
		throw new Error(
			`still missing after install: ${!redisServer ? 'redis-server ' : ''}${!pgBinDir ? 'postgres' : ''}`,
		);
	return { redisServer, pgBinDir, installed };
}

/** A long-running child with its output in a log file. */
export interface ServiceProcess {
	name: string;
	port: number;
	pid: number | undefined;
	logFile: string;
	/** Last lines it printed. */
	logTail: (lines?: number) => string;
	/** Stops the process group (SIGTERM, SIGKILL after a grace period). Safe to call twice. */
	stop: () => Promise<void>;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnService(
	name: string,
	cmd: string,
	args: string[],
	logFile: string,
	env?: NodeJS.ProcessEnv,
): { child: ChildProcess; proc: ServiceProcess; hasExited: () => boolean } {
	const out = createWriteStream(logFile, { flags: 'a' });
	const tail: string[] = [];
	const child = spawnGroup(cmd, args, { env: env ?? process.env });
	const onData = logAndSplitLines(out, (line) => {
		if (!line) return;
		tail.push(line);
		if (tail.length > 200) tail.shift();
	});
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	const { exited, hasExited } = watchExit(child, () => out.end());
	let stopping: Promise<void> | undefined;
	const proc: ServiceProcess = {
		name,
		port: 0,
		pid: child.pid,
		logFile,
		logTail: (lines = 30) => tail.slice(-lines).join('\n'),
		stop: () => (stopping ??= terminateGroup(child, 10_000)),
		exited,
	};
	return { child, proc, hasExited };
}

/** Sends one command over a raw socket and returns the first answer line (RESP is line-based). */
async function redisCommand(port: number, command: string): Promise<string> {
	return await new Promise((resolve, reject) => {
		const socket = connect({ host: '127.0.0.1', port });
		let data = '';
		socket.setTimeout(2_000, () => socket.destroy(new Error('timeout')));
		socket.once('error', reject);
		socket.on('data', (chunk) => {
			data += chunk.toString('utf8');
			const eol = data.indexOf('\r\n');
			if (eol >= 0) {
				socket.end();
				resolve(data.slice(0, eol));
			}
		});
		socket.once('connect', () => socket.write(`${command}\r\n`));
	});
}

export interface RedisOptions {
	port: number;
	/** Where its log goes. */
	dir: string;
	redisServer: string;
	readyTimeoutMs?: number;
}

export interface RedisService extends ServiceProcess {
	/** Sends an inline command (e.g. `DBSIZE`) and returns the answer line. */
	command: (command: string) => Promise<string>;
}

/** redis-server on 127.0.0.1:<port>, nothing saved to disk, ready when it answers PING. */
export async function startRedis(options: RedisOptions): Promise<RedisService> {
	const started = Date.now();
	const logFile = path.join(options.dir, `redis-${options.port}.log`);
	const { proc, hasExited } = spawnService(
		'redis',
		options.redisServer,
		[
			'--port',
			String(options.port),
			'--bind',
			'127.0.0.1',
			// The queue is throw-away: no RDB snapshots, no AOF.
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			options.dir,
			'--daemonize',
			'no',
			'--logfile',
			'',
		],
		logFile,
	);
	const service: RedisService = {
		...proc,
		port: options.port,
		command: (c) => redisCommand(options.port, c),
	};
	for (;;) {
		if (hasExited()) throw new Error(`redis-server exited before it was ready:\n${proc.logTail()}`);
		if (Date.now() - started > (options.readyTimeoutMs ?? 20_000)) {
			await proc.stop();
			throw new Error(
				`redis-server did not answer PING on 127.0.0.1:${options.port}:\n${proc.logTail()}`,
			);
		}
		try {
			if ((await redisCommand(options.port, 'PING')) === '+PONG') return service;
		} catch {
			// Not listening yet.
		}
		await sleep(100);
	}
}

export interface PostgresOptions {
	port: number;
	pgBinDir: string;
	/** Where its log goes (the data folder is a separate temp folder owned by the server's user). */
	logDir: string;
	/** Database n8n uses. Default 'n8n'. */
	database?: string;
	readyTimeoutMs?: number;
}

export interface PostgresService extends ServiceProcess {
	database: string;
	user: string;
	dataDir: string;
	/** DB_* variables for n8n. */
	n8nEnv: Record<string, string>;
	/** Runs SQL with psql and returns the rows (tab-separated fields). */
	query: (sql: string) => Promise<string[][]>;
	/** stop() and delete the data folder. */
	destroy: () => Promise<void>;
}

function userIds(name: string): { uid: number; gid: number } | undefined {
	for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
		const f = line.split(':');
		if (f[0] === name && f[2] && f[3]) return { uid: Number(f[2]), gid: Number(f[3]) };
	}
	return undefined;
}

/**
 * A temporary PostgreSQL cluster on 127.0.0.1:<port> (initdb into a temp folder, trust auth,
 * fsync off: it lives for one test run). Postgres refuses to run as root, so as root the server
 * runs as the `postgres` user through runuser; otherwise as the current user.
 */
export async function startPostgres(options: PostgresOptions): Promise<PostgresService> {
	const started = Date.now();
	const bin = (name: string): string => path.join(options.pgBinDir, name);
	const database = options.database ?? 'n8n';
	const user = 'n8n';
	const dataDir = await fs.mkdtemp(path.join(tmpdir(), 'n8n-e2e-pg-'));
	let asUser: string[] = [];
	if (isRoot()) {
		const ids = userIds('postgres');
		if (!ids)
			throw new Error(
				'running as root, but there is no `postgres` user to run PostgreSQL as (the postgresql package creates it)',
			);
		await fs.chown(dataDir, ids.uid, ids.gid);
		asUser = ['runuser', '-u', 'postgres', '--'];
	}
	const run = (cmd: string, args: string[]) => {
		const [first, ...rest] = [...asUser, cmd, ...args];
		return runProcess(first as string, rest, { cwd: tmpdir(), timeoutMs: 120_000 });
	};
	const init = await run(bin('initdb'), [
		'-D',
		dataDir,
		'-U',
		user,
		'--auth=trust',
		'--encoding=UTF8',
		'--locale=C',
		'--no-sync',
	]);
	if (init.exitCode !== 0) {
		await fs.rm(dataDir, { recursive: true, force: true });
		throw new Error(
			`initdb failed (exit ${init.exitCode}):\n${(init.stdout + init.stderr).slice(-2000)}`,
		);
	}
	const logFile = path.join(options.logDir, `postgres-${options.port}.log`);
	const [cmd, ...prefix] = [...asUser, bin('postgres')];
	const { proc, hasExited } = spawnService(
		'postgres',
		cmd as string,
		[
			...prefix,
			'-D',
			dataDir,
			'-p',
			String(options.port),
			'-c',
			'listen_addresses=127.0.0.1',
			// TCP only: no socket file in /var/run/postgresql (which may not exist or be writable).
			'-c',
			'unix_socket_directories=',
			// A throw-away cluster: durability only costs time.
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
		],
		logFile,
	);
	const psqlArgs = [
		'-h',
		'127.0.0.1',
		'-p',
		String(options.port),
		'-U',
		user,
		'-v',
		'ON_ERROR_STOP=1',
		'-X',
		'-q',
	];
	const query = async (sql: string, db = database): Promise<string[][]> => {
		const res = await runProcess(
			bin('psql'),
			[...psqlArgs, '-d', db, '-A', '-t', '-F', '\t', '-c', sql],
			{ timeoutMs: 60_000 },
		);
		if (res.exitCode !== 0) throw new Error(`psql failed: ${sql}\n${res.stderr}`);
		return res.stdout
			.split('\n')
			.filter((l) => l !== '')
			.map((l) => l.split('\t'));
	};
	// SIGTERM to the whole group would hit runuser and every backend at once; a "fast" shutdown
	// through pg_ctl lets the postmaster end its children itself, then the group is cleaned up.
	let stopping: Promise<void> | undefined;
	const stop = (): Promise<void> =>
		(stopping ??= (async () => {
			if (!hasExited())
				await run(bin('pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '20']).catch(
					() => undefined,
				);
			await proc.stop();
		})());
	const service: PostgresService = {
		...proc,
		port: options.port,
		database,
		user,
		dataDir,
		n8nEnv: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(options.port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: '',
		},
		query: (sql) => query(sql),
		stop,
		destroy: async () => {
			await stop();
			await fs.rm(dataDir, { recursive: true, force: true });
		},
	};
	try {
		for (;;) {
			if (hasExited()) throw new Error(`postgres exited before it was ready:\n${proc.logTail()}`);
			if (Date.now() - started > (options.readyTimeoutMs ?? 60_000))
				throw new Error(`postgres was not ready on 127.0.0.1:${options.port}:\n${proc.logTail()}`);
			const ready = await runProcess(
				bin('pg_isready'),
				['-h', '127.0.0.1', '-p', String(options.port), '-U', user, '-q'],
				{ timeoutMs: 10_000 },
			);
			if (ready.exitCode === 0) break;
			await sleep(200);
		}
		await query(`CREATE DATABASE ${database}`, 'postgres');
		return service;
	} catch (error) {
		await service.destroy();
		throw error;
	}
}
