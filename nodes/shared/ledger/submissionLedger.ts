/**
 * Remembers, for the life of an execution, every submit an item made and how it ended: accepted
 * (with its task id) or outcome unknown (the task may exist). Pure and in-process: n8n's "Retry On
 * Fail" re-runs a failed node in the same process, with the same execution, run index and items.
 *
 * Without it a retry would submit (and pay for) every item again. With it a re-run of an item gets
 * its first outcome back: the accepted task (`reused`), or the first try's "may exist" error — never
 * a second submit. The key is what identifies the item's submission (execution, node, run, item), not
 * its body: a prompt with `{{ $now }}` differs between tries and must not look like a new item. The
 * body's digest is kept to tell the user when a re-run asks for something else.
 */

const KEEP_MS = 12 * 3600 * 1000;
const SEPARATOR = '\u0000';
const MAX_ENTRIES = 10_000;

export interface SubmissionScope {
	executionId: string;
	nodeName: string;
	runIndex: number;
	itemIndex: number;
}

export type LedgerEntry =
	/** `answer` is what the API's create returned (its shape is the API's: Jimeng's or Ark's). */
	| { outcome: 'accepted'; taskId: string; answer: unknown; digest: string; at: number }
	/** `error` is the first try's error, thrown again as it was for every re-run. */
	| { outcome: 'may_exist'; error: Error; digest: string; at: number };

export type LedgerRecord =
	| Omit<Extract<LedgerEntry, { outcome: 'accepted' }>, 'at'>
	| Omit<Extract<LedgerEntry, { outcome: 'may_exist' }>, 'at'>;

export class SubmissionLedger {
	private readonly entries = new Map<string, LedgerEntry>();

	/** A retry re-runs the node with the same run index; a loop runs it again with the next one (a new video on purpose). */
	static key(scope: SubmissionScope): string {
		return [scope.executionId, scope.nodeName, scope.runIndex, scope.itemIndex].join(SEPARATOR);
	}

	/**
	 * Every accepted task id of an execution (all nodes, runs and items): a create whose answer was
	 * lost must never be settled by adopting one of these (they are this execution's own tasks).
	 */
	taskIdsOf(executionId: string): string[] {
		const prefix = `${executionId}${SEPARATOR}`;
		const ids: string[] = [];
		for (const [key, entry] of this.entries)
			if (entry.outcome === 'accepted' && key.startsWith(prefix)) ids.push(entry.taskId);
		return ids;
	}

	/** An outcome proved wrong: the create was refused after all (nothing exists to return). */
	forget(key: string): void {
		this.entries.delete(key);
	}

	find(key: string, now = Date.now()): LedgerEntry | undefined {
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
		for (const [key, entry] of this.entries)
			if (entry.outcome === 'accepted' && entry.taskId === taskId) this.entries.delete(key);
	}

	record(key: string, record: LedgerRecord, now = Date.now()): void {
		this.entries.set(key, { ...record, at: now } as LedgerEntry);
		if (this.entries.size > MAX_ENTRIES) {
			// Maps iterate in insertion order: the first entries are the oldest.
			for (const oldKey of [...this.entries.keys()].slice(0, this.entries.size - MAX_ENTRIES))
				this.entries.delete(oldKey);
		}
	}
}

/** One ledger per n8n process. */
export const submissionLedger = new SubmissionLedger();
