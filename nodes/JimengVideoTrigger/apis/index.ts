/** The trigger's video APIs, by the node's `api` parameter (Visual, the default, or Ark). */
import type { IPollFunctions } from 'n8n-workflow';

import { arkTriggerApi } from './ark';
import { jimengTriggerApi } from './jimeng';
import type { TriggerApi } from './triggerApi';

export type TriggerApiName = 'visual' | 'ark';

const APIS: Record<TriggerApiName, TriggerApi> = { visual: jimengTriggerApi, ark: arkTriggerApi };

export function triggerApiName(ctx: IPollFunctions): TriggerApiName {
	return ctx.getNodeParameter('api', 'visual') === 'ark' ? 'ark' : 'visual';
}

/** The API a task of this trigger belongs to: its record says so; older records are Visual. */
export function triggerApi(name: TriggerApiName): TriggerApi {
	return APIS[name];
}
