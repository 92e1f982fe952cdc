/** Errors of one item as n8n shows them, and the notes that keep created task ids visible in them. */
import { NodeApiError, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { ArkApiError } from '../../shared/ark/transport/ArkApiError';
import { InputValidationError } from '../../shared/requests/inputValues';
import { JimengApiError } from '../../shared/jimeng/transport/JimengApiError';

/**
 * n8n's own error for anything that went wrong with one item; the APIs' errors keep their details.
 * `api` names the service in "nothing was sent to …".
 */
export function toNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	api: 'Jimeng' | 'Ark' = 'Jimeng',
): NodeApiError | NodeOperationError {
	if (error instanceof JimengApiError || error instanceof ArkApiError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof InputValidationError) {
		return new NodeOperationError(ctx.getNode(), `${error.message} [item ${itemIndex}]`, {
			itemIndex,
			description: `Nothing was sent to ${api} for this item.`,
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** Adds a sentence to an error's description (n8n shows it under the message). */
export function appendToDescription(error: NodeApiError | NodeOperationError, note: string): void {
	error.description = error.description ? `${error.description} ${note}` : note;
}
