#!/usr/bin/env node
// What `npm publish` would ship: only dist/, index.js, README, LICENSE, package.json — and no
// runtime dependencies (n8n's verification rule), no source maps (they would name .ts files that
// are not in the tarball). Fails loudly otherwise.
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const { documentationLinks, documentationUrl, gitOrigin } = require('./documentation-url');

// npm always packs README files: README.md and its translation README.zh-CN.md.
const isAllowedPath = (path) =>
	path.startsWith('dist/') ||
	/^README(\.[\w-]+)?\.md$/.test(path) ||
	['index.js', 'LICENSE', 'package.json'].includes(path);

/**
 * Problems with a package about to be packed: `pkg` is its package.json, `files` the paths npm would
 * pack, `readText(path)` a packed file's text, `docsUrl` the page the editor's Docs links must open
 * (documentation-url.js: the repository's README once package.json names the repository).
 */
function packageProblems(pkg, files, readText, docsUrl = documentationUrl(pkg).url) {
	const problems = [];
	if (Object.keys(pkg.dependencies ?? {}).length)
		problems.push(`runtime dependencies: ${Object.keys(pkg.dependencies).join(', ')}`);
	if (JSON.stringify(pkg.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' }))
		problems.push('peerDependencies must be exactly { "n8n-workflow": "*" }');
	for (const path of files.filter((p) => !isAllowedPath(p)))
		problems.push(`unexpected file in the package: ${path}`);
	for (const path of files.filter((p) => p.endsWith('.map')))
		problems.push(
			`source map in the package (it names .ts sources that are not shipped; set "sourceMap": false): ${path}`,
		);
	for (const path of files.filter((p) => p.endsWith('.js'))) {
		if (/^\/\/# sourceMappingURL=/m.test(readText(path)))
			problems.push(`source map reference in ${path} (the map is not shipped)`);
	}
	for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials])
		if (!files.includes(entry)) problems.push(`n8n entry missing from the package: ${entry}`);
	const read = (predicate) =>
		Object.fromEntries(files.filter(predicate).map((path) => [path, readText(path)]));
	const links = documentationLinks(
		read((path) => path.endsWith('.node.json')),
		read((path) => path.endsWith('.credentials.js')),
	);
	for (const { where, url } of links.filter((link) => link.url !== docsUrl))
		problems.push(`Docs link in ${where} is ${url}, not ${docsUrl} (run npm run build)`);
	return problems;
}

module.exports = { packageProblems };

if (require.main === module) {
	const root = join(__dirname, '..', '..', '..');
	const pkg = require('../../../package.json');
	const [report] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	const files = report.files.map((file) => file.path).sort();
	const docs = documentationUrl(pkg, gitOrigin(root));
	const problems = packageProblems(
		pkg,
		files,
		(path) => readFileSync(join(root, path), 'utf8'),
		docs.url,
	);

	const top = [
		...new Set(files.map((path) => (path.includes('/') ? `${path.split('/')[0]}/` : path))),
	];
	console.log(
		`${report.name}@${report.version}: ${files.length} files, ${(report.size / 1024).toFixed(1)} KB packed; top level: ${top.join(', ')}`,
	);
	if (problems.length) {
		console.error(problems.map((p) => `- ${p}`).join('\n'));
		process.exit(1);
	}
	console.log(
		`package contents OK: dist/, index.js, READMEs, LICENSE, package.json; no runtime dependencies, no source maps; Docs links → ${docs.url} (${docs.from})`,
	);
}
