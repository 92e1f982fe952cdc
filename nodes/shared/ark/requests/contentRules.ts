/**
 * Which generation mode the given media make (text, first frame, first + last frame, reference
 * media, or a draft reused) and whether the model takes it, then the `content[]` list. The modes
 * are mutually exclusive at Ark (docs/ark-api.md "content[] items"); mixing them is refused here
 * with a message that says which parameters clash. Pure.
 */
import { InputValidationError, describeValue } from '../../requests/inputValues';
import type { ArkMode, ArkModelSpec } from '../models';
import { ARK_LABELS } from './labels';
import {
	audioItem,
	imageItem,
	videoItem,
	type ArkMediaInput,
	type ContentItem,
	type ImageFacts,
} from './mediaRules';

export interface MediaValues {
	firstFrame?: ArkMediaInput;
	lastFrame?: ArkMediaInput;
	referenceImages?: ArkMediaInput[];
	referenceVideos?: ArkMediaInput[];
	referenceAudios?: ArkMediaInput[];
}

/** The most any model takes, for endpoint ids whose model is unknown. */
const ANY_MODEL_REFERENCES = { images: [0, 9] as const, videos: 3, audios: 3 };

const MODE_NAMES: Record<ArkMode, string> = {
	text: 'text-to-video (no image)',
	firstFrame: 'a first frame',
	firstLastFrame: 'a first and a last frame',
	reference: 'reference media',
};

export function modeOf(media: MediaValues): ArkMode {
	const references =
		(media.referenceImages?.length ?? 0) +
		(media.referenceVideos?.length ?? 0) +
		(media.referenceAudios?.length ?? 0);
	if (media.lastFrame && !media.firstFrame) {
		throw new InputValidationError(
			ARK_LABELS.lastFrame,
			`needs a ${ARK_LABELS.firstFrame} too (Ark makes the video from the first frame to the last)`,
			'a last frame alone',
		);
	}
	if (references > 0 && media.firstFrame) {
		throw new InputValidationError(
			ARK_LABELS.firstFrame,
			`cannot be combined with ${ARK_LABELS.referenceImages}, ${ARK_LABELS.referenceVideos} or ${ARK_LABELS.referenceAudios}: Ark's first/last-frame and reference modes are mutually exclusive. Use either the frames or the references`,
			`a first frame and ${references} reference item(s)`,
		);
	}
	if (references > 0) return 'reference';
	if (media.lastFrame) return 'firstLastFrame';
	return media.firstFrame ? 'firstFrame' : 'text';
}

function checkCount(
	label: string,
	count: number,
	[min, max]: readonly [number, number],
	model: string,
): void {
	if (count >= min && count <= max) return;
	const rule =
		max === 0
			? `is not taken by ${model}`
			: `takes ${min === max ? max : `${min} to ${max}`} item(s) with ${model}`;
	throw new InputValidationError(label, rule, `${count}`);
}

/** The mode is one the model makes, with reference counts it takes. */
export function checkModeForModel(
	mode: ArkMode,
	media: MediaValues,
	model: { id: string; spec?: ArkModelSpec },
): void {
	const spec = model.spec;
	if (spec && !spec.modes.includes(mode)) {
		const takes = spec.modes.map((m) => MODE_NAMES[m]).join(', ');
		throw new InputValidationError(
			ARK_LABELS.model,
			`${spec.id} does not make videos from ${MODE_NAMES[mode]}; it takes ${takes}`,
			describeValue(spec.id),
		);
	}
	if (mode !== 'reference') return;
	const limits = spec?.references ?? ANY_MODEL_REFERENCES;
	const images = media.referenceImages?.length ?? 0;
	const videos = media.referenceVideos?.length ?? 0;
	const audios = media.referenceAudios?.length ?? 0;
	checkCount(ARK_LABELS.referenceImages, images, limits.images, model.id);
	checkCount(ARK_LABELS.referenceVideos, videos, [0, limits.videos], model.id);
	checkCount(ARK_LABELS.referenceAudios, audios, [0, limits.audios], model.id);
	if (audios > 0 && images + videos === 0) {
		throw new InputValidationError(
			ARK_LABELS.referenceAudios,
			`needs at least one reference image or video beside it (Ark makes no video from audio alone)`,
			`${audios} audio, no image or video`,
		);
	}
}

/** The media as content items (prompt first), with what was learnt from image bytes. */
export function contentItems(
	prompt: string,
	media: MediaValues,
	options: { heic: boolean; hints: string[] },
): { content: ContentItem[]; images: ImageFacts[] } {
	const content: ContentItem[] = prompt ? [{ type: 'text', text: prompt }] : [];
	const images: ImageFacts[] = [];
	const addImage = (label: string, input: ArkMediaInput, role: ImageFacts['role']) => {
		const { item, facts } = imageItem(label, input, role, options);
		content.push(item);
		images.push(facts);
	};
	if (media.firstFrame) addImage(ARK_LABELS.firstFrame, media.firstFrame, 'first_frame');
	if (media.lastFrame) addImage(ARK_LABELS.lastFrame, media.lastFrame, 'last_frame');
	for (const [index, image] of (media.referenceImages ?? []).entries())
		addImage(`${ARK_LABELS.referenceImages} ${index + 1}`, image, 'reference_image');
	for (const [index, video] of (media.referenceVideos ?? []).entries())
		content.push(videoItem(`${ARK_LABELS.referenceVideos} ${index + 1}`, video));
	for (const [index, audio] of (media.referenceAudios ?? []).entries())
		content.push(audioItem(`${ARK_LABELS.referenceAudios} ${index + 1}`, audio));
	return { content, images };
}
