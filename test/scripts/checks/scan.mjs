#!/usr/bin/env node
// n8n's community-package scanner, run locally the way the verification service runs it: the source
// (package.json + nodes/ + credentials/) with the full rule set, and the packed tarball's compiled
// .js + package.json. The CLI only takes published names; analyzePackage takes a folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	SOURCE_FILE_PATTERNS,
	analyzePackage,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'jimeng-scan-'));
let failed = false;
try {
	const tarball = execFileSync(
		'npm',
		['pack', '--ignore-scripts', '--silent', '--pack-destination', work],
		{ cwd: repo, encoding: 'utf8' },
	)
		.trim()
		.split('\n')
		.pop();
	const unpacked = join(work, 'unpacked');
	execFileSync('mkdir', ['-p', unpacked]);
	execFileSync('tar', ['-xzf', join(work, tarball), '-C', unpacked, '--strip-components=1']);

	for (const [label, dir, patterns] of [
		['source (package.json, nodes/, credentials/)', repo, SOURCE_FILE_PATTERNS],
		[
			`packed tarball ${tarball} (compiled .js, package.json)`,
			unpacked,
			['**/*.js', 'package.json'],
		],
	]) {
		const result = await analyzePackage(dir, patterns);
		console.log(
			`${result.passed ? 'PASS' : 'FAIL'}  ${label}${result.message ? `: ${result.message}` : ''}`,
		);
		if (result.details) console.log(result.details);
		failed ||= !result.passed;
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
console.log(failed ? 'scan: errors found' : 'scan: 0 errors');
process.exit(failed ? 1 : 0);
