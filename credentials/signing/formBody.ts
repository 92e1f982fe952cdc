/** `application/x-www-form-urlencoded` bodies written exactly as n8n's HTTP client writes them. */
import { UnsignableRequestError, type N8nRequestLike } from './requestLike';

/** How form bodies serialise arrays, as n8n's HTTP client (the `qs` package) names the formats. */
export type FormArrayFormat = 'indices' | 'brackets' | 'repeat' | 'comma';
const FORM_ARRAY_FORMATS: readonly FormArrayFormat[] = ['indices', 'brackets', 'repeat', 'comma'];

export function formArrayFormat(request: N8nRequestLike): FormArrayFormat {
	const requested = request.qsStringifyOptions?.arrayFormat;
	if (requested !== undefined) {
		if (
			typeof requested === 'string' &&
			(FORM_ARRAY_FORMATS as readonly string[]).includes(requested)
		)
			return requested as FormArrayFormat;
		throw new UnsignableRequestError(
			`Cannot sign the form body: qsStringifyOptions.arrayFormat must be one of ${FORM_ARRAY_FORMATS.join(', ')}; got ${JSON.stringify(requested)}.`,
		);
	}
	// n8n's HTTP client: `useQuerystring` repeats keys, otherwise qs's default (indices).
	return request.useQuerystring === true ? 'repeat' : 'indices';
}

function formScalar(value: unknown): string {
	if (value instanceof Date) return value.toISOString();
	return String(value);
}

/**
 * `application/x-www-form-urlencoded` the way n8n's HTTP client writes form objects (the `qs`
 * package's stringify with its defaults): nested keys as `a[b]`, arrays per `arrayFormat`, keys
 * and values percent-encoded per RFC 3986 (brackets too), `undefined` skipped, `null` as `k=`.
 */
export function stringifyForm(
	form: Record<string, unknown>,
	arrayFormat: FormArrayFormat = 'indices',
): string {
	const parts: string[] = [];
	const add = (key: string, value: unknown): void => {
		if (value === undefined) return;
		if (value === null) {
			parts.push(`${uriEncodeForm(key)}=`);
			return;
		}
		if (Array.isArray(value)) {
			if (arrayFormat === 'comma') {
				if (value.length > 0)
					parts.push(
						`${uriEncodeForm(key)}=${uriEncodeForm(value.map((v) => (v === null || v === undefined ? '' : formScalar(v))).join(','))}`,
					);
				return;
			}
			value.forEach((item, index) => {
				const itemKey =
					arrayFormat === 'indices'
						? `${key}[${index}]`
						: arrayFormat === 'brackets'
							? `${key}[]`
							: key;
				add(itemKey, item);
			});
			return;
		}
		if (typeof value === 'object' && !(value instanceof Date)) {
			for (const [childKey, childValue] of Object.entries(value as Record<string, unknown>))
				add(`${key}[${childKey}]`, childValue);
			return;
		}
		parts.push(`${uriEncodeForm(key)}=${uriEncodeForm(formScalar(value))}`);
	};
	for (const [key, value] of Object.entries(form)) add(key, value);
	return parts.join('&');
}

/** qs's RFC 3986 encoding: only A-Z a-z 0-9 - _ . ~ stay literal (same set as the signature's). */
function uriEncodeForm(text: string): string {
	return encodeURIComponent(text).replace(
		/[!'()*]/g,
		(ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}
