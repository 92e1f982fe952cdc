/**
 * The editor check (issue 12, point 1): in a real n8n editor, signed in through the form, the node
 * creator's search finds Jimeng Video in the first-step and next-step panels; the node goes onto the
 * canvas from the search result; the text-to-video example runs from the "Execute workflow" button
 * and its output shows the video binary. One line per step; screenshots in e2e-artifacts/.
 */
import assert from 'node:assert/strict';
import path from 'node:path';

import { REPO_DIR } from '../../n8n-host/host';
import { workflowUrl } from '../../n8n-host/examples';
import { formatMs } from '../../n8n-host/proc';
import type { N8nServer } from '../../n8n-host/server';
import { SUBMIT_ACTION, type JimengSimulator } from '../../simulator';
import type { Report } from '../report';
import type { Workflow } from '../workflows';
import { ensureChromium, launchChromium, WINDOW } from './chromium';
import { Editor, tid, type DomEl } from './editor';

export const BROWSER_CHECK = 'Editor (chromium): search finds Jimeng Video; example runs';

const NODE = 'Jimeng Video';
const TRIGGER = 'Jimeng Video Trigger';
const MANUAL_TRIGGER = 'Trigger manually';
const ACTION = 'Generate a video and wait for it';

/** e2e-artifacts/<run id>/browser; the run id is the start time (UTC), or E2E_RUN_ID. */
export function artifactsDir(runId = process.env['E2E_RUN_ID'] ?? new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z')): string {
	return path.join(REPO_DIR, 'e2e-artifacts', runId, 'browser');
}

export interface BrowserCheckInput {
	report: Report;
	server: N8nServer;
	/** The imported text-to-video example (credential bound to `sim`). */
	workflow: Workflow;
	sim: JimengSimulator;
	artifactsDir: string;
}

export async function checkBrowser(input: BrowserCheckInput): Promise<void> {
	const { report, server } = input;
	const say = (line: string) => report.note(`browser: ${line}`);
	const started = Date.now();
	const executable = await ensureChromium(say);
	const chromium = await launchChromium(executable);
	say(`${chromium.version} (${executable}), headless, ${WINDOW.width}x${WINDOW.height}, launched in ${formatMs(Date.now() - started)}`);
	const editor = await Editor.open(chromium.browser, server.baseUrl, input.artifactsDir);
	const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
		try {
			return await fn();
		} catch (error) {
			throw await editor.fail(name, error);
		}
	};
	try {
		await step('sign in', async () => {
			const landed = await editor.signIn(server.owner.email, server.owner.password);
			say(`signed in through the /signin form as ${server.owner.email} → ${landed}`);
		});

		await step('first-step panel', async () => {
			await editor.newWorkflow();
			await editor.openFirstStepPanel();
			const { names, noResults } = await editor.search('jimeng', NODE);
			const shot = await editor.screenshot('first-step-jimeng');
			assert.ok(names.includes(NODE), `first-step panel, search "jimeng": ${noResults ? '"No results"' : `listed ${names.join(', ') || 'nothing'}`}`);
			// The trigger panel lists a trigger under its app's name; the item leads to the trigger's events.
			await editor.pickItem(NODE);
			const events = await editor.until('the Jimeng Video trigger events', 10_000, async () => {
				const items = await editor.creatorItems();
				const text = await editor.page.$eval(tid('node-creator'), (el) => (el as unknown as DomEl).innerText);
				return text.includes(TRIGGER) || items.length > 0 ? { items, text } : undefined;
			});
			const shot2 = await editor.screenshot('first-step-jimeng-trigger');
			assert.ok(events.text.includes(TRIGGER), `the first-step item "${NODE}" does not lead to ${TRIGGER}: ${events.text.slice(0, 400)}`);
			say(`first-step panel "jimeng" → ${names.join(', ')}; "${NODE}" opens ${TRIGGER} (${events.items.join(', ')}) [${path.basename(shot)}, ${path.basename(shot2)}]`);
			await editor.closeCreator();
		});

		let manualName = '';
		await step('add a Manual Trigger', async () => {
			await editor.openFirstStepPanel();
			const { names } = await editor.search('manual', MANUAL_TRIGGER);
			assert.ok(names.includes(MANUAL_TRIGGER), `search "manual" listed ${names.join(', ') || 'nothing'}`);
			await editor.pickItem(MANUAL_TRIGGER);
			manualName = await editor.until('the manual trigger on the canvas', 10_000, async () => (await editor.canvasNodes())[0]);
			if (await editor.ndvOpen()) await editor.closeNdv();
			say(`added "${MANUAL_TRIGGER}" → canvas node "${manualName}"`);
		});

		for (const term of ['jimeng', 'Jimeng Video', 'volcengine']) {
			await step(`next-step panel "${term}"`, async () => {
				await editor.openNextStepPanel(manualName);
				const { names, noResults } = await editor.search(term, NODE);
				const shot = await editor.screenshot(`next-step-${term.toLowerCase().replace(/\s+/g, '-')}`);
				assert.ok(names.includes(NODE), `next-step panel, search "${term}": ${noResults ? '"No results"' : `listed ${names.join(', ') || 'nothing'}`}`);
				say(`next-step panel "${term}" → ${names.join(', ')} [${path.basename(shot)}]`);
				if (term !== 'volcengine') await editor.closeCreator();
			});
		}

		await step('add Jimeng Video from the search result', async () => {
			await editor.pickItem(NODE);
			await editor.until(`the action "${ACTION}"`, 10_000, async () => (await editor.creatorItems()).includes(ACTION));
			const actions = await editor.creatorItems();
			await editor.pickItem(ACTION);
			const added = await editor.until('a Jimeng Video node on the canvas', 15_000, async () =>
				(await editor.canvasNodes()).find((name) => name !== manualName),
			);
			const ndv = await editor.ndvOpen();
			if (ndv) await editor.closeNdv();
			const nodes = await editor.canvasNodes();
			const shot = await editor.screenshot('jimeng-video-on-canvas');
			assert.ok(nodes.includes(added), `canvas nodes: ${nodes.join(', ')}`);
			say(`actions listed: ${actions.join(', ')}; chose "${ACTION}" → canvas nodes ${nodes.map((n) => `"${n}"`).join(', ')}${ndv ? ' (its details view opened)' : ''} [${path.basename(shot)}]`);
		});

		await step('run the text-to-video example', async () => {
			const { workflow, sim } = input;
			const mark = sim.requests.length;
			await editor.page.goto(workflowUrl(server.baseUrl, workflow.id as string), { waitUntil: 'domcontentloaded' });
			await editor.waitForCanvasNode(NODE, 30_000);
			const runStarted = Date.now();
			await editor.click(tid('execute-workflow-button'));
			const success = `${tid('canvas-node')}[data-node-name="${NODE}"] ${tid('canvas-node-status-success')}`;
			await editor.waitVisible(success, 60_000);
			const created = sim.requests.slice(mark).filter((e) => e.action === SUBMIT_ACTION && e.taskCreated);
			assert.equal(created.length, 1, `the simulator created ${created.length} tasks for this run`);
			const taskId = created[0]!.taskId as string;
			say(`"${workflow.name}": Execute workflow → ${NODE} succeeded in ${formatMs(Date.now() - runStarted)} (simulator task ${taskId})`);

			await editor.openNode(NODE);
			const output = tid('output-panel');
			await editor.waitVisible(output);
			const binaryTab = await editor.until('the Binary tab of the output', 10_000, async () => {
				const radios = await editor.page.$$(`${output} [role="radio"], ${output} label`);
				for (const radio of radios) {
					if ((await radio.evaluate((el) => (el as unknown as DomEl).innerText.trim())) === 'Binary') return radio;
				}
				return undefined;
			});
			await binaryTab.click();
			const fileName = `${taskId}.mp4`;
			const text = await editor.until('the video binary in the output', 10_000, async () => {
				const t = await editor.page.$eval(output, (el) => (el as unknown as DomEl).innerText);
				return t.includes(fileName) && t.includes('video/mp4') ? t : undefined;
			});
			const shot = await editor.screenshot('output-binary-video');
			const shown = text.replace(/\s+/g, ' ').match(new RegExp(`.{0,60}${taskId}\\.mp4.{0,80}`))?.[0] ?? '';
			say(`output → Binary tab shows "${shown.trim()}" (file name ${fileName}, video/mp4) [${path.basename(shot)}]`);
		});
		say(`${editor.screenshots.length} screenshots in ${path.relative(REPO_DIR, input.artifactsDir)}`);
	} finally {
		await chromium.close();
	}
}
