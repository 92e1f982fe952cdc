// The Ark simulator's request log: one entry per request, kept in `ArkSimulator.requests`.
import { createHash } from 'node:crypto';

export type ArkCall = 'create' | 'get' | 'list' | 'delete' | 'media' | 'unknown';

export interface ArkRequestLogEntry {
	seq: number;
	at: number;
	method: string;
	path: string;
	call: ArkCall;
	/** the Bearer key was one of the simulator's (null: no API call) */
	authorized: boolean | null;
	/** null: the connection was reset or answered with garbage */
	httpStatus: number | null;
	errorCode: string | null;
	model: string | null;
	taskId: string | null;
	/** this request created a task */
	taskCreated: boolean;
	fault: string | null;
	/** the parsed body, data: URLs shortened */
	body: unknown;
	/** a create's media sent as data: URLs, in content order: what arrived, by digest */
	media: ArkMediaDigest[];
}

/** One data: URL of a create's content: its item's type and role, and the bytes it carried. */
export interface ArkMediaDigest {
	/** the content item's type: image_url, audio_url, … */
	type: string;
	role: string | null;
	/** the data: URL's media type, e.g. image/png */
	mimeType: string;
	bytes: number;
	/** sha256 (hex) of the decoded bytes */
	sha256: string;
}

export function newLogEntry(seq: number, method: string, path: string): ArkRequestLogEntry {
	return {
		seq,
		at: Date.now(),
		method,
		path,
		call: 'unknown',
		authorized: null,
		httpStatus: null,
		errorCode: null,
		model: null,
		taskId: null,
		taskCreated: false,
		fault: null,
		body: null,
		media: [],
	};
}

/** The entry as one log line (never the key). */
export function logLine(entry: ArkRequestLogEntry): string {
	const parts = [
		`#${entry.seq}`,
		entry.method,
		entry.path,
		entry.call,
		entry.httpStatus === null ? 'RESET' : String(entry.httpStatus),
	];
	if (entry.errorCode) parts.push(entry.errorCode);
	if (entry.taskId) parts.push(`task=${entry.taskId}${entry.taskCreated ? ' (created)' : ''}`);
	if (entry.fault) parts.push(`fault=${entry.fault}`);
	return parts.join(' ');
}

/** Copy of a JSON value with data: URLs shortened so the log stays small. */
export function shortenDataUrls(value: unknown): unknown {
	if (typeof value === 'string')
		return /^data:/.test(value) && value.length > 100
			? `${value.slice(0, value.indexOf(',') + 1)}<${value.length} chars>`
			: value;
	if (Array.isArray(value)) return value.map(shortenDataUrls);
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shortenDataUrls(v)]));
	return value;
}

/** The data: URLs of a create body's `content`, decoded and hashed (bytes never kept). */
export function dataUrlDigests(body: unknown): ArkMediaDigest[] {
	const content = (body as { content?: unknown } | null)?.content;
	if (!Array.isArray(content)) return [];
	const digests: ArkMediaDigest[] = [];
	for (const item of content as Array<Record<string, unknown>>) {
		const type = typeof item?.type === 'string' ? item.type : '';
		const url = (item?.[type] as { url?: unknown } | undefined)?.url;
		const data = typeof url === 'string' ? /^data:([^;,]+);base64,(.*)$/s.exec(url) : null;
		if (!data) continue;
		const bytes = Buffer.from(data[2], 'base64');
		digests.push({
			type,
			role: typeof item.role === 'string' ? item.role : null,
			mimeType: data[1],
			bytes: bytes.length,
			sha256: createHash('sha256').update(bytes).digest('hex'),
		});
	}
	return digests;
}
