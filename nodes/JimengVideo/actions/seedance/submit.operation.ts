import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { addHints } from '../runContext';
import { createArkTaskOnce } from './createOnce';
import { buildItemRequest, readArkItem } from './itemRequest';
import { createdJson } from './taskItems';

/** One item: check its parameters and media, create one task, return its id (queued). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const request = await buildItemRequest(this, readArkItem(this, itemIndex));
	addHints(this, request.hints);
	const created = await createArkTaskOnce(this, itemIndex, request);
	return { json: createdJson(created, request) };
}
