/* eslint-disable @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
/** The error `run` throws, which must be a `type`: any other outcome fails the test. */
export function thrownBy<E extends Error>(
	run: () => unknown,
	type: abstract new (...args: never[]) => E,
): E {
	try {
		run();
	} catch (error) {
		if (error instanceof type) return error;
		throw error;
	}
	throw new Error(`expected a ${type.name}, but nothing was thrown`);
}
