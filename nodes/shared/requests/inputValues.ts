/** A bad parameter value, and how values are shown in messages and read leniently. Pure. */

/**
 * A bad parameter value: which parameter, which rule, which value. The message says it in that
 * order unless `message` says it better (an image is described by what it is, then the rule).
 */
export class InputValidationError extends Error {
	constructor(
		readonly parameter: string,
		readonly rule: string,
		readonly value: string,
		message?: string,
	) {
		super(message ?? `"${parameter}" ${rule}${value ? `; got ${value}` : ''}`);
		this.name = 'InputValidationError';
	}
}

/** Shows a value in an error without flooding it (a 10 KB string, a whole image). */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (typeof value === 'string') {
		if (value === '') return 'an empty string';
		if (value.trim() === '') return `only whitespace (${value.length} characters)`;
		const chars = [...value].length;
		return chars > 60
			? `"${[...value].slice(0, 40).join('')}…" (${chars} characters)`
			: JSON.stringify(value);
	}
	if (typeof value === 'number' || typeof value === 'boolean')
		return `${typeof value} ${String(value)}`;
	if (Array.isArray(value)) return `an array of ${value.length}`;
	return `an object (${typeof value})`;
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`;
}

/** Integers given as numbers or as decimal strings (a sheet or an expression often gives "121"). */
export function parseInteger(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
	if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) {
		const parsed = Number(value);
		return Number.isSafeInteger(parsed) ? parsed : undefined;
	}
	return undefined;
}
