// Copies node and credential icons next to the compiled classes: n8n resolves `file:` icons
// relative to the .js file it loads from dist/. Points the editor's Docs links at the README of the
// repository the package is built from (test/scripts/checks/documentation-url.js).
const { readFileSync, readdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { src, dest, task, parallel } = require('gulp');

const {
	documentationUrl,
	gitOrigin,
	withDocumentationUrl,
} = require('./test/scripts/checks/documentation-url');

task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	),
);

task('build:docs', async () => {
	const { url, from } = documentationUrl(require('./package.json'), gitOrigin(__dirname));
	const files = readdirSync('dist', { recursive: true })
		.map(String)
		.filter((path) => path.endsWith('.node.json') || path.endsWith('.credentials.js'));
	for (const path of files) {
		const file = join('dist', path);
		const kind = path.endsWith('.node.json') ? 'codex' : 'credential';
		writeFileSync(file, withDocumentationUrl(readFileSync(file, 'utf8'), url, kind));
	}
	console.log(`Docs links → ${url} (${from}) in ${files.length} files`);
});

task('build:icons-and-docs', parallel('build:icons', 'build:docs'));
