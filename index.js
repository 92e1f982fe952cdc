'use strict';
// Programmatic entry point: the built node and credential classes (n8n itself loads them through
// the `n8n` field of package.json).
module.exports = {
	VolcengineApi: require('./dist/credentials/VolcengineApi.credentials').VolcengineApi,
	JimengVideo: require('./dist/nodes/JimengVideo/JimengVideo.node').JimengVideo,
	JimengVideoTrigger: require('./dist/nodes/JimengVideoTrigger/JimengVideoTrigger.node')
		.JimengVideoTrigger,
};
