import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import * as generateAndWait from './generateAndWait.operation';
import * as getResult from './getResult.operation';
import { runPerItem, type ItemOperation } from './itemLoop';
import { seedanceRouter } from './seedance/router';
import * as submit from './submit.operation';

export type Operation = 'submit' | 'getResult' | 'generateAndWait';

const perItem: Record<Exclude<Operation, 'generateAndWait'>, ItemOperation> = {
	submit: submit.execute,
	getResult: getResult.execute,
};

/** API = Seedance goes to its own operations; a workflow saved without `api` is Jimeng's. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	if (this.getNodeParameter('api', 0, 'visual') === 'ark') return await seedanceRouter.call(this);
	const operation = this.getNodeParameter('operation', 0) as Operation;
	// Generate and Wait schedules the whole batch at once (it handles pairedItem and continueOnFail).
	if (operation === 'generateAndWait') return [await generateAndWait.execute.call(this)];
	return [await runPerItem(this, operation, perItem[operation], 'Jimeng')];
}
