/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * Seedance (API = Seedance on Volcengine Ark, issue 21) in a real n8n, against the Ark side of the
 * one simulator (`new JimengSimulator({ ark })`, Ark under /api/v3 on the same port):
 * - headless (`n8n execute`): the text-to-video-with-audio example (the mp4 byte for byte, with an
 *   AAC track), first + last frame and reference images from binary data made in the workflow, the
 *   last-frame chain example (each clip starts from the previous clip's last frame), Cancel of a
 *   queued and of a running task, a create answered 500 after the task was made (settled by listing);
 * - `n8n start`: the trigger's Watch Account mode emits every task of the account that ends while it
 *   watches — made by other clients with the Ark key, by a Submit workflow, from the editor — once each.
 * What the simulator received is read from its request log (`media`: each data: URL's role and sha256).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { ExecutionRun } from '../../tooling/n8n-host/n8nCli';
import type { N8nServer } from '../../tooling/n8n-host/server';
import {
	AUDIO_FIXTURE_PATH,
	DEFAULT_ARK_API_KEY,
	FIXTURE_PATH,
	greyPng,
	type ArkRequestLogEntry,
	type ArkSimulator,
	type JimengSimulator,
} from '../../tooling/simulator';
import { formatMs } from '../../tooling/n8n-host/proc';
import { triggerExecutions } from './hardening';
import type { Report } from './report';
import {
	arkCreateDirect,
	binaryBytes,
	describeBinary,
	mp4SampleEntries,
	nodeItems,
	sleep,
	waitFor,
	type ExecuteOutcome,
	type RunItem,
} from './support';
import {
	SEEDANCE_2_MODEL,
	SEEDANCE_NODE,
	buildSeedanceWorkflows,
	type CredentialRef,
	type SeedanceWorkflows,
	type Workflow,
} from './workflows';

export const SEEDANCE_CHECKS = {
	audio: 'Seedance text → video with audio (mp4a)',
	frames: 'Seedance first + last frame from binary',
	references: 'Seedance reference images from binary',
	chain: 'Seedance last-frame chain example (3 clips)',
	cancel: 'Seedance Cancel: queued → cancelled, running refused',
	ambiguous: 'Seedance create answered 500: found by listing',
	watchStart: 'Watch Account (n8n start): tasks made meanwhile',
	watchEmits: 'Watch Account: every task emitted once',
} as const;

/** The Ark credential every Seedance workflow uses (the simulator's, on the same port). */
export const ARK_CREDENTIAL: CredentialRef = { id: 'E2eSeedanceSimu1', name: 'Seedance simulator' };
const PRO_15 = 'doubao-seedance-1-5-pro-251215';
const CHAIN_NODES = ['Clip 1', 'Clip 2', 'Clip 3'];
/** How long the Cancel check's tasks stay queued / running: past the headless runs. */
const HOLD_MS = 30 * 60_000;

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const short = (hash: string) => hash.slice(0, 12);

let fixtures: { audio: Buffer; silent: Buffer } | undefined;
/** The simulator's two videos: with sound (generate_audio) and silent. */
export function arkFixtures(): { audio: Buffer; silent: Buffer } {
	fixtures ??= { audio: readFileSync(AUDIO_FIXTURE_PATH), silent: readFileSync(FIXTURE_PATH) };
	return fixtures;
}

/** The Ark credential's fields for the simulator (a test key, not a secret). */
export function arkCredentialData(sim: JimengSimulator): Record<string, string> {
	return { apiKey: DEFAULT_ARK_API_KEY, baseUrl: `${sim.url}/api/v3` };
}

/** Four PNGs (640×360 grey, each naming itself): what the media workflow's Code node makes. */
const IMAGES = {
	first: greyPng(640, 360, 'e2e first frame'),
	last: greyPng(640, 360, 'e2e last frame'),
	ref_1: greyPng(640, 360, 'e2e reference image 1'),
	ref_2: greyPng(480, 640, 'e2e reference image 2'),
};

/**
 * A succeeded Seedance item's video as the user gets it: binary `data`, video/mp4, `<task_id>.mp4`,
 * the simulator's mp4 byte for byte (with sound: test/fixtures/sample-audio.mp4), and its tracks
 * read from the file's boxes: an `mp4a` (AAC) sample entry exactly when sound was asked for.
 */
export function expectArkVideo(userFolderDir: string, item: RunItem, sound: boolean): string {
	const taskId = String(item.json.task_id);
	const binary = item.binary?.data;
	assert.ok(binary, `no binary "data" on the item: ${JSON.stringify(item.json)}`);
	assert.equal(binary.mimeType, 'video/mp4', `mimeType of ${describeBinary(binary)}`);
	assert.equal(binary.fileName, `${taskId}.mp4`, `fileName of ${describeBinary(binary)}`);
	const { bytes, where } = binaryBytes(userFolderDir, binary);
	const expected = sound ? arkFixtures().audio : arkFixtures().silent;
	assert.ok(
		bytes.equals(expected),
		`the video (${bytes.length} bytes, sha256 ${short(sha256(bytes))}) is not the simulator's ${sound ? 'mp4 with sound' : 'silent mp4'} (${expected.length} bytes, sha256 ${short(sha256(expected))})`,
	);
	const tracks = mp4SampleEntries(bytes);
	const hasAac = tracks.some((entries) => entries.includes('mp4a'));
	assert.equal(
		hasAac,
		sound,
		`sample entries ${JSON.stringify(tracks)}: ${sound ? 'no' : 'an'} mp4a (AAC) track`,
	);
	return `${taskId}.mp4, ${bytes.length} bytes, sha256 ${short(sha256(bytes))}, tracks ${tracks.map((t) => t.join('+')).join(', ')}; ${where}`;
}

export interface SeedanceRunner {
	/** One `n8n execute` of the workflow (offline: only the simulator may be reached). */
	execute: (workflow: Workflow) => Promise<ExecuteOutcome>;
	expectSuccess: (run: ExecuteOutcome) => ExecutionRun;
}

interface WatchState {
	workflowId: string;
	/** the Ark log's length when the trigger was published: its tasks are the ones to be emitted */
	mark: number;
	activatedAt: number;
	tasks: { direct: string; moderated: string; submitted: string };
}

export class SeedanceChecks {
	readonly ark: ArkSimulator;
	private cancelIds: [string, string] = ['', ''];
	private built: SeedanceWorkflows | undefined;
	private mediaRun: Promise<{ run: ExecutionRun; mark: number }> | undefined;
	private watch: WatchState | undefined;

	constructor(
		private readonly report: Report,
		private readonly repoDir: string,
		private readonly sim: JimengSimulator,
		/** the n8n user folder (its binary store), once there is one */
		private readonly userFolderDir: () => string,
		private readonly timing: { queueMs: number; generateMs: number },
	) {
		if (!sim.ark) throw new Error('the simulator serves no Ark API: construct it with { ark }');
		this.ark = sim.ark;
	}

	credentials(): Array<CredentialRef & { type: string; data: Record<string, unknown> }> {
		return [{ ...ARK_CREDENTIAL, type: 'volcengineArkApi', data: arkCredentialData(this.sim) }];
	}

	private get workflowsBuilt(): SeedanceWorkflows {
		if (!this.built) throw new Error('SeedanceChecks.workflows() was not called');
		return this.built;
	}

	workflows(credential: CredentialRef, pollIntervalSec: number): Workflow[] {
		this.built = buildSeedanceWorkflows({
			credential,
			arkCredential: ARK_CREDENTIAL,
			simulatorUrl: this.sim.url,
			pollIntervalSec,
			images: IMAGES,
			cancelTaskIds: this.cancelIds,
		});
		return Object.values(this.built);
	}

	/** The text-to-video-with-audio example as imported (the editor check runs it too). */
	get audioWorkflow(): Workflow {
		return this.workflowsBuilt.audio;
	}

	private since(mark: number): ArkRequestLogEntry[] {
		return this.ark.requests.slice(mark);
	}

	private async createDirect(body: Record<string, unknown>): Promise<string> {
		return await arkCreateDirect(this.repoDir, arkCredentialData(this.sim), {
			model: PRO_15,
			ratio: '16:9',
			duration: 5,
			generate_audio: false,
			...body,
		});
	}

	/**
	 * Before the workflows are imported (Cancel names its tasks): one task held queued and one held
	 * running (created with long simulated times, then the times restored).
	 */
	async prepare(): Promise<void> {
		const restore = { queueMs: this.timing.queueMs, generateMs: this.timing.generateMs };
		try {
			this.ark.configure({ queueMs: HOLD_MS });
			const queued = await this.createDirect({
				content: [{ type: 'text', text: 'A kite over a beach (e2e Cancel, kept queued)' }],
			});
			this.ark.configure({ queueMs: 0, generateMs: HOLD_MS });
			const running = await this.createDirect({
				content: [{ type: 'text', text: 'A kite over a beach (e2e Cancel, kept running)' }],
			});
			await waitFor(
				`task ${running} running`,
				10_000,
				() => (this.ark.task(running)?.status === 'running' ? true : undefined),
				20,
			);
			this.cancelIds = [queued, running];
		} finally {
			this.ark.configure(restore);
		}
		this.report.note(
			`Ark: task ${this.cancelIds[0]} held queued, ${this.cancelIds[1]} held running (for Cancel; created with the Ark key)`,
		);
	}

	// ---- headless (n8n execute) -------------------------------------------------------------------

	async checkAudio(runner: SeedanceRunner): Promise<void> {
		const workflow = this.workflowsBuilt.audio;
		const mark = this.ark.requests.length;
		const run = runner.expectSuccess(await runner.execute(workflow));
		const [item, ...rest] = nodeItems(run, SEEDANCE_NODE);
		assert.ok(item && rest.length === 0, 'one item expected');
		const json = item.json;
		assert.equal(json.status, 'succeeded', `item: ${JSON.stringify(json)}`);
		const created = this.since(mark).filter((e) => e.taskCreated);
		assert.deepEqual(
			created.map((e) => e.taskId),
			[json.task_id],
			'exactly this task created',
		);
		const body = created[0]!.body as Record<string, unknown>;
		assert.equal(
			body.generate_audio,
			true,
			`the create asked for no sound: ${JSON.stringify(body)}`,
		);
		assert.equal(json.generate_audio, true, `generate_audio in the item: ${json.generate_audio}`);
		const usage = this.ark.task(String(json.task_id))?.usage as
			| { completion_tokens?: number }
			| undefined;
		assert.ok(usage?.completion_tokens, 'the simulator reports no tokens for the task');
		assert.equal(json.tokens, usage.completion_tokens, 'tokens in the item');
		assert.ok(
			typeof json.estimated_cost_cny === 'number' && json.estimated_cost_cny > 0,
			`estimated_cost_cny: ${JSON.stringify(json.estimated_cost_cny)}`,
		);
		const video = expectArkVideo(this.userFolderDir(), item, true);
		// The same parser finds no AAC track in the silent fixture: it tells the two apart.
		assert.ok(
			!mp4SampleEntries(arkFixtures().silent).some((entries) => entries.includes('mp4a')),
			'the mp4 parser finds an mp4a track in the silent fixture',
		);
		this.report.note(
			`task ${String(json.task_id)} ${String(json.status)} (${String(json.model)}, ${String(json.resolution)} ${String(json.ratio)}, ${String(json.duration)} s): generate_audio ${String(json.generate_audio)}, tokens ${String(json.tokens)}, estimated_cost_cny ${String(json.estimated_cost_cny)}`,
		);
		this.report.note(`video ${video} = ${AUDIO_FIXTURE_PATH.split('/').slice(-2).join('/')}`);
	}

	private runMedia(runner: SeedanceRunner): Promise<{ run: ExecutionRun; mark: number }> {
		this.mediaRun ??= (async () => {
			const mark = this.ark.requests.length;
			const run = runner.expectSuccess(await runner.execute(this.workflowsBuilt.media));
			return { run, mark };
		})();
		return this.mediaRun;
	}

	/** The submitted item of `node`, and the create the simulator logged for its task. */
	private submitted(
		run: ExecutionRun,
		mark: number,
		node: string,
	): { item: RunItem; create: ArkRequestLogEntry } {
		const [item, ...rest] = nodeItems(run, node);
		assert.ok(item && rest.length === 0, `${node}: one item expected`);
		assert.equal(item.json.status, 'queued', `${node}: ${JSON.stringify(item.json)}`);
		const creates = this.since(mark).filter(
			(e) => e.call === 'create' && e.taskId === item.json.task_id,
		);
		assert.equal(creates.length, 1, `${node}: creates of task ${String(item.json.task_id)}`);
		assert.equal(creates[0]!.taskCreated, true);
		return { item, create: creates[0]! };
	}

	/** What the simulator received as data: URLs: role, media type, sha256; and the content's roles. */
	private received(create: ArkRequestLogEntry): {
		media: Array<[string | null, string, string]>;
		roles: Array<string | null>;
	} {
		const content = (create.body as { content?: Array<Record<string, unknown>> }).content ?? [];
		return {
			media: create.media.map((m) => [m.role, m.mimeType, m.sha256]),
			roles: content.map((c) => (typeof c.role === 'string' ? c.role : String(c.type))),
		};
	}

	async checkFrames(runner: SeedanceRunner): Promise<void> {
		const { run, mark } = await this.runMedia(runner);
		const { item, create } = this.submitted(run, mark, 'First and Last Frame');
		const got = this.received(create);
		assert.deepEqual(got.roles, ['text', 'first_frame', 'last_frame'], 'the content sent');
		assert.deepEqual(
			got.media,
			[
				['first_frame', 'image/png', sha256(IMAGES.first)],
				['last_frame', 'image/png', sha256(IMAGES.last)],
			],
			'the data: URLs the simulator received (role, type, sha256 of the bytes)',
		);
		const images = nodeItems(run, 'Make Images')[0]?.binary ?? {};
		this.report.note(
			`Code node "Make Images" → binary ${Object.keys(images).join(', ')} (PNG 640×360 each, made in the workflow)`,
		);
		this.report.note(
			`Submit → task ${String(item.json.task_id)} (${String(item.json.status)}); the simulator received ${create.media.map((m) => `${m.role} data:${m.mimeType} (${m.bytes} bytes, sha256 ${short(m.sha256)})`).join(', ')} = the binaries first, last`,
		);
	}

	async checkReferences(runner: SeedanceRunner): Promise<void> {
		const { run, mark } = await this.runMedia(runner);
		const { item, create } = this.submitted(run, mark, 'Reference Images');
		assert.equal(create.model, SEEDANCE_2_MODEL, 'the model of the create');
		const got = this.received(create);
		assert.deepEqual(got.roles, ['text', 'reference_image', 'reference_image'], 'the content sent');
		assert.deepEqual(
			got.media,
			[
				['reference_image', 'image/png', sha256(IMAGES.ref_1)],
				['reference_image', 'image/png', sha256(IMAGES.ref_2)],
			],
			'the data: URLs the simulator received (role, type, sha256 of the bytes), in order',
		);
		this.report.note(
			`Submit (${SEEDANCE_2_MODEL}) → task ${String(item.json.task_id)}; the simulator received ${create.media.map((m) => `${m.role} data:${m.mimeType} (${m.bytes} bytes, sha256 ${short(m.sha256)})`).join(', ')} = the binaries ref_1, ref_2 in order`,
		);
	}

	async checkChain(runner: SeedanceRunner): Promise<void> {
		const mark = this.ark.requests.length;
		const run = runner.expectSuccess(await runner.execute(this.workflowsBuilt.chain));
		const clips = CHAIN_NODES.map((name) => {
			const [item, ...rest] = nodeItems(run, name);
			assert.ok(item && rest.length === 0, `${name}: one item expected`);
			assert.equal(item.json.status, 'succeeded', `${name}: ${JSON.stringify(item.json)}`);
			return item;
		});
		const ids = clips.map((clip) => String(clip.json.task_id));
		const creates = this.since(mark).filter((e) => e.call === 'create');
		assert.deepEqual(
			creates.map((e) => e.taskId),
			ids,
			'the creates the simulator received (three, one per clip, in order)',
		);
		assert.ok(creates.every((e) => e.taskCreated));
		assert.deepEqual(creates[0]!.media, [], 'clip 1 sent an image');
		for (const n of [1, 2]) {
			const previous = clips[n - 1]!;
			const frame = previous.binary?.last_frame;
			assert.ok(frame, `${CHAIN_NODES[n - 1]} has no binary last_frame`);
			assert.equal(frame.mimeType, 'image/png');
			const { bytes } = binaryBytes(this.userFolderDir(), frame);
			const served = this.ark.lastFrameBytes(ids[n - 1]!);
			assert.ok(
				served && bytes.equals(served),
				`${CHAIN_NODES[n - 1]}'s last_frame is not what the simulator served for task ${ids[n - 1]}`,
			);
			assert.deepEqual(
				creates[n]!.media.map((m) => [m.role, m.mimeType, m.sha256]),
				[['first_frame', 'image/png', sha256(bytes)]],
				`${CHAIN_NODES[n]}'s first frame is not ${CHAIN_NODES[n - 1]}'s last frame (sha256 ${short(sha256(bytes))})`,
			);
			// Each task's last frame differs (it names the task): the match above identifies the clip.
			const own = this.ark.lastFrameBytes(ids[n]!);
			assert.ok(own && !own.equals(bytes), 'two clips have the same last frame');
		}
		const [story, ...more] = nodeItems(run, 'Clips in Order');
		assert.ok(story && more.length === 0, '"Clips in Order": one item expected');
		assert.deepEqual(Object.keys(story.binary ?? {}), ['clip_1', 'clip_2', 'clip_3']);
		assert.deepEqual(story.json.task_ids, ids, 'task_ids of the final item');
		const videos = ids.map((id, i) => {
			const clip = story.binary![`clip_${i + 1}`]!;
			assert.equal(clip.fileName, `${id}.mp4`, `clip_${i + 1} is not clip ${i + 1}'s video`);
			return expectArkVideo(
				this.userFolderDir(),
				{ json: { task_id: id }, binary: { data: clip } },
				true,
			);
		});
		this.report.note(
			`3 tasks ${ids.join(' → ')}; clip 2's first frame = clip 1's last_frame (sha256 ${short(creates[1]!.media[0]!.sha256)}), clip 3's = clip 2's (sha256 ${short(creates[2]!.media[0]!.sha256)})`,
		);
		this.report.note(
			`"Clips in Order": one item, binary ${Object.keys(story.binary!).join(', ')}: ${videos[0]!.split(';')[0]}, …`,
		);
	}

	async checkCancel(runner: SeedanceRunner): Promise<void> {
		const [queued, running] = this.cancelIds;
		try {
			assert.equal(this.ark.task(queued)?.status, 'queued', `task ${queued} is not queued`);
			assert.equal(this.ark.task(running)?.status, 'running', `task ${running} is not running`);
			const mark = this.ark.requests.length;
			const run = runner.expectSuccess(await runner.execute(this.workflowsBuilt.cancel));
			const [first, second, ...rest] = nodeItems(run, 'Cancel');
			assert.ok(first && second && rest.length === 0, 'two items expected');
			assert.deepEqual(
				{ ...first.json },
				{ task_id: queued, status: 'cancelled', previous_status: 'queued' },
				'the queued task',
			);
			assert.match(
				String(second.json.error),
				new RegExp(
					`^Ark task ${running} is running: Ark cannot cancel a running task; it finishes \\(and is billed\\) as usual\\. Nothing was changed\\.`,
				),
				`the running task's item: ${JSON.stringify(second.json)}`,
			);
			assert.equal(second.json.code, 'OperationDenied.InvalidState');
			const traffic = this.since(mark);
			const deletes = traffic.filter((e) => e.call === 'delete');
			assert.deepEqual(
				deletes.map((e) => [e.taskId, e.httpStatus]),
				[[queued, 200]],
				'the DELETEs the simulator received (none for the running task)',
			);
			assert.equal(this.ark.task(queued)?.status, 'cancelled');
			assert.equal(this.ark.task(running)?.status, 'running');
			const count = (call: string) => traffic.filter((e) => e.call === call).length;
			this.report.note(
				`${queued}: queued → ${String(first.json.status)}; ${running}: "${String(second.json.error).split('. ')[0]}." (${String(second.json.code)})`,
			);
			this.report.note(
				`simulator saw GET×${count('get')} DELETE×${deletes.length} (${deletes.map((e) => e.taskId).join(', ')}); the running task is still ${String(this.ark.task(running)?.status)}`,
			);
		} finally {
			// It must end now, before the account watch begins (it would be emitted otherwise).
			if (running && this.ark.task(running)?.status === 'running') this.ark.expireTask(running);
			if (queued && this.ark.task(queued)?.status === 'queued') this.ark.expireTask(queued);
		}
	}

	async checkAmbiguousCreate(runner: SeedanceRunner): Promise<void> {
		const mark = this.ark.requests.length;
		this.ark.configure({ faults: { serverErrorAfterCreate: 1 } });
		let run: ExecutionRun;
		try {
			run = runner.expectSuccess(await runner.execute(this.workflowsBuilt.submit));
		} finally {
			this.ark.configure({ faults: {} });
		}
		const [item, ...rest] = nodeItems(run, SEEDANCE_NODE);
		assert.ok(item && rest.length === 0, 'one item expected');
		const traffic = this.since(mark);
		const creates = traffic.filter((e) => e.call === 'create');
		assert.equal(creates.length, 1, `creates sent: ${creates.length} (each may be a paid task)`);
		const create = creates[0]!;
		assert.deepEqual(
			[create.fault, create.httpStatus, create.taskCreated],
			['serverErrorAfterCreate', 500, true],
			'the create: task made, then answered 500',
		);
		assert.equal(item.json.resolved_by_list, true, `item: ${JSON.stringify(item.json)}`);
		assert.equal(item.json.task_id, create.taskId, 'the item names another task');
		const lists = traffic.filter((e) => e.call === 'list' && e.seq > create.seq);
		assert.ok(lists.length >= 1, 'the task list was not read after the 500');
		this.report.note(
			`1 create (task ${String(create.taskId)} made, answered HTTP 500 ${String(create.errorCode)}); ${lists.length} list call(s); item: task ${String(item.json.task_id)}, status ${String(item.json.status)}, resolved_by_list ${String(item.json.resolved_by_list)}`,
		);
	}

	// ---- n8n start: Watch Account -----------------------------------------------------------------

	/**
	 * Publishes the Watch Account workflow (its activation poll marks when watching began), then
	 * makes tasks by other means: two creates with the Ark key (one the simulator fails for its
	 * content), and the Submit workflow run with `n8n execute` beside the server. The editor check
	 * adds one more (the Seedance example run from the editor).
	 */
	async startWatch(server: N8nServer, runner: SeedanceRunner): Promise<void> {
		const workflowId = this.workflowsBuilt.watch.id as string;
		const mark = this.ark.requests.length;
		await server.api('POST', `/workflows/${workflowId}/activate`);
		const activatedAt = Date.now();
		// Its activation poll lists the account (both service tiers): watching has begun.
		await waitFor(
			'the activation poll listing the account',
			60_000,
			() => (this.since(mark).filter((e) => e.call === 'list').length >= 2 ? true : undefined),
			100,
		);
		const active = await server.api<{ active: boolean }>('GET', `/workflows/${workflowId}`);
		assert.equal(active.active, true, 'the Watch Account workflow is not active');
		const direct = await this.createDirect({
			content: [{ type: 'text', text: 'A lantern floats up at night (e2e, another client)' }],
		});
		const moderated = await this.createDirect({
			content: [
				{ type: 'text', text: 'A lantern floats up at night (e2e) [sim:output-moderation]' },
			],
		});
		const submitMark = this.ark.requests.length;
		const run = runner.expectSuccess(await runner.execute(this.workflowsBuilt.submit));
		const [item] = nodeItems(run, SEEDANCE_NODE);
		assert.ok(item, 'the Submit workflow gave no item');
		const created = this.since(submitMark).filter((e) => e.taskCreated);
		assert.deepEqual(
			created.map((e) => e.taskId),
			[item.json.task_id],
			'the Submit workflow created other than its task',
		);
		this.watch = {
			workflowId,
			mark,
			activatedAt,
			tasks: { direct, moderated, submitted: String(item.json.task_id) },
		};
		this.report.note(
			`published "${this.workflowsBuilt.watch.name}" (Watch Account, every minute); its activation poll listed the account`,
		);
		this.report.note(
			`then: ${direct} and ${moderated} (fails: output moderation) created with the Ark key; ${String(item.json.task_id)} by the Submit workflow (n8n execute beside n8n start)`,
		);
	}

	/**
	 * Every Ark task created since the watch began has ended; each must be in exactly one execution's
	 * items (the video attached when it succeeded, the failure otherwise), and a later poll adds none.
	 */
	async checkWatchEmits(server: N8nServer): Promise<void> {
		const watch = this.watch;
		assert.ok(watch, 'the account watch was not started');
		const executions = triggerExecutions(server, watch.workflowId);
		try {
			const expected = [
				...new Set(
					this.since(watch.mark)
						.filter((e) => e.taskCreated)
						.map((e) => e.taskId!),
				),
			].sort();
			for (const id of Object.values(watch.tasks))
				assert.ok(expected.includes(id), `task ${id} is not in the simulator's log`);
			const items = new Map<string, RunItem[]>();
			const read = async () => {
				const list = await executions.list();
				for (const e of list)
					if (e.status !== 'running' && e.status !== 'new' && !items.has(e.id))
						items.set(e.id, await executions.triggerItems(e.id));
				return list;
			};
			const emittedIds = () => [...items.values()].flat().map((i) => String(i.json.task_id));
			// Polls every minute: the last task ended a while ago, so one more poll at most.
			let list = await waitFor(
				'every task emitted',
				150_000,
				async () => {
					const current = await read();
					return expected.every((id) => emittedIds().includes(id)) ? current : undefined;
				},
				5_000,
			);
			const lastStop = Math.max(...list.map((e) => Date.parse(e.stoppedAt ?? '') || 0));
			// Another tick: a poll that lists the account after the last emission was saved.
			const tickStarted = Date.now();
			await waitFor(
				'a poll after the last emission',
				90_000,
				() =>
					this.ark.requests.some((e) => e.call === 'list' && e.at > lastStop + 500)
						? true
						: undefined,
				1_000,
			);
			await sleep(5_000);
			const waitedMs = Date.now() - tickStarted;
			list = await read();
			const ids = emittedIds();
			const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
			assert.deepEqual(twice, [], `emitted more than once: ${twice.join(', ')}`);
			assert.deepEqual(
				[...ids].sort(),
				expected,
				'the tasks emitted ≠ the tasks that ended while watching',
			);
			assert.ok(
				list.every((e) => e.status === 'success'),
				`executions: ${JSON.stringify(list)}`,
			);
			const byId = new Map([...items.values()].flat().map((i) => [String(i.json.task_id), i]));
			const videos: string[] = [];
			for (const id of expected) {
				const item = byId.get(id)!;
				const task = this.ark.task(id)!;
				if (task.status === 'succeeded') {
					assert.equal(
						item.json.status,
						'succeeded',
						`item of ${id}: ${JSON.stringify(item.json)}`,
					);
					expectArkVideo(this.userFolderDir(), item, task.generate_audio === true);
					videos.push(id);
				} else {
					assert.equal(
						item.json.status,
						task.status,
						`item of ${id}: ${JSON.stringify(item.json)}`,
					);
					assert.equal(item.binary, undefined, `the failed task ${id} carries binary data`);
				}
			}
			const failed = byId.get(watch.tasks.moderated)!;
			assert.equal(failed.json.status, 'failed');
			assert.equal(failed.json.error_code, 'OutputVideoSensitiveContentDetected');
			const polls = this.since(watch.mark).filter((e) => e.call === 'list').length;
			this.report.note(
				`${list.length} execution(s) (${list.map((e) => e.id).join(', ')}), ${ids.length} items: ${expected.length} tasks ended while watching, each once; ${videos.length} with the video = the simulator's mp4, ${watch.tasks.moderated} failed (${String(failed.json.error_code)})`,
			);
			this.report.note(
				`${polls} list calls since watching began (${formatMs(Date.now() - watch.activatedAt)}); waited ${formatMs(waitedMs)} for a poll after the last emission: no new execution`,
			);
		} finally {
			await server.api('POST', `/workflows/${watch.workflowId}/deactivate`).catch(() => undefined);
		}
	}
}
