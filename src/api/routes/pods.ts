// /v1/pod: pod instances derived from the stored tasks (rest-api.md §3).
import { taskIp, type Reservation } from '../../engine/types.js';
import { instanceOf } from '../../plan/index.js';
import type { SchedulerView } from '../scheduler-view.js';
import { PORT_MAPPING_NETWORK, type PodSpec, type ServiceSpec, type TaskSpec, type VolumeSpec } from '../../spec/index.js';
import type { PodRecord, TaskRecord } from '../../state/index.js';
import { json, notFound, parseJson, route, text, type Route } from '../route.js';
import { pauseCommand, pausedReadiness } from '../../scheduler/pause.js';
import { networkReservation } from '../../scheduler/pod-address.js';

/** Task state as the original shows it, with pause/resume overrides (rest-api.md §3.2). */
export function displayState(t: TaskRecord): string | undefined {
  if (t.paused) return t.launchedPaused && t.status?.state === 'TASK_RUNNING' ? 'PAUSED' : 'PAUSING';
  if (t.launchedPaused) return 'STARTING';
  return t.status?.state.replace(/^TASK_/, '');
}

interface TaskJson {
  id: string;
  name: string;
  status?: string;
}


/** pod type → instance name → tasks, sorted as the original sorts them. */
function instances(tasks: readonly TaskRecord[]): Map<string, Map<string, TaskJson[]>> {
  const byType = new Map<string, Map<string, TaskJson[]>>();
  const sorted = [...tasks].sort((a, b) => a.podType.localeCompare(b.podType) || a.podIndex - b.podIndex || a.name.localeCompare(b.name));
  for (const t of sorted) {
    const inst = byType.get(t.podType) ?? new Map<string, TaskJson[]>();
    byType.set(t.podType, inst);
    inst.set(instanceOf(t), [...(inst.get(instanceOf(t)) ?? []), { id: t.taskId, name: t.name, status: displayState(t) }]);
  }
  return byType;
}

const labels = (entries: ReadonlyArray<readonly [string, string]>) => ({ labels: entries.map(([key, value]) => ({ key, value })) });

/**
 * Mesos Resource.reservations of a resource reserved for the service: the original labels each
 * reservation with its resource id; ours is the pod instance's reservation on the engine. A
 * pre-reserved role is refined: first its static reservation, then ours under it.
 */
function reservations(spec: ServiceSpec, pod: PodSpec, reservationId: string) {
  const dynamic = (role: string) => ({ type: 'DYNAMIC', role, principal: spec.scheduler.principal, labels: labels([['resource_id', reservationId]]) });
  return pod.preReservedRole === '*' ? [dynamic(spec.role)] : [{ type: 'STATIC', role: pod.preReservedRole }, dynamic(`${pod.preReservedRole}/${spec.role}`)];
}

/**
 * TaskInfo.discovery as the original built it: a discovery spec names the task `<prefix>-<index>`
 * (no name without a prefix) with its visibility; else any port makes it `<task name>`, CLUSTER.
 * Every port is listed with its assigned number, EXTERNAL when advertised, and its VIP label.
 */
function discoveryJson(t: TaskRecord, task: TaskSpec, record: PodRecord | undefined) {
  if (!task.discovery && task.ports.length === 0) return undefined;
  const name = task.discovery ? task.discovery.prefix && `${task.discovery.prefix}-${t.podIndex}` : t.name;
  const ports = task.ports.map((p) => ({
    number: record?.ports[p.name] ?? p.port,
    name: p.name,
    protocol: 'tcp',
    visibility: p.advertise ? 'EXTERNAL' : 'CLUSTER',
    ...(p.vip ? { labels: labels([[`VIP_${p.name}`, `${p.vip.prefix}:${p.vip.port}`]]) } : {}),
  }));
  return { visibility: task.discovery?.visibility ?? 'CLUSTER', ...(name ? { name } : {}), ...(ports.length ? { ports: { ports } } : {}) };
}

const variables = (env: Readonly<Record<string, string>>) => ({ variables: Object.entries(env).map(([name, value]) => ({ name, value })) });

/** A persistent volume as the original's disk resource: its persistence id and where it is mounted. */
function volumeResource(v: VolumeSpec, reservationId: string, principal: string, reserved: object) {
  return {
    name: 'disk',
    type: 'SCALAR',
    scalar: { value: v.size },
    disk: {
      persistence: { id: `${reservationId}-${v.name}`, principal },
      volume: { containerPath: v.path, mode: 'RW' },
      ...(v.type === 'MOUNT' ? { source: { type: 'MOUNT' } } : {}),
    },
    ...reserved,
  };
}

/**
 * TaskInfo.healthCheck (Mesos HealthCheck) and TaskInfo.check (the readiness check, as the
 * original set it for the default executor), each command carrying the task's environment.
 * A paused task has no health check and a readiness check that fails, as in the original.
 */
function checksJson(t: TaskRecord, task: TaskSpec) {
  const h = t.launchedPaused ? undefined : task.healthCheck;
  const r = t.launchedPaused ? pausedReadiness(task) : task.readinessCheck;
  return {
    ...(h
      ? {
          healthCheck: {
            type: 'COMMAND',
            command: { value: h.cmd, environment: variables(t.env) },
            delaySeconds: h.delay,
            intervalSeconds: h.interval,
            timeoutSeconds: h.timeout,
            consecutiveFailures: h.maxConsecutiveFailures,
            gracePeriodSeconds: h.gracePeriod,
          },
        }
      : {}),
    ...(r ? { check: { type: 'COMMAND', command: { command: { value: r.cmd, environment: variables(t.env) } }, delaySeconds: r.delay, intervalSeconds: r.interval, timeoutSeconds: r.timeout } } : {}),
  };
}

/**
 * The executor's Mesos ContainerInfo, as the original's PodInfoBuilder made it: the pod's image and
 * the networks it joins, each with its labels and (mesos-bridge) port mappings.
 */
function executorContainer(pod: PodSpec, res: Reservation | undefined) {
  return {
    type: 'MESOS',
    ...(pod.image ? { mesos: { image: { type: 'DOCKER', docker: { name: pod.image } } } } : {}),
    ...(pod.networks.length > 0
      ? {
          networkInfos: pod.networks.map((nw) => {
            const entries = Object.entries(nw.labels);
            const mappings = nw.name === PORT_MAPPING_NETWORK ? (res?.portMappings ?? []) : [];
            return {
              name: nw.name,
              ...(entries.length > 0 ? { labels: labels(entries) } : {}),
              ...(mappings.length > 0 ? { portMappings: mappings.map((m) => ({ hostPort: m.hostPort, containerPort: m.containerPort, protocol: 'tcp' })) } : {}),
            };
          }),
        }
      : {}),
  };
}

/** A stored task as Mesos TaskInfo/TaskStatus JSON (lowerCamelCase, ids as {value}). */
function taskInfoJson(s: SchedulerView, t: TaskRecord, specOf: (configId: string) => ServiceSpec): { info: unknown; status: unknown } {
  // the config the task was launched with, not the target: a task not yet rolled shows what it runs
  const spec = specOf(t.configId);
  const pod = spec.pods.find((p) => p.name === t.podType);
  const task = pod?.tasks.find((x) => x.name === t.taskSpec);
  const agent = s.agents().find((a) => a.id === t.agentId);
  const record = s.state.pod(instanceOf(t));
  const reserved = pod && record ? { reservations: reservations(spec, pod, record.reservationId) } : {};
  const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value }, ...reserved });
  const discovery = task && discoveryJson(t, task, record);
  const principal = spec.scheduler.principal;
  const res = networkReservation(pod, record?.reservationId, () => s.reservations());
  // port resources are the agent's: a pod on a virtual network without port mapping holds none
  const onAgent = !pod || pod.networks.length === 0 || pod.networks.some((nw) => nw.name === PORT_MAPPING_NETWORK);
  const ports = task && record && onAgent ? task.ports.flatMap((p) => (record.ports[p.name] ? [record.ports[p.name]] : [])) : [];
  const resources = task
    ? [
        scalar('cpus', task.cpus),
        scalar('mem', task.memory),
        ...(ports.length ? [{ name: 'ports', type: 'RANGES', ranges: { range: ports.map((n) => ({ begin: n, end: n })) }, ...reserved }] : []),
        ...(record ? task.volumes.map((v) => volumeResource(v, record.reservationId, principal, reserved)) : []),
      ]
    : [];
  // the pod's executor: the default executor, holding the pod-level (shared) volumes
  const executor =
    pod && record
      ? {
          type: 'DEFAULT',
          executorId: { value: `${pod.name}__${record.reservationId}` },
          frameworkId: { value: s.frameworkId() ?? '' },
          name: pod.name,
          resources: pod.volumes.map((v) => volumeResource(v, record.reservationId, principal, reserved)),
          ...(pod.image || pod.networks.length > 0 ? { container: executorContainer(pod, res) } : {}),
        }
      : undefined;
  return {
    info: {
      name: t.name,
      taskId: { value: t.taskId },
      slaveId: { value: t.agentId },
      resources,
      ...(executor ? { executor } : {}),
      command: { value: t.launchedPaused ? pauseCommand(s.schedulerEnv) : (task?.cmd ?? ''), environment: variables(t.env) },
      labels: {
        labels: [
          { key: 'task_type', value: t.podType },
          { key: 'index', value: String(t.podIndex) },
          { key: 'target_configuration', value: t.configId },
          { key: 'offer_hostname', value: agent?.hostname ?? '' },
        ],
      },
      ...(discovery ? { discovery } : {}),
      ...(task ? checksJson(t, task) : {}),
      ...(task?.killGracePeriod ? { killPolicy: { gracePeriod: { nanoseconds: task.killGracePeriod * 1e9 } } } : {}),
    },
    status: t.status
      ? {
          taskId: { value: t.status.taskId },
          state: t.status.state,
          message: t.status.message,
          timestamp: t.status.timestamp,
          slaveId: { value: t.agentId },
          containerStatus: { networkInfos: [{ ipAddresses: [{ ipAddress: taskIp(res, agent) }] }] },
        }
      : null,
  };
}

/** Stored configs by id, parsed once per answer; the target's when a config is gone. */
function configSpecs(s: SchedulerView): (configId: string) => ServiceSpec {
  const parsed = new Map<string, ServiceSpec>([[s.configId, s.spec]]);
  return (id) => {
    let spec = parsed.get(id);
    if (!spec) {
      const raw = s.state.config(id);
      spec = raw ? (JSON.parse(raw) as ServiceSpec) : s.spec;
      parsed.set(id, spec);
    }
    return spec;
  };
}

export function podRoutes(s: SchedulerView): Route[] {
  const podTasks = (pod: string) => s.tasks().filter((t) => instanceOf(t) === pod);
  return [
    route('GET', '/v1/pod', () => json([...new Set(s.tasks().map(instanceOf))].sort())),
    route('GET', '/v1/pod/status', () => {
      const byType = instances(s.tasks());
      const body: { service: string; pods?: unknown[] } = { service: s.spec.name };
      if (byType.size > 0) body.pods = [...byType].map(([name, inst]) => ({ name, instances: [...inst].map(([iname, tasks]) => ({ name: iname, tasks })) }));
      return json(body);
    }),
    route('GET', '/v1/pod/:pod/status', ([pod]) => {
      const tasks = podTasks(pod);
      if (tasks.length === 0) return notFound('Pod', pod);
      const [[, inst]] = [...instances(tasks)];
      return json({ name: pod, tasks: inst.get(pod) });
    }),
    route('GET', '/v1/pod/:pod/info', ([pod]) => {
      const tasks = podTasks(pod).sort((a, b) => a.name.localeCompare(b.name));
      return tasks.length === 0 ? notFound('Pod', pod) : json(tasks.map((t) => taskInfoJson(s, t, configSpecs(s))));
    }),
    ...(['restart', 'replace'] as const).map((mode) =>
      route('POST', `/v1/pod/:pod/${mode}`, async ([pod]) => {
        const tasks = await s.killPod(pod, mode);
        return tasks ? json({ pod, tasks }) : notFound('Pod', pod);
      }),
    ),
    ...(['pause', 'resume'] as const).map((action) =>
      route('POST', `/v1/pod/:pod/${action}`, async ([pod], _q, body) => {
        let only: string[] = [];
        if (body.trim()) {
          const parsed = parseJson(body);
          if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) return text('body must be a JSON array of task names', 400);
          only = parsed;
        }
        const tasks = await s.setPaused(pod, action === 'pause', only);
        return tasks ? json({ pod, tasks }) : notFound('Pod', pod);
      }),
    ),
  ];
}
