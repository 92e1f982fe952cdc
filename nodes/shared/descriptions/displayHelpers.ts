/** Small builders the field descriptions share. */
import type { IDisplayOptions, INodePropertyOptions } from 'n8n-workflow';

/** The displayOptions.show of the operation (or trigger mode) a field belongs to. */
export type Show = NonNullable<IDisplayOptions['show']>;

export function withShow(show: Show, extra?: Show): IDisplayOptions {
	return { show: { ...show, ...extra } };
}

export const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

export const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
