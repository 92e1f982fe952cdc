/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
/** Waits `ms` (tests and tooling; the product uses n8n's abortable sleep). */
export const sleep = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms));
