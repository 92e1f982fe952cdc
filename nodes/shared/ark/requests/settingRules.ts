/**
 * The video settings of a create (resolution, ratio, duration or frames, switches, tier, callback),
 * each checked against the model's limits (models.ts) and against the mode and each other: draft is
 * 480p without last frame or flex, camera_fixed is not for references, flex not for 2.x… An endpoint
 * id's model is unknown: only the rules all models share apply to it. Pure.
 */
import { InputValidationError, describeValue } from '../../requests/inputValues';
import { ARK_RESOLUTIONS, type ArkMode, type ArkModelSpec } from '../models';
import { ARK_LABELS } from './labels';
import {
	checkBoolean,
	checkDuration,
	checkExpiresAfter,
	checkFrames,
	checkOneOf,
	checkRatio,
	checkResolution,
	checkUrl,
} from './parameterRules';

export interface SettingValues {
	resolution?: unknown;
	ratio?: unknown;
	/** seconds; -1 lets the model decide (1.5 Pro, 2.0, 2.0 Fast) */
	duration?: unknown;
	/** 1.0 models only; wins over duration */
	frames?: unknown;
	cameraFixed?: unknown;
	watermark?: unknown;
	generateAudio?: unknown;
	returnLastFrame?: unknown;
	/** 'default' (online) | 'flex' (offline, half price) */
	serviceTier?: unknown;
	executionExpiresAfter?: unknown;
	draft?: unknown;
	callbackUrl?: unknown;
	webSearch?: unknown;
}

interface Context {
	spec: ArkModelSpec | undefined;
	mode: ArkMode;
	reusesDraft: boolean;
	hints: string[];
}

/** Seconds every model shares, for endpoint ids. */
const ANY_DURATION = { min: 2, max: 15, auto: true };
const given = (value: unknown) => value !== undefined && value !== null && value !== '';

function refuse(label: string, rule: string, value: unknown): never {
	throw new InputValidationError(label, rule, describeValue(value));
}

function resolutionOf(
	values: SettingValues,
	{ spec, mode }: Context,
	draft: boolean,
): string | undefined {
	if (!given(values.resolution)) return draft ? '480p' : undefined;
	const allowed =
		(mode === 'reference' ? spec?.referenceResolutions : undefined) ??
		spec?.resolutions ??
		ARK_RESOLUTIONS;
	const where = spec
		? ` for ${spec.id}${mode === 'reference' && spec.referenceResolutions ? ' with reference images' : ''}`
		: '';
	const resolution = checkResolution(values.resolution, allowed, where);
	if (draft && resolution !== '480p')
		refuse(
			ARK_LABELS.resolution,
			'must be 480p for a draft (Ark makes drafts at 480p only)',
			values.resolution,
		);
	return resolution;
}

function ratioOf(values: SettingValues, { spec, mode }: Context): string | undefined {
	if (!given(values.ratio)) return undefined;
	const ratio = checkRatio(values.ratio);
	if (ratio !== 'adaptive' || !spec) return ratio;
	if (mode === 'text' && !spec.textAdaptive)
		refuse(
			ARK_LABELS.ratio,
			`"adaptive" needs an image with ${spec.id}: pick a fixed ratio for text-to-video`,
			ratio,
		);
	if (mode === 'reference' && spec.family === '1.0')
		refuse(
			ARK_LABELS.ratio,
			`"adaptive" is not taken with reference images by ${spec.id}: pick a fixed ratio`,
			ratio,
		);
	return ratio;
}

function lengthOf(
	values: SettingValues,
	{ spec, hints }: Context,
): { duration?: number; frames?: number } {
	if (given(values.frames)) {
		if (spec && !spec.frames)
			refuse(
				ARK_LABELS.frames,
				`is only taken by Seedance 1.0 models, not ${spec.id}: set Duration`,
				values.frames,
			);
		if (given(values.duration))
			hints.push('Frames is set, so Duration is not sent (Ark would let frames win).');
		return { frames: checkFrames(values.frames) };
	}
	if (!given(values.duration)) return {};
	const range = spec?.duration ?? ANY_DURATION;
	return { duration: checkDuration(values.duration, range, spec ? ` for ${spec.id}` : '') };
}

/** Switches that only some models or modes take; `true` where not taken is refused, `false` is left out. */
function switchesOf(values: SettingValues, { spec, mode }: Context, draft: boolean) {
	const out: Record<string, unknown> = {};
	const cameraFixed = checkBoolean(ARK_LABELS.cameraFixed, values.cameraFixed);
	if (cameraFixed && spec && !spec.cameraFixed)
		refuse(ARK_LABELS.cameraFixed, `is not taken by ${spec.id}`, true);
	if (cameraFixed && mode === 'reference')
		refuse(ARK_LABELS.cameraFixed, 'is not taken with reference media', true);
	// `false` is left out where the switch is not taken (Ark checks every field it is sent).
	if (cameraFixed || (cameraFixed === false && (!spec || spec.cameraFixed) && mode !== 'reference'))
		out.camera_fixed = cameraFixed;
	const watermark = checkBoolean(ARK_LABELS.watermark, values.watermark);
	if (watermark !== undefined) out.watermark = watermark;
	const audio = checkBoolean(ARK_LABELS.generateAudio, values.generateAudio);
	if (audio && spec && !spec.audio)
		refuse(
			ARK_LABELS.generateAudio,
			`is not taken by ${spec.id}, which makes silent videos: turn it off`,
			true,
		);
	if (audio !== undefined && (!spec || spec.audio)) out.generate_audio = audio;
	const lastFrame = checkBoolean(ARK_LABELS.returnLastFrame, values.returnLastFrame);
	if (lastFrame && draft) refuse(ARK_LABELS.returnLastFrame, 'is not available for a draft', true);
	if (lastFrame !== undefined) out.return_last_frame = lastFrame;
	const webSearch = checkBoolean(ARK_LABELS.webSearch, values.webSearch);
	if (webSearch && spec && !spec.webSearch)
		refuse(
			ARK_LABELS.webSearch,
			`is only taken by Seedance 2.0 and 2.0 Fast, not ${spec.id}`,
			true,
		);
	if (webSearch) out.tools = [{ type: 'web_search' }];
	return out;
}

function tierOf(values: SettingValues, { spec }: Context, draft: boolean) {
	const out: Record<string, unknown> = {};
	if (given(values.serviceTier)) {
		const tier = checkOneOf(ARK_LABELS.serviceTier, values.serviceTier, [
			'default',
			'flex',
		] as const);
		if (tier === 'flex' && spec && !spec.flex)
			refuse(ARK_LABELS.serviceTier, `"flex" (offline) is not offered for ${spec.id}`, tier);
		if (tier === 'flex' && draft)
			refuse(ARK_LABELS.serviceTier, '"flex" is not available for a draft', tier);
		out.service_tier = tier;
	}
	if (given(values.executionExpiresAfter))
		out.execution_expires_after = checkExpiresAfter(values.executionExpiresAfter);
	if (given(values.callbackUrl))
		out.callback_url = checkUrl(ARK_LABELS.callbackUrl, values.callbackUrl);
	return out;
}

/** The checked settings as body fields (only those given, plus draft's implied 480p). */
export function videoSettings(values: SettingValues, context: Context): Record<string, unknown> {
	const { spec, reusesDraft } = context;
	const draft = checkBoolean(ARK_LABELS.draft, values.draft) ?? false;
	if (draft && spec && !spec.draft)
		refuse(ARK_LABELS.draft, `is only offered by Seedance 1.5 Pro, not ${spec.id}`, true);
	if (draft && reusesDraft)
		refuse(
			ARK_LABELS.draft,
			'cannot be on while reusing a draft (Draft Task ID): the reuse makes the final video',
			true,
		);
	const out: Record<string, unknown> = {
		resolution: resolutionOf(values, context, draft),
		...switchesOf(values, context, draft),
		...tierOf(values, context, draft),
	};
	if (draft) out.draft = true;
	if (reusesDraft) {
		// Ark takes these from the draft: sending them again is at best ignored.
		const raw = values as Record<string, unknown>;
		const ignored = (['ratio', 'duration', 'frames', 'seed'] as const).filter(
			(key) => given(raw[key]) && !(key === 'seed' && String(raw[key]).trim() === '-1'),
		);
		if (ignored.length)
			context.hints.push(
				`Reusing a draft: ${ignored.join(', ')} come from the draft and were not sent.`,
			);
		delete out.camera_fixed;
		delete out.generate_audio;
	} else Object.assign(out, { ratio: ratioOf(values, context) }, lengthOf(values, context));
	for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
	return out;
}
