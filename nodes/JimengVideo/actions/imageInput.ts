/**
 * Reads the image parameters of one item into bytes (binary, base64) or a URL, for the request
 * builder to check. Binary data that n8n keeps on disk is read as a stream and only up to the size
 * limit: a huge file is refused without being loaded. A batch keeps no bytes: it reads the same
 * images again from the same place just before each submit (`readAgain`).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	IMAGE_MAX_BYTES,
	decodeBase64Image,
	type ImageBytes,
	type ImageInput,
	type ImageSlot,
} from '../../shared/jimeng/requests/imageRules';
import type { ModelSpec } from '../../shared/jimeng/models';
import { readBinaryUpTo } from '../../shared/binary/binaryInput';

const SOURCE_PARAMETERS: Record<
	ImageSlot,
	{ binary: string; url: string; base64: string; label: string }
> = {
	first: { binary: 'binaryPropertyName', url: 'imageUrl', base64: 'imageBase64', label: 'Image' },
	last: {
		binary: 'lastFrameBinaryPropertyName',
		url: 'lastFrameImageUrl',
		base64: 'lastFrameImageBase64',
		label: 'Last Frame Image',
	},
};

/** One image of an item, and how to read its bytes again (URLs are not read: Jimeng fetches them). */
interface ReadImage {
	input: ImageInput;
	readAgain?: () => Promise<ImageBytes>;
}

async function readBinaryProperty(
	ctx: IExecuteFunctions,
	itemIndex: number,
	slot: ImageSlot,
	propertyName: string,
): Promise<ImageBytes> {
	const label = slot === 'first' ? 'Input Binary Field' : 'Last Frame Binary Field';
	const read = await readBinaryUpTo(ctx, itemIndex, propertyName, IMAGE_MAX_BYTES);
	return { slot, kind: 'bytes', parameter: label, ...read };
}

async function readImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	source: string,
	slot: ImageSlot,
): Promise<ReadImage> {
	const names = SOURCE_PARAMETERS[slot];
	switch (source) {
		case 'binary': {
			// The property name is resolved once: the submit reads exactly what was checked.
			const propertyName = String(ctx.getNodeParameter(names.binary, itemIndex, 'data')).trim();
			const read = async () => await readBinaryProperty(ctx, itemIndex, slot, propertyName);
			return { input: await read(), readAgain: read };
		}
		case 'url':
			return {
				input: {
					slot,
					kind: 'url',
					url: ctx.getNodeParameter(names.url, itemIndex, ''),
					parameter: `${names.label} URL`,
				},
			};
		default: {
			const parameter = `${names.label} (Base64)`;
			const read = async (): Promise<ImageBytes> => {
				const text = ctx.getNodeParameter(names.base64, itemIndex, '');
				return {
					slot,
					kind: 'bytes',
					bytes: decodeBase64Image(text, parameter),
					parameter,
					origin: 'the base64 string',
				};
			};
			return { input: await read(), readAgain: read };
		}
	}
}

export interface ItemImages {
	/** In API order (first frame, then last frame). */
	images: ImageInput[];
	/** Reads the byte images (binary, base64) again from where they were read, in the same order. */
	readAgain(): Promise<ImageBytes[]>;
}

/** The images of one item, in API order (first frame, then last frame). */
export async function readImageInputs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	model: ModelSpec,
): Promise<ItemImages> {
	const read: ReadImage[] = [];
	if (model.images[1] > 0) {
		const source = String(
			ctx.getNodeParameter('imageSource', itemIndex, model.images[0] > 0 ? 'binary' : 'none'),
		);
		if (source !== 'none') {
			read.push(await readImage(ctx, itemIndex, source, 'first'));
			if (model.images[1] > 1) read.push(await readImage(ctx, itemIndex, source, 'last'));
		}
	}
	const readers = read.flatMap((image) => (image.readAgain ? [image.readAgain] : []));
	return { images: read.map((image) => image.input), readAgain: rereader(readers) };
}

/**
 * Built outside readImageInputs on purpose: a closure there would keep that scope's variables, the
 * bytes read now among them, alive for as long as the batch runs.
 */
function rereader(readers: Array<() => Promise<ImageBytes>>): () => Promise<ImageBytes[]> {
	return async () => {
		const images: ImageBytes[] = [];
		for (const read of readers) images.push(await read());
		return images;
	};
}
