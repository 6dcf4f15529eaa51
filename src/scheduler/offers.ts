// Offers and placement: a step that wants resources gets an agent (the counterpart of the original's
// processing of a batch of offers), a reservation there, task records, and an engine launch.
import type { Agent, Reservation } from '../engine/types.js';
import { podAddress } from './pod-address.js';
import { planParameters, taskFullName, type Plan, type Step } from '../plan/index.js';
import { PORT_MAPPING_NETWORK, type PodSpec, type TaskSpec } from '../spec/index.js';
import type { PodRecord, TaskRecord } from '../state/index.js';
import { podName, type SchedulerCore } from './core.js';
import { footprint, taskEnv, taskIdPrefix, taskLaunch } from './launch.js';
import { deliverSecrets } from './secrets-delivery.js';
import { OfferLog, offerText } from './metrics.js';
import { pausedLaunch } from './pause.js';
import { place, ReservationIndex } from './placement.js';

/**
 * The ports a pod takes on its agent's address, as the original's PortEvaluationStage: all of them
 * on the host network or a port-mapping network (with its explicit host ports), none on an overlay.
 */
function agentPortsOf(pod: PodSpec, ports: ReadonlyArray<{ readonly name: string; readonly port: number }>): ReadonlyArray<{ readonly name: string; readonly port: number }> {
  if (pod.networks.length === 0) return ports;
  const mapping = pod.networks.filter((n) => n.name === PORT_MAPPING_NETWORK);
  return mapping.length === 0 ? [] : [...ports, ...mapping.flatMap((n) => n.hostPorts.map((port) => ({ name: `${n.name}:${port}`, port })))];
}

/** States of a task that failed by itself (not killed on purpose). */
const FAILED_STATES = new Set(['TASK_FAILED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE']);

/** How long a step that found no place waits before it is evaluated again. */
const RETRY_PLACEMENT_MS = 1000;

export class Offers {
  /** The last placement outcome per step, so a step that keeps waiting is logged once per reason. */
  private readonly lastEvaluation = new Map<string, string>();
  private readonly evaluations = new OfferLog();
  /** The reservations summed per agent, carried from one placement to the next. */
  private readonly reserved = new ReservationIndex();
  /** Pods on mesos-bridge whose updated ports were said to wait for a replace (said once). */
  private readonly keptPorts = new Set<string>();

  constructor(
    private readonly c: SchedulerCore,
    /** Re-derives the steps of a pod instance after its tasks changed. */
    private readonly refreshSteps: (instance: string) => void,
  ) {}

  /** The last 100 placement evaluations with counters, as GET /v2/debug/offers shows them. */
  json() {
    return this.evaluations.json();
  }

  /**
   * Places and records a step's launch; returns the engine launch to await. Placement runs one step
   * at a time (so two steps never take the same resources); launches (executor start-up) overlap.
   */
  async launchStep(plan: Plan, step: Step): Promise<Promise<void> | undefined> {
    const { store, engine } = this.c;
    const podSpec = this.c.podSpec((step.pod as NonNullable<Step['pod']>).podType);
    const instance = podName(step);
    let pod = store.pod(instance);
    let avoid: string | undefined;
    if (pod && this.c.podTaskRecords(instance).some((t) => t.permanentlyFailed)) {
      // replace: give up the old reservation and volumes, and start afresh elsewhere if possible
      avoid = pod.agentId;
      await engine.stopPod(instance, pod.reservationId);
      await engine.unreserve(pod.reservationId);
      store.deletePod(instance, podSpec.tasks.map((t) => taskFullName(instance, t.name)));
      pod = undefined;
    }
    if (!pod) {
      pod = await this.reservePod(step, podSpec, avoid);
      if (!pod) return undefined;
    } else {
      pod = await this.followPorts(step, pod, podSpec);
      if (!pod) return undefined;
    }
    const agent = engine.agents().find((a) => a.id === pod?.agentId);
    const params = planParameters(plan);
    const records = step.tasks.map((name) => this.taskRecord(pod as PodRecord, podSpec, this.c.taskSpec(podSpec, name), agent?.hostname ?? '', params));
    this.c.launched.set(step.id, new Set(records.map((r) => r.taskId)));
    const launchOf = (r: TaskRecord) => {
      const launch = taskLaunch(podSpec, this.c.taskSpec(podSpec, r.taskSpec), r);
      return r.launchedPaused ? pausedLaunch(launch, this.c.d.context?.schedulerEnv) : launch;
    };
    store.storeLaunch(pod, records);
    step.status = 'STARTING';
    this.c.metrics.count('operation.launch_group');
    this.c.log(`launching ${step.name} on ${pod.agentId}`);
    // the address the tasks listen on (a pod on a virtual network has its own): their certificates name it
    const placed = { podIndex: pod.index, agentIp: podAddress(podSpec, pod.reservationId, agent, () => engine.reservations()) };
    const reservationId = pod.reservationId;
    const tasks = Promise.all(records.map((r) => deliverSecrets(this.c.d.secrets, this.c.spec, podSpec, this.c.taskSpec(podSpec, r.taskSpec), launchOf(r), placed)));
    return tasks.then((ts) => engine.launch({ podInstance: instance, reservationId, tasks: ts })).catch((e: Error) => {
      this.c.log(`launch of ${step.name} failed: ${e.message}`);
      for (const r of records) store.storeTask({ ...r, status: { taskId: r.taskId, state: 'TASK_ERROR', message: e.message, timestamp: this.c.clock.now() / 1000 }, failures: r.failures + 1 });
      this.refreshSteps(instance);
    });
  }

  /**
   * One placement evaluation, our counterpart of the original's processing of a batch of offers
   * (one offer per agent): timed as offers.process, each agent counted as an offer received.
   */
  private async reservePod(step: Step, podSpec: PodSpec, avoidAgent?: string): Promise<PodRecord | undefined> {
    const done = this.c.metrics.startTimer('offers.process');
    try {
      return await this.placeAndReserve(step, podSpec, avoidAgent);
    } finally {
      done();
    }
  }

  /** Finds an agent for a new pod instance and reserves its footprint there. */
  private async placeAndReserve(step: Step, podSpec: PodSpec, avoidAgent?: string): Promise<PodRecord | undefined> {
    const { engine, metrics } = this.c;
    const ref = step.pod as NonNullable<Step['pod']>;
    const fp = footprint(podSpec);
    const agents = engine.agents();
    const reservations = engine.reservations();
    const result = place(agents, reservations, { podType: podSpec.name, constraints: podSpec.constraints, ...fp, ports: agentPortsOf(podSpec, fp.ports) }, avoidAgent, this.reserved);
    const rejected = Object.keys(result.rejections);
    metrics.count('offers.received', agents.length);
    metrics.count('offers.processed', rejected.length + (result.agent ? 1 : 0));
    // an agent evaluated and refused while the step still wants resources: the original's short decline
    if (rejected.length > 0) metrics.count('declines.short', rejected.length);
    const wait = (why: string, refused = rejected, offered = agents) =>
      this.hold(step, why, () => {
        this.c.log(`step ${step.name}: not placed (${why})`);
        this.record(step.name, 'fail', why.split('; '), offered, reservations, refused);
      });
    if (!result.agent) {
      return wait(
        Object.entries(result.rejections)
          .map(([a, r]) => `${a}: ${r}`)
          .join('; ') || 'no agents',
      );
    }
    let res;
    try {
      res = await engine.reserve({
        agentId: result.agent.id,
        podInstance: podName(step),
        cpus: fp.cpus,
        mem: fp.mem,
        disk: fp.disk,
        ports: fp.ports,
        ...(podSpec.networks.length > 0 ? { networks: podSpec.networks.map((n) => ({ name: n.name, hostPorts: n.hostPorts, containerPorts: n.containerPorts })) } : {}),
        volumes: [...podSpec.volumes, ...podSpec.tasks.flatMap((t) => t.volumes)]
          .filter((v, i, all) => all.findIndex((w) => w.name === v.name) === i)
          .map((v) => ({ name: v.name, type: v.type, size: v.size })),
      });
    } catch (e) {
      metrics.count('declines.short');
      return wait(`${result.agent.id}: ${(e as Error).message}`, [result.agent.id], [result.agent]);
    }
    this.lastEvaluation.set(step.name, `placed on ${result.agent.id}`);
    this.record(step.name, 'pass', [`placed on ${result.agent.id}`], [result.agent], reservations);
    metrics.count('operation.reserve');
    return {
      name: podName(step),
      podType: podSpec.name,
      index: ref.index,
      agentId: result.agent.id,
      reservationId: res.id,
      ports: Object.fromEntries(res.ports.map((p) => [p.name, p.port])),
    };
  }

  /**
   * A config update changed the pod's ports (a static port's number, a port added or dropped): its
   * reservation takes them on its agent, keeping its id and volumes, as the original's evaluation
   * reserved a changed port for a pod it relaunched in place. A port that cannot be had there
   * leaves the step waiting, retried as a placement is, and says why once.
   */
  private async followPorts(step: Step, pod: PodRecord, podSpec: PodSpec): Promise<PodRecord | undefined> {
    const wanted = footprint(podSpec).ports;
    const same = wanted.length === Object.keys(pod.ports).length && wanted.every((w) => pod.ports[w.name] !== undefined && (w.port === 0 || pod.ports[w.name] === w.port));
    if (same) return pod;
    if (podSpec.networks.some((n) => n.name === PORT_MAPPING_NETWORK)) {
      // its agent's ports are forwarded by its executor, set up once: they change with a replace
      if (!this.keptPorts.has(pod.name)) this.c.log(`${pod.name}: on ${PORT_MAPPING_NETWORK}, its ports stay ${Object.entries(pod.ports).map(([n, p]) => `${n}=${p}`).join(', ')} until the pod is replaced (svc pod replace ${pod.name})`);
      this.keptPorts.add(pod.name);
      return pod;
    }
    try {
      const res = await this.c.engine.updatePorts(pod.reservationId, wanted);
      this.c.log(`${pod.name}: ports now ${res.ports.map((p) => `${p.name}=${p.port}`).join(', ') || 'none'} (config update)`);
      return { ...pod, ports: Object.fromEntries(res.ports.map((p) => [p.name, p.port])) };
    } catch (e) {
      const why = `its new ports are not free on ${pod.agentId}: ${(e as Error).message}`;
      return this.hold(step, why, () => this.c.log(`step ${step.name}: waiting (${why})`));
    }
  }

  /**
   * The step waits for resources: PREPARED, back to PENDING after RETRY_PLACEMENT_MS to be tried
   * again; `tell` runs when `why` is not what it last waited for, so a wait is said once.
   */
  private hold(step: Step, why: string, tell: () => void): undefined {
    if (this.lastEvaluation.get(step.name) !== why) tell();
    this.lastEvaluation.set(step.name, why);
    step.status = 'PREPARED';
    this.c.clock.setTimeout(() => {
      if (step.status === 'PREPARED') step.status = 'PENDING';
    }, RETRY_PLACEMENT_MS);
    return undefined;
  }

  /** `offered`: the agents evaluated, with the reservations they had then (the offer they stand for). */
  private record(step: string, outcome: 'pass' | 'fail', explanation: string[], offered: readonly Agent[], reservations: readonly Reservation[], rejectedAgents: readonly string[] = []): void {
    const held = reservations.slice();
    this.evaluations.record({ evaluation: { timestamp: this.c.clock.now(), 'pod-instance-name': step, outcome, explanation }, offer: () => offerText(offered, held), rejectedAgents });
  }

  private taskRecord(pod: PodRecord, podSpec: PodSpec, task: TaskSpec, hostname: string, parameters: Readonly<Record<string, string>>): TaskRecord {
    const name = taskFullName(pod.name, task.name);
    const previous = this.c.store.task(name);
    return {
      name,
      podType: podSpec.name,
      podIndex: pod.index,
      taskSpec: task.name,
      taskId: `${taskIdPrefix(this.c.spec.name)}${name}__${this.c.d.newId()}`,
      agentId: pod.agentId,
      configId: this.c.d.configId,
      env: taskEnv({ spec: this.c.spec, pod: podSpec, task, record: pod, agentHostname: hostname, parameters, agent: this.c.engine.agents().find((a) => a.id === pod.agentId), context: this.c.d.context }),
      failures: previous?.failures ?? 0,
      failingSince: previous?.failingSince,
      // why the incarnation this one replaces failed, for `svc pod status` (GET /v1/tasks)
      lastFailure: previous?.status && FAILED_STATES.has(previous.status.state) ? previous.status.message : previous?.lastFailure,
      paused: previous?.paused,
      launchedPaused: !!previous?.paused,
      status: undefined,
    };
  }
}
