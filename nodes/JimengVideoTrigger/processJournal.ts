/**
 * This process's record of each generate trigger's world facts (triggerState.ts): written the moment
 * they become true, read by the next poll of the same trigger. It covers what n8n's saved copy can
 * miss inside one process — a poll whose result n8n threw away (superseded by a publish, abandoned
 * past its budget, the workflow unpublished meanwhile) and, under the durable scheduler, every poll
 * that emits nothing (each of those starts from the saved copy). It does not survive a restart:
 * across restarts only what n8n saved counts (docs/trigger.md).
 */
import type { IPollFunctions } from 'n8n-workflow';

import type { GenerateState } from './triggerState';

const journal = new Map<string, GenerateState>();

/** One trigger: its workflow and node (a node's id survives renames and publishes). */
export function triggerKey(ctx: IPollFunctions): string {
	return `${ctx.getWorkflow().id ?? ''}\u0000${ctx.getNode().id ?? ctx.getNode().name}`;
}

export function readJournal(key: string): GenerateState | undefined {
	const entry = journal.get(key);
	return entry && (JSON.parse(JSON.stringify(entry)) as GenerateState);
}

export function writeJournal(key: string, state: GenerateState): void {
	journal.set(key, JSON.parse(JSON.stringify(state)) as GenerateState);
}

const accountSince = new Map<string, number>();

/** Watch Account: when this trigger began watching, as this process knows it. */
export function readAccountSince(key: string): number | undefined {
	return accountSince.get(key);
}

export function writeAccountSince(key: string, since: number): void {
	accountSince.set(key, since);
}

/** Forgets every trigger's journal, as a restart of n8n does (tests model restarts with it). */
export function forgetJournal(): void {
	journal.clear();
	accountSince.clear();
}
