/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- test tooling, not shipped */
/**
 * How the end-to-end and bench scripts end: an error anywhere fails the run with its stack, and
 * `process.exit` lets test/tooling/n8n-host/proc.ts's exit handler kill every child process group still alive.
 */
const describe = (error: unknown): unknown =>
	error instanceof Error ? (error.stack ?? error.message) : error;

export function runScript(main: () => Promise<void>): void {
	process.on('uncaughtException', (error: unknown) => {
		console.error(describe(error));
		process.exit(1);
	});
	main().catch((error: unknown) => {
		console.error(describe(error));
		process.exitCode = 1;
	});
}
