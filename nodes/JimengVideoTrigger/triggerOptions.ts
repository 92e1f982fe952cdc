/** The trigger's Options collection, as both modes and both APIs read it. */
import type { IPollFunctions } from 'n8n-workflow';

import type { ResultOptions } from '../shared/jimeng/taskResult';

export interface TriggerOptions extends ResultOptions {
	emitFailures?: boolean;
}

export function triggerOptions(ctx: IPollFunctions): TriggerOptions {
	return ctx.getNodeParameter('options', {}) as TriggerOptions;
}
