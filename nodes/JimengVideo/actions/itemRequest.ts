/** One item's parameters as a checked video request: nothing is sent for an item that breaks a rule. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { findModel } from '../../shared/jimeng/models';
import { attachImageData } from '../../shared/jimeng/requests/deferredImages';
import { buildVideoRequest, type VideoRequest } from '../../shared/jimeng/requests/requestBuilder';
import {
	readModelParameter,
	readVideoParameters,
	type ParameterReader,
} from '../../shared/jimeng/requests/videoParameters';
import { readImageInputs, type ItemImages } from './imageInput';

/** Reads and checks one item's video parameters. Throws InputValidationError before any request. */
export async function buildItemRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<VideoRequest> {
	return (await checkItemRequest(ctx, itemIndex, false)).request;
}

/**
 * An item checked in full but holding no image bytes: `request` has everything except the image
 * data, `complete()` reads the images again and returns the sendable request.
 */
export interface DeferredItemRequest {
	request: VideoRequest;
	complete(): Promise<VideoRequest>;
}

/**
 * Like buildItemRequest, for a batch: every rule is checked now (format by content, size,
 * dimensions, ratio), but only each image's size and sha256 are kept. `complete()` reads it again
 * just before the submit and fails the item, sending nothing, if it is no longer the same bytes.
 */
export async function deferItemRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<DeferredItemRequest> {
	return await checkItemRequest(ctx, itemIndex, true);
}

async function checkItemRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
	deferImageData: boolean,
): Promise<DeferredItemRequest> {
	const read: ParameterReader = (name, fallback) => ctx.getNodeParameter(name, itemIndex, fallback);
	const modelKey = readModelParameter(read);
	const model = typeof modelKey === 'string' ? findModel(modelKey) : undefined;
	const itemImages = model ? await readImageInputs(ctx, itemIndex, model) : undefined;
	const request = buildVideoRequest(readVideoParameters(read, itemImages?.images ?? []), {
		deferImageData,
	});
	return deferred(request, itemImages?.readAgain);
}

/** Outside checkItemRequest so that `complete` keeps the reader, not the bytes read for the check. */
function deferred(
	request: VideoRequest,
	readAgain: ItemImages['readAgain'] | undefined,
): DeferredItemRequest {
	return {
		request,
		complete: async () =>
			request.deferredImages && readAgain ? attachImageData(request, await readAgain()) : request,
	};
}
