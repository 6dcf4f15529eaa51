// The `svc secret` group (and `svc tls`, its sibling, registered with it so the program wires both
// with one call): verbs live one per file beside this one.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import { register as registerCreate } from './create.js';
import { register as registerUpdate } from './update.js';
import { register as registerList } from './list.js';
import { register as registerGet } from './get.js';
import { register as registerDelete } from './delete.js';
import { register as registerTls } from '../tls/index.js';

export function register(program: Command, deps: CliDeps): void {
  const group = examples(
    program.command('secret').description('secrets for services: encrypted in $SVC_HOME, given to tasks as env or files'),
    'svc secret create hello-world/secret1 --file ./s.txt',
    'svc secret list hello-world/',
  );
  for (const verb of [registerCreate, registerUpdate, registerList, registerGet, registerDelete]) verb(group, deps);
  registerTls(program, deps);
}
