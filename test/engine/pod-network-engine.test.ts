// The local engine's pod networks through its contract, without a scheduler: reserve leases an
// address (overlay ports are the pod's own, mesos-bridge ports the agent's), launch makes the
// namespace, and sweep (uninstall's last resort, no scheduler) removes namespace, veth, bridge and
// lease while the task still runs. Needs root and the built executor (node build.mjs).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engine/local/local-engine.js';
import { bridgeName, netnsName, podNetworkMissing } from '../../src/engine/local/pod-network.js';
import { createEngine } from '../../src/engine/registry.js';
import type { StatusUpdate } from '../../src/engine/types.js';
import { ROOT, waitFor } from '../e2e/helpers.js';

const cannot = podNetworkMissing();
if (cannot) console.warn(`\n*** test/engine/pod-network-engine.test.ts SKIPPED: ${cannot} ***\n`);

describe.skipIf(!!cannot)('pod networks in the local engine', () => {
  const home = mkdtempSync(join(tmpdir(), 'svc-pn-engine-'));
  const root = join(home, 'svc');
  const statuses: StatusUpdate[] = [];
  let engine: LocalEngine;
  afterAll(async () => {
    await engine?.sweep();
    rmSync(home, { recursive: true, force: true });
  });

  it('reserves, launches into the namespace, and sweeps it all away with the task still running', async () => {
    engine = (await createEngine('local', { root, taskIdPrefix: 'pn__', executorScript: join(ROOT, 'dist/executor.js'), agentCount: 1, baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' } })) as LocalEngine;
    engine.onStatus((u, ack) => {
      statuses.push(u);
      ack();
    });
    const base = { agentId: 'agent-1', cpus: 0.1, mem: 32, disk: 0, volumes: [] };
    const overlay = await engine.reserve({ ...base, podInstance: 'a-0', ports: [{ name: 'http', port: 8080 }, { name: 'dyn', port: 0 }], networks: [{ name: 'dcos', hostPorts: [], containerPorts: [] }] });
    expect(overlay.ports).toEqual([{ name: 'http', port: 8080 }, { name: 'dyn', port: 1025 }]); // the original's overlay range
    expect(overlay.portMappings).toEqual([]);
    const bridged = await engine.reserve({ ...base, podInstance: 'b-0', ports: [{ name: 'web', port: 0 }], networks: [{ name: 'mesos-bridge', hostPorts: [0], containerPorts: [9000] }] });
    const [web] = bridged.ports;
    expect(web.port).toBeGreaterThanOrEqual(10000); // from the agent's range
    expect(bridged.portMappings).toEqual([expect.objectContaining({ containerPort: 9000 }), { hostPort: web.port, containerPort: web.port }]);
    expect(new Set([overlay.ip, bridged.ip]).size).toBe(2);

    const taskId = 'pn__a-0-server__1';
    await engine.launch({
      podInstance: 'a-0',
      reservationId: overlay.id,
      tasks: [{ taskId, name: 'a-0-server', cmd: 'echo "$MESOS_CONTAINER_IP" > ip; exec sleep 1000', env: {}, volumeMounts: [], files: [], uris: [], memoryMb: 32, rlimits: [], killGracePeriod: 0 }],
    });
    await waitFor('the task running', () => statuses.some((u) => u.status.taskId === taskId && u.status.state === 'TASK_RUNNING'), 20_000);
    const sandbox = join(root, 'agents/agent-1/executors/a-0/sandboxes/a-0-server');
    expect(await waitFor('its address written', () => existsSync(join(sandbox, 'ip')) && readFileSync(join(sandbox, 'ip'), 'utf8'))).toBe(`${overlay.ip}\n`);
    const ns = `/run/netns/${netnsName(home, overlay.id)}`;
    const pid = Number(/"pid":(\d+)/.exec(readFileSync(join(root, 'agents/agent-1/executors/a-0/journal.jsonl'), 'utf8'))?.[1]);
    expect(statSync(`/proc/${pid}/ns/net`).ino).toBe(statSync(ns).ino);

    await engine.sweep(); // no scheduler, no uninstall plan: the last resort alone
    expect(existsSync(ns)).toBe(false);
    expect(existsSync(`/sys/class/net/svh${netnsName(home, overlay.id).slice(4)}`)).toBe(false);
    expect(existsSync(`/sys/class/net/${bridgeName(home)}`)).toBe(false);
    expect(existsSync(join(home, '.network'))).toBe(false);
    expect(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')).toBe(false);
    expect(readdirSync(dirname(root))).toEqual(['svc']);
  }, 60_000);
});
