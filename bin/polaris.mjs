#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so a checkout needs no build step: see docs/adr/0002-runtime.md.
import { register } from 'tsx/esm/api';

register();
// A reader that stops early (`polaris … | head`) closes the pipe: end quietly, as Unix tools do.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { runCli } = await import('../src/main.ts');
await runCli(process.argv.slice(2));
