/**
 * Ark's task object (GET, list items, callback bodies; docs/ark-api.md "Task object"), read
 * defensively: only `id` and `status` are required, every other field is kept only when it has the
 * documented type. Pure.
 */
import type { IDataObject } from 'n8n-workflow';

export const ARK_STATUSES = [
	'queued',
	'running',
	'succeeded',
	'failed',
	'expired',
	'cancelled',
] as const;
export type ArkTaskStatus = (typeof ARK_STATUSES)[number];
/** Statuses a task never leaves. */
export const FINAL_STATUSES: readonly ArkTaskStatus[] = [
	'succeeded',
	'failed',
	'expired',
	'cancelled',
];

export interface ArkTask {
	id: string;
	status: ArkTaskStatus;
	model?: string;
	error?: { code: string; message?: string };
	/** Unix seconds */
	created_at?: number;
	updated_at?: number;
	content?: { video_url?: string; last_frame_url?: string };
	seed?: number;
	resolution?: string;
	ratio?: string;
	duration?: number;
	frames?: number;
	framespersecond?: number;
	generate_audio?: boolean;
	draft?: boolean;
	draft_task_id?: string;
	service_tier?: string;
	execution_expires_after?: number;
	usage?: { completion_tokens?: number; total_tokens?: number };
}

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function pick<T>(
	source: IDataObject,
	keys: readonly string[],
	type: string,
): Partial<Record<string, T>> {
	const out: Partial<Record<string, T>> = {};
	for (const key of keys) if (typeof source[key] === type) out[key] = source[key] as T;
	return out;
}

export function isArkStatus(value: unknown): value is ArkTaskStatus {
	return (ARK_STATUSES as readonly unknown[]).includes(value);
}

/** The task in an answer, or undefined when it lacks a string id or a known status. */
export function readArkTask(value: unknown): ArkTask | undefined {
	if (!isObject(value) || typeof value.id !== 'string' || !isArkStatus(value.status))
		return undefined;
	const task: ArkTask = {
		id: value.id,
		status: value.status,
		...pick<string>(
			value,
			['model', 'resolution', 'ratio', 'draft_task_id', 'service_tier'],
			'string',
		),
		...pick<number>(
			value,
			[
				'created_at',
				'updated_at',
				'seed',
				'duration',
				'frames',
				'framespersecond',
				'execution_expires_after',
			],
			'number',
		),
		...pick<boolean>(value, ['generate_audio', 'draft'], 'boolean'),
	};
	if (isObject(value.error) && typeof value.error.code === 'string') {
		const message = value.error.message;
		task.error = { code: value.error.code, ...(typeof message === 'string' ? { message } : {}) };
	}
	if (isObject(value.content))
		task.content = pick<string>(value.content, ['video_url', 'last_frame_url'], 'string');
	if (isObject(value.usage))
		task.usage = pick<number>(value.usage, ['completion_tokens', 'total_tokens'], 'number');
	return task;
}
