/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/**
 * `npm run soak`: the fault soak, the bad-input catalogue and the secret scan, against the local
 * Jimeng simulator on loopback. Bounded in time (SOAK_LIMIT_MS) and count; the simulator's fault
 * draws are seeded (timing still varies run to run: backoff jitter and the clock decide which
 * request meets which fault). Exit code 1 when a target is missed, 3 when the time bound is hit.
 */
import { JimengSimulator } from '../../tooling/simulator';
import { loadFixture, VideoFile } from '../../tooling/simulator/video';
import { heading, out, seconds, table, Verdicts } from '../bench/report';
import { createHarness, useFilesystemBinaryData, useMemoryBinaryData } from '../../support/harness';
import { simulatorCredential } from '../../support/workflows';
import { runBadInputs, type SoakSecrets } from './badInputs';
import { Capture } from './capture';
import {
	emptyTally,
	FAIL_EVERY,
	FaultSoak,
	FORCED_RESET_ITEMS,
	GENERATE_TASKS,
	GW_BATCHES,
	GW_BATCH_SIZE,
	SOAK_CONCURRENCY,
	SOAK_FAULTS,
	SOAK_GENERATE_MS,
	SOAK_QUEUE_MS,
	UNIQUE_PROMPT_FAULTS,
	videoDigest,
	WATCH_TASKS,
	type PartTally,
} from './faultSoak';

const SOAK_LIMIT_MS = 5 * 60 * 1000;
const SEED = 20_240_601;
const VIDEO_BYTES = 256 * 1024;

// Distinctive values: any occurrence in an item, error or log line is a leak, never a coincidence.
const SECRETS: SoakSecrets = {
	accessKeyId: 'AKLTsoakStsAccessKey0001',
	secretAccessKey: 'soakSecretKey-7c1f9e2d4b6a8-MUST-NOT-LEAK',
	sessionToken: 'soakSessionToken-3e5a7c9b1d2f4-MUST-NOT-LEAK',
};

async function main(): Promise<number> {
	const started = Date.now();
	const capture = new Capture();
	capture.installLogger();
	capture.installConsole();
	const verdicts = new Verdicts();
	const account = {
		accessKeyId: SECRETS.accessKeyId,
		secretAccessKey: SECRETS.secretAccessKey,
		sessionToken: SECRETS.sessionToken,
	};

	out(
		`n8n-nodes-jimeng-video fault soak — Node ${process.version}, loopback simulator, seed ${SEED}, bound ${SOAK_LIMIT_MS / 60000} min`,
	);
	out(
		`faults: 50429 ${SOAK_FAULTS.rate50429! * 100}%, 50500 ${SOAK_FAULTS.rate50500! * 100}%, resets ${SOAK_FAULTS.resetBeforeCreate! * 100}% before + ${SOAK_FAULTS.resetAfterCreate! * 100}% after task creation, ` +
			`failed tasks 10% (${SOAK_FAULTS.failCode} at query time: every ${FAIL_EVERY}th prompt by marker, ${SOAK_FAULTS.failRate! * 100}% at random in generate mode), expired URL on every first download, truncated downloads ${SOAK_FAULTS.truncateDownload! * 100}%; ` +
			`concurrency limit ${SOAK_CONCURRENCY}; task ${(SOAK_QUEUE_MS + SOAK_GENERATE_MS) / 1000} s; video ${VIDEO_BYTES / 1024} KB (size and sha256 checked); STS credential (secret key + session token)`,
	);

	// ---- fault soak ----------------------------------------------------------------------------------
	const sim = new JimengSimulator({
		accounts: [account],
		seed: SEED,
		queueMs: SOAK_QUEUE_MS,
		generateMs: SOAK_GENERATE_MS,
		concurrency: SOAK_CONCURRENCY,
		videoBytes: VIDEO_BYTES,
		faults: SOAK_FAULTS,
		log: (line) => capture.add('simulator', line),
	});
	await sim.start();
	const store = await useFilesystemBinaryData();
	let tallies: PartTally[];
	let soakResult;
	try {
		const harness = await createHarness([simulatorCredential(sim, account)]);
		const chunks: Buffer[] = [];
		for await (const chunk of new VideoFile(loadFixture(), VIDEO_BYTES).stream())
			chunks.push(chunk as Buffer);
		const soak = new FaultSoak(harness, sim, videoDigest(Buffer.concat(chunks)), capture);
		const gw = await soak.generateAndWait(
			`Generate and Wait (${GW_BATCHES} runs × ${GW_BATCH_SIZE} items)`,
			GW_BATCHES,
			GW_BATCH_SIZE,
			UNIQUE_PROMPT_FAULTS,
		);
		out(`\n[${seconds(Date.now() - started)}] Generate and Wait done`);
		const forced = await soak.generateAndWait(
			`Generate and Wait, every submit reset after creation (${FORCED_RESET_ITEMS} items)`,
			1,
			FORCED_RESET_ITEMS,
			{ ...UNIQUE_PROMPT_FAULTS, resetAfterCreate: 1 },
		);
		out(`[${seconds(Date.now() - started)}] Generate and Wait with forced resets done`);
		const watch = await soak.watchTasks();
		out(`[${seconds(Date.now() - started)}] Submit + trigger watchTasks done`);
		const generate = await soak.generate();
		out(`[${seconds(Date.now() - started)}] trigger generate done`);
		tallies = [gw, forced, ...watch, generate];
		soakResult = soak.result(tallies);
	} finally {
		await sim.stop();
		store.cleanup();
		// The store's directory is gone: later runs (bad inputs) keep binaries in memory, n8n's default.
		useMemoryBinaryData();
	}

	out(
		heading(
			`Fault soak: ${GW_BATCHES}×${GW_BATCH_SIZE} + ${FORCED_RESET_ITEMS} Generate and Wait items, ${WATCH_TASKS} Submit + watchTasks, ${GENERATE_TASKS} generate-mode tasks`,
		),
	);
	const total = tallies.reduce(
		(sum, t) => ({
			...sum,
			asked: sum.asked + (t.part.startsWith('Trigger: watchTasks') ? 0 : t.asked),
			created: sum.created + (t.part.startsWith('Trigger: watchTasks') ? 0 : t.created),
			delivered: sum.delivered + t.delivered,
			cleanErrors: sum.cleanErrors + t.cleanErrors,
			unknownOutcome: sum.unknownOutcome + t.unknownOutcome,
			duplicates: sum.duplicates + t.duplicates,
			orphansExplained: sum.orphansExplained + t.orphansExplained,
			orphansUnexplained: sum.orphansUnexplained + t.orphansUnexplained,
			lost: sum.lost + t.lost,
		}),
		emptyTally('total (tasks asked/created counted once)'),
	);
	const row = (t: PartTally) => [
		t.part,
		t.asked,
		t.created,
		t.delivered,
		t.cleanErrors,
		t.unknownOutcome,
		t.duplicates,
		`${t.orphansExplained}/${t.orphansUnexplained}`,
		t.lost,
	];
	out(
		table(
			[
				'part',
				'asked',
				'created',
				'delivered intact',
				'clean errors',
				'task may exist',
				'duplicates',
				'orphans expl./unexpl.',
				'lost',
			],
			[...tallies.map(row), row(total)],
		),
	);
	out(
		'\n"task may exist": a submit whose connection broke after sending (never repeated); "orphans expl.": tasks the simulator created that only such an item accounts for.',
	);

	out('\nfaults fired (simulator log)');
	out(
		table(
			['fault', 'count'],
			[...soakResult.faultsFired].sort((a, b) => b[1] - a[1]),
		),
	);
	out(
		`requests: ${soakResult.requests.submits} submits, ${soakResult.requests.getResults} Get Result, ${soakResult.requests.downloads} downloads; max tasks in flight ${soakResult.requests.maxConcurrent} (limit ${SOAK_CONCURRENCY})`,
	);

	out('\ncodes in per-item errors');
	out(
		table(
			['code', 'items'],
			[...soakResult.codes].sort((a, b) => b[1] - a[1]),
		),
	);

	if (soakResult.unknownOutcomes.length) {
		out('\nitems whose submit outcome is unknown');
		out(
			table(
				[
					'part',
					'says a task may exist',
					'a task was created',
					'submit time',
					'req_key',
					'prompt',
					'fields of the item',
				],
				soakResult.unknownOutcomes.map((u) => [
					u.part,
					u.saysSo ? 'yes' : 'NO',
					u.taskCreated ? 'yes' : 'no',
					u.hasTime ? 'yes' : 'NO',
					u.hasReqKey ? 'yes' : 'no',
					u.hasPrompt ? 'yes' : 'no',
					u.keys.join(','),
				]),
			),
		);
		out(
			'The message asks the user to look for "a task created at this time" in the console; "submit time" says whether the item carries that time.',
		);
		out('(Generate and Wait items link to their input, and so to the prompt, through pairedItem.)');
	}
	if (soakResult.problems.length) {
		out('\nproblems');
		for (const problem of soakResult.problems.slice(0, 40)) out(`  - ${problem}`);
		if (soakResult.problems.length > 40) out(`  … and ${soakResult.problems.length - 40} more`);
	}

	// ---- bad inputs ----------------------------------------------------------------------------------
	const clean = new JimengSimulator({
		accounts: [account],
		seed: SEED,
		log: (line) => capture.add('simulator', line),
	});
	await clean.start();
	let bad;
	try {
		bad = await runBadInputs(clean, simulatorCredential(clean, account), SECRETS, capture);
	} finally {
		await clean.stop();
	}
	out(
		heading(
			`Bad-input catalogue: ${bad.length} cases, each a workflow run (or trigger activation) through n8n-core`,
		),
	);
	out(
		table(
			[
				'group',
				'case',
				'rule in message',
				'requests (expected)',
				'secret in message',
				'run',
				'verdict',
			],
			bad.map((r) => [
				r.group,
				r.name,
				r.ruleNamed ? 'yes' : 'NO',
				`${r.requests} (${r.expectedRequests})`,
				r.secretInMessage ? 'YES' : 'no',
				r.crashed ? 'CRASHED' : r.refusedByN8n ? 'n8n pre-check' : 'ok',
				r.pass ? 'PASS' : 'FAIL',
			]),
		),
	);
	for (const r of bad.filter((result) => !result.pass))
		out(`  - ${r.group} / ${r.name}: ${r.crashed ?? ''} message: ${r.message.slice(0, 300)}`);
	if (process.env.SOAK_VERBOSE === '1')
		for (const r of bad) out(`  · ${r.name}: ${r.message.slice(0, 240)}`);

	// ---- secret scan ---------------------------------------------------------------------------------
	const hits = capture.scan([SECRETS.secretAccessKey, SECRETS.sessionToken]);
	// Positive control: the scanner finds a secret buried in an error's cause, in a log line and in an item.
	const control = new Capture();
	control.add(
		'control:error',
		new Error('outer', {
			cause: { config: { headers: { 'X-Security-Token': SECRETS.sessionToken } } },
		}),
	);
	control.logLines.push({ level: 'debug', text: `signing with ${SECRETS.secretAccessKey}` });
	control.add('control:item', { json: { nested: [{ value: `k=${SECRETS.secretAccessKey}` }] } });
	const scannerWorks = control.scan([SECRETS.secretAccessKey, SECRETS.sessionToken]).length === 3;
	out(heading('Secret scan: secret access key and session token'));
	out(
		table(
			['scanned', 'count'],
			[
				['n8n log lines (Logger)', capture.logLines.length],
				['console lines', capture.consoleLines.length],
				['items, errors and run data, simulator log lines', capture.texts.length],
				['hits', hits.length],
			],
		),
	);
	out(`scanner self-check (3 planted secrets found): ${scannerWorks ? 'ok' : 'FAILED'}`);
	const levels = new Map<string, number>();
	for (const line of capture.logLines) levels.set(line.level, (levels.get(line.level) ?? 0) + 1);
	out(
		`n8n log lines by level: ${[...levels].map(([level, count]) => `${level} ${count}`).join(', ')}`,
	);
	// Shown masked: a leak must not reach the printed report either.
	const mask = (line: string) =>
		line
			.split(SECRETS.secretAccessKey)
			.join('<SECRET>')
			.split(SECRETS.sessionToken)
			.join('<TOKEN>');
	for (const line of capture.logLines
		.filter((l) => l.level === 'warn' || l.level === 'error')
		.slice(0, 5))
		out(`  ${line.level}: ${mask(line.text).slice(0, 220)}`);
	for (const hit of hits.slice(0, 20)) out(`  - ${hit.secret} in ${hit.source}: …${hit.excerpt}`);

	// ---- targets -------------------------------------------------------------------------------------
	const elapsed = Date.now() - started;
	const unknown = soakResult.unknownOutcomes;
	out(heading('Targets'));
	verdicts.add(
		'≥ 100 tasks asked through Generate and Wait and the trigger',
		`${total.asked} asked, ${total.created} created`,
		total.asked >= 100,
	);
	verdicts.add(
		'every item delivered intact or a clean error naming its code',
		`${total.delivered} delivered, ${total.cleanErrors} clean errors, ${total.unknownOutcome} task-may-exist, ${total.lost} lost/unclean`,
		total.lost === 0 && soakResult.problems.length === 0,
	);
	verdicts.add(
		'zero duplicates; orphans only behind "task may exist"',
		`${total.duplicates} duplicates, ${total.orphansUnexplained} unexplained orphans (${total.orphansExplained} explained)`,
		total.duplicates === 0 && total.orphansUnexplained === 0,
	);
	verdicts.add(
		'unknown-outcome errors say a task may exist',
		`${unknown.filter((u) => u.saysSo).length}/${unknown.length}`,
		unknown.every((u) => u.saysSo),
	);
	verdicts.add(
		'… and carry what finds the task (the submit time)',
		`${unknown.filter((u) => u.hasTime).length}/${unknown.length} carry a submit time (req_key: ${unknown.filter((u) => u.hasReqKey).length}/${unknown.length})`,
		unknown.length > 0 && unknown.every((u) => u.hasTime),
	);
	verdicts.add(
		'bad-input catalogue: ≥ 30 cases, each clear, no request if pre-checkable, no crash, no secret',
		`${bad.filter((r) => r.pass).length}/${bad.length} pass`,
		bad.length >= 30 && bad.every((r) => r.pass),
	);
	verdicts.add(
		'secret scan: zero hits',
		`${hits.length} hits in ${capture.lineCount} log/console lines and ${capture.texts.length} items/errors/run data`,
		hits.length === 0 && scannerWorks,
	);
	verdicts.add(
		`bounded: ≤ ${SOAK_LIMIT_MS / 60000} min, no run cancelled`,
		`${seconds(elapsed)}, ${soakResult.cancelledRuns} cancelled`,
		elapsed <= SOAK_LIMIT_MS && soakResult.cancelledRuns === 0,
	);
	out(verdicts.render());
	out(
		`\nsoak finished in ${seconds(elapsed)}: ${verdicts.list.filter((v) => v.pass).length}/${verdicts.list.length} targets met`,
	);
	return verdicts.allPass ? 0 : 1;
}

const watchdog = setTimeout(() => {
	out(`\nFAIL  soak exceeded its time bound of ${SOAK_LIMIT_MS / 60000} min: stopped`);
	process.exit(3);
}, SOAK_LIMIT_MS + 30_000);

main()
	.then((code) => {
		clearTimeout(watchdog);
		process.exit(code);
	})
	.catch((error: unknown) => {
		process.stderr.write(
			`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(2);
	});
