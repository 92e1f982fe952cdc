/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
/**
 * The editor check (issues 12 and 20): in a real n8n editor, signed in through the form, the node
 * creator's search finds Jimeng Video in the first-step and next-step panels (by name and by what a
 * user looks for: "video generation", "AI video", "text to video"); the node goes onto the canvas
 * from the search result; the text-to-video example runs from the "Execute workflow" button and its
 * output shows the video binary; every model, chosen in turn in Generate and Wait, Submit and the
 * trigger, shows the fields it uses (panels.ts) and a run sends what the panel shows; the panel
 * flags an empty or long prompt and a refused Max Videos before any run; the image-to-video example
 * runs offline. One line per step; screenshots in e2e-artifacts/.
 */
import assert from 'node:assert/strict';
import path from 'node:path';

import { REPO_DIR } from '../../../tooling/n8n-host/host';
import { workflowUrl } from '../../../tooling/n8n-host/examples';
import { formatMs } from '../../../tooling/n8n-host/proc';
import type { N8nServer } from '../../../tooling/n8n-host/server';
import { SUBMIT_ACTION, type ArkSimulator, type JimengSimulator } from '../../../tooling/simulator';
import type { Report } from '../report';
import type { Workflow } from '../workflows';
import { ensureChromium, launchChromium, WINDOW } from './chromium';
import { Editor, tid, type DomEl } from './editor';
import {
	checkNodeFlags,
	checkNodeModelSwitch,
	checkTriggerPanels,
	type PanelContext,
} from './panels';

export const BROWSER_CHECK =
	"Editor (chromium): search, every model's panel, flags before a run, offline examples, Seedance";

const NODE = 'Jimeng Video';
const SEEDANCE = 'Seedance';
const TRIGGER = 'Jimeng Video Trigger';
const MANUAL_TRIGGER = 'Manual Trigger';
const ACTION = 'Generate a video and wait for it';
/** The hint under a fresh node's Model field (Jimeng models), toward Seedance's. */
const SEEDANCE_MODEL_HINT =
	'Seedance (Doubao) models: choose a Volcengine Ark API credential above';
/** The notice when API became Seedance after Model got Jimeng's default. */
const JIMENG_MODEL_KEPT_NOTICE = 'Model still holds a Jimeng model';
const TIME_LIMIT_MS = 12 * 60_000;
/** What a user looking for a video node might type; each must list Jimeng Video. */
const SEARCH_TERMS = [
	'jimeng',
	'Jimeng Video',
	'volcengine',
	'video generation',
	'AI video',
	'text to video',
	'seedance',
	'doubao',
];
/** Searched in the first-step (trigger) panel before "jimeng"; each must list the trigger's app. */
const FIRST_STEP_TERMS = ['seedance', 'doubao'];

/** e2e-artifacts/<run id>/browser; the run id is the start time (UTC), or E2E_RUN_ID. */
export function artifactsDir(
	runId = process.env['E2E_RUN_ID'] ??
		new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z'),
): string {
	return path.join(REPO_DIR, 'e2e-artifacts', runId, 'browser');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What the server says about the trigger: its description and its "Trigger On" options. */
async function triggerFacts(server: N8nServer): Promise<{ description: string; modes: string[] }> {
	type NodeType = {
		name: string;
		description: string;
		properties: Array<{ name: string; options?: Array<{ name: string }> }>;
	};
	const types = await server.fetch<NodeType[]>('GET', '/types/nodes.json', undefined, 'cookie');
	const trigger = types.body.find((t) => t.name === 'n8n-nodes-jimeng-video.jimengVideoTrigger');
	assert.ok(trigger, 'the server does not serve the trigger node type');
	const modes =
		trigger.properties.find((p) => p.name === 'mode')?.options?.map((o) => o.name) ?? [];
	assert.ok(modes.length > 0, 'the trigger has no "Trigger On" options');
	return { description: trigger.description, modes };
}

/** Clicks the Binary tab of the open node's output; returns its text once it shows `fileName` and video/mp4. */
async function showBinaryOutput(editor: Editor, fileName: string): Promise<string> {
	const output = tid('output-panel');
	await editor.waitVisible(output);
	await editor.until('a click on the Binary tab of the output', 10_000, async () => {
		const radios = await editor.page.$$(`${output} [role="radio"], ${output} label`);
		for (const radio of radios) {
			if ((await radio.evaluate((el) => (el as unknown as DomEl).innerText.trim())) !== 'Binary')
				continue;
			try {
				await radio.click();
				return radio;
			} catch {
				return undefined; // still rendering: look again
			}
		}
		return undefined;
	});
	return await editor.until('the video binary in the output', 10_000, async () => {
		const t = await editor.page.$eval(output, (el) => (el as unknown as DomEl).innerText);
		return t.includes(fileName) && t.includes('video/mp4') ? t : undefined;
	});
}

export interface BrowserCheckInput {
	report: Report;
	server: N8nServer;
	/** The imported text-to-video example (credential bound to `sim`). */
	workflow: Workflow;
	/** The imported image-to-video example, in its offline form (the simulator's sample image). */
	imageWorkflow: Workflow;
	/** The imported Seedance text-to-video-with-audio example (credential bound to `sim`'s Ark side). */
	seedanceWorkflow: Workflow;
	/** The name of its Ark credential, as the panel shows it. */
	arkCredentialName: string;
	sim: JimengSimulator;
	/** `sim`'s Ark side, whose log shows the Seedance task the editor's run created. */
	ark: ArkSimulator;
	artifactsDir: string;
}

export async function checkBrowser(input: BrowserCheckInput): Promise<void> {
	const { report, server } = input;
	const say = (line: string) => report.note(`browser: ${line}`);
	const started = Date.now();
	const executable = await ensureChromium(say);
	const chromium = await launchChromium(executable);
	say(
		`${chromium.version} (${executable}), headless, ${WINDOW.width}x${WINDOW.height}, launched in ${formatMs(Date.now() - started)}`,
	);
	const editor = await Editor.open(chromium.browser, server.baseUrl, input.artifactsDir);
	// A browser that stops answering must not hang the suite: closing it makes every pending call fail.
	let timedOut = false;
	const watchdog = setTimeout(() => {
		timedOut = true;
		void chromium.close().catch(() => undefined);
	}, TIME_LIMIT_MS);
	const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
		try {
			return await fn();
		} catch (error) {
			if (timedOut)
				throw new Error(
					`${name}: the browser check ran past ${formatMs(TIME_LIMIT_MS)}; chromium closed (${error instanceof Error ? error.message : String(error)})`,
				);
			throw await editor.fail(name, error);
		}
	};
	const misses: string[] = [];
	const listed = (names: string[], noResults: boolean) =>
		noResults ? '"No results"' : names.join(', ') || 'nothing listed';
	try {
		await step('sign in', async () => {
			const landed = await editor.signIn(server.owner.email, server.owner.password);
			say(`signed in through the /signin form as ${server.owner.email} → ${landed}`);
		});

		await step('first-step panel', async () => {
			const trigger = await triggerFacts(server);
			await editor.newWorkflow();
			await editor.openFirstStepPanel();
			// The trigger watches and makes Seedance videos too: found by those names as well.
			for (const term of FIRST_STEP_TERMS) {
				const found = await editor.search(term);
				const termShot = await editor.screenshot(`first-step-${term}`);
				const hit = found.names.includes(NODE);
				if (!hit)
					misses.push(
						`first-step panel "${term}": ${listed(found.names, found.noResults)} [${path.basename(termShot)}]`,
					);
				say(
					`first-step panel "${term}" → ${listed(found.names, found.noResults)}${hit ? '' : ' ✗'} [${path.basename(termShot)}]`,
				);
			}
			const { names, noResults } = await editor.search('jimeng');
			const shot = await editor.screenshot('first-step-jimeng');
			if (!names.includes(NODE)) {
				misses.push(
					`first-step panel "jimeng": ${listed(names, noResults)} [${path.basename(shot)}]`,
				);
				say(`first-step panel "jimeng" → ${listed(names, noResults)} ✗ [${path.basename(shot)}]`);
				await editor.closeCreator();
				return;
			}
			// The trigger panel lists a trigger under its app's name, with the trigger's description…
			const texts = await editor.page.$$eval(
				`${tid('node-creator')} ${tid('item-iterator-item')}`,
				(els) => els.map((el) => (el as unknown as DomEl).innerText.replace(/\s+/g, ' ').trim()),
			);
			const item = texts.find((t) => t.startsWith(NODE));
			assert.ok(
				item?.includes(trigger.description),
				`the "${NODE}" item does not describe ${TRIGGER} ("${trigger.description}"): "${item}"`,
			);
			// …and leads to its events, one per "Trigger On" option.
			await editor.pickItem(NODE);
			const events = await editor.until(
				`the ${TRIGGER} events (${trigger.modes.join(', ')})`,
				10_000,
				async () => {
					const listed = await editor.creatorItems();
					const found = trigger.modes.map((mode) =>
						listed.find((e) => e.toLowerCase().includes(mode.toLowerCase())),
					);
					return found.every(Boolean) ? (found as string[]) : undefined;
				},
			);
			await sleep(500); // the panel slides in
			const shot2 = await editor.screenshot('first-step-jimeng-trigger-events');
			say(
				`first-step panel "jimeng" → ${names.join(', ')} ("${trigger.description}", ${TRIGGER}'s description) [${path.basename(shot)}]`,
			);
			say(
				`first-step "${NODE}" → ${TRIGGER} events: ${events.join(', ')} [${path.basename(shot2)}]`,
			);
			await editor.closeCreator();
		});

		let manualName = '';
		await step('add a Manual Trigger', async () => {
			await editor.openFirstStepPanel();
			const { names } = await editor.search('manual');
			assert.ok(
				names.includes(MANUAL_TRIGGER),
				`search "manual" listed ${names.join(', ') || 'nothing'}`,
			);
			await editor.pickItem(MANUAL_TRIGGER);
			manualName = await editor.until(
				'the manual trigger on the canvas',
				10_000,
				async () => (await editor.canvasNodes())[0],
			);
			if (await editor.ndvOpen()) await editor.closeNdv();
			say(`added "${MANUAL_TRIGGER}" → canvas node "${manualName}"`);
		});

		for (const term of SEARCH_TERMS) {
			await step(`next-step panel "${term}"`, async () => {
				await editor.openNextStepPanel(manualName);
				const { names, noResults } = await editor.search(term);
				const shot = await editor.screenshot(
					`next-step-${term.toLowerCase().replace(/\s+/g, '-')}`,
				);
				const found = names.includes(NODE);
				if (!found)
					misses.push(
						`next-step panel "${term}": ${listed(names, noResults)} [${path.basename(shot)}]`,
					);
				say(
					`next-step panel "${term}" → ${listed(names, noResults)}${found ? '' : ' ✗'} [${path.basename(shot)}]`,
				);
				if (term !== SEARCH_TERMS.at(-1)) await editor.closeCreator();
			});
		}

		// Every search is tried before failing, so one run shows which panels miss the node.
		if (misses.length > 0) {
			throw new Error(
				`the node creator's search does not list "${NODE}" (${misses.length} of ${SEARCH_TERMS.length + FIRST_STEP_TERMS.length + 1} searches):\n  ${misses.join('\n  ')}\n  visible text: ${await editor.visibleText(400)}`,
			);
		}

		await step('add Jimeng Video from the search result', async () => {
			await editor.pickItem(NODE);
			await editor.until(`the action "${ACTION}"`, 10_000, async () =>
				(await editor.creatorItems()).includes(ACTION),
			);
			const actions = (await editor.creatorItems()).filter((name) => name !== NODE);
			await sleep(500); // the panel slides in
			const actionsShot = await editor.screenshot('next-step-jimeng-video-actions');
			await editor.pickItem(ACTION);
			const added = await editor.until('a Jimeng Video node on the canvas', 15_000, async () =>
				(await editor.canvasNodes()).find((name) => name !== manualName),
			);
			const ndv = await editor.ndvOpen();
			// Found by "doubao": the fresh panel must lead to Seedance's models. n8n hides the API field
			// (the credential sets it) and may pick a credential for the new node itself: with a
			// Jimeng one the hint under Model points to the Ark credential; with an Ark one (API set
			// after Model got Jimeng's default) the panel flags the Jimeng model it still holds.
			let hintShot = '';
			let seen = '';
			if (ndv) {
				await editor.until('the Model field of the fresh node', 10_000, async () =>
					(await editor.visibleParameters()).includes('model'),
				);
				const fields = await editor.visibleParameters();
				const text = await editor.visibleText(20_000);
				hintShot = await editor.screenshot('fresh-node-toward-seedance');
				const seedancePanel = fields.includes('generateAudio');
				const expected = seedancePanel ? JIMENG_MODEL_KEPT_NOTICE : SEEDANCE_MODEL_HINT;
				assert.ok(
					text.includes(expected),
					`the fresh node's panel (${seedancePanel ? 'Seedance' : 'Jimeng'} fields: ${fields.join(', ')}) does not say "${expected}" [${path.basename(hintShot)}]`,
				);
				seen = `${seedancePanel ? 'Seedance panel (n8n chose the Ark credential), notice' : 'Jimeng panel, under Model'}: "${expected}"`;
				await editor.closeNdv();
			}
			const nodes = await editor.canvasNodes();
			const shot = await editor.screenshot('jimeng-video-on-canvas');
			assert.equal(added, NODE, `the node added is named "${added}"`);
			assert.deepEqual(nodes, [manualName, NODE], 'canvas nodes');
			say(`"${NODE}" → actions ${actions.join(', ')} [${path.basename(actionsShot)}]`);
			say(
				`chose "${ACTION}" → ${ndv ? `its details view opened, ${seen} [${path.basename(hintShot)}]; closed it → ` : ''}canvas nodes ${nodes.map((n) => `"${n}"`).join(', ')} [${path.basename(shot)}]`,
			);
		});

		await step('run the text-to-video example', async () => {
			const { workflow, sim } = input;
			const mark = sim.requests.length;
			const dialogsBefore = editor.dialogs.length;
			await editor.page.goto(workflowUrl(server.baseUrl, workflow.id as string), {
				waitUntil: 'domcontentloaded',
			});
			for (const dialog of editor.dialogs.slice(dialogsBefore))
				say(`left the unsaved workflow: accepted the browser's ${dialog} dialog ("Leave site?")`);
			await editor.waitForCanvasNode(NODE, 30_000);
			const runStarted = Date.now();
			await editor.click(tid('execute-workflow-button'));
			const success = `${tid('canvas-node')}[data-node-name="${NODE}"] ${tid('canvas-node-status-success')}`;
			await editor.waitVisible(success, 60_000);
			const created = sim.requests
				.slice(mark)
				.filter((e) => e.action === SUBMIT_ACTION && e.taskCreated);
			assert.equal(created.length, 1, `the simulator created ${created.length} tasks for this run`);
			const taskId = created[0]!.taskId as string;
			say(
				`"${workflow.name}": Execute workflow → ${NODE} succeeded in ${formatMs(Date.now() - runStarted)} (simulator task ${taskId})`,
			);

			await editor.openNode(NODE);
			const fileName = `${taskId}.mp4`;
			const text = await showBinaryOutput(editor, fileName);
			const shot = await editor.screenshot('output-binary-video');
			const shown =
				text.replace(/\s+/g, ' ').match(new RegExp(`.{0,60}${taskId}\\.mp4.{0,80}`))?.[0] ?? '';
			say(
				`output → Binary tab shows "${shown.trim()}" (file name ${fileName}, video/mp4) [${path.basename(shot)}]`,
			);
		});
		await step('run the Seedance text-to-video example', async () => {
			const { seedanceWorkflow: workflow, ark, arkCredentialName } = input;
			const mark = ark.requests.length;
			await editor.page.goto(workflowUrl(server.baseUrl, workflow.id as string), {
				waitUntil: 'domcontentloaded',
			});
			await editor.waitForCanvasNode(SEEDANCE, 30_000);
			const runStarted = Date.now();
			await editor.click(tid('execute-workflow-button'));
			const success = `${tid('canvas-node')}[data-node-name="${SEEDANCE}"] ${tid('canvas-node-status-success')}`;
			await editor.waitVisible(success, 60_000);
			const created = ark.requests.slice(mark).filter((e) => e.taskCreated);
			assert.equal(
				created.length,
				1,
				`the simulator created ${created.length} Ark tasks for this run`,
			);
			const taskId = created[0]!.taskId as string;
			say(
				`"${workflow.name}": Execute workflow → ${SEEDANCE} succeeded in ${formatMs(Date.now() - runStarted)} (Ark task ${taskId})`,
			);
			await editor.openNode(SEEDANCE);
			// The panel as the example sets it. n8n shows no "API" field: `api` decides which credential
			// the node takes, so n8n's Credential list offers both APIs' credentials and the one chosen
			// sets it (its "main auth field"). Here: the Ark credential, a Seedance model, Seedance's fields.
			const credentialInput = `${tid('node-credentials-select')} input`;
			const credential = await editor.page.$eval(
				credentialInput,
				(el) => (el as unknown as { value: string }).value,
			);
			assert.equal(credential, arkCredentialName, 'the credential the panel shows');
			const model = await editor.parameterValue('model');
			assert.match(model ?? '', /^Seedance 1\.5 Pro\b/, 'the model the panel shows');
			const shown = await editor.visibleParameters();
			for (const name of ['operation', 'model', 'prompt', 'generateAudio', 'returnLastFrame'])
				assert.ok(shown.includes(name), `the panel does not show ${name}: ${shown.join(', ')}`);
			for (const name of ['frames', 'aspectRatio', 'imageSource'])
				assert.ok(!shown.includes(name), `the Seedance panel shows the Jimeng field ${name}`);
			const panelShot = await editor.screenshot('seedance-panel');
			await editor.click(credentialInput);
			const choices = await editor.until('the credential list', 10_000, async () => {
				const items = await editor.page.$$eval('.el-select-dropdown__item', (els) =>
					els
						.filter((el) => (el as unknown as DomEl).offsetParent !== null)
						.map((el) => (el as unknown as DomEl).innerText.replace(/\s+/g, ' ').trim()),
				);
				return items.length > 0 ? items : undefined;
			});
			for (const type of ['Volcengine Ark API', 'Volcengine API'])
				assert.ok(
					choices.some((choice) => choice.endsWith(type)),
					`the Credential list offers no ${type} credential: ${choices.join(' | ')}`,
				);
			const credentialsShot = await editor.screenshot('seedance-panel-credential-list');
			await editor.page.keyboard.press('Escape');
			await sleep(300);
			if (!(await editor.ndvOpen())) await editor.openNode(SEEDANCE);
			const fileName = `${taskId}.mp4`;
			const text = await showBinaryOutput(editor, fileName);
			const shot = await editor.screenshot('seedance-output-binary-video');
			const line =
				text.replace(/\s+/g, ' ').match(new RegExp(`.{0,60}${taskId}\\.mp4.{0,80}`))?.[0] ?? '';
			say(
				`panel: Credential "${credential}", Model "${model}", fields ${shown.join(', ')} [${path.basename(panelShot)}]`,
			);
			say(
				`Credential list (how the API is chosen): ${choices.join(' | ')} [${path.basename(credentialsShot)}]`,
			);
			say(
				`output → Binary tab shows "${line.trim()}" (file name ${fileName}, video/mp4) [${path.basename(shot)}]`,
			);
		});
		const panels: PanelContext = {
			editor,
			say,
			sim: input.sim,
			openNodeOf: async (workflowId, node) => {
				await editor.page.goto(workflowUrl(server.baseUrl, workflowId), {
					waitUntil: 'domcontentloaded',
				});
				await editor.waitForCanvasNode(node, 30_000);
				await editor.openNode(node);
			},
		};
		await step('every model in Generate and Wait and Submit', () => checkNodeModelSwitch(panels));
		await step('the Jimeng Video panel flags before a run', () => checkNodeFlags(panels));
		await step('the trigger panels', () => checkTriggerPanels(panels));

		await step('run the image-to-video example offline', async () => {
			const { imageWorkflow, sim } = input;
			const mark = sim.requests.length;
			await editor.page.goto(workflowUrl(server.baseUrl, imageWorkflow.id as string), {
				waitUntil: 'domcontentloaded',
			});
			await editor.waitForCanvasNode(NODE, 30_000);
			const runStarted = Date.now();
			await editor.click(tid('execute-workflow-button'));
			const success = `${tid('canvas-node')}[data-node-name="${NODE}"] ${tid('canvas-node-status-success')}`;
			await editor.waitVisible(success, 60_000);
			const traffic = sim.requests.slice(mark);
			const samples = traffic.filter((e) => e.action === 'sample').length;
			const created = traffic.filter((e) => e.action === SUBMIT_ACTION && e.taskCreated);
			assert.equal(
				samples,
				1,
				"the Download Image node did not fetch the simulator's sample image",
			);
			assert.equal(created.length, 1, `the simulator created ${created.length} tasks for this run`);
			const shot = await editor.screenshot('image-to-video-example-offline');
			say(
				`"${imageWorkflow.name}": Execute workflow → Download Image got the simulator's sample image, ${NODE} succeeded in ${formatMs(Date.now() - runStarted)} (task ${String(created[0]!.taskId)}) [${path.basename(shot)}]`,
			);
		});
		say(
			`${editor.screenshots.length} screenshots in ${path.relative(REPO_DIR, input.artifactsDir)}`,
		);
	} finally {
		clearTimeout(watchdog);
		await chromium.close().catch(() => undefined);
	}
}
