/**
 * The Seedance models on Ark and what each takes (docs/ark-api.md "Models and limits"). The request
 * builder checks these before anything is sent; an endpoint id (`ep-…`) names a model only Ark
 * knows, so for it only the model-independent rules are checked.
 */

export type ArkResolution = '480p' | '720p' | '1080p';
export type ArkRatio = '16:9' | '4:3' | '1:1' | '3:4' | '9:16' | '21:9' | 'adaptive';
/** text-to-video, first frame, first + last frame, reference media (images; on 2.x also video/audio) */
export type ArkMode = 'text' | 'firstFrame' | 'firstLastFrame' | 'reference';

export const ARK_RESOLUTIONS: readonly ArkResolution[] = ['480p', '720p', '1080p'];
export const ARK_RATIOS: readonly ArkRatio[] = [
	'16:9',
	'4:3',
	'1:1',
	'3:4',
	'9:16',
	'21:9',
	'adaptive',
];

export interface ArkModelSpec {
	id: string;
	/** What the editor lists. */
	name: string;
	/** What the canvas subtitle shows. */
	shortName: string;
	family: '1.0' | '1.5' | '2.0';
	modes: readonly ArkMode[];
	resolutions: readonly ArkResolution[];
	/** Resolutions in reference mode, when fewer (1.0 lite i2v: no 1080p). */
	referenceResolutions?: readonly ArkResolution[];
	/** Seconds: [min, max]; `auto` = -1 (the model decides) is accepted. */
	duration: { min: number; max: number; auto: boolean };
	/** `frames` (25 + 4n in [29, 289]) instead of duration: 1.0 only. */
	frames: boolean;
	/** Reference media counts: [min, max] images when in reference mode, max videos and audios. */
	references: { images: readonly [number, number]; videos: number; audios: number };
	/** generate_audio (default true on these models). */
	audio: boolean;
	/** service_tier flex (offline, half price). */
	flex: boolean;
	/** draft mode and draft_task reuse. */
	draft: boolean;
	cameraFixed: boolean;
	/** ratio `adaptive` accepted for text-to-video. */
	textAdaptive: boolean;
	/** tools: web_search. */
	webSearch: boolean;
	/** HEIC/HEIF input images. */
	heic: boolean;
}

const V1_DURATION = { min: 2, max: 12, auto: false };
const NO_REFERENCES = { images: [0, 0] as const, videos: 0, audios: 0 };
const V2_REFERENCES = { images: [0, 9] as const, videos: 3, audios: 3 };
const V1_FLAGS = {
	family: '1.0' as const,
	frames: true,
	audio: false,
	flex: true,
	draft: false,
	cameraFixed: true,
	textAdaptive: false,
	webSearch: false,
	heic: false,
};
const V2_FLAGS = {
	family: '2.0' as const,
	modes: ['text', 'firstFrame', 'firstLastFrame', 'reference'] as const,
	frames: false,
	references: V2_REFERENCES,
	audio: true,
	flex: false,
	draft: false,
	cameraFixed: false,
	textAdaptive: true,
	heic: false,
};
const ALL_RESOLUTIONS = ARK_RESOLUTIONS;
const UP_TO_720: readonly ArkResolution[] = ['480p', '720p'];

export const DEFAULT_ARK_MODEL = 'doubao-seedance-1-5-pro-251215';

// Newest first: the editor lists them in this order.
export const ARK_MODELS: readonly ArkModelSpec[] = [
	{
		...V2_FLAGS,
		id: 'doubao-seedance-2-0-260128',
		name: 'Seedance 2.0 (sound, up to 1080p, 4–15 s, multimodal references)',
		shortName: 'Seedance 2.0',
		resolutions: ALL_RESOLUTIONS,
		duration: { min: 4, max: 15, auto: true },
		webSearch: true,
	},
	{
		...V2_FLAGS,
		id: 'doubao-seedance-2-0-fast-260128',
		name: 'Seedance 2.0 Fast (sound, up to 720p, 4–15 s)',
		shortName: 'Seedance 2.0 Fast',
		resolutions: UP_TO_720,
		duration: { min: 4, max: 15, auto: true },
		webSearch: true,
	},
	{
		...V2_FLAGS,
		id: 'doubao-seedance-2-0-mini-260615',
		name: 'Seedance 2.0 Mini (sound, up to 720p, 4–15 s)',
		shortName: 'Seedance 2.0 Mini',
		resolutions: UP_TO_720,
		duration: { min: 4, max: 15, auto: false },
		webSearch: false,
	},
	{
		id: 'doubao-seedance-1-5-pro-251215',
		name: 'Seedance 1.5 Pro (sound, up to 1080p, 4–12 s, draft mode)',
		shortName: 'Seedance 1.5 Pro',
		family: '1.5',
		modes: ['text', 'firstFrame', 'firstLastFrame'],
		resolutions: ALL_RESOLUTIONS,
		duration: { min: 4, max: 12, auto: true },
		frames: false,
		references: NO_REFERENCES,
		audio: true,
		flex: true,
		draft: true,
		cameraFixed: true,
		textAdaptive: true,
		webSearch: false,
		heic: true,
	},
	{
		...V1_FLAGS,
		id: 'doubao-seedance-1-0-pro-250528',
		name: 'Seedance 1.0 Pro (silent, up to 1080p, 2–12 s)',
		shortName: 'Seedance 1.0 Pro',
		modes: ['text', 'firstFrame', 'firstLastFrame'],
		resolutions: ALL_RESOLUTIONS,
		duration: V1_DURATION,
		references: NO_REFERENCES,
	},
	{
		...V1_FLAGS,
		id: 'doubao-seedance-1-0-pro-fast-251015',
		name: 'Seedance 1.0 Pro Fast (silent, up to 1080p, 2–12 s)',
		shortName: 'Seedance 1.0 Pro Fast',
		modes: ['text', 'firstFrame'],
		resolutions: ALL_RESOLUTIONS,
		duration: V1_DURATION,
		references: NO_REFERENCES,
	},
	{
		...V1_FLAGS,
		id: 'doubao-seedance-1-0-lite-t2v-250428',
		name: 'Seedance 1.0 Lite: Text to Video (silent)',
		shortName: 'Seedance 1.0 Lite T2V',
		modes: ['text'],
		resolutions: ALL_RESOLUTIONS,
		duration: V1_DURATION,
		references: NO_REFERENCES,
	},
	{
		...V1_FLAGS,
		id: 'doubao-seedance-1-0-lite-i2v-250428',
		name: 'Seedance 1.0 Lite: Image to Video (silent, 1–4 reference images)',
		shortName: 'Seedance 1.0 Lite I2V',
		modes: ['firstFrame', 'firstLastFrame', 'reference'],
		resolutions: ALL_RESOLUTIONS,
		referenceResolutions: UP_TO_720,
		duration: V1_DURATION,
		references: { images: [1, 4], videos: 0, audios: 0 },
	},
];

/** An Ark endpoint id (inference access point), e.g. `ep-20250101123456-abcde`. */
export function isEndpointId(value: string): boolean {
	return /^ep-[A-Za-z0-9-]+$/.test(value);
}

export function findArkModel(id: string): ArkModelSpec | undefined {
	return ARK_MODELS.find((model) => model.id === id);
}

/** The model list as the editor shows it (name / value / description). */
export function arkModelOptions(): Array<{ name: string; value: string; description: string }> {
	return ARK_MODELS.map((model) => ({
		name: model.name,
		value: model.id,
		description: model.id,
	}));
}

/** What the canvas subtitle shows for a model or endpoint id. */
export function arkModelShortName(id: string): string {
	return findArkModel(id)?.shortName ?? (isEndpointId(id) ? `Endpoint ${id}` : id);
}
