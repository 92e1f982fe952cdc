/**
 * The API's rules for each Submit parameter, checked before anything is sent: each failure names
 * the parameter as the editor labels it, the rule, and the value given.
 */
import { ASPECT_RATIOS, type AspectRatio } from './aspectRatio';
import type { ImageInput } from './imageRules';
import { InputValidationError, describeValue, parseInteger } from '../../requests/inputValues';
import { findModel, MODELS, type ModelSpec } from '../models';

export const PROMPT_MAX_CHARS = 800;
export const PROMPT_RECOMMENDED_CHARS = 400;
/** The two video lengths Jimeng makes: frames = 24 × seconds + 1. */
export const DURATIONS = [
	{ seconds: 5, frames: 121 },
	{ seconds: 10, frames: 241 },
] as const;
export const FRAMES_VALUES: readonly number[] = DURATIONS.map((duration) => duration.frames);

export function checkModel(value: unknown): ModelSpec {
	const model = typeof value === 'string' ? findModel(value) : undefined;
	if (!model) {
		throw new InputValidationError(
			'Model',
			`must be one of ${MODELS.map((m) => m.id).join(', ')}`,
			describeValue(value),
		);
	}
	return model;
}

export function checkPrompt(value: unknown, required: boolean, hints: string[]): string {
	if (value !== undefined && value !== null && typeof value !== 'string') {
		throw new InputValidationError('Prompt', 'must be text', describeValue(value));
	}
	const prompt = typeof value === 'string' ? value.trim() : '';
	if (required && prompt === '') {
		throw new InputValidationError(
			'Prompt',
			'is required for text-to-video (describe the video to generate)',
			describeValue(value),
		);
	}
	const chars = [...prompt].length;
	if (chars > PROMPT_MAX_CHARS) {
		throw new InputValidationError(
			'Prompt',
			`must be at most ${PROMPT_MAX_CHARS} characters`,
			`${chars} characters`,
		);
	}
	if (chars > PROMPT_RECOMMENDED_CHARS) {
		hints.push(
			`The prompt has ${chars} characters. Jimeng recommends at most ${PROMPT_RECOMMENDED_CHARS}: longer prompts may be followed less well or ignored.`,
		);
	}
	return prompt;
}

export function checkFrames(value: unknown): number {
	const frames = parseInteger(value === undefined ? 121 : value);
	if (frames === undefined || !FRAMES_VALUES.includes(frames)) {
		// Named as the editor labels the field (its parameter is `frames`, and its values are frame counts).
		const allowed = DURATIONS.map(
			(duration) => `${duration.seconds} s (${duration.frames} frames)`,
		).join(' or ');
		throw new InputValidationError('Duration', `must be ${allowed}`, describeValue(value));
	}
	return frames;
}

export function checkSeed(value: unknown): number {
	const seed = parseInteger(value === undefined ? -1 : value);
	if (seed === undefined || seed < -1 || seed > 4_294_967_295) {
		throw new InputValidationError(
			'Seed',
			'must be a whole number: -1 for random, or 0 to 4294967295',
			describeValue(value),
		);
	}
	return seed;
}

export function checkAspectRatio(value: unknown): AspectRatio {
	if (typeof value !== 'string' || !(ASPECT_RATIOS as readonly string[]).includes(value.trim())) {
		throw new InputValidationError(
			'Aspect Ratio',
			`must be one of ${ASPECT_RATIOS.join(', ')}`,
			describeValue(value),
		);
	}
	return value.trim() as AspectRatio;
}

export function checkOneOf<T extends string>(
	parameter: string,
	value: unknown,
	allowed: readonly T[],
	fallback?: T,
): T {
	const candidate = value === undefined || value === '' ? fallback : value;
	if (typeof candidate !== 'string' || !(allowed as readonly string[]).includes(candidate)) {
		throw new InputValidationError(
			parameter,
			`must be one of ${allowed.join(', ')}`,
			describeValue(value),
		);
	}
	return candidate as T;
}

export function checkImageCount(model: ModelSpec, images: ImageInput[]): void {
	const [minImages, maxImages] = model.images;
	if (images.length < minImages) {
		const need =
			model.input === 'firstAndLastFrame'
				? 'a first-frame and a last-frame image'
				: 'a first-frame image';
		throw new InputValidationError(
			'Image Source',
			`must provide ${need} for model ${model.id}`,
			images.length ? `${images.length} image` : 'no image',
		);
	}
	if (images.length > maxImages) {
		throw new InputValidationError(
			'Image Source',
			maxImages === 0
				? `must be "None" for text-to-video model ${model.id}`
				: `allows at most ${maxImages} image(s) for model ${model.id}`,
			`${images.length} images`,
		);
	}
}
