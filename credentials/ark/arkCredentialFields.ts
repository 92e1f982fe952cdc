/**
 * The Volcengine Ark API credential's fields as requests need them, checked before anything is sent.
 * Errors name the field and never echo the key.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const DEFAULT_ARK_BASE_URL = 'https://ark.cn-beijing.volces.com/api/v3';

/** Thrown before anything is sent when a credential field cannot be right. */
export class ArkCredentialError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ArkCredentialError';
	}
}

export function arkApiKeyOf(credentials: ICredentialDataDecryptedObject): string {
	const key = credentials.apiKey;
	if (typeof key !== 'string' || key.length === 0) {
		throw new ArkCredentialError(
			'Volcengine Ark API credential: "API Key" is empty. Fill it in the credential.',
		);
	}
	// A key pasted with a stray space or line break is refused by Ark far from the cause.
	if (key.trim() !== key || /\s/.test(key)) {
		throw new ArkCredentialError(
			'Volcengine Ark API credential: "API Key" contains spaces or line breaks. Paste the key alone.',
		);
	}
	return key;
}

/** The Base URL without a trailing slash (paths are appended to it). */
export function arkBaseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const value = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	return (value || DEFAULT_ARK_BASE_URL).replace(/\/+$/, '');
}
