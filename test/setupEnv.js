// Tests run n8n-core in-process: keep its logger to warnings (info lines such as "Jimeng task
// accepted: …" would flood the output). A test that reads log lines installs its own logger.
process.env.N8N_LOG_LEVEL ??= 'warn';
