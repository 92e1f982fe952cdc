/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
/**
 * n8n's editor driven as a user would, through puppeteer-core. Selectors are n8n's own
 * `data-test-id` hooks (the ones n8n's Playwright suite uses); visible names are read from the page.
 * Every failure carries a screenshot and the page's visible text.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

import type { Browser, ElementHandle, Page } from 'puppeteer-core';

/** The few DOM members read inside page callbacks (the test tsconfig has no DOM lib). */
export interface DomEl {
	innerText: string;
	offsetParent: unknown;
	getAttribute(name: string): string | null;
	querySelector(selector: string): DomEl | null;
}

export const tid = (id: string): string => `[data-test-id="${id}"]`;

const CREATOR = tid('node-creator');
const CREATOR_ITEM = `${CREATOR} ${tid('item-iterator-item')}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class EditorError extends Error {
	constructor(
		message: string,
		readonly screenshot: string | undefined,
		readonly visibleText: string,
	) {
		super(`${message}\n  screenshot: ${screenshot ?? 'none'}\n  visible text: ${visibleText}`);
		this.name = 'EditorError';
	}
}

export class Editor {
	private shots = 0;
	readonly screenshots: string[] = [];
	/** Browser dialogs seen (and accepted). */
	readonly dialogs: string[] = [];

	private constructor(
		readonly page: Page,
		readonly baseUrl: string,
		readonly shotsDir: string,
	) {}

	static async open(browser: Browser, baseUrl: string, shotsDir: string): Promise<Editor> {
		await fs.mkdir(shotsDir, { recursive: true });
		const page = await browser.newPage();
		page.setDefaultTimeout(20_000);
		page.setDefaultNavigationTimeout(30_000);
		const editor = new Editor(page, baseUrl.replace(/\/+$/, ''), shotsDir);
		// "Leave site?" (beforeunload) when moving on from an unsaved workflow: a dialog left open blocks every later call.
		page.on('dialog', (dialog) => {
			editor.dialogs.push(
				dialog.message() ? `${dialog.type()} "${dialog.message()}"` : dialog.type(),
			);
			void dialog.accept().catch(() => undefined);
		});
		return editor;
	}

	/** `NN-name.png` in the run's browser folder. */
	async screenshot(name: string): Promise<string> {
		this.shots++;
		const file = path.join(this.shotsDir, `${String(this.shots).padStart(2, '0')}-${name}.png`);
		await this.page.screenshot({ path: file as `${string}.png` });
		this.screenshots.push(file);
		return file;
	}

	/** The page's visible text, whitespace collapsed, cut to `max` characters. */
	async visibleText(max = 1200): Promise<string> {
		try {
			const text = await this.page.evaluate(
				() =>
					(globalThis as unknown as { document: { body: DomEl | null } }).document.body
						?.innerText ?? '',
			);
			const flat = text.replace(/\s+/g, ' ').trim();
			return flat.length > max ? `${flat.slice(0, max)}…` : flat;
		} catch (error) {
			return `(could not read the page: ${error instanceof Error ? error.message : String(error)})`;
		}
	}

	/** Wraps a failed step: screenshot `fail-<step>` + visible text in the error. */
	async fail(step: string, error: unknown): Promise<EditorError> {
		if (error instanceof EditorError) return error;
		const slug = step
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '');
		const shot = await this.screenshot(`fail-${slug}`).catch(() => undefined);
		const message = error instanceof Error ? error.message : String(error);
		return new EditorError(`${step}: ${message}`, shot, await this.visibleText());
	}

	async goto(urlPath: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}${urlPath}`, { waitUntil: 'domcontentloaded' });
	}

	async waitVisible(selector: string, timeoutMs = 20_000): Promise<ElementHandle> {
		const handle = await this.page.waitForSelector(selector, { visible: true, timeout: timeoutMs });
		if (!handle) throw new Error(`${selector} did not appear`);
		return handle;
	}

	/** Clicks `selector` once it is visible, retrying while the canvas re-renders or animates under it. */
	async click(selector: string, timeoutMs = 20_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const handle = await this.waitVisible(selector, Math.max(1_000, deadline - Date.now()));
			try {
				await handle.click();
				return;
			} catch (error) {
				if (Date.now() > deadline) throw error;
				await sleep(300);
			}
		}
	}

	async creatorOpen(): Promise<boolean> {
		const bar = await this.page.$(`${CREATOR} ${tid('node-creator-search-bar')}`);
		return bar ? await bar.isVisible() : false;
	}

	/** Waits until `probe` (run in the page) returns a truthy value; returns it. */
	async until<T>(
		what: string,
		timeoutMs: number,
		probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
		everyMs = 200,
	): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await probe();
			if (value) return value;
			if (Date.now() > deadline)
				throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
			await sleep(everyMs);
		}
	}

	/** The sign-in form at /signin, then the app's home. */
	async signIn(email: string, password: string): Promise<string> {
		await this.goto('/signin');
		const emailInput = await this.waitVisible(`${tid('emailOrLdapLoginId')} input`);
		await emailInput.type(email);
		const passwordInput = await this.waitVisible(`${tid('password')} input`);
		await passwordInput.type(password);
		await this.click(tid('form-submit-button'));
		await this.until(
			'leaving /signin',
			20_000,
			() => !new URL(this.page.url()).pathname.startsWith('/signin'),
		);
		return new URL(this.page.url()).pathname;
	}

	async newWorkflow(): Promise<void> {
		await this.goto('/workflow/new');
		await this.waitVisible(tid('canvas-plus-button'), 30_000);
	}

	/** "Add first step" on an empty canvas: the trigger panel of the node creator. */
	async openFirstStepPanel(): Promise<void> {
		await this.click(tid('canvas-plus-button'));
		await this.waitVisible(`${CREATOR} ${tid('node-creator-search-bar')}`);
	}

	/** The + on a node's output: the next-step panel. */
	async openNextStepPanel(nodeName: string): Promise<void> {
		// n8n sometimes opens "What happens next?" by itself right after a trigger is added.
		if (await this.creatorOpen()) await this.closeCreator();
		await this.click(
			`${tid('canvas-node-output-handle')}[data-node-name="${nodeName}"] ${tid('canvas-handle-plus')}`,
		);
		await this.waitVisible(`${CREATOR} ${tid('node-creator-search-bar')}`);
	}

	async closeCreator(): Promise<void> {
		const closed = (timeout: number) =>
			this.page.waitForSelector(CREATOR, { hidden: true, timeout }).then(
				() => true,
				() => false,
			);
		await this.page.keyboard.press('Escape');
		if (await closed(2_000)) return;
		// With "No results" showing, Escape does not close the panel: click the empty canvas beside it.
		await this.page.mouse.click(120, 200);
		if (await closed(2_000)) return;
		await this.page.keyboard.press('Escape');
		await closed(5_000);
	}

	/** Names of the items the node creator lists now (each item's title line). */
	async creatorItems(): Promise<string[]> {
		return await this.page.$$eval(CREATOR_ITEM, (items) =>
			items
				.filter((item) => (item as unknown as DomEl).offsetParent !== null)
				.map((item) => {
					const name = item.querySelector('[data-test-id="node-creator-item-name"]') ?? item;
					return ((name as unknown as DomEl).innerText ?? '').split('\n')[0]!.trim();
				})
				.filter(Boolean),
		);
	}

	async creatorNoResults(): Promise<boolean> {
		return await this.page.$$eval(`${CREATOR} ${tid('node-creator-no-results')}`, (els) =>
			els.some((e) => (e as unknown as DomEl).offsetParent !== null),
		);
	}

	/**
	 * Types `term` into the open node creator's search box (replacing what was there) and returns what
	 * it lists once the list has changed and then stayed the same for 0.6 s (or "No results" shows).
	 */
	async search(term: string): Promise<{ names: string[]; noResults: boolean }> {
		// The panel may still be sliding in: click with retries, then type into the same box.
		await this.click(`${CREATOR} ${tid('node-creator-search-bar')}`);
		const box = await this.waitVisible(`${CREATOR} ${tid('node-creator-search-bar')}`);
		await this.page.keyboard.down('Control');
		await this.page.keyboard.press('KeyA');
		await this.page.keyboard.up('Control');
		await this.page.keyboard.press('Backspace');
		const before = (await this.creatorItems()).join('|');
		await box.type(term, { delay: 20 });
		const typedAt = Date.now();
		let last: string | undefined;
		let stableSince = Date.now();
		for (;;) {
			await sleep(150);
			const names = await this.creatorItems();
			const noResults = await this.creatorNoResults();
			const key = `${names.join('|')}#${noResults}`;
			if (key !== last) {
				last = key;
				stableSince = Date.now();
				continue;
			}
			const stableMs = Date.now() - stableSince;
			const changed = noResults || names.join('|') !== before;
			// An unchanged list is accepted only after a while: the same term may give the same list.
			if ((changed && stableMs >= 600) || (Date.now() - typedAt > 3_000 && stableMs >= 1_000))
				return { names, noResults };
			if (Date.now() - typedAt > 15_000) return { names, noResults };
		}
	}

	/** Clicks the listed item whose name is exactly `name`. */
	async pickItem(name: string, timeoutMs = 10_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const handles = await this.page.$$(CREATOR_ITEM);
			let found = false;
			for (const handle of handles) {
				const itemName = await handle.evaluate((item) => {
					const el = item.querySelector('[data-test-id="node-creator-item-name"]') ?? item;
					return ((el as unknown as DomEl).innerText ?? '').split('\n')[0]!.trim();
				});
				if (itemName !== name) continue;
				found = true;
				try {
					await handle.click();
					return;
				} catch (error) {
					// Still animating or re-rendered under the pointer: look it up again.
					if (Date.now() > deadline) throw error;
				}
			}
			if (!found || Date.now() > deadline) break;
			await sleep(300);
		}
		throw new Error(
			`no item named "${name}" in the node creator (listed: ${(await this.creatorItems()).join(', ') || 'none'})`,
		);
	}

	/** Names of the nodes on the canvas (their `data-node-name`). */
	async canvasNodes(): Promise<string[]> {
		return await this.page.$$eval(tid('canvas-node'), (nodes) =>
			nodes.map((n) => n.getAttribute('data-node-name') ?? '').filter(Boolean),
		);
	}

	async waitForCanvasNode(name: string, timeoutMs = 15_000): Promise<void> {
		await this.until(`node "${name}" on the canvas`, timeoutMs, async () =>
			(await this.canvasNodes()).includes(name),
		);
	}

	/** True when the node details view is open. */
	async ndvOpen(): Promise<boolean> {
		return await this.page.$$eval(tid('ndv'), (els) =>
			els.some((e) => (e as unknown as DomEl).offsetParent !== null),
		);
	}

	async closeNdv(): Promise<void> {
		const back = await this.page.$(tid('back-to-canvas'));
		if (back && (await back.isVisible())) await back.click();
		else await this.page.keyboard.press('Escape');
		await this.until('the node details view to close', 10_000, async () => !(await this.ndvOpen()));
	}

	async openNode(name: string): Promise<void> {
		const node = await this.waitVisible(`${tid('canvas-node')}[data-node-name="${name}"]`);
		await node.click({ count: 2 });
		await this.until(`the node details view of "${name}"`, 10_000, () => this.ndvOpen());
	}

	// ---- the node details view's parameters ----------------------------------------------------

	/** The parameter `name` of the open node (by its path: a Poll Times "Mode" is not the node's `mode`). */
	static param(name: string): string {
		return `[data-parameter-path="parameters.${name}"]`;
	}

	/** Names of the node's top-level parameters the panel shows now, in the order shown. */
	async visibleParameters(): Promise<string[]> {
		return await this.page.$$eval('[data-parameter-path^="parameters."]', (els) =>
			els
				.filter((el) => (el as unknown as DomEl).offsetParent !== null)
				.map((el) => (el.getAttribute('data-parameter-path') ?? '').slice('parameters.'.length))
				.filter((name) => name !== '' && !name.includes('.')),
		);
	}

	/** Waits until `probe` of the visible parameters holds (the panel re-renders after a change). */
	async untilParameters(
		what: string,
		holds: (names: string[]) => boolean,
		timeoutMs = 4_000,
	): Promise<{ names: string[]; held: boolean }> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const names = await this.visibleParameters();
			if (holds(names)) return { names, held: true };
			if (Date.now() > deadline) return { names, held: false };
			await sleep(150);
		}
	}

	/** Picks `option` (its label) in the options parameter `name`, as a user does: open, click. */
	async selectOption(name: string, option: string): Promise<void> {
		const input = `${Editor.param(name)} input`;
		const deadline = Date.now() + 10_000;
		for (;;) {
			if ((await this.parameterValue(name)) === option) return;
			await this.click(input);
			await sleep(250);
			const items = await this.page.$$('.el-select-dropdown__item');
			for (const item of items) {
				if (!(await item.isVisible())) continue;
				const label = await item.evaluate((el) =>
					((el as unknown as DomEl).innerText ?? '').split('\n')[0]!.trim(),
				);
				if (label !== option) continue;
				await item.click().catch(() => undefined);
				break;
			}
			await sleep(250);
			if ((await this.parameterValue(name)) === option) return;
			if (Date.now() > deadline)
				throw new Error(
					`could not choose "${option}" in ${name} (it shows "${await this.parameterValue(name)}")`,
				);
			await this.page.keyboard.press('Escape');
		}
	}

	/** What the input of parameter `name` shows (an options field: the chosen label). */
	async parameterValue(name: string): Promise<string | undefined> {
		return await this.page
			.$eval(
				`${Editor.param(name)} input, ${Editor.param(name)} textarea`,
				(el) => (el as unknown as { value: string }).value,
			)
			.catch(() => undefined);
	}

	/** Replaces the text of parameter `name` by typing, as a user does. */
	async typeInto(name: string, text: string): Promise<void> {
		const field = `${Editor.param(name)} input, ${Editor.param(name)} textarea`;
		await this.click(field);
		await this.page.keyboard.down('Control');
		await this.page.keyboard.press('KeyA');
		await this.page.keyboard.up('Control');
		await this.page.keyboard.press('Backspace');
		if (text) await this.page.keyboard.sendCharacter(text);
		await this.page.keyboard.press('Tab');
	}

	/** Whether n8n marks parameter `name` with an issue (the warning triangle beside it). */
	async hasIssue(name: string): Promise<boolean> {
		return await this.page
			.$$eval(`[data-test-id="parameter-input-${name}"] [data-test-id="parameter-issues"]`, (els) =>
				els.some((el) => (el as unknown as DomEl).offsetParent !== null),
			)
			.catch(() => false);
	}

	/** The texts of the notices the open panel shows. */
	async notices(): Promise<string[]> {
		return await this.page.$$eval(`${tid('ndv')} .notice`, (els) =>
			els
				.filter((el) => (el as unknown as DomEl).offsetParent !== null)
				.map((el) => (el as unknown as DomEl).innerText.replace(/\s+/g, ' ').trim()),
		);
	}

	/** Scrolls the panel to the notice that contains `text` (for a screenshot that shows it). */
	async scrollToNotice(text: string): Promise<void> {
		await this.page.$$eval(
			`${tid('ndv')} .notice`,
			(els, wanted) => {
				const el = els.find((e) => (e as unknown as DomEl).innerText.includes(wanted));
				(el as unknown as { scrollIntoView(o: object): void } | undefined)?.scrollIntoView({
					block: 'center',
				});
			},
			text,
		);
		await sleep(300);
	}

	/** Labels in the open node's "Add Option" list, opened as a user opens it (then closed again). */
	async optionChoices(): Promise<string[]> {
		await this.click(`${tid('collection-parameter-add')} input`);
		await sleep(400);
		const labels = await this.page.$$eval(tid('collection-parameter-option'), (els) =>
			els
				.filter((el) => (el as unknown as DomEl).offsetParent !== null)
				.map((el) => (el as unknown as DomEl).innerText.trim()),
		);
		await this.page.keyboard.press('Escape');
		return labels;
	}
}
