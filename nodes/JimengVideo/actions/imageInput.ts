/**
 * Reads the image parameters of one item into bytes (binary, base64) or a URL, for the request
 * builder to check. Binary data that n8n keeps on disk is read as a stream and only up to the size
 * limit: a huge file is refused without being loaded.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { IMAGE_MAX_BYTES, decodeBase64Image, type ImageInput, type ImageSlot } from '../helpers/requestBuilder';
import type { ModelSpec } from '../helpers/models';

const SOURCE_PARAMETERS: Record<ImageSlot, { binary: string; url: string; base64: string; label: string }> = {
	first: { binary: 'binaryPropertyName', url: 'imageUrl', base64: 'imageBase64', label: 'Image' },
	last: {
		binary: 'lastFrameBinaryPropertyName',
		url: 'lastFrameImageUrl',
		base64: 'lastFrameImageBase64',
		label: 'Last Frame Image',
	},
};

async function readStreamUpTo(stream: AsyncIterable<Buffer | string>, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of stream) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		chunks.push(buffer);
		length += buffer.length;
		if (length > limit) break; // leaving the loop closes the stream
	}
	return Buffer.concat(chunks, length);
}

async function readBinaryImage(ctx: IExecuteFunctions, itemIndex: number, slot: ImageSlot): Promise<ImageInput> {
	const parameter = SOURCE_PARAMETERS[slot].binary;
	const propertyName = String(ctx.getNodeParameter(parameter, itemIndex, 'data')).trim();
	const binaryData = ctx.helpers.assertBinaryData(itemIndex, propertyName);
	const origin = `binary property "${propertyName}"${binaryData.fileName ? ` (${binaryData.fileName})` : ''}`;
	const label = slot === 'first' ? 'Input Binary Field' : 'Last Frame Binary Field';
	if (binaryData.id) {
		const stream = await ctx.helpers.getBinaryStream(binaryData.id);
		const bytes = await readStreamUpTo(stream as AsyncIterable<Buffer>, IMAGE_MAX_BYTES);
		return { slot, kind: 'bytes', bytes, parameter: label, origin, totalBytes: typeof binaryData.bytes === 'number' ? binaryData.bytes : undefined };
	}
	const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return { slot, kind: 'bytes', bytes, parameter: label, origin };
}

async function readImage(ctx: IExecuteFunctions, itemIndex: number, source: string, slot: ImageSlot): Promise<ImageInput> {
	const names = SOURCE_PARAMETERS[slot];
	switch (source) {
		case 'binary':
			return await readBinaryImage(ctx, itemIndex, slot);
		case 'url':
			return { slot, kind: 'url', url: ctx.getNodeParameter(names.url, itemIndex, ''), parameter: `${names.label} URL` };
		default: {
			const parameter = `${names.label} (Base64)`;
			const text = ctx.getNodeParameter(names.base64, itemIndex, '');
			return { slot, kind: 'bytes', bytes: decodeBase64Image(text, parameter), parameter, origin: 'the base64 string' };
		}
	}
}

/** The images of one item, in API order (first frame, then last frame). */
export async function readImageInputs(ctx: IExecuteFunctions, itemIndex: number, model: ModelSpec): Promise<ImageInput[]> {
	if (model.images[1] === 0) return [];
	const source = String(ctx.getNodeParameter('imageSource', itemIndex, model.images[0] > 0 ? 'binary' : 'none'));
	if (source === 'none') return [];
	const images = [await readImage(ctx, itemIndex, source, 'first')];
	if (model.images[1] > 1) images.push(await readImage(ctx, itemIndex, source, 'last'));
	return images;
}
