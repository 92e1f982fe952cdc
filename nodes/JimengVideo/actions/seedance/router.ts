/** Seedance's operations (API = Seedance): item by item, or the whole batch for Generate and Wait. */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { SeedanceOperation } from '../../../shared/descriptions/apiShow';
import { runPerItem, type ItemOperation } from '../itemLoop';
import * as cancel from './cancel.operation';
import * as generateAndWait from './generateAndWait.operation';
import * as getResult from './getResult.operation';
import * as submit from './submit.operation';

const perItem: Record<Exclude<SeedanceOperation, 'generateAndWait'>, ItemOperation> = {
	submit: submit.execute,
	getResult: getResult.execute,
	cancel: cancel.execute,
};

export async function seedanceRouter(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as SeedanceOperation;
	// Generate and Wait schedules the whole batch at once (it handles pairedItem and continueOnFail).
	if (operation === 'generateAndWait') return [await generateAndWait.execute.call(this)];
	return [await runPerItem(this, operation, perItem[operation], 'Ark')];
}
