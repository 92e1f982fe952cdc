/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * What is published: the package check (no source maps, nothing but dist/ and the docs), the
 * prepublishOnly guard against placeholder contact data, and English-only user-facing strings in
 * the built nodes and credential (n8n's verification rule; Chinese stays in codex aliases).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

type PackageJson = Record<string, unknown> & { n8n: { nodes: string[]; credentials: string[] } };
const { packageProblems } = require('../scripts/checks/check-package.js') as {
	packageProblems(
		pkg: PackageJson,
		files: string[],
		readText: (path: string) => string,
		docsUrl?: string,
	): string[];
};
const { releaseMetadataProblems } = require('../scripts/checks/check-release-metadata.js') as {
	releaseMetadataProblems(pkg: Record<string, unknown>): string[];
};
const docs = require('../scripts/checks/documentation-url.js') as {
	repositoryWebUrl(repository: unknown): string | undefined;
	documentationUrl(pkg: Record<string, unknown>, origin?: string): { url: string; from: string };
	gitOrigin(cwd: string): string | undefined;
	documentationLinks(
		codex: Record<string, string>,
		credential: Record<string, string>,
	): Array<{ where: string; url: string }>;
};

const REPO = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as PackageJson;

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile())
		.map((entry) => relative(REPO, join(entry.parentPath, entry.name)));
}

describe('package check (test/scripts/checks/check-package.js)', () => {
	const entries = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
	const clean = ['LICENSE', 'README.md', 'README.zh-CN.md', 'index.js', 'package.json', ...entries];
	const noMapRef = () => 'module.exports = {};\n';

	it('accepts dist/, index.js, the READMEs, LICENSE and package.json', () => {
		expect(packageProblems(pkg, clean, noMapRef)).toEqual([]);
	});

	it('refuses source maps and references to them', () => {
		const mapped = `${entries[0]}.map`;
		expect(packageProblems(pkg, [...clean, mapped], noMapRef)).toEqual([
			expect.stringContaining(
				`source map in the package (it names .ts sources that are not shipped; set "sourceMap": false): ${mapped}`,
			),
		]);
		const withRef = packageProblems(pkg, clean, (path) =>
			path === entries[0] ? 'x;\n//# sourceMappingURL=JimengVideo.node.js.map' : '',
		);
		expect(withRef).toEqual([`source map reference in ${entries[0]} (the map is not shipped)`]);
	});

	it('refuses other files, runtime dependencies and a missing n8n entry', () => {
		expect(
			packageProblems(
				{ ...pkg, dependencies: { axios: '1' } },
				['src/x.ts', ...clean.slice(1)],
				noMapRef,
			),
		).toEqual(['runtime dependencies: axios', 'unexpected file in the package: src/x.ts']);
		expect(
			packageProblems(
				pkg,
				clean.filter((path) => path !== entries[0]),
				noMapRef,
			),
		).toEqual([`n8n entry missing from the package: ${entries[0]}`]);
	});

	it('the build ships no source maps (tsconfig sourceMap: false)', () => {
		const dist = filesUnder(join(REPO, 'dist'));
		expect(dist.length).toBeGreaterThan(10);
		expect(dist.filter((path) => path.endsWith('.map'))).toEqual([]);
		expect(
			dist.filter(
				(path) =>
					path.endsWith('.js') &&
					readFileSync(join(REPO, path), 'utf8').includes('sourceMappingURL'),
			),
		).toEqual([]);
	});
});

describe("the editor's Docs links (test/scripts/checks/documentation-url.js)", () => {
	const README = 'https://github.com/example-studio/n8n-nodes-jimeng-video#readme';

	it.each([
		'git+https://github.com/example-studio/n8n-nodes-jimeng-video.git',
		'https://github.com/example-studio/n8n-nodes-jimeng-video',
		'github:example-studio/n8n-nodes-jimeng-video',
		'example-studio/n8n-nodes-jimeng-video',
		'git@github.com:example-studio/n8n-nodes-jimeng-video.git',
		'ssh://git@github.com/example-studio/n8n-nodes-jimeng-video.git',
	])('open the README of the repository %s', (repository) => {
		expect(docs.documentationUrl({ ...pkg, repository: { type: 'git', url: repository } })).toEqual(
			{ url: README, from: 'package.json repository' },
		);
		expect(docs.documentationUrl(pkg, repository)).toEqual({
			url: README,
			from: 'git remote origin',
		});
	});

	it('package.json names the repository once it is filled in; without one, the homepage', () => {
		expect(
			docs.documentationUrl(
				{ ...pkg, repository: 'github:example-studio/n8n-nodes-jimeng-video' },
				'git@gitlab.com:someone/fork.git',
			).url,
		).toBe(README);
		expect(docs.documentationUrl(pkg, undefined)).toEqual({
			url: pkg.homepage,
			from: 'package.json homepage (no repository known)',
		});
	});

	it('the build wrote that page into every Docs link of dist/', () => {
		const expected = docs.documentationUrl(pkg, docs.gitOrigin(REPO)).url;
		const read = (suffix: string) =>
			Object.fromEntries(
				filesUnder(join(REPO, 'dist'))
					.filter((path) => path.endsWith(suffix))
					.map((path) => [path, readFileSync(join(REPO, path), 'utf8')]),
			);
		const links = docs.documentationLinks(read('.node.json'), read('.credentials.js'));
		// Two nodes × (primary + credential documentation) + each credential's documentationUrl.
		expect(links).toHaveLength(4 + pkg.n8n.credentials.length);
		expect(links.filter((link) => link.url !== expected)).toEqual([]);
	});

	it('the package check refuses a package whose Docs links are not the repository README', () => {
		const published = {
			...pkg,
			repository: { type: 'git', url: `git+${README.replace('#readme', '.git')}` },
		};
		const codex = `${pkg.n8n.nodes[0].replace(/\.js$/, '.json')}`;
		const files = ['package.json', ...pkg.n8n.nodes, ...pkg.n8n.credentials, codex];
		const text = (url: string) => (path: string) =>
			path === codex
				? JSON.stringify({ resources: { primaryDocumentation: [{ url }] } })
				: path.endsWith('.credentials.js')
					? `class C { constructor() { this.name = 'x'; } documentationUrl = '${url}'; }`
					: '';
		expect(packageProblems(published, files, text(README), README)).toEqual([]);
		expect(packageProblems(published, files, text(pkg.homepage as string), README)).toEqual([
			`Docs link in ${codex} primaryDocumentation is ${pkg.homepage as string}, not ${README} (run npm run build)`,
			...pkg.n8n.credentials.map(
				(credential: string) =>
					`Docs link in ${credential} documentationUrl is ${pkg.homepage as string}, not ${README} (run npm run build)`,
			),
		]);
	});
});

describe('prepublishOnly guard (test/scripts/checks/check-release-metadata.js)', () => {
	const filled = {
		...pkg,
		author: { name: 'Example Studio Ltd', email: 'maintainer@example-studio.cn' },
		repository: {
			type: 'git',
			url: 'git+https://github.com/example-studio/n8n-nodes-jimeng-video.git',
		},
	};

	it('refuses to publish the package as committed: placeholder author, no repository', () => {
		expect(pkg.author).toEqual({
			name: 'SET-BEFORE-PUBLISHING organisation',
			email: 'set-before-publishing@example.invalid',
		});
		expect(pkg).not.toHaveProperty('repository');
		expect(pkg).not.toHaveProperty('bugs');
		expect(pkg.homepage).toBe('https://www.npmjs.com/package/n8n-nodes-jimeng-video');
		expect(pkg.scripts).toMatchObject({
			prepublishOnly: 'node test/scripts/checks/check-release-metadata.js',
		});
		const problems = releaseMetadataProblems(pkg);
		expect(problems).toHaveLength(3);
		expect(problems[0]).toMatch(
			/^"author.name" must be the publishing person or organisation; got "SET-BEFORE-PUBLISHING organisation"$/,
		);
		expect(problems[1]).toMatch(
			/^"author.email" must be a real contact address; got "set-before-publishing@example.invalid"$/,
		);
		expect(problems[2]).toMatch(/^"repository.url" must be the GitHub repository .*; got null$/);
	});

	it('lets a filled-in package.json through', () => {
		expect(releaseMetadataProblems(filled)).toEqual([]);
		expect(
			releaseMetadataProblems({
				...filled,
				author: 'Example Studio <set-before-publishing@example.invalid>',
			}),
		).toHaveLength(2);
	});
});

describe('user-facing strings are English only', () => {
	const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

	it('no Chinese in the built nodes and credential (tsc removes comments), only in codex aliases', () => {
		const files = filesUnder(join(REPO, 'dist', 'nodes')).concat(
			filesUnder(join(REPO, 'dist', 'credentials')),
		);
		const offending: string[] = [];
		for (const path of files.filter((p) => p.endsWith('.js'))) {
			readFileSync(join(REPO, path), 'utf8')
				.split('\n')
				.forEach(
					(line, index) => CJK.test(line) && offending.push(`${path}:${index + 1}: ${line.trim()}`),
				);
		}
		for (const path of files.filter((p) => p.endsWith('.node.json'))) {
			const codex = JSON.parse(readFileSync(join(REPO, path), 'utf8')) as { alias?: string[] };
			const { alias, ...rest } = codex;
			if (CJK.test(JSON.stringify(rest))) offending.push(`${path}: outside "alias"`);
			expect(alias?.some((word) => CJK.test(word))).toBe(true); // search by 即梦 keeps working
		}
		expect(offending).toEqual([]);
	});

	it("package.json's description (shown by npm and n8n's installer) is English", () => {
		expect(String(pkg.description)).not.toMatch(CJK);
	});

	it('the loaded descriptions (display names, descriptions, options, notices) have no Chinese', () => {
		const { JimengVideo } = require('../../dist/nodes/JimengVideo/JimengVideo.node.js') as {
			JimengVideo: new () => { description: unknown };
		};
		const { JimengVideoTrigger } =
			require('../../dist/nodes/JimengVideoTrigger/JimengVideoTrigger.node.js') as {
				JimengVideoTrigger: new () => { description: unknown };
			};
		const { VolcengineApi } = require('../../dist/credentials/VolcengineApi.credentials.js') as {
			VolcengineApi: new () => unknown;
		};
		for (const described of [
			new JimengVideo().description,
			new JimengVideoTrigger().description,
			new VolcengineApi(),
		]) {
			const text = JSON.stringify(described);
			expect(text.match(new RegExp(CJK.source, 'gu')) ?? []).toEqual([]);
		}
	});
});

describe('GitHub Actions workflows', () => {
	const read = (name: string) => readFileSync(join(REPO, '.github', 'workflows', name), 'utf8');

	it('CI runs .ci/run with npm 11, caches the n8n host and keeps e2e-artifacts/', () => {
		const ci = read('ci.yml');
		expect(ci).toMatch(/^\s+run: \.ci\/run$/m);
		expect(ci).toContain('npm install -g npm@11');
		expect(ci).toMatch(/JIMENG_N8N_HOST_CACHE: (\S+)\/n8n-host/);
		// Both hosts (2.41.1 and the compatibility run's 1.123.81) are keyed on their spec files.
		const key = /key: n8n-host-.*hashFiles\(([^)]*)\)/.exec(ci)?.[1] ?? '';
		for (const dir of ['test/tooling/n8n-host', 'test/tooling/n8n-host/n8n-1.123']) {
			for (const file of ['package.json', 'package-lock.json'])
				expect(key).toContain(`'${dir}/${file}'`);
		}
		expect(ci).toMatch(
			/if: always\(\)\n\s+uses: actions\/upload-artifact@v4\n\s+with:\n\s+name: e2e-artifacts\n\s+path: e2e-artifacts\//,
		);
		expect(readFileSync(join(REPO, '.gitignore'), 'utf8').split('\n')).toContain('e2e-artifacts/');
	});

	it('release publishes with provenance (id-token: write) after the checks', () => {
		const release = read('release.yml');
		expect(release).toMatch(/^\s+id-token: write/m);
		const steps = [
			'npm ci',
			'npm run build',
			'npm run lint',
			'npm run scan',
			'npm test',
			'node test/scripts/checks/check-package.js',
			'npm publish --provenance --access public',
		];
		const positions = steps.map((step) => release.indexOf(`run: ${step}`));
		expect(positions.every((position) => position > 0)).toBe(true);
		expect([...positions].sort((a, b) => a - b)).toEqual(positions);
	});
});
