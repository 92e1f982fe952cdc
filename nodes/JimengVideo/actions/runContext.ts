/** What the run is: how n8n called the node (as an AI agent's tool or not), and hints for its output. */
import type { IExecuteFunctions } from 'n8n-workflow';

/** Execution hints, each distinct message once per run (a batch of 50 long prompts gives one hint). */
export function addHints(ctx: IExecuteFunctions, messages: Iterable<string>): void {
	const unique = [...new Set(messages)];
	if (unique.length === 0 || typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints(...unique.map((message) => ({ message, location: 'outputPane' as const })));
}

/** Used as a tool by an AI agent, a video blob is of no use to the model: return the URL instead. */
export function isToolCall(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}
