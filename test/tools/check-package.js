#!/usr/bin/env node
// What `npm publish` would ship: only dist/, index.js, README, LICENSE, package.json — and no
// runtime dependencies (n8n's verification rule). Fails loudly otherwise.
'use strict';
const { execFileSync } = require('node:child_process');
const pkg = require('../../package.json');

const problems = [];
if (Object.keys(pkg.dependencies ?? {}).length) problems.push(`runtime dependencies: ${Object.keys(pkg.dependencies).join(', ')}`);
if (JSON.stringify(pkg.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' })) problems.push('peerDependencies must be exactly { "n8n-workflow": "*" }');

const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const files = report.files.map((file) => file.path).sort();
// npm always packs README files: README.md and its translation README.zh-CN.md.
const allowed = (path) => path.startsWith('dist/') || /^README(\.[\w-]+)?\.md$/.test(path) || ['index.js', 'LICENSE', 'package.json'].includes(path);
for (const path of files.filter((p) => !allowed(p))) problems.push(`unexpected file in the package: ${path}`);
for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) if (!files.includes(entry)) problems.push(`n8n entry missing from the package: ${entry}`);

const top = [...new Set(files.map((path) => (path.includes('/') ? `${path.split('/')[0]}/` : path)))];
console.log(`${report.name}@${report.version}: ${files.length} files, ${(report.size / 1024).toFixed(1)} KB packed; top level: ${top.join(', ')}`);
if (problems.length) {
	console.error(problems.map((p) => `- ${p}`).join('\n'));
	process.exit(1);
}
console.log('package contents OK: dist/, index.js, READMEs, LICENSE, package.json; no runtime dependencies');
