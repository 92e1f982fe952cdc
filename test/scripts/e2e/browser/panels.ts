/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The panels a user fills in before paying (issue 20), in the real editor: every model chosen in
 * turn in Generate and Wait, Submit and the trigger's Generate Videos, each showing the fields it
 * uses and no other — also right after a model that left Image Source set (the Aspect Ratio that
 * vanished and sent 16:9) — then a run that sends what the panel shows; and what the panel flags
 * before a run: an empty prompt, a long prompt while it is typed, the trigger's cost notice, a
 * Max Videos of 0, why Fetch Test Event is disabled, the options each mode offers.
 */
import assert from 'node:assert/strict';
import path from 'node:path';

import { formatMs } from '../../../tooling/n8n-host/proc';
import { SUBMIT_ACTION, type JimengSimulator } from '../../../tooling/simulator';
import {
	MODELS,
	VIDEO_FIELDS,
	imageSourcesOf,
	nodeFieldsFor,
	triggerFieldsFor,
	type ImageSource,
} from '../../../support/modelFields';
import {
	JIMENG_NODE_TYPE,
	TRIGGER_NODE_TYPE,
	type CredentialRef,
	type Workflow,
} from '../workflows';
import { Editor, tid, type DomEl } from './editor';

export const PANEL_NODE_WORKFLOW_ID = 'E2eEditorPanel01';
export const PANEL_TRIGGER_WORKFLOW_ID = 'E2eEditorPanel02';
const NODE = 'Jimeng Video';
const TRIGGER = 'Jimeng Video Trigger';

const SOURCE_LABELS: Record<ImageSource, string> = {
	none: 'None (Text-to-Video)',
	binary: 'Binary File',
	url: 'URL',
	base64: 'Base64',
};

/** Two workflows only the browser check opens: a Generate and Wait node, a fresh trigger. */
export function panelWorkflows(credential: CredentialRef): Workflow[] {
	const volcengineApi = { ...credential };
	return [
		{
			id: PANEL_NODE_WORKFLOW_ID,
			name: 'E2E editor: the Jimeng Video panel',
			nodes: [
				{
					id: 'c0a80001-0000-4000-8000-000000000001',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'c0a80001-0000-4000-8000-000000000002',
					name: NODE,
					type: JIMENG_NODE_TYPE,
					typeVersion: 1,
					position: [260, 0],
					parameters: {
						prompt: 'A lighthouse at dusk, waves below (editor check)',
						options: { pollInterval: 0.5 },
					},
					credentials: { volcengineApi },
				},
			],
			connections: { Start: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
			settings: {},
		} as unknown as Workflow,
		{
			id: PANEL_TRIGGER_WORKFLOW_ID,
			name: 'E2E editor: the Jimeng Video Trigger panel',
			nodes: [
				{
					id: 'c0a80001-0000-4000-8000-000000000003',
					name: TRIGGER,
					type: TRIGGER_NODE_TYPE,
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
					credentials: { volcengineApi },
				},
			],
			connections: {},
			settings: {},
		} as unknown as Workflow,
	];
}

const videoFields = (names: string[]) =>
	names.filter((name) => (VIDEO_FIELDS as readonly string[]).includes(name));
const same = (a: string[], b: string[]) => a.join(',') === b.join(',');

export interface PanelContext {
	editor: Editor;
	say: (line: string) => void;
	sim: JimengSimulator;
	/** Opens the workflow and the node's details view. */
	openNodeOf: (workflowId: string, node: string) => Promise<void>;
}

/**
 * Every model in turn, in the order the Model list gives them, and for each every Image Source:
 * the video fields shown must be the ones the model uses (test/support/modelFields.ts).
 */
async function walkModels(
	ctx: PanelContext,
	place: string,
	expectedFor: (model: (typeof MODELS)[number], source: ImageSource) => string[],
	withSources: boolean,
	shotOf: (model: (typeof MODELS)[number]) => string | undefined,
): Promise<{ problems: string[]; steps: number; shots: string[] }> {
	const { editor } = ctx;
	const problems: string[] = [];
	const shots: string[] = [];
	let steps = 0;
	for (const model of MODELS) {
		await editor.selectOption('model', model.name);
		const sources = withSources ? imageSourcesOf(model) : [];
		for (const source of sources.length ? sources : (['none'] as const)) {
			if (sources.length) await editor.selectOption('imageSource', SOURCE_LABELS[source]);
			steps++;
			const expected = expectedFor(model, source);
			const { names, held } = await editor.untilParameters(`${place}: ${model.name}`, (shown) =>
				same(videoFields(shown), expected),
			);
			if (!held)
				problems.push(
					`${place}, ${model.name}${sources.length ? `, Image Source ${SOURCE_LABELS[source]}` : ''}: shows ${videoFields(names).join(', ')}; uses ${expected.join(', ')}`,
				);
		}
		const shot = shotOf(model);
		if (shot) shots.push(path.basename(await editor.screenshot(shot)));
	}
	return { problems, steps, shots };
}

export async function checkNodeModelSwitch(ctx: PanelContext): Promise<void> {
	const { editor, say, sim } = ctx;
	await ctx.openNodeOf(PANEL_NODE_WORKFLOW_ID, NODE);
	const problems: string[] = [];
	for (const operation of ['Generate and Wait', 'Submit']) {
		const started = Date.now();
		await editor.selectOption('operation', operation);
		const walk = await walkModels(
			ctx,
			operation,
			(model, source) => nodeFieldsFor(model, source),
			true,
			// The case of issue 20: a text-to-video model right after one that left Image Source set.
			(model) =>
				operation === 'Generate and Wait' && model.id === 'jimeng_t2v_v30'
					? 'panel-720p-text-after-first-and-last-frame'
					: undefined,
		);
		problems.push(...walk.problems);
		say(
			`${operation}: ${MODELS.length} models × their Image Sources (${walk.steps} panels, from Pro to Camera Motion) → ${walk.problems.length ? `${walk.problems.length} wrong` : 'each shows exactly the fields it uses'} in ${formatMs(Date.now() - started)}${walk.shots.length ? ` [${walk.shots.join(', ')}]` : ''}`,
		);
	}
	assert.deepEqual(problems, [], 'fields shown ≠ fields the model uses');

	// What the panel shows is what is sent: 720p Text to Video at 9:16, chosen after an image model.
	await editor.selectOption('operation', 'Generate and Wait');
	await editor.selectOption('model', 'Video 3.0 720p: First Frame');
	await editor.selectOption('imageSource', 'URL');
	await editor.selectOption('model', 'Video 3.0 720p: Text to Video');
	await editor.selectOption('aspectRatio', '9:16');
	const shot = await editor.screenshot('panel-720p-text-9-16-before-run');
	const mark = sim.requests.length;
	await editor.click(`${tid('ndv')} ${tid('node-execute-button')}`);
	const submit = await editor.until('the submit of this run', 30_000, () =>
		sim.requests.slice(mark).find((e) => e.action === SUBMIT_ACTION && e.taskCreated),
	);
	const body = submit.body as Record<string, unknown>;
	assert.equal(body.req_key, 'jimeng_t2v_v30', `submit body: ${JSON.stringify(body)}`);
	assert.equal(body.aspect_ratio, '9:16', `submit body: ${JSON.stringify(body)}`);
	say(
		`720p First Frame (Image Source URL) → 720p Text to Video, Aspect Ratio 9:16 shown and chosen → Execute step sends req_key ${String(body.req_key)}, aspect_ratio ${String(body.aspect_ratio)} [${path.basename(shot)}]`,
	);
	// The run ends with the item in the output panel (its task_id), before the next page is opened.
	const taskId = String(submit.taskId);
	await editor.until(`task ${taskId} in the output panel`, 60_000, async () =>
		(
			await editor.page
				.$eval(`${tid('ndv')} ${tid('output-panel')}`, (el) => (el as unknown as DomEl).innerText)
				.catch(() => '')
		).includes(taskId),
	);
}

export async function checkNodeFlags(ctx: PanelContext): Promise<void> {
	const { editor, say } = ctx;
	await ctx.openNodeOf(PANEL_NODE_WORKFLOW_ID, NODE);
	await editor.selectOption('model', 'Video 3.0 720p: Text to Video');
	await editor.typeInto('prompt', '');
	const flagged = await editor.until('the empty prompt flagged', 5_000, () =>
		editor.hasIssue('prompt'),
	);
	const emptyShot = await editor.screenshot('panel-empty-prompt-flagged');
	say(
		`720p Text to Video, Prompt emptied → flagged in the panel: ${flagged} [${path.basename(emptyShot)}]`,
	);

	const long =
		'A slow dolly shot along a rainy neon street at night, reflections everywhere. '.repeat(6);
	assert.ok(long.length > 400 && long.length <= 800, `${long.length} characters`);
	await editor.typeInto('prompt', long);
	const notice = await editor.until('the long-prompt notice', 5_000, async () =>
		(await editor.notices()).find((text) => text.includes('longer than 400 characters')),
	);
	const longShot = await editor.screenshot('panel-long-prompt-notice');
	say(
		`typed a ${long.length}-character prompt → notice "${notice}" (no run) [${path.basename(longShot)}]`,
	);
	await editor.typeInto('prompt', 'A lighthouse at dusk, waves below (editor check)');
	await editor.until(
		'the notice to go',
		5_000,
		async () =>
			!(await editor.notices()).some((text) => text.includes('longer than 400 characters')),
	);
}

export async function checkTriggerPanels(ctx: PanelContext): Promise<void> {
	const { editor, say } = ctx;
	await ctx.openNodeOf(PANEL_TRIGGER_WORKFLOW_ID, TRIGGER);

	// A fresh trigger: Watch Tasks, no task IDs yet.
	const watchNotices = await editor.until('the Watch Tasks notice', 5_000, async () => {
		const texts = await editor.notices();
		return texts.some((text) => text.includes('Fetch Test Event is disabled')) ? texts : undefined;
	});
	const watchOrder = (await editor.visibleParameters()).filter((name) => name !== 'options');
	const watchShot = await editor.screenshot('trigger-watch-tasks-fresh');
	const watchOptions = await editor.optionChoices();
	say(
		`fresh trigger (Watch Tasks): notice "${watchNotices.join(' | ')}"; fields ${watchOrder.join(', ')}; options ${watchOptions.join(', ')} [${path.basename(watchShot)}]`,
	);
	assert.ok(
		watchOptions.includes('Emit Failures'),
		`Watch Tasks options: ${watchOptions.join(', ')}`,
	);

	await editor.selectOption('mode', 'Generate Videos');
	const walk = await walkModels(
		ctx,
		'Generate Videos',
		(model) => triggerFieldsFor(model),
		false,
		() => undefined,
	);
	assert.deepEqual(walk.problems, [], 'trigger fields shown ≠ fields the model uses');
	say(`Generate Videos: ${MODELS.length} models in turn → each shows exactly the fields it uses`);

	await editor.selectOption('model', MODELS[0].name);
	await editor.selectOption('frames', '10 Seconds (241 Frames)');
	const generateOrder = (await editor.visibleParameters()).filter((name) => name !== 'options');
	// One order in both modes: Trigger On, then Model, then what the mode needs.
	assert.deepEqual(
		watchOrder.slice(0, 2),
		['mode', 'model'],
		`Watch Tasks order: ${watchOrder.join(', ')}`,
	);
	assert.deepEqual(
		generateOrder.slice(0, 2),
		['mode', 'model'],
		`Generate order: ${generateOrder.join(', ')}`,
	);
	const cost = (await editor.notices()).find((text) => text.includes('costs about'));
	assert.ok(cost?.includes('about 10 CNY (10 s'), `cost notice for Pro, 10 s: ${cost}`);
	await editor.scrollToNotice('costs about');
	const generateShot = await editor.screenshot('trigger-generate-cost-notice');
	const generateOptions = await editor.optionChoices();
	assert.ok(
		!generateOptions.includes('Emit Failures'),
		`Generate options: ${generateOptions.join(', ')}`,
	);
	say(
		`Generate Videos, Pro, 10 s: notice "${cost}"; fields ${generateOrder.join(', ')}; options ${generateOptions.join(', ')} [${path.basename(generateShot)}]`,
	);

	await editor.typeInto('maxVideos', '0');
	const kept = await editor.parameterValue('maxVideos');
	const refused = await editor.until('the Max Videos notice', 5_000, async () =>
		(await editor.notices()).find((text) => text.startsWith('Max Videos must be')),
	);
	assert.equal(kept, '0', 'Max Videos typed as 0 shows another number');
	await editor.scrollToNotice('Max Videos must be');
	const maxShot = await editor.screenshot('trigger-max-videos-0');
	say(`Max Videos typed as 0 → stays ${kept}; notice "${refused}" [${path.basename(maxShot)}]`);
}
