import { errorJson } from '../../shared/items/errorItems';
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { appendToDescription, toNodeError } from './itemErrors';
import * as generateAndWait from './generateAndWait.operation';
import * as getResult from './getResult.operation';
import * as submit from './submit.operation';

export type Operation = 'submit' | 'getResult' | 'generateAndWait';

const perItem: Record<
	Exclude<Operation, 'generateAndWait'>,
	(this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData>
> = {
	submit: submit.execute,
	getResult: getResult.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as Operation;
	// Generate and Wait schedules the whole batch at once (it handles pairedItem and continueOnFail).
	if (operation === 'generateAndWait') return [await generateAndWait.execute.call(this)];

	const run = perItem[operation];
	if (!run)
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await run.call(this, itemIndex);
			output.push({ ...result, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (this.continueOnFail()) {
				output.push({ json: errorJson(error), pairedItem: { item: itemIndex } });
				continue;
			}
			const nodeError = toNodeError(this, error, itemIndex);
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
				this.logger.warn(`Jimeng Submit stopped at item ${itemIndex}; ${note}`);
			}
			throw nodeError;
		}
	}
	return [output];
}
