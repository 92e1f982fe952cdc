/**
 * Volcengine OpenAPI request signing (HMAC-SHA256, "V4" style), as a pure function.
 *
 * No n8n types, no I/O: the credential turns n8n's request options into a `SignableRequest`,
 * calls `signRequest`, and puts the returned headers and canonical query back on the request.
 * The algorithm and the vectors it must reproduce are in docs/volcengine-signing.md.
 */
import { createHash, createHmac } from 'crypto';

export const SIGNING_ALGORITHM = 'HMAC-SHA256';

/** Headers this package signs by default: they reach the server byte for byte. */
export const DEFAULT_SIGNED_HEADERS = ['host', 'x-content-sha256', 'x-date'] as const;

export type QueryValue =
	| string
	| number
	| boolean
	| null
	| undefined
	| Array<string | number | boolean>;

export interface SigningCredentials {
	accessKeyId: string;
	secretAccessKey: string;
	/** STS temporary credentials: sent (and signed) as `X-Security-Token`. */
	sessionToken?: string;
	region: string;
	service: string;
}

export interface SignableRequest {
	method: string;
	/** The pathname exactly as it goes on the wire (used verbatim in the canonical request). */
	path: string;
	query: Record<string, QueryValue>;
	/** Headers that will be sent. Names are matched case-insensitively. */
	headers: Record<string, string>;
	/** The exact body bytes that will be sent, as a string (UTF-8) or a Buffer. */
	body: string | Buffer;
}

export interface SigningOptions {
	date: Date;
	/**
	 * Lower-case names of the headers to sign. `x-date`, `x-content-sha256` and (with a session
	 * token) `x-security-token` are added by the signer itself and should be listed when they are
	 * to be signed. Defaults to `DEFAULT_SIGNED_HEADERS` (+ `x-security-token`).
	 */
	signedHeaderNames?: readonly string[];
}

export interface SignatureResult {
	/** Headers to add to the request: X-Date, X-Content-Sha256, X-Security-Token?, Authorization. */
	headers: Record<string, string>;
	xDate: string;
	payloadHash: string;
	canonicalQuery: string;
	signedHeaders: string;
	canonicalRequest: string;
	credentialScope: string;
	stringToSign: string;
	signature: string;
	authorization: string;
}

/** RFC 3986 percent-encoding over UTF-8 with uppercase hex: only A-Z a-z 0-9 - _ . ~ stay literal. */
export function uriEncode(value: string): string {
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

/**
 * Canonical query string: null/undefined dropped, keys sorted by raw code units, keys and values
 * percent-encoded, repeated keys' encoded values sorted (the Node SDK's rule), `k=` for empty values.
 */
export function canonicalQueryString(query: Record<string, QueryValue>): string {
	const keys = Object.keys(query)
		.filter((key) => query[key] !== undefined && query[key] !== null)
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	const parts: string[] = [];
	for (const key of keys) {
		const value = query[key];
		const encodedKey = uriEncode(key);
		if (Array.isArray(value)) {
			const encodedValues = value.map((v) => uriEncode(String(v))).sort();
			for (const encoded of encodedValues) parts.push(`${encodedKey}=${encoded}`);
		} else {
			parts.push(`${encodedKey}=${uriEncode(String(value))}`);
		}
	}
	return parts.join('&');
}

/** `YYYYMMDD'T'HHMMSS'Z'` in UTC, milliseconds truncated. */
export function formatXDate(date: Date): string {
	return date.toISOString().replace(/[:-]|\.\d{3}/g, '');
}

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
	return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** kDate = HMAC(secret, shortDate) → kRegion → kService → kSigning = HMAC(kService, "request"). */
export function deriveSigningKey(
	secretAccessKey: string,
	shortDate: string,
	region: string,
	service: string,
): Buffer {
	const kDate = hmac(secretAccessKey, shortDate);
	const kRegion = hmac(kDate, region);
	const kService = hmac(kRegion, service);
	return hmac(kService, 'request');
}

function canonicalHeaderValue(value: string): string {
	return value.replace(/\s+/g, ' ').trim();
}

/** The headers to sign, by sorted lower-case name, with the values the request will carry (the signer's own win). */
function headersToSign(
	credentials: SigningCredentials,
	request: SignableRequest,
	added: Record<string, string>,
	signedHeaderNames: readonly string[] | undefined,
): Array<[string, string]> {
	const byName = new Map<string, string>();
	for (const [name, value] of Object.entries(request.headers))
		byName.set(name.toLowerCase(), value);
	for (const [name, value] of Object.entries(added)) byName.set(name.toLowerCase(), value);
	const wanted = signedHeaderNames ?? [
		...DEFAULT_SIGNED_HEADERS,
		...(credentials.sessionToken ? ['x-security-token'] : []),
	];
	const signedNames = [...new Set(wanted.map((name) => name.toLowerCase()))].sort();
	return signedNames.map((name) => {
		const value = byName.get(name);
		if (value === undefined)
			throw new Error(`Cannot sign header "${name}": the request does not carry it`);
		return [name, value];
	});
}

/** Step 1 of the algorithm (docs/volcengine-signing.md): the canonical request. */
function canonicalRequestOf(
	request: SignableRequest,
	signed: Array<[string, string]>,
	payloadHash: string,
) {
	const canonicalHeaders = signed
		.map(([name, value]) => `${name}:${canonicalHeaderValue(value)}`)
		.join('\n');
	const signedHeaders = signed.map(([name]) => name).join(';');
	const canonicalQuery = canonicalQueryString(request.query);
	const canonicalRequest = [
		request.method.toUpperCase(),
		request.path || '/',
		canonicalQuery,
		`${canonicalHeaders}\n`,
		signedHeaders,
		payloadHash,
	].join('\n');
	return { canonicalRequest, canonicalQuery, signedHeaders };
}

export function signRequest(
	credentials: SigningCredentials,
	request: SignableRequest,
	options: SigningOptions,
): SignatureResult {
	const xDate = formatXDate(options.date);
	const shortDate = xDate.slice(0, 8);
	const payloadHash = sha256Hex(request.body);
	const added: Record<string, string> = { 'X-Date': xDate, 'X-Content-Sha256': payloadHash };
	if (credentials.sessionToken) added['X-Security-Token'] = credentials.sessionToken;

	const signed = headersToSign(credentials, request, added, options.signedHeaderNames);
	const { canonicalRequest, canonicalQuery, signedHeaders } = canonicalRequestOf(
		request,
		signed,
		payloadHash,
	);
	const credentialScope = `${shortDate}/${credentials.region}/${credentials.service}/request`;
	const stringToSign = [
		SIGNING_ALGORITHM,
		xDate,
		credentialScope,
		sha256Hex(canonicalRequest),
	].join('\n');
	const signingKey = deriveSigningKey(
		credentials.secretAccessKey,
		shortDate,
		credentials.region,
		credentials.service,
	);
	const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
	const authorization = `${SIGNING_ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;

	return {
		headers: { ...added, Authorization: authorization },
		xDate,
		payloadHash,
		canonicalQuery,
		signedHeaders,
		canonicalRequest,
		credentialScope,
		stringToSign,
		signature,
		authorization,
	};
}
