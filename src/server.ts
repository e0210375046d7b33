#!/usr/bin/env node
/**
 * Kept for client configurations written for earlier releases that run `node dist/server.js`: it is the same
 * entry point as the `ruvllm-mcp` bin (src/cli.ts). New configurations use dist/cli.js.
 */
import './cli.js';
