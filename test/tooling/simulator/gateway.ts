/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
// The Volcengine API gateway in front of the visual service: signature verification and its error answers.
// The signature is recomputed with the OFFICIAL SDK signer, never with the product's code, so the simulator
// is an independent check of the product's signing.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import Signer from '@volcengine/openapi/lib/base/sign';

import { makeRequestId } from './envelope';

export interface SimulatorAccount {
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken?: string;
}

export type GatewayErrorCode =
	| 'MissingParameter'
	| 'MissingAuthenticationToken'
	| 'MissingRequestInfo'
	| 'MissingSignature'
	| 'InvalidTimestamp'
	| 'ServiceNotFound'
	| 'InvalidActionOrVersion'
	| 'InvalidAccessKey'
	| 'SignatureDoesNotMatch'
	| 'AccessDenied'
	| 'InternalError'
	| 'FlowLimitExceeded'
	| 'ServiceUnavailableTemp'
	| 'InternalServiceError'
	| 'InternalServiceTimeout';

// Code → CodeN and HTTP status, from the gateway table in docs/volcengine-signing.md (no CodeN is
// documented for FlowLimitExceeded and ServiceUnavailableTemp: their answers carry none).
export const GATEWAY_ERRORS: Readonly<Record<GatewayErrorCode, { codeN?: number; http: number }>> =
	{
		MissingParameter: { codeN: 100002, http: 400 },
		MissingAuthenticationToken: { codeN: 100003, http: 401 },
		MissingRequestInfo: { codeN: 100004, http: 400 },
		MissingSignature: { codeN: 100005, http: 401 },
		InvalidTimestamp: { codeN: 100006, http: 400 },
		ServiceNotFound: { codeN: 100007, http: 404 },
		InvalidActionOrVersion: { codeN: 100008, http: 404 },
		InvalidAccessKey: { codeN: 100009, http: 401 },
		SignatureDoesNotMatch: { codeN: 100010, http: 401 },
		AccessDenied: { codeN: 100013, http: 403 },
		InternalError: { codeN: 100014, http: 500 },
		FlowLimitExceeded: { http: 429 },
		ServiceUnavailableTemp: { http: 503 },
		// Behind the gateway: the backend failed or did not answer in time — it may have acted on the request.
		InternalServiceError: { codeN: 100014, http: 500 },
		InternalServiceTimeout: { codeN: 100016, http: 504 },
	};

export const SIGNATURE_MISMATCH_MESSAGE =
	'The request signature we calculated does not match the signature you provided. Check your Secret Access Key and signing method. Consult the service documentation for details.';

export interface GatewayContext {
	action: string;
	version: string;
	service: string;
	region: string;
}

export interface GatewayErrorAnswer {
	http: number;
	body: {
		ResponseMetadata: {
			RequestId: string;
			Action: string;
			Version: string;
			Service: string;
			Region: string;
			Error: { CodeN?: number; Code: GatewayErrorCode; Message: string };
		};
	};
}

export function gatewayErrorAnswer(
	code: GatewayErrorCode,
	message: string,
	ctx: GatewayContext,
): GatewayErrorAnswer {
	const { codeN, http } = GATEWAY_ERRORS[code];
	return {
		http,
		body: {
			ResponseMetadata: {
				RequestId: makeRequestId(),
				Action: ctx.action,
				Version: ctx.version,
				Service: ctx.service,
				Region: ctx.region,
				Error:
					codeN === undefined
						? { Code: code, Message: message }
						: { CodeN: codeN, Code: code, Message: message },
			},
		},
	};
}

/** Query string → params the way the gateway reads them: repeated keys become arrays, '+' is a space. */
export function parseQuery(rawQuery: string): Record<string, string | string[]> {
	const params: Record<string, string | string[]> = {};
	for (const part of rawQuery.split('&')) {
		if (part === '') continue;
		const eq = part.indexOf('=');
		const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
		const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
		const existing = params[key];
		if (existing === undefined) params[key] = value;
		else if (Array.isArray(existing)) existing.push(value);
		else params[key] = [existing, value];
	}
	return params;
}

function decodeComponent(text: string): string {
	const spaced = text.replace(/\+/g, ' ');
	try {
		return decodeURIComponent(spaced);
	} catch {
		// Malformed escapes are kept verbatim: the signature check then decides.
		return spaced;
	}
}

export interface ReceivedRequest {
	method: string;
	/** Raw path as received, without the query. */
	path: string;
	query: Record<string, string | string[]>;
	headers: IncomingHttpHeaders;
	/** Body text (only its presence matters to the signer: the hash below is what gets signed). */
	body: string;
	/** Lowercase hex SHA-256 of the exact body bytes received. */
	bodySha256: string;
}

export interface VerifyOptions {
	accounts: readonly SimulatorAccount[];
	region: string;
	service: string;
	timestampToleranceSec: number;
	now: number;
}

export type VerifyResult =
	| { ok: true; account: SimulatorAccount }
	| { ok: false; error: GatewayErrorCode; message: string; accessKeyId: string | null };

interface ParsedAuthorization {
	accessKeyId: string;
	scope: string;
	signedHeaders: string[];
	signature: string;
}

/** `HMAC-SHA256 Credential=AK/DATE/REGION/SERVICE/request, SignedHeaders=a;b, Signature=hex`, or null if malformed. */
export function parseAuthorization(header: string): ParsedAuthorization | null {
	const match = /^HMAC-SHA256\s+(.*)$/s.exec(header.trim());
	if (!match) return null;
	const fields = new Map<string, string>();
	for (const part of match[1].split(',')) {
		const eq = part.indexOf('=');
		if (eq < 0) return null;
		fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
	}
	const credential = fields.get('Credential');
	const signedHeaders = fields.get('SignedHeaders');
	const signature = fields.get('Signature');
	if (!credential || signedHeaders === undefined || !signature) return null;
	const slash = credential.indexOf('/');
	return {
		accessKeyId: slash < 0 ? credential : credential.slice(0, slash),
		scope: slash < 0 ? '' : credential.slice(slash + 1),
		signedHeaders:
			signedHeaders === '' ? [] : signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
		signature,
	};
}

/** `YYYYMMDD'T'HHMMSS'Z'` → Date, or null. */
export function parseXDate(xDate: string): Date | null {
	const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(xDate);
	if (!m) return null;
	const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	// Reject rollovers such as month 13 or 25:00.
	if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour)
		return null;
	if (date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) return null;
	return date;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

// The SDK writes these three headers itself under exactly these keys; using the same keys makes it
// overwrite our copies instead of adding duplicates to the canonical headers.
const SDK_HEADER_KEYS: Readonly<Record<string, string>> = {
	'x-date': 'X-Date',
	'x-content-sha256': 'X-Content-Sha256',
	'x-security-token': 'X-Security-Token',
};

/** The gateway's authentication, in the gateway's order of checks. */
export function verifySignature(req: ReceivedRequest, options: VerifyOptions): VerifyResult {
	const fail = (
		error: GatewayErrorCode,
		message: string,
		accessKeyId: string | null = null,
	): VerifyResult => ({
		ok: false,
		error,
		message,
		accessKeyId,
	});

	const authorization = headerValue(req.headers, 'authorization');
	if (!authorization)
		return fail('MissingAuthenticationToken', 'The request is missing the Authorization header.');
	const auth = parseAuthorization(authorization);
	if (!auth) {
		return fail(
			'MissingSignature',
			'The Authorization header is malformed: expected "HMAC-SHA256 Credential=AK/date/region/service/request, SignedHeaders=..., Signature=...".',
		);
	}

	const xDate = headerValue(req.headers, 'x-date');
	if (!xDate)
		return fail(
			'MissingRequestInfo',
			'The request is missing the X-Date header.',
			auth.accessKeyId,
		);
	const date = parseXDate(xDate);
	if (!date) {
		return fail(
			'InvalidTimestamp',
			`X-Date "${xDate}" is not in the form YYYYMMDD'T'HHMMSS'Z'.`,
			auth.accessKeyId,
		);
	}
	const skewMs = options.now - date.getTime();
	if (Math.abs(skewMs) > options.timestampToleranceSec * 1000) {
		const skewSec = Math.round(skewMs / 1000);
		const direction = skewSec > 0 ? 'behind' : 'ahead of';
		return fail(
			'InvalidTimestamp',
			`The request time X-Date ${xDate} is ${Math.abs(skewSec)} s ${direction} the server time ` +
				`${new Date(options.now).toISOString()}; the allowed difference is ${options.timestampToleranceSec} s. ` +
				'Check the clock of the calling machine.',
			auth.accessKeyId,
		);
	}

	const account = options.accounts.find((a) => a.accessKeyId === auth.accessKeyId);
	if (!account) {
		return fail(
			'InvalidAccessKey',
			`The access key id "${auth.accessKeyId}" does not exist.`,
			auth.accessKeyId,
		);
	}
	const token = headerValue(req.headers, 'x-security-token');
	if (account.sessionToken !== undefined && token !== account.sessionToken) {
		return fail(
			'MissingAuthenticationToken',
			token
				? 'The X-Security-Token is invalid for this access key.'
				: 'The request is missing the X-Security-Token header required for temporary credentials.',
			auth.accessKeyId,
		);
	}
	if (account.sessionToken === undefined && token !== undefined) {
		// A permanent key sent with a session token: the gateway would look the token up and fail.
		return fail(
			'MissingAuthenticationToken',
			'An X-Security-Token was sent with a permanent access key.',
			auth.accessKeyId,
		);
	}

	const expectedScope = `${xDate.slice(0, 8)}/${options.region}/${options.service}/request`;
	if (auth.scope !== expectedScope) {
		return fail(
			'SignatureDoesNotMatch',
			`${SIGNATURE_MISMATCH_MESSAGE} The credential scope "${auth.scope}" should be "${expectedScope}".`,
			auth.accessKeyId,
		);
	}

	const signedSet = new Set(auth.signedHeaders);
	const headers: Record<string, string> = {};
	for (const name of signedSet) {
		const value = headerValue(req.headers, name);
		if (value === undefined) {
			return fail(
				'SignatureDoesNotMatch',
				`${SIGNATURE_MISMATCH_MESSAGE} Signed header "${name}" is missing from the request.`,
				auth.accessKeyId,
			);
		}
		// The SDK only rewrites X-Content-Sha256 for a non-empty body; the payload hash is always the real one.
		headers[SDK_HEADER_KEYS[name] ?? name] = name === 'x-content-sha256' ? req.bodySha256 : value;
	}

	const signer = new Signer(
		{
			method: req.method,
			region: options.region,
			pathname: req.path,
			params: req.query,
			headers,
			body: req.body,
		},
		options.service,
		// The server hashes the bytes it received: the SDK's own body handling is not byte-exact.
		{ bodySha256: req.bodySha256 },
	);
	// Sign exactly the client's SignedHeaders (the SDK would otherwise refuse content-type and others).
	signer.isSignableHeader = (name: string) => signedSet.has(name);
	signer.addAuthorization(
		{
			accessKeyId: account.accessKeyId,
			secretKey: account.secretAccessKey,
			sessionToken: account.sessionToken,
		},
		date,
	);
	const expected =
		/Signature=([0-9a-f]+)/.exec(String(signer.request.headers.Authorization))?.[1] ?? '';
	if (!constantTimeEqual(expected, auth.signature)) {
		return fail('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE, auth.accessKeyId);
	}
	return { ok: true, account };
}

function constantTimeEqual(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	// Length is not secret (always 64 hex chars for a real signature).
	return left.length === right.length && timingSafeEqual(left, right);
}
