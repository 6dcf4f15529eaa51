// Spec parse: render (mustache) + YAML parse + convert + validate of the largest spec of the
// dcos-commons corpus that is valid, beside a bare YAML parse of the same rendered text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { analyzeServiceSpec, parseServiceSpec, renderPackage, renderTemplate, type Env } from '../src/spec/index.js';
import { figure, floorOf, progress, sample, type Figure } from './measure.js';
import { ROOT } from './service.js';

const CORPUS = process.env.SVC_BENCH_CORPUS ?? resolve(ROOT, 'test/fixtures/dcos-commons');

/** Package build-time placeholders and the Marathon-provided port, as the corpus tests use them. */
const BUILD_VARS = {
  'artifact-dir': 'https://downloads.example.com/hello-world/1.0',
  'scheduler-jre-url': 'https://downloads.example.com/jre.tar.gz',
  'libmesos-bundle-url': 'https://downloads.example.com/libmesos-bundle.tar.gz',
};
const SDK_ENV = { HELLO_CPUS: '1', VOL_SIZE: '10', ENABLED: 'true' };

export async function specFigures(quick: boolean): Promise<Figure[]> {
  let files: Array<{ file: string; env: Env }>;
  try {
    const hello = join(CORPUS, 'helloworld');
    const pkg = await renderPackage(join(CORPUS, 'helloworld-package'), {}, { specFile: join(hello, 'svc.yml'), buildVars: BUILD_VARS });
    const env = { ...pkg.env, PORT_API: '8080' };
    const ymls = (dir: string, e: Env) => readdirSync(dir).filter((f) => f.endsWith('.yml')).map((f) => ({ file: join(dir, f), env: e }));
    files = [...ymls(hello, env), ...ymls(join(CORPUS, 'sdk-tests'), SDK_ENV)];
  } catch (e) {
    progress(`spec: corpus not readable at ${CORPUS} (${(e as Error).message}); set SVC_BENCH_CORPUS; skipped`);
    return [];
  }
  const largest = files
    .sort((a, b) => statSync(b.file).size - statSync(a.file).size)
    .find((f) => analyzeServiceSpec(readFileSync(f.file, 'utf8'), f.env, f.file).issues.length === 0);
  if (!largest) return [];
  const text = readFileSync(largest.file, 'utf8');
  const name = `${largest.file.slice(CORPUS.length + 1)} (${text.length} bytes)`;
  progress(`spec: parsing ${name}`);
  const n = quick ? 200 : 2000;
  const rendered = renderTemplate(text, largest.env);
  const floor = floorOf('YAML.parse of the same rendered text (yaml package)', await sample(n, () => parseYaml(rendered), n / 10));
  const xs = await sample(n, () => parseServiceSpec(text, largest.env, largest.file), n / 10);
  return [figure(`spec render + parse + validate: ${name}`, 'ms', xs, floor)];
}
