/**
 * The body of a request to sign, as the exact bytes that are hashed and sent. n8n's HTTP client
 * changes some bodies on the way (a string under a JSON content type, form objects, byte arrays),
 * so each is turned here into the form it sends unchanged.
 *
 * Binary bodies: the HTTP Request node's "n8n Binary File" body is a Buffer in n8n's default binary
 * mode and a file Readable stream in filesystem mode (both with a `content-length` header from the
 * file's metadata). A stream is read into memory first (streamBody.ts), because the signature
 * covers the hash of the whole body before the first byte is sent.
 */
import { formArrayFormat, stringifyForm } from './formBody';
import {
	UnsignableRequestError,
	findHeader,
	isByteView,
	isPlainObject,
	type N8nRequestLike,
} from './requestLike';
import { isReadableBody } from './streamBody';

export function dropHeader(headers: Record<string, string>, name: string): void {
	for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
}

/**
 * The exact bytes that will travel as the body, and the form to hand to n8n's HTTP client so that
 * it sends them unchanged:
 *  - a Buffer (or any byte array) is sent as that Buffer: never through a UTF-8 string, which would
 *    turn invalid bytes into U+FFFD;
 *  - a string under a JSON content type goes as a Buffer of that string: axios re-encodes a string
 *    it cannot parse as JSON (`hello` → `"hello"`) and trims one it can;
 *  - form objects are serialised here, as n8n's client would (arrayFormat honoured).
 */
export function serializeBody(
	request: N8nRequestLike,
	headers: Record<string, string>,
): string | Buffer {
	if (request.formData !== undefined) {
		throw new UnsignableRequestError(
			'Volcengine signing needs the exact body bytes: multipart form-data bodies cannot be signed. Send the body as JSON, raw text or an n8n binary file.',
		);
	}
	const contentType = (findHeader(headers, 'content-type') ?? '').toLowerCase();
	let body = request.body;
	if (
		(body === undefined || body === null || body === '') &&
		request.form !== undefined &&
		request.form !== null
	) {
		body = request.form;
		// n8n's client sends `form` as x-www-form-urlencoded whatever the content type said.
		if (!contentType.includes('x-www-form-urlencoded')) {
			dropHeader(headers, 'content-type');
			headers['Content-Type'] = 'application/x-www-form-urlencoded';
		}
		if (typeof body === 'string') return body;
		if (isPlainObject(body)) return stringifyForm(body, formArrayFormat(request));
	}
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') {
		if (contentType.includes('application/json') && body !== '') return Buffer.from(body, 'utf8');
		return body;
	}
	if (Buffer.isBuffer(body)) return bytesToSend(body, headers);
	if (isByteView(body))
		return bytesToSend(Buffer.from(body.buffer, body.byteOffset, body.byteLength), headers);
	if (body instanceof ArrayBuffer) return bytesToSend(Buffer.from(body), headers);
	if (body instanceof URLSearchParams) {
		if (!contentType) headers['Content-Type'] = 'application/x-www-form-urlencoded';
		return body.toString();
	}
	if (isReadableBody(body)) {
		// authenticate() reads streams first (bufferStreamBody); a caller that did not gets a clear error.
		throw new UnsignableRequestError(
			'Volcengine signing needs the exact body bytes: read the streamed body first (bufferStreamBody).',
		);
	}
	if (isPlainObject(body) || Array.isArray(body)) {
		if (contentType.includes('x-www-form-urlencoded') && isPlainObject(body))
			return stringifyForm(body, formArrayFormat(request));
		if (isPlainObject(body) && Object.keys(body).length === 0) return '';
		if (!contentType) headers['Content-Type'] = 'application/json';
		return JSON.stringify(body);
	}
	throw new UnsignableRequestError(
		`Volcengine signing needs the exact body bytes: a body of type ${Object.prototype.toString.call(body).slice(8, -1)} cannot be signed. Send the body as JSON, raw text, a form or an n8n binary file.`,
	);
}

/**
 * Bytes go out as a Buffer, except under exactly `application/x-www-form-urlencoded`: n8n's legacy
 * client then merges a non-string body into a form object. Such a body must be text.
 */
function bytesToSend(bytes: Buffer, headers: Record<string, string>): string | Buffer {
	if (findHeader(headers, 'content-type') !== 'application/x-www-form-urlencoded') return bytes;
	const text = bytes.toString('utf8');
	if (Buffer.from(text, 'utf8').equals(bytes)) return text;
	throw new UnsignableRequestError(
		'Volcengine signing: a body sent as "application/x-www-form-urlencoded" must be UTF-8 text, but this binary body is not. Send it with its own content type (e.g. application/octet-stream).',
	);
}
