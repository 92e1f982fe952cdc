/**
 * The credential's fields as the signer needs them, checked before anything is sent: an empty or
 * padded key, a Signing Host that is not a host. Errors name the field and never echo a secret.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { SigningTarget } from './requestShapes';
import type { SigningCredentials } from './volcengineSigner';

export const DEFAULT_VOLCENGINE_BASE_URL = 'https://visual.volcengineapi.com';

/** Thrown before anything is sent when a credential field cannot be right. */
export class VolcengineCredentialError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'VolcengineCredentialError';
	}
}

function requiredField(
	credentials: ICredentialDataDecryptedObject,
	key: string,
	label: string,
): string {
	const value = credentials[key];
	if (typeof value !== 'string' || value.length === 0) {
		throw new VolcengineCredentialError(
			`Volcengine credential: "${label}" is empty. Fill it in the credential.`,
		);
	}
	// Keys pasted with a stray space or newline sign with the wrong bytes and fail far from the cause.
	if (value.trim() !== value) {
		throw new VolcengineCredentialError(
			`Volcengine credential: "${label}" starts or ends with whitespace. Remove the spaces or line breaks around it.`,
		);
	}
	return value;
}

export function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const value = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	return value || DEFAULT_VOLCENGINE_BASE_URL;
}

// A host name or IP, optionally with a port: what a proxy puts in the upstream request's Host header.
const HOST_PATTERN =
	/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The optional "Signing Host": when set, requests sent under the Base URL (a reverse proxy) are
 * signed for that host and for the path after the Base URL's path. Empty: signed for the URL itself.
 */
export function signingTargetOf(
	credentials: ICredentialDataDecryptedObject,
): SigningTarget | undefined {
	const raw = credentials.signingHost;
	if (raw === undefined || raw === null || raw === '') return undefined;
	const value = String(raw);
	if (value.trim() === '') return undefined;
	if (value.trim() !== value) {
		throw new VolcengineCredentialError(
			`Volcengine credential: "Signing Host" starts or ends with whitespace (got ${JSON.stringify(value)}). Remove the spaces or line breaks around it.`,
		);
	}
	const port = /:(\d+)$/.exec(value)?.[1];
	if (!HOST_PATTERN.test(value) || (port !== undefined && Number(port) > 65535)) {
		throw new VolcengineCredentialError(
			`Volcengine credential: "Signing Host" must be a host name, optionally with a port, such as visual.volcengineapi.com (no https://, no path); got ${JSON.stringify(value)}.`,
		);
	}
	return { host: value.toLowerCase(), proxyBaseUrl: baseUrlOf(credentials) };
}

/** Reads and checks the credential fields; never echoes a secret in its errors. */
export function readSigningCredentials(
	credentials: ICredentialDataDecryptedObject,
): SigningCredentials {
	const sessionToken = typeof credentials.sessionToken === 'string' ? credentials.sessionToken : '';
	if (sessionToken.trim() !== sessionToken) {
		throw new VolcengineCredentialError(
			'Volcengine credential: "Session Token" starts or ends with whitespace. Remove the spaces or line breaks around it.',
		);
	}
	return {
		accessKeyId: requiredField(credentials, 'accessKeyId', 'Access Key ID'),
		secretAccessKey: requiredField(credentials, 'secretAccessKey', 'Secret Access Key'),
		sessionToken: sessionToken || undefined,
		region: requiredField(credentials, 'region', 'Region'),
		service: requiredField(credentials, 'service', 'Service'),
	};
}
