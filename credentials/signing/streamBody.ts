/**
 * A streamed body (the HTTP Request node's binary file in n8n's filesystem binary mode) read into
 * memory: the signature covers the hash of the whole body before its first byte is sent.
 */
import { UnsignableRequestError, isByteView, type N8nRequestLike } from './requestLike';

/** The largest streamed body the credential reads into memory to sign (64 MiB). */
export const MAX_STREAM_BODY_BYTES = 64 * 1024 * 1024;

/** A Node.js Readable (what n8n's `getBinaryStream` returns): async-iterable and pipeable. */
export function isReadableBody(
	value: unknown,
): value is AsyncIterable<unknown> & { pipe: unknown; destroy?: (error?: Error) => void } {
	return (
		value !== null &&
		typeof value === 'object' &&
		!isByteView(value) &&
		typeof (value as { pipe?: unknown }).pipe === 'function' &&
		typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
	);
}

function formatMiB(bytes: number): string {
	return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}

/**
 * Reads a streamed body into one Buffer so it can be hashed and sent unchanged; refuses, and stops
 * reading, past `maxBytes`. Strings yielded by a stream with an encoding are taken as UTF-8.
 */
export async function readStreamBody(
	stream: AsyncIterable<unknown> & { destroy?: (error?: Error) => void },
	maxBytes = MAX_STREAM_BODY_BYTES,
): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const bytes = Buffer.isBuffer(chunk)
			? chunk
			: isByteView(chunk)
				? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
				: Buffer.from(String(chunk), 'utf8');
		size += bytes.length;
		if (size > maxBytes) {
			const error = new UnsignableRequestError(
				`Volcengine signing reads a streamed (binary file) body into memory to hash it, up to ${formatMiB(maxBytes)} (${maxBytes} bytes); ` +
					`this body is larger (more than ${size} bytes read). Send a file of at most ${formatMiB(maxBytes)}.`,
			);
			stream.destroy?.(error);
			throw error;
		}
		chunks.push(bytes);
	}
	return Buffer.concat(chunks, size);
}

/**
 * Replaces a streamed body by its bytes (the only asynchronous step of signing). Returns the
 * request unchanged when its body is not a stream.
 */
export async function bufferStreamBody<T extends N8nRequestLike>(
	request: T,
	maxBytes = MAX_STREAM_BODY_BYTES,
): Promise<T> {
	if (!isReadableBody(request.body)) return request;
	return { ...request, body: await readStreamBody(request.body, maxBytes) };
}
