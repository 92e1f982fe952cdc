/**
 * Which host and path a request is signed for when the credential has a Signing Host (a reverse
 * proxy in front of Volcengine): requests under the Base URL lose its path prefix and are signed for
 * the Signing Host; anything else is signed for itself.
 */
import { normalizeRequest, type SigningTarget } from '../../credentials/signing/requestShapes';
import { signingTargetOf } from '../../credentials/signing/credentialFields';

const signedFor = (url: string, target?: SigningTarget) => {
	const { signable } = normalizeRequest({ method: 'POST', url, body: '{}' }, target);
	return { host: signable.headers.host, path: signable.path };
};

describe('signing target (Signing Host)', () => {
	const behindPrefix: SigningTarget = {
		host: 'visual.volcengineapi.com',
		proxyBaseUrl: 'https://proxy.example.com/jimeng',
	};

	it('without a Signing Host: the URL’s own host and path', () => {
		expect(signedFor('https://proxy.example.com/jimeng/?Action=A')).toEqual({
			host: 'proxy.example.com',
			path: '/jimeng/',
		});
	});

	it('under the Base URL: the Signing Host, path after the prefix', () => {
		expect(signedFor('https://proxy.example.com/jimeng/?Action=A', behindPrefix)).toEqual({
			host: 'visual.volcengineapi.com',
			path: '/',
		});
		expect(signedFor('https://proxy.example.com/jimeng', behindPrefix)).toEqual({
			host: 'visual.volcengineapi.com',
			path: '/',
		});
		expect(signedFor('https://proxy.example.com/jimeng/v2/x', behindPrefix)).toEqual({
			host: 'visual.volcengineapi.com',
			path: '/v2/x',
		});
	});

	it('a Base URL with a trailing slash is the same prefix', () => {
		expect(
			signedFor('https://proxy.example.com/jimeng/?Action=A', {
				...behindPrefix,
				proxyBaseUrl: 'https://proxy.example.com/jimeng/',
			}),
		).toEqual({
			host: 'visual.volcengineapi.com',
			path: '/',
		});
	});

	it('same proxy host, path outside the prefix: Signing Host, path kept (not a prefix match on /jimengx)', () => {
		expect(signedFor('https://proxy.example.com/jimengx/', behindPrefix)).toEqual({
			host: 'visual.volcengineapi.com',
			path: '/jimengx/',
		});
	});

	it('a Base URL without a path: only the host changes', () => {
		expect(
			signedFor('http://10.0.0.5:8080/?Action=A', {
				host: 'visual.volcengineapi.com',
				proxyBaseUrl: 'http://10.0.0.5:8080',
			}),
		).toEqual({
			host: 'visual.volcengineapi.com',
			path: '/',
		});
	});

	it('another host or scheme than the Base URL’s is signed for itself', () => {
		expect(signedFor('https://open.volcengineapi.com/?Action=ListUsers', behindPrefix)).toEqual({
			host: 'open.volcengineapi.com',
			path: '/',
		});
		expect(signedFor('http://proxy.example.com/jimeng/', behindPrefix)).toEqual({
			host: 'proxy.example.com',
			path: '/jimeng/',
		});
	});

	it('the credential field: empty means none; a host (and port) is kept, lower-cased', () => {
		expect(signingTargetOf({ baseUrl: 'https://p.example.com/j' })).toBeUndefined();
		expect(
			signingTargetOf({ baseUrl: 'https://p.example.com/j', signingHost: '' }),
		).toBeUndefined();
		expect(
			signingTargetOf({
				baseUrl: 'https://p.example.com/j',
				signingHost: 'Visual.VolcengineAPI.com',
			}),
		).toEqual({
			host: 'visual.volcengineapi.com',
			proxyBaseUrl: 'https://p.example.com/j',
		});
		expect(signingTargetOf({ baseUrl: '', signingHost: 'upstream.internal:8443' })).toEqual({
			host: 'upstream.internal:8443',
			proxyBaseUrl: 'https://visual.volcengineapi.com',
		});
		expect(() => signingTargetOf({ signingHost: 'visual.volcengineapi.com/' })).toThrow(
			/"Signing Host" must be a host name.*got "visual\.volcengineapi\.com\/"/,
		);
	});
});
