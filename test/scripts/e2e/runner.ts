/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- test tooling, not shipped */
/**
 * The skeleton the end-to-end runners share (test/scripts/e2e/run.ts, e2e/compat/run.ts and
 * e2e-queue/run.ts): run the setup steps and checks; when a setup step fails or something throws,
 * mark the checks not reached as skipped; always clean up, one step at a time (a failed step is
 * logged and the others still run); then print the summary and set the exit code.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

import type { UserFolder } from '../../tooling/n8n-host/userFolder';
import { SetupFailed, messageOf, type Report } from './report';

/** A cleanup step: what it stops or removes (for the log line when it fails), and how. */
export type CleanupStep = [what: string, run: () => Promise<unknown>];

export interface E2eRun {
	/** The setup steps and the checks. */
	run: () => Promise<void>;
	/** Marks the checks a stopped run did not reach. Default: `report.skipRemaining(reason)`. */
	skipRest?: (reason: string) => void;
	/** Runs first in the cleanup, before anything is logged or stopped. */
	beforeCleanup?: () => void;
	/** The cleanup steps, in order (built when the cleanup starts, so they see what was started). */
	cleanup: () => CleanupStep[];
	/** After the cleanup steps: checks on the cleanup, logs kept or removed. */
	afterCleanup?: () => Promise<void>;
}

export async function runE2e(report: Report, e2e: E2eRun): Promise<void> {
	try {
		await e2e.run();
	} catch (error) {
		if (!(error instanceof SetupFailed))
			report.log(
				`✗ unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
			);
		const reason =
			error instanceof SetupFailed ? `setup "${error.step}" failed` : 'the run stopped early';
		if (e2e.skipRest) e2e.skipRest(reason);
		else report.skipRemaining(reason);
	} finally {
		e2e.beforeCleanup?.();
		report.log('— cleanup —');
		for (const [what, fn] of e2e.cleanup()) {
			try {
				await fn();
			} catch (error) {
				report.log(`cleanup of ${what} failed: ${messageOf(error)}`);
			}
		}
		await e2e.afterCleanup?.();
	}
	console.log(report.summary());
	process.exitCode = report.failed ? 1 : 0;
}

/** The cleanup step that removes the packed tarball's temporary folder (if it was made). */
export function tarballCleanup(tarballDir: string | undefined): CleanupStep {
	return [
		'tarball',
		async () =>
			tarballDir ? await fs.rm(tarballDir, { recursive: true, force: true }) : undefined,
	];
}

/**
 * Writes the simulator's log into the user folder, then keeps the folder when the run failed (and
 * says what is in it: `inside`) or removes it.
 */
export async function keepUserFolderIfFailed(
	report: Report,
	userFolder: UserFolder | undefined,
	simLog: string[],
	inside: string,
): Promise<void> {
	if (!userFolder) return;
	await fs
		.writeFile(path.join(userFolder.dir, 'simulator.log'), simLog.join('\n') + '\n')
		.catch(() => undefined);
	if (report.failed) report.log(`keeping ${userFolder.dir} for inspection (${inside})`);
	else await userFolder.cleanup();
}
