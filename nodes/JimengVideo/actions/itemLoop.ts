/** The item loop of every per-item operation (Submit, Get Result, Cancel) of both APIs. */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { errorJson } from '../../shared/items/errorItems';
import { appendToDescription, toNodeError } from './itemErrors';

export type ItemOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<INodeExecutionData>;

/**
 * Runs an operation item by item: each output item paired with its input, a failed item as an
 * error item (continueOnFail) or as the error that stops the node. When a create stops the node,
 * the tasks earlier items created are named in the error: paid tasks must not vanish with it.
 */
export async function runPerItem(
	ctx: IExecuteFunctions,
	operation: string,
	run: ItemOperation | undefined,
	api: 'Jimeng' | 'Ark',
): Promise<INodeExecutionData[]> {
	if (!run)
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" is not supported`);
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await run.call(ctx, itemIndex);
			output.push({ ...result, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (ctx.continueOnFail()) {
				output.push({ json: errorJson(error), pairedItem: { item: itemIndex } });
				continue;
			}
			const nodeError = toNodeError(ctx, error, itemIndex, api);
			// Submit: the tasks of earlier items exist and cost money; their ids must not vanish with the error.
			const created = output.filter((item) => typeof item.json.task_id === 'string');
			if (operation === 'submit' && created.length) {
				const ids = created
					.map(
						(item) =>
							`item ${(item.pairedItem as { item: number }).item}: task_id ${item.json.task_id as string}`,
					)
					.join('; ');
				const note = `Tasks already created by earlier items (collect them with Get Result): ${ids}.`;
				appendToDescription(nodeError, note);
				ctx.logger.warn(`${api} Submit stopped at item ${itemIndex}; ${note}`);
			}
			throw nodeError;
		}
	}
	return output;
}
