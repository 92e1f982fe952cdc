// The Ark simulator's request log: one entry per request, kept in `ArkSimulator.requests`.

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
