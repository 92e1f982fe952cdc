/** The Seedance (API = Seedance on Ark) fields of the Jimeng Video node, in panel order. */
import type { INodeProperties } from 'n8n-workflow';

import {
	seedanceCreateProperties,
	seedanceOperationProperty,
} from '../../../shared/descriptions/seedanceFields';
import {
	seedanceOptionsProperties,
	seedanceTaskProperties,
} from '../../../shared/descriptions/seedanceOptions';

export const description: INodeProperties[] = [
	seedanceOperationProperty,
	...seedanceTaskProperties(),
	...seedanceCreateProperties(),
	...seedanceOptionsProperties(),
];
