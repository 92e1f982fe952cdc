/**
 * Settling a create whose outcome is unknown: list the account's recent tasks for that model (newest
 * first, `filter.model` = the model or endpoint id the create used) and adopt the one task whose
 * visible parameters and creation time match (listMatching.ts). Looks a few times, as a task may
 * take a moment to be listed. Never adopts a task the caller already knows, never guesses.
 */
import { sleepUnlessCancelled } from '../../network/cancellation';
import type { ArkCreateBody } from '../requests/requestBuilder';
import type { ArkTask } from '../task';
import { arkCancelledError } from './ArkApiError';
import { executionSignal, type ArkCallOptions, type ArkContext } from './callArk';
import {
	fingerprintOf,
	matchCreatedTask,
	type MatchResult,
	type MatchWindow,
} from './listMatching';
import { listTasks } from './taskCalls';

export interface ResolveOptions {
	/** Clock difference allowed between this machine and Ark, each way (default 30 s). */
	skewMs?: number;
	/** Lists in all (default 3), `delayMs` apart (default 2000). */
	attempts?: number;
	delayMs?: number;
	/** Tasks per page (default 50) and pages per look (default 4). */
	pageSize?: number;
	maxPages?: number;
	/** The clock (tests). */
	now?: () => number;
}

export const DEFAULT_RESOLVE: Required<Omit<ResolveOptions, 'now'>> = {
	skewMs: 30_000,
	attempts: 3,
	delayMs: 2000,
	pageSize: 50,
	maxPages: 4,
};

export interface UnknownCreate {
	body: ArkCreateBody;
	/** when the create whose answer was lost was sent */
	sentAt: Date;
	/** task ids the caller already has (earlier items, the ledger): never adopted */
	knownTaskIds?: Iterable<string>;
}

export type ResolveResult = MatchResult & { lists: number };

/** Every listed task of the model created since `fromMs`, newest first, within maxPages pages. */
async function recentTasks(
	ctx: ArkContext,
	body: ArkCreateBody,
	fromMs: number,
	options: Required<Omit<ResolveOptions, 'now'>>,
	callOptions: ArkCallOptions,
): Promise<ArkTask[]> {
	const tasks: ArkTask[] = [];
	for (let pageNum = 1; pageNum <= options.maxPages; pageNum++) {
		// Ark lists only the default tier unless told otherwise: a flex create is looked for as flex.
		const query = { model: body.model, serviceTier: body.service_tier ?? 'default', pageNum };
		const page = await listTasks(ctx, { ...query, pageSize: options.pageSize }, callOptions);
		tasks.push(...page.items);
		const olderOnly = page.items.every((task) => (task.created_at ?? 0) * 1000 < fromMs);
		// Newest first (inferred): a page of older tasks only, or a short page, ends the look.
		if (olderOnly || page.items.length < options.pageSize) break;
	}
	return tasks;
}

export async function resolveUnknownCreate(
	ctx: ArkContext,
	create: UnknownCreate,
	options: ResolveOptions = {},
	callOptions: ArkCallOptions = {},
): Promise<ResolveResult> {
	const settings = { ...DEFAULT_RESOLVE, ...options };
	const now = options.now ?? (() => Date.now());
	const signal = callOptions.signal ?? executionSignal(ctx);
	const print = fingerprintOf(create.body);
	const known = new Set(create.knownTaskIds ?? []);
	// created_at is in whole seconds: the send's second counts.
	const fromMs = Math.floor(create.sentAt.getTime() / 1000) * 1000 - settings.skewMs;
	let result: MatchResult = { kind: 'none' };
	for (let look = 1; look <= settings.attempts; look++) {
		const tasks = await recentTasks(ctx, create.body, fromMs, settings, callOptions);
		const window: MatchWindow = { fromMs, toMs: now() + settings.skewMs };
		result = matchCreatedTask(tasks, print, window, known);
		if (result.kind !== 'none' || look === settings.attempts) return { ...result, lists: look };
		await sleepUnlessCancelled(settings.delayMs, signal, () =>
			arkCancelledError(
				ctx.getNode(),
				'Cancelled while looking for the task of an unanswered create',
			),
		);
	}
	return { ...result, lists: settings.attempts };
}
