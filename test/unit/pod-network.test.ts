// The pod network's pure parts and its address leases: names derived from hashes (never from a
// spec), network names refused when hostile, a bridge subnet that avoids the machine's routes,
// exclusive leases in $SVC_HOME, and the engine refusing `networks:` by field where it cannot.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bridgeName, leaseAddress, netnsName, networkNameProblem, pickSubnet, podNetworkMissing, releasePodNetwork, supportsPortMapping } from '../../src/engine/local/pod-network.js';
import { unsupportedFields } from '../../src/engine/local/support.js';
import { parseServiceSpec } from '../../src/spec/index.js';

const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);

describe('network names', () => {
  it('accepts the names specs use', () => {
    for (const name of ['dcos', 'mesos-bridge', 'calico', 'net_1', 'a.b']) expect(networkNameProblem(name)).toBeUndefined();
  });

  it('refuses hostile ones: paths, .., spaces, a leading dash, control characters, overlong', () => {
    for (const name of ['../etc', 'a/b', '..', 'a..b', 'my net', '-n', '--all', '', 'x'.repeat(65), 'dcos\n', 'a;rm -rf /', '$(id)']) {
      expect(networkNameProblem(name), name).toMatch(/^network name ".*" must be 1-64 letters/);
    }
  });

  it('only mesos-bridge maps ports, as the original', () => {
    expect([supportsPortMapping('mesos-bridge'), supportsPortMapping('dcos'), supportsPortMapping('calico')]).toEqual([true, false, false]);
  });
});

describe('names of interfaces and namespaces', () => {
  it('fit IFNAMSIZ, differ per home and per reservation, and use only [a-z0-9-]', () => {
    const a = bridgeName('/home/a/.svc');
    const b = bridgeName('/home/b/.svc');
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(15);
    expect(a).toMatch(/^svb[0-9a-f]{10}$/);
    const ns = netnsName('/home/a/.svc', 'r1');
    expect(ns).toMatch(/^svc-[0-9a-f]{12}$/);
    expect(netnsName('/home/a/.svc', 'r2')).not.toBe(ns);
    expect(netnsName('/home/b/.svc', 'r1')).not.toBe(ns);
  });
});

describe('the bridge subnet', () => {
  it('is a private /24 that no route of the machine touches, the default route aside', () => {
    const net = pickSubnet('/home/a/.svc', [[0, 0]]);
    expect(net).toMatch(/^10\.(1[2-9][0-9]|2[0-5][0-9])\.\d+$/);
    expect(pickSubnet('/home/a/.svc', [[0, 0]])).toBe(net); // the same home starts at the same place
    // that /24 taken by a route: the next one
    const other = pickSubnet('/home/a/.svc', [[toInt(`${net}.0`), 24]]);
    expect(other).not.toBe(net);
    // all of 10.0.0.0/8 routed (a VPN): 172.16.0.0/12 next
    expect(pickSubnet('/home/a/.svc', [[toInt('10.0.0.0'), 8]])).toMatch(/^172\.(1[6-9]|2[0-9]|3[01])\.\d+$/);
    // every private range routed: a clear error
    expect(() => pickSubnet('/home/a/.svc', [[toInt('10.0.0.0'), 8], [toInt('172.16.0.0'), 12], [toInt('192.168.0.0'), 16]])).toThrow(/no private \/24 is free/);
  });
});

describe('address leases', () => {
  const home = mkdtempSync(join(tmpdir(), 'svc-leases-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('gives each reservation its own address of the home subnet, once, until released', () => {
    const owner = (id: string) => ({ root: join(home, 'svc'), reservationId: id });
    const a = leaseAddress(home, owner('a'));
    const b = leaseAddress(home, owner('b'));
    expect(a).not.toBe(b);
    expect(a).toMatch(/\.2$/);
    expect(a.split('.').slice(0, 3)).toEqual(b.split('.').slice(0, 3));
    expect(b).toMatch(/\.3$/);
    expect(readdirSync(join(home, '.network', 'leases')).sort()).toEqual([a, b].sort());
    releasePodNetwork(home, 'a', a);
    const c = leaseAddress(home, owner('c'));
    expect(c).toMatch(/\.4$/); // not the one just released: peers may still have it cached
    releasePodNetwork(home, 'b', b);
    releasePodNetwork(home, 'c', c);
    expect(readdirSync(home)).toEqual([]); // the last release takes the home's network folder with it
  });
});

describe('the local engine and networks:', () => {
  const spec = (networks: string) =>
    parseServiceSpec(`name: n\npods:\n  web:\n    count: 1\n    networks:\n${networks}\n    tasks:\n      t:\n        goal: RUNNING\n        cmd: "true"\n        cpus: 0.1\n        memory: 32\n`);

  it('runs them where the machine can, and refuses a hostile network name by its path', () => {
    const missing = podNetworkMissing();
    const issues = unsupportedFields(spec('      dcos: {}\n      mesos-bridge: {}'));
    expect(issues).toEqual(missing ? [{ path: 'pods.web.networks', message: `not supported by the local engine: ${missing}` }] : []);
    const hostile = unsupportedFields(spec('      "../x": {}'));
    expect(hostile).toContainEqual({ path: 'pods.web.networks.../x', message: expect.stringContaining('not supported by the local engine: network name "../x" must be') });
  });

  it('says why where the tools are missing', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(podNetworkMissing()).toBe('virtual networks need ip, nsenter on PATH (Debian: iproute2, util-linux)');
    } finally {
      process.env.PATH = path;
    }
  });
});
