/**
 * How the editor labels each Seedance parameter: every InputValidationError names its parameter with
 * these, so the node's descriptions must use the same display names.
 */
export const ARK_LABELS = {
	model: 'Model',
	prompt: 'Prompt',
	firstFrame: 'First Frame',
	lastFrame: 'Last Frame',
	referenceImages: 'Reference Images',
	referenceVideos: 'Reference Videos',
	referenceAudios: 'Reference Audio',
	resolution: 'Resolution',
	ratio: 'Ratio',
	duration: 'Duration',
	frames: 'Frames',
	seed: 'Seed',
	cameraFixed: 'Camera Fixed',
	watermark: 'Watermark',
	generateAudio: 'Generate Audio',
	returnLastFrame: 'Return Last Frame',
	serviceTier: 'Service Tier',
	executionExpiresAfter: 'Expires After',
	draft: 'Draft',
	draftTaskId: 'Draft Task ID',
	callbackUrl: 'Callback URL',
	webSearch: 'Web Search',
	taskId: 'Task ID',
} as const;

export type ArkParameter = keyof typeof ARK_LABELS;
