/**
 * n8n hands a credential's `authenticate` two request shapes:
 *  - `helpers.httpRequest*`: `{ baseURL?, url, qs?, body?, headers? }`
 *  - the HTTP Request node (legacy request library shape): `{ uri | url, qs?, body?, json? }`
 * Both are reduced here to one absolute URL and one body string, which is what gets signed and
 * what is sent: the canonical query is baked into the URL (no `qs` left for anyone to re-serialise)
 * and the body goes out as the exact string that was hashed.
 */
import type { QueryValue, SignableRequest } from './volcengineSigner';

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
	[key: string]: unknown;
}

export interface NormalizedRequest {
	/** Absolute URL without the query. */
	baseUrl: URL;
	signable: SignableRequest;
	/** The body string that must be sent (what was hashed). */
	bodyString: string;
	/** Headers to send (the signature's are added on top). */
	headers: Record<string, string>;
	/** Which key carried the target: the result keeps using it. */
	targetKey: 'url' | 'uri';
}

export class UnsignableRequestError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnsignableRequestError';
	}
}

/** axios joins baseURL and a relative url by concatenation, not by URL resolution: so do we. */
function combineUrl(baseURL: string | undefined, url: string | undefined): string {
	const target = url ?? '';
	if (/^[a-z][a-z\d+\-.]*:\/\//i.test(target) || !baseURL) return target;
	return target ? `${baseURL.replace(/\/+$/, '')}/${target.replace(/^\/+/, '')}` : baseURL;
}

function findHeader(headers: Record<string, string>, name: string): string | undefined {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (value === null || typeof value !== 'object') return false;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

function toQueryValue(value: unknown): QueryValue {
	if (value === undefined || value === null) return undefined;
	if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

function addQuery(query: Record<string, QueryValue>, key: string, value: QueryValue): void {
	if (value === undefined || value === null) return;
	const existing = query[key];
	if (existing === undefined || existing === null) {
		query[key] = value;
		return;
	}
	const before = Array.isArray(existing) ? existing : [existing];
	const after = Array.isArray(value) ? value : [value];
	query[key] = [...before, ...after].map(String);
}

/**
 * The exact string that will travel as the body. axios sends strings as they are, except that a
 * string that parses as JSON under a JSON content type is trimmed: trim it first so the hash matches.
 */
function serializeBody(
	request: N8nRequestLike,
	headers: Record<string, string>,
): string {
	if (request.formData !== undefined) {
		throw new UnsignableRequestError(
			'Volcengine signing needs the exact body bytes: multipart form-data bodies cannot be signed. Send the body as JSON or raw text.',
		);
	}
	const contentType = (findHeader(headers, 'content-type') ?? '').toLowerCase();
	let body = request.body;
	if ((body === undefined || body === null || body === '') && request.form !== undefined) {
		body = request.form;
		if (!contentType) headers['Content-Type'] = 'application/x-www-form-urlencoded';
	}
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') {
		// Only a JSON body with surrounding whitespace is changed by axios (trimmed); skip parsing the rest.
		if (contentType.includes('json') && body.trim().length !== body.length) {
			try {
				JSON.parse(body);
				return body.trim();
			} catch {
				return body;
			}
		}
		return body;
	}
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof URLSearchParams) {
		if (!contentType) headers['Content-Type'] = 'application/x-www-form-urlencoded';
		return body.toString();
	}
	if (isPlainObject(body) || Array.isArray(body)) {
		const effectiveType = (findHeader(headers, 'content-type') ?? '').toLowerCase();
		if (effectiveType.includes('x-www-form-urlencoded')) {
			const params = new URLSearchParams();
			for (const [k, v] of Object.entries(body)) params.append(k, String(v));
			return params.toString();
		}
		if (isPlainObject(body) && Object.keys(body).length === 0) return '';
		if (!effectiveType) headers['Content-Type'] = 'application/json';
		return JSON.stringify(body);
	}
	throw new UnsignableRequestError(
		'Volcengine signing needs the exact body bytes: streamed or binary form bodies cannot be signed. Send the body as JSON or raw text.',
	);
}

export function normalizeRequest(request: N8nRequestLike): NormalizedRequest {
	const targetKey: 'url' | 'uri' = request.url === undefined && request.uri !== undefined ? 'uri' : 'url';
	const combined = combineUrl(request.baseURL, (request.url ?? request.uri) as string | undefined);
	if (!URL.canParse(combined)) {
		throw new UnsignableRequestError(
			`Cannot sign a request to "${combined}": it is not an absolute http(s) URL. Check the Base URL of the Volcengine credential.`,
		);
	}
	const parsed = new URL(combined);
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new UnsignableRequestError(
			`Cannot sign a request to "${parsed.protocol}//…": only http and https are supported. Check the Base URL of the Volcengine credential (Jimeng: https://visual.volcengineapi.com).`,
		);
	}
	if (parsed.username || parsed.password) {
		// The HTTP client would turn them into Basic auth and replace the signature.
		throw new UnsignableRequestError(
			'The URL carries a user name or password (user:password@host): remove it from the Base URL of the Volcengine credential; Volcengine authenticates by signature.',
		);
	}

	const query: Record<string, QueryValue> = {};
	for (const [key, value] of parsed.searchParams) addQuery(query, key, value);
	for (const [key, value] of Object.entries(request.qs ?? {})) addQuery(query, key, toQueryValue(value));

	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers ?? {})) {
		if (value !== undefined && value !== null) headers[name] = String(value);
	}
	const bodyString = serializeBody(request, headers);

	const baseUrl = new URL(parsed.href);
	baseUrl.search = '';
	baseUrl.hash = '';
	return {
		baseUrl,
		bodyString,
		targetKey,
		headers,
		signable: {
			method: (request.method ?? 'GET').toUpperCase(),
			path: parsed.pathname || '/',
			query,
			// The HTTP client derives Host from the URL exactly like URL.host (default ports omitted).
			headers: findHeader(headers, 'host') === undefined ? { ...headers, host: parsed.host } : headers,
			body: bodyString,
		},
	};
}

/** The request n8n will send: same shape it came in, query baked in, body the hashed string. */
export function applySignature<T extends N8nRequestLike>(
	request: T,
	normalized: NormalizedRequest,
	canonicalQuery: string,
	signatureHeaders: Record<string, string>,
): T {
	const url = `${normalized.baseUrl.href}${canonicalQuery ? `?${canonicalQuery}` : ''}`;
	const result: N8nRequestLike = {
		...request,
		method: normalized.signable.method,
		headers: { ...normalized.headers, ...signatureHeaders },
		[normalized.targetKey]: url,
	};
	delete result.baseURL;
	delete result.qs;
	delete result.form;
	if (normalized.targetKey === 'uri') delete result.url;
	if (normalized.bodyString === '') delete result.body;
	else result.body = normalized.bodyString;
	return result as T;
}
