// Every command of the program, registered in the order `svc --help` lists them. Groups register
// their own verbs (`<group>/index.ts`); each verb lives in `<group>/<verb>.ts` with `register` and
// `run(opts, deps)`. A new group is added here and nowhere else.
import type { Command } from 'commander';
import type { CliDeps } from '../deps.js';
import * as install from './service/install.js';
import * as run from './service/run.js';
import * as attach from './service/attach.js';
import * as uninstall from './service/uninstall.js';
import * as services from './service/services.js';
import * as describe from './service/describe.js';
import * as start from './service/start.js';
import * as stop from './service/stop.js';
import * as logs from './service/logs.js';
import * as events from './service/events.js';
import * as endpoints from './service/endpoints.js';
import { register as registerUpdate } from './update/index.js';
import { register as registerPlan } from './plan/index.js';
import { register as registerPod } from './pod/index.js';
import { register as registerTask } from './task/index.js';
import { register as registerConfig } from './config/index.js';
import { register as registerState } from './state/index.js';
import { register as registerDebug } from './debug/index.js';
import { register as registerSpec } from './spec/index.js';
import { register as registerSecret } from './secret/index.js';
import { register as registerImages } from './images/register.js';
import { register as registerCompletion } from './shell/completion.js';
import { register as registerHelp } from './shell/help.js';

type Register = (program: Command, deps: CliDeps) => void;

const COMMANDS: readonly Register[] = [
  install.register,
  run.register,
  attach.register,
  uninstall.register,
  registerUpdate,
  services.register,
  start.register,
  stop.register,
  logs.register,
  events.register,
  registerPlan,
  registerPod,
  registerTask,
  endpoints.register,
  registerConfig,
  registerState,
  registerDebug,
  describe.register,
  registerSpec,
  registerSecret, // secret create|update|list|get|delete and tls ca
  registerImages,
  registerCompletion,
  registerHelp,
];

export function registerCommands(program: Command, deps: CliDeps): void {
  for (const register of COMMANDS) register(program, deps);
}
