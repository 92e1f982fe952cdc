/** The request options n8n hands a credential, what cannot be signed, and small readers of them. */

/** The fields of n8n's request options this module reads or writes (both shapes). */
export interface N8nRequestLike {
	method?: string;
	url?: string;
	uri?: string;
	baseURL?: string;
	qs?: Record<string, unknown>;
	headers?: Record<string, unknown>;
	body?: unknown;
	form?: unknown;
	formData?: unknown;
	json?: boolean;
	qsStringifyOptions?: { arrayFormat?: unknown };
	useQuerystring?: boolean;
	[key: string]: unknown;
}

export class UnsignableRequestError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnsignableRequestError';
	}
}

export function findHeader(headers: Record<string, string>, name: string): string | undefined {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (value === null || typeof value !== 'object') return false;
	// Any realm's Object.prototype (its own prototype is null): n8n may load nodes in another
	// context (a vm, jest's module registry), whose plain objects have another Object.prototype.
	const proto = Object.getPrototypeOf(value) as object | null;
	return proto === null || Object.getPrototypeOf(proto) === null;
}

export function isByteView(value: unknown): value is Uint8Array {
	return value instanceof Uint8Array;
}
