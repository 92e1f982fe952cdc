/** Get Result's parameters: the task id as the exact string Submit returned, the AIGC metadata. Pure. */
import { InputValidationError, describeValue } from '../../requests/inputValues';

/** Get Result's optional provenance metadata, sent as a JSON string inside JSON (`req_json`). */
export interface AigcMeta {
	contentProducer?: unknown;
	producerId?: unknown;
	contentPropagator?: unknown;
	propagateId?: unknown;
}

export const AIGC_META_MAX_CHARS = 256;

export function buildReqJson(meta: AigcMeta | undefined): string | undefined {
	if (!meta) return undefined;
	const fields: Array<[keyof AigcMeta, string, string]> = [
		['contentProducer', 'content_producer', 'Content Producer'],
		['producerId', 'producer_id', 'Producer ID'],
		['contentPropagator', 'content_propagator', 'Content Propagator'],
		['propagateId', 'propagate_id', 'Propagate ID'],
	];
	const aigcMeta: Record<string, string> = {};
	for (const [key, apiName, label] of fields) {
		const value = meta[key];
		if (value === undefined || value === null || value === '') continue;
		if (typeof value !== 'string' && typeof value !== 'number') {
			throw new InputValidationError(
				`AIGC Metadata › ${label}`,
				'must be text',
				describeValue(value),
			);
		}
		const text = String(value);
		if ([...text].length > AIGC_META_MAX_CHARS) {
			throw new InputValidationError(
				`AIGC Metadata › ${label}`,
				`must be at most ${AIGC_META_MAX_CHARS} characters`,
				`${[...text].length} characters`,
			);
		}
		aigcMeta[apiName] = text;
	}
	return Object.keys(aigcMeta).length ? JSON.stringify({ aigc_meta: aigcMeta }) : undefined;
}

/** Task ids are decimal strings of up to 20 digits (they can exceed 2^63: never a number). */
export function checkTaskId(value: unknown, parameter = 'Task ID'): string {
	const text =
		typeof value === 'number' ? undefined : typeof value === 'string' ? value.trim() : undefined;
	if (typeof value === 'number') {
		throw new InputValidationError(
			parameter,
			'must be the task_id string from Submit; as a number it has lost digits (ids exceed 2^53) — map it as text',
			describeValue(value),
		);
	}
	if (!text || !/^\d{1,32}$/.test(text)) {
		throw new InputValidationError(
			parameter,
			'must be a task id: the digits of task_id returned by Submit',
			describeValue(value),
		);
	}
	return text;
}
