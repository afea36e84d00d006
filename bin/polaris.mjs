#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so a checkout needs no build step: see docs/adr/0002-runtime.md.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/main.ts');
await runCli(process.argv.slice(2));
