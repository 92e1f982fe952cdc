/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
// The Ark simulator's tasks: queued → running → succeeded | failed, expired past
// execution_expires_after, cancelled by DELETE while queued. Per account and model at most
// `concurrency` tasks run; the rest wait queued (Ark's concurrency limit queues, it does not refuse).
// Every status change is reported to `onChange` (callbacks).
import { completionTokens } from './arkModels';
import type { ValidCreate } from './arkValidation';

export type ArkSimStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'expired' | 'cancelled';

export interface ArkSimTask {
	id: string;
	apiKey: string;
	request: ValidCreate;
	status: ArkSimStatus;
	error: { code: string; message: string } | null;
	createdAt: number;
	updatedAt: number;
	/** where the client reached the simulator: result URLs are under it */
	base: string;
	/** an output moderation failure decided at create */
	failCode: string | null;
	videoUrl?: string;
	lastFrameUrl?: string;
}

export interface LifecycleSettings {
	queueMs: number;
	generateMs: number;
	/** running tasks per account and model; null: unlimited */
	concurrency: number | null;
	/** ms per second of execution_expires_after (1000: real time) */
	expiresAfterScaleMs: number;
}

export interface LifecycleHooks {
	onChange(task: ArkSimTask): void;
	/** signs the result URLs when a task succeeds */
	sign(task: ArkSimTask): void;
}

/** Ark's task object as GET, list and callbacks give it. */
export function taskView(task: ArkSimTask): Record<string, unknown> {
	const r = task.request;
	const view: Record<string, unknown> = {
		id: task.id,
		model: r.model,
		status: task.status,
		error: task.error,
		created_at: Math.floor(task.createdAt / 1000),
		updated_at: Math.floor(task.updatedAt / 1000),
		seed: r.seed,
		resolution: r.resolution,
		ratio: r.ratio,
		...(r.frames === undefined ? { duration: r.seconds } : { frames: r.frames }),
		framespersecond: 24,
		service_tier: r.serviceTier,
		execution_expires_after: r.expiresAfter,
	};
	if (r.generateAudio !== undefined) view.generate_audio = r.generateAudio;
	if (r.spec.draft) view.draft = r.draft;
	if (r.draftTaskId) view.draft_task_id = r.draftTaskId;
	if (task.status === 'succeeded') {
		view.content = {
			video_url: task.videoUrl,
			...(task.lastFrameUrl ? { last_frame_url: task.lastFrameUrl } : {}),
		};
		const tokens = completionTokens(r.resolution, r.ratio, r.seconds);
		view.usage = { completion_tokens: tokens, total_tokens: tokens };
	}
	return view;
}

export class ArkLifecycle {
	/** The most tasks of one account and model running at once so far. */
	maxRunning = 0;
	private readonly timers = new Set<NodeJS.Timeout>();
	/** account+model → tasks waiting for a free slot, in order */
	private readonly waiting = new Map<string, ArkSimTask[]>();

	constructor(
		private readonly tasks: Map<string, ArkSimTask>,
		private readonly settings: LifecycleSettings,
		private readonly hooks: LifecycleHooks,
	) {}

	add(task: ArkSimTask): void {
		this.tasks.set(task.id, task);
		this.hooks.onChange(task);
		this.later(this.settings.queueMs, () => this.tryStart(task));
		this.later(task.request.expiresAfter * this.settings.expiresAfterScaleMs, () =>
			this.expire(task),
		);
	}

	/** Queued or running tasks of this account (the queue cap counts queued ones). */
	count(apiKey: string, status: ArkSimStatus): number {
		let n = 0;
		for (const task of this.tasks.values())
			if (task.apiKey === apiKey && task.status === status) n++;
		return n;
	}

	cancel(task: ArkSimTask): void {
		this.set(task, 'cancelled');
		this.removeWaiting(task);
	}

	expire(task: ArkSimTask): void {
		if (task.status !== 'queued' && task.status !== 'running') return;
		const wasRunning = task.status === 'running';
		this.removeWaiting(task);
		this.set(task, 'expired');
		if (wasRunning) this.startNext(task);
	}

	stop(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.waiting.clear();
	}

	private slotKey(task: ArkSimTask): string {
		return `${task.apiKey}\n${task.request.model}`;
	}

	private running(task: ArkSimTask): number {
		let n = 0;
		for (const other of this.tasks.values())
			if (other.status === 'running' && this.slotKey(other) === this.slotKey(task)) n++;
		return n;
	}

	private tryStart(task: ArkSimTask): void {
		if (task.status !== 'queued') return;
		const limit = this.settings.concurrency;
		if (limit !== null && this.running(task) >= limit) {
			const list = this.waiting.get(this.slotKey(task)) ?? [];
			if (!list.includes(task)) list.push(task);
			this.waiting.set(this.slotKey(task), list);
			return;
		}
		this.removeWaiting(task);
		this.set(task, 'running');
		this.maxRunning = Math.max(this.maxRunning, this.running(task));
		this.later(this.settings.generateMs, () => this.finish(task));
	}

	private finish(task: ArkSimTask): void {
		if (task.status !== 'running') return;
		if (task.failCode) {
			task.error = {
				code: task.failCode,
				message: `The request failed because the output video may contain sensitive information. Request id: ${task.id}`,
			};
			this.set(task, 'failed');
		} else {
			this.hooks.sign(task);
			this.set(task, 'succeeded');
		}
		this.startNext(task);
	}

	private startNext(finished: ArkSimTask): void {
		const next = this.waiting.get(this.slotKey(finished))?.[0];
		if (next) this.tryStart(next);
	}

	private removeWaiting(task: ArkSimTask): void {
		const list = this.waiting.get(this.slotKey(task));
		if (list?.includes(task)) list.splice(list.indexOf(task), 1);
	}

	private set(task: ArkSimTask, status: ArkSimStatus): void {
		task.status = status;
		task.updatedAt = Date.now();
		this.hooks.onChange(task);
	}

	private later(ms: number, fn: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, ms);
		this.timers.add(timer);
	}
}
