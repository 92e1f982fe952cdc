/** Generate mode's request: the Submit body built from the trigger's parameters, checked first. */
import { NodeOperationError, type IPollFunctions } from 'n8n-workflow';

import { DEFAULT_MODEL, findModel } from '../shared/jimeng/models';
import type { ImageInput } from '../shared/jimeng/requests/imageRules';
import { InputValidationError } from '../shared/requests/inputValues';
import { buildVideoRequest, type VideoRequest } from '../shared/jimeng/requests/requestBuilder';
import { readVideoParameters } from '../shared/jimeng/requests/videoParameters';

/** What a task was asked for (prompt, frames, aspect ratio, seed…), as its items show it. */
export type RequestSummary = VideoRequest['summary'];

/** A parameter that breaks a rule: nothing is sent, and the message names the rule and the value. */
export function invalidParameter(
	ctx: IPollFunctions,
	error: InputValidationError,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), error.message, {
		description: 'Nothing was sent to Jimeng.',
	});
}

export function generateRequest(ctx: IPollFunctions): VideoRequest {
	const model = String(ctx.getNodeParameter('model', DEFAULT_MODEL));
	const spec = findModel(model);
	const images: ImageInput[] = [];
	const imageUrl = String(ctx.getNodeParameter('imageUrl', '') ?? '').trim();
	if (spec && spec.images[1] > 0 && (imageUrl || spec.images[0] > 0)) {
		images.push({ slot: 'first', kind: 'url', url: imageUrl, parameter: 'Image URL' });
		if (spec.images[1] > 1) {
			images.push({
				slot: 'last',
				kind: 'url',
				url: ctx.getNodeParameter('lastFrameImageUrl', ''),
				parameter: 'Last Frame Image URL',
			});
		}
	}
	try {
		return buildVideoRequest(
			readVideoParameters((name, fallback) => ctx.getNodeParameter(name, fallback), images),
		);
	} catch (error) {
		if (error instanceof InputValidationError) throw invalidParameter(ctx, error);
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}
