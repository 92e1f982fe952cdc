/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, no-loss-of-precision -- test tooling, not shipped */
import { createHash } from 'node:crypto';

import { bodyDigest, jsonBodyBytes } from '../../nodes/shared/requests/jsonBody';
import {
	IMAGE_MAX_BYTES,
	decodeBase64Image,
	type ImageBytes,
	type ImageInput,
} from '../../nodes/shared/jimeng/requests/imageRules';
import { InputValidationError } from '../../nodes/shared/requests/inputValues';
import { attachImageData } from '../../nodes/shared/jimeng/requests/deferredImages';
import {
	buildVideoRequest,
	type VideoRequestInput,
} from '../../nodes/shared/jimeng/requests/requestBuilder';
import { buildReqJson, checkTaskId } from '../../nodes/shared/jimeng/requests/taskParameters';
import { gifBytes, jpegBytes, pngBytes } from '../fixtures/images';
import { thrownBy } from '../support/thrown';

const textInput = (overrides: Partial<VideoRequestInput> = {}): VideoRequestInput => ({
	model: 'jimeng_ti2v_v30_pro',
	prompt: 'A corgi surfing at sunset',
	frames: 121,
	aspectRatio: '16:9',
	seed: -1,
	images: [],
	...overrides,
});

const bytesImage = (bytes: Uint8Array, slot: 'first' | 'last' = 'first'): ImageInput => ({
	slot,
	kind: 'bytes',
	bytes,
	parameter: slot === 'first' ? 'Input Binary Field' : 'Last Frame Binary Field',
	origin: 'binary property "data"',
});

const failure = (input: VideoRequestInput) =>
	thrownBy(() => buildVideoRequest(input), InputValidationError);

describe('buildVideoRequest: text-to-video', () => {
	it('builds the Pro body with the vendor page defaults', () => {
		const request = buildVideoRequest(textInput());
		expect(request.body).toEqual({
			req_key: 'jimeng_ti2v_v30_pro',
			prompt: 'A corgi surfing at sunset',
			seed: -1,
			frames: 121,
			aspect_ratio: '16:9',
		});
		expect(request.hints).toEqual([]);
	});

	it('accepts numbers given as text (from a sheet or an expression)', () => {
		const request = buildVideoRequest(textInput({ frames: '241', seed: ' 42 ' }));
		expect(request.body).toMatchObject({ frames: 241, seed: 42 });
	});

	it('hints above 400 characters and refuses above 800 (code points, not UTF-16 units)', () => {
		expect(buildVideoRequest(textInput({ prompt: '猫'.repeat(401) })).hints[0]).toMatch(
			/401 characters.*400/,
		);
		expect(buildVideoRequest(textInput({ prompt: '😀'.repeat(800) })).body.prompt).toHaveLength(
			1600,
		);
		const error = failure(textInput({ prompt: 'a'.repeat(801) }));
		expect(error.parameter).toBe('Prompt');
		expect(error.message).toBe('"Prompt" must be at most 800 characters; got 801 characters');
	});

	it.each([
		['empty', ''],
		['whitespace only', '   \n\t '],
		['missing', undefined],
	])('requires a prompt for text-to-video (%s)', (_name, prompt) => {
		const error = failure(textInput({ prompt }));
		expect(error.parameter).toBe('Prompt');
		expect(error.message).toMatch(/is required for text-to-video/);
	});

	it.each([
		[120, 'number 120'],
		['abc', '"abc"'],
		[121.5, 'number 121.5'],
		[true, 'boolean true'],
		[null, 'null'],
	])('refuses frames %p naming the rule and the value', (frames, shown) => {
		const error = failure(textInput({ frames }));
		expect(error.message).toBe(
			`"Duration" must be 5 s (121 frames) or 10 s (241 frames); got ${shown}`,
		);
	});

	it.each([['16:10'], [''], [169], ['9:21']])('refuses aspect ratio %p', (aspectRatio) => {
		expect(failure(textInput({ aspectRatio })).parameter).toBe('Aspect Ratio');
	});

	it.each([[1.5], ['x'], [-2], [{}], [2 ** 33]])('refuses seed %p', (seed) => {
		expect(failure(textInput({ seed })).message).toMatch(/^"Seed" must be a whole number/);
	});

	it('refuses an unknown model', () => {
		expect(failure(textInput({ model: 'jimeng_v99' })).message).toMatch(
			/"Model" must be one of jimeng_ti2v_v30_pro/,
		);
	});
});

describe('buildVideoRequest: image-to-video', () => {
	it('1280×720 PNG → 16:9, no crop; image sent as base64; aspect_ratio not sent', () => {
		const png = pngBytes(1280, 720);
		const request = buildVideoRequest(
			textInput({ prompt: '', images: [bytesImage(png)], aspectRatio: '16:9' }),
		);
		expect(request.body.binary_data_base64).toEqual([Buffer.from(png).toString('base64')]);
		expect(request.body.aspect_ratio).toBeUndefined();
		expect(request.body.prompt).toBeUndefined();
		expect(request.images[0]).toMatchObject({
			expectedAspectRatio: '16:9',
			cropped: false,
			crop: { x: 0, y: 0, width: 1280, height: 720 },
		});
	});

	it('1000×1000 JPEG → 1:1', () => {
		const request = buildVideoRequest(textInput({ images: [bytesImage(jpegBytes(1000, 1000))] }));
		expect(request.images[0]).toMatchObject({
			format: 'jpeg',
			expectedAspectRatio: '1:1',
			cropped: false,
		});
	});

	it('3000×1000 PNG → 21:9 with the vendor page crop', () => {
		const request = buildVideoRequest(textInput({ images: [bytesImage(pngBytes(3000, 1000))] }));
		expect(request.images[0]).toMatchObject({
			expectedAspectRatio: '21:9',
			cropped: true,
			crop: { x: 333, y: 0, width: 2333, height: 1000 },
		});
	});

	it('hints when an aspect ratio is set but the image decides', () => {
		const request = buildVideoRequest(
			textInput({ aspectRatio: '9:16', images: [bytesImage(pngBytes(1280, 720))] }),
		);
		expect(request.hints).toEqual([
			expect.stringMatching(/"9:16" is ignored for image-to-video.*\(16:9\)/),
		]);
	});

	it('sends a URL image as image_urls without downloading it', () => {
		const request = buildVideoRequest(
			textInput({
				images: [
					{
						slot: 'first',
						kind: 'url',
						url: 'https://example.com/a.jpg?x=1',
						parameter: 'Image URL',
					},
				],
			}),
		);
		expect(request.body.image_urls).toEqual(['https://example.com/a.jpg?x=1']);
		expect(request.images).toEqual([]);
	});

	it.each([
		['ftp://example.com/a.jpg', /must use http or https.*"ftp"/],
		['file:///etc/passwd', /must use http or https.*"file"/],
		['javascript:alert(1)', /must use http or https/],
		['not a url', /must be a valid http\(s\) URL/],
		['', /must be an http\(s\) URL/],
	])('refuses the image URL %p', (url, message) => {
		const error = failure(
			textInput({ images: [{ slot: 'first', kind: 'url', url, parameter: 'Image URL' }] }),
		);
		expect(error.parameter).toBe('Image URL');
		expect(error.message).toMatch(message);
	});

	it('refuses a 5 MB image, naming the size and the limit', () => {
		const big = new Uint8Array(5 * 1024 * 1024);
		big.set(pngBytes(1280, 720));
		const error = failure(textInput({ images: [bytesImage(big)] }));
		expect(error.message).toBe(
			`The first-frame image from binary property "data" is 5.00 MB (5242880 bytes): Jimeng takes at most 4.7 MB, ${IMAGE_MAX_BYTES} bytes. Parameter: "Input Binary Field"`,
		);
	});

	it('accepts an image of exactly the size limit and refuses one byte more (4.71 MB)', () => {
		const atLimit = new Uint8Array(IMAGE_MAX_BYTES);
		atLimit.set(pngBytes(1280, 720));
		expect(() => buildVideoRequest(textInput({ images: [bytesImage(atLimit)] }))).not.toThrow();
		const over = new Uint8Array(Math.round(4.71 * 1024 * 1024));
		over.set(pngBytes(1280, 720));
		expect(failure(textInput({ images: [bytesImage(over)] })).message).toMatch(/at most 4.7 MB/);
	});

	it('uses the full size when only the first part of a large file was read', () => {
		const prefix = pngBytes(1280, 720);
		const error = failure(
			textInput({ images: [{ ...bytesImage(prefix), totalBytes: 80_000_000 } as ImageInput] }),
		);
		expect(error.message).toMatch(/is 76.29 MB \(80000000 bytes\)/);
	});

	it.each([
		[
			'a 4:1 image',
			pngBytes(1600, 400),
			/^The first-frame image from .* is 1600×400 pixels \(long\/short side ratio 4.00\): its long side must be at most 3 times its short side\. Parameter: "Input Binary Field"$/,
		],
		[
			'ratio 3.01',
			pngBytes(1204, 400),
			/is 1204×400 pixels \(long\/short side ratio 3.01\): its long side must be at most 3 times its short side/,
		],
		[
			'a short side under 320',
			pngBytes(640, 319),
			/is 640×319 pixels: its short side must be at least 320 pixels/,
		],
		[
			'more than 4096 px',
			pngBytes(4097, 2000),
			/is 4097×2000 pixels: Jimeng takes at most 4096×4096 pixels/,
		],
		[
			'huge dimensions in a tiny file',
			pngBytes(100_000, 100_000),
			/is 100000×100000 pixels: Jimeng takes at most 4096×4096 pixels/,
		],
		[
			'a GIF renamed .png',
			gifBytes(800, 600),
			/^The first-frame image from binary property "data" is a GIF image: it must be a JPEG or PNG image, judged by its bytes, not its name\. Parameter: "Input Binary Field"$/,
		],
		['zero bytes', new Uint8Array(0), /is empty \(0 bytes\)/],
		[
			'a truncated PNG',
			pngBytes(800, 600).subarray(0, 20),
			/cannot be read as a JPEG or PNG: .*truncated.*: it must be a JPEG or PNG image/,
		],
		[
			'wrong magic',
			Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
			/must be a JPEG or PNG image/,
		],
	])('refuses %s', (_name, bytes, message) => {
		const error = failure(textInput({ images: [bytesImage(bytes)] }));
		expect(error.parameter).toBe('Input Binary Field');
		expect(error.message).toMatch(message);
	});

	it('accepts exactly ratio 3 and a 320 px short side', () => {
		expect(() =>
			buildVideoRequest(textInput({ images: [bytesImage(pngBytes(960, 320))] })),
		).not.toThrow();
	});
});

describe('buildVideoRequest with deferImageData, then attachImageData', () => {
	const cameraInput = (images: ImageInput[]) =>
		textInput({
			model: 'jimeng_i2v_recamera_v30',
			prompt: 'orbit',
			images,
			cameraTemplate: 'hitchcock_dolly_in',
			cameraStrength: 'strong',
		});

	it('checks the image in full but keeps only its size and sha256; attaching gives the very body (and ledger key) of a direct build', () => {
		const png = pngBytes(1280, 720);
		const direct = buildVideoRequest(cameraInput([bytesImage(png)]));
		const deferred = buildVideoRequest(cameraInput([bytesImage(png)]), { deferImageData: true });
		expect(deferred.images).toEqual(direct.images);
		expect(deferred.summary).toEqual(direct.summary);
		expect(deferred.deferredImages).toEqual([
			{
				slot: 'first',
				parameter: 'Input Binary Field',
				origin: 'binary property "data"',
				bytes: png.length,
				sha256: createHash('sha256').update(png).digest('hex'),
			},
		]);
		// No image data in what is kept, and no way to send it by mistake (it cannot be serialised).
		expect(() => JSON.stringify(deferred.body)).toThrow(/before its image data was attached/);
		expect(() => bodyDigest(deferred.body)).toThrow();

		const attached = attachImageData(deferred, [bytesImage(Uint8Array.from(png)) as ImageBytes]);
		// Sent bytes: the image goes in as bytes and is written as base64 only into the request body.
		expect(jsonBodyBytes(attached.body).toString('utf8')).toBe(JSON.stringify(direct.body));
		expect(Object.keys(attached.body)).toEqual([
			'req_key',
			'prompt',
			'seed',
			'frames',
			'binary_data_base64',
			'template_id',
			'camera_strength',
		]);
		// The ledger tells a changed request by this digest: the same for bytes and base64 text.
		expect(bodyDigest(attached.body)).toBe(bodyDigest(direct.body));
		expect(attached.deferredImages).toBeUndefined();
		// The deferred request itself still holds no bytes after an attach.
		expect(deferred.body.binary_data_base64).not.toBeInstanceOf(Array);
	});

	it('still refuses every bad image before anything is kept (format, size, dimensions, ratio)', () => {
		for (const bytes of [
			gifBytes(800, 600),
			pngBytes(2000, 500),
			pngBytes(100, 100),
			pngBytes(5000, 3000),
		]) {
			expect(() =>
				buildVideoRequest(textInput({ images: [bytesImage(bytes)] }), { deferImageData: true }),
			).toThrow(InputValidationError);
		}
	});

	it('fails the item, naming the parameter and both digests, when the image changed since the check', () => {
		const png = pngBytes(1280, 720);
		const deferred = buildVideoRequest(textInput({ prompt: '', images: [bytesImage(png)] }), {
			deferImageData: true,
		});
		const changed = Uint8Array.from(png);
		changed[changed.length - 1] ^= 0xff;
		const attach = (bytes: Uint8Array) => () =>
			attachImageData(deferred, [bytesImage(bytes) as ImageBytes]);
		expect(attach(changed)).toThrow(InputValidationError);
		expect(attach(changed)).toThrow(
			/^"Input Binary Field" changed after the batch was checked: binary property "data" was \d+ bytes, sha256 [0-9a-f]{16}… when checked and is \d+ bytes, sha256 [0-9a-f]{16}… at submit time; nothing was sent for this item$/,
		);
		expect(attach(png.subarray(0, png.length - 1))).toThrow(/changed after the batch was checked/);
		expect(() => attachImageData(deferred, [])).toThrow(/1 image\(s\) were checked, 0 found/);
	});

	it('first and last frame: both images checked, both attached in order', () => {
		const first = pngBytes(1280, 720);
		const last = jpegBytes(1920, 1080);
		const input = textInput({
			model: 'jimeng_i2v_first_tail_v30',
			prompt: 'x',
			images: [bytesImage(first), bytesImage(last, 'last')],
		});
		const deferred = buildVideoRequest(input, { deferImageData: true });
		expect(deferred.deferredImages?.map((image) => image.slot)).toEqual(['first', 'last']);
		const attached = attachImageData(deferred, [
			bytesImage(first),
			bytesImage(last, 'last'),
		] as ImageBytes[]);
		expect(jsonBodyBytes(attached.body).toString('utf8')).toBe(
			JSON.stringify(buildVideoRequest(input).body),
		);
		expect(() =>
			attachImageData(deferred, [bytesImage(last), bytesImage(first, 'last')] as ImageBytes[]),
		).toThrow(/"Input Binary Field" changed/);
	});

	it('a text-only or URL request is the same with or without deferImageData', () => {
		const url = textInput({
			images: [
				{ slot: 'first', kind: 'url', url: 'https://example.com/a.jpg', parameter: 'Image URL' },
			],
		});
		for (const input of [textInput(), url]) {
			const deferred = buildVideoRequest(input, { deferImageData: true });
			expect(deferred.deferredImages).toBeUndefined();
			expect(attachImageData(deferred, [])).toBe(deferred);
			expect(deferred.body).toEqual(buildVideoRequest(input).body);
		}
	});
});

describe('decodeBase64Image', () => {
	const png = pngBytes(800, 600);
	const raw = Buffer.from(png).toString('base64');

	it('takes raw base64, a data: URL and line-wrapped base64', () => {
		expect(Buffer.from(decodeBase64Image(raw, 'Image (Base64)'))).toEqual(Buffer.from(png));
		expect(
			Buffer.from(decodeBase64Image(`data:image/png;base64,${raw}`, 'Image (Base64)')),
		).toEqual(Buffer.from(png));
		expect(
			Buffer.from(decodeBase64Image(raw.replace(/(.{76})/g, '$1\n'), 'Image (Base64)')),
		).toEqual(Buffer.from(png));
	});

	it.each([
		['', /it is empty/],
		['not base64 at all!', /is not valid base64/],
		['data:image/png,rawdata', /must be a base64 data: URL/],
		[42, /must be a base64 string/],
	])('refuses %p', (value, message) => {
		expect(() => decodeBase64Image(value, 'Image (Base64)')).toThrow(message);
	});
});

describe('model rules', () => {
	it('first+last frame: needs two images of the same aspect ratio', () => {
		const model = 'jimeng_i2v_first_tail_v30';
		expect(
			failure(textInput({ model, images: [bytesImage(pngBytes(1280, 720))] })).message,
		).toMatch(
			/must provide a first-frame and a last-frame image for model jimeng_i2v_first_tail_v30/,
		);
		expect(
			failure(
				textInput({
					model,
					images: [bytesImage(pngBytes(1280, 720)), bytesImage(pngBytes(720, 1280), 'last')],
				}),
			).message,
		).toMatch(
			/"Last Frame" must have the same aspect ratio as the first frame \(16:9, 1280×720\); got 720×1280, closest to 9:16/,
		);
		const ok = buildVideoRequest(
			textInput({
				model,
				images: [bytesImage(pngBytes(1280, 720)), bytesImage(pngBytes(1920, 1080), 'last')],
			}),
		);
		expect((ok.body.binary_data_base64 as string[]).length).toBe(2);
		expect(ok.body.aspect_ratio).toBeUndefined();
	});

	it('text-only models refuse images; image-only models refuse none', () => {
		expect(
			failure(textInput({ model: 'jimeng_t2v_v30', images: [bytesImage(pngBytes(1280, 720))] }))
				.message,
		).toMatch(/must be "None" for text-to-video model jimeng_t2v_v30/);
		expect(failure(textInput({ model: 'jimeng_i2v_first_v30_1080' })).message).toMatch(
			/must provide a first-frame image/,
		);
	});

	it('camera motion: template required from the list, strength defaults to medium', () => {
		const model = 'jimeng_i2v_recamera_v30';
		const images = [bytesImage(pngBytes(1280, 720))];
		expect(failure(textInput({ model, images, cameraTemplate: 'zoom' })).message).toMatch(
			/"Camera Template" must be one of hitchcock_dolly_in/,
		);
		const request = buildVideoRequest(textInput({ model, images, cameraTemplate: 'robo_arm' }));
		expect(request.body).toMatchObject({ template_id: 'robo_arm', camera_strength: 'medium' });
		expect(
			failure(textInput({ model, images, cameraTemplate: 'robo_arm', cameraStrength: 'huge' }))
				.parameter,
		).toBe('Camera Strength');
	});
});

describe('checkTaskId and buildReqJson', () => {
	it('keeps task ids as strings and refuses what cannot be one', () => {
		expect(checkTaskId(' 7392616336519610409 ')).toBe('7392616336519610409');
		expect(() => checkTaskId(7392616336519610409)).toThrow(/lost digits/);
		expect(() => checkTaskId('123 456')).toThrow(
			/"Task ID" must be a task id: the digits of task_id returned by Submit; got "123 456"/,
		);
		expect(() => checkTaskId('')).toThrow(/got an empty string/);
		expect(() => checkTaskId('9'.repeat(10_240))).toThrow(/\(10240 characters\)/);
	});

	it('encodes AIGC metadata as a JSON string and checks the 256-character limit', () => {
		expect(buildReqJson({ contentProducer: 'acme', producerId: 'p-1' })).toBe(
			'{"aigc_meta":{"content_producer":"acme","producer_id":"p-1"}}',
		);
		expect(buildReqJson({})).toBeUndefined();
		expect(() => buildReqJson({ propagateId: 'x'.repeat(257) })).toThrow(
			/"AIGC Metadata › Propagate ID" must be at most 256 characters; got 257 characters/,
		);
	});
});
