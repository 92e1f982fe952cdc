/**
 * Generate and Wait's progress for observers in the same process (the demo, tests): the scheduler's
 * events and the image bodies held, typed, with the execution they belong to. The same events go to n8n's debug log for
 * users; nothing should parse that log.
 */
import type { SchedulerEvent } from './batchContract';

/** An image body read just before its submit, or let go once answered; `alive` = bodies held now. */
export interface ImageBodyEvent {
	type: 'imageBody';
	action: 'read' | 'released';
	/** The input item's index. */
	item: number;
	alive: number;
}

export type BatchProgressEvent = (SchedulerEvent | ImageBodyEvent) & {
	executionId: string;
	node: string;
};

type Listener = (event: BatchProgressEvent) => void;

const listeners = new Set<Listener>();

/** Calls `listener` for every batch event from now on; returns the function that stops it. */
export function onBatchProgress(listener: Listener): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

export function reportBatchProgress(event: BatchProgressEvent): void {
	for (const listener of listeners) {
		try {
			listener(event);
		} catch {
			// An observer's failure must not fail the batch.
		}
	}
}
