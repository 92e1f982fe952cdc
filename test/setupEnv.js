// Tests run n8n-core in-process: keep its logger to warnings (info lines such as "Jimeng task
// accepted: …" would flood the output). A test that reads log lines installs its own logger.
process.env.N8N_LOG_LEVEL ??= 'warn';

// n8n-workflow runs every regular expression of a display condition in a vm with a 250 ms wall-clock
// guard (safe-regex.js), each time a Workflow is built. On this test machine's shared, loaded cores a
// garbage-collection pause can outlast it, and thousands of workflows are built by the property
// tests: the same patterns run here without the clock (their results are the same; n8n's guard is
// against catastrophic patterns, and ours are linear).
const { setSafeRegexEngine } = require('n8n-workflow');
const globalFlag = (flags) => (flags?.includes('g') ? flags : `${flags ?? ''}g`);
setSafeRegexEngine({
	exec: (pattern, input, flags) => new RegExp(pattern, flags).exec(input),
	test: (pattern, input, flags) => new RegExp(pattern, flags).test(input),
	replace: (pattern, input, flags, replacement) =>
		input.replace(new RegExp(pattern, flags), replacement),
	matchAll: (pattern, input, flags) =>
		Array.from(input.matchAll(new RegExp(pattern, globalFlag(flags)))),
	split: (pattern, input, flags) => input.split(new RegExp(pattern, flags)),
});
