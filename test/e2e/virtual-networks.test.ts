// Virtual networks (`networks:`) on the local engine, real and offline: each pod instance in its own
// network namespace with its own address on the bridge svc makes for the home; two instances
// serving the same port; one reaching the other by IP; a mesos-bridge pod's port mappings reached
// on its agent's address (and only there); addresses kept through a kill -9 of the scheduler; and
// nothing left after uninstall (namespaces, veths, bridge, leases). Skipped (loudly) where the
// machine cannot make network namespaces.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeName, netnsName, podNetworkMissing } from '../../src/engine/local/pod-network.js';
import { executorHosts, killIfAlive, mainProcess, memcached, processesUnder, runSvc, tempHome, waitFor } from './helpers.js';
import { buildAndPushImage, freePort, missingImageTools, startRegistry, type Registry } from '../support/image-registry.js';

const cannot = podNetworkMissing() ?? (existsSync('/usr/bin/busybox') || existsSync('/bin/busybox') ? undefined : 'busybox is missing (apt-get install busybox)');
if (cannot) console.warn(`\n*** test/e2e/virtual-networks.test.ts SKIPPED: ${cannot} ***\n`);

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env); // the home's only service
const work = mkdtempSync(join(tmpdir(), 'svc-vnet-'));

/** Whether `host:port` accepts a connection (refused or unreachable: false). */
function accepts(host: string, port: number): Promise<boolean> {
  return fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(3000) }).then(
    () => true,
    () => false,
  );
}

const get = async (address: string) => (await fetch(`http://${address}/`, { signal: AbortSignal.timeout(5000) })).text();
const endpoint = async (name: string): Promise<string[]> => (JSON.parse((await svc('endpoints', name)).stdout) as { address: string[] }).address;
/** What is left of a reservation's network: its namespace and its veth, by the names svc gives them. */
const networkOf = (id: string) => {
  const ns = netnsName(t.home, id);
  return [`/run/netns/${ns}`, `/sys/class/net/svh${ns.slice(4)}`].filter((f) => existsSync(f));
};
interface Res { id: string; podInstance: string; agentId: string; ip?: string }
const reservations = (): Res[] => JSON.parse(readFileSync(join(t.home, 'vnet', 'reservations.json'), 'utf8')) as Res[];
const agentIp = (id: string) => (JSON.parse(readFileSync(join(t.home, 'vnet', 'agents.json'), 'utf8')) as Array<{ id: string; ip: string }>).find((a) => a.id === id)?.ip ?? '';

describe('network names from a spec', () => {
  it('refuses a hostile one at validation, naming the field, on any machine', async () => {
    const h = tempHome();
    try {
      const file = join(h.home, 'svc.yml');
      writeFileSync(file, 'name: bad\npods:\n  web:\n    count: 1\n    networks:\n      "../../x y":\n    tasks:\n      t:\n        goal: RUNNING\n        cmd: "true"\n        cpus: 0.1\n        memory: 32\n');
      const why = '- pods.web.networks.../../x y: not supported by the local engine: network name "../../x y" must be 1-64 letters';
      const r = await runSvc(['install', file], h.env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(why);
      expect(readdirSync(h.home)).toEqual(['svc.yml']); // nothing made of it
      const v = await runSvc(['spec', 'validate', file], h.env);
      expect(v.code).toBe(0); // the original's spec language accepts any name
      expect(v.stdout).toContain(why);
    } finally {
      h.cleanup();
    }
  });
});

describe.skipIf(!!cannot)('virtual networks on the local engine', () => {
  let hostPort = 0;
  let subnet = '';

  beforeAll(async () => {
    hostPort = await freePort('127.0.0.1');
    writeFileSync(
      join(work, 'svc.yml'),
      `name: vnet
pods:
  web:
    count: 2
    networks:
      dcos:
        labels: "key0:val0,key1:val1"
    tasks:
      server:
        goal: RUNNING
        cpus: 0.1
        memory: 32
        ports:
          http:
            port: 8080
            advertise: true
        # every address of its namespace: two instances on one port clash unless each has its own
        cmd: echo "$TASK_NAME" > index.html && exec busybox httpd -f -p $PORT_HTTP -h .
        # passes only inside the pod's namespace, where the task's port is on its own loopback
        readiness-check:
          cmd: busybox wget -qO- http://127.0.0.1:$PORT_HTTP/
          interval: 1
          delay: 0
          timeout: 5
  mapped:
    count: 1
    networks:
      mesos-bridge:
        host-ports: [${hostPort}]
        container-ports: [9000]
    tasks:
      server:
        goal: RUNNING
        cpus: 0.1
        memory: 32
        ports:
          web:
            port: 0
            advertise: true
        cmd: mkdir -p nine && echo nine > nine/index.html && busybox httpd -p 9000 -h nine && echo "web $PORT_WEB" > index.html && exec busybox httpd -f -p $PORT_WEB -h .
`,
    );
    const r = await runSvc(['install', join(work, 'svc.yml')], t.env);
    expect(r.code, r.stderr).toBe(0);
    subnet = (JSON.parse(readFileSync(join(t.home, '.network', 'bridge.json'), 'utf8')) as { net: string }).net;
  }, 120_000);

  afterAll(() => {
    for (const p of processesUnder(t.home)) killIfAlive(p.pid);
    t.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('gives each instance its own address on the bridge; both serve the same port; endpoints report them', async () => {
    const addresses = await endpoint('http');
    expect(addresses).toHaveLength(2);
    const ips = addresses.map((a) => a.split(':')[0]);
    expect(new Set(ips).size).toBe(2);
    for (const a of addresses) expect(a).toMatch(new RegExp(`^${subnet.replaceAll('.', '\\.')}\\.\\d+:8080$`));
    expect(execFileSync('ip', ['-4', '-o', 'addr', 'show', 'dev', bridgeName(t.home)], { encoding: 'utf8' })).toContain(`inet ${subnet}.1/24`);
    expect((await Promise.all(addresses.map(get))).sort()).toEqual(['web-0-server\n', 'web-1-server\n']);
    // each task process in a namespace of its own, not the host's
    const spaces = ['web-0-server', 'web-1-server'].map((name) => readlinkSync(`/proc/${mainProcess(t.home, name)?.pid}/ns/net`));
    expect(new Set([...spaces, readlinkSync('/proc/self/ns/net')]).size).toBe(3);
  });

  it('pod info shows the networks as the original did: the CNI labels and port mappings in the executor container, port resources only where the agent holds them', async () => {
    type Info = Array<{ info: { resources: Array<{ name: string }>; executor: { container: { networkInfos: Array<{ name: string; labels?: { labels: Array<{ key: string; value: string }> }; portMappings?: Array<{ hostPort: number; containerPort: number }> }> } } } }>;
    const web = JSON.parse((await svc('pod', 'info', 'web-0')).stdout) as Info;
    expect(web[0].info.executor.container.networkInfos).toEqual([{ name: 'dcos', labels: { labels: [{ key: 'key0', value: 'val0' }, { key: 'key1', value: 'val1' }] } }]);
    expect(web[0].info.resources.map((r) => r.name)).not.toContain('ports'); // the pod's own, not its agent's
    const mapped = JSON.parse((await svc('pod', 'info', 'mapped-0')).stdout) as Info;
    const [net] = mapped[0].info.executor.container.networkInfos;
    expect(net.name).toBe('mesos-bridge');
    expect(net.portMappings).toContainEqual({ hostPort, containerPort: 9000, protocol: 'tcp' });
    expect(mapped[0].info.resources.map((r) => r.name)).toContain('ports');
  });

  it("tells the task its own address (MESOS_CONTAINER_IP) and lets one instance reach the other by IP", async () => {
    const [a0, a1] = await endpoint('http');
    const ip = await svc('task', 'exec', 'web-0-server', 'sh', '-c', 'echo $MESOS_CONTAINER_IP $LIBPROCESS_IP');
    expect(ip.stdout).toBe(`${a0.split(':')[0]} ${a0.split(':')[0]}\n`);
    const fetched = await svc('task', 'exec', 'web-0-server', 'busybox', 'wget', '-qO-', `http://${a1}/`);
    expect([fetched.code, fetched.stdout]).toEqual([0, 'web-1-server\n']);
    // inside, the port is the pod's own: its loopback answers too
    expect((await svc('task', 'exec', 'web-1-server', 'busybox', 'wget', '-qO-', 'http://127.0.0.1:8080/')).stdout).toBe('web-1-server\n');
    // the scheduler API, on the host's loopback, answers at SCHEDULER_API_HOSTNAME:PORT inside too
    const plans = await svc('task', 'exec', 'web-0-server', 'sh', '-c', 'busybox wget -qO- --header "Authorization: token=$SCHEDULER_API_TOKEN" http://$SCHEDULER_API_HOSTNAME:$SCHEDULER_API_PORT/v1/plans');
    expect(JSON.parse(plans.stdout)).toContain('deploy');
    // an overlay pod holds none of its agent's ports
    expect(await accepts(agentIp(reservations().find((r) => r.podInstance === 'web-0')?.agentId ?? ''), 8080)).toBe(false);
  });

  it("forwards a mesos-bridge pod's ports from its agent's address, and only from there", async () => {
    const res = reservations().find((r) => r.podInstance === 'mapped-0');
    const agent = agentIp(res?.agentId ?? '');
    const [web] = await endpoint('web');
    const port = Number(web.split(':')[1]);
    expect(web).toBe(`${res?.ip}:${port}`);
    expect(await get(`${agent}:${port}`)).toBe(`web ${port}\n`); // a task port: the same number inside
    expect(await get(`${agent}:${hostPort}`)).toBe('nine\n'); // host-ports → container-ports
    expect(await get(`${res?.ip}:9000`)).toBe('nine\n');
    expect(await accepts('127.0.0.1', hostPort)).toBe(false); // not on every address: the agent's only
    // the mapped port is held on the agent's address: nobody else can take it
    await expect(new Promise((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(hostPort, agent, () => srv.close(resolve));
    })).rejects.toThrow(/EADDRINUSE/);
  });

  it('keeps the addresses and the tasks through a kill -9 of the scheduler', async () => {
    const before = await endpoint('http');
    const pids = ['web-0-server', 'web-1-server', 'mapped-0-server'].map((n) => mainProcess(t.home, n)?.pid);
    const schedulerPid = Number(readFileSync(join(t.home, 'vnet', 'scheduler.pid'), 'utf8'));
    process.kill(schedulerPid, 'SIGKILL');
    await waitFor('the scheduler back', async () => {
      const pid = Number(readFileSync(join(t.home, 'vnet', 'scheduler.pid'), 'utf8'));
      return pid !== schedulerPid && (await svc('plan', 'status', 'deploy')).stdout.includes('COMPLETE');
    }, 30_000);
    expect(await endpoint('http')).toEqual(before);
    expect(['web-0-server', 'web-1-server', 'mapped-0-server'].map((n) => mainProcess(t.home, n)?.pid)).toEqual(pids);
    expect((await Promise.all(before.map(get))).sort()).toEqual(['web-0-server\n', 'web-1-server\n']);
  }, 60_000);

  it('moves a replaced pod to a new reservation and namespace, and deletes the old one', async () => {
    const old = reservations().find((r) => r.podInstance === 'web-1');
    expect((await svc('pod', 'replace', 'web-1', '--yes')).code).toBe(0);
    const next = await waitFor('web-1 on a new reservation, serving', async () => {
      const r = reservations().find((x) => x.podInstance === 'web-1');
      if (!r?.ip || r.id === old?.id) return undefined;
      return (await get(`${r.ip}:8080`).catch(() => '')) === 'web-1-server\n' && r;
    }, 30_000);
    // the task runs in the new reservation's namespace (inode numbers are reused, names are not)
    expect(statSync(`/proc/${mainProcess(t.home, 'web-1-server')?.pid}/ns/net`).ino).toBe(statSync(`/run/netns/${netnsName(t.home, next.id)}`).ino);
    expect(networkOf(old?.id ?? '')).toEqual([]);
    expect(readdirSync(join(t.home, '.network', 'leases')).sort()).toEqual(reservations().map((r) => r.ip).sort());
    expect(next.ip?.startsWith(`${subnet}.`)).toBe(true);
    expect(next.ip).not.toBe(old?.ip); // a fresh address, as the original's IPAM gave
  }, 60_000);

  it("relaunches the pods of a killed executor host in their namespaces, same addresses, mappings back", async () => {
    const res = reservations().find((r) => r.podInstance === 'mapped-0');
    const agent = agentIp(res?.agentId ?? '');
    const [web] = await endpoint('web');
    const before = mainProcess(t.home, 'mapped-0-server')?.pid;
    const host = executorHosts(t.home).find((x) => x.agent === res?.agentId);
    expect(host).toBeDefined();
    process.kill(host?.pid ?? 0, 'SIGKILL');
    await waitFor('mapped-0 relaunched and forwarded again', async () => {
      const pid = mainProcess(t.home, 'mapped-0-server')?.pid;
      return pid && pid !== before && (await get(`${agent}:${hostPort}`).catch(() => '')) === 'nine\n';
    }, 30_000);
    expect(await get(`${agent}:${web.split(':')[1]}`)).toBe(`web ${web.split(':')[1]}\n`);
    expect(reservations().find((r) => r.podInstance === 'mapped-0')?.ip).toBe(res?.ip);
    expect(await endpoint('web')).toEqual([web]);
  }, 60_000);

  it('an update that changes the port of pods on dcos relaunches them on it, at the same addresses', async () => {
    const before = await endpoint('http');
    writeFileSync(join(work, 'svc.yml'), readFileSync(join(work, 'svc.yml'), 'utf8').replace('port: 8080', 'port: 8081'));
    const r = await svc('update', 'start', '--wait');
    expect(r.code, r.stderr).toBe(0);
    const after = await endpoint('http');
    expect(after).toEqual(before.map((a) => a.replace(/:8080$/, ':8081')));
    expect((await Promise.all(after.map(get))).sort()).toEqual(['web-0-server\n', 'web-1-server\n']);
  }, 60_000);

  it('uninstall leaves no namespace, veth, bridge or lease behind', async () => {
    const held = reservations();
    const mappedAgent = agentIp(held.find((x) => x.podInstance === 'mapped-0')?.agentId ?? '');
    expect(held.map((r) => networkOf(r.id).length)).toEqual([2, 2, 2]);
    const r = await runSvc(['uninstall', 'vnet', '--yes'], t.env);
    expect(r.code, r.stderr).toBe(0);
    expect(held.flatMap((x) => networkOf(x.id))).toEqual([]);
    expect(existsSync(`/sys/class/net/${bridgeName(t.home)}`)).toBe(false);
    expect(existsSync(join(t.home, '.network'))).toBe(false);
    expect(await accepts(mappedAgent, hostPort)).toBe(false);
  }, 60_000);
});

// The same for a pod with `image:`: its containers join the pod's namespace (runc's network
// namespace path), so each instance's memcached listens on its own address and the same port.
const noImages = cannot ?? (missingImageTools().length > 0 ? `missing ${missingImageTools().join(', ')}` : undefined);
if (noImages && !cannot) console.warn(`\n*** test/e2e/virtual-networks.test.ts (image pods) SKIPPED: ${noImages} ***\n`);

describe.skipIf(!!noImages)('virtual networks for pods with an image', () => {
  const h = tempHome();
  const dir = mkdtempSync(join(tmpdir(), 'svc-vnet-img-'));
  let registry: Registry | undefined;
  const svcImg = (...args: string[]) => runSvc(args, h.env);
  const held = (): Res[] => JSON.parse(readFileSync(join(h.home, 'vnetimg', 'reservations.json'), 'utf8')) as Res[];

  beforeAll(async () => {
    registry = await startRegistry({ dir });
    buildAndPushImage(join(dir, 'layout'), registry.address, '1', 'vnet');
    writeFileSync(
      join(dir, 'svc.yml'),
      `name: vnetimg
pods:
  cache:
    count: 2
    image: ${registry.address}/memcached:1
    networks:
      dcos:
    tasks:
      server:
        goal: RUNNING
        cpus: 0.1
        memory: 64
        ports:
          memcache:
            port: 11211
            advertise: true
        cmd: exec memcached -l $MESOS_CONTAINER_IP -p $PORT_MEMCACHE -U 0 -m 16 -u nobody
`,
    );
    const r = await svcImg('install', join(dir, 'svc.yml'));
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await registry?.stop('SIGKILL');
    for (const p of processesUnder(h.home)) killIfAlive(p.pid);
    h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs each pod's container in the pod's namespace, at its own address, on the same port", async () => {
    const addresses = (JSON.parse((await svcImg('endpoints', 'memcache')).stdout) as { address: string[] }).address;
    const net = (JSON.parse(readFileSync(join(h.home, '.network', 'bridge.json'), 'utf8')) as { net: string }).net;
    expect(addresses).toHaveLength(2);
    for (const a of addresses) {
      expect(a).toMatch(new RegExp(`^${net.replaceAll('.', '\\.')}\\.\\d+:11211$`));
      expect(await memcached(a, `set k 0 0 ${a.length}\r\n${a}\r\n`)).toBe('STORED\r\n');
      expect(await memcached(a, 'get k\r\n')).toContain(`\r\n${a}\r\n`);
    }
    // a container reaches the scheduler API on its pod's loopback too
    const plans = await svcImg('task', 'exec', 'cache-1-server', 'sh', '-c', 'busybox wget -qO- --header "Authorization: token=$SCHEDULER_API_TOKEN" http://$SCHEDULER_API_HOSTNAME:$SCHEDULER_API_PORT/v1/plans');
    expect(JSON.parse(plans.stdout)).toContain('deploy');
    // the container's processes are in the namespace svc made for the pod
    const states = JSON.parse(execFileSync('runc', ['--root', join(h.home, 'vnetimg', 'runc'), 'list', '--format', 'json'], { encoding: 'utf8' })) as Array<{ pid: number; bundle: string }>;
    expect(states).toHaveLength(2);
    for (const r of held()) {
      const box = states.find((c) => c.bundle.includes(`/${r.podInstance}/`));
      expect(statSync(`/proc/${box?.pid}/ns/net`).ino).toBe(statSync(`/run/netns/${netnsName(h.home, r.id)}`).ino);
    }
  });

  it('uninstall leaves no container, namespace, veth or bridge', async () => {
    const ids = held().map((r) => r.id);
    expect((await svcImg('uninstall', 'vnetimg', '--yes')).code).toBe(0);
    for (const id of ids) {
      const ns = netnsName(h.home, id);
      expect([existsSync(`/run/netns/${ns}`), existsSync(`/sys/class/net/svh${ns.slice(4)}`)]).toEqual([false, false]);
    }
    expect(existsSync(`/sys/class/net/${bridgeName(h.home)}`)).toBe(false);
    expect(existsSync(join(h.home, 'vnetimg'))).toBe(false);
  }, 60_000);
});
