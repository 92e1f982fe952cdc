/**
 * A task as the contract's output json, its cost estimate from the price table (overridable), the
 * model table the editor lists, and the task reader.
 */
import type { INode } from 'n8n-workflow';

import {
	ARK_MODELS,
	ARK_PRICES,
	arkModelOptions,
	arkModelShortName,
	arkTaskError,
	arkTaskJson,
	estimateArkCostCny,
	readArkTask,
	type ArkTask,
} from '../../nodes/shared/ark';

const NODE = {
	id: 'n',
	name: 'Seedance',
	type: 'test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
} as INode;

// Ark's documented example of a succeeded task (docs/ark-api.md "Task object").
const SUCCEEDED = readArkTask({
	id: 'cgt-2025',
	model: 'doubao-seedance-1-0-pro-250528',
	status: 'succeeded',
	content: {
		video_url: 'https://ark-content-generation-cn-beijing.tos-cn-beijing.volces.com/a.mp4',
	},
	seed: 10,
	resolution: '720p',
	ratio: '16:9',
	duration: 5,
	framespersecond: 24,
	usage: { completion_tokens: 108900, total_tokens: 108900 },
	created_at: 1743414619,
	updated_at: 1743414673,
})!;

describe('arkTaskJson', () => {
	it('gives every contract field, null where Ark has no value', () => {
		expect(arkTaskJson(SUCCEEDED)).toEqual({
			task_id: 'cgt-2025',
			status: 'succeeded',
			model: 'doubao-seedance-1-0-pro-250528',
			video_url: 'https://ark-content-generation-cn-beijing.tos-cn-beijing.volces.com/a.mp4',
			last_frame_url: null,
			resolution: '720p',
			ratio: '16:9',
			duration: 5,
			seed: 10,
			generate_audio: null,
			tokens: 108900,
			// 108900 tokens × 15 CNY per million
			estimated_cost_cny: 1.6335,
		});
	});

	it('marks a task found by listing, shows frames and a failure', () => {
		const failed = readArkTask({
			id: 'cgt-f',
			status: 'failed',
			frames: 121,
			error: { code: 'OutputAudioSensitiveContentDetected', message: 'The request failed…' },
		})!;
		expect(arkTaskJson(failed, undefined, { resolvedByList: true })).toMatchObject({
			status: 'failed',
			frames: 121,
			error_code: 'OutputAudioSensitiveContentDetected',
			estimated_cost_cny: 0,
			resolved_by_list: true,
		});
		const error = arkTaskError(NODE, failed);
		expect(error.details).toMatchObject({
			kind: 'task',
			code: 'OutputAudioSensitiveContentDetected',
			taskId: 'cgt-f',
			retryable: true,
		});
		expect(error.message).toMatch(
			/^Ark task cgt-f failed: OutputAudioSensitiveContentDetected\. Generated audio refused/,
		);
	});

	it('explains an expired task that has no error code', () => {
		const error = arkTaskError(NODE, { id: 'cgt-e', status: 'expired' });
		expect(error.message).toMatch(/Task expired: .*not billed/);
	});
});

describe('estimateArkCostCny', () => {
	const task = (overrides: Partial<ArkTask>): ArkTask => ({ ...SUCCEEDED, ...overrides });

	it('halves flex; 1.5 Pro silent costs half; 2.0 at 1080p has its own price', () => {
		expect(estimateArkCostCny(task({ service_tier: 'flex' }))).toBe(0.8168);
		const pro15 = {
			model: 'doubao-seedance-1-5-pro-251215',
			usage: { completion_tokens: 1_000_000 },
		};
		expect(estimateArkCostCny(task({ ...pro15, generate_audio: true }))).toBe(16);
		expect(estimateArkCostCny(task({ ...pro15, generate_audio: false }))).toBe(8);
		expect(
			estimateArkCostCny(
				task({
					model: 'doubao-seedance-2-0-260128',
					resolution: '1080p',
					usage: { completion_tokens: 1_000_000 },
				}),
			),
		).toBe(51);
	});

	it('takes the user override for any model, endpoint models included', () => {
		expect(estimateArkCostCny(task({}), { 'doubao-seedance-1-0-pro-250528': 10 })).toBe(1.089);
		expect(estimateArkCostCny(task({ model: 'doubao-seedance-2-0-fast-260128' }))).toBeNull();
		expect(
			estimateArkCostCny(task({ model: 'doubao-seedance-2-0-fast-260128' }), {
				'doubao-seedance-2-0-fast-260128': 20,
			}),
		).toBe(2.178);
	});

	it('is null while the task runs, 0 once it ended without a video', () => {
		expect(estimateArkCostCny(task({ status: 'running', usage: undefined }))).toBeNull();
		expect(estimateArkCostCny(task({ status: 'cancelled' }))).toBe(0);
		expect(estimateArkCostCny(task({ status: 'expired' }))).toBe(0);
	});

	it('has a price for every listed model but 2.0 Fast (none published)', () => {
		const priced = ARK_MODELS.filter((model) => ARK_PRICES[model.id]).map((model) => model.id);
		expect(ARK_MODELS.map((model) => model.id).filter((id) => !priced.includes(id))).toEqual([
			'doubao-seedance-2-0-fast-260128',
		]);
	});
});

describe('the model table for the editor', () => {
	it('lists at least 1.0 Pro, Pro Fast, Lite T2V and I2V, 1.5 Pro, 2.0, 2.0 Fast and 2.0 Mini', () => {
		expect(
			arkModelOptions()
				.map((option) => option.value)
				.sort(),
		).toEqual(
			[
				'doubao-seedance-1-0-lite-i2v-250428',
				'doubao-seedance-1-0-lite-t2v-250428',
				'doubao-seedance-1-0-pro-250528',
				'doubao-seedance-1-0-pro-fast-251015',
				'doubao-seedance-1-5-pro-251215',
				'doubao-seedance-2-0-260128',
				'doubao-seedance-2-0-fast-260128',
				'doubao-seedance-2-0-mini-260615',
			].sort(),
		);
		expect(arkModelOptions().every((option) => option.name.startsWith('Seedance '))).toBe(true);
		expect(arkModelShortName('ep-20260101000000-abcde')).toBe('Endpoint ep-20260101000000-abcde');
	});
});

describe('readArkTask', () => {
	it('refuses a task without id or with an unknown status; drops fields of the wrong type', () => {
		expect(readArkTask({ status: 'queued' })).toBeUndefined();
		expect(readArkTask({ id: 'x', status: 'done' })).toBeUndefined();
		expect(readArkTask({ id: 'x', status: 'queued', seed: '5', error: null })).toEqual({
			id: 'x',
			status: 'queued',
		});
	});
});
