// svc state …: what the scheduler keeps in its state store. Each verb lives in its own file.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import * as frameworkId from './framework-id.js';
import * as properties from './properties.js';
import * as property from './property.js';

export function register(program: Command, deps: CliDeps): void {
  const state = examples(
    program.command('state').description("the scheduler's stored state: framework id and properties (JSON)"),
    'svc state framework_id',
    'svc state properties',
    'svc state property last-completed-update-type',
  );
  for (const verb of [frameworkId, properties, property]) verb.register(state, deps);
}
