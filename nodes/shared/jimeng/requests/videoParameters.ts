/**
 * The video parameters both nodes share (Model, Prompt, Duration, Aspect Ratio, Seed, camera
 * motion), read by name: the node reads them per item, the trigger once.
 */
import { DEFAULT_MODEL } from '../models';
import type { ImageInput } from './imageRules';
import type { VideoRequestInput } from './requestBuilder';

/** `getNodeParameter` with the item index (node) or without (trigger) already applied. */
export type ParameterReader = (name: string, fallback: unknown) => unknown;

export function readModelParameter(read: ParameterReader): unknown {
	return read('model', DEFAULT_MODEL);
}

export function readVideoParameters(
	read: ParameterReader,
	images: ImageInput[],
): VideoRequestInput {
	// Hidden for some models: undefined then. n8n treats an `undefined` fallback as "no fallback" and
	// throws, so null is asked for and mapped back.
	const optional = (name: string) => read(name, null) ?? undefined;
	return {
		model: readModelParameter(read),
		prompt: read('prompt', ''),
		frames: read('frames', 121),
		aspectRatio: optional('aspectRatio'),
		seed: read('seed', -1),
		images,
		cameraTemplate: optional('cameraTemplate'),
		cameraStrength: optional('cameraStrength'),
	};
}
