/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test tooling, not shipped */
/**
 * E2E check: n8n's HTTP Request node (v4.2, Authentication → Predefined Credential Type →
 * volcengineApi, Body → "n8n Binary File") posts a file that is NOT valid UTF-8 to the simulator,
 * whose gateway verifies the signature and answers the SHA-256 of the bytes it received (its echo
 * action, a test aid). The file is first downloaded by another HTTP Request node from a local server,
 * so n8n stores it as binary data the way users get files.
 *
 * Run twice, once per binary data mode:
 *  - filesystem (the e2e's n8n default): the node hands the credential a file Readable stream;
 *  - default (N8N_DEFAULT_BINARY_DATA_MODE=default): the node hands it a Buffer.
 * Both must arrive byte for byte (same SHA-256 and size) with the signature verified.
 *
 * Hooked into test/scripts/e2e/run.ts by one CHECKS entry and one report.check line; also runnable alone:
 * `npm run build && npx tsx test/scripts/e2e/checks/binaryBody.ts` (installs the package in a fresh user folder).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';

import { mulberry32 } from '../../../fixtures/random';
import type { N8nHost } from '../../../tooling/n8n-host/host';
import { importWorkflows, type ExecutionRun } from '../../../tooling/n8n-host/n8nCli';
import { formatMs } from '../../../tooling/n8n-host/proc';
import type { UserFolder } from '../../../tooling/n8n-host/userFolder';
import { ECHO_BODY_ACTION, type JimengSimulator } from '../../../tooling/simulator';
import type { Report } from '../report';
import { startNode } from '../../../support/startNode';
import {
	crashedAfterResult,
	describeBinary,
	executeOnce,
	nodeItems,
	serveFile,
	type ExecuteOutcome,
} from '../support';

export const BINARY_BODY_CHECK =
	'HTTP Request node posts a binary file: bytes + signature verified';

const WORKFLOW_ID = 'E2eBinaryBody001';
const FILE_SIZE = 256 * 1024;

export interface BinaryBodyContext {
	report: Pick<Report, 'note' | 'warn'>;
	host: N8nHost;
	uf: UserFolder;
	/** The simulator the credential's Base URL points to. */
	sim: JimengSimulator;
	/** An imported volcengineApi credential for `sim`. */
	credential: { id: string; name: string };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Deterministic bytes that are not valid UTF-8 (0xff 0xfe 0x80… up front, random after). */
export function nonUtf8File(size = FILE_SIZE): Buffer {
	const random = mulberry32(20261201);
	const bytes = Buffer.alloc(size);
	for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256);
	Buffer.from([0xff, 0xfe, 0x80, 0x81, 0xc3, 0x28, 0x00, 0xe2, 0x82]).copy(bytes, 0);
	if (Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes))
		throw new Error('the test file must not be valid UTF-8');
	return bytes;
}

export function binaryBodyWorkflow(
	fileUrl: string,
	simulatorUrl: string,
	credential: { id: string; name: string },
) {
	return {
		id: WORKFLOW_ID,
		name: 'E2E: HTTP Request node posts an n8n binary file, signed by volcengineApi',
		nodes: [
			startNode('b1'),
			{
				id: 'b2',
				name: 'Download File',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					url: fileUrl,
					options: { response: { response: { responseFormat: 'file' } } },
				},
			},
			{
				id: 'b3',
				name: 'Post Binary',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [440, 0],
				parameters: {
					method: 'POST',
					url: `${simulatorUrl}/?Action=${ECHO_BODY_ACTION}&Version=2022-08-31`,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'volcengineApi',
					sendBody: true,
					contentType: 'binaryData',
					inputDataFieldName: 'data',
					options: {},
				},
				credentials: { volcengineApi: credential },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Download File', type: 'main', index: 0 }]] },
			'Download File': { main: [[{ node: 'Post Binary', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

function printedRun(run: ExecuteOutcome): ExecutionRun {
	const completed =
		run.result &&
		(run.exitCode === 0 || (crashedAfterResult(run) && run.result.status === 'success'));
	if (!completed || !run.result || run.errorMessage) {
		const tail = (run.stdout + '\n' + run.stderr).split('\n').filter(Boolean).slice(-25).join('\n');
		throw new Error(
			`the run failed (exit ${run.exitCode}${run.signal ? `, ${run.signal}` : ''}): ${run.errorMessage ?? 'no result printed'}\n${tail}`,
		);
	}
	return run.result;
}

export async function checkBinaryBody(ctx: BinaryBodyContext): Promise<void> {
	const bytes = nonUtf8File();
	const expected = sha256(bytes);
	const server = await serveFile('upload.bin', bytes, 'application/octet-stream');
	try {
		await importWorkflows(ctx.host, ctx.uf, [
			binaryBodyWorkflow(server.url, ctx.sim.url, ctx.credential),
		]);
		ctx.report.note(
			`file: ${bytes.length} bytes, not valid UTF-8 (starts ff fe 80 81), sha256 ${expected.slice(0, 16)}…, served at ${server.url}`,
		);
		for (const mode of ['filesystem', 'default'] as const) {
			const mark = ctx.sim.requests.length;
			const run = await executeOnce(ctx.host, ctx.uf, WORKFLOW_ID, {
				N8N_DEFAULT_BINARY_DATA_MODE: mode,
			});
			if (crashedAfterResult(run))
				ctx.report.warn(
					`n8n execute of ${WORKFLOW_ID} (${mode} mode) died of ${run.signal} while exiting, after printing its run: judged on the printed run`,
				);
			const result = printedRun(run);
			const [downloaded] = nodeItems(result, 'Download File');
			const binary = downloaded?.binary?.data;
			assert.ok(binary, `${mode} mode: Download File output no binary`);
			// The mode decides what the HTTP Request node hands the credential: a stream (stored file) or a Buffer (inline).
			if (mode === 'filesystem')
				assert.match(
					String(binary.id),
					/^filesystem(-v2)?:/,
					`${mode} mode: binary not stored on disk: ${describeBinary(binary)}`,
				);
			else
				assert.equal(
					binary.id,
					undefined,
					`${mode} mode: binary not inline: ${describeBinary(binary)}`,
				);
			const [posted] = nodeItems(result, 'Post Binary');
			assert.ok(posted, `${mode} mode: Post Binary output no item`);
			const answer = posted.json as {
				code?: number;
				data?: { sha256?: string; size?: number; signature?: string };
			};
			assert.equal(answer.code, 10000, `${mode} mode: answer ${JSON.stringify(posted.json)}`);
			const traffic = ctx.sim.requests.slice(mark);
			assert.equal(
				traffic.length,
				1,
				`${mode} mode: ${traffic.length} requests reached the simulator`,
			);
			const entry = traffic[0]!;
			assert.equal(entry.action, ECHO_BODY_ACTION);
			assert.equal(
				entry.gatewayError,
				null,
				`${mode} mode: gateway refused the signature: ${entry.gatewayError}`,
			);
			assert.equal(
				entry.bodySha256,
				expected,
				`${mode} mode: the simulator received other bytes (sha256 ${entry.bodySha256}) than the file's (${expected})`,
			);
			assert.equal(
				answer.data?.size,
				bytes.length,
				`${mode} mode: received ${answer.data?.size} bytes of ${bytes.length}`,
			);
			assert.equal(answer.data?.sha256, expected);
			ctx.report.note(
				`${mode} mode (${binary.id ? 'stored file → stream' : 'inline → Buffer'}): signature verified, ${answer.data?.size} bytes received, sha256 = the file's; n8n execute ${formatMs(run.durationMs)}`,
			);
		}
	} finally {
		await server.close();
	}
}

// Standalone: a fresh user folder with the packed package, one simulator, this check only.
if (require.main === module) {
	void (async () => {
		/* eslint-disable @typescript-eslint/no-require-imports */
		const { ensureN8nHost, REPO_DIR } =
			require('../../../tooling/n8n-host/host') as typeof import('../../../tooling/n8n-host/host');
		const { importCredentials } =
			require('../../../tooling/n8n-host/n8nCli') as typeof import('../../../tooling/n8n-host/n8nCli');
		const userFolder =
			require('../../../tooling/n8n-host/userFolder') as typeof import('../../../tooling/n8n-host/userFolder');
		const { JimengSimulator } =
			require('../../../tooling/simulator') as typeof import('../../../tooling/simulator');
		const { simulatorCredentialData } =
			require('../../../support/simulatorCredential') as typeof import('../../../support/simulatorCredential');
		/* eslint-enable @typescript-eslint/no-require-imports */
		const note = (line: string) => console.log(`  ${line}`);
		const sim = new JimengSimulator();
		const host = await ensureN8nHost({ log: note });
		const uf = await userFolder.createUserFolder();
		let failed = false;
		try {
			await userFolder.installPackageTarball(
				uf,
				await userFolder.packProject(REPO_DIR, { log: note }),
			);
			await sim.start();
			const credential = { id: 'E2eBinaryCred001', name: 'Jimeng simulator (binary body)' };
			await importCredentials(host, uf, [
				{
					...credential,
					type: 'volcengineApi',
					data: simulatorCredentialData(sim.url),
				},
			]);
			await checkBinaryBody({ report: { note, warn: note }, host, uf, sim, credential });
			console.log(`PASS ${BINARY_BODY_CHECK}`);
		} catch (error) {
			failed = true;
			console.log(
				`FAIL ${BINARY_BODY_CHECK}: ${error instanceof Error ? error.message : String(error)}`,
			);
		} finally {
			await sim.stop();
			if (!failed) await uf.cleanup();
			else console.log(`kept ${uf.dir}`);
		}
		process.exitCode = failed ? 1 : 0;
	})();
}
