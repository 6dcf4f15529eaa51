// Which registry a reference names, when its pull verifies TLS, the --insecure-registry values
// accepted (hostile ones refused by the flag), and whose auth files a service's pulls use.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authFileNow, dockerUrl, insecureRegistryProblem, registryOf, tlsVerified } from '../../src/engine/local/registries.js';
import { registryAccess, registryAuthFiles } from '../../src/launcher/registry-options.js';

describe('the registry of a reference', () => {
  it('is its first component when that has a dot, a port or is localhost; else Docker Hub', () => {
    expect(registryOf('192.0.2.2:5000/memcached:1')).toBe('192.0.2.2:5000');
    expect(registryOf('registry.example.org/team/app@sha256:' + 'a'.repeat(64))).toBe('registry.example.org');
    expect(registryOf('localhost/app:1')).toBe('localhost');
    expect(registryOf('memcached:1.6')).toBe('docker.io');
    expect(registryOf('bitnami/memcached:1')).toBe('docker.io'); // a Hub user, not a host
    expect(registryOf('myhost:5000')).toBe('docker.io'); // a name with a tag, no registry
  });

  it("is spelled out for skopeo, plain names on Docker Hub's library", () => {
    expect(dockerUrl('memcached:1.6')).toBe('docker://docker.io/library/memcached:1.6');
    expect(dockerUrl('bitnami/memcached:1')).toBe('docker://docker.io/bitnami/memcached:1');
    expect(dockerUrl('docker.io/library/busybox:1')).toBe('docker://docker.io/library/busybox:1');
    expect(dockerUrl('192.0.2.2:5000/x:1')).toBe('docker://192.0.2.2:5000/x:1');
  });
});

describe('TLS of a pull', () => {
  it('is verified except on loopback and for a registry given as insecure, matched exactly by host[:port]', () => {
    expect(tlsVerified('127.0.0.1:5000/x:1')).toBe(false);
    expect(tlsVerified('127.4.5.6:5000/x:1')).toBe(false);
    expect(tlsVerified('localhost:5000/x:1')).toBe(false);
    expect(tlsVerified('192.0.2.2:5000/x:1')).toBe(true);
    expect(tlsVerified('192.0.2.2:5000/x:1', ['192.0.2.2:5000'])).toBe(false);
    expect(tlsVerified('Reg.Example:5000/x:1'.toLowerCase(), ['REG.example:5000'])).toBe(false); // host names are case-insensitive
    expect(tlsVerified('192.0.2.2:5001/x:1', ['192.0.2.2:5000'])).toBe(true); // another port is another registry
    expect(tlsVerified('192.0.2.2:5000/x:1', ['192.0.2.2'])).toBe(true); // as docker: a port-less entry is the default port only
    expect(tlsVerified('192.0.2.2/x:1', ['192.0.2.2'])).toBe(false);
    expect(tlsVerified('192.0.2.22:5000/x:1', ['192.0.2.2:5000'])).toBe(true); // no prefix matching
    expect(tlsVerified('evil.example/192.0.2.2:5000/x:1', ['192.0.2.2:5000'])).toBe(true);
    expect(tlsVerified('memcached:1', ['docker.io'])).toBe(false);
  });
});

describe('--insecure-registry values', () => {
  it('accepts a host name or IPv4 address with an optional port', () => {
    for (const v of ['192.0.2.2:5000', '192.0.2.2', 'registry.example.org', 'registry-1.example:443', 'localhost:5000', 'Registry.Example']) expect(insecureRegistryProblem(v), v).toBeUndefined();
  });

  it('refuses hostile or malformed ones, saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['http://192.0.2.2:5000', /not a URL: drop the scheme/],
      ['https://r.example', /not a URL/],
      ['192.0.2.2:5000/path', /without a path/],
      ['../etc', /without a path/],
      ['a b:5000', /neither a host name nor an IPv4 address/],
      ['r.example:5000 --src-tls-verify=false', /not of the form host\[:port\]/],
      ['--src-creds=x:y', /not of the form|neither/],
      ['-r.example', /neither a host name/],
      ['r..example', /neither a host name/],
      ['r.example:0', /port 0 is not 1-65535/],
      ['r.example:65536', /port 65536/],
      ['r.example:', /not of the form/],
      ['[::1]:5000', /not of the form|neither/],
      ['r.example\n', /neither/],
      ['x'.repeat(254), /neither/],
    ];
    for (const [v, why] of cases) expect(insecureRegistryProblem(v), JSON.stringify(v)).toMatch(why);
  });

  it('is refused at install naming the flag, and with another engine than local', () => {
    expect(() => registryAccess('local', ['http://r.example'], {})).toThrow(/^--insecure-registry "http:\/\/r.example": a registry, not a URL/);
    expect(() => registryAccess('kubernetes', ['r.example:5000'], {})).toThrow(/--insecure-registry: only for --engine local/);
    expect(registryAccess('kubernetes', undefined, {})).toBeUndefined();
    expect(registryAccess('local', ['r.example:5000', 'r.example:5000'], { HOME: '/h' })).toEqual({ authFiles: ['/h/.config/containers/auth.json', '/h/.docker/config.json'], insecure: ['r.example:5000'] });
  });
});

describe('the auth files of a service', () => {
  it('are REGISTRY_AUTH_FILE alone when set, else the containers defaults then docker config, of the invoking user', () => {
    expect(registryAuthFiles({ REGISTRY_AUTH_FILE: '/a/auth.json', HOME: '/h' })).toEqual(['/a/auth.json']);
    expect(registryAuthFiles({ REGISTRY_AUTH_FILE: 'rel/auth.json' })).toEqual([join(process.cwd(), 'rel/auth.json')]);
    expect(registryAuthFiles({ HOME: '/h', XDG_RUNTIME_DIR: '/run/user/7' })).toEqual(['/run/user/7/containers/auth.json', '/h/.config/containers/auth.json', '/h/.docker/config.json']);
    expect(registryAuthFiles({ HOME: '/h', DOCKER_CONFIG: '/d' })).toEqual(['/h/.config/containers/auth.json', '/d/config.json']);
  });

  it('give skopeo the first that exists at pull time, or none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'svc-auth-'));
    try {
      const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
      expect(authFileNow([a, b])).toBeUndefined();
      writeFileSync(b, '{}');
      expect(authFileNow([a, b])).toBe(b);
      writeFileSync(a, '{}');
      expect(authFileNow([a, b])).toBe(a);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
