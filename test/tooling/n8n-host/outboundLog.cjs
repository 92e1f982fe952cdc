// Preloaded into an n8n process (`node --require`) by the test runs: writes one line per outgoing
// HTTP request — origin, method, path — to $JIMENG_OUTBOUND_LOG, so a run can prove that an
// example reached no host but the simulator. Node's diagnostics channels see every request made with
// node:http(s) (axios, which n8n's HTTP helpers use) and with undici (fetch), before DNS or connect.
'use strict';

const { appendFileSync } = require('node:fs');
const diagnosticsChannel = require('node:diagnostics_channel');

const file = process.env.JIMENG_OUTBOUND_LOG;
if (file) {
	const write = (origin, method, path) =>
		appendFileSync(file, `${JSON.stringify({ origin, method, path, pid: process.pid })}\n`);
	diagnosticsChannel.subscribe('http.client.request.start', ({ request }) => {
		const host = request.getHeader('host') || request.host;
		write(`${request.protocol}//${host}`, request.method, String(request.path).split('?')[0]);
	});
	diagnosticsChannel.subscribe('undici:request:create', ({ request }) => {
		write(String(request.origin), request.method, String(request.path).split('?')[0]);
	});
}
