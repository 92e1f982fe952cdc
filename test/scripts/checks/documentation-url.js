#!/usr/bin/env node
// Where the editor's "Docs" links go (the node panels, the credential dialog): the README of the
// repository the package is built from — package.json's `repository` (required to publish, see
// check-release-metadata.js), else the clone's `origin` remote — and only without either the
// `homepage`. `npm run build` (gulpfile.js) writes it into dist/; check-package.js refuses a package
// whose links differ from it.
'use strict';
const { execFileSync } = require('node:child_process');

/** A git remote or package.json `repository` as the repository's web page, or undefined. */
function repositoryWebUrl(repository) {
	const raw = (typeof repository === 'string' ? repository : repository?.url)?.trim();
	if (!raw) return undefined;
	const shorthand = /^(github|gitlab|bitbucket):([\w.-]+\/[\w.-]+)$/.exec(raw);
	if (shorthand)
		return `https://${shorthand[1]}.${shorthand[1] === 'bitbucket' ? 'org' : 'com'}/${shorthand[2].replace(/\.git$/, '')}`;
	if (/^[\w.-]+\/[\w.-]+$/.test(raw)) return `https://github.com/${raw.replace(/\.git$/, '')}`;
	const scp = /^[\w.-]+@([\w.-]+):(.+?)(\.git)?\/?$/.exec(raw);
	if (scp) return `https://${scp[1]}/${scp[2]}`;
	try {
		const url = new URL(raw.replace(/^git\+/, ''));
		if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol)) return undefined;
		const path = url.pathname.replace(/\.git$/, '').replace(/\/+$/, '');
		if (!path || path === '') return undefined;
		return `https://${url.hostname}${path}`;
	} catch {
		return undefined;
	}
}

/** The clone's `origin` remote, when there is one. */
function gitOrigin(cwd) {
	try {
		return execFileSync('git', ['remote', 'get-url', 'origin'], {
			cwd,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}).trim();
	} catch {
		return undefined;
	}
}

/** The page the Docs links open, and where it was taken from. */
function documentationUrl(pkg, origin) {
	const fromPackage = repositoryWebUrl(pkg.repository);
	if (fromPackage) return { url: `${fromPackage}#readme`, from: 'package.json repository' };
	const fromGit = repositoryWebUrl(origin);
	if (fromGit) return { url: `${fromGit}#readme`, from: 'git remote origin' };
	return { url: pkg.homepage, from: 'package.json homepage (no repository known)' };
}

/** The Docs links in built files: codex resources and the credential's documentationUrl. */
function documentationLinks(codexJson, credentialJs) {
	const links = [];
	for (const [name, text] of Object.entries(codexJson)) {
		const resources = JSON.parse(text).resources ?? {};
		for (const [kind, list] of Object.entries(resources))
			for (const { url } of list) links.push({ where: `${name} ${kind}`, url });
	}
	for (const [name, text] of Object.entries(credentialJs))
		for (const match of text.matchAll(/\bdocumentationUrl = '([^']*)'/g))
			links.push({ where: `${name} documentationUrl`, url: match[1] });
	return links;
}

/** `text` with every Docs link set to `url` (codex JSON or the compiled credential). */
function withDocumentationUrl(text, url, kind) {
	if (kind === 'codex') {
		const codex = JSON.parse(text);
		for (const list of Object.values(codex.resources ?? {}))
			for (const entry of list) entry.url = url;
		return `${JSON.stringify(codex, null, '\t')}\n`;
	}
	return text.replace(/\bdocumentationUrl = '[^']*'/g, `documentationUrl = '${url}'`);
}

module.exports = {
	documentationLinks,
	documentationUrl,
	gitOrigin,
	repositoryWebUrl,
	withDocumentationUrl,
};

if (require.main === module) {
	const pkg = require('../../../package.json');
	const { url, from } = documentationUrl(pkg, gitOrigin(__dirname));
	console.log(`${url} (${from})`);
}
