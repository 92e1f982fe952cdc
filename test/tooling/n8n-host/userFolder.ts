/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * A throw-away n8n user folder (N8N_USER_FOLDER) with quiet, offline-safe settings, and installing
 * this package into it from its `npm pack` tarball exactly as n8n's community-package installer does.
 */
import { createHash } from 'node:crypto';
import {
	existsSync,
	promises as fs,
	readdirSync,
	readFileSync,
	statSync,
	type Dirent,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { acquireLock } from './host';
import { formatMs, runProcess } from './proc';

/** Fixed so credentials exported from one run decrypt in another and in fixtures. */
export const TEST_ENCRYPTION_KEY = 'jimeng-video-e2e-encryption-key-not-secret';

export interface UserFolderOptions {
	/** Port for `n8n start` (N8N_PORT). Default: a free port. */
	port?: number;
	/** Task-runner broker port for `n8n start`. Default: a free port (CLI commands pick their own), so nothing clashes on 5679. */
	brokerPort?: number;
	/** N8N_LOG_LEVEL. Default 'info'. (executeWorkflow always uses 'info': n8n prints the result at that level.) */
	logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
	/** Parent of the temporary folder. Default: the OS temp dir. */
	parentDir?: string;
	/**
	 * Use (and keep) this folder instead of a temporary one, e.g. `<repo>/.n8n-host/` for `npm start`,
	 * so workflows survive restarts. cleanup() then leaves it alone.
	 */
	dir?: string;
	/** Extra or overriding environment variables. */
	env?: Record<string, string>;
	/** Keep the folder on cleanup (debugging); also on when env JIMENG_N8N_KEEP_USER_FOLDER=1. */
	keep?: boolean;
}

export interface UserFolder {
	/** The N8N_USER_FOLDER; n8n keeps its data in `<dir>/.n8n`. */
	dir: string;
	/** The n8n-specific variables; merge over `host.env` when spawning. */
	env: Record<string, string>;
	port: number;
	brokerPort: number;
	/** Removes the folder (unless kept). Stop any n8n using it first. */
	cleanup: () => Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = createServer();
		srv.unref();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

export async function createUserFolder(options: UserFolderOptions = {}): Promise<UserFolder> {
	const persistent = options.dir !== undefined;
	const dir = persistent
		? path.resolve(options.dir as string)
		: await fs.mkdtemp(path.join(options.parentDir ?? tmpdir(), 'n8n-user-'));
	const n8nDir = path.join(dir, '.n8n');
	await fs.mkdir(n8nDir, { recursive: true, mode: 0o700 });
	// n8n would create this itself; writing it first (0600, as N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS
	// demands) means `execute` and `start` in the same folder can never race to write different keys.
	const settingsFile = path.join(n8nDir, 'config');
	if (!existsSync(settingsFile)) {
		await fs.writeFile(
			settingsFile,
			JSON.stringify({ encryptionKey: TEST_ENCRYPTION_KEY }, null, '\t'),
			{ mode: 0o600 },
		);
	}
	const port = options.port ?? (await freePort());
	let brokerPort = options.brokerPort ?? (await freePort());
	while (brokerPort === port) brokerPort = await freePort();

	const env: Record<string, string> = {
		N8N_USER_FOLDER: dir,
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		DB_TYPE: 'sqlite',
		N8N_LOG_LEVEL: options.logLevel ?? 'info',
		N8N_LOG_OUTPUT: 'console',
		// Offline and quiet: nothing that phones home or shows banners.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		// Community packages load from <dir>/.n8n/nodes; never reinstall from the registry.
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// Tests talk to simulators on 127.0.0.1 (off by default in 2.41; pinned in case that changes).
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		// Deterministic dates in outputs and cron triggers.
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		// A test's `stop()` should not wait the default 30 s for n8n to drain.
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		...options.env,
	};
	const keep = persistent || (options.keep ?? process.env['JIMENG_N8N_KEEP_USER_FOLDER'] === '1');
	let cleaned = false;
	return {
		dir,
		env,
		port,
		brokerPort,
		cleanup: async () => {
			if (cleaned) return;
			cleaned = true;
			if (keep) {
				if (!persistent) process.stderr.write(`[n8n-host] keeping user folder ${dir}\n`);
				return;
			}
			await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
		},
	};
}

function dirOf(userFolder: UserFolder | string): string {
	return typeof userFolder === 'string' ? userFolder : userFolder.dir;
}

export interface InstalledPackage {
	name: string;
	version: string;
	/** `<user folder>/.n8n/nodes/node_modules/<name>` */
	dir: string;
}

/**
 * Installs a package tarball the way n8n 2.41's CommunityPackagesService.downloadPackage does:
 * untar into `.n8n/nodes/node_modules/<name>`, drop dev/peer/optional dependencies from its
 * package.json, `npm install --ignore-scripts` inside it, and record it in `.n8n/nodes/package.json`.
 * No `installed_packages` DB row is needed: n8n scans that folder for `n8n-nodes-*` at start.
 */
export async function installPackageTarball(
	userFolder: UserFolder | string,
	tarballPath: string,
): Promise<InstalledPackage> {
	const n8nDir = path.join(dirOf(userFolder), '.n8n');
	const nodesDir = path.join(n8nDir, 'nodes');
	await fs.mkdir(n8nDir, { recursive: true });
	// Unpacked beside its destination (same file system, so the final rename is atomic) but outside
	// nodes/node_modules, where n8n would scan a half-written package.
	const staging = await fs.mkdtemp(path.join(n8nDir, '.pkg-'));
	try {
		await fs.mkdir(nodesDir, { recursive: true });
		const untar = await runProcess(
			'tar',
			['-xzf', path.resolve(tarballPath), '-C', staging, '--strip-components=1'],
			{
				timeoutMs: 60_000,
			},
		);
		if (untar.exitCode !== 0) throw new Error(`tar failed on ${tarballPath}: ${untar.stderr}`);
		const pkgJsonPath = path.join(staging, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
			await fs.readFile(pkgJsonPath, 'utf8'),
		) as Record<string, unknown> & { name: string; version: string };
		void devDependencies;
		void peerDependencies;
		void optionalDependencies;
		await fs.writeFile(pkgJsonPath, JSON.stringify(pkg, null, 2), 'utf8');

		const dir = path.join(nodesDir, 'node_modules', pkg.name);
		await fs.rm(dir, { recursive: true, force: true });
		await fs.mkdir(path.dirname(dir), { recursive: true });
		await fs.rename(staging, dir);

		// Same flags as n8n's installer. With no runtime dependencies this is offline and fast, but it
		// still proves the package installs on its own.
		const npm = await runProcess(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: dir, env: npmEnv(), timeoutMs: 5 * 60_000 },
		);
		if (npm.exitCode !== 0)
			throw new Error(`npm install in ${dir} failed:\n${npm.stdout}\n${npm.stderr}`);

		// n8n's ledger of installed community packages (CommunityPackagesService.ensurePackageJson).
		const ledgerPath = path.join(nodesDir, 'package.json');
		const ledger = existsSync(ledgerPath)
			? (JSON.parse(await fs.readFile(ledgerPath, 'utf8')) as {
					dependencies?: Record<string, string>;
				})
			: { name: 'installed-nodes', private: true, dependencies: {} };
		ledger.dependencies = { ...ledger.dependencies, [pkg.name]: pkg.version };
		await fs.writeFile(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
		return { name: pkg.name, version: pkg.version, dir };
	} finally {
		await fs.rm(staging, { recursive: true, force: true });
	}
}

/** System npm without an outer npm script's npm_* settings leaking in. */
function npmEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (v !== undefined && !/^npm_/i.test(k)) env[k] = v;
	}
	return env;
}

export interface PackOptions {
	/** 'auto' (default): build when dist/ is missing or older than a source file; 'always'; 'never'. */
	build?: 'auto' | 'always' | 'never';
	/** Where the tarball goes. Default: a new temp folder (remove it with `fs.rm(path.dirname(tarball))`). */
	destDir?: string;
	log?: (line: string) => void;
}

const SOURCE_DIRS = ['credentials', 'nodes'];

/** Folds the modification times of the files below `dir` that pass `filter`, starting from `start`. */
function foldMtimes(
	dir: string,
	filter: (file: string) => boolean,
	start: number,
	pick: (a: number, b: number) => number,
): number {
	let result = start;
	const walk = (d: string): void => {
		for (const e of readdirSafe(d)) {
			const p = path.join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (filter(p)) result = pick(result, statSync(p).mtimeMs);
		}
	};
	walk(dir);
	return result;
}

function newestMtime(dir: string, filter: (file: string) => boolean): number {
	return foldMtimes(dir, filter, 0, Math.max);
}

function oldestMtime(dir: string, filter: (file: string) => boolean): number {
	return foldMtimes(dir, filter, Infinity, Math.min);
}

function readdirSafe(d: string): Dirent[] {
	try {
		return readdirSync(d, { withFileTypes: true });
	} catch {
		return [];
	}
}

/** Compiled files in dist/ whose .ts source is gone: tsc never deletes them, and npm pack would ship them. */
export function orphanedOutputs(repoDir: string): string[] {
	const orphans: string[] = [];
	for (const d of SOURCE_DIRS) {
		const walk = (dir: string): void => {
			for (const e of readdirSafe(dir)) {
				const p = path.join(dir, e.name);
				if (e.isDirectory()) walk(p);
				else if (p.endsWith('.js')) {
					const rel = path.relative(path.join(repoDir, 'dist'), p);
					if (!existsSync(path.join(repoDir, rel.replace(/\.js$/, '.ts'))))
						orphans.push(path.join('dist', rel));
				}
			}
		};
		walk(path.join(repoDir, 'dist', d));
	}
	return orphans;
}

/** Why dist/ must be rebuilt, or undefined when it is current. */
export function staleBuildReason(repoDir: string): string | undefined {
	const pkg = JSON.parse(readFileSync(path.join(repoDir, 'package.json'), 'utf8')) as {
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const declared = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = declared.filter((f) => !existsSync(path.join(repoDir, f)));
	if (missing.length) return `missing ${missing.join(', ')}`;
	const orphans = orphanedOutputs(repoDir);
	if (orphans.length)
		return `dist/ has outputs of deleted sources: ${orphans.slice(0, 3).join(', ')}${orphans.length > 3 ? ', ...' : ''}`;
	const isSource = (f: string): boolean => /\.(ts|json|svg|png)$/.test(f) && !f.endsWith('.d.ts');
	let newestSource = 0;
	for (const d of SOURCE_DIRS)
		newestSource = Math.max(newestSource, newestMtime(path.join(repoDir, d), isSource));
	// tsc rewrites every output, so the oldest emitted .js is the time of the last full build.
	let oldestBuilt = Infinity;
	for (const d of SOURCE_DIRS)
		oldestBuilt = Math.min(
			oldestBuilt,
			oldestMtime(path.join(repoDir, 'dist', d), (f) => f.endsWith('.js')),
		);
	if (oldestBuilt === Infinity) return 'dist/ is empty';
	if (newestSource > oldestBuilt) return 'a source file is newer than dist/';
	return undefined;
}

/**
 * `npm pack`s the project into a fresh temp folder and returns the tarball path. The tarball holds
 * only what package.json's `files` lists: a file missing from it is missing in n8n too.
 */
export async function packProject(repoDir: string, options: PackOptions = {}): Promise<string> {
	const log = options.log ?? ((line: string) => process.stderr.write(`[n8n-host] ${line}\n`));
	// Parallel test workers must not build while another one packs (or builds) the same dist/.
	const lock = await acquireLock(path.join(repoDir, '.cache', 'pack.lock'), 15 * 60_000, log);
	try {
		const mode = options.build ?? 'auto';
		const reason =
			mode === 'always' ? 'requested' : mode === 'auto' ? staleBuildReason(repoDir) : undefined;
		if (reason) {
			// Outputs of deleted sources would be packed and could hide a missing file. Only they are
			// deleted (not all of dist/, which other processes may be reading).
			for (const orphan of orphanedOutputs(repoDir)) {
				const base = path.join(repoDir, orphan.replace(/\.js$/, ''));
				for (const ext of ['.js', '.js.map', '.d.ts']) await fs.rm(base + ext, { force: true });
				log(`removed ${orphan} (its source is gone)`);
			}
			log(`npm run build (${reason}) ...`);
			const build = await runProcess('npm', ['run', 'build'], {
				cwd: repoDir,
				env: npmEnv(),
				timeoutMs: 10 * 60_000,
			});
			if (build.exitCode !== 0)
				throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
			log(`npm run build done in ${formatMs(build.durationMs)}`);
		}
		const dest = options.destDir ?? (await fs.mkdtemp(path.join(tmpdir(), 'n8n-pack-')));
		await fs.mkdir(dest, { recursive: true });
		const res = await runProcess('npm', ['pack', '--json', '--pack-destination', dest], {
			cwd: repoDir,
			env: npmEnv(),
			timeoutMs: 5 * 60_000,
		});
		if (res.exitCode !== 0) throw new Error(`npm pack failed:\n${res.stdout}\n${res.stderr}`);
		// --json output may be preceded by lifecycle-script noise; the JSON array is the last part.
		const json = res.stdout.slice(res.stdout.indexOf('['));
		const [info] = JSON.parse(json) as Array<{ filename: string; files: Array<{ path: string }> }>;
		if (!info) throw new Error(`npm pack printed no result:\n${res.stdout}`);
		const tarball = path.join(dest, info.filename.replace(/^@/, '').replace(/\//g, '-'));
		if (!existsSync(tarball))
			throw new Error(`npm pack reported ${info.filename} but ${tarball} does not exist`);
		log(
			`packed ${path.basename(tarball)} (${info.files.length} files, sha256 ${sha256File(tarball).slice(0, 12)})`,
		);
		return tarball;
	} finally {
		await lock.release();
	}
}

function sha256File(file: string): string {
	return createHash('sha256').update(readFileSync(file)).digest('hex');
}
