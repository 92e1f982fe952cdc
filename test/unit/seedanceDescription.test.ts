/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/**
 * The Jimeng Video node's editor description with API = Seedance, evaluated with n8n-workflow's own
 * displayParameter: each model shows the fields it takes (written here from the model table, not
 * from the display conditions), no condition depends on the value of a hidden parameter (n8n keeps
 * a hidden value and still applies it), fields sharing a name never show together, the two APIs'
 * fields and credentials never mix, and every label the request builder's errors use is a field's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type NodeParameterValue,
} from 'n8n-workflow';

import { JimengVideo } from '../../nodes/JimengVideo/JimengVideo.node';
import { ARK_LABELS, ARK_MODELS, type ArkModelSpec } from '../../nodes/shared/ark';

const NODE = new JimengVideo().description;
type Values = Record<string, NodeParameterValue>;
const STUB: INode = {
	id: 'n',
	name: 'n',
	type: 'x',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const shown = (property: INodeProperties, values: Values) =>
	NodeHelpers.displayParameter(
		values as INodeParameters,
		property,
		STUB,
		NODE,
		values as INodeParameters,
	);
const isSeedance = (property: INodeProperties) =>
	(property.displayOptions?.show?.api as unknown[] | undefined)?.includes('ark') === true;
const SEEDANCE = NODE.properties.filter(isSeedance);
const VISUAL = NODE.properties.filter(
	(property) => !isSeedance(property) && property.name !== 'api',
);
const shownNames = (properties: INodeProperties[], values: Values) =>
	properties.filter((property) => shown(property, values)).map((property) => property.name);

const conditionKeys = (property: INodeProperties): string[] => {
	const { show = {}, hide = {} } = property.displayOptions ?? {};
	return [...new Set([...Object.keys(show), ...Object.keys(hide)])].filter(
		(key) => !key.startsWith('@'),
	);
};

/** Values a parameter can hold: every twin's options (booleans both ways). */
function valuesOf(name: string): NodeParameterValue[] {
	const twins = NODE.properties.filter((property) => property.name === name);
	if (twins.length === 0) throw new Error(`a condition names "${name}", which the node lacks`);
	const values = new Set<NodeParameterValue>();
	for (const property of twins) {
		if (property.type === 'options')
			for (const option of property.options ?? [])
				values.add((option as { value: NodeParameterValue }).value);
		else if (property.type === 'boolean') [true, false].forEach((b) => values.add(b));
		// Text a notice may watch (the prompt's length notices): empty, short, past 400 and 800.
		else if (property.type === 'string')
			['', 'a prompt', 'x'.repeat(401), 'x'.repeat(801)].forEach((text) => values.add(text));
		else throw new Error(`no sample values for ${name} (${property.type})`);
	}
	return [...values];
}

/** The parameters that decide whether `names` show, and those that decide them, and so on. */
function decidingParameters(names: string[]): string[] {
	const found = new Set<string>();
	const visit = (name: string) => {
		for (const property of NODE.properties.filter((p) => p.name === name))
			for (const key of conditionKeys(property))
				if (!found.has(key)) {
					found.add(key);
					visit(key);
				}
	};
	names.forEach(visit);
	return [...found];
}

function* assignments(names: string[]): Generator<Values> {
	if (names.length === 0) {
		yield {};
		return;
	}
	const [first, ...rest] = names;
	for (const value of valuesOf(first))
		for (const others of assignments(rest)) yield { [first]: value, ...others };
}

const nameShown = (name: string, values: Values) =>
	NODE.properties.some((property) => property.name === name && shown(property, values));

describe('Seedance fields: display conditions', () => {
	it('never depend on the value of a parameter another condition hides', () => {
		const hideable = new Set(NODE.properties.filter((p) => p.displayOptions).map((p) => p.name));
		const checked: string[] = [];
		const problems: string[] = [];
		for (const property of SEEDANCE) {
			for (const controller of conditionKeys(property).filter((key) => hideable.has(key))) {
				checked.push(`${property.name} → ${controller}`);
				const others = decidingParameters([property.name, controller]).filter(
					(n) => n !== controller,
				);
				for (const state of assignments(others)) {
					const hiddenWith = valuesOf(controller).filter(
						(value) => !nameShown(controller, { ...state, [controller]: value }),
					);
					const outcomes = new Set(
						hiddenWith.map((value) => shown(property, { ...state, [controller]: value })),
					);
					if (outcomes.size > 1) {
						problems.push(
							`${property.name} depends on hidden ${controller} at ${JSON.stringify(state)}`,
						);
						break;
					}
				}
			}
		}
		expect(problems).toEqual([]);
		// Not vacuous: the media fields follow First Frame and Last Frame, the expiry follows the tier…
		expect(checked).toEqual(
			expect.arrayContaining([
				'firstFrameUrl → firstFrameSource',
				'lastFrameBinaryProperty → lastFrameSource',
				'referenceImages → firstFrameSource',
				'executionExpiresAfter → serviceTier',
				'draftTaskId → draft',
				'generateAudio → model',
			]),
		);
	});

	it('fields that share a name (the two APIs’ Operation, Model, Prompt, Seed, Task ID, Options) never show together', () => {
		const problems: string[] = [];
		for (const name of new Set(NODE.properties.map((p) => p.name))) {
			const twins = NODE.properties.filter((p) => p.name === name);
			if (twins.length < 2) continue;
			for (const state of assignments(decidingParameters([name]).filter((p) => p !== name))) {
				if (twins.filter((twin) => shown(twin, state)).length > 1) {
					problems.push(`${name} at ${JSON.stringify(state)}`);
					break;
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it('the APIs never mix: Jimeng’s fields for visual (a saved workflow’s default), Seedance’s for ark', () => {
		for (const operation of ['submit', 'getResult', 'generateAndWait', 'cancel']) {
			const visual = {
				api: 'visual',
				operation,
				model: 'jimeng_ti2v_v30_pro',
				imageSource: 'none',
			};
			expect(shownNames(SEEDANCE, visual)).toEqual([]);
			// An endpoint id typed as an expression: n8n shows a field at the first condition on an
			// expression, so `api` must be decided before the model.
			for (const model of [ARK_MODELS[0].id, '={{ "ep-20250101123456-abcde" }}']) {
				const ark = {
					api: 'ark',
					operation,
					model,
					imageSource: 'binary',
					firstFrameSource: 'none',
				};
				expect(shownNames(VISUAL, ark)).toEqual([]);
			}
		}
	});

	it('only the chosen API’s credential shows', () => {
		const credentialsFor = (api: string) =>
			(NODE.credentials ?? [])
				.filter((credential) =>
					NodeHelpers.displayParameter({ api } as INodeParameters, credential, STUB, NODE),
				)
				.map((credential) => credential.name);
		expect(credentialsFor('visual')).toEqual(['volcengineApi']);
		expect(credentialsFor('ark')).toEqual(['volcengineArkApi']);
	});
});

type Source = 'none' | 'binary' | 'url';

/** Submit's and Generate and Wait's Seedance fields a model must show, from the model table. */
function fieldsFor(
	spec: ArkModelSpec | undefined,
	state: { first: Source; last: Source; tier: string; draft: boolean },
): string[] {
	const takes = (mode: ArkModelSpec['modes'][number]) => !spec || spec.modes.includes(mode);
	const fields = ['model', 'prompt'];
	const first = takes('firstFrame') ? state.first : 'none';
	if (takes('firstFrame')) fields.push('firstFrameSource');
	if (first !== 'none')
		fields.push(first === 'binary' ? 'firstFrameBinaryProperty' : 'firstFrameUrl');
	if (first !== 'none' && takes('firstLastFrame')) {
		fields.push('lastFrameSource');
		if (state.last !== 'none')
			fields.push(state.last === 'binary' ? 'lastFrameBinaryProperty' : 'lastFrameUrl');
	}
	if (first === 'none') {
		if (takes('reference')) fields.push('referenceImages');
		if (!spec || spec.references.videos > 0) fields.push('referenceVideos');
		if (!spec || spec.references.audios > 0) fields.push('referenceAudio');
	}
	fields.push('resolution', 'ratio', 'duration');
	if (!spec || spec.audio) fields.push('generateAudio');
	fields.push('returnLastFrame', 'seed');
	if (!spec || spec.cameraFixed) fields.push('cameraFixed');
	fields.push('watermark', 'callbackUrl');
	if (!spec || spec.flex)
		fields.push('serviceTier', ...(state.tier === 'flex' ? ['executionExpiresAfter'] : []));
	if (!spec || spec.draft) fields.push('draft', ...(state.draft ? [] : ['draftTaskId']));
	return fields.sort();
}

describe('Seedance fields: each model shows the fields it takes, and only those', () => {
	const states = (['none', 'binary', 'url'] as const).flatMap((first) =>
		(['none', 'binary', 'url'] as const).flatMap((last) =>
			['default', 'flex'].flatMap((tier) =>
				[true, false].map((draft) => ({ first, last, tier, draft })),
			),
		),
	);
	const visible = (operation: string, model: string, state: (typeof states)[number]) =>
		shownNames(SEEDANCE, {
			api: 'ark',
			operation,
			model,
			firstFrameSource: state.first,
			lastFrameSource: state.last,
			serviceTier: state.tier,
			draft: state.draft,
		})
			.filter((name) => !['operation', 'options', 'seedanceSubmitNotice'].includes(name))
			.sort();

	it.each(['submit', 'generateAndWait'])('%s, every model and choice', (operation) => {
		for (const spec of ARK_MODELS)
			for (const state of states)
				expect([spec.id, state, visible(operation, spec.id, state)]).toEqual([
					spec.id,
					state,
					fieldsFor(spec, state),
				]);
	});

	it('an endpoint id (an expression) shows every field: Ark judges what the node cannot', () => {
		for (const state of states)
			expect(visible('submit', '={{ "ep-20250101123456-abcde" }}', state)).toEqual(
				fieldsFor(undefined, state),
			);
	});

	it('a Jimeng model kept after API became Seedance is flagged; a Seedance model or an endpoint is not', () => {
		// n8n can set API from the credential it picks for a new node after Model got Jimeng's default.
		const notice = SEEDANCE.filter((property) => property.name === 'jimengModelNotice');
		expect(notice).toHaveLength(1);
		const flagged = (operation: string, model: string) =>
			shown(notice[0], { api: 'ark', operation, model });
		expect(flagged('generateAndWait', 'jimeng_ti2v_v30_pro')).toBe(true);
		expect(flagged('submit', 'jimeng_i2v_recamera_v30')).toBe(true);
		expect(flagged('getResult', 'jimeng_ti2v_v30_pro')).toBe(false);
		for (const model of ARK_MODELS) expect(flagged('submit', model.id)).toBe(false);
		expect(flagged('submit', '={{ "ep-20250101123456-abcde" }}')).toBe(false);
		expect(flagged('submit', '={{ "jimeng_ti2v_v30_pro" }}')).toBe(false);
		expect(
			shown(notice[0], { api: 'visual', operation: 'submit', model: 'jimeng_ti2v_v30_pro' }),
		).toBe(false);
	});

	it('Get Result and Cancel show the task ID and their options, nothing of a create', () => {
		const model = ARK_MODELS[0].id;
		expect(shownNames(SEEDANCE, { api: 'ark', operation: 'getResult', model })).toEqual([
			'operation',
			'taskId',
			'options',
		]);
		expect(shownNames(SEEDANCE, { api: 'ark', operation: 'cancel', model })).toEqual([
			'operation',
			'seedanceCancelNotice',
			'taskId',
			'options',
		]);
	});

	it('the options of each operation', () => {
		const optionsOf = (operation: string) =>
			SEEDANCE.filter((p) => p.name === 'options' && shown(p, { api: 'ark', operation })).flatMap(
				(p) => (p.options as INodeProperties[]).map((option) => option.name),
			);
		expect(optionsOf('getResult')).toEqual([
			'binaryPropertyOutput',
			'downloadVideo',
			'priceCnyPerMillionTokens',
		]);
		expect(optionsOf('generateAndWait')).toEqual([
			'binaryPropertyOutput',
			'downloadVideo',
			'maxWait',
			'pollInterval',
			'priceCnyPerMillionTokens',
		]);
		expect(optionsOf('cancel')).toEqual(['deleteFinished']);
		expect(optionsOf('submit')).toEqual([]);
	});
});

describe('Seedance fields: names and labels', () => {
	it('every label the request builder’s errors use is a Seedance field’s display name', () => {
		const displayNames = new Set(SEEDANCE.map((property) => property.displayName));
		// Frames and Web Search are not offered by the node (the builder takes them from code only).
		const offered = Object.entries(ARK_LABELS).filter(
			([key]) => !['frames', 'webSearch'].includes(key),
		);
		expect(offered.filter(([, label]) => !displayNames.has(label))).toEqual([]);
	});

	it('the contract’s parameter names, with their defaults', () => {
		const defaults = Object.fromEntries(
			SEEDANCE.filter((p) => p.type !== 'notice').map((p) => [p.name, p.default]),
		);
		expect(defaults).toMatchObject({
			operation: 'generateAndWait',
			model: 'doubao-seedance-1-5-pro-251215',
			prompt: '',
			resolution: '720p',
			ratio: 'adaptive',
			duration: 5,
			generateAudio: true,
			returnLastFrame: false,
			taskId: '',
		});
		const api = NODE.properties.find((p) => p.name === 'api')!;
		expect(api.default).toBe('visual');
		expect((api.options ?? []).map((o) => [(o as { value: string }).value, o.name])).toEqual([
			['visual', 'Jimeng (Visual API, Access Key)'],
			['ark', 'Seedance (Ark, API Key)'],
		]);
	});

	it('offers every Ark model, resolution and ratio (adaptive included)', () => {
		const options = (name: string) =>
			SEEDANCE.find((p) => p.name === name)!.options!.map((o) => (o as { value: string }).value);
		expect(options('model')).toEqual(ARK_MODELS.map((model) => model.id));
		expect(options('resolution')).toEqual(['480p', '720p', '1080p']);
		expect(options('ratio')).toEqual(['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive']);
	});
});

describe('the node creator finds the node', () => {
	const codex = JSON.parse(
		readFileSync(join(__dirname, '../../nodes/JimengVideo/JimengVideo.node.json'), 'utf8'),
	) as { alias: string[]; categories: string[] };

	it.each(['seedance', 'doubao', 'jimeng', 'Seedance', 'ark'])('searching "%s"', (word) => {
		expect(codex.alias.map((alias) => alias.toLowerCase())).toContain(word.toLowerCase());
	});

	it('in a category the node creator searches (not AI: n8n 2.41 then hides it from search)', () => {
		expect(codex.categories).not.toContain('AI');
		expect(codex.categories).toContain('Marketing');
	});
});
