/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test tooling, not shipped */
import { createHash, randomBytes } from 'node:crypto';

import { Base64Image, bodyDigest, jsonBodyBytes } from '../../nodes/shared/requests/jsonBody';

const asStrings = (images: Buffer[]) => images.map((image) => image.toString('base64'));
const asBytes = (images: Buffer[]) => images.map((image) => new Base64Image(image));

function body(images: unknown[], prompt = 'a cat on a skateboard'): Record<string, unknown> {
	return {
		req_key: 'jimeng_i2v_first_v30',
		prompt,
		seed: -1,
		frames: 121,
		binary_data_base64: images,
		template_id: 'hitchcock_dolly_in',
	};
}

describe('jsonBodyBytes', () => {
	// 49,152 bytes is one encoding piece: sizes around it, and around 3-byte groups, catch seams and padding.
	const sizes = [0, 1, 2, 3, 4, 49_151, 49_152, 49_153, 98_305, 1_000_000];

	it.each(sizes)(
		'writes a %d-byte image exactly as JSON.stringify writes its base64 string',
		(size) => {
			const image = randomBytes(size);
			const sent = jsonBodyBytes(body(asBytes([image])));
			expect(sent.equals(Buffer.from(JSON.stringify(body(asStrings([image]))), 'utf8'))).toBe(true);
		},
	);

	it('keeps two images in their order, beside non-ASCII text and a prompt that looks like a marker', () => {
		const images = [randomBytes(70_000), randomBytes(5)];
		const prompt = '一只猫 "jimeng-image-0123456789abcdef-0" \\ \u2028 emoji 🎬';
		const sent = jsonBodyBytes(body(asBytes(images), prompt));
		expect(sent.toString('utf8')).toBe(JSON.stringify(body(asStrings(images), prompt)));
		expect(JSON.parse(sent.toString('utf8')).binary_data_base64).toEqual(asStrings(images));
	});

	it('sends a body without images as JSON.stringify does', () => {
		const getResult = {
			req_key: 'jimeng_t2v_v30',
			task_id: '7392616336519610409',
			req_json: '{"aigc_meta":{"content_producer":"x"}}',
		};
		expect(jsonBodyBytes(getResult).toString('utf8')).toBe(JSON.stringify(getResult));
	});

	it('refuses a plain JSON.stringify of a body holding image bytes', () => {
		expect(() => JSON.stringify(body(asBytes([randomBytes(10)])))).toThrow(/jsonBodyBytes/);
	});
});

describe('bodyDigest (the submission ledger key)', () => {
	it('is the same for an image as bytes and as its base64 string', () => {
		const image = randomBytes(120_001);
		expect(bodyDigest(body(asBytes([image])))).toBe(bodyDigest(body(asStrings([image]))));
	});

	it('differs when one byte of an image, or any other field, differs', () => {
		const image = randomBytes(60_000);
		const changed = Buffer.from(image);
		changed[59_999] ^= 1;
		const digest = bodyDigest(body(asBytes([image])));
		expect(bodyDigest(body(asBytes([changed])))).not.toBe(digest);
		expect(bodyDigest(body(asBytes([image]), 'another prompt'))).not.toBe(digest);
		expect(bodyDigest(body(asBytes([image, image])))).not.toBe(digest);
	});

	it('hashes the image once, not the base64 text inside the key text', () => {
		const image = randomBytes(3000);
		const imageDigest = createHash('sha256').update(image.toString('base64')).digest('hex');
		const expected = createHash('sha256')
			.update(JSON.stringify(body([`sha256:${imageDigest}`])))
			.digest('hex');
		expect(bodyDigest(body(asBytes([image])))).toBe(expected);
	});
});
