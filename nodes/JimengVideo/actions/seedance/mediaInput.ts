/**
 * One item's Seedance media: where each comes from (the plan: URLs, binary property names, read
 * from the parameters once) and their bytes, read from the item only when a request is built. A
 * batch keeps the plan, never the bytes, between its check and the item's create.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	ARK_AUDIO_MAX_BYTES,
	ARK_IMAGE_MAX_BYTES,
	ARK_LABELS,
	type ArkMediaInput,
} from '../../../shared/ark';
import { readBinaryUpTo } from '../../../shared/binary/binaryInput';
import { InputValidationError } from '../../../shared/requests/inputValues';

/** A medium: a URL (or asset:// id) Ark downloads, or an input binary property read here. */
export type MediaSource = { url: string } | { binaryProperty: string };

export interface MediaPlan {
	firstFrame?: MediaSource;
	lastFrame?: MediaSource;
	referenceImages: MediaSource[];
	referenceVideos: MediaSource[];
	referenceAudios: MediaSource[];
}

/** The media as buildArkRequest takes them (MediaValues of the request builder). */
export interface ItemMedia {
	firstFrame?: ArkMediaInput;
	lastFrame?: ArkMediaInput;
	referenceImages: ArkMediaInput[];
	referenceVideos: ArkMediaInput[];
	referenceAudios: ArkMediaInput[];
}

interface ListEntry {
	source?: string;
	binaryPropertyName?: string;
	url?: string;
}

function frameSource(
	ctx: IExecuteFunctions,
	itemIndex: number,
	frame: 'first' | 'last',
): MediaSource | undefined {
	// A hidden field is absent at run time: its fallback applies ("none").
	const source = String(ctx.getNodeParameter(`${frame}FrameSource`, itemIndex, 'none'));
	if (source === 'binary') {
		const fallback = frame === 'first' ? 'data' : 'lastFrame';
		const name = ctx.getNodeParameter(`${frame}FrameBinaryProperty`, itemIndex, fallback);
		return { binaryProperty: String(name).trim() };
	}
	if (source === 'url')
		return { url: String(ctx.getNodeParameter(`${frame}FrameUrl`, itemIndex, '')) };
	return undefined;
}

function listSources(ctx: IExecuteFunctions, itemIndex: number, name: string): MediaSource[] {
	const entries = ctx.getNodeParameter(`${name}.items`, itemIndex, []) as ListEntry[];
	return entries.map((entry) =>
		entry.source === 'binary'
			? { binaryProperty: String(entry.binaryPropertyName ?? 'data').trim() }
			: { url: String(entry.url ?? '') },
	);
}

/** Where the item's media come from (nothing is read yet). */
export function readMediaPlan(ctx: IExecuteFunctions, itemIndex: number): MediaPlan {
	return {
		firstFrame: frameSource(ctx, itemIndex, 'first'),
		lastFrame: frameSource(ctx, itemIndex, 'last'),
		referenceImages: listSources(ctx, itemIndex, 'referenceImages'),
		referenceVideos: listSources(ctx, itemIndex, 'referenceVideos'),
		referenceAudios: listSources(ctx, itemIndex, 'referenceAudio'),
	};
}

/** The fields whose media come from binary data (read again before a batch's create). */
export function binaryMediaFields(plan: MediaPlan): string[] {
	const isBinary = (source: MediaSource | undefined) =>
		source !== undefined && 'binaryProperty' in source;
	return [
		...(isBinary(plan.firstFrame) ? [ARK_LABELS.firstFrame] : []),
		...(isBinary(plan.lastFrame) ? [ARK_LABELS.lastFrame] : []),
		...(plan.referenceImages.some(isBinary) ? [ARK_LABELS.referenceImages] : []),
		...(plan.referenceAudios.some(isBinary) ? [ARK_LABELS.referenceAudios] : []),
	];
}

async function load(
	ctx: IExecuteFunctions,
	itemIndex: number,
	source: MediaSource,
	label: string,
	limit: number,
): Promise<ArkMediaInput> {
	if ('url' in source) return { url: source.url };
	const name = source.binaryProperty;
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	if (!name || !binary[name]) {
		const has = Object.keys(binary);
		throw new InputValidationError(
			label,
			`names binary property "${name}", which input item ${itemIndex} does not have (it has ${has.length ? has.map((key) => `"${key}"`).join(', ') : 'no binary data'})`,
			'',
		);
	}
	return await readBinaryUpTo(ctx, itemIndex, name, limit);
}

/** The media with their bytes read from the item, each image and audio up to its size limit. */
export async function loadMedia(
	ctx: IExecuteFunctions,
	itemIndex: number,
	plan: MediaPlan,
): Promise<ItemMedia> {
	const many = async (sources: MediaSource[], label: string, limit: number) => {
		const media: ArkMediaInput[] = [];
		for (const [index, source] of sources.entries())
			media.push(await load(ctx, itemIndex, source, `${label} ${index + 1}`, limit));
		return media;
	};
	const image = ARK_IMAGE_MAX_BYTES;
	return {
		firstFrame:
			plan.firstFrame &&
			(await load(ctx, itemIndex, plan.firstFrame, ARK_LABELS.firstFrame, image)),
		lastFrame:
			plan.lastFrame && (await load(ctx, itemIndex, plan.lastFrame, ARK_LABELS.lastFrame, image)),
		referenceImages: await many(plan.referenceImages, ARK_LABELS.referenceImages, image),
		referenceVideos: await many(plan.referenceVideos, ARK_LABELS.referenceVideos, 0),
		referenceAudios: await many(
			plan.referenceAudios,
			ARK_LABELS.referenceAudios,
			ARK_AUDIO_MAX_BYTES,
		),
	};
}
