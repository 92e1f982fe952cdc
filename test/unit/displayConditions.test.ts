/**
 * The node descriptions' display conditions, evaluated with n8n-workflow's own displayParameter.
 *
 * n8n keeps the value of a parameter it hides, and a hidden value still decides what other
 * conditions show (issue 20: Image Source kept "binary" behind a text-to-video model and hid Aspect
 * Ratio, and the run sent 16:9). So: every display condition that names a parameter which another
 * condition can hide must give the same answer, whatever that hidden parameter holds.
 */
import {
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeTypeDescription,
	type NodeParameterValue,
} from 'n8n-workflow';

import { JimengVideo } from '../../nodes/JimengVideo/JimengVideo.node';
import { JimengVideoTrigger } from '../../nodes/JimengVideoTrigger/JimengVideoTrigger.node';
import {
	MODELS,
	VIDEO_FIELDS,
	imageSourcesOf,
	nodeFieldsFor,
	promptRequired,
	triggerFieldsFor,
} from '../support/modelFields';

const NODE = new JimengVideo().description;
const TRIGGER = new JimengVideoTrigger().description;
const DESCRIPTIONS: Array<[string, INodeTypeDescription]> = [
	['Jimeng Video', NODE],
	['Jimeng Video Trigger', TRIGGER],
];

type Values = Record<string, NodeParameterValue>;

/** The sibling parameter a condition key names (`/mode` in a collection is the root's `mode`). */
const parameterOf = (key: string) => key.replace(/^\//, '');
const conditionKeys = (property: INodeProperties): string[] => {
	const { show = {}, hide = {} } = property.displayOptions ?? {};
	return [...new Set([...Object.keys(show), ...Object.keys(hide)])]
		.filter((key) => !key.startsWith('@'))
		.map(parameterOf);
};

/** Values a parameter can hold: its options; for text, what users type (an expression too). */
function valuesOf(description: INodeTypeDescription, name: string): NodeParameterValue[] {
	const twins = description.properties.filter((property) => property.name === name);
	if (twins.length === 0) throw new Error(`a condition names "${name}", which the node lacks`);
	const values = new Set<NodeParameterValue>();
	for (const property of twins) {
		if (property.type === 'options')
			for (const option of property.options ?? [])
				values.add((option as { value: NodeParameterValue }).value);
		else if (property.type === 'string')
			for (const text of [
				'',
				'x',
				'https://cdn.example.com/frame.png',
				'={{ $json.value }}',
				'x'.repeat(401),
				'x'.repeat(801),
			])
				values.add(text);
		else if (property.type === 'number') for (const n of [-5, 0, 1, 10]) values.add(n);
		else if (property.type === 'boolean') for (const b of [true, false]) values.add(b);
		else throw new Error(`no sample values for ${name} (${property.type})`);
	}
	return [...values];
}

const NODE_STUB: INode = {
	id: 'n',
	name: 'n',
	type: 'x',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The node's parameter values as the editor holds them: `api` is the Visual API unless set. */
const withDefaults = (values: Values): INodeParameters => ({ api: 'visual', ...values });

function shown(description: INodeTypeDescription, property: INodeProperties, values: Values) {
	return NodeHelpers.displayParameter(
		withDefaults(values),
		property,
		NODE_STUB,
		description,
		withDefaults(values),
	);
}

/** Whether any field named `name` shows. */
const nameShown = (description: INodeTypeDescription, name: string, values: Values) =>
	description.properties.some(
		(property) => property.name === name && shown(description, property, values),
	);

/** The parameters that decide whether `names` show, and the ones that decide those, and so on. */
function decidingParameters(description: INodeTypeDescription, names: string[]): string[] {
	const found = new Set<string>();
	const visit = (name: string) => {
		for (const property of description.properties.filter((p) => p.name === name))
			for (const key of conditionKeys(property))
				if (!found.has(key)) {
					found.add(key);
					visit(key);
				}
	};
	names.forEach(visit);
	return [...found];
}

function* assignments(
	description: INodeTypeDescription,
	names: string[],
): Generator<Values, void, undefined> {
	if (names.length === 0) {
		yield {};
		return;
	}
	const [first, ...rest] = names;
	for (const value of valuesOf(description, first))
		for (const others of assignments(description, rest)) yield { [first]: value, ...others };
}

/**
 * Every condition of a property on a parameter that can be hidden, with the states in which that
 * hidden parameter's value changes whether the property shows.
 */
export function hiddenValueDependencies(description: INodeTypeDescription): {
	checked: string[];
	problems: string[];
} {
	const checked: string[] = [];
	const problems: string[] = [];
	const hideable = new Set(
		description.properties.filter((p) => p.displayOptions).map((p) => p.name),
	);
	description.properties.forEach((property, index) => {
		for (const controller of conditionKeys(property)) {
			if (!hideable.has(controller)) continue;
			checked.push(`${property.name}#${index} → ${controller}`);
			const others = decidingParameters(description, [property.name, controller]).filter(
				(name) => name !== controller,
			);
			const controllerValues = valuesOf(description, controller);
			for (const state of assignments(description, others)) {
				const hiddenWith = controllerValues.filter(
					(value) => !nameShown(description, controller, { ...state, [controller]: value }),
				);
				const outcomes = new Map<boolean, NodeParameterValue>();
				for (const value of hiddenWith)
					outcomes.set(shown(description, property, { ...state, [controller]: value }), value);
				if (outcomes.size > 1) {
					problems.push(
						`"${property.displayName}" (${property.name}#${index}) shows with hidden ${controller} = ${JSON.stringify(outcomes.get(true))} and not with ${JSON.stringify(outcomes.get(false))} at ${JSON.stringify(state)}`,
					);
					break;
				}
			}
		}
	});
	return { checked, problems };
}

/** Twins share a name: more than one showing at once is two fields for one value. */
function twinsShownTogether(description: INodeTypeDescription): string[] {
	const problems: string[] = [];
	const names = [...new Set(description.properties.map((p) => p.name))];
	for (const name of names) {
		const twins = description.properties.filter((p) => p.name === name);
		if (twins.length < 2) continue;
		const deciding = decidingParameters(description, [name]).filter(
			// An expression in an options field shows every field conditioned on it (n8n's rule).
			(parameter) => parameter !== name,
		);
		for (const state of assignments(description, deciding)) {
			const together = twins.filter((twin) => shown(description, twin, state));
			if (together.length > 1) {
				problems.push(`${together.length} × "${name}" at ${JSON.stringify(state)}`);
				break;
			}
		}
	}
	return problems;
}

describe('display conditions never depend on the value of a hidden parameter', () => {
	it.each(DESCRIPTIONS)('%s', (_name, description) => {
		const { checked, problems } = hiddenValueDependencies(description);
		expect(problems).toEqual([]);
		// Not vacuous: these conditions name parameters other conditions hide, and were checked.
		expect(checked.length).toBeGreaterThan(5);
	});

	it('finds the condition that hid Aspect Ratio (the description before the fix)', () => {
		const textOnly = MODELS.filter((m) => m.images[1] === 0).map((m) => m.id);
		const withImage = MODELS.filter((m) => m.images[1] > 0).map((m) => m.id);
		const before: INodeTypeDescription = {
			...NODE,
			properties: [
				{
					displayName: 'Model',
					name: 'model',
					type: 'options',
					default: MODELS[0].id,
					options: MODELS.map((m) => ({ name: m.name, value: m.id })),
				},
				{
					displayName: 'Image Source',
					name: 'imageSource',
					type: 'options',
					default: 'binary',
					options: ['none', 'binary', 'url'].map((value) => ({ name: value, value })),
					displayOptions: { show: { model: withImage } },
				},
				{
					displayName: 'Aspect Ratio',
					name: 'aspectRatio',
					type: 'options',
					default: '16:9',
					options: [{ name: '16:9', value: '16:9' }],
					displayOptions: {
						show: { model: textOnly },
						hide: { imageSource: ['binary', 'url', 'base64'] },
					},
				},
			],
		};
		expect(hiddenValueDependencies(before).problems).toEqual([
			expect.stringMatching(
				/^"Aspect Ratio" \(aspectRatio#2\) shows with hidden imageSource = "none" and not with "(binary|url)" at \{"model":"jimeng_t2v_v30_1080p"\}$/,
			),
		]);
	});

	it.each(DESCRIPTIONS)(
		'%s: fields that share a name never show together',
		(_name, description) => {
			expect(twinsShownTogether(description)).toEqual([]);
		},
	);
});

describe('each model shows the fields it uses, and only those', () => {
	const visibleVideoFields = (description: INodeTypeDescription, values: Values) =>
		VIDEO_FIELDS.filter((name) => nameShown(description, name, values));

	it.each(['submit', 'generateAndWait'])('Jimeng Video, %s', (operation) => {
		for (const model of MODELS) {
			const sources = imageSourcesOf(model);
			for (const imageSource of sources.length ? sources : (['none'] as const)) {
				const values = { operation, model: model.id, imageSource, prompt: '', imageUrl: '' };
				expect([model.id, imageSource, visibleVideoFields(NODE, values)]).toEqual([
					model.id,
					imageSource,
					nodeFieldsFor(model, imageSource),
				]);
			}
		}
	});

	it('Jimeng Video, Get Result: only the task ID and the model', () => {
		for (const model of MODELS)
			expect(
				visibleVideoFields(NODE, {
					operation: 'getResult',
					model: model.id,
					imageSource: 'binary',
					prompt: 'x'.repeat(500),
				}),
			).toEqual([]);
	});

	it('Jimeng Video Trigger, Generate Videos', () => {
		for (const model of MODELS) {
			const values = { mode: 'generate', model: model.id, imageUrl: '', prompt: '' };
			expect([model.id, visibleVideoFields(TRIGGER, values)]).toEqual([
				model.id,
				triggerFieldsFor(model),
			]);
		}
		expect(
			visibleVideoFields(TRIGGER, { mode: 'watchTasks', model: MODELS[0].id, imageUrl: 'x' }),
		).toEqual([]);
	});
});

describe('what the panel flags before a run', () => {
	const required = (description: INodeTypeDescription, name: string, values: Values) =>
		description.properties.some(
			(p) => p.name === name && p.required === true && shown(description, p, values),
		);

	it('Prompt is required exactly where the video is made from text alone', () => {
		for (const model of MODELS) {
			for (const imageSource of imageSourcesOf(model).length
				? imageSourcesOf(model)
				: (['none'] as const)) {
				expect([
					model.id,
					imageSource,
					required(NODE, 'prompt', { operation: 'submit', model: model.id, imageSource }),
				]).toEqual([model.id, imageSource, promptRequired(model, imageSource)]);
			}
			for (const imageUrl of ['', 'https://cdn.example.com/a.png', '={{ $json.url }}'])
				expect([
					model.id,
					imageUrl,
					required(TRIGGER, 'prompt', { mode: 'generate', model: model.id, imageUrl }),
				]).toEqual([model.id, imageUrl, promptRequired(model, imageUrl ? 'url' : 'emptyUrl')]);
		}
	});

	it("the trigger's Image URL is required for the models that need an image", () => {
		for (const model of MODELS.filter((m) => m.images[1] > 0))
			expect([
				model.id,
				required(TRIGGER, 'imageUrl', { mode: 'generate', model: model.id }),
			]).toEqual([model.id, model.images[0] > 0]);
	});

	const notices = (description: INodeTypeDescription, values: Values) =>
		description.properties
			.filter((p) => p.type === 'notice' && shown(description, p, values))
			.map((p) => p.name);

	it.each([
		['empty', '', []],
		['of 400 characters', 'x'.repeat(400), []],
		['of 401 characters', 'x'.repeat(401), ['promptLongNotice']],
		['of 800 characters', 'x'.repeat(800), ['promptLongNotice']],
		['of 801 characters', 'x'.repeat(801), ['promptTooLongNotice']],
		['given by an expression', `={{ '${'x'.repeat(500)}' }}`, []],
	])('a prompt %s: length notices %j, in both nodes', (_label, prompt, expected) => {
		const inNode = notices(NODE, {
			operation: 'generateAndWait',
			model: MODELS[0].id,
			imageSource: 'none',
			prompt,
		});
		expect(inNode).toEqual(expected);
		expect(notices(NODE, { operation: 'getResult', prompt })).toEqual([]);
		const inTrigger = notices(TRIGGER, {
			mode: 'generate',
			model: MODELS[0].id,
			frames: 121,
			prompt,
			maxVideos: 10,
			maxVideosPerDay: 0,
		});
		expect(inTrigger.filter((name) => name.startsWith('prompt'))).toEqual(expected);
	});

	it('Generate Videos states the price of one video for the model and duration', () => {
		for (const model of MODELS)
			for (const [frames, seconds] of [
				[121, 5],
				[241, 10],
			]) {
				const shownNotices = TRIGGER.properties.filter(
					(p) =>
						p.name === 'generateNotice' &&
						shown(TRIGGER, p, { mode: 'generate', model: model.id, frames }),
				);
				expect(shownNotices).toHaveLength(1);
				const cost = Number((seconds * model.cnyPerSecond).toFixed(2));
				expect(shownNotices[0].displayName).toContain(`costs about ${cost} CNY (${seconds} s ×`);
				expect(shownNotices[0].displayName).toContain(`Max Videos per Day × ${cost} CNY`);
			}
	});

	it.each([
		[0, 0, ['maxVideosNotice']],
		[-5, 0, ['maxVideosNotice']],
		[1, -1, ['maxVideosPerDayNotice']],
		[10, 0, []],
	])('Max Videos %d, per day %d: %j', (maxVideos, maxVideosPerDay, expected) => {
		expect(
			notices(TRIGGER, {
				mode: 'generate',
				model: MODELS[0].id,
				frames: 121,
				prompt: 'x',
				maxVideos,
				maxVideosPerDay,
			}).filter((n) => n.startsWith('maxVideos')),
		).toEqual(expected);
	});

	it('Watch Tasks says why Fetch Test Event is disabled while Task IDs is empty', () => {
		expect(notices(TRIGGER, { mode: 'watchTasks', taskIds: '' })).toEqual(['watchEmptyNotice']);
		expect(notices(TRIGGER, { mode: 'watchTasks', taskIds: '7392616336519610409' })).toEqual([
			'watchNotice',
		]);
	});
});
