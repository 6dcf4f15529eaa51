// Bundles each process entry point to dist/ so a cold `svc --help` starts fast; shared code is split
// into chunks, and heavy modules (the scheduler, prompts) stay behind dynamic imports.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

await build({
  entryPoints: {
    svc: 'src/cli/bin.ts',
    daemon: 'src/launcher/daemon-main.ts',
    executor: 'src/engine/local/executor-main.ts',
    bootstrap: 'src/engine/local/bootstrap-main.ts',
    bench: 'bench/run.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { SVC_VERSION: JSON.stringify(version) },
});
