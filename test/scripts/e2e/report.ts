/* eslint-disable no-console -- test tooling, not shipped */
/**
 * Progress lines and the PASS/FAIL summary of the end-to-end run. Humans read this log (and quote
 * it in release notes), so every line says what happened, with the elapsed time in front.
 */
import { formatMs } from '../../tooling/n8n-host/proc';

export type Outcome = 'PASS' | 'FAIL' | 'SKIP';

export interface StepResult {
	name: string;
	kind: 'setup' | 'check';
	outcome: Outcome;
	ms: number;
	/** Why it failed or was skipped. */
	reason?: string;
}

/** Thrown by a setup step: the checks that need it cannot run. */
export class SetupFailed extends Error {
	constructor(
		readonly step: string,
		readonly cause: unknown,
	) {
		super(`setup step "${step}" failed: ${messageOf(cause)}`);
		this.name = 'SetupFailed';
	}
}

export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export class Report {
	readonly results: StepResult[] = [];
	/** Things that did not fail a check but a reader must know (e.g. an n8n crash at exit that was retried). */
	readonly warnings: string[] = [];
	readonly startedAt = Date.now();

	/** `planned`: the checks in the order they should run; any not run by the end shows as SKIP. */
	constructor(
		private readonly planned: readonly string[],
		private readonly title = 'End-to-end summary (n8n 2.41.1 headless + Jimeng simulator)',
		private readonly tag = 'e2e',
	) {}

	log(line: string): void {
		const prefix = `[${this.tag} ${formatMs(Date.now() - this.startedAt).padStart(7)}]`;
		for (const part of line.split('\n')) console.log(`${prefix} ${part}`);
	}

	/** Details under the step being run (indented, same time prefix). */
	note(line: string): void {
		this.log(`    ${line.split('\n').join('\n    ')}`);
	}

	/** A setup step: its failure aborts the run (the checks after it have nothing to run on). */
	async setup<T>(name: string, fn: () => Promise<T>): Promise<T> {
		this.log(`▶ ${name}`);
		const step = await this.timed(name, 'setup', fn);
		if (step.failed) {
			this.log(`✗ ${name} FAILED (${step.took}): ${messageOf(step.error)}`);
			throw new SetupFailed(name, step.error);
		}
		this.log(`✓ ${name} (${step.took})`);
		return step.value;
	}

	/** A check: a failure is recorded and printed, and the run goes on to the next check. */
	async check(name: string, fn: () => Promise<void>): Promise<boolean> {
		this.log(`▶ CHECK ${name}`);
		const step = await this.timed(name, 'check', fn);
		if (step.failed) {
			this.log(`✗ FAIL ${name} (${step.took})`);
			this.note(messageOf(step.error));
			return false;
		}
		this.log(`✓ PASS ${name} (${step.took})`);
		return true;
	}

	/** Runs a step and records it, PASS or FAIL (with the error's message), with its time. */
	private async timed<T>(
		name: string,
		kind: StepResult['kind'],
		fn: () => Promise<T>,
	): Promise<
		{ failed: false; value: T; took: string } | { failed: true; error: unknown; took: string }
	> {
		const started = Date.now();
		try {
			const value = await fn();
			const ms = Date.now() - started;
			this.record({ name, kind, outcome: 'PASS', ms });
			return { failed: false, value, took: formatMs(ms) };
		} catch (error) {
			const ms = Date.now() - started;
			this.record({ name, kind, outcome: 'FAIL', ms, reason: messageOf(error) });
			return { failed: true, error, took: formatMs(ms) };
		}
	}

	warn(line: string): void {
		this.warnings.push(line);
		this.log(`⚠ ${line}`);
	}

	skip(name: string, reason: string): void {
		this.record({ name, kind: 'check', outcome: 'SKIP', ms: 0, reason });
		this.log(`- SKIP ${name}: ${reason}`);
	}

	/** Marks every planned check that has not run (but those in `except`) as skipped. */
	skipRemaining(reason: string, except: readonly string[] = []): void {
		for (const name of this.planned) {
			if (!except.includes(name) && !this.results.some((r) => r.name === name))
				this.skip(name, reason);
		}
	}

	get failed(): boolean {
		return (
			this.results.some((r) => r.outcome !== 'PASS') ||
			this.planned.some((name) => !this.results.some((r) => r.name === name))
		);
	}

	/** The table printed at the end: checks in plan order first, then the setup steps with their times. */
	summary(): string {
		const checks = this.results.filter((r) => r.kind === 'check');
		const setup = this.results.filter((r) => r.kind === 'setup');
		const width = Math.max(20, ...this.results.map((r) => r.name.length));
		const row = (r: StepResult, i?: number) =>
			`  ${i === undefined ? '  ' : String(i + 1).padStart(2)}  ${r.name.padEnd(width)}  ${r.outcome.padEnd(4)}  ${formatMs(r.ms).padStart(7)}`;
		const lines = [
			'',
			this.title,
			'',
			`   #  ${'check'.padEnd(width)}  res.     time`,
			`  ${'-'.repeat(width + 21)}`,
			...checks.map((r, i) => row(r, i)),
			'',
			`      ${'setup step'.padEnd(width)}  res.     time`,
			`  ${'-'.repeat(width + 21)}`,
			...setup.map((r) => row(r)),
			'',
		];
		const failures = this.results.filter((r) => r.outcome !== 'PASS');
		if (failures.length) {
			lines.push('Not passed:');
			for (const f of failures)
				lines.push(`  ${f.outcome} ${f.name}: ${(f.reason ?? '').split('\n')[0]}`);
			lines.push('');
		}
		if (this.warnings.length) {
			lines.push('Warnings:');
			for (const w of this.warnings) lines.push(`  ${w}`);
			lines.push('');
		}
		const passed = checks.filter((r) => r.outcome === 'PASS').length;
		lines.push(
			`${passed}/${checks.length} checks passed; total ${formatMs(Date.now() - this.startedAt)} — ${this.failed ? 'E2E FAILED' : 'E2E PASSED'}`,
		);
		return lines.join('\n');
	}

	private record(result: StepResult): void {
		this.results.push(result);
	}
}
