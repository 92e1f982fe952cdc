/** Small builders the field descriptions share. */
import type { INodePropertyOptions } from 'n8n-workflow';

export const byName = (a: INodePropertyOptions, b: INodePropertyOptions) =>
	a.name.localeCompare(b.name);

export const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
