// The talk's memcache service on the kubernetes engine: three memcached pods, one per node, each
// on its node's IP and a hostPort, readiness through bash's /dev/tcp, set/get on every advertised
// endpoint, a sidecar plan (flush) whose pods share their pod instance's PVC, and decommission-free
// uninstall leaving nothing.
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceSelector } from '../../src/engine/kubernetes/names.js';
import { planStatus, type Plan } from '../../src/plan/index.js';
import { type Cluster, deployed, NAMESPACE, type Running, startCluster, startScheduler, until } from './harness.js';

const MEMCACHE = join(import.meta.dirname, '../../examples/memcache/svc.yml');

let cluster: Cluster;
let r: Running;
beforeAll(async () => {
  cluster = await startCluster();
  r = await startScheduler(cluster, MEMCACHE);
});
afterAll(async () => {
  r?.scheduler.stop();
  await cluster?.close();
});

function memcached(address: string, command: string): Promise<string> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port: Number(port) });
    let out = '';
    sock.setTimeout(5000, () => sock.destroy(new Error(`no answer from ${address}`)));
    sock.on('data', (d) => {
      out += d;
      if (/(END|STORED|ERROR)\r\n$/.test(out)) sock.end();
    });
    sock.on('end', () => resolve(out));
    sock.on('error', reject);
    sock.write(command);
  });
}

describe('memcache on the kubernetes engine', () => {
  it('deploys one memcached per node, ready, and answers set/get on every endpoint', async () => {
    await deployed(r);
    const endpoint = r.scheduler.endpoints().get('memcache');
    expect(endpoint?.address).toHaveLength(3);
    expect(new Set(endpoint?.address.map((a) => a.split(':')[0]))).toEqual(new Set(['127.0.3.1', '127.0.3.2', '127.0.3.3']));
    for (const [i, address] of (endpoint?.address ?? []).entries()) {
      expect(await memcached(address, `set k${i} 0 0 2\r\nv${i}\r\n`)).toBe('STORED\r\n');
      expect(await memcached(address, `get k${i}\r\n`)).toBe(`VALUE k${i} 0 2\r\nv${i}\r\nEND\r\n`);
    }
  });

  it('runs a sidecar plan: each flush pod reaches its memcached through the shared PVC', async () => {
    r.scheduler.planCommand('flush-all-serial', { kind: 'start', parameters: {} });
    await until('flush plan COMPLETE', () => planStatus(r.scheduler.plan('flush-all-serial') as Plan) === 'COMPLETE', 30_000, r.logs);
    for (const address of r.scheduler.endpoints().get('memcache')?.address ?? []) expect(await memcached(address, 'get k0\r\n')).toBe('END\r\n');
  });

  it('uninstalls leaving no labelled object', async () => {
    r.scheduler.startUninstall();
    await until('uninstalled', () => r.uninstalled.then(() => true), 30_000, r.logs);
    r.scheduler.stop();
    await r.engine.sweep();
    const sel = { namespace: NAMESPACE, labelSelector: serviceSelector('memcache') };
    expect((await cluster.core.listNamespacedPod(sel)).items).toEqual([]);
    expect((await cluster.core.listNamespacedPersistentVolumeClaim(sel)).items).toEqual([]);
    expect((await cluster.core.listNamespacedConfigMap(sel)).items).toEqual([]);
  });
});
