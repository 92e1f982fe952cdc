/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
// Small HTTP pieces of the Ark simulator: reading a body, Ark's error envelope, the answers a
// gateway or a broken connection gives instead of Ark's.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const JSON_TYPE = 'application/json; charset=utf-8';

export function newRequestId(): string {
	// Ark's look like 021747… : a time stamp and random hex.
	return `02${Date.now()}${randomBytes(12).toString('hex')}`;
}

/** The whole body, or null when the client went away before it ended. */
export function readBody(req: IncomingMessage): Promise<Buffer | null> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('close', () => {
			if (!req.complete) resolve(null);
		});
		req.on('error', () => resolve(null));
	});
}

export function writeText(
	res: ServerResponse,
	status: number,
	contentType: string,
	text: string,
	requestId?: string,
): void {
	if (res.destroyed) return;
	const headers: Record<string, string | number> = {
		'Content-Type': contentType,
		'Content-Length': Buffer.byteLength(text),
	};
	if (requestId) headers['X-Request-Id'] = requestId;
	res.writeHead(status, headers);
	res.end(text);
}

export function writeJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	requestId: string,
): void {
	writeText(res, status, JSON_TYPE, JSON.stringify(body), requestId);
}

/** Ark's error envelope; the message ends with the request id, as Ark's do. */
export function envelope(
	code: string,
	message: string,
	requestId: string,
	param = '',
	type = 'BadRequest',
): unknown {
	return { error: { code, message: `${message} Request id: ${requestId}`, param, type } };
}

export const GATEWAY_PAGE =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** TOS's error shape for a refused download. */
export function tosError(res: ServerResponse, status: number, code: string, message: string): void {
	writeText(
		res,
		status,
		'application/xml',
		`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
	);
}

/** Bytes that are not an HTTP answer at all, then the connection closes. */
export function writeGarbage(res: ServerResponse): void {
	const socket = res.socket;
	if (!socket) return;
	socket.end('HTTP/1.1 2OO NOT-A-STATUS\r\nthis is not http\r\n\r\n');
}
