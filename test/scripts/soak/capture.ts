/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- test tooling, not shipped */
/**
 * Everything the soak produces, kept as text for the secret scan: n8n's log lines (the Logger that
 * node contexts get from the DI container), console output, output items, errors.
 */
import { dirname } from 'node:path';

import { Container } from '@n8n/di';

// n8n-core resolves its own copy of @n8n/backend-common: its Logger class is the DI token node
// contexts ask for (`this.logger`), so that copy is the one to replace.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Logger } = require(
	require.resolve('@n8n/backend-common', { paths: [dirname(require.resolve('n8n-core'))] }),
) as {
	Logger: abstract new (...args: never[]) => unknown;
};

export interface CapturedLine {
	level: string;
	text: string;
}

export class Capture {
	readonly logLines: CapturedLine[] = [];
	readonly consoleLines: CapturedLine[] = [];
	/** Other text the run produced: output items, error messages and descriptions, simulator log. */
	readonly texts: Array<{ source: string; text: string }> = [];

	/** Replaces n8n's Logger in the container with one that records every line and its metadata. */
	installLogger(): void {
		const record = (level: string) => (message: string, metadata?: unknown) => {
			this.logLines.push({
				level,
				text: metadata === undefined ? String(message) : `${String(message)} ${textOf(metadata)}`,
			});
		};
		const logger = {
			error: record('error'),
			warn: record('warn'),
			info: record('info'),
			debug: record('debug'),
			scoped: () => logger,
			getInternalLogger: () => logger,
		};
		Container.set(Logger as never, logger);
	}

	/** console.* calls are recorded instead of printed (the scripts print with process.stdout). */
	installConsole(): void {
		for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
			console[level] = (...args: unknown[]) => {
				this.consoleLines.push({
					level,
					text: args.map((arg) => (typeof arg === 'string' ? arg : textOf(arg))).join(' '),
				});
			};
		}
	}

	add(source: string, value: unknown): void {
		this.texts.push({ source, text: typeof value === 'string' ? value : textOf(value) });
	}

	/** Where each secret occurs: [source, excerpt]. */
	scan(secrets: string[]): Array<{ secret: string; source: string; excerpt: string }> {
		const hits: Array<{ secret: string; source: string; excerpt: string }> = [];
		const all = [
			...this.logLines.map((line) => ({ source: `log:${line.level}`, text: line.text })),
			...this.consoleLines.map((line) => ({ source: `console:${line.level}`, text: line.text })),
			...this.texts,
		];
		for (const { source, text } of all) {
			for (const secret of secrets) {
				const at = text.indexOf(secret);
				// Masked here too: the report must not print the secret it found.
				if (at >= 0)
					hits.push({
						secret: `${secret.slice(0, 4)}…`,
						source,
						excerpt: text.slice(Math.max(0, at - 60), at).concat('<SECRET>'),
					});
			}
		}
		return hits;
	}

	get lineCount(): number {
		return this.logLines.length + this.consoleLines.length;
	}
}

/**
 * Every string reachable from a value, own non-enumerable properties included (an Error's message,
 * stack, description, cause, context): what n8n could persist or show. Cycles and depth are bounded.
 */
export function textOf(value: unknown, maxDepth = 10): string {
	const parts: string[] = [];
	const seen = new WeakSet<object>();
	const walk = (current: unknown, depth: number) => {
		if (current === null || current === undefined) return;
		if (typeof current === 'string') {
			parts.push(current);
			return;
		}
		if (
			typeof current === 'number' ||
			typeof current === 'boolean' ||
			typeof current === 'bigint'
		) {
			parts.push(String(current));
			return;
		}
		if (typeof current !== 'object' || depth > maxDepth) return;
		if (seen.has(current)) return;
		seen.add(current);
		// Video bytes: no text in them worth scanning, and huge.
		if (Buffer.isBuffer(current) || ArrayBuffer.isView(current)) return;
		for (const key of Object.getOwnPropertyNames(current)) {
			let child: unknown;
			try {
				child = (current as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			if (typeof child === 'function') continue;
			parts.push(key);
			walk(child, depth + 1);
		}
	};
	walk(value, 0);
	return parts.join(' ');
}
