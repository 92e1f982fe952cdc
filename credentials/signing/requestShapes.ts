/**
 * n8n hands a credential's `authenticate` two request shapes:
 *  - `helpers.httpRequest*`: `{ baseURL?, url, qs?, body?, headers? }`
 *  - the HTTP Request node (legacy request library shape): `{ uri | url, qs?, body? | form?, json? }`
 * Both are reduced here to one absolute URL and one body, which is what gets signed and what is
 * sent: the canonical query is baked into the URL (no `qs` left for anyone to re-serialise) and the
 * body goes out as the exact bytes that were hashed — a string only where n8n's HTTP client sends a
 * string unchanged, otherwise a Buffer (axios passes Buffers through untouched): requestBody.ts.
 */
import { UnsignableRequestError, findHeader, type N8nRequestLike } from './requestLike';
import { dropHeader, serializeBody } from './requestBody';
import type { QueryValue, SignableRequest } from './volcengineSigner';

export interface NormalizedRequest {
	/** Absolute URL without the query. */
	baseUrl: URL;
	signable: SignableRequest;
	/** The body exactly as it must be sent (what was hashed): a string or, where a string would be changed on the way, a Buffer. */
	body: string | Buffer;
	/** Headers to send (the signature's are added on top); never a stale `content-length`. */
	headers: Record<string, string>;
	/** Which key carried the target: the result keeps using it. */
	targetKey: 'url' | 'uri';
}

/** axios joins baseURL and a relative url by concatenation, not by URL resolution: so do we. */
function combineUrl(baseURL: string | undefined, url: string | undefined): string {
	const target = url ?? '';
	if (/^[a-z][a-z\d+\-.]*:\/\//i.test(target) || !baseURL) return target;
	return target ? `${baseURL.replace(/\/+$/, '')}/${target.replace(/^\/+/, '')}` : baseURL;
}

function toQueryValue(value: unknown): QueryValue {
	if (value === undefined || value === null) return undefined;
	if (Array.isArray(value))
		return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
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
 * Where a request sent to a reverse proxy is signed for: the host the proxy forwards to, and the
 * path after the proxy's own prefix (nginx `location /prefix/ { proxy_pass https://upstream/; }`).
 */
export interface SigningTarget {
	/** Host (and port, if not the default) the upstream receives in its Host header. */
	host: string;
	/** The proxy's URL: requests under it are signed for `host`, with its path prefix removed. */
	proxyBaseUrl: string;
}

function signedHostAndPath(
	parsed: URL,
	target: SigningTarget | undefined,
): { host: string; path: string } {
	const path = parsed.pathname || '/';
	if (!target) return { host: parsed.host, path };
	const proxy = new URL(target.proxyBaseUrl);
	// Only requests to the proxy are rewritten: an absolute URL elsewhere is signed for itself.
	if (proxy.protocol !== parsed.protocol || proxy.host !== parsed.host)
		return { host: parsed.host, path };
	const prefix = proxy.pathname.replace(/\/+$/, '');
	if (prefix && (path === prefix || path.startsWith(`${prefix}/`))) {
		return { host: target.host, path: path.slice(prefix.length) || '/' };
	}
	return { host: target.host, path };
}

export function normalizeRequest(
	request: N8nRequestLike,
	signingTarget?: SigningTarget,
): NormalizedRequest {
	const targetKey: 'url' | 'uri' =
		request.url === undefined && request.uri !== undefined ? 'uri' : 'url';
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
	for (const [key, value] of Object.entries(request.qs ?? {}))
		addQuery(query, key, toQueryValue(value));

	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers ?? {})) {
		if (value !== undefined && value !== null) headers[name] = String(value);
	}
	const body = serializeBody(request, headers);
	// A length computed for another form of the body (a file's size, a string before re-encoding)
	// would cut or stall it: the HTTP client computes the right one from the bytes.
	dropHeader(headers, 'content-length');

	const baseUrl = new URL(parsed.href);
	baseUrl.search = '';
	baseUrl.hash = '';
	const signedFor = signedHostAndPath(parsed, signingTarget);
	const explicitHost = findHeader(headers, 'host') !== undefined;
	return {
		baseUrl,
		body,
		targetKey,
		headers,
		signable: {
			method: (request.method ?? 'GET').toUpperCase(),
			path: signedFor.path,
			query,
			// The HTTP client derives Host from the URL exactly like URL.host (default ports omitted);
			// behind a proxy the upstream receives the Signing Host instead.
			headers: explicitHost ? headers : { ...headers, host: signedFor.host },
			body,
		},
	};
}

/** The request n8n will send: same shape it came in, query baked in, body the hashed bytes. */
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
	delete result.qsStringifyOptions;
	if (normalized.targetKey === 'uri') delete result.url;
	if (normalized.body.length === 0) delete result.body;
	else result.body = normalized.body;
	return result as T;
}
