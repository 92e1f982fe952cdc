/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The README's manual install, in a real n8n: `cd ~/.n8n/nodes && npm install --omit=peer <package>`
 * (here the packed tarball), run with the host's Node 24 first on PATH, in a fresh user folder that
 * n8n's community-package installer never touched (no installPackageTarball, no installed_packages
 * row). n8n 1.123 and 2.41 load it the same way: at start they scan `<N8N_USER_FOLDER>/.n8n/nodes/node_modules`
 * for `n8n-nodes-*` folders, whatever the database says.
 *
 * Without --omit=peer npm also installs the peer `n8n-workflow@*` (and with it isolated-vm, native):
 * a second n8n-workflow beside n8n's own, and on Node 20 a failed native build.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';

import { REPO_DIR, type N8nHost } from '../../../tooling/n8n-host/host';
import { importCredentials, importWorkflows } from '../../../tooling/n8n-host/n8nCli';
import { formatMs, runProcess } from '../../../tooling/n8n-host/proc';
import { createUserFolder, type UserFolder } from '../../../tooling/n8n-host/userFolder';
import { FIXTURE_PATH, SUBMIT_ACTION, type JimengSimulator } from '../../../tooling/simulator';
import type { Report } from '../report';
import {
	binaryBytes,
	crashedAfterResult,
	executeOnce,
	nodeItems,
	type ExecuteOutcome,
} from '../support';
import {
	JIMENG_NODE_TYPE,
	loadExample,
	nodeNamed,
	useCredential,
	type CredentialRef,
	type Workflow,
} from '../workflows';

export const PACKAGE_NAME = 'n8n-nodes-jimeng-video';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export interface ManualInstallOptions {
	report: Report;
	host: N8nHost;
	tarball: string;
	sim: JimengSimulator;
	/** Stored credential data pointing at `sim`. */
	credentialData: Record<string, unknown>;
	/** Extra flags for `npm install` (default `--omit=peer`, the README's command). */
	npmFlags?: string[];
	/** Poll interval of Generate and Wait (seconds). */
	pollIntervalSec: number;
}

export interface NpmInstallResult {
	nodesDir: string;
	/** Every package folder under nodes/node_modules (scoped ones as @scope/name). */
	packages: string[];
	durationMs: number;
}

/** Package folders anywhere under a node_modules tree (nested ones included), as `name` or `@scope/name`. */
export async function packagesIn(nodeModules: string): Promise<string[]> {
	const found: string[] = [];
	const walk = async (dir: string): Promise<void> => {
		const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
		for (const e of entries) {
			if (!e.isDirectory() || e.name.startsWith('.')) continue;
			if (e.name.startsWith('@')) {
				for (const s of await fs.readdir(path.join(dir, e.name), { withFileTypes: true })) {
					if (!s.isDirectory()) continue;
					found.push(`${e.name}/${s.name}`);
					await walk(path.join(dir, e.name, s.name, 'node_modules'));
				}
				continue;
			}
			found.push(e.name);
			await walk(path.join(dir, e.name, 'node_modules'));
		}
	};
	await walk(nodeModules);
	return found;
}

/** `npm install <flags> <tarball>` in `<user folder>/.n8n/nodes` (created with a package.json, as the n8n docs say) on the host's Node. */
export async function npmInstallIntoNodesDir(
	host: N8nHost,
	userFolder: UserFolder,
	tarball: string,
	flags: string[],
): Promise<NpmInstallResult> {
	const nodesDir = path.join(userFolder.dir, '.n8n', 'nodes');
	await fs.mkdir(nodesDir, { recursive: true });
	await fs.writeFile(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true }, null, 2),
	);
	// host.env: Node 24 first on PATH (npm runs on it, as in the n8n image), no inherited npm_* settings.
	const res = await runProcess('npm', ['install', ...flags, '--no-audit', '--no-fund', tarball], {
		cwd: nodesDir,
		env: host.env,
		timeoutMs: 10 * 60_000,
	});
	if (res.exitCode !== 0)
		throw new Error(
			`npm install ${flags.join(' ')} failed (exit ${res.exitCode}):\n${res.stdout}\n${res.stderr}`,
		);
	return {
		nodesDir,
		packages: await packagesIn(path.join(nodesDir, 'node_modules')),
		durationMs: res.durationMs,
	};
}

/** Rows of n8n's installed_packages table (the community-package installer's ledger), read with the host's sqlite3. */
async function installedPackageRows(host: N8nHost, userFolder: UserFolder): Promise<string[]> {
	const db = path.join(userFolder.dir, '.n8n', 'database.sqlite');
	const script =
		"const s=require('sqlite3');const d=new s.Database(process.argv[1],s.OPEN_READONLY);" +
		"d.all('select packageName from installed_packages',(e,r)=>{if(e)throw e;console.log(JSON.stringify(r.map(x=>x.packageName)))})";
	const res = await runProcess(host.nodeBin, ['-e', script, db], {
		cwd: host.cacheDir,
		env: host.env,
		timeoutMs: 60_000,
	});
	if (res.exitCode !== 0)
		throw new Error(`reading installed_packages from ${db} failed: ${res.stderr}`);
	return JSON.parse(res.stdout.trim()) as string[];
}

function installedVersion(nodesDir: string, name: string): string {
	try {
		return (
			JSON.parse(
				readFileSync(path.join(nodesDir, 'node_modules', name, 'package.json'), 'utf8'),
			) as { version: string }
		).version;
	} catch {
		return '?';
	}
}

const CREDENTIAL: CredentialRef = {
	id: 'ManualJimengSim1',
	name: 'Jimeng simulator (manual install)',
};

/**
 * The flags of the README's install line (`npm install <flags> "$TARBALL"`, under Install): the
 * check runs what the README tells users to run.
 */
export function readmeInstallFlags(
	readme = readFileSync(path.join(REPO_DIR, 'README.md'), 'utf8'),
): string[] {
	const line = /^npm install (.+) "\$TARBALL"$/m.exec(readme);
	if (!line)
		throw new Error('README.md has no `npm install <flags> "$TARBALL"` line under Install');
	return line[1].trim().split(/\s+/);
}

/**
 * The whole check for one n8n version: install with the README's command, assert what landed in
 * node_modules, then run the text-to-video example with `n8n execute` and compare the video.
 */
export async function checkManualInstall(o: ManualInstallOptions): Promise<void> {
	const flags = o.npmFlags ?? readmeInstallFlags();
	const uf = await createUserFolder();
	let ok = false;
	try {
		const installed = await npmInstallIntoNodesDir(o.host, uf, o.tarball, flags);
		o.report.note(
			`N8N_USER_FOLDER=${uf.dir}: cd .n8n/nodes && ${['npm install', ...flags, path.basename(o.tarball)].join(' ')} (npm on Node ${o.host.nodeVersion}) in ${formatMs(installed.durationMs)}`,
		);
		const shown = installed.packages.slice(0, 8).join(', ');
		o.report.note(
			`node_modules holds ${installed.packages.length} package(s): ${shown || 'nothing'}${installed.packages.length > 8 ? ', …' : ''}`,
		);
		assert.ok(
			installed.packages.includes(PACKAGE_NAME),
			`${PACKAGE_NAME} is not in .n8n/nodes/node_modules`,
		);
		const peers = installed.packages.filter((p) => p === 'n8n-workflow' || p === 'isolated-vm');
		if (peers.length) {
			const versions = peers.map((p) => `${p}@${installedVersion(installed.nodesDir, p)}`);
			throw new Error(
				`the install pulled in ${versions.join(' and ')} among ${installed.packages.length} packages (peer dependency not omitted)`,
			);
		}
		const pkg = JSON.parse(
			readFileSync(
				path.join(installed.nodesDir, 'node_modules', PACKAGE_NAME, 'package.json'),
				'utf8',
			),
		) as { version: string };
		o.report.note(`${PACKAGE_NAME}@${pkg.version} installed; no n8n-workflow, no isolated-vm`);
		assert.equal(
			existsSync(path.join(uf.dir, '.n8n', 'database.sqlite')),
			false,
			'the fresh user folder already has a database',
		);

		await importCredentials(o.host, uf, [
			{ ...CREDENTIAL, type: 'volcengineApi', data: o.credentialData },
		]);
		const workflow: Workflow = {
			...useCredential(loadExample('text-to-video.json'), CREDENTIAL),
			id: 'ManualTextVideo1',
		};
		const node = nodeNamed(workflow, 'Jimeng Video');
		assert.equal(node.type, JIMENG_NODE_TYPE);
		node.parameters.options = {
			...(node.parameters.options as object | undefined),
			pollInterval: o.pollIntervalSec,
		};
		await importWorkflows(o.host, uf, [workflow]);

		const mark = o.sim.requests.length;
		const run: ExecuteOutcome = await executeOnce(o.host, uf, workflow.id as string);
		const how = run.signal
			? `killed by ${run.signal} after printing its run`
			: `exit ${run.exitCode}`;
		o.report.note(
			`n8n ${o.host.n8nVersion} execute --id=${workflow.id} (node type ${JIMENG_NODE_TYPE}): ${how} in ${formatMs(run.durationMs)}`,
		);
		if (crashedAfterResult(run))
			o.report.warn(
				`n8n ${o.host.n8nVersion} execute died of ${run.signal} while exiting; judged on the printed run`,
			);
		const printed = crashedAfterResult(run) || run.exitCode === 0;
		assert.ok(
			printed && run.result && !run.errorMessage,
			`the run failed (exit ${run.exitCode}): ${run.errorMessage ?? 'no result'}`,
		);
		const [item] = nodeItems(run.result, 'Jimeng Video');
		assert.ok(item, 'Jimeng Video output no item');
		assert.equal(item.json.status, 'done', `item: ${JSON.stringify(item.json)}`);
		const binary = item.binary?.data;
		assert.ok(binary, `no video binary: ${JSON.stringify(item.json)}`);
		assert.equal(binary.mimeType, 'video/mp4');
		const { bytes, where } = binaryBytes(uf.dir, binary);
		const fixture = readFileSync(FIXTURE_PATH);
		assert.equal(
			sha256(bytes),
			sha256(fixture),
			`video sha256 ${sha256(bytes).slice(0, 12)} ≠ simulator mp4 ${sha256(fixture).slice(0, 12)}`,
		);
		const traffic = o.sim.requests.slice(mark);
		assert.equal(
			traffic.filter((e) => e.action === SUBMIT_ACTION).length,
			1,
			'one submit expected',
		);
		assert.ok(
			traffic.some(
				(e) => e.action === 'download' && e.taskId === item.json.task_id && e.httpStatus === 200,
			),
			'the simulator served no download of this task',
		);
		o.report.note(
			`task ${String(item.json.task_id)} done; video ${bytes.length} bytes, sha256 ${sha256(bytes).slice(0, 12)} = the simulator's mp4; ${where}`,
		);
		const rows = await installedPackageRows(o.host, uf);
		assert.deepEqual(rows, [], `installed_packages has rows: ${rows.join(', ')}`);
		o.report.note(
			'installed_packages table empty: n8n loaded the package by scanning .n8n/nodes/node_modules (manual path), not from its installer ledger',
		);
		ok = true;
	} finally {
		if (ok) await uf.cleanup();
		else o.report.note(`keeping ${uf.dir} for inspection`);
	}
}
