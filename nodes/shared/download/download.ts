/**
 * Result downloads (a video, or Seedance's last frame): the URL is pre-signed by the CDN, so the plain
 * helper streams it (no credential) into n8n's binary data store. An expired URL gets one fresh URL
 * where the API can sign one (Jimeng); broken transfers are retried by the same policy as API calls.
 */
import type { IBinaryData, IN8nHttpFullResponse } from 'n8n-workflow';

import { findNetworkFailure } from '../network/networkFailure';
import { cancelledError, sleepUnlessCancelled } from '../network/cancellation';
import { executionSignal, type CallOptions, type JimengContext } from '../jimeng/transport/callApi';
import { responseError } from '../jimeng/transport/JimengApiError';
import {
	DEFAULT_RETRY_OPTIONS,
	decideRetry,
	type AttemptFailure,
	type RetryOptions,
} from '../jimeng/transport/retryPolicy';

const DOWNLOAD_TIMEOUT_MS = 120_000;

export interface DownloadInput {
	taskId: string;
	/** The pre-signed URL of the file (a video unless `what` says otherwise). */
	videoUrl: string;
	/**
	 * A fresh URL: Jimeng's signed CDN links expire after an hour (a new Get Result signs a new one).
	 * Without it (Ark: the URL lives 24 hours and is not signed again) an expired URL fails at once.
	 */
	refreshUrl?: () => Promise<string>;
	fileName: string;
	/** default video/mp4 */
	mimeType?: string;
	/** what the file is, in messages: default "video" */
	what?: string;
	/** what the user can do when the download fails; default Jimeng's (tasks kept 12 hours) */
	hints?: DownloadHints;
}

/** The last sentence of a failed download's message: what to do next. */
export interface DownloadHints {
	/** after a transfer that kept breaking */
	retry: string;
	/** after the URL answered 403/404/410 (and a fresh one, where there is one, too) */
	expired: string;
}

export const JIMENG_DOWNLOAD_HINTS: DownloadHints = {
	retry: 'The task is done: run Get Result with this task id to try again within 12 hours.',
	expired: 'Run Get Result again later (videos are kept 12 hours).',
};

type DownloadAttempt =
	| { kind: 'ok'; binary: IBinaryData }
	| { kind: 'expired'; httpStatus: number }
	| { kind: 'failed'; failure: AttemptFailure; detail: string };

/** A transfer that broke (or a cancel, which is thrown): `detail` says how far it got. */
function brokenTransfer(
	ctx: JimengContext,
	error: unknown,
	signal: AbortSignal | undefined,
	suffix = '',
): DownloadAttempt {
	if (signal?.aborted) throw cancelledError(ctx.getNode(), 'Cancelled while downloading the video');
	const failure = findNetworkFailure(error) ?? {
		code: 'DOWNLOAD_FAILED',
		phase: 'unknown',
		detail: (error as Error).message,
	};
	return {
		kind: 'failed',
		failure: { kind: 'network', failure },
		detail: `${failure.detail}${suffix}`,
	};
}

/** The body streamed into n8n's binary store, refused when shorter than announced. */
async function storeFile(
	ctx: JimengContext,
	stream: NodeJS.ReadableStream,
	file: { fileName: string; mimeType: string },
	expected: number,
	signal: AbortSignal | undefined,
): Promise<DownloadAttempt> {
	try {
		const binary = await ctx.helpers.prepareBinaryData(
			stream as unknown as Buffer,
			file.fileName,
			file.mimeType,
		);
		// A cut connection must not become a short, broken file.
		if (!isShort(binary.bytes, expected)) return { kind: 'ok', binary };
		const failure = { code: 'TRUNCATED', phase: 'unknown' as const, detail: 'truncated' };
		return {
			kind: 'failed',
			failure: { kind: 'network', failure },
			detail: `received ${binary.bytes} of ${expected} bytes`,
		};
	} catch (error) {
		return brokenTransfer(
			ctx,
			error,
			signal,
			` (expected ${Number.isFinite(expected) ? expected : '?'} bytes)`,
		);
	}
}

async function downloadOnce(
	ctx: JimengContext,
	url: string,
	file: { fileName: string; mimeType: string },
	signal: AbortSignal | undefined,
): Promise<DownloadAttempt> {
	let response: IN8nHttpFullResponse;
	try {
		response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url,
			// An mp4 or png gains nothing from gzip; asking for none keeps Content-Length the stored size.
			headers: { 'Accept-Encoding': 'identity' },
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
			abortSignal: signal,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		return brokenTransfer(ctx, error, signal);
	}
	const stream = response.body as NodeJS.ReadableStream & { destroy?: () => void };
	const status = response.statusCode;
	if (status === 403 || status === 404 || status === 410) {
		stream.destroy?.();
		return { kind: 'expired', httpStatus: status };
	}
	if (status < 200 || status >= 300) {
		stream.destroy?.();
		return {
			kind: 'failed',
			failure: { kind: 'http', httpStatus: status },
			detail: `HTTP ${status}`,
		};
	}
	return await storeFile(
		ctx,
		stream,
		file,
		Number(response.headers['content-length'] ?? NaN),
		signal,
	);
}

/**
 * Whether the stored video is shorter than announced. A body that the HTTP client decompressed
 * (a CDN that gzips although the request asked for identity) is checked by the decompressor's own
 * checksum, and its Content-Length is the compressed size: more bytes than announced can only mean
 * that, never a cut connection.
 */
function isShort(storedBytes: number | undefined, announced: number): boolean {
	return Number.isFinite(announced) && typeof storedBytes === 'number' && storedBytes < announced;
}

/**
 * Streams the file into n8n's binary data store (never whole in memory in filesystem mode).
 * An expired URL (403/404) gets one fresh URL where there is a refresher; broken transfers are retried.
 */
export async function downloadVideo(
	ctx: JimengContext,
	input: DownloadInput,
	options: CallOptions = {},
): Promise<IBinaryData> {
	const retry: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, maxAttempts: 4, ...options.retry };
	const signal = executionSignal(ctx);
	const what = input.what ?? 'video';
	const hints = input.hints ?? JIMENG_DOWNLOAD_HINTS;
	const file = { fileName: input.fileName, mimeType: input.mimeType ?? 'video/mp4' };
	let url = input.videoUrl;
	let refreshed = false;
	for (let attempt = 1; ; attempt++) {
		if (signal?.aborted)
			throw cancelledError(ctx.getNode(), `Cancelled while downloading the ${what}`);
		const result = await downloadOnce(ctx, url, file, signal);
		if (result.kind === 'ok') return result.binary;
		if (result.kind === 'expired') {
			if (refreshed || !input.refreshUrl) {
				const after = refreshed ? ' even after a fresh Get Result' : '';
				throw responseError(ctx.getNode(), {
					what: `The ${what} of task ${input.taskId} could not be downloaded: its URL answered HTTP ${result.httpStatus}${after}. ${hints.expired}`,
					httpStatus: result.httpStatus,
					taskId: input.taskId,
				});
			}
			refreshed = true;
			url = await input.refreshUrl();
			continue;
		}
		const decision = decideRetry('download', result.failure, attempt, retry);
		if (!decision.retry) {
			throw responseError(ctx.getNode(), {
				what: `The ${what} of task ${input.taskId} could not be downloaded (${result.detail}). ${hints.retry}`,
				taskId: input.taskId,
				retryable: true,
			});
		}
		options.onRetry?.({
			call: 'download',
			attempt,
			delayMs: decision.delayMs,
			failure: result.failure,
		});
		await sleepUnlessCancelled(decision.delayMs, signal, () =>
			cancelledError(ctx.getNode(), `Cancelled while waiting to retry the ${what} download`),
		);
	}
}
