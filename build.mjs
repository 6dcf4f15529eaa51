// Bundles each process entry point to dist/ so a cold `svc --help` starts fast; shared code is split
// into chunks, and heavy modules (the scheduler, prompts) stay behind dynamic imports.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const define = { SVC_VERSION: JSON.stringify(version) };

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
  define,
});

// The lean path of the read commands (src/cli/fast.ts), which bin/svc loads first: one CommonJS
// file, because Node's ESM loader alone costs more than the command's work. Builtins that only
// other paths use (TLS, crypto, child processes) are loaded on first use, not at start.
const LAZY_BUILTINS = ['node:http', 'node:https', 'node:tls', 'node:crypto', 'node:child_process'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, (args) => (args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-builtin' }));
    // a getter per export: the bundle copies them (as getters) where the module is imported
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => ({
      contents: `let m; const load = () => (m ??= require(${JSON.stringify(args.path)}));\n${Object.keys(await import(args.path))
        .filter((k) => k !== 'default')
        .map((k) => `Object.defineProperty(exports, ${JSON.stringify(k)}, { enumerable: true, get: () => load()[${JSON.stringify(k)}] });`)
        .join('\n')}`,
      loader: 'js',
    }));
  },
};
// What the lean path never reaches, behind dynamic imports (the launcher, the engines): left out of
// its bundle, as modules with no exports; should a call reach one, it fails and bin/svc runs the
// full program.
const leftOut = {
  name: 'left-out',
  setup(b) {
    b.onResolve({ filter: /\/(launcher-port|local-engine|local-tasks|support)\.js$/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'left-out' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};
await build({
  entryPoints: { fast: 'src/cli/fast-main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // chalk (colours on a terminal) is bundled: bin/svc runs this file as a vm.Script, where import()
  // is not available; the others are never reached on this path
  external: ['commander', 'cli-table3', 'ora', '@inquirer/prompts', 'yaml', 'ajv', 'mustache', '@kubernetes/client-node'],
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { ...define, 'import.meta.url': '__svcImportMetaUrl', 'import.meta.dirname': '__dirname' },
  banner: { js: 'const __svcImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [lazyBuiltins, leftOut],
});
// bin/svc's V8 code cache of the previous build, which V8 would reject anyway
rmSync('dist/fast.cjs.cache', { force: true });
