// Turning spec + placement into what the engine launches: a pod instance's footprint, its tasks'
// environment (as the original built it), config-template files and checks.
import type { Agent, PortRequest, TaskLaunch } from '../engine/types.js';
import { hostIsolation, imageLaunch } from '../engine/image-launch.js';
import type { PodSpec, ServiceSpec, TaskSpec } from '../spec/index.js';
import type { PodRecord, TaskRecord } from '../state/index.js';
import { autoipDomain, domains, vipDomain, type ServiceContext } from './service-context.js';

export interface Footprint {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly ports: readonly PortRequest[];
}

/** Everything an instance of the pod reserves: its resource sets (or tasks), volumes and ports. */
export function footprint(pod: PodSpec): Footprint {
  const sets = pod.resourceSets?.length ? pod.resourceSets : pod.tasks.map((t) => ({ cpus: t.cpus, memory: t.memory, ports: t.ports, volumes: t.volumes }));
  const volumes = [...pod.volumes, ...sets.flatMap((s) => s.volumes)];
  const ports = new Map<string, PortRequest>();
  for (const p of sets.flatMap((s) => s.ports)) ports.set(p.name, { name: p.name, port: p.port });
  return {
    cpus: sets.reduce((n, s) => n + s.cpus, 0),
    mem: sets.reduce((n, s) => n + s.memory, 0),
    disk: volumes.reduce((n, v) => n + v.size, 0),
    ports: [...ports.values()],
  };
}

/** The volumes a task sees: the pod's (executor) volumes and its own (its resource set's, if it names one). */
export const taskVolumes = (pod: PodSpec, task: TaskSpec): TaskSpec['volumes'] => [...pod.volumes, ...task.volumes];

/** Every task id of a service starts with this: `<service>__` (then `<task>__<uuid>`). */
export const taskIdPrefix = (serviceName: string): string => `${serviceName.replace(/^\//, '').replace(/\//g, '.')}__`;

export const envName = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

export interface TaskEnvInput {
  readonly spec: ServiceSpec;
  readonly pod: PodSpec;
  readonly task: TaskSpec;
  readonly record: PodRecord;
  readonly agentHostname: string;
  /** The agent the pod instance runs on: its zone and region reach the task. */
  readonly agent?: Agent;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly context?: ServiceContext;
}

const referencesField = (pod: PodSpec, field: string) => pod.constraints.some((c) => c.field === field);

/**
 * The task's environment as the original's PodInfoBuilder built it, later entries winning: the
 * spec's env (TASKCFG_* already routed into it), the SDK's own variables, ports, config templates,
 * the agent's fault domain, then plan parameters (reference: service-spec.md §5.8).
 */
export function taskEnv({ spec, pod, task, record, agentHostname, agent, parameters, context }: TaskEnvInput): Record<string, string> {
  const name = `${record.name}-${task.name}`;
  const d = domains(context?.schedulerEnv);
  const env: Record<string, string> = {
    ...task.env,
    TASK_NAME: name,
    [name]: 'true',
    POD_INSTANCE_INDEX: String(record.index),
    FRAMEWORK_NAME: spec.name,
    FRAMEWORK_HOST: autoipDomain(spec.name, d),
    FRAMEWORK_VIP_HOST: vipDomain(spec.name, d),
    FRAMEWORK_USER: spec.scheduler.user,
    AGENT_HOSTNAME: agentHostname,
    PLACEMENT_REFERENCED_REGION: String(referencesField(pod, '@region')),
    PLACEMENT_REFERENCED_ZONE: String(referencesField(pod, '@zone')),
  };
  // the original named the scheduler by its DNS name; here it is the address tasks can reach, and
  // a read-only token lets them through the API's token check (send `Authorization: token=...`)
  if (context?.api) {
    env.SCHEDULER_API_HOSTNAME = context.api.host;
    env.SCHEDULER_API_PORT = String(context.api.port);
    env.SCHEDULER_API_TOKEN = context.api.readToken;
  }
  for (const p of task.ports) {
    const port = String(record.ports[p.name] ?? p.port);
    env[`PORT_${envName(p.name)}`] = port;
    if (p.envKey) env[envName(p.envKey)] = port;
  }
  for (const c of task.configs) env[`CONFIG_TEMPLATE_${envName(c.name)}`] = `config-templates/${c.name},${c.dest}`;
  if (agent) {
    env.REGION = agent.region;
    env.ZONE = agent.zone;
  }
  return { ...env, ...parameters };
}

export function taskLaunch(pod: PodSpec, task: TaskSpec, rec: TaskRecord, cmd = task.cmd): TaskLaunch {
  return {
    taskId: rec.taskId,
    name: rec.name,
    cmd,
    env: rec.env,
    killGracePeriod: task.killGracePeriod,
    volumeMounts: taskVolumes(pod, task).map((v) => ({ volume: v.name, path: v.path })),
    files: task.configs.map((c) => ({ path: `config-templates/${c.name}`, content: c.content ?? '' })),
    uris: pod.uris,
    memoryMb: task.memory,
    rlimits: pod.rlimits,
    healthCheck: task.healthCheck,
    readinessCheck: task.readinessCheck,
    image: imageLaunch(pod, task),
    isolation: hostIsolation(pod, task),
  };
}
