/**
 * An input item's binary property as bytes. Data that n8n keeps on disk (filesystem mode) is read as
 * a stream and only up to `limit`: a huge file is refused by its size without being loaded whole.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

export interface BinaryBytes {
	bytes: Buffer;
	/** for messages: 'binary property "data" (frame.png)' */
	origin: string;
	/** the file's full size, when only its head was read */
	totalBytes?: number;
}

async function readStreamUpTo(
	stream: AsyncIterable<Buffer | string>,
	limit: number,
): Promise<Buffer> {
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

/** The bytes of `propertyName` (n8n's own error names the property when the item lacks it). */
export async function readBinaryUpTo(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	limit: number,
): Promise<BinaryBytes> {
	const binaryData = ctx.helpers.assertBinaryData(itemIndex, propertyName);
	const origin = `binary property "${propertyName}"${binaryData.fileName ? ` (${binaryData.fileName})` : ''}`;
	if (binaryData.id) {
		const stream = await ctx.helpers.getBinaryStream(binaryData.id);
		const bytes = await readStreamUpTo(stream as AsyncIterable<Buffer>, limit);
		const totalBytes = typeof binaryData.bytes === 'number' ? binaryData.bytes : undefined;
		return { bytes, origin, totalBytes };
	}
	const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	return { bytes, origin };
}
