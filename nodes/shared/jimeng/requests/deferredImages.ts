/**
 * A batch checks every image first but keeps only its size and sha256: what it remembers, the
 * stand-in that keeps the body unsendable until the image is back, and the check that the bytes
 * read again just before the submit are the very bytes that were checked. Pure.
 */
import { createHash } from 'crypto';

import type { ImageBytes, ImageSlot } from './imageRules';
import { InputValidationError } from '../../requests/inputValues';
import { Base64Image } from '../../requests/jsonBody';
import type { VideoRequest } from './requestBuilder';

/** What a deferred build remembers of a checked image instead of its bytes. */
export interface CheckedImageDigest {
	slot: ImageSlot;
	parameter: string;
	origin: string;
	bytes: number;
	sha256: string;
}

/**
 * Stands in for `binary_data_base64` in the body of a deferred build. It cannot be serialised, so a
 * request whose images were never attached fails before it is signed or sent (and before the
 * submission ledger keys it).
 */
export class DeferredImageData {
	constructor(readonly images: CheckedImageDigest[]) {}

	toJSON(): never {
		throw new Error(
			'internal error: a request was about to be sent before its image data was attached',
		);
	}
}

export function sha256Of(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

export function digestOf(image: ImageBytes): CheckedImageDigest {
	return {
		slot: image.slot,
		parameter: image.parameter,
		origin: image.origin,
		bytes: image.bytes.length,
		sha256: sha256Of(image.bytes),
	};
}

export function shortDigest(digest: { bytes: number; sha256: string }): string {
	return `${digest.bytes} bytes, sha256 ${digest.sha256.slice(0, 16)}…`;
}
/**
 * The sendable request of a deferred build: the images read again just before the submit go into
 * the body, in the place and form a direct build gives them (same body, same ledger key), once they
 * prove to be the very bytes that were checked. An image that changed in between fails the item:
 * nothing is sent for it.
 */
export function attachImageData(request: VideoRequest, images: ImageBytes[]): VideoRequest {
	const checked = request.deferredImages;
	if (!checked) return request;
	if (images.length !== checked.length) {
		throw new InputValidationError(
			checked[0]?.parameter ?? 'Image Source',
			`changed after the batch was checked: ${checked.length} image(s) were checked, ${images.length} found at submit time; nothing was sent for this item`,
			'',
		);
	}
	const encoded = images.map((image, index) => {
		const before = checked[index];
		const now = { bytes: image.bytes.length, sha256: sha256Of(image.bytes) };
		if (now.bytes !== before.bytes || now.sha256 !== before.sha256) {
			throw new InputValidationError(
				before.parameter,
				`changed after the batch was checked: ${before.origin} was ${shortDigest(before)} when checked and is ${shortDigest(now)} at submit time; nothing was sent for this item`,
				'',
			);
		}
		// Bytes, not a base64 string: jsonBodyBytes writes them into the sent body piece by piece.
		return new Base64Image(image.bytes);
	});
	// Replacing the key keeps its position: the body is the one a direct build gives.
	const body = { ...request.body, binary_data_base64: encoded };
	return {
		model: request.model,
		body,
		summary: request.summary,
		images: request.images,
		hints: request.hints,
	};
}
