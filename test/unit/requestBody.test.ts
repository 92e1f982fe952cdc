/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not shipped */
/**
 * The body bytes the credential signs: a plain object made in another JavaScript realm (n8n may
 * load a node in a vm context or another module registry) is still JSON, not an unsignable "Object".
 */
import { runInNewContext } from 'node:vm';

import { serializeBody } from '../../credentials/signing/requestBody';
import { isPlainObject } from '../../credentials/signing/requestLike';

describe('request body for signing', () => {
	it('a plain object from another realm is a plain object', () => {
		const foreign = runInNewContext('({ req_key: "m", task_id: "1" })') as object;
		expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype);
		expect(isPlainObject(foreign)).toBe(true);
		expect(isPlainObject(Object.create(null))).toBe(true);
		expect(isPlainObject(new Date())).toBe(false);
		expect(isPlainObject(new (class Custom {})())).toBe(false);
	});

	it('is serialised as JSON, with a JSON content type when none is set', () => {
		const headers: Record<string, string> = {};
		const foreign = runInNewContext('({ req_key: "m", task_id: "1" })') as object;
		expect(serializeBody({ method: 'POST', url: 'https://x/', body: foreign }, headers)).toBe(
			'{"req_key":"m","task_id":"1"}',
		);
		expect(headers['Content-Type']).toBe('application/json');
	});
});
