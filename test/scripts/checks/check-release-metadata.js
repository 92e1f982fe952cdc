#!/usr/bin/env node
// `prepublishOnly`: refuses to publish while package.json still carries the placeholder author, or
// lacks the repository that npm's provenance statement is checked against. The maintainer who
// publishes fills both in, in package.json only (README → Releasing).
'use strict';

const PLACEHOLDER = /set-before-publishing|example\.invalid/i;

/** What is missing or still a placeholder in a package.json object; empty when it can be published. */
function releaseMetadataProblems(pkg) {
	const problems = [];
	const author =
		typeof pkg.author === 'string' ? { name: pkg.author, email: pkg.author } : (pkg.author ?? {});
	if (!author.name || PLACEHOLDER.test(author.name))
		problems.push(
			`"author.name" must be the publishing person or organisation; got ${JSON.stringify(author.name ?? null)}`,
		);
	if (!author.email || PLACEHOLDER.test(author.email))
		problems.push(
			`"author.email" must be a real contact address; got ${JSON.stringify(author.email ?? null)}`,
		);
	const repositoryUrl = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	if (!repositoryUrl || PLACEHOLDER.test(repositoryUrl)) {
		problems.push(
			`"repository.url" must be the GitHub repository the release workflow runs in (npm checks provenance against it); got ${JSON.stringify(repositoryUrl ?? null)}`,
		);
	}
	return problems;
}

module.exports = { releaseMetadataProblems };

if (require.main === module) {
	const pkg = require('../../../package.json');
	const problems = releaseMetadataProblems(pkg);
	if (problems.length) {
		console.error(
			`Refusing to publish ${pkg.name}@${pkg.version}: fill in package.json first (README → Releasing).`,
		);
		console.error(problems.map((problem) => `- ${problem}`).join('\n'));
		process.exit(1);
	}
	console.log(
		`release metadata OK: ${pkg.author.name} <${pkg.author.email}>, ${pkg.repository.url ?? pkg.repository}`,
	);
}
