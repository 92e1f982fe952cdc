/**
 * What the editor shows, read from the BUILT package through n8n's own loader and evaluated with
 * n8n-workflow's own helpers: the canvas subtitle (n8n's expression engine), which fields are
 * displayed for which values (NodeHelpers.getNodeParameters / displayParameter, as the editor and a
 * run use them), option orders and labels.
 */
import {
	NodeHelpers,
	Workflow,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { ARK_MODELS, arkModelShortName } from '../../nodes/shared/ark';
import { OUTPUT_SIZES } from '../../nodes/shared/jimeng/requests/aspectRatio';
import { DEFAULT_MODEL, MODELS } from '../../nodes/shared/jimeng/models';
import { JimengSimulator } from '../tooling/simulator';
import {
	NODE_TYPE,
	TRIGGER_TYPE,
	createHarness,
	errorOf,
	loadPackage,
	outputOf,
} from '../support/harness';
import { jimengWorkflow, simulatorCredential } from '../support/workflows';

async function descriptionOf(type: string): Promise<INodeTypeDescription> {
	const { nodeTypes } = await loadPackage();
	return nodeTypes.getByNameAndVersion(type, 1).description;
}

function nodeWith(type: string, description: INodeTypeDescription, values: INodeParameters): INode {
	const node: INode = {
		id: 'a1',
		name: 'Jimeng',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	// As the editor does: the saved values plus the defaults of every displayed parameter.
	node.parameters =
		NodeHelpers.getNodeParameters(description.properties, values, true, false, node, description) ??
		{};
	return node;
}

async function subtitleOf(type: string, values: INodeParameters): Promise<unknown> {
	const { nodeTypes } = await loadPackage();
	const description = await descriptionOf(type);
	const node = nodeWith(type, description, values);
	const workflow = new Workflow({
		id: 'w1',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	return workflow.expression.getSimpleParameterValue(node, description.subtitle, 'internal', {});
}

/** The displayed properties named `name` for these values (twins share a name; at most one shows). */
function displayed(
	description: INodeTypeDescription,
	values: INodeParameters,
	name: string,
): INodeProperties[] {
	const node = nodeWith('x', description, values);
	return description.properties.filter(
		(property) =>
			property.name === name &&
			NodeHelpers.displayParameter(node.parameters, property, node, description),
	);
}

function optionValues(property: INodeProperties): unknown[] {
	return (property.options ?? []).map((option) => (option as { value: unknown }).value);
}

describe('canvas subtitle', () => {
	it('shows the operation and the model short name, not the req_key', async () => {
		expect(await subtitleOf(NODE_TYPE, {})).toBe('Generate and Wait: Pro');
		expect(await subtitleOf(NODE_TYPE, { operation: 'submit', model: 'jimeng_t2v_v30' })).toBe(
			'Submit: 720p Text',
		);
		expect(
			await subtitleOf(NODE_TYPE, { operation: 'getResult', model: 'jimeng_i2v_recamera_v30' }),
		).toBe('Get Result: 720p Camera Motion');
		expect(await subtitleOf(TRIGGER_TYPE, {})).toBe('Watch Tasks: Pro');
		expect(
			await subtitleOf(TRIGGER_TYPE, { mode: 'generate', model: 'jimeng_t2v_v30_1080p' }),
		).toBe('Generate Videos: 1080p Text');
	});

	it.each(MODELS.map((model) => [model.id, model.shortName]))(
		'names %s by its short name in both nodes',
		async (id, shortName) => {
			expect(await subtitleOf(NODE_TYPE, { operation: 'submit', model: id })).toBe(
				`Submit: ${shortName}`,
			);
			expect(await subtitleOf(TRIGGER_TYPE, { mode: 'generate', model: id })).toBe(
				`Generate Videos: ${shortName}`,
			);
		},
	);

	it('short names are short and unique', () => {
		const names = MODELS.map((model) => model.shortName);
		expect(new Set(names).size).toBe(names.length);
		for (const name of names) expect(name.length).toBeLessThanOrEqual(24);
	});
});

describe('canvas subtitle with API = Seedance', () => {
	it.each(ARK_MODELS.map((model) => [model.id, model.shortName]))(
		'names %s by its short name (models.ts arkModelShortName)',
		async (id, shortName) => {
			expect(shortName).toBe(arkModelShortName(id));
			for (const [operation, label] of [
				['submit', 'Submit'],
				['generateAndWait', 'Generate and Wait'],
			])
				expect(await subtitleOf(NODE_TYPE, { api: 'ark', operation, model: id })).toBe(
					`${label}: ${shortName}`,
				);
		},
	);

	it('its default, an endpoint id, Get Result and Cancel', async () => {
		expect(await subtitleOf(NODE_TYPE, { api: 'ark' })).toBe('Generate and Wait: Seedance 1.5 Pro');
		const endpoint = 'ep-20250101123456-abcde';
		expect(await subtitleOf(NODE_TYPE, { api: 'ark', operation: 'submit', model: endpoint })).toBe(
			`Submit: ${arkModelShortName(endpoint)}`,
		);
		expect(await subtitleOf(NODE_TYPE, { api: 'ark', operation: 'getResult' })).toBe(
			'Get Result: Seedance',
		);
		expect(await subtitleOf(NODE_TYPE, { api: 'ark', operation: 'cancel' })).toBe(
			'Cancel: Seedance',
		);
	});

	it('a Jimeng node (api visual, or saved before api existed) keeps its subtitle', async () => {
		expect(await subtitleOf(NODE_TYPE, { api: 'visual', operation: 'submit' })).toBe('Submit: Pro');
	});
});

describe('option orders', () => {
	it('lists Duration 5 s then 10 s, the default first', async () => {
		const description = await descriptionOf(NODE_TYPE);
		const [duration] = displayed(description, {}, 'frames');
		expect(duration.displayName).toBe('Duration');
		expect(optionValues(duration)).toEqual([121, 241]);
		expect((duration.options ?? []).map((option) => option.name)).toEqual([
			'5 Seconds (121 Frames)',
			'10 Seconds (241 Frames)',
		]);
	});

	it('lists the default model (Pro) first, then 1080p models, then 720p models', async () => {
		for (const type of [NODE_TYPE, TRIGGER_TYPE]) {
			const description = await descriptionOf(type);
			const [model] = displayed(
				description,
				type === NODE_TYPE ? {} : { mode: 'generate' },
				'model',
			);
			const values = optionValues(model) as string[];
			expect(values[0]).toBe(DEFAULT_MODEL);
			const resolutions = values.slice(1).map((id) => MODELS.find((m) => m.id === id)?.resolution);
			expect(resolutions).toEqual(
				[...resolutions].sort(
					(a, b) => Number.parseInt(b as string) - Number.parseInt(a as string),
				),
			);
			expect(new Set(values)).toEqual(new Set(MODELS.map((m) => m.id)));
		}
	});

	it('lists Camera Strength weak → medium → strong', async () => {
		const description = await descriptionOf(NODE_TYPE);
		const [strength] = displayed(
			description,
			{ model: 'jimeng_i2v_recamera_v30' },
			'cameraStrength',
		);
		expect(optionValues(strength)).toEqual(['weak', 'medium', 'strong']);
		expect((strength.options ?? []).map((option) => option.name)).toEqual([
			'Weak',
			'Medium',
			'Strong',
		]);
	});
});

describe('Aspect Ratio', () => {
	const sizeText = (resolution: '720p' | '1080p', ratio: '16:9' | '9:16') =>
		`${ratio} → ${OUTPUT_SIZES[resolution][ratio].width}×${OUTPUT_SIZES[resolution][ratio].height}`;

	it.each([
		['jimeng_ti2v_v30_pro', '1080p'],
		['jimeng_t2v_v30_1080p', '1080p'],
		['jimeng_t2v_v30', '720p'],
	] as const)('lists the sizes of %s (%s)', async (model, resolution) => {
		const description = await descriptionOf(NODE_TYPE);
		const shown = displayed(description, { operation: 'submit', model }, 'aspectRatio');
		expect(shown).toHaveLength(1);
		expect(shown[0].description).toContain(sizeText(resolution, '16:9'));
		expect(shown[0].description).toContain(sizeText(resolution, '9:16'));
		const other = resolution === '720p' ? '1080p' : '720p';
		expect(shown[0].description).not.toContain(sizeText(other, '16:9'));
		expect(optionValues(shown[0])).toEqual(['16:9', '4:3', '1:1', '3:4', '9:16', '21:9']);
	});

	it('the 720p sizes keep each ratio (within rounding to 16 px)', () => {
		for (const [ratio, size] of Object.entries(OUTPUT_SIZES['720p'])) {
			const [a, b] = ratio.split(':').map(Number);
			expect(Math.abs(size.width / size.height - a / b) / (a / b)).toBeLessThan(0.03);
			expect((size.width % 16) + (size.height % 16)).toBe(0);
		}
	});

	it('is hidden when an image source is used, shown for text-to-video', async () => {
		const description = await descriptionOf(NODE_TYPE);
		expect(
			displayed(description, { model: DEFAULT_MODEL, imageSource: 'none' }, 'aspectRatio'),
		).toHaveLength(1);
		for (const imageSource of ['binary', 'url', 'base64']) {
			expect(
				displayed(description, { model: DEFAULT_MODEL, imageSource }, 'aspectRatio'),
			).toHaveLength(0);
		}
		for (const model of MODELS.filter((m) => !m.takesAspectRatio)) {
			expect(displayed(description, { model: model.id }, 'aspectRatio')).toHaveLength(0);
		}
	});

	it('a value saved by an older version beside an image source is still accepted (and not sent)', async () => {
		const sim = new JimengSimulator({ queueMs: 50, generateMs: 50, seed: 3 });
		await sim.start();
		try {
			const harness = await createHarness([simulatorCredential(sim)]);
			const run = await harness.run(
				jimengWorkflow({
					operation: 'submit',
					imageSource: 'url',
					imageUrl: 'https://cdn.example.com/first.png',
					aspectRatio: '4:3',
				}),
			);
			expect(errorOf(run, 'Jimeng Video')).toBeUndefined();
			expect(outputOf(run, 'Jimeng Video')[0].json.task_id).toEqual(expect.any(String));
			expect(sim.submits()).toHaveLength(1);
			expect(sim.submits()[0].body).toMatchObject({
				image_urls: ['https://cdn.example.com/first.png'],
			});
			expect(sim.submits()[0].body).not.toHaveProperty('aspect_ratio');
		} finally {
			await sim.stop();
		}
	});

	it("shows in the trigger's generate mode for the text-to-video models", async () => {
		const description = await descriptionOf(TRIGGER_TYPE);
		expect(
			displayed(description, { mode: 'generate', model: 'jimeng_t2v_v30' }, 'aspectRatio')[0]
				.description,
		).toContain(sizeText('720p', '16:9'));
		expect(displayed(description, { mode: 'watchTasks' }, 'aspectRatio')).toHaveLength(0);
	});
});

describe('display conditions name parameters of their own node', () => {
	// n8n 1.x (n8n-workflow 1.120) cannot resolve a condition on a parameter the node lacks: it throws
	// "Could not resolve parameter dependencies" and the workflow never activates. n8n 2.x skips it.
	it.each([
		['Jimeng Video', NODE_TYPE],
		['Jimeng Video Trigger', TRIGGER_TYPE],
	])('%s', async (_name, type) => {
		const description = await descriptionOf(type);
		const names = new Set(description.properties.map((property) => property.name));
		const dangling: string[] = [];
		for (const property of description.properties) {
			const { show = {}, hide = {} } = property.displayOptions ?? {};
			for (const key of [...Object.keys(show), ...Object.keys(hide)]) {
				// `@version`, `@tool` and `/path` conditions are n8n's own, not sibling parameters.
				if (!key.startsWith('@') && !key.startsWith('/') && !names.has(key))
					dangling.push(`${property.name} → ${key}`);
			}
		}
		expect(dangling).toEqual([]);
	});
});

describe('trigger fields', () => {
	it('labels its own mode "Trigger On" (parameter name stays `mode`), not a second "Mode"', async () => {
		const description = await descriptionOf(TRIGGER_TYPE);
		const mode = description.properties.find((property) => property.name === 'mode');
		expect(mode?.displayName).toBe('Trigger On');
		expect(
			description.properties.filter((property) => property.displayName === 'Mode'),
		).toHaveLength(0);
	});
});
