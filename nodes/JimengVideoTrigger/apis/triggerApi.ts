/**
 * What the trigger needs of a video API, whichever it is: the request Generate mode sends, one task
 * checked in a poll, and what a task id looks like. The state machine and the polls are the same for
 * every API; each API's file turns its own answers into these outcomes.
 */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { SubmitResult } from '../generateMachine';
import type { ParsedTaskIds } from '../triggerState';
import type { TriggerOptions } from '../triggerOptions';

/** What a task was asked for (prompt, duration, seed…), as its items show it. */
export type RequestSummary = Record<string, unknown>;

export interface GenerateRequest {
	/** the model (Jimeng's req_key, Ark's model or endpoint id) */
	model: string;
	/** how the API's items name the model: `req_key` (Jimeng) or `model` (Ark) */
	modelField: 'req_key' | 'model';
	summary: RequestSummary;
	/** seconds of video one task pays for (the worst-case figure) */
	seconds: number;
	/** One submit, bounded by `timeoutMs`; never repeated after an unknown outcome. */
	send(
		ctx: IPollFunctions,
		options: { timeoutMs: number; knownTaskIds: string[]; userActivation: boolean },
	): Promise<SubmitResult>;
}

export type TaskCheck =
	| { kind: 'running'; status: string }
	| { kind: 'ended'; item: INodeExecutionData }
	| { kind: 'later' };

export interface TriggerApi {
	parseTaskIds(text: unknown): ParsedTaskIds;
	generateRequest(ctx: IPollFunctions): GenerateRequest;
	checkTask(
		ctx: IPollFunctions,
		task: { taskId: string; model: string },
		options: TriggerOptions,
		timeoutMs: number,
	): Promise<TaskCheck>;
}
