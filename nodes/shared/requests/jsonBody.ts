/**
 * A Submit body with its images as bytes, serialised straight into the bytes that are sent.
 *
 * Why: a 4.7 MB image is a 6.3 MB base64 string, and `JSON.stringify` of a body holding it makes a
 * second and third one (the request text, the ledger key). Strings that large live in V8's
 * large-object space until a full garbage collection, so a batch of image items piles them up.
 * Here the base64 text is written into one Buffer in small pieces and never exists as one string.
 * Pure: no n8n, no I/O.
 */
import { createHash, randomBytes } from 'crypto';

/** Multiple of 3, so that each piece encodes to base64 without padding; 64 KiB of text per piece. */
const CHUNK_BYTES = 3 * 16 * 1024;

/** An image in a request body, sent as its base64 text (`binary_data_base64` entries). */
export class Base64Image {
	constructor(readonly bytes: Uint8Array) {}

	/** Length of the base64 text, padding included. */
	get base64Length(): number {
		return 4 * Math.ceil(this.bytes.byteLength / 3);
	}

	/** The base64 text, piece by piece (each piece a short string). */
	*base64Pieces(): Generator<string> {
		const buffer = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
		for (let start = 0; start < buffer.length; start += CHUNK_BYTES) {
			yield buffer.toString('base64', start, Math.min(start + CHUNK_BYTES, buffer.length));
		}
	}

	/**
	 * A plain `JSON.stringify` must not send it: serialise bodies with `jsonBodyBytes`. Throwing here
	 * makes a forgotten path fail loudly in tests instead of quietly building the big string.
	 */
	toJSON(): never {
		throw new Error(
			'internal error: a request body holding image bytes must be serialised with jsonBodyBytes',
		);
	}
}

/** sha256 of an image entry's base64 text, the same for a Base64Image and for the string it stands for. */
function base64Digest(entry: Base64Image | string): string {
	const hash = createHash('sha256');
	if (typeof entry === 'string') hash.update(entry, 'latin1');
	else for (const piece of entry.base64Pieces()) hash.update(piece, 'latin1');
	return hash.digest('hex');
}

function isImageArray(value: unknown): value is Array<Base64Image | string> {
	return Array.isArray(value) && value.some((entry) => entry instanceof Base64Image);
}

/**
 * sha256 of the body as it would be sent, with each image replaced by its own digest: what the
 * submission ledger keys on. A body with images as strings and the same body with Base64Images give
 * the same digest.
 */
export function bodyDigest(body: unknown): string {
	const text = JSON.stringify(body, (key: string, value: unknown) => {
		// An array is handed to the replacer before its entries are serialised (and their toJSON called).
		if (key === 'binary_data_base64' && Array.isArray(value)) {
			return value.map((entry) =>
				entry instanceof Base64Image || typeof entry === 'string'
					? `sha256:${base64Digest(entry)}`
					: entry,
			);
		}
		return value;
	});
	return createHash('sha256')
		.update(text ?? '', 'utf8')
		.digest('hex');
}

/**
 * The UTF-8 bytes of `JSON.stringify(body)`, with every Base64Image written as its base64 string.
 * Base64 needs no JSON escaping, so the text goes in as it is.
 */
export function jsonBodyBytes(body: unknown): Buffer {
	const images: Base64Image[] = [];
	// A random token (letters, digits, dashes: JSON leaves it as it is) marks where each image goes.
	const token = `jimeng-image-${randomBytes(8).toString('hex')}-`;
	const text =
		JSON.stringify(body, (_key: string, value: unknown) => {
			if (!isImageArray(value)) return value;
			return value.map((entry) => {
				if (!(entry instanceof Base64Image)) return entry;
				images.push(entry);
				return `${token}${images.length - 1}`;
			});
		}) ?? '';
	if (images.length === 0) return Buffer.from(text, 'utf8');

	const parts: Array<string | Base64Image> = [];
	const markerAt = new RegExp(`${token}(\\d+)`, 'g');
	let at = 0;
	for (const match of text.matchAll(markerAt)) {
		parts.push(text.slice(at, match.index), images[Number(match[1])]);
		at = match.index + match[0].length;
	}
	parts.push(text.slice(at));

	const size = parts.reduce(
		(sum, part) =>
			sum + (typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.base64Length),
		0,
	);
	const bytes = Buffer.allocUnsafe(size);
	let offset = 0;
	for (const part of parts) {
		if (typeof part === 'string') {
			offset += bytes.write(part, offset, 'utf8');
			continue;
		}
		for (const piece of part.base64Pieces()) offset += bytes.write(piece, offset, 'latin1');
	}
	if (offset !== size)
		throw new Error(`internal error: a request body was ${offset} bytes, ${size} expected`);
	return bytes;
}
