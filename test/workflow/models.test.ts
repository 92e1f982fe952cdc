/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The whole Jimeng 3.0 video family behind one node: every model's request shape reaches the
 * simulator (which knows each model's rules), model-specific mistakes are stopped before sending,
 * and AIGC metadata travels as req_json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { MODELS } from '../../nodes/shared/jimeng/models';
import { pngBytes } from '../fixtures/images';
import { errorOf, outputOf, type WorkflowJson } from '../support/harness';
import { useSimulator } from '../support/useSimulator';
import { SIM_CREDENTIAL_ID, jimengWorkflow, type ItemSpec } from '../support/workflows';
import { b64 } from '../support/bytes';

const image = (width: number, height: number) => ({
	base64: b64(pngBytes(width, height)),
	mimeType: 'image/png',
	fileName: 'frame.png',
});

interface ModelCase {
	parameters: IDataObject;
	items?: ItemSpec[];
	/** fields the submit body must carry */
	body: IDataObject;
}

const HAPPY: Record<string, ModelCase> = {
	jimeng_ti2v_v30_pro: {
		parameters: { prompt: 'pro text', aspectRatio: '4:3' },
		body: { prompt: 'pro text', aspect_ratio: '4:3', frames: 121 },
	},
	jimeng_t2v_v30_1080p: {
		parameters: { prompt: '1080 text', aspectRatio: '21:9', frames: 241 },
		body: { prompt: '1080 text', aspect_ratio: '21:9', frames: 241 },
	},
	jimeng_t2v_v30: {
		parameters: { prompt: '720 text', aspectRatio: '9:16' },
		body: { prompt: '720 text', aspect_ratio: '9:16' },
	},
	jimeng_i2v_first_v30_1080: {
		parameters: { imageSource: 'url', imageUrl: 'https://cdn.example.com/a.png', prompt: 'move' },
		body: { image_urls: ['https://cdn.example.com/a.png'], prompt: 'move' },
	},
	jimeng_i2v_first_v30: {
		parameters: {},
		items: [{ json: {}, binary: { data: image(1280, 720) } }],
		body: { binary_data_base64: [expect.stringMatching(/^<base64 \d+ chars>$/)] },
	},
	jimeng_i2v_first_tail_v30_1080: {
		parameters: {
			imageSource: 'url',
			imageUrl: 'https://cdn.example.com/first.png',
			lastFrameImageUrl: 'https://cdn.example.com/last.png',
		},
		body: { image_urls: ['https://cdn.example.com/first.png', 'https://cdn.example.com/last.png'] },
	},
	jimeng_i2v_first_tail_v30: {
		parameters: {},
		items: [{ json: {}, binary: { data: image(1280, 720), lastFrame: image(1920, 1080) } }],
		body: { binary_data_base64: [expect.any(String), expect.any(String)] },
	},
	jimeng_i2v_recamera_v30: {
		parameters: { cameraTemplate: 'dynamic_orbit', cameraStrength: 'strong' },
		items: [{ json: {}, binary: { data: image(1000, 1000) } }],
		body: {
			template_id: 'dynamic_orbit',
			camera_strength: 'strong',
			binary_data_base64: [expect.any(String)],
		},
	},
};

const FAILURES: Array<[string, string, IDataObject, ItemSpec[] | undefined, RegExp]> = [
	[
		'jimeng_t2v_v30',
		'a text model without prompt (required: n8n refuses to start the run)',
		{ prompt: '' },
		undefined,
		/The 'Jimeng Video' node has issues:\s+- Parameter "Prompt" is required\./,
	],
	[
		'jimeng_t2v_v30',
		'a text model with a blank prompt',
		{ prompt: '   ' },
		undefined,
		/"Prompt" is required for text-to-video/,
	],
	[
		'jimeng_t2v_v30_1080p',
		'a bad aspect ratio',
		{ prompt: 'x', aspectRatio: '2:1' },
		undefined,
		/"Aspect Ratio" must be one of/,
	],
	[
		'jimeng_i2v_first_v30',
		'an image model with an ftp URL',
		{ imageSource: 'url', imageUrl: 'ftp://x/a.png' },
		undefined,
		/must use http or https/,
	],
	[
		'jimeng_i2v_first_v30_1080',
		'an image model with no binary image',
		{ imageSource: 'binary' },
		[{ json: {} }],
		/expects the node's input data to contain a binary file/,
	],
	[
		'jimeng_i2v_first_tail_v30',
		'first and last frames of different ratios',
		{},
		[{ json: {}, binary: { data: image(1280, 720), lastFrame: image(720, 1280) } }],
		/"Last Frame" must have the same aspect ratio as the first frame/,
	],
	// n8n itself refuses an empty required parameter before the node runs
	[
		'jimeng_i2v_first_tail_v30_1080',
		'a missing last frame URL',
		{ imageSource: 'url', imageUrl: 'https://cdn.example.com/first.png', lastFrameImageUrl: '' },
		undefined,
		/Parameter "Last Frame Image URL" is required/,
	],
	[
		'jimeng_i2v_first_tail_v30_1080',
		'a last frame URL that is not a URL',
		{
			imageSource: 'url',
			imageUrl: 'https://cdn.example.com/first.png',
			lastFrameImageUrl: 'last.png',
		},
		undefined,
		/"Last Frame Image URL" must be a valid http\(s\) URL/,
	],
	[
		'jimeng_i2v_recamera_v30',
		'an unknown camera template',
		{ cameraTemplate: 'barrel_roll' },
		[{ json: {}, binary: { data: image(1000, 1000) } }],
		/"Camera Template" must be one of hitchcock_dolly_in/,
	],
	[
		'jimeng_i2v_recamera_v30',
		'a 4:1 image',
		{},
		[{ json: {}, binary: { data: image(2000, 500) } }],
		/its long side must be at most 3 times its short side/,
	],
	[
		'jimeng_ti2v_v30_pro',
		'frames 240',
		{ prompt: 'x', frames: 240 },
		undefined,
		/"Duration" must be 5 s \(121 frames\) or 10 s \(241 frames\)/,
	],
];

describe('every Jimeng 3.0 model', () => {
	const { sim, harness } = useSimulator({ queueMs: 50, generateMs: 100 }, {});

	it('has a case for each model', () => {
		expect(Object.keys(HAPPY).sort()).toEqual(MODELS.map((model) => model.id).sort());
	});

	it.each(Object.entries(HAPPY))(
		'%s: Generate and Wait, with the model’s request shape accepted by the simulator',
		async (model, spec) => {
			const run = await harness.run(
				jimengWorkflow(
					{
						operation: 'generateAndWait',
						model,
						...spec.parameters,
						options: { pollInterval: 0.1 },
					},
					{ items: spec.items },
				),
			);
			const [item] = outputOf(run, 'Jimeng Video');
			expect(item.json).toMatchObject({ status: 'done', req_key: model });
			const [submit] = sim.submits();
			expect(submit.code).toBe(10000);
			expect(submit.body).toMatchObject({ req_key: model, ...spec.body });
			expect(sim.getResults().every((entry) => entry.reqKey === model)).toBe(true);
		},
	);

	it.each(FAILURES)(
		'%s: %s fails before any request',
		async (model, _what, parameters, items, message) => {
			const message_ = await harness
				.run(jimengWorkflow({ operation: 'submit', model, ...parameters }, { items }))
				.then(
					(run) => errorOf(run, 'Jimeng Video')?.message,
					(error: Error) => error.message,
				);
			expect(message_).toMatch(message);
			expect(sim.requests).toHaveLength(0);
		},
	);

	it('Get Result must use the task’s model: another req_key is not_found', async () => {
		const submitted = outputOf(
			await harness.run(
				jimengWorkflow({ operation: 'submit', model: 'jimeng_t2v_v30', prompt: 'x' }),
			),
			'Jimeng Video',
		)[0];
		const run = await harness.run(
			jimengWorkflow({ operation: 'getResult', taskId: submitted.json.task_id }),
		);
		expect(errorOf(run, 'Jimeng Video')?.message).toMatch(
			/does not know task \d+ for model jimeng_ti2v_v30_pro/,
		);
		const ok = await harness.run(
			jimengWorkflow({
				operation: 'getResult',
				model: 'jimeng_t2v_v30',
				taskId: submitted.json.task_id,
				options: { downloadVideo: false },
			}),
		);
		expect(outputOf(ok, 'Jimeng Video')[0].json.req_key).toBe('jimeng_t2v_v30');
	});

	it('aigcMeta reaches the API as a JSON string inside req_json, and the video is tagged', async () => {
		const aigcMeta = {
			contentProducer: 'Acme Studio',
			producerId: 'acme-001',
			contentPropagator: 'Acme',
			propagateId: 'post-42',
		};
		const run = await harness.run(
			jimengWorkflow({
				operation: 'generateAndWait',
				prompt: 'x',
				options: { pollInterval: 0.1, aigcMeta },
			}),
		);
		// Generate and Wait says whether the video is labelled, as Get Result does.
		expect(outputOf(run, 'Jimeng Video')[0].json).toMatchObject({
			status: 'done',
			aigc_meta_tagged: true,
		});
		const queries = sim.getResults();
		expect(queries.length).toBeGreaterThan(0);
		for (const query of queries) {
			const reqJson = (query.body as IDataObject).req_json;
			expect(typeof reqJson).toBe('string');
			expect(JSON.parse(reqJson as string)).toEqual({
				aigc_meta: {
					content_producer: 'Acme Studio',
					producer_id: 'acme-001',
					content_propagator: 'Acme',
					propagate_id: 'post-42',
				},
			});
		}
		const taskId = outputOf(run, 'Jimeng Video')[0].json.task_id;
		const viaGetResult = await harness.run(
			jimengWorkflow({
				operation: 'getResult',
				taskId,
				options: { downloadVideo: false, aigcMeta },
			}),
		);
		expect(outputOf(viaGetResult, 'Jimeng Video')[0].json.aigc_meta_tagged).toBe(true);
	});

	it('a Pro workflow saved before the model parameter existed runs unchanged', async () => {
		const saved = JSON.parse(
			readFileSync(
				join(__dirname, '..', 'fixtures', 'workflows', 'pro-text-to-video.saved.json'),
				'utf8',
			),
		) as WorkflowJson & { nodes: Array<{ credentials?: IDataObject }> };
		for (const node of saved.nodes)
			if (node.credentials)
				node.credentials = { volcengineApi: { id: SIM_CREDENTIAL_ID, name: 'Jimeng simulator' } };
		expect(JSON.stringify(saved)).not.toContain('"model"');
		const run = await harness.run(saved);
		const [item] = outputOf(run, 'Jimeng Video');
		expect(item.json).toMatchObject({
			status: 'done',
			req_key: 'jimeng_ti2v_v30_pro',
			prompt: 'A paper boat sailing down a rainy street',
			aspect_ratio: '9:16',
		});
		expect(sim.submits()[0].body).toEqual({
			req_key: 'jimeng_ti2v_v30_pro',
			prompt: 'A paper boat sailing down a rainy street',
			seed: -1,
			frames: 121,
			aspect_ratio: '9:16',
		});
	});
});
