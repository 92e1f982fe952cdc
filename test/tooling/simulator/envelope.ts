/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, not shipped */
// The business-level answer envelope and error-code table of the visual service (see docs/jimeng-api.md).
import { randomBytes } from 'node:crypto';

export const SUCCESS_CODE = 10000;

interface CodeInfo {
	http: number;
	message: string;
}

// Messages as the vendor writes them. Codes 50517-50522 and 50402 have no published message or status:
// those entries are inferred.
export const BUSINESS_CODES: Readonly<Record<number, CodeInfo>> = {
	10000: { http: 200, message: 'Success' },
	50200: { http: 400, message: 'Invalid Args' },
	50201: { http: 400, message: 'Missing Args' },
	50204: { http: 400, message: 'Parse Request Body Error' },
	50205: { http: 400, message: 'Image Size Exceeds Limit' },
	50206: { http: 400, message: 'Image Empty' },
	50207: { http: 400, message: 'Image Decode Error' },
	50213: { http: 400, message: 'Request Body Too Large' },
	50400: { http: 401, message: 'Access Denied' },
	50402: { http: 404, message: 'No Such Interface' },
	50411: { http: 400, message: 'Pre Img Risk Not Pass' },
	50412: { http: 400, message: 'Text Risk Not Pass' },
	50413: { http: 400, message: 'Post Text Risk Not Pass' },
	50429: { http: 429, message: 'Request Has Reached API Limit, Please Try Later' },
	50430: { http: 429, message: 'Request Has Reached API Concurrent Limit, Please Try Later' },
	50500: { http: 500, message: 'Internal Error' },
	50501: { http: 500, message: 'Internal RPC Error' },
	50511: { http: 400, message: 'Post Img Risk Not Pass' },
	50512: { http: 400, message: 'Post Text Risk Not Pass' },
	50516: { http: 400, message: 'Post Video Risk Not Pass' },
	50517: { http: 400, message: 'Post Audio Risk Not Pass' },
	50518: { http: 400, message: 'Pre Img Copyright Risk Not Pass' },
	50519: { http: 400, message: 'Post Video Copyright Risk Not Pass' },
	50520: { http: 400, message: 'Risk Internal Error' },
	50521: { http: 400, message: 'Antidirt Internal Error' },
	50522: { http: 400, message: 'Copyright Internal Error' },
};

/** HTTP status and message for a code; codes not in the table are answered as client errors (400). */
export function codeInfo(code: number): CodeInfo {
	return BUSINESS_CODES[code] ?? { http: 400, message: `Error ${code}` };
}

export interface BusinessAnswer {
	http: number;
	body: {
		code: number;
		data: unknown;
		message: string;
		request_id: string;
		status: number;
		time_elapsed: string;
	};
}

/** A business error; `detail` is appended the way the service does ("Invalid Args: frames must be ..."). */
export class BusinessError extends Error {
	constructor(
		readonly code: number,
		readonly detail?: string,
	) {
		super(detail ? `${codeInfo(code).message}: ${detail}` : codeInfo(code).message);
	}
}

export function businessAnswer(
	code: number,
	data: unknown,
	message: string,
	startedNs: bigint,
): BusinessAnswer {
	return {
		http: codeInfo(code).http,
		body: {
			code,
			data: code === SUCCESS_CODE ? data : null,
			message,
			request_id: makeRequestId(),
			status: code,
			time_elapsed: goDuration(process.hrtime.bigint() - startedNs),
		},
	};
}

/** 34 chars: UTC+8 YYYYMMDDHHMMSS + 20 uppercase hex, like the vendor's ids (not from the seeded PRNG: not a decision). */
export function makeRequestId(now: number = Date.now()): string {
	const stamp = new Date(now + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
	return stamp + randomBytes(10).toString('hex').toUpperCase();
}

/** Go's time.Duration.String(): "104.852309ms", "100.511µs", "1.5s", "2m3.4s". */
export function goDuration(ns: bigint): string {
	if (ns < 0n) return '-' + goDuration(-ns);
	if (ns === 0n) return '0s';
	if (ns < 1000n) return `${ns}ns`;
	if (ns < 1_000_000n) return fraction(ns, 1000n) + 'µs';
	if (ns < 1_000_000_000n) return fraction(ns, 1_000_000n) + 'ms';
	const hours = ns / 3_600_000_000_000n;
	const minutes = (ns / 60_000_000_000n) % 60n;
	const seconds = fraction(ns % 60_000_000_000n, 1_000_000_000n) + 's';
	if (hours > 0n) return `${hours}h${minutes}m${seconds}`;
	if (minutes > 0n) return `${minutes}m${seconds}`;
	return seconds;
}

function fraction(value: bigint, unit: bigint): string {
	const whole = value / unit;
	const rest = value % unit;
	if (rest === 0n) return `${whole}`;
	const digits = unit.toString().length - 1;
	return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}
