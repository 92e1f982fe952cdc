// The Ark simulator's create validation: Ark checks the body strongly (a wrong value or type is an
// InvalidParameter, an unknown model a 404), per model (arkModels.ts). Answers are Ark's error
// envelope with its HTTP status (docs/ark-api.md "Errors").
import { readImageInfo } from '../images';
import { SIM_MODELS, closestRatio, type Resolution, type SimModel } from './arkModels';

export class ArkSimError extends Error {
	constructor(
		readonly http: number,
		readonly code: string,
		message: string,
		readonly param = '',
		readonly type = http === 401
			? 'Unauthorized'
			: http === 404
				? 'NotFound'
				: http === 429
					? 'TooManyRequests'
					: 'BadRequest',
	) {
		super(message);
	}
}

export interface SimImage {
	role: 'first_frame' | 'last_frame' | 'reference_image';
	width?: number;
	height?: number;
}

export interface ValidCreate {
	/** what the request said: a model id or an endpoint id (what filter.model matches) */
	endpoint: string;
	model: string;
	spec: SimModel;
	prompt: string;
	images: SimImage[];
	videos: number;
	audios: number;
	resolution: Resolution;
	ratio: string;
	seconds: number;
	frames?: number;
	seed: number;
	generateAudio?: boolean;
	returnLastFrame: boolean;
	serviceTier: 'default' | 'flex';
	expiresAfter: number;
	draft: boolean;
	draftTaskId?: string;
	callbackUrl?: string;
}

const invalid = (param: string, message: string) =>
	new ArkSimError(
		400,
		'InvalidParameter',
		`The parameter \`${param}\` specified in the request is not valid: ${message}`,
		param,
	);

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function optional<T>(
	body: Json,
	key: string,
	type: string,
	check?: (value: T) => boolean,
): T | undefined {
	const value = body[key];
	if (value === undefined) return undefined;
	if (typeof value !== type || (check && !check(value as T)))
		throw invalid(key, `got ${JSON.stringify(value)}`);
	return value as T;
}

function checkImageUrl(
	url: string,
	param: string,
	v2: boolean,
): { width?: number; height?: number } {
	if (/^https?:\/\/\S+$/.test(url) || (v2 && /^asset:\/\/\S+$/.test(url))) return {};
	const data = /^data:image\/([a-z]+);base64,([A-Za-z0-9+/=]+)$/.exec(url);
	if (!data)
		throw invalid(param, 'the image must be an http(s) URL or data:image/<format>;base64,<data>');
	const bytes = Buffer.from(data[2], 'base64');
	if (bytes.length >= 30 * 1024 * 1024) throw invalid(param, 'the image must be under 30 MB');
	if (data[1] !== 'png' && data[1] !== 'jpeg') return {}; // other formats: accepted unread
	const info = readImageInfo(bytes);
	if (!info.ok) throw invalid(param, `the image cannot be decoded (${info.reason})`);
	const { width, height } = info;
	if (
		Math.min(width, height) <= 300 ||
		Math.max(width, height) >= 6000 ||
		width / height <= 0.4 ||
		width / height >= 2.5
	)
		throw invalid(
			param,
			`the image is ${width}x${height}: sides must be in (300, 6000) px and the ratio in (0.4, 2.5)`,
		);
	return { width, height };
}

interface Content {
	prompt: string;
	images: SimImage[];
	videos: number;
	audios: number;
	draftTaskId?: string;
}

function readContent(body: Json, spec: SimModel): Content {
	const items = body.content;
	if (!Array.isArray(items) || items.length === 0)
		throw new ArkSimError(
			400,
			'MissingParameter',
			'The request is missing the parameter `content`.',
			'content',
		);
	const v2 = spec.refVideos > 0;
	const out: Content = { prompt: '', images: [], videos: 0, audios: 0 };
	for (const [index, item] of items.entries()) {
		const param = `content[${index}]`;
		if (!isJson(item)) throw invalid(param, 'not an object');
		const url = (key: string) => {
			const inner = item[key];
			if (!isJson(inner) || typeof inner.url !== 'string')
				throw invalid(`${param}.${key}.url`, 'missing');
			return inner.url;
		};
		if (item.type === 'text' && typeof item.text === 'string') out.prompt += item.text;
		else if (item.type === 'image_url') {
			const role = item.role ?? 'first_frame';
			if (role !== 'first_frame' && role !== 'last_frame' && role !== 'reference_image')
				throw invalid(`${param}.role`, String(role));
			out.images.push({ role, ...checkImageUrl(url('image_url'), `${param}.image_url.url`, v2) });
		} else if ((item.type === 'video_url' || item.type === 'audio_url') && v2) {
			const kind = item.type === 'video_url' ? 'videos' : 'audios';
			if (
				!/^(https?|asset):\/\/\S+$/.test(url(item.type)) &&
				!(kind === 'audios' && /^data:audio\//.test(url(item.type)))
			)
				throw invalid(`${param}.${item.type}.url`, 'must be a URL');
			out[kind]++;
		} else if (
			item.type === 'draft_task' &&
			isJson(item.draft_task) &&
			typeof item.draft_task.id === 'string'
		)
			out.draftTaskId = item.draft_task.id;
		else throw invalid(`${param}.type`, `${JSON.stringify(item.type)} is not taken by this model`);
	}
	return out;
}

function checkMode(content: Content, spec: SimModel): 'text' | 'frames' | 'reference' {
	const roles = content.images.map((image) => image.role);
	const refs = roles.filter((role) => role === 'reference_image').length;
	const first = roles.filter((role) => role === 'first_frame').length;
	const last = roles.filter((role) => role === 'last_frame').length;
	if (refs + content.videos + content.audios > 0 && first + last > 0)
		throw invalid('content', 'first/last frames and reference media cannot be mixed');
	if (first > 1 || last > 1 || (last && !first))
		throw invalid('content', 'at most one first frame, and a last frame only with a first frame');
	if (refs + content.videos + content.audios > 0) {
		if (
			refs > spec.refImages ||
			refs < spec.minRefImages ||
			content.videos > spec.refVideos ||
			content.audios > spec.refAudios ||
			spec.refImages === 0
		)
			throw invalid('content', 'reference media count not supported by this model');
		if (content.audios && refs + content.videos === 0)
			throw invalid('content', 'reference audio needs a reference image or video');
		return 'reference';
	}
	if (last && !spec.lastFrame) throw invalid('content', 'this model does not take a last frame');
	if (first && !spec.firstFrame) throw invalid('content', 'this model does not take an image');
	if (!first && (!spec.textToVideo || !content.prompt.trim()) && !content.draftTaskId)
		throw invalid('content', 'a text prompt is required');
	return first ? 'frames' : 'text';
}

export interface DraftInfo {
	model: string;
	ratio: string;
	seconds: number;
	seed: number;
	isDraft: boolean;
	status: string;
}

/** The create body checked like Ark checks it; throws ArkSimError with Ark's envelope fields. */
export function validateCreate(
	raw: unknown,
	endpoints: Record<string, string>,
	findDraft: (id: string) => DraftInfo | undefined,
	random: () => number,
): ValidCreate {
	if (!isJson(raw)) throw invalid('body', 'the request body must be a JSON object');
	if (typeof raw.model !== 'string' || !raw.model)
		throw new ArkSimError(
			400,
			'MissingParameter',
			'The request is missing the parameter `model`.',
			'model',
		);
	const model = endpoints[raw.model] ?? raw.model;
	const spec = SIM_MODELS[model];
	if (!spec)
		throw new ArkSimError(
			404,
			'InvalidEndpointOrModel.NotFound',
			`The model or endpoint ${raw.model} does not exist or you do not have access to it.`,
			'model',
			'NotFound',
		);
	const content = readContent(raw, spec);
	const mode = checkMode(content, spec);
	if (/\[sim:input-moderation\]/.test(content.prompt))
		throw new ArkSimError(
			400,
			'InputTextSensitiveContentDetected',
			'The request failed because the input text may contain sensitive information.',
		);
	const draft = optional<boolean>(raw, 'draft', 'boolean') ?? false;
	const draftInfo = content.draftTaskId === undefined ? undefined : findDraft(content.draftTaskId);
	if (
		content.draftTaskId !== undefined &&
		(!spec.draft ||
			!draftInfo ||
			draftInfo.model !== model ||
			!draftInfo.isDraft ||
			draftInfo.status !== 'succeeded')
	)
		throw invalid('content.draft_task.id', 'not a succeeded draft task of this model');
	if (draft && (!spec.draft || draftInfo))
		throw invalid('draft', 'draft is only taken by 1.5 pro, and not with draft_task');

	const allowed = (mode === 'reference' && spec.referenceResolutions) || spec.resolutions;
	const resolution = optional<string>(raw, 'resolution', 'string', (v) =>
		(allowed as string[]).includes(v),
	) as Resolution | undefined;
	const ratioRaw = optional<string>(raw, 'ratio', 'string', (v) =>
		[
			...Object.keys({ '16:9': 1, '4:3': 1, '1:1': 1, '3:4': 1, '9:16': 1, '21:9': 1 }),
			'adaptive',
		].includes(v),
	);
	if (
		ratioRaw === 'adaptive' &&
		((mode === 'text' && !spec.textAdaptive) || (mode === 'reference' && spec.frames))
	)
		throw invalid('ratio', 'adaptive is not taken here');
	const frames = optional<number>(
		raw,
		'frames',
		'number',
		(v) => spec.frames && Number.isInteger(v) && v >= 29 && v <= 289 && (v - 25) % 4 === 0,
	);
	const duration = optional<number>(
		raw,
		'duration',
		'number',
		(v) =>
			Number.isInteger(v) &&
			((v >= spec.minSeconds && v <= spec.maxSeconds) || (v === -1 && spec.autoDuration)),
	);
	const seed =
		optional<number>(
			raw,
			'seed',
			'number',
			(v) => Number.isInteger(v) && v >= -1 && v <= 4294967295,
		) ?? -1;
	const cameraFixed = optional<boolean>(raw, 'camera_fixed', 'boolean');
	if (cameraFixed && (!spec.cameraFixed || mode === 'reference'))
		throw invalid('camera_fixed', 'not taken by this model or mode');
	optional<boolean>(raw, 'watermark', 'boolean');
	const generateAudio = optional<boolean>(
		raw,
		'generate_audio',
		'boolean',
		(v) => spec.audio || !v,
	);
	const returnLastFrame = optional<boolean>(raw, 'return_last_frame', 'boolean') ?? false;
	const serviceTier =
		optional<string>(
			raw,
			'service_tier',
			'string',
			(v) => v === 'default' || (v === 'flex' && spec.flex),
		) ?? 'default';
	const expiresAfter =
		optional<number>(
			raw,
			'execution_expires_after',
			'number',
			(v) => Number.isInteger(v) && v >= 3600 && v <= 259200,
		) ?? 172800;
	const callbackUrl = optional<string>(raw, 'callback_url', 'string', (v) =>
		/^https?:\/\/\S+$/.test(v),
	);
	if (raw.tools !== undefined && (!spec.webSearch || !Array.isArray(raw.tools)))
		throw invalid('tools', 'web_search is taken by 2.0 and 2.0 fast only');
	if (draft && ((resolution ?? '480p') !== '480p' || returnLastFrame || serviceTier === 'flex'))
		throw invalid('draft', 'a draft is 480p, without last frame or flex');

	const first = content.images.find((image) => image.role !== 'reference_image');
	const adaptive = ratioRaw === 'adaptive' || (ratioRaw === undefined && mode !== 'text');
	const ratio =
		draftInfo?.ratio ??
		(adaptive
			? first?.width
				? closestRatio(first.width, first.height!)
				: '16:9'
			: (ratioRaw ?? '16:9'));
	const chosenSeconds = duration === -1 ? Math.min(spec.maxSeconds, 6) : (duration ?? 5);
	return {
		endpoint: raw.model,
		model,
		spec,
		prompt: content.prompt,
		images: content.images,
		videos: content.videos,
		audios: content.audios,
		resolution: draft
			? '480p'
			: (resolution ?? (spec.frames && model.includes('pro') ? '1080p' : '720p')),
		ratio,
		seconds: draftInfo?.seconds ?? (frames ? frames / 24 : chosenSeconds),
		frames,
		seed: draftInfo?.seed ?? (seed === -1 ? Math.floor(random() * 2 ** 32) : seed),
		generateAudio: spec.audio ? (generateAudio ?? true) : undefined,
		returnLastFrame,
		serviceTier: serviceTier as 'default' | 'flex',
		expiresAfter,
		draft,
		draftTaskId: content.draftTaskId,
		callbackUrl,
	};
}
