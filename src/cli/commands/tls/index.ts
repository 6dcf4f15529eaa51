// The `svc tls` group.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import { register as registerCa } from './ca.js';

export function register(program: Command, deps: CliDeps): void {
  const group = examples(program.command('tls').description('the certificate authority behind transport-encryption'), 'svc tls ca > ca.pem');
  registerCa(group, deps);
}
