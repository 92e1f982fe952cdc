/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test tooling, not shipped */
/**
 * The editor check alone (`npx tsx test/scripts/e2e/browser/run.ts`): the same setup `npm run test:e2e` does
 * for it — packed package in a fresh n8n user folder, the simulator (Ark too), credentials pointing to
 * it, the patched text-to-video, image-to-video and Seedance examples — then `n8n start` and the
 * browser check. Exit code 1 on failure.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

import { ensureN8nHost, REPO_DIR } from '../../../tooling/n8n-host/host';
import { importCredentials, importWorkflows } from '../../../tooling/n8n-host/n8nCli';
import { formatMs } from '../../../tooling/n8n-host/proc';
import { startN8n, stopAllN8n, type N8nServer } from '../../../tooling/n8n-host/server';
import {
	createUserFolder,
	installPackageTarball,
	packProject,
	type UserFolder,
} from '../../../tooling/n8n-host/userFolder';
import {
	ArkSimulator,
	DEFAULT_SIMULATOR_ACCOUNT,
	JimengSimulator,
} from '../../../tooling/simulator';
import { Report, SetupFailed, messageOf } from '../report';
import { numberFromEnv } from '../support';
import { ARK_CREDENTIAL, arkCredentialData } from '../seedance';
import { SEEDANCE_AUDIO_EXAMPLE, buildWorkflows, seedanceExample } from '../workflows';
import { BROWSER_CHECK, artifactsDir, checkBrowser } from './check';
import { panelWorkflows } from './panels';

const CREDENTIAL = { id: 'E2eJimengSimul01', name: 'Jimeng simulator' };

async function main(): Promise<void> {
	const report = new Report([BROWSER_CHECK]);
	const simLog: string[] = [];
	const timing = {
		queueMs: numberFromEnv('E2E_SIM_QUEUE_MS', 300),
		generateMs: numberFromEnv('E2E_SIM_GENERATE_MS', 700),
	};
	const ark = new ArkSimulator({ ...timing, seed: 7, log: (line) => simLog.push(`[ark] ${line}`) });
	const sim = new JimengSimulator({ ...timing, ark, seed: 7, log: (line) => simLog.push(line) });
	let uf: UserFolder | undefined;
	let server: N8nServer | undefined;
	let tarballDir: string | undefined;
	try {
		const host = await report.setup('n8n host (cached install)', () =>
			ensureN8nHost({ log: (line) => report.note(`[n8n-host] ${line}`) }),
		);
		const folder = await report.setup('fresh user folder', () => createUserFolder());
		uf = folder;
		await report.setup('build + pack + install the tarball', async () => {
			const tarball = await packProject(REPO_DIR, { log: (line) => report.note(line) });
			tarballDir = path.dirname(tarball);
			const installed = await installPackageTarball(folder, tarball);
			report.note(`installed ${installed.name}@${installed.version}`);
		});
		await report.setup('simulator + credential + text-to-video example', async () => {
			await sim.start();
			await importCredentials(host, folder, [
				{
					...CREDENTIAL,
					type: 'volcengineApi',
					data: {
						accessKeyId: DEFAULT_SIMULATOR_ACCOUNT.accessKeyId,
						secretAccessKey: DEFAULT_SIMULATOR_ACCOUNT.secretAccessKey,
						sessionToken: '',
						region: 'cn-north-1',
						service: 'cv',
						baseUrl: sim.url,
					},
				},
				{ ...ARK_CREDENTIAL, type: 'volcengineArkApi', data: arkCredentialData(sim) },
			]);
			report.note(
				`simulator ${sim.url} (Ark under /api/v3); credentials "${CREDENTIAL.name}", "${ARK_CREDENTIAL.name}"`,
			);
		});
		const { textToVideo, imageToVideo } = buildWorkflows({
			credential: CREDENTIAL,
			faultCredential: CREDENTIAL,
			endpoints: { simulatorUrl: sim.url },
			pollIntervalSec: numberFromEnv('E2E_POLL_INTERVAL', 0.5),
			waitSec: 3,
			triggerTaskId: '0',
			model: 'jimeng_ti2v_v30_pro',
		});
		const seedanceWorkflow = seedanceExample(SEEDANCE_AUDIO_EXAMPLE, 'E2eSeedanceAudio', {
			credential: CREDENTIAL,
			arkCredential: ARK_CREDENTIAL,
			simulatorUrl: sim.url,
			pollIntervalSec: numberFromEnv('E2E_POLL_INTERVAL', 0.5),
		});
		await report.setup('import the workflows', () =>
			importWorkflows(host, folder, [
				textToVideo,
				imageToVideo,
				seedanceWorkflow,
				...panelWorkflows(CREDENTIAL),
			]),
		);
		server = await report.setup('n8n start', async () => {
			const s = await startN8n(host, folder);
			report.note(`${s.baseUrl} ready in ${formatMs(s.readyMs)}`);
			return s;
		});
		const srv = server;
		await report.check(BROWSER_CHECK, () =>
			checkBrowser({
				report,
				server: srv,
				workflow: textToVideo,
				imageWorkflow: imageToVideo,
				seedanceWorkflow,
				arkCredentialName: ARK_CREDENTIAL.name,
				sim,
				ark,
				artifactsDir: artifactsDir(),
			}),
		);
	} catch (error) {
		if (!(error instanceof SetupFailed)) report.log(`✗ unexpected error: ${messageOf(error)}`);
		report.skipRemaining('setup failed');
	} finally {
		await server?.stop().catch(() => undefined);
		await stopAllN8n().catch(() => undefined);
		await sim.stop().catch(() => undefined);
		if (tarballDir) await fs.rm(tarballDir, { recursive: true, force: true });
		if (uf) {
			await fs
				.writeFile(path.join(uf.dir, 'simulator.log'), simLog.join('\n') + '\n')
				.catch(() => undefined);
			if (report.failed) report.log(`keeping ${uf.dir} for inspection`);
			else await uf.cleanup();
		}
	}
	console.log(report.summary());
	process.exitCode = report.failed ? 1 : 0;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	process.exitCode = 1;
});
