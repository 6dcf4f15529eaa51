// `./bootstrap` in every sandbox: renders the task's config templates (CONFIG_TEMPLATE_<NAME>=
// <src>,<dest>) with mustache from the task's environment, as the original's bootstrap did.
// Flags of the original (-resolve=false, -print-env=false, ...) are accepted; DNS resolution and
// certificate import have no meaning here. `-get-task-ip` prints the container IP.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Mustache from 'mustache';

const MAX_TEMPLATE_BYTES = 1024 * 1024;

function main(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const flag = (name: string) => args.find((a) => a.replace(/^--?/, '').split('=')[0] === name);
  if (flag('get-task-ip')) {
    process.stdout.write(`${env.MESOS_CONTAINER_IP ?? '127.0.0.1'}\n`);
    return 0;
  }
  const off = (name: string) => /=(false|0)$/i.test(flag(name) ?? '');
  if (off('template')) return 0;
  const view: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) view[k] = v.toLowerCase() === 'false' ? false : v;
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('CONFIG_TEMPLATE_') || value === undefined) continue;
    const comma = value.indexOf(',');
    if (comma < 0) {
      process.stderr.write(`bootstrap: ${key}=${value}: expected <template>,<destination>\n`);
      return 1;
    }
    const src = resolve(value.slice(0, comma));
    const dest = resolve(value.slice(comma + 1));
    const size = statSync(src).size;
    if (size > MAX_TEMPLATE_BYTES) {
      process.stderr.write(`bootstrap: ${src} is ${size} bytes, more than ${MAX_TEMPLATE_BYTES}\n`);
      return 1;
    }
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, Mustache.render(readFileSync(src, 'utf8'), view, {}, { escape: (s: string) => s }));
    process.stdout.write(`bootstrap: rendered ${value.slice(0, comma)} to ${value.slice(comma + 1)}\n`);
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2), process.env);
} catch (e) {
  process.stderr.write(`bootstrap: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
