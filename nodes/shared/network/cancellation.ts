/**
 * Stopping when the user cancels the execution: the error it gives and the wait that ends at once
 * on cancel. Used by every retry loop and by Generate and Wait's polling.
 */
import { sleep, type INode } from 'n8n-workflow';

import { JimengApiError } from '../jimeng/transport/JimengApiError';

/** The error a cancelled execution ends with (`code: CANCELLED`, never retried). */
export function cancelledError(node: INode, message: string): JimengApiError {
	return new JimengApiError(
		node,
		{ kind: 'network', code: 'CANCELLED', retryable: false },
		message,
		'The execution was cancelled.',
	);
}

/** Waits `ms`, or throws `onCancel()` as soon as the execution is cancelled (before, during or after). */
export async function sleepUnlessCancelled(
	ms: number,
	signal: AbortSignal | undefined,
	onCancel: () => Error,
): Promise<void> {
	if (signal?.aborted) throw onCancel();
	try {
		await sleep(ms, signal);
	} catch {
		throw onCancel();
	}
	if (signal?.aborted) throw onCancel();
}
