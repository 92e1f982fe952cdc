/**
 * The API selector, and which API's fields show: API = Jimeng (Visual, the default) or Seedance
 * (Ark). A workflow saved before `api` existed gets its default: Jimeng. The `api` condition
 * is always the first of a field's `show` conditions: n8n shows a field as soon as it meets a
 * condition on a parameter that holds an expression (a Seedance endpoint id typed as an expression
 * must not bring the Jimeng fields back).
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** Which service makes the video: each has its own credential, operations and fields. */
export const apiProperty: INodeProperties = {
	displayName: 'API',
	name: 'api',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Jimeng (Visual API, Access Key)',
			value: 'visual',
			description: 'Jimeng AI video 3.0 on the Volcengine Visual API (Access Key ID and Secret)',
		},
		{
			name: 'Seedance (Ark, API Key)',
			value: 'ark',
			description: 'Seedance (Doubao) video models on Volcengine Ark (an Ark API key)',
		},
	],
	default: 'visual',
	description: 'Which Volcengine service makes the video; each has its own credential',
};

export type SeedanceOperation = 'submit' | 'getResult' | 'generateAndWait' | 'cancel';

/** The Jimeng (Visual API) fields, shown only for API = Jimeng; their own conditions follow. */
export function visualOnly(properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { api: ['visual'], ...property.displayOptions?.show },
		},
	}));
}

/**
 * Shown with API = Seedance for `operations` and `show`; hidden for the known models in `hiddenFor`
 * (a `hide` on the model, so an endpoint id or an expression shows every field and Ark judges).
 */
export function arkShow(
	operations: SeedanceOperation[],
	show: Record<string, string[] | boolean[]> = {},
	hiddenFor: string[] = [],
): IDisplayOptions {
	return {
		show: { api: ['ark'], operation: operations, ...show },
		...(hiddenFor.length ? { hide: { model: hiddenFor } } : {}),
	};
}
