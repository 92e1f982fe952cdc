/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/**
 * Plain-text tables and target verdicts shared by `npm run bench` and `npm run soak`.
 * The output is quoted in release notes: aligned columns, one PASS/FAIL line per target.
 */

export type Cell = string | number;

/** Prints rows as an aligned table; numbers are right-aligned, text left-aligned. */
export function table(headers: string[], rows: Cell[][]): string {
	const text = rows.map((row) => row.map((cell) => String(cell)));
	const widths = headers.map((header, column) =>
		Math.max(header.length, ...text.map((row) => (row[column] ?? '').length)),
	);
	const numeric = headers.map(
		(_, column) =>
			rows.length > 0 &&
			rows.every(
				(row) =>
					typeof row[column] === 'number' ||
					/^[-+]?[\d.,]+( ?[a-zA-Z%×/]+)?$/.test(String(row[column])),
			),
	);
	const line = (cells: string[]) =>
		cells
			.map((cell, column) =>
				numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
			)
			.join('  ')
			.trimEnd();
	return [
		line(headers),
		widths.map((width) => '-'.repeat(width)).join('  '),
		...text.map(line),
	].join('\n');
}

export function heading(title: string): string {
	return `\n${title}\n${'='.repeat(title.length)}`;
}

export interface Verdict {
	target: string;
	measured: string;
	pass: boolean;
}

export class Verdicts {
	readonly list: Verdict[] = [];

	add(target: string, measured: string, pass: boolean): boolean {
		this.list.push({ target, measured, pass });
		return pass;
	}

	get allPass(): boolean {
		return this.list.every((verdict) => verdict.pass);
	}

	render(): string {
		const width = Math.max(...this.list.map((verdict) => verdict.target.length));
		return this.list
			.map(
				(verdict) =>
					`${verdict.pass ? 'PASS' : 'FAIL'}  ${verdict.target.padEnd(width)}  ${verdict.measured}`,
			)
			.join('\n');
	}
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
export { sleep } from '../../support/time';

/** Console output of the script itself (console.* may be captured by the soak's secret scan). */
export function out(text = ''): void {
	process.stdout.write(`${text}\n`);
}
