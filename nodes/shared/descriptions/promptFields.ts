/**
 * The Prompt field and what the panel says about it before anything is paid for: required (n8n marks
 * it in the panel and on the canvas) wherever the video is made from text alone, and a notice while a
 * prompt is longer than Jimeng follows well or accepts.
 *
 * A field's visibility may only depend on a parameter that is shown whenever the field could be:
 * n8n keeps the value of a hidden parameter and still applies it. The twins below respect that
 * (a unit test checks every condition of both nodes).
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { MODELS } from '../jimeng/models';
import { PROMPT_MAX_CHARS, PROMPT_RECOMMENDED_CHARS } from '../jimeng/requests/parameterRules';

const ids = (models: typeof MODELS) => models.map((model) => model.id);
/** Models that make a video from text only. */
export const TEXT_ONLY_MODELS = ids(MODELS.filter((model) => model.images[1] === 0));
/** Models that take text, or an image instead (Pro). */
export const TEXT_OR_IMAGE_MODELS = ids(
	MODELS.filter((model) => model.images[0] === 0 && model.images[1] > 0),
);
/** Models that always need an image. */
export const IMAGE_REQUIRED_MODELS = ids(MODELS.filter((model) => model.images[0] > 0));

const PLACEHOLDER = 'e.g. A corgi surfing a huge wave at sunset, cinematic';
const LIMITS = `At most ${PROMPT_MAX_CHARS} characters; Jimeng follows ${PROMPT_RECOMMENDED_CHARS} or fewer best.`;

function promptField(required: boolean, displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required,
		placeholder: PLACEHOLDER,
		description: required
			? `What the video should show, in Chinese or English. Required: this model makes the video from the prompt alone. ${LIMITS}`
			: `What should happen in the video, in Chinese or English. Optional with an image. ${LIMITS}`,
		displayOptions,
	};
}

/**
 * Notices shown while the prompt is long. Conditions on the prompt's text sit under `hide`: a `show`
 * condition met by an expression ("={{ … }}") shows the field whatever the rest says.
 */
function promptLengthNotices(): INodeProperties[] {
	const longerThan = (chars: number) => `(?![\\s\\S]{${chars + 1}})`;
	return [
		{
			displayName: `This prompt is longer than ${PROMPT_RECOMMENDED_CHARS} characters: Jimeng may follow a long prompt less well. It accepts at most ${PROMPT_MAX_CHARS}.`,
			name: 'promptLongNotice',
			type: 'notice',
			default: '',
			displayOptions: {
				// Where a Prompt shows (every Jimeng model): a model of the other API hides both.
				show: { model: ids(MODELS) },
				hide: {
					// Hidden for an expression, up to 400 characters, and past 800 (the next notice says that).
					prompt: [
						{
							_cnd: {
								regex: `^(?:=|${longerThan(PROMPT_RECOMMENDED_CHARS)}|[\\s\\S]{${PROMPT_MAX_CHARS + 1}})`,
							},
						},
					],
				},
			},
		},
		{
			displayName: `This prompt is longer than ${PROMPT_MAX_CHARS} characters, the most Jimeng accepts: shorten it. Nothing is sent (or paid for) until it fits.`,
			name: 'promptTooLongNotice',
			type: 'notice',
			default: '',
			displayOptions: {
				show: { model: ids(MODELS) },
				hide: { prompt: [{ _cnd: { regex: `^(?:=|${longerThan(PROMPT_MAX_CHARS)})` } }] },
			},
		},
	];
}

/** Submit and Generate and Wait: required for text-to-video, optional with an image. */
export function nodePromptProperties(): INodeProperties[] {
	return [
		promptField(true, { show: { model: TEXT_ONLY_MODELS } }),
		// Image Source is shown for every model below, so the value it is judged by is on screen.
		promptField(true, { show: { model: TEXT_OR_IMAGE_MODELS, imageSource: ['none'] } }),
		promptField(false, {
			show: { model: TEXT_OR_IMAGE_MODELS, imageSource: ['binary', 'url', 'base64'] },
		}),
		promptField(false, { show: { model: IMAGE_REQUIRED_MODELS } }),
		...promptLengthNotices(),
	];
}

/**
 * The trigger's generate mode: an empty Image URL means text-to-video for Pro, so there the prompt is
 * required exactly while the Image URL (shown for Pro) is empty.
 */
export function triggerPromptProperties(): INodeProperties[] {
	return [
		promptField(true, { show: { model: TEXT_ONLY_MODELS } }),
		promptField(true, {
			show: { model: TEXT_OR_IMAGE_MODELS },
			hide: { imageUrl: [{ _cnd: { exists: true } }] },
		}),
		promptField(false, { show: { model: TEXT_OR_IMAGE_MODELS }, hide: { imageUrl: [''] } }),
		promptField(false, { show: { model: IMAGE_REQUIRED_MODELS } }),
		...promptLengthNotices(),
	];
}
