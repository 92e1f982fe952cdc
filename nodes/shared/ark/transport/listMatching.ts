/**
 * Recognising the task an unknown-outcome create made, among the account's listed tasks. Ark's task
 * does not echo the prompt or the media, but it echoes the model, created_at, seed and the video
 * settings: the create's fingerprint is those it sent. The client draws the seed when the user left
 * -1 (requestBuilder.ts), so with 2^32 seeds a match is that create's task. Never a task the caller
 * already knows, never a guess between two. Pure.
 */
import type { ArkCreateBody } from '../requests/requestBuilder';
import { isEndpointId } from '../models';
import type { ArkTask } from '../task';

/** What a create sent that its task shows again. */
export interface CreateFingerprint {
	model: string;
	/** the model was an endpoint id: the task shows the model behind it, which the client does not know */
	endpoint: boolean;
	seed?: number;
	resolution?: string;
	ratio?: string;
	duration?: number;
	frames?: number;
	generate_audio?: boolean;
	service_tier: string;
	draft: boolean;
	draft_task_id?: string;
	execution_expires_after?: number;
}

export interface MatchWindow {
	/** created_at (ms) at or after this: the send time less the clock skew allowed */
	fromMs: number;
	/** and at or before this: now plus the skew */
	toMs: number;
}

export type MatchResult =
	| { kind: 'found'; task: ArkTask }
	| { kind: 'none' }
	| { kind: 'ambiguous'; taskIds: string[] };

export function fingerprintOf(body: ArkCreateBody): CreateFingerprint {
	const draftTask = body.content.find((item) => item.type === 'draft_task')?.draft_task as
		| { id?: string }
		| undefined;
	return {
		model: body.model,
		endpoint: isEndpointId(body.model),
		seed: body.seed,
		resolution: body.resolution,
		// `adaptive` becomes the ratio Ark picked: any ratio fits it.
		ratio: body.ratio === 'adaptive' ? undefined : body.ratio,
		// -1 becomes the length the model picked.
		duration: body.frames === undefined && body.duration !== -1 ? body.duration : undefined,
		frames: body.frames,
		generate_audio: body.generate_audio,
		service_tier: body.service_tier ?? 'default',
		draft: body.draft ?? false,
		draft_task_id: draftTask?.id,
		execution_expires_after: body.execution_expires_after,
	};
}

/** A field the create sent must be equal where the task shows it (Ark's echo of a field may be absent). */
function agrees(sent: unknown, shown: unknown): boolean {
	return sent === undefined || shown === undefined || sent === shown;
}

export function taskMatches(task: ArkTask, print: CreateFingerprint, window: MatchWindow): boolean {
	const createdMs = task.created_at === undefined ? undefined : task.created_at * 1000;
	if (createdMs === undefined || createdMs < window.fromMs || createdMs > window.toMs) return false;
	// The identifying fields must be shown, not merely not contradicted.
	if (print.seed !== undefined && task.seed !== print.seed) return false;
	if (print.draft_task_id !== undefined && task.draft_task_id !== print.draft_task_id) return false;
	if (!print.endpoint && !agrees(print.model, task.model)) return false;
	return (
		agrees(print.resolution, task.resolution) &&
		agrees(print.ratio, task.ratio) &&
		agrees(print.duration, task.duration) &&
		agrees(print.frames, task.frames) &&
		agrees(print.generate_audio, task.generate_audio) &&
		agrees(print.service_tier, task.service_tier ?? 'default') &&
		agrees(print.draft, task.draft ?? false) &&
		agrees(print.execution_expires_after, task.execution_expires_after)
	);
}

/** The one task that matches, none, or several (then nothing is adopted). */
export function matchCreatedTask(
	tasks: readonly ArkTask[],
	print: CreateFingerprint,
	window: MatchWindow,
	knownTaskIds: ReadonlySet<string> = new Set(),
): MatchResult {
	const seen = new Set<string>();
	const candidates: ArkTask[] = [];
	for (const task of tasks) {
		// Pages can overlap when tasks are created while listing: count each task once.
		if (seen.has(task.id) || knownTaskIds.has(task.id)) continue;
		seen.add(task.id);
		if (taskMatches(task, print, window)) candidates.push(task);
	}
	if (candidates.length === 1) return { kind: 'found', task: candidates[0] };
	if (candidates.length === 0) return { kind: 'none' };
	return { kind: 'ambiguous', taskIds: candidates.map((task) => task.id) };
}
