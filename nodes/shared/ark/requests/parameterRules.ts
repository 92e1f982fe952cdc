/**
 * Ark's rules for each scalar create parameter (docs/ark-api.md "Create: request body"), checked
 * before anything is sent. Each failure names the parameter as the editor labels it, the rule and
 * the value. Pure.
 */
import { InputValidationError, describeValue, parseInteger } from '../../requests/inputValues';
import {
	ARK_MODELS,
	ARK_RATIOS,
	ARK_RESOLUTIONS,
	findArkModel,
	isEndpointId,
	type ArkModelSpec,
	type ArkRatio,
	type ArkResolution,
} from '../models';
import { ARK_LABELS } from './labels';

export const SEED_MAX = 4_294_967_295;
export const EXPIRES_AFTER_RANGE = [3600, 259_200] as const;
/** Ark's prompt advice (not a hard limit): about 500 Chinese characters or 1000 English words. */
export const PROMPT_ADVISED_CHARS = 500;
export const PROMPT_ADVISED_WORDS = 1000;
/** The legacy text commands (`--rs 720p`) that 1.x still reads from the prompt. */
const TEXT_COMMAND =
	/(?:^|\s)--(?:rs|resolution|rt|ratio|dur|duration|frames|fps|framespersecond|seed|cf|camerafixed|wm|watermark)\b/i;

/** A known model (its limits then apply) or an endpoint id (limits unknown); anything else refused. */
export function checkModelId(value: unknown): { id: string; spec: ArkModelSpec | undefined } {
	const id = typeof value === 'string' ? value.trim() : '';
	const spec = findArkModel(id);
	if (spec || isEndpointId(id)) return { id, spec };
	// A Jimeng req_key here means API was switched (by the credential) after Model was set.
	if (/^jimeng_/.test(id))
		throw new InputValidationError(
			ARK_LABELS.model,
			'is a Jimeng model, but the credential is a Volcengine Ark API one (Seedance): choose a Seedance model, or a Volcengine API credential for Jimeng',
			describeValue(value),
		);
	throw new InputValidationError(
		ARK_LABELS.model,
		`must be a Seedance model id (${ARK_MODELS.map((m) => m.id).join(', ')}) or an endpoint id such as ep-20250101123456-abcde`,
		describeValue(value),
	);
}

export function checkPrompt(value: unknown, required: boolean, hints: string[]): string {
	if (value !== undefined && value !== null && typeof value !== 'string')
		throw new InputValidationError(ARK_LABELS.prompt, 'must be text', describeValue(value));
	const prompt = typeof value === 'string' ? value.trim() : '';
	if (required && !prompt) {
		throw new InputValidationError(
			ARK_LABELS.prompt,
			'is required for text-to-video (describe the video to generate)',
			describeValue(value),
		);
	}
	const chars = [...prompt].length;
	const words = prompt.split(/\s+/).filter(Boolean).length;
	if (
		/[\u3400-\u9fff]/.test(prompt) ? chars > PROMPT_ADVISED_CHARS : words > PROMPT_ADVISED_WORDS
	) {
		hints.push(
			`The prompt is long (${chars} characters, ${words} words). Ark advises at most about ${PROMPT_ADVISED_CHARS} Chinese characters or ${PROMPT_ADVISED_WORDS} English words: details beyond may be ignored.`,
		);
	}
	if (TEXT_COMMAND.test(prompt)) {
		hints.push(
			'The prompt contains text commands such as "--rs 720p". The node sends every setting as a parameter, which wins over them (and Seedance 2.x ignores them): set Resolution, Ratio, Duration and Seed in their fields instead.',
		);
	}
	return prompt;
}

export function checkOneOf<T extends string>(
	label: string,
	value: unknown,
	allowed: readonly T[],
	context = '',
): T {
	const text = typeof value === 'string' ? value.trim() : value;
	if (typeof text !== 'string' || !(allowed as readonly string[]).includes(text)) {
		throw new InputValidationError(
			label,
			`must be one of ${allowed.join(', ')}${context}`,
			describeValue(value),
		);
	}
	return text as T;
}

export function checkResolution(
	value: unknown,
	allowed: readonly ArkResolution[] = ARK_RESOLUTIONS,
	context = '',
): ArkResolution {
	return checkOneOf(ARK_LABELS.resolution, value, allowed, context);
}

export function checkRatio(value: unknown): ArkRatio {
	return checkOneOf(ARK_LABELS.ratio, value, ARK_RATIOS);
}

/** Seconds in [min, max], or -1 when the model may decide. */
export function checkDuration(
	value: unknown,
	range: { min: number; max: number; auto: boolean },
	context = '',
): number {
	const seconds = parseInteger(value);
	const fits = seconds !== undefined && seconds >= range.min && seconds <= range.max;
	if (fits || (seconds === -1 && range.auto)) return seconds;
	const auto = range.auto ? ', or -1 to let the model decide' : '';
	throw new InputValidationError(
		ARK_LABELS.duration,
		`must be a whole number of seconds from ${range.min} to ${range.max}${auto}${context}`,
		describeValue(value),
	);
}

/** 1.0 models: 29 to 289 frames, 25 + 4n (24 fps). */
export function checkFrames(value: unknown): number {
	const frames = parseInteger(value);
	if (frames !== undefined && frames >= 29 && frames <= 289 && (frames - 25) % 4 === 0)
		return frames;
	throw new InputValidationError(
		ARK_LABELS.frames,
		'must be 25 + 4n frames from 29 to 289 (24 frames per second: 121 is 5 s)',
		describeValue(value),
	);
}

export function checkSeed(value: unknown): number {
	const seed = parseInteger(value === undefined ? -1 : value);
	if (seed !== undefined && seed >= -1 && seed <= SEED_MAX) return seed;
	throw new InputValidationError(
		ARK_LABELS.seed,
		`must be a whole number: -1 for random, or 0 to ${SEED_MAX}`,
		describeValue(value),
	);
}

/** A boolean, or undefined when not given; "true"/"false" strings (from an expression) accepted. */
export function checkBoolean(label: string, value: unknown): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw new InputValidationError(label, 'must be true or false', describeValue(value));
}

export function checkExpiresAfter(value: unknown): number {
	const seconds = parseInteger(value);
	const [min, max] = EXPIRES_AFTER_RANGE;
	if (seconds !== undefined && seconds >= min && seconds <= max) return seconds;
	throw new InputValidationError(
		ARK_LABELS.executionExpiresAfter,
		`must be a whole number of seconds from ${min} (1 hour) to ${max} (72 hours)`,
		describeValue(value),
	);
}

/** An http(s) URL; `asset://` too where `allowAsset` (Ark's asset library, 2.x). */
export function checkUrl(label: string, value: unknown, allowAsset = false): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (allowAsset && /^asset:\/\/\S+$/.test(text)) return text;
	if (URL.canParse(text)) {
		const parsed = new URL(text);
		if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.href;
	}
	throw new InputValidationError(
		label,
		`must be an http(s) URL${allowAsset ? ' or an asset:// id' : ''} that Ark can download`,
		describeValue(value),
	);
}

/** A task id safe to put in a URL path (Ark's look like cgt-20250331175019-68d9t). */
export function checkTaskId(value: unknown, label: string = ARK_LABELS.taskId): string {
	const id = typeof value === 'string' ? value.trim() : '';
	if (/^[A-Za-z0-9][\w-]{0,127}$/.test(id)) return id;
	throw new InputValidationError(
		label,
		'must be an Ark task id such as cgt-20250331175019-68d9t',
		describeValue(value),
	);
}
