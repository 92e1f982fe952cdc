/* eslint-disable @n8n/community-nodes/require-node-api-error -- test tooling, not shipped */
// Request validation for the Jimeng 3.0 video family (the family table in docs/jimeng-api.md and the
// 3.0 Pro vendor page). Every rule answers the business code the real service gives for it.
import { closestAspectRatio as productClosestAspectRatio } from '../../../nodes/shared/jimeng/requests/aspectRatio';
import { BusinessError } from './envelope';
import { readImageInfo } from './images';

export const MODEL_KEYS = [
	'jimeng_ti2v_v30_pro',
	'jimeng_t2v_v30',
	'jimeng_t2v_v30_1080p',
	'jimeng_i2v_first_v30',
	'jimeng_i2v_first_v30_1080',
	'jimeng_i2v_first_tail_v30',
	'jimeng_i2v_first_tail_v30_1080',
	'jimeng_i2v_recamera_v30',
] as const;
export type ModelKey = (typeof MODEL_KEYS)[number];

export const ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'] as const;
export const FRAMES = [121, 241] as const;
export const RECAMERA_TEMPLATES = [
	'hitchcock_dolly_in',
	'hitchcock_dolly_out',
	'robo_arm',
	'dynamic_orbit',
	'central_orbit',
	'crane_push',
	'quick_pull_back',
	'counterclockwise_swivel',
	'clockwise_swivel',
	'handheld',
	'rapid_push_pull',
] as const;
export const CAMERA_STRENGTHS = ['weak', 'medium', 'strong'] as const;

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_IMAGE_BYTES = Math.floor(4.7 * 1024 * 1024);
export const MAX_IMAGE_SIDE = 4096;
export const MIN_IMAGE_SIDE = 320;
export const MAX_IMAGE_SIDE_RATIO = 3;
export const MAX_PROMPT_CHARS = 800;
export const MAX_AIGC_META_CHARS = 256;

interface ModelSpec {
	/** Allowed image counts. */
	images: readonly number[];
	/** 'always': prompt required; 'without-image': required only for text-to-video; 'never': optional. */
	promptRequired: 'always' | 'without-image' | 'never';
	/** Whether aspect_ratio is read (image-to-video models ignore it). */
	aspectRatio: boolean;
	recamera: boolean;
}

const MODELS: Readonly<Record<ModelKey, ModelSpec>> = {
	jimeng_ti2v_v30_pro: {
		images: [0, 1],
		promptRequired: 'without-image',
		aspectRatio: true,
		recamera: false,
	},
	jimeng_t2v_v30: { images: [0], promptRequired: 'always', aspectRatio: true, recamera: false },
	jimeng_t2v_v30_1080p: {
		images: [0],
		promptRequired: 'always',
		aspectRatio: true,
		recamera: false,
	},
	jimeng_i2v_first_v30: {
		images: [1],
		promptRequired: 'never',
		aspectRatio: false,
		recamera: false,
	},
	jimeng_i2v_first_v30_1080: {
		images: [1],
		promptRequired: 'never',
		aspectRatio: false,
		recamera: false,
	},
	jimeng_i2v_first_tail_v30: {
		images: [2],
		promptRequired: 'never',
		aspectRatio: false,
		recamera: false,
	},
	jimeng_i2v_first_tail_v30_1080: {
		images: [2],
		promptRequired: 'never',
		aspectRatio: false,
		recamera: false,
	},
	jimeng_i2v_recamera_v30: {
		images: [1],
		promptRequired: 'never',
		aspectRatio: false,
		recamera: true,
	},
};

export function isModelKey(value: unknown): value is ModelKey {
	return typeof value === 'string' && (MODEL_KEYS as readonly string[]).includes(value);
}

export interface ImageInput {
	source: 'base64' | 'url';
	/** Pixel size, known for base64 images only (URLs are not fetched). */
	width?: number;
	height?: number;
}

export interface SubmitRequest {
	reqKey: ModelKey;
	prompt: string | null;
	images: ImageInput[];
	frames: number;
	aspectRatio: string | null;
	seed: number;
	templateId: string | null;
	cameraStrength: string | null;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go-style decoding: null, and the empty string / empty array, read as "not given". */
function given(value: unknown): boolean {
	return (
		value !== undefined &&
		value !== null &&
		value !== '' &&
		!(Array.isArray(value) && value.length === 0)
	);
}

function codePoints(text: string): number {
	return [...text].length;
}

/** Validates a CVSync2AsyncSubmitTask body; throws BusinessError with the code the service answers. */
export function validateSubmit(body: unknown): SubmitRequest {
	if (!isObject(body)) throw new BusinessError(50204, 'the request body must be a JSON object');
	const reqKey = readReqKey(body);
	const model = MODELS[reqKey];

	const prompt = readPrompt(body);
	const images = readImages(body, model);
	if (!model.images.includes(images.length)) {
		const wanted = model.images.filter((n) => n > 0).join(' or ');
		if (images.length === 0)
			throw new BusinessError(
				50201,
				`${reqKey} needs ${wanted} image(s) in binary_data_base64 or image_urls`,
			);
		if (model.images.length === 1 && model.images[0] === 0) {
			throw new BusinessError(
				50200,
				`${reqKey} is text-to-video and takes no image (binary_data_base64 / image_urls)`,
			);
		}
		throw new BusinessError(50200, `${reqKey} takes ${wanted} image(s), got ${images.length}`);
	}
	if (
		prompt === null &&
		(model.promptRequired === 'always' ||
			(model.promptRequired === 'without-image' && images.length === 0))
	) {
		throw new BusinessError(50201, `prompt is required for text-to-video (${reqKey})`);
	}
	if (reqKey.startsWith('jimeng_i2v_first_tail') && images[0].source === 'base64') {
		const first = closestAspectRatio(images[0].width!, images[0].height!);
		const last = closestAspectRatio(images[1].width!, images[1].height!);
		if (first !== last) {
			throw new BusinessError(
				50200,
				`the first and last frames must have the same aspect ratio: first ${images[0].width}x${images[0].height} (closest ${first}), last ${images[1].width}x${images[1].height} (closest ${last})`,
			);
		}
	}

	const frames = readFrames(body);
	const aspectRatio = model.aspectRatio ? readAspectRatio(body) : null;
	const seed = readSeed(body);
	let templateId: string | null = null;
	let cameraStrength: string | null = null;
	if (model.recamera) {
		if (!given(body.template_id))
			throw new BusinessError(50201, `template_id is required for ${reqKey}`);
		templateId = readEnum(body, 'template_id', RECAMERA_TEMPLATES)!;
		cameraStrength = readEnum(body, 'camera_strength', CAMERA_STRENGTHS) ?? 'medium';
	}
	return { reqKey, prompt, images, frames, aspectRatio, seed, templateId, cameraStrength };
}

function readReqKey(body: JsonObject): ModelKey {
	const reqKey = body.req_key;
	if (!given(reqKey)) throw new BusinessError(50201, 'req_key is required');
	if (typeof reqKey !== 'string') throw new BusinessError(50200, 'req_key must be a string');
	if (!isModelKey(reqKey))
		throw new BusinessError(50200, `req_key "${reqKey}" is not one of ${MODEL_KEYS.join(', ')}`);
	return reqKey;
}

function readPrompt(body: JsonObject): string | null {
	const prompt = body.prompt;
	if (prompt === undefined || prompt === null || prompt === '') return null;
	if (typeof prompt !== 'string') throw new BusinessError(50200, 'prompt must be a string');
	const length = codePoints(prompt);
	if (length > MAX_PROMPT_CHARS) {
		throw new BusinessError(
			50200,
			`prompt is ${length} characters, at most ${MAX_PROMPT_CHARS} are allowed`,
		);
	}
	return prompt;
}

function readImages(body: JsonObject, model: ModelSpec): ImageInput[] {
	const hasBase64 = given(body.binary_data_base64);
	const hasUrls = given(body.image_urls);
	if (hasBase64 && hasUrls) {
		throw new BusinessError(
			50200,
			'binary_data_base64 and image_urls are mutually exclusive: send the image(s) in one of them',
		);
	}
	if (!hasBase64 && !hasUrls) return [];
	const field = hasBase64 ? 'binary_data_base64' : 'image_urls';
	const list = body[field];
	if (!Array.isArray(list)) throw new BusinessError(50200, `${field} must be an array of strings`);
	// A wrong count is reported by the caller, before any image is decoded.
	if (!model.images.includes(list.length))
		return list.map(() => ({ source: hasBase64 ? 'base64' : 'url' }));
	return list.map((item, index) => {
		if (typeof item !== 'string')
			throw new BusinessError(50200, `${field}[${index}] must be a string`);
		return hasBase64
			? readBase64Image(item, `${field}[${index}]`)
			: readImageUrl(item, `${field}[${index}]`);
	});
}

function readImageUrl(url: string, where: string): ImageInput {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new BusinessError(50200, `${where} is not a valid URL`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new BusinessError(50200, `${where} must be an http or https URL, got ${parsed.protocol}`);
	}
	return { source: 'url' };
}

// Standard alphabet with padding, as Go's base64.StdEncoding expects; line breaks are ignored like Go does.
// A flat character class (plus a length check) rather than a repeated group: megabyte strings would
// overflow the regex engine's stack.
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

function readBase64Image(text: string, where: string): ImageInput {
	const compact = text.replace(/[\r\n]/g, '');
	if (compact === '') throw new BusinessError(50206, `${where} is empty`);
	if (compact.length % 4 !== 0 || !BASE64_RE.test(compact))
		throw new BusinessError(
			50207,
			`${where} is not valid base64 (a data: URL prefix is not accepted)`,
		);
	const bytes = Buffer.from(compact, 'base64');
	if (bytes.length === 0) throw new BusinessError(50206, `${where} is empty`);
	if (bytes.length > MAX_IMAGE_BYTES) {
		throw new BusinessError(
			50205,
			`${where} is ${bytes.length} bytes, at most ${MAX_IMAGE_BYTES} (4.7 MB) are allowed`,
		);
	}
	const info = readImageInfo(bytes);
	if (!info.ok) throw new BusinessError(50207, `${where}: ${info.reason}`);
	const { width, height } = info;
	const size = `${width}x${height}`;
	if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
		throw new BusinessError(
			50200,
			`${where} is ${size}: width and height must be at most ${MAX_IMAGE_SIDE}`,
		);
	}
	if (Math.min(width, height) < MIN_IMAGE_SIDE) {
		throw new BusinessError(
			50200,
			`${where} is ${size}: the short side must be at least ${MIN_IMAGE_SIDE}`,
		);
	}
	if (Math.max(width, height) / Math.min(width, height) > MAX_IMAGE_SIDE_RATIO) {
		throw new BusinessError(
			50200,
			`${where} is ${size}: the long side must be at most ${MAX_IMAGE_SIDE_RATIO} times the short side`,
		);
	}
	return { source: 'base64', width, height };
}

/**
 * The offered ratio nearest to width/height. One rule for the node and the simulator: the node's
 * (log distance, so that W/H and H/W are treated alike); the vendor page only says "closest".
 */
export const closestAspectRatio: (width: number, height: number) => (typeof ASPECT_RATIOS)[number] =
	productClosestAspectRatio;

function readFrames(body: JsonObject): number {
	const frames = body.frames;
	if (frames === undefined || frames === null) return 121;
	if (typeof frames !== 'number' || !Number.isInteger(frames))
		throw new BusinessError(50200, 'frames must be an integer (121 or 241)');
	if (!(FRAMES as readonly number[]).includes(frames))
		throw new BusinessError(50200, `frames must be 121 (5 s) or 241 (10 s), got ${frames}`);
	return frames;
}

function readAspectRatio(body: JsonObject): string {
	return readEnum(body, 'aspect_ratio', ASPECT_RATIOS) ?? '16:9';
}

function readSeed(body: JsonObject): number {
	const seed = body.seed;
	if (seed === undefined || seed === null) return -1;
	if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
		throw new BusinessError(50200, 'seed must be an integer');
	return seed;
}

function readEnum(body: JsonObject, field: string, allowed: readonly string[]): string | null {
	const value = body[field];
	if (value === undefined || value === null) return null;
	if (typeof value !== 'string' || !allowed.includes(value)) {
		throw new BusinessError(
			50200,
			`${field} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
		);
	}
	return value;
}

export interface AigcMeta {
	content_producer?: string;
	producer_id?: string;
	content_propagator?: string;
	propagate_id?: string;
}

export interface GetResultRequest {
	reqKey: ModelKey;
	taskId: string;
	aigcMeta: AigcMeta | null;
}

const AIGC_META_FIELDS = [
	'content_producer',
	'producer_id',
	'content_propagator',
	'propagate_id',
] as const;

/** Validates a CVSync2AsyncGetResult body; throws BusinessError. */
export function validateGetResult(body: unknown): GetResultRequest {
	if (!isObject(body)) throw new BusinessError(50204, 'the request body must be a JSON object');
	const reqKey = readReqKey(body);
	const taskId = body.task_id;
	if (!given(taskId)) throw new BusinessError(50201, 'task_id is required');
	// A number here means the client parsed the id: ids can exceed 2^63, so the service only takes strings.
	if (typeof taskId !== 'string') throw new BusinessError(50200, 'task_id must be a string');
	return { reqKey, taskId, aigcMeta: readReqJson(body.req_json) };
}

function readReqJson(reqJson: unknown): AigcMeta | null {
	if (reqJson === undefined || reqJson === null || reqJson === '') return null;
	if (typeof reqJson !== 'string')
		throw new BusinessError(50200, 'req_json must be a string containing JSON (JSON inside JSON)');
	let parsed: unknown;
	try {
		parsed = JSON.parse(reqJson);
	} catch {
		throw new BusinessError(50200, 'req_json is not valid JSON');
	}
	if (!isObject(parsed)) throw new BusinessError(50200, 'req_json must encode a JSON object');
	const meta = parsed.aigc_meta;
	if (meta === undefined || meta === null) return null;
	if (!isObject(meta)) throw new BusinessError(50200, 'req_json.aigc_meta must be an object');
	const result: AigcMeta = {};
	for (const field of AIGC_META_FIELDS) {
		const value = meta[field];
		if (value === undefined || value === null) continue;
		if (typeof value !== 'string')
			throw new BusinessError(50200, `req_json.aigc_meta.${field} must be a string`);
		const length = codePoints(value);
		if (length > MAX_AIGC_META_CHARS) {
			throw new BusinessError(
				50200,
				`req_json.aigc_meta.${field} is ${length} characters, at most ${MAX_AIGC_META_CHARS}`,
			);
		}
		result[field] = value;
	}
	return result;
}

export interface PromptMarkers {
	/** `[sim:code=NNNNN]`: the submit answers this code and creates no task. */
	code: number | null;
	/** `[sim:fail=NNNNN]`: the task is created and ends failed with this code. */
	fail: number | null;
	/** `[sim:ms=NNNN]`: total duration of this task. */
	ms: number | null;
}

/** Test hooks carried in the prompt. */
export function readPromptMarkers(prompt: string | null): PromptMarkers {
	const read = (name: string): number | null => {
		const match = new RegExp(`\\[sim:${name}=(\\d+)\\]`).exec(prompt ?? '');
		return match ? Number(match[1]) : null;
	};
	return { code: read('code'), fail: read('fail'), ms: read('ms') };
}
