// The Seedance models as the Ark simulator knows them (docs/ark-api.md "Models and limits").
// Written apart from nodes/shared/ark/models.ts on purpose: the simulator must not share code with
// what it checks.

export type Resolution = '480p' | '720p' | '1080p';

export interface SimModel {
	resolutions: Resolution[];
	/** resolutions with reference images, when fewer */
	referenceResolutions?: Resolution[];
	minSeconds: number;
	maxSeconds: number;
	/** duration -1 accepted */
	autoDuration: boolean;
	frames: boolean;
	textToVideo: boolean;
	firstFrame: boolean;
	lastFrame: boolean;
	/** max reference images / videos / audios (0: no reference mode) */
	refImages: number;
	refVideos: number;
	refAudios: number;
	/** at least this many reference images in reference mode */
	minRefImages: number;
	audio: boolean;
	flex: boolean;
	draft: boolean;
	cameraFixed: boolean;
	textAdaptive: boolean;
	webSearch: boolean;
}

const V1 = {
	minSeconds: 2,
	maxSeconds: 12,
	autoDuration: false,
	frames: true,
	refVideos: 0,
	refAudios: 0,
	minRefImages: 0,
	audio: false,
	flex: true,
	draft: false,
	cameraFixed: true,
	textAdaptive: false,
	webSearch: false,
};
const V2 = {
	minSeconds: 4,
	maxSeconds: 15,
	frames: false,
	textToVideo: true,
	firstFrame: true,
	lastFrame: true,
	refImages: 9,
	refVideos: 3,
	refAudios: 3,
	minRefImages: 0,
	audio: true,
	flex: false,
	draft: false,
	cameraFixed: false,
	textAdaptive: true,
};
const ALL: Resolution[] = ['480p', '720p', '1080p'];

export const SIM_MODELS: Record<string, SimModel> = {
	'doubao-seedance-1-0-pro-250528': {
		...V1,
		resolutions: ALL,
		textToVideo: true,
		firstFrame: true,
		lastFrame: true,
		refImages: 0,
	},
	'doubao-seedance-1-0-pro-fast-251015': {
		...V1,
		resolutions: ALL,
		textToVideo: true,
		firstFrame: true,
		lastFrame: false,
		refImages: 0,
	},
	'doubao-seedance-1-0-lite-t2v-250428': {
		...V1,
		resolutions: ALL,
		textToVideo: true,
		firstFrame: false,
		lastFrame: false,
		refImages: 0,
	},
	'doubao-seedance-1-0-lite-i2v-250428': {
		...V1,
		resolutions: ALL,
		referenceResolutions: ['480p', '720p'],
		textToVideo: false,
		firstFrame: true,
		lastFrame: true,
		refImages: 4,
		minRefImages: 1,
	},
	'doubao-seedance-1-5-pro-251215': {
		...V1,
		resolutions: ALL,
		minSeconds: 4,
		autoDuration: true,
		frames: false,
		textToVideo: true,
		firstFrame: true,
		lastFrame: true,
		refImages: 0,
		audio: true,
		draft: true,
		textAdaptive: true,
	},
	'doubao-seedance-2-0-260128': { ...V2, resolutions: ALL, autoDuration: true, webSearch: true },
	'doubao-seedance-2-0-fast-260128': {
		...V2,
		resolutions: ['480p', '720p'],
		autoDuration: true,
		webSearch: true,
	},
	'doubao-seedance-2-0-mini-260615': {
		...V2,
		resolutions: ['480p', '720p'],
		autoDuration: false,
		webSearch: false,
	},
};

/** Output pixels (the 1.5 Pro table; the token count uses these for every model). */
export const OUTPUT_SIZES: Record<Resolution, Record<string, [number, number]>> = {
	'480p': {
		'16:9': [864, 496],
		'4:3': [752, 560],
		'1:1': [640, 640],
		'3:4': [560, 752],
		'9:16': [496, 864],
		'21:9': [992, 432],
	},
	'720p': {
		'16:9': [1280, 720],
		'4:3': [1112, 834],
		'1:1': [960, 960],
		'3:4': [834, 1112],
		'9:16': [720, 1280],
		'21:9': [1470, 630],
	},
	'1080p': {
		'16:9': [1920, 1080],
		'4:3': [1664, 1248],
		'1:1': [1440, 1440],
		'3:4': [1248, 1664],
		'9:16': [1080, 1920],
		'21:9': [2206, 946],
	},
};

export const RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9'];

/** Ark's token count: W × H × (24 × seconds + 1) / 1024 (the doc's example: 1280×720, 5 s → 108900). */
export function completionTokens(resolution: Resolution, ratio: string, seconds: number): number {
	const [width, height] = OUTPUT_SIZES[resolution][ratio] ?? OUTPUT_SIZES[resolution]['16:9'];
	return Math.round((width * height * (24 * seconds + 1)) / 1024);
}

/** The fixed ratio closest to an image's (what `adaptive` picks). */
export function closestRatio(width: number, height: number): string {
	const value = width / height;
	let best = RATIOS[0];
	for (const ratio of RATIOS) {
		const [a, b] = ratio.split(':').map(Number);
		const [c, d] = best.split(':').map(Number);
		if (Math.abs(Math.log(value / (a / b))) < Math.abs(Math.log(value / (c / d)))) best = ratio;
	}
	return best;
}
