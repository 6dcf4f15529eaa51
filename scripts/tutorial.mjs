#!/usr/bin/env node
// Runs docs/tutorial.md for real (test/e2e/tutorial.test.ts). With --write, rewrites the outputs in
// the tutorial from this run, keeping its prose and commands: for after a change of the CLI's output.
//   node scripts/tutorial.mjs [--write]
import { spawnSync } from 'node:child_process';

const write = process.argv.includes('--write');
const unknown = process.argv.slice(2).filter((a) => a !== '--write');
if (unknown.length) {
  console.error(`usage: node scripts/tutorial.mjs [--write] (unknown: ${unknown.join(' ')})`);
  process.exit(2);
}
const build = spawnSync(process.execPath, ['build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync('npx', ['vitest', 'run', 'test/e2e/tutorial.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, CI: 'true', ...(write ? { SVC_TUTORIAL_WRITE: '1' } : {}) },
});
if (write && run.status === 0) console.log('docs/tutorial.md rewritten from a real run: review it with git diff');
process.exit(run.status ?? 1);
