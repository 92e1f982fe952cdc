/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error, no-console -- test tooling, not shipped */
// `npm run simulator`: a standalone Jimeng API simulator for manual runs, demos and out-of-process tests.
// Configured by JIMENG_SIM_* environment variables; stops cleanly on SIGINT / SIGTERM.
import { ArkSimulator, DEFAULT_ARK_API_KEY } from './ark/arkServer';
import {
	DEFAULT_SIMULATOR_ACCOUNT,
	JimengSimulator,
	type SimulatorAccount,
	type SimulatorFaults,
	type SimulatorOptions,
} from './server';

function numberEnv(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
	return value;
}

/** Limits accept 'null' / 'none' / 'unlimited' for no limit. */
function limitEnv(name: string): number | null | undefined {
	const raw = process.env[name]?.trim().toLowerCase();
	if (raw === 'null' || raw === 'none' || raw === 'unlimited') return null;
	return numberEnv(name);
}

function accountFromEnv(): SimulatorAccount {
	const accessKeyId = process.env.JIMENG_SIM_ACCESS_KEY_ID;
	const secretAccessKey = process.env.JIMENG_SIM_SECRET_ACCESS_KEY;
	if (!accessKeyId && !secretAccessKey) return DEFAULT_SIMULATOR_ACCOUNT;
	if (!accessKeyId || !secretAccessKey) {
		throw new Error(
			'set both JIMENG_SIM_ACCESS_KEY_ID and JIMENG_SIM_SECRET_ACCESS_KEY, or neither',
		);
	}
	return { accessKeyId, secretAccessKey };
}

function optionsFromEnv(): SimulatorOptions {
	const faultsJson = process.env.JIMENG_SIM_FAULTS;
	let faults: SimulatorFaults | undefined;
	if (faultsJson) {
		try {
			faults = JSON.parse(faultsJson) as SimulatorFaults;
		} catch {
			throw new Error(
				`JIMENG_SIM_FAULTS must be JSON, e.g. '{"rate50429":0.1}', got ${faultsJson}`,
			);
		}
	}
	return {
		host: process.env.JIMENG_SIM_HOST || undefined,
		port: numberEnv('JIMENG_SIM_PORT'),
		queueMs: numberEnv('JIMENG_SIM_QUEUE_MS'),
		generateMs: numberEnv('JIMENG_SIM_GENERATE_MS'),
		concurrency: limitEnv('JIMENG_SIM_CONCURRENCY'),
		qps: limitEnv('JIMENG_SIM_QPS'),
		faults,
		seed: numberEnv('JIMENG_SIM_SEED'),
		videoBytes: limitEnv('JIMENG_SIM_VIDEO_BYTES'),
		accounts: [accountFromEnv()],
		log: (line) => console.log(line),
	};
}

async function main(): Promise<void> {
	const options = optionsFromEnv();
	// Ark (Seedance) is served on the same port, under /api/v3.
	const ark = new ArkSimulator({ seed: options.seed, log: options.log });
	const simulator = new JimengSimulator({ ...options, ark });
	const url = await simulator.start();
	const account = options.accounts![0];
	console.log(`Jimeng API simulator listening on ${url}`);
	console.log('Credential (volcengineApi) for tests:');
	console.log(`  baseUrl:         ${url}`);
	console.log(`  accessKeyId:     ${account.accessKeyId}`);
	console.log(`  secretAccessKey: ${account.secretAccessKey}`);
	console.log('  region / service: cn-north-1 / cv');
	console.log('Credential (volcengineArkApi) for tests:');
	console.log(`  baseUrl:         ${url}/api/v3`);
	console.log(`  apiKey:          ${DEFAULT_ARK_API_KEY}`);
	console.log(
		`Admin: GET ${url}/_sim/state, GET ${url}/_sim/log, POST ${url}/_sim/config|reset|expire/<taskId>`,
	);
	if (options.seed !== undefined) console.log(`Seed: ${options.seed}`);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal}: stopping`);
		simulator.stop().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
