/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/**
 * Every HTTP request this process sends, seen through Node's diagnostics channels (node:http(s),
 * which n8n's request helpers use through axios, and undici): the examples' offline runs prove
 * with it that no request leaves for a host other than the simulator. The same is recorded in a real
 * n8n by test/tooling/n8n-host/outboundLog.cjs.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface OutboundRequest {
	/** e.g. `http://127.0.0.1:5699` (the port is there unless it is the scheme's default). */
	origin: string;
	method: string;
	/** Without the query (it may carry a signature). */
	path: string;
}

interface HttpRequestLike {
	protocol: string;
	host: string;
	method: string;
	path: string;
	getHeader(name: string): unknown;
}

/** Records until `stop()`. */
export function recordOutboundRequests(): { requests: OutboundRequest[]; stop(): void } {
	const requests: OutboundRequest[] = [];
	const onHttp = (message: unknown) => {
		const request = (message as { request: HttpRequestLike }).request;
		const host = (request.getHeader('host') as string | undefined) ?? request.host;
		requests.push({
			origin: `${request.protocol}//${host}`,
			method: request.method,
			path: request.path.split('?')[0],
		});
	};
	const onUndici = (message: unknown) => {
		const request = (message as { request: { origin: string; method: string; path: string } })
			.request;
		requests.push({
			origin: String(request.origin),
			method: request.method,
			path: request.path.split('?')[0],
		});
	};
	diagnosticsChannel.subscribe('http.client.request.start', onHttp);
	diagnosticsChannel.subscribe('undici:request:create', onUndici);
	return {
		requests,
		stop: () => {
			diagnosticsChannel.unsubscribe('http.client.request.start', onHttp);
			diagnosticsChannel.unsubscribe('undici:request:create', onUndici);
		},
	};
}

/** `--require` this into an n8n process, with JIMENG_OUTBOUND_LOG naming the file it appends to. */
export const OUTBOUND_LOG_PRELOAD = path.join(
	__dirname,
	'..',
	'tooling',
	'n8n-host',
	'outboundLog.cjs',
);

/** What outboundLog.cjs wrote (none when the file does not exist). */
export function readOutboundLog(file: string): OutboundRequest[] {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return [];
	}
	return text
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as OutboundRequest);
}

/** The requests that went anywhere but `allowed` origins, as lines for an error message. */
export function strayRequests(requests: OutboundRequest[], allowed: string[]): string[] {
	const origins = new Set(allowed.map((url) => new URL(url).origin));
	return requests
		.filter((request) => !origins.has(new URL(request.origin).origin))
		.map((request) => `${request.method} ${request.origin}${request.path}`);
}
