/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
/**
 * Debian's chromium for the editor check: installed with apt-get when missing (root only), launched
 * headless through puppeteer-core (which never downloads a browser) with a throw-away profile.
 */
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import puppeteer, { type Browser } from 'puppeteer-core';

import { formatMs, runProcess } from '../../../tooling/n8n-host/proc';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Another Chromium/Chrome binary to use instead (e.g. a CI image's google-chrome); never installed. */
const CHROMIUM_ENV = 'E2E_CHROMIUM';
export const WINDOW = { width: 1440, height: 900 };

/** Without the background-networking flags chromium keeps calling Google services the closed network cannot reach. */
const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage',
	`--window-size=${WINDOW.width},${WINDOW.height}`,
];

/** $E2E_CHROMIUM, else /usr/bin/chromium, installed with `apt-get update && apt-get install -y chromium` when missing. */
export async function ensureChromium(log: (line: string) => void): Promise<string> {
	const chosen = process.env[CHROMIUM_ENV];
	if (chosen) {
		if (!existsSync(chosen)) throw new Error(`${CHROMIUM_ENV}=${chosen}: no such file`);
		return chosen;
	}
	if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
	if (process.getuid?.() !== 0)
		throw new Error(
			`${CHROMIUM_PATH} missing: install it (sudo apt-get install -y chromium) or run as root`,
		);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const started = Date.now();
	log(`${CHROMIUM_PATH} not found: apt-get update && apt-get install -y chromium`);
	const update = await runProcess('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 });
	if (update.exitCode !== 0)
		throw new Error(`apt-get update failed:\n${(update.stdout + update.stderr).slice(-2000)}`);
	log(`apt-get update: ${formatMs(update.durationMs)}`);
	const install = await runProcess('apt-get', ['install', '-y', 'chromium'], {
		env,
		timeoutMs: 15 * 60_000,
	});
	if (install.exitCode !== 0)
		throw new Error(
			`apt-get install -y chromium failed:\n${(install.stdout + install.stderr).slice(-3000)}`,
		);
	const summary = install.stdout.split('\n').find((line) => /newly installed/.test(line));
	log(
		`apt-get install -y chromium: ${formatMs(install.durationMs)}${summary ? ` (${summary.trim()})` : ''}`,
	);
	if (!existsSync(CHROMIUM_PATH))
		throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing`);
	log(`chromium ready in ${formatMs(Date.now() - started)}`);
	return CHROMIUM_PATH;
}

export interface LaunchedBrowser {
	browser: Browser;
	version: string;
	/** Closes the browser and removes its profile folder. */
	close: () => Promise<void>;
}

export async function launchChromium(executablePath: string): Promise<LaunchedBrowser> {
	const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'jimeng-chromium-'));
	let browser: Browser;
	try {
		browser = await puppeteer.launch({
			executablePath,
			headless: true,
			args: [...FLAGS, `--user-data-dir=${profile}`],
			defaultViewport: WINDOW,
			timeout: 60_000,
		});
	} catch (error) {
		await fs.rm(profile, { recursive: true, force: true });
		throw error;
	}
	const version = await browser.version();
	return {
		browser,
		version,
		close: async () => {
			try {
				// A hung browser may never answer close(): kill it after 10 s.
				let timer: NodeJS.Timeout | undefined;
				const killed = new Promise<void>((resolve) => {
					timer = setTimeout(() => {
						browser.process()?.kill('SIGKILL');
						resolve();
					}, 10_000);
				});
				await Promise.race([browser.close().catch(() => undefined), killed]);
				clearTimeout(timer);
			} finally {
				await fs.rm(profile, { recursive: true, force: true });
			}
		},
	};
}
