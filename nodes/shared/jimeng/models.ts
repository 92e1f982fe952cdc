/**
 * The Jimeng 3.0 video family: one node, the model picked by `req_key`.
 * What each model takes is checked here before any request is sent (see docs/jimeng-api.md).
 */

export const CAMERA_TEMPLATES = [
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

/** How a model takes its input. */
export type ModelInput =
	/** prompt, or a first-frame image (+ optional prompt) */
	'textOrFirstFrame' | 'text' | 'firstFrame' | 'firstAndLastFrame' | 'cameraMotion';

export interface ModelSpec {
	/** The API's req_key. */
	id: string;
	name: string;
	/** What the canvas subtitle shows (the req_key is too long and says little). */
	shortName: string;
	resolution: '720p' | '1080p';
	input: ModelInput;
	/** Images the model needs: [min, max]. */
	images: readonly [number, number];
	/** aspect_ratio applies (text-to-video only). */
	takesAspectRatio: boolean;
	/**
	 * Price per second of video in CNY as reported for the model (README, "Models and prices"); the
	 * editor states the cost of a video with it. Charged on success; prices change.
	 */
	cnyPerSecond: number;
}

export const DEFAULT_MODEL = 'jimeng_ti2v_v30_pro';

// The order the editor lists them in: Pro (the default) first, then by resolution.
export const MODELS: readonly ModelSpec[] = [
	{
		id: 'jimeng_ti2v_v30_pro',
		name: 'Video 3.0 Pro (1080p, text or first frame)',
		shortName: 'Pro',
		resolution: '1080p',
		input: 'textOrFirstFrame',
		images: [0, 1],
		takesAspectRatio: true,
		cnyPerSecond: 1,
	},
	{
		id: 'jimeng_t2v_v30_1080p',
		name: 'Video 3.0 1080p: Text to Video',
		shortName: '1080p Text',
		resolution: '1080p',
		input: 'text',
		images: [0, 0],
		takesAspectRatio: true,
		cnyPerSecond: 0.63,
	},
	{
		id: 'jimeng_i2v_first_v30_1080',
		name: 'Video 3.0 1080p: First Frame',
		shortName: '1080p First Frame',
		resolution: '1080p',
		input: 'firstFrame',
		images: [1, 1],
		takesAspectRatio: false,
		cnyPerSecond: 0.63,
	},
	{
		id: 'jimeng_i2v_first_tail_v30_1080',
		name: 'Video 3.0 1080p: First and Last Frame',
		shortName: '1080p First & Last Frame',
		resolution: '1080p',
		input: 'firstAndLastFrame',
		images: [2, 2],
		takesAspectRatio: false,
		cnyPerSecond: 0.63,
	},
	{
		id: 'jimeng_t2v_v30',
		name: 'Video 3.0 720p: Text to Video',
		shortName: '720p Text',
		resolution: '720p',
		input: 'text',
		images: [0, 0],
		takesAspectRatio: true,
		cnyPerSecond: 0.28,
	},
	{
		id: 'jimeng_i2v_first_v30',
		name: 'Video 3.0 720p: First Frame',
		shortName: '720p First Frame',
		resolution: '720p',
		input: 'firstFrame',
		images: [1, 1],
		takesAspectRatio: false,
		cnyPerSecond: 0.28,
	},
	{
		id: 'jimeng_i2v_first_tail_v30',
		name: 'Video 3.0 720p: First and Last Frame',
		shortName: '720p First & Last Frame',
		resolution: '720p',
		input: 'firstAndLastFrame',
		images: [2, 2],
		takesAspectRatio: false,
		cnyPerSecond: 0.28,
	},
	{
		id: 'jimeng_i2v_recamera_v30',
		name: 'Video 3.0 720p: Camera Motion',
		shortName: '720p Camera Motion',
		resolution: '720p',
		input: 'cameraMotion',
		images: [1, 1],
		takesAspectRatio: false,
		cnyPerSecond: 0.28,
	},
];

export function findModel(id: string): ModelSpec | undefined {
	return MODELS.find((model) => model.id === id);
}

/** Models that can take a first-frame image. */
export const IMAGE_MODELS = MODELS.filter((model) => model.images[1] > 0).map((model) => model.id);
export const LAST_FRAME_MODELS = MODELS.filter((model) => model.input === 'firstAndLastFrame').map(
	(model) => model.id,
);
export const CAMERA_MODELS = MODELS.filter((model) => model.input === 'cameraMotion').map(
	(model) => model.id,
);
