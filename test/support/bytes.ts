/** Base64 of bytes, as the API's binary_data_base64 carries an image. */
export const b64 = (bytes: Uint8Array): string =>
	Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
