/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test tooling, not shipped */
/**
 * `npm start`: an n8n editor with this package installed, ready to try against the local Jimeng
 * simulator — for a newcomer's first ten minutes and for development.
 *
 * Builds and packs the package, installs it into a persistent user folder (<repo>/.n8n-host, kept
 * across restarts) the way n8n's community-package installer does, starts the simulator and
 * `n8n start` on 127.0.0.1, imports a "Jimeng simulator" credential and the example workflows, and
 * prints the URL and the login. The simulator serves Seedance (Ark) on the same port, under /api/v3,
 * with a "Seedance simulator" credential for the seedance-* examples. With VOLC_ACCESSKEY and
 * VOLC_SECRETKEY set it also creates a "Volcengine (real service)" credential, with ARK_API_KEY a
 * "Volcengine Ark (real service)" one (secrets are never printed). Ctrl-C stops everything.
 *
 * Env: N8N_PORT (5678), JIMENG_SIM_PORT (5699), JIMENG_N8N_HOST_CACHE, VOLC_SESSIONTOKEN, VOLC_BASEURL,
 * ARK_API_KEY.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ArkSimulator, DEFAULT_ARK_API_KEY, JimengSimulator } from '../simulator';
import { loadExamples, startBanner } from './examples';
import { REPO_DIR, ensureN8nHost } from './host';
import { importCredentials, importWorkflows, type CredentialImport } from './n8nCli';
import { formatMs } from './proc';
import { startN8n, type OwnerAccount } from './server';
import { createUserFolder, installPackageTarball, packProject } from './userFolder';
import {
	realCredentialDataFromEnv,
	simulatorCredentialData,
} from '../../support/simulatorCredential';

export const SIMULATOR_CREDENTIAL_ID = 'JimengSimulator1';
export const REAL_CREDENTIAL_ID = 'VolcengineReal01';
export const ARK_SIMULATOR_CREDENTIAL_ID = 'SeedanceSimulat1';
const ARK_SIMULATOR_CREDENTIAL = { id: ARK_SIMULATOR_CREDENTIAL_ID, name: 'Seedance simulator' };
/** A local development login (the editor listens on 127.0.0.1 only). */
const DEV_OWNER: OwnerAccount = {
	email: 'dev@jimeng.local',
	password: 'Jimeng-dev-2026',
	firstName: 'Jimeng',
	lastName: 'Developer',
};

const started = Date.now();
const say = (line: string) =>
	console.log(`[start ${formatMs(Date.now() - started).padStart(7)}] ${line}`);

async function main(): Promise<void> {
	const n8nPort = Number(process.env.N8N_PORT ?? 5678);
	const simPort = Number(process.env.JIMENG_SIM_PORT ?? 5699);

	say('building and packing the package');
	const tarball = await packProject(REPO_DIR, { build: 'always' });

	say('checking the n8n host (the first run installs n8n 2.41.1 and Node 24: about 6 minutes)');
	const host = await ensureN8nHost();
	say(
		`n8n ${host.n8nVersion} on Node ${host.nodeVersion}${host.installedNow ? ` (installed in ${formatMs(host.installMs)})` : ''}`,
	);

	const folderDir = path.join(REPO_DIR, '.n8n-host');
	const userFolder = await createUserFolder({ dir: folderDir, port: n8nPort, logLevel: 'warn' });
	const installed = await installPackageTarball(userFolder, tarball);
	say(
		`installed ${installed.name}@${installed.version} into ${path.relative(REPO_DIR, installed.dir)}`,
	);

	// Both APIs on one port: Seedance (Ark) under /api/v3.
	const sim = new JimengSimulator({
		port: simPort,
		queueMs: 3000,
		generateMs: 7000,
		log: (line) => console.log(`[simulator] ${line}`),
		ark: new ArkSimulator({
			queueMs: 3000,
			generateMs: 7000,
			log: (line) => console.log(`[ark simulator] ${line}`),
		}),
	});
	await sim.start();
	say(`Jimeng simulator on ${sim.url}`);

	const credentials: CredentialImport[] = [
		{
			id: SIMULATOR_CREDENTIAL_ID,
			name: 'Jimeng simulator',
			type: 'volcengineApi',
			data: simulatorCredentialData(sim.url),
		},
		{
			...ARK_SIMULATOR_CREDENTIAL,
			type: 'volcengineArkApi',
			data: { apiKey: DEFAULT_ARK_API_KEY, baseUrl: `${sim.url}/api/v3` },
		},
	];
	const realData = realCredentialDataFromEnv();
	if (realData)
		credentials.splice(1, 0, {
			id: REAL_CREDENTIAL_ID,
			name: 'Volcengine (real service)',
			type: 'volcengineApi',
			data: realData,
		});
	if (process.env.ARK_API_KEY)
		credentials.push({
			id: 'VolcengineArkRl1',
			name: 'Volcengine Ark (real service)',
			type: 'volcengineArkApi',
			data: {
				apiKey: process.env.ARK_API_KEY,
				baseUrl: 'https://ark.cn-beijing.volces.com/api/v3',
			},
		});
	await importCredentials(host, userFolder, credentials);
	say(`credentials: ${credentials.map((c) => `"${c.name}"`).join(', ')}`);

	// Each example is imported again when its offline form changed (a new version of the file, or
	// another simulator port); an example nobody changed keeps the edits made to it in the editor.
	const marker = path.join(folderDir, '.jimeng-examples-imported.json');
	const stored: unknown = existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : {};
	const imported: Record<string, string> =
		stored && typeof stored === 'object' && !Array.isArray(stored)
			? (stored as Record<string, string>)
			: {};
	const allExamples = loadExamples(
		path.join(REPO_DIR, 'examples'),
		{ id: SIMULATOR_CREDENTIAL_ID, name: 'Jimeng simulator' },
		sim.url,
		ARK_SIMULATOR_CREDENTIAL,
	);
	const digest = (workflow: unknown) =>
		createHash('sha256').update(JSON.stringify(workflow)).digest('hex');
	const examples = allExamples
		.map((example) => example.workflow)
		.filter((workflow) => imported[workflow.id as string] !== digest(workflow));
	if (examples.length) {
		await importWorkflows(host, userFolder, examples);
		for (const workflow of examples) imported[workflow.id as string] = digest(workflow);
		writeFileSync(marker, JSON.stringify(imported));
	}
	say(`example workflows: ${allExamples.length} (${examples.length} imported or updated now)`);

	const server = await startN8n(host, userFolder, {
		port: n8nPort,
		owner: DEV_OWNER,
		createApiKey: false,
	});
	const stop = async () => {
		say('stopping n8n and the simulator');
		await server.stop();
		await sim.stop();
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());

	for (const line of startBanner({
		baseUrl: server.baseUrl,
		login: DEV_OWNER,
		examples: allExamples,
		simulatorUrl: sim.url,
		realCredential: realData !== undefined,
		logFile: server.logFile,
	})) {
		console.log(line);
	}
	await server.exited;
	say('n8n exited');
	await sim.stop();
	process.exit(1);
}

main().catch((error: Error) => {
	console.error(`[start] failed: ${error.message}`);
	process.exit(1);
});
