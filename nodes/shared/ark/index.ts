/**
 * Everything the nodes use of Ark (Seedance on Volcengine Ark): the requests they may send, the
 * calls, the task items. One import for the node and the trigger; the files behind it are private.
 */
export { ARK_ERROR_CODES, explainArkCode } from './codes/errorCodes';
export type { ArkCodeExplanation } from './codes/errorCodes';
export {
	ARK_MODELS,
	ARK_RATIOS,
	ARK_RESOLUTIONS,
	DEFAULT_ARK_MODEL,
	arkModelOptions,
	arkModelShortName,
	findArkModel,
	isEndpointId,
} from './models';
export type { ArkMode, ArkModelSpec, ArkRatio, ArkResolution } from './models';
export { ARK_PRICES, arkUnitPrice, estimateArkCostCny } from './pricing';
export type { ArkPriceOverrides, ArkPriceRule } from './pricing';
export { ARK_LABELS } from './requests/labels';
export { buildArkRequest } from './requests/requestBuilder';
export type {
	ArkCreateBody,
	ArkRequest,
	ArkRequestSummary,
	ArkRequestValues,
} from './requests/requestBuilder';
export { AUDIO_MAX_BYTES as ARK_AUDIO_MAX_BYTES } from './requests/mediaRules';
export { IMAGE_MAX_BYTES as ARK_IMAGE_MAX_BYTES } from './requests/mediaRules';
export type { ArkMediaInput } from './requests/mediaRules';
export { ARK_STATUSES, FINAL_STATUSES, readArkTask } from './task';
export type { ArkTask, ArkTaskStatus } from './task';
export { arkTaskError, arkTaskJson } from './taskJson';
export {
	ArkApiError,
	arkCancelledError,
	isQueueCapRefusal,
	responseError as arkResponseError,
} from './transport/ArkApiError';
export type { ArkErrorDetails, ArkErrorKind } from './transport/ArkApiError';
export { ARK_CREDENTIAL_TYPE, executionSignal } from './transport/callArk';
export type { ArkCallOptions, ArkContext } from './transport/callArk';
export { createTask, summarizeCreateBody } from './transport/createTask';
export type { CreateOptions, CreatedTask } from './transport/createTask';
export { resolveUnknownCreate } from './transport/resolveCreate';
export type { ResolveOptions, ResolveResult, UnknownCreate } from './transport/resolveCreate';
export { cancelTask, getTask, listTasks } from './transport/taskCalls';
export type { CancelOptions, CancelResult, ListQuery, TaskList } from './transport/taskCalls';
export { DEFAULT_ARK_RETRY } from './transport/retryPolicy';
export type { ArkRetryOptions } from './transport/retryPolicy';
