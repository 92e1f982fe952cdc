/**
 * Turns plain parameter values into an Ark create body, checking every rule Ark documents for the
 * chosen model first (parameterRules.ts, contentRules.ts, mediaRules.ts, settingRules.ts): a request
 * Ark would refuse is never sent. A seed left at -1 is chosen here, at random: it is just as random
 * for the user, and it is what identifies the task if the create's answer is lost
 * (transport/resolveCreate.ts). Pure apart from that random draw.
 */
import { randomInt } from 'crypto';

import { InputValidationError, formatBytes } from '../../requests/inputValues';
import type { ArkMode, ArkModelSpec } from '../models';
import { checkModeForModel, contentItems, modeOf, type MediaValues } from './contentRules';
import { ARK_LABELS } from './labels';
import type { ContentItem, ImageFacts } from './mediaRules';
import { checkModelId, checkPrompt, checkSeed, checkTaskId, SEED_MAX } from './parameterRules';
import { videoSettings, type SettingValues } from './settingRules';

export interface ArkRequestValues extends MediaValues, SettingValues {
	model: unknown;
	prompt?: unknown;
	/** -1 (or nothing): a random seed is chosen by the client. */
	seed?: unknown;
	/** Reuse a 1.5 Pro draft task (cgt-…): its prompt, images, seed, ratio and duration. */
	draftTaskId?: unknown;
}

/** The JSON body of POST /contents/generations/tasks. */
export interface ArkCreateBody {
	model: string;
	content: ContentItem[];
	seed?: number;
	resolution?: string;
	ratio?: string;
	duration?: number;
	frames?: number;
	camera_fixed?: boolean;
	watermark?: boolean;
	generate_audio?: boolean;
	return_last_frame?: boolean;
	service_tier?: 'default' | 'flex';
	execution_expires_after?: number;
	draft?: boolean;
	callback_url?: string;
	tools?: Array<{ type: 'web_search' }>;
}

/** What was asked, for output items and errors: no media data, no secrets. */
export interface ArkRequestSummary {
	model: string;
	mode: ArkMode | 'draftTask';
	prompt: string;
	seed?: number;
	/** the user left the seed at -1: this one was drawn by the client */
	seed_chosen_by_client?: boolean;
	resolution?: string;
	ratio?: string;
	duration?: number;
	frames?: number;
	generate_audio?: boolean;
	service_tier?: string;
	draft?: boolean;
	draft_task_id?: string;
	images: number;
	videos: number;
	audios: number;
}

export interface ArkRequest {
	body: ArkCreateBody;
	/** The model's limits; undefined for an endpoint id (Ark checks what the node cannot). */
	model: ArkModelSpec | undefined;
	summary: ArkRequestSummary;
	images: ImageFacts[];
	/** Advice that does not stop the request (n8n execution hints). */
	hints: string[];
}

/** Ark's request body limit (unverified, docs/ark-api.md): larger media must go by URL. */
export const BODY_MAX_BYTES = 64 * 1024 * 1024;

export interface BuildOptions {
	/** The client's seed when the user leaves -1; default a uniform draw from [0, 2^32 - 1]. */
	randomSeed?: () => number;
}

function draftTaskContent(values: ArkRequestValues, spec: ArkModelSpec | undefined): ContentItem {
	const id = checkTaskId(values.draftTaskId, ARK_LABELS.draftTaskId);
	if (spec && !spec.draft) {
		throw new InputValidationError(
			ARK_LABELS.draftTaskId,
			`is only taken by Seedance 1.5 Pro, not ${spec.id}`,
			id,
		);
	}
	const media = modeOf(values);
	const prompt = typeof values.prompt === 'string' ? values.prompt.trim() : '';
	if (media !== 'text' || prompt) {
		throw new InputValidationError(
			ARK_LABELS.draftTaskId,
			"reuses the draft's prompt and images: leave Prompt and the image fields empty",
			media !== 'text' ? 'images given' : 'a prompt given',
		);
	}
	return { type: 'draft_task', draft_task: { id } };
}

export function buildArkRequest(values: ArkRequestValues, options: BuildOptions = {}): ArkRequest {
	const hints: string[] = [];
	const model = checkModelId(values.model);
	const spec = model.spec;
	if (!spec) {
		hints.push(
			`${model.id} is an endpoint: its model's limits are unknown to the node, so only the rules every Seedance model shares were checked. Ark checks the rest (a refusal creates no task and costs nothing).`,
		);
	}
	const reusesDraft = values.draftTaskId !== undefined && values.draftTaskId !== '';
	const mode = reusesDraft ? 'text' : modeOf(values);
	if (!reusesDraft) checkModeForModel(mode, values, model);
	const prompt = reusesDraft ? '' : checkPrompt(values.prompt, mode === 'text', hints);
	const media = reusesDraft
		? { content: [draftTaskContent(values, spec)], images: [] }
		: contentItems(prompt, values, { heic: spec?.heic ?? true, hints });

	const body: ArkCreateBody = { model: model.id, content: media.content };
	const settings = videoSettings(values, { spec, mode, reusesDraft, hints });
	Object.assign(body, settings);
	const summary: ArkRequestSummary = {
		model: model.id,
		mode: reusesDraft ? 'draftTask' : mode,
		prompt,
		images: media.images.length,
		videos: values.referenceVideos?.length ?? 0,
		audios: values.referenceAudios?.length ?? 0,
	};
	if (reusesDraft) summary.draft_task_id = (media.content[0].draft_task as { id: string }).id;
	else chooseSeed(values.seed, body, summary, options);
	for (const key of [
		'resolution',
		'ratio',
		'duration',
		'frames',
		'generate_audio',
		'service_tier',
		'draft',
	] as const) {
		if (body[key] !== undefined) Object.assign(summary, { [key]: body[key] });
	}
	checkBodySize(body);
	return { body, model: spec, summary, images: media.images, hints };
}

/** The user's seed, or a client-chosen one for -1 (a draft reuse takes the draft's seed: none is sent). */
function chooseSeed(
	value: unknown,
	body: ArkCreateBody,
	summary: ArkRequestSummary,
	options: BuildOptions,
): void {
	const seed = checkSeed(value);
	const chosen = seed === -1;
	body.seed = chosen ? (options.randomSeed ?? (() => randomInt(0, SEED_MAX + 1)))() : seed;
	summary.seed = body.seed;
	if (chosen) summary.seed_chosen_by_client = true;
}

function checkBodySize(body: ArkCreateBody): void {
	// Only media can make a body this large: add up their URLs (and the prompt) instead of
	// serialising a second copy of every Base64 string.
	let size = 4096;
	for (const item of body.content) {
		for (const value of Object.values(item)) {
			if (typeof value === 'string') size += value.length;
			else if (value && typeof value === 'object' && 'url' in value)
				size += String((value as { url: unknown }).url).length;
		}
	}
	if (size > BODY_MAX_BYTES) {
		throw new InputValidationError(
			ARK_LABELS.referenceImages,
			`together with the other media must stay under ${formatBytes(BODY_MAX_BYTES)} per request (uploaded bytes grow by a third as Base64): pass large images by URL`,
			`about ${formatBytes(size)}`,
		);
	}
}
