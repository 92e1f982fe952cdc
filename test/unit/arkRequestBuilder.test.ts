/**
 * buildArkRequest: every per-model rule is checked before anything is sent, each failure an
 * InputValidationError naming the parameter as the editor labels it, the rule and the value.
 */
import { buildArkRequest, type ArkRequestValues } from '../../nodes/shared/ark';
import { InputValidationError } from '../../nodes/shared/requests/inputValues';
import { readImageSize } from '../../nodes/shared/images/imageSize';
import { HEIC, TIFF_LE, ascii, concat, gifBytes, pngBytes, u32le } from '../fixtures/images';
import { thrownBy } from '../support/thrown';

const PRO_15 = 'doubao-seedance-1-5-pro-251215';
const V2 = 'doubao-seedance-2-0-260128';
const V2_FAST = 'doubao-seedance-2-0-fast-260128';
const V2_MINI = 'doubao-seedance-2-0-mini-260615';
const V1_PRO = 'doubao-seedance-1-0-pro-250528';
const V1_FAST = 'doubao-seedance-1-0-pro-fast-251015';
const LITE_I2V = 'doubao-seedance-1-0-lite-i2v-250428';
const URL_IMAGE = { url: 'https://example.com/a.png' };

const build = (values: Partial<ArkRequestValues>) =>
	buildArkRequest(
		{ model: PRO_15, prompt: 'a red fox in snow', ...values },
		{ randomSeed: () => 123456 },
	);

const refused = (values: Partial<ArkRequestValues>) =>
	thrownBy(() => build(values), InputValidationError);

/** A lossy WebP header (VP8) of the given size. */
function webpBytes(width: number, height: number): Uint8Array {
	const frame = concat(
		[0, 0, 0, 0x9d, 0x01, 0x2a],
		[width & 0xff, width >> 8, height & 0xff, height >> 8],
		new Uint8Array(10),
	);
	return concat(
		ascii('RIFF'),
		u32le(4 + 8 + frame.length),
		ascii('WEBPVP8 '),
		u32le(frame.length),
		frame,
	);
}

/** A BMP (BITMAPINFOHEADER, bottom-up) of the given size, header only. */
function bmpBytes(width: number, height: number): Uint8Array {
	return concat(
		ascii('BM'),
		u32le(54),
		[0, 0, 0, 0],
		u32le(54),
		u32le(40),
		u32le(width),
		u32le(height),
		new Uint8Array(28),
	);
}

describe('buildArkRequest: the body', () => {
	it('text-to-video: prompt as the text item, settings as given, a client-drawn seed for -1', () => {
		const request = build({
			resolution: '1080p',
			ratio: '21:9',
			duration: 8,
			seed: -1,
			watermark: false,
			generateAudio: true,
		});
		expect(request.body).toEqual({
			model: PRO_15,
			content: [{ type: 'text', text: 'a red fox in snow' }],
			resolution: '1080p',
			ratio: '21:9',
			duration: 8,
			seed: 123456,
			watermark: false,
			generate_audio: true,
		});
		expect(request.summary).toMatchObject({
			mode: 'text',
			seed: 123456,
			seed_chosen_by_client: true,
			images: 0,
		});
	});

	it('keeps a seed the user set and draws a fresh one in [0, 2^32 - 1] otherwise', () => {
		expect(build({ seed: 42 }).body.seed).toBe(42);
		expect(build({ seed: '42' }).summary.seed_chosen_by_client).toBeUndefined();
		const seeds = Array.from(
			{ length: 200 },
			() => buildArkRequest({ model: PRO_15, prompt: 'x' }).body.seed!,
		);
		expect(
			seeds.every((seed) => Number.isInteger(seed) && seed >= 0 && seed <= 4_294_967_295),
		).toBe(true);
		expect(new Set(seeds).size).toBeGreaterThan(195);
	});

	it('images as URL or bytes: data:image/<format>;base64 by magic bytes, first and last frame roles', () => {
		const png = pngBytes(1280, 720);
		const request = build({ firstFrame: { bytes: png }, lastFrame: URL_IMAGE });
		expect(request.body.content).toEqual([
			{ type: 'text', text: 'a red fox in snow' },
			{
				type: 'image_url',
				image_url: { url: `data:image/png;base64,${Buffer.from(png).toString('base64')}` },
				role: 'first_frame',
			},
			{ type: 'image_url', image_url: { url: 'https://example.com/a.png' }, role: 'last_frame' },
		]);
		expect(request.images[0]).toMatchObject({ format: 'png', width: 1280, height: 720 });
		expect(request.summary.mode).toBe('firstLastFrame');
	});

	it('reads GIF, WebP and BMP sizes; HEIC only on 1.5 Pro, its size left to Ark with a hint', () => {
		for (const [bytes, format] of [
			[gifBytes(800, 600), 'gif'],
			[webpBytes(800, 600), 'webp'],
			[bmpBytes(800, 600), 'bmp'],
		] as const) {
			expect(readImageSize(bytes)).toEqual({ format, width: 800, height: 600 });
			expect(
				String((build({ firstFrame: { bytes } }).body.content[1].image_url as { url: string }).url),
			).toMatch(new RegExp(`^data:image/${format};base64,`));
		}
		const heic = build({ firstFrame: { bytes: HEIC } });
		expect(heic.hints.join(' ')).toMatch(/pixel size of a HEIC image is not read locally/);
		expect(refused({ model: V2, firstFrame: { bytes: HEIC } })).toMatchObject({
			parameter: 'First Frame',
		});
		expect(build({ model: V2, firstFrame: { bytes: TIFF_LE } }).hints.join(' ')).toMatch(/TIFF/);
	});

	it('reads lossless and extended WebP, top-down BMP; refuses a damaged WebP', () => {
		const bits = (800 - 1) | ((600 - 1) << 14);
		const vp8l = concat(
			ascii('RIFF'),
			u32le(30),
			ascii('WEBPVP8L'),
			u32le(10),
			[0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff],
			new Uint8Array(5),
		);
		expect(readImageSize(vp8l)).toEqual({ format: 'webp', width: 800, height: 600 });
		const vp8x = concat(
			ascii('RIFF'),
			u32le(30),
			ascii('WEBPVP8X'),
			u32le(10),
			[0, 0, 0, 0],
			[0x1f, 0x03, 0x00],
			[0x57, 0x02, 0x00],
			new Uint8Array(4),
		);
		expect(readImageSize(vp8x)).toEqual({ format: 'webp', width: 800, height: 600 });
		const topDown = bmpBytes(800, 600);
		topDown.set(u32le(-600 >>> 0), 22);
		expect(readImageSize(topDown)).toEqual({ format: 'bmp', width: 800, height: 600 });
		const damaged = webpBytes(800, 600);
		damaged[23] = 0;
		expect(refused({ firstFrame: { bytes: damaged } }).rule).toMatch(/no start code/);
	});

	it('reference media on 2.0: images, videos by URL, audio as WAV bytes', () => {
		const wav = concat(ascii('RIFF'), u32le(36), ascii('WAVEfmt '), new Uint8Array(28));
		const request = build({
			model: V2,
			referenceImages: [URL_IMAGE, URL_IMAGE],
			referenceVideos: [{ url: 'https://example.com/a.mp4' }],
			referenceAudios: [{ bytes: wav }],
		});
		expect(request.body.content.map((item) => item.role ?? item.type)).toEqual([
			'text',
			'reference_image',
			'reference_image',
			'reference_video',
			'reference_audio',
		]);
		expect((request.body.content[4].audio_url as { url: string }).url).toMatch(
			/^data:audio\/wav;base64,/,
		);
		expect(request.summary).toMatchObject({ mode: 'reference', images: 2, videos: 1, audios: 1 });
	});

	it('warns about text commands in the prompt (the parameters sent win over them)', () => {
		const request = build({ prompt: 'a fox --rs 480p --dur 10', resolution: '720p' });
		expect(request.body.resolution).toBe('720p');
		expect(request.hints.join(' ')).toMatch(/text commands such as "--rs 720p"/);
		expect(build({}).hints).toEqual([]);
	});

	it('frames (1.0) win over duration: duration is not sent, with a hint', () => {
		const request = build({ model: V1_PRO, frames: 121, duration: 5 });
		expect(request.body.frames).toBe(121);
		expect(request.body.duration).toBeUndefined();
		expect(request.hints.join(' ')).toMatch(/Frames is set/);
	});

	it('a draft is 480p; a draft reuse sends the draft task and no seed, ratio or duration', () => {
		expect(build({ draft: true }).body).toMatchObject({ draft: true, resolution: '480p' });
		const reuse = buildArkRequest({
			model: PRO_15,
			draftTaskId: 'cgt-20260101000000-abcde',
			ratio: '16:9',
			seed: 5,
			resolution: '720p',
		});
		expect(reuse.body).toEqual({
			model: PRO_15,
			content: [{ type: 'draft_task', draft_task: { id: 'cgt-20260101000000-abcde' } }],
			resolution: '720p',
		});
		expect(reuse.hints.join(' ')).toMatch(/ratio, seed come from the draft/);
	});

	it('leaves out a switch turned off where the model or mode does not take it', () => {
		expect(build({ model: V2, cameraFixed: false }).body.camera_fixed).toBeUndefined();
		expect(
			build({ model: LITE_I2V, prompt: '', referenceImages: [URL_IMAGE], cameraFixed: false }).body
				.camera_fixed,
		).toBeUndefined();
		expect(build({ model: V1_PRO, generateAudio: false }).body.generate_audio).toBeUndefined();
		expect(build({ cameraFixed: false, generateAudio: false }).body).toMatchObject({
			camera_fixed: false,
			generate_audio: false,
		});
	});

	it('flex with its expiry, a callback URL, web search on 2.0', () => {
		expect(
			build({
				serviceTier: 'flex',
				executionExpiresAfter: 86400,
				callbackUrl: 'https://hooks.example.com/ark',
			}).body,
		).toMatchObject({
			service_tier: 'flex',
			execution_expires_after: 86400,
			callback_url: 'https://hooks.example.com/ark',
		});
		expect(build({ model: V2, webSearch: true }).body.tools).toEqual([{ type: 'web_search' }]);
	});

	it('an endpoint id: accepted with a hint; only the rules all models share apply', () => {
		const request = build({ model: 'ep-20260101123456-abcde', duration: 15, resolution: '1080p' });
		expect(request.model).toBeUndefined();
		expect(request.hints.join(' ')).toMatch(/endpoint: its model's limits are unknown/);
		expect(refused({ model: 'ep-20260101123456-abcde', duration: 16 })).toMatchObject({
			parameter: 'Duration',
		});
	});

	it('refuses a body over 64 MB (large images must go by URL)', () => {
		const big = { url: `https://example.com/${'a'.repeat(22 * 1024 * 1024)}` };
		expect(refused({ model: V2, referenceImages: [big, big, big] })).toMatchObject({
			parameter: 'Reference Images',
			rule: expect.stringMatching(/under 64\.00 MB/),
		});
	});
});

describe('buildArkRequest: every rule, named as the editor labels it', () => {
	const wav = concat(ascii('RIFF'), u32le(36), ascii('WAVE'), new Uint8Array(32));
	it.each<[string, Partial<ArkRequestValues>, string, RegExp]>([
		[
			'an unknown model',
			{ model: 'seedance-3' },
			'Model',
			/Seedance model id .* or an endpoint id/,
		],
		[
			// n8n set API from the credential it picked for a new node after Model got Jimeng's default.
			'a Jimeng model kept when API became Seedance',
			{ model: 'jimeng_ti2v_v30_pro' },
			'Model',
			/^is a Jimeng model, but the credential is a Volcengine Ark API one \(Seedance\): choose a Seedance model, or a Volcengine API credential for Jimeng$/,
		],
		['no prompt for text-to-video', { prompt: '  ' }, 'Prompt', /required for text-to-video/],
		['a last frame alone', { lastFrame: URL_IMAGE }, 'Last Frame', /needs a First Frame too/],
		[
			'first frame and references',
			{ model: V2, firstFrame: URL_IMAGE, referenceImages: [URL_IMAGE] },
			'First Frame',
			/mutually exclusive/,
		],
		[
			'a last frame on 1.0 Pro Fast',
			{ model: V1_FAST, firstFrame: URL_IMAGE, lastFrame: URL_IMAGE },
			'Model',
			/does not make videos from a first and a last frame/,
		],
		[
			'text-to-video on Lite I2V',
			{ model: LITE_I2V },
			'Model',
			/does not make videos from text-to-video/,
		],
		['reference images on 1.5 Pro', { referenceImages: [URL_IMAGE] }, 'Model', /reference media/],
		[
			'10 reference images on 2.0',
			{ model: V2, referenceImages: Array(10).fill(URL_IMAGE) },
			'Reference Images',
			/0 to 9/,
		],
		[
			'5 reference images on Lite I2V',
			{ model: LITE_I2V, referenceImages: Array(5).fill(URL_IMAGE) },
			'Reference Images',
			/1 to 4/,
		],
		[
			'audio alone on 2.0',
			{ model: V2, referenceAudios: [{ bytes: wav }] },
			'Reference Audio',
			/at least one reference image or video/,
		],
		[
			'a reference video as bytes',
			{ model: V2, referenceVideos: [{ bytes: new Uint8Array(10) }], referenceImages: [URL_IMAGE] },
			'Reference Videos 1',
			/must be a URL/,
		],
		[
			'audio that is not WAV or MP3',
			{ model: V2, referenceImages: [URL_IMAGE], referenceAudios: [{ bytes: pngBytes(400, 400) }] },
			'Reference Audio 1',
			/WAV or MP3/,
		],
		[
			'1080p on 2.0 Fast',
			{ model: V2_FAST, resolution: '1080p' },
			'Resolution',
			/480p, 720p for doubao-seedance-2-0-fast/,
		],
		[
			'1080p with reference images on Lite I2V',
			{ model: LITE_I2V, prompt: '', referenceImages: [URL_IMAGE], resolution: '1080p' },
			'Resolution',
			/with reference images/,
		],
		[
			'adaptive text-to-video on 1.0 Pro',
			{ model: V1_PRO, ratio: 'adaptive' },
			'Ratio',
			/needs an image/,
		],
		[
			'adaptive with reference images on Lite I2V',
			{ model: LITE_I2V, referenceImages: [URL_IMAGE], ratio: 'adaptive' },
			'Ratio',
			/not taken with reference images/,
		],
		['a ratio Ark does not make', { ratio: '2:1' }, 'Ratio', /one of 16:9/],
		['13 s on 1.5 Pro', { duration: 13 }, 'Duration', /4 to 12, or -1/],
		['-1 on 1.0 Pro', { model: V1_PRO, duration: -1 }, 'Duration', /2 to 12 for/],
		[
			'-1 on 2.0 Mini',
			{ model: V2_MINI, duration: -1 },
			'Duration',
			/4 to 15 for doubao-seedance-2-0-mini/,
		],
		['a fractional duration', { duration: 5.5 }, 'Duration', /whole number/],
		['frames on 1.5 Pro', { frames: 121 }, 'Frames', /only taken by Seedance 1.0/],
		['122 frames on 1.0', { model: V1_PRO, frames: 122 }, 'Frames', /25 \+ 4n/],
		['seed -2', { seed: -2 }, 'Seed', /-1 for random/],
		[
			'camera fixed on 2.0',
			{ model: V2, cameraFixed: true },
			'Camera Fixed',
			/not taken by doubao-seedance-2-0/,
		],
		[
			'camera fixed with references on Lite I2V',
			{ model: LITE_I2V, referenceImages: [URL_IMAGE], cameraFixed: true },
			'Camera Fixed',
			/reference media/,
		],
		[
			'audio on a silent 1.0 model',
			{ model: V1_PRO, generateAudio: true },
			'Generate Audio',
			/silent videos/,
		],
		[
			'a last frame for a draft',
			{ draft: true, returnLastFrame: true },
			'Return Last Frame',
			/not available for a draft/,
		],
		['a draft at 720p', { draft: true, resolution: '720p' }, 'Resolution', /480p for a draft/],
		['a draft on 2.0', { model: V2, draft: true }, 'Draft', /only offered by Seedance 1.5 Pro/],
		[
			'flex on 2.0',
			{ model: V2, serviceTier: 'flex' },
			'Service Tier',
			/not offered for doubao-seedance-2-0/,
		],
		[
			'flex for a draft',
			{ draft: true, serviceTier: 'flex' },
			'Service Tier',
			/not available for a draft/,
		],
		['an unknown tier', { serviceTier: 'batch' }, 'Service Tier', /default, flex/],
		[
			'expiry under an hour',
			{ executionExpiresAfter: 600 },
			'Expires After',
			/3600 \(1 hour\) to 259200/,
		],
		[
			'a callback that is not http(s)',
			{ callbackUrl: 'ftp://example.com/x' },
			'Callback URL',
			/http\(s\) URL/,
		],
		['web search on 1.5 Pro', { webSearch: true }, 'Web Search', /2\.0 and 2\.0 Fast/],
		[
			'a draft reuse with a prompt',
			{ draftTaskId: 'cgt-20260101000000-abcde' },
			'Draft Task ID',
			/leave Prompt and the image fields empty/,
		],
		[
			'a draft reuse on 2.0',
			{ model: V2, prompt: '', draftTaskId: 'cgt-20260101000000-abcde' },
			'Draft Task ID',
			/only taken by Seedance 1.5 Pro/,
		],
		[
			'a draft reuse with a bad id',
			{ prompt: '', draftTaskId: 'cgt 1/2' },
			'Draft Task ID',
			/Ark task id/,
		],
		['a switch that is not a boolean', { watermark: 'yes' }, 'Watermark', /true or false/],
		[
			'a 200×200 image',
			{ firstFrame: { bytes: pngBytes(200, 200) } },
			'First Frame',
			/wider and taller than 300 pixels/,
		],
		[
			'a 3:1 image',
			{ firstFrame: { bytes: pngBytes(1500, 500) } },
			'First Frame',
			/ratio between 0\.4 and 2\.5/,
		],
		[
			'an image of 30 MB',
			{ firstFrame: { bytes: pngBytes(1280, 720), totalBytes: 30 * 1024 * 1024 } },
			'First Frame',
			/under 30 MB/,
		],
		[
			'bytes that are no image',
			{ firstFrame: { bytes: new Uint8Array([1, 2, 3, 4]), origin: 'binary property "data"' } },
			'First Frame',
			/binary property "data": the data is not an image/,
		],
		[
			'an image URL that is not http(s)',
			{ firstFrame: { url: 'file:///etc/passwd' } },
			'First Frame',
			/http\(s\) URL or an asset/,
		],
	])('refuses %s', (_name, values, parameter, rule) => {
		const error = refused(values);
		expect(error.parameter).toBe(parameter);
		expect(error.rule).toMatch(rule);
		expect(error.message.startsWith(`"${parameter}" `)).toBe(true);
	});

	it('names the value it refused', () => {
		expect(refused({ duration: 13 }).value).toBe('number 13');
		expect(refused({ model: 'seedance-3' }).value).toBe('"seedance-3"');
	});
});
