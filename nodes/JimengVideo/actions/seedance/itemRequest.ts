/**
 * One item's Seedance parameters as a checked Ark create: every per-model rule is checked by
 * buildArkRequest before anything is sent, with an error naming the field, the rule and the value.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { buildArkRequest, type ArkRequest, type ArkRequestValues } from '../../../shared/ark';
import { bodyDigest } from '../../../shared/requests/jsonBody';
import { loadMedia, readMediaPlan, type MediaPlan } from './mediaInput';

/** The parameters that are not media, as the request builder names them. */
type SettingValues = Omit<
	ArkRequestValues,
	'firstFrame' | 'lastFrame' | 'referenceImages' | 'referenceVideos' | 'referenceAudios'
>;

/** An item's parameters, read once: the settings and where its media come from. */
export interface ArkItem {
	itemIndex: number;
	settings: SettingValues;
	plan: MediaPlan;
}

const SETTINGS = [
	'model',
	'prompt',
	'resolution',
	'ratio',
	'duration',
	'seed',
	'cameraFixed',
	'watermark',
	'generateAudio',
	'returnLastFrame',
	'serviceTier',
	'executionExpiresAfter',
	'draft',
	'draftTaskId',
	'callbackUrl',
] as const;

/** Reads the item's parameters (a field the model hides is absent: undefined, not sent). */
export function readArkItem(ctx: IExecuteFunctions, itemIndex: number): ArkItem {
	const settings: Record<string, unknown> = {};
	for (const name of SETTINGS) {
		// n8n throws for a missing parameter without a fallback: null stands for "not given".
		const value = ctx.getNodeParameter(name, itemIndex, null);
		if (value !== null) settings[name] = value;
	}
	return { itemIndex, settings: settings as SettingValues, plan: readMediaPlan(ctx, itemIndex) };
}

/**
 * The item's request, its media read now. `seed`: the seed a first build drew for a seed left at
 * -1, so that building again (just before a batch's create) gives the very same body.
 */
export async function buildItemRequest(
	ctx: IExecuteFunctions,
	item: ArkItem,
	seed?: number,
): Promise<ArkRequest> {
	const media = await loadMedia(ctx, item.itemIndex, item.plan);
	return buildArkRequest(
		{ ...item.settings, ...media },
		seed === undefined ? {} : { randomSeed: () => seed },
	);
}

/**
 * What identifies the request for the submission ledger: the body, with a seed the node drew (the
 * user left -1) counted as "drawn" — a re-run draws another one and still asks for the same video.
 */
export function requestDigest(request: ArkRequest): string {
	const seed = request.summary.seed_chosen_by_client ? 'drawn by the node' : request.body.seed;
	return bodyDigest({ ...request.body, seed });
}
