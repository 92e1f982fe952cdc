/**
 * Recognising the task of a create whose answer was lost, among listed tasks: exact visible
 * parameters, created within the window, never a known task, never a guess between two.
 */
import { buildArkRequest, type ArkTask } from '../../nodes/shared/ark';
import { listPath } from '../../nodes/shared/ark/transport/taskCalls';
import {
	fingerprintOf,
	matchCreatedTask,
	taskMatches,
	type MatchWindow,
} from '../../nodes/shared/ark/transport/listMatching';

const MODEL = 'doubao-seedance-1-5-pro-251215';
const SENT_AT = Date.UTC(2026, 4, 14, 10, 15, 21, 400);
const WINDOW: MatchWindow = { fromMs: SENT_AT - 1400 - 30_000, toMs: SENT_AT + 5000 + 30_000 };
const body = buildArkRequest(
	{
		model: MODEL,
		prompt: 'x',
		resolution: '720p',
		ratio: '16:9',
		duration: 5,
		generateAudio: true,
	},
	{ randomSeed: () => 3_000_000_001 },
).body;
const print = fingerprintOf(body);

const task = (overrides: Partial<ArkTask> = {}): ArkTask => ({
	id: 'cgt-20260514181521-aaaaa',
	status: 'queued',
	model: MODEL,
	created_at: Math.floor(SENT_AT / 1000),
	seed: 3_000_000_001,
	resolution: '720p',
	ratio: '16:9',
	duration: 5,
	generate_audio: true,
	service_tier: 'default',
	...overrides,
});

describe('taskMatches', () => {
	it('matches the task with the same seed, settings and a created_at in the window', () => {
		expect(taskMatches(task(), print, WINDOW)).toBe(true);
		// created_at is whole seconds: the second of the send counts, and a clock 30 s apart too
		expect(taskMatches(task({ created_at: Math.floor(SENT_AT / 1000) - 30 }), print, WINDOW)).toBe(
			true,
		);
	});

	it.each<[string, Partial<ArkTask>]>([
		['another seed', { seed: 1 }],
		['no seed shown', { seed: undefined }],
		['another resolution', { resolution: '1080p' }],
		['another ratio', { ratio: '9:16' }],
		['another duration', { duration: 10 }],
		['silent', { generate_audio: false }],
		['another model', { model: 'doubao-seedance-1-0-pro-250528' }],
		['the flex tier', { service_tier: 'flex' }],
		['created too early', { created_at: Math.floor(SENT_AT / 1000) - 60 }],
		['created after now', { created_at: Math.floor(SENT_AT / 1000) + 120 }],
		['no created_at', { created_at: undefined }],
	])('does not match a task with %s', (_name, overrides) => {
		expect(taskMatches(task(overrides), print, WINDOW)).toBe(false);
	});

	it('adaptive ratio and duration -1 match whatever Ark picked; an endpoint id skips the model', () => {
		const loose = fingerprintOf({
			...body,
			model: 'ep-20260101000000-abcde',
			ratio: 'adaptive',
			duration: -1,
		});
		expect(
			taskMatches(
				task({ model: 'doubao-seedance-2-0-260128', ratio: '4:3', duration: 7 }),
				loose,
				WINDOW,
			),
		).toBe(true);
	});

	it('a draft reuse is recognised by its draft task id', () => {
		const reuse = buildArkRequest({ model: MODEL, draftTaskId: 'cgt-20260514000000-draft' }).body;
		const reusePrint = fingerprintOf(reuse);
		expect(reusePrint.seed).toBeUndefined();
		expect(
			taskMatches(task({ draft_task_id: 'cgt-20260514000000-draft', seed: 9 }), reusePrint, WINDOW),
		).toBe(true);
		expect(taskMatches(task({ draft_task_id: 'cgt-other' }), reusePrint, WINDOW)).toBe(false);
		expect(taskMatches(task({ draft_task_id: undefined }), reusePrint, WINDOW)).toBe(false);
	});
});

describe('matchCreatedTask', () => {
	const other = task({ id: 'cgt-other', seed: 7 });

	it('finds the one match', () => {
		expect(matchCreatedTask([other, task()], print, WINDOW)).toEqual({
			kind: 'found',
			task: task(),
		});
	});

	it('never adopts a known task', () => {
		expect(matchCreatedTask([task()], print, WINDOW, new Set([task().id]))).toEqual({
			kind: 'none',
		});
	});

	it('never guesses between two', () => {
		const twin = task({ id: 'cgt-twin' });
		expect(matchCreatedTask([task(), twin], print, WINDOW)).toEqual({
			kind: 'ambiguous',
			taskIds: [task().id, 'cgt-twin'],
		});
	});

	it('counts a task listed twice (overlapping pages) once', () => {
		expect(matchCreatedTask([task(), task()], print, WINDOW).kind).toBe('found');
	});
});

describe('listPath', () => {
	it('repeats filter.task_ids, encodes values, defaults to page 1 of 10', () => {
		expect(listPath({})).toBe('/contents/generations/tasks?page_num=1&page_size=10');
		expect(
			listPath({
				pageNum: 2,
				pageSize: 50,
				model: 'ep-1',
				serviceTier: 'flex',
				status: 'queued',
				taskIds: ['cgt-a', 'cgt b'],
			}),
		).toBe(
			'/contents/generations/tasks?page_num=2&page_size=50&filter.status=queued&filter.task_ids=cgt-a&filter.task_ids=cgt%20b&filter.model=ep-1&filter.service_tier=flex',
		);
	});
});
