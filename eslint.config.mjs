// n8n's official lint setup for community nodes, exactly as `@n8n/node-cli` wires it
// (@n8n/eslint-plugin-community-nodes recommended + eslint-plugin-n8n-nodes-base node/credential rules).
// Only the published sources are linted with it: the simulator and tests are dev tooling that may
// use node:http, timers and the like, which the verification rules rightly forbid in nodes.
import { config } from '@n8n/node-cli/eslint';

export default config;
