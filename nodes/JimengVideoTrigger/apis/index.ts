/** The trigger's video APIs, by the node's `api` parameter (Visual, the default, or Ark). */
import type { IPollFunctions } from 'n8n-workflow';

import { jimengTriggerApi } from './jimeng';
import type { TriggerApi } from './triggerApi';

export type TriggerApiName = 'visual' | 'ark';

const APIS: Partial<Record<TriggerApiName, TriggerApi>> = { visual: jimengTriggerApi };

export function triggerApiName(ctx: IPollFunctions): TriggerApiName {
	return ctx.getNodeParameter('api', 'visual') === 'ark' ? 'ark' : 'visual';
}

/** The API a task of this trigger belongs to: its record says so; older records are Visual. */
export function triggerApi(name: TriggerApiName): TriggerApi {
	const api = APIS[name];
	if (!api) throw new Error(`The trigger does not support the API "${name}"`);
	return api;
}
