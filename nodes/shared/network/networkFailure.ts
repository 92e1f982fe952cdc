/**
 * Socket-level failures, classified by where they happened: a failure before a byte left the
 * machine proves that no task was created; any other may have created one. Pure.
 */

export type NetworkPhase = 'before-send' | 'unknown';

export interface NetworkFailure {
	/** e.g. ECONNREFUSED, ECONNRESET, ETIMEDOUT */
	code: string;
	phase: NetworkPhase;
	detail: string;
}

// These fail before a byte of the request leaves the machine — the name lookup, the TCP connect or
// the TLS handshake failed — so the server cannot have acted on it (docs/jimeng-api.md, "What proves
// a submit was not sent"). Every other failure after the request was handed to the HTTP client leaves
// a submit's outcome unknown.
export const BEFORE_SEND_CODES: ReadonlySet<string> = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
	'ERR_INVALID_URL',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const NETWORK_CODES = new Set([
	...BEFORE_SEND_CODES,
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'ERR_STREAM_PREMATURE_CLOSE',
	'ERR_BAD_RESPONSE',
]);

function readCode(value: unknown): string | undefined {
	if (value && typeof value === 'object' && 'code' in value) {
		const code = (value as { code: unknown }).code;
		if (typeof code === 'string' && code) return code;
	}
	return undefined;
}

/**
 * Finds a socket-level failure in an error as n8n's request helpers throw it (a NodeApiError whose
 * cause is an AxiosError whose cause is the Node error, or any layer of that).
 */
export function findNetworkFailure(error: unknown): NetworkFailure | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const code = readCode(current);
		const message = String((current as { message?: unknown }).message ?? '');
		// Node's HTTP parser refused the answer (HPE_INVALID_STATUS…): the request had been sent.
		if (code && (NETWORK_CODES.has(code) || code.startsWith('HPE_'))) {
			return {
				code,
				phase: BEFORE_SEND_CODES.has(code) ? 'before-send' : 'unknown',
				detail: message,
			};
		}
		if (
			/socket hang up|aborted|premature close/i.test(message) &&
			!/canceled|cancelled/i.test(message)
		) {
			return { code: code ?? 'ECONNRESET', phase: 'unknown', detail: message };
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/**
 * Any failure of a request that was handed to the HTTP client: a known socket failure, or — when
 * nothing in the error proves where it happened (a parse error on bytes that are not HTTP, an
 * unexpected exception) — a failure whose phase is unknown. Only BEFORE_SEND_CODES prove "not sent".
 */
export function classifyTransportFailure(error: unknown): NetworkFailure {
	const known = findNetworkFailure(error);
	if (known) return known;
	let code: string | undefined;
	const seen = new Set<unknown>();
	for (let current = error; current && typeof current === 'object' && !seen.has(current); ) {
		seen.add(current);
		code ??= readCode(current);
		current = (current as { cause?: unknown }).cause;
	}
	const detail = error instanceof Error ? error.message : String(error);
	return {
		code: code ?? 'TRANSPORT_ERROR',
		phase: code && BEFORE_SEND_CODES.has(code) ? 'before-send' : 'unknown',
		detail,
	};
}
