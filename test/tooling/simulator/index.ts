// The Jimeng API simulator: one import for tests, benchmarks, the soak and the demo.
export {
	API_VERSION,
	DEFAULT_SIMULATOR_ACCOUNT,
	ECHO_BODY_ACTION,
	GET_RESULT_ACTION,
	JimengSimulator,
	SAMPLE_IMAGE,
	SAMPLE_IMAGE_PATH,
	SUBMIT_ACTION,
	redactBase64,
} from './server';
export type {
	RequestLogEntry,
	SimulatedTask,
	SimulatedTaskState,
	SimulatorAccount,
	SimulatorConfigPatch,
	SimulatorFaults,
	SimulatorOptions,
} from './server';
export { BUSINESS_CODES, codeInfo, goDuration } from './envelope';
export { GATEWAY_ERRORS, SIGNATURE_MISMATCH_MESSAGE } from './gateway';
export type { GatewayErrorCode } from './gateway';
export {
	ASPECT_RATIOS,
	CAMERA_STRENGTHS,
	MODEL_KEYS,
	RECAMERA_TEMPLATES,
	closestAspectRatio,
} from './models';
export type { ModelKey } from './models';
export { FIXTURE_PATH, freeBoxHeader } from './video';
// The Ark (Seedance) simulator: standalone, or mounted on JimengSimulator with `{ ark }`.
export {
	ARK_API_PREFIX,
	ARK_TASKS_PATH,
	ArkSimulator,
	DEFAULT_ARK_API_KEY,
	DEFAULT_ARK_CONFIG,
} from './ark/arkServer';
export type {
	ArkCall,
	ArkFaults,
	ArkMediaDigest,
	ArkRequestLogEntry,
	ArkSimulatorConfig,
	ArkSimulatorOptions,
} from './ark/arkServer';
export type { CallbackRecord } from './ark/arkCallbacks';
export { AUDIO_FIXTURE_PATH, greyPng } from './ark/arkMedia';
