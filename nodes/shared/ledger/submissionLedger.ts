/**
 * Remembers, for the life of an execution, which item requests were already accepted by Jimeng.
 *
 * n8n's "Retry On Fail" setting re-runs a failed node for ALL its items: without this, every item
 * submitted before the failure would be submitted (and paid for) again. With it, a re-run within the
 * same execution picks the accepted task up by its id instead. Pure and in-process (a retry runs in
 * the same process as the first attempt).
 */
import { bodyDigest } from '../requests/jsonBody';

const KEEP_MS = 12 * 3600 * 1000;
const MAX_ENTRIES = 10_000;

interface Entry {
	taskId: string;
	requestId: string;
	at: number;
}

export class SubmissionLedger {
	private readonly entries = new Map<string, Entry>();

	/**
	 * A retry re-runs the node with the same run index; a loop runs it again with the next one, and
	 * there the same prompt is a new video on purpose.
	 */
	static key(
		scope: { executionId: string; nodeName: string; runIndex: number; itemIndex: number },
		body: unknown,
	): string {
		const digest = bodyDigest(body);
		return [scope.executionId, scope.nodeName, scope.runIndex, scope.itemIndex, digest].join(
			'\u0000',
		);
	}

	find(key: string, now = Date.now()): Entry | undefined {
		const entry = this.entries.get(key);
		if (entry && now - entry.at > KEEP_MS) {
			this.entries.delete(key);
			return undefined;
		}
		return entry;
	}

	/**
	 * A task that ended badly (moderation, expired) is no result to hand back: forgetting it lets a
	 * retry of the node submit a new attempt instead of returning the same failure forever.
	 */
	forgetTask(taskId: string): void {
		for (const [key, entry] of this.entries) if (entry.taskId === taskId) this.entries.delete(key);
	}

	record(key: string, taskId: string, requestId: string, now = Date.now()): void {
		this.entries.set(key, { taskId, requestId, at: now });
		if (this.entries.size > MAX_ENTRIES) {
			// Maps iterate in insertion order: the first entries are the oldest.
			for (const oldKey of [...this.entries.keys()].slice(0, this.entries.size - MAX_ENTRIES))
				this.entries.delete(oldKey);
		}
	}
}

/** One ledger per n8n process. */
export const submissionLedger = new SubmissionLedger();
