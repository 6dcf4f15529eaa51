// The pure parts of running tasks in containers: the OCI config, env layering, image references,
// users of the image, and config templates that may not write outside the container.
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderTemplates, resolveUser } from '../../src/engine/local/container.js';
import { containerExecArgv, containerFile } from '../../src/engine/local/container-exec.js';
import { checkReference } from '../../src/engine/local/images.js';
import { mergeEnv, ociJson, ociSpec } from '../../src/engine/local/oci-spec.js';

const dir = mkdtempSync(join(tmpdir(), 'svc-containers-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the OCI config of a task', () => {
  const input = {
    rootfs: '/r',
    hostname: 'h',
    args: ['/bin/sh', '-c', 'exec x'],
    env: ['A=1'],
    cwd: '/mnt/mesos/sandbox',
    uid: 0,
    gid: 0,
    binds: [{ source: '/host', destination: '/in', readOnly: true }],
    shmSizeMb: 8,
    memoryMb: 128,
    cpus: 0.5,
    rlimits: [{ name: 'RLIMIT_NOFILE', soft: 512, hard: 1024 }, { name: 'RLIMIT_CORE' }],
    cgroupsPath: '/svc/t',
  };
  const spec = ociSpec(input);
  const linux = spec.linux as { namespaces: Array<{ type: string }>; resources: { memory: { limit: number }; cpu: { quota: number; period: number } }; seccomp?: unknown };

  it('shares the host network and limits memory and cpu', () => {
    expect(linux.namespaces.map((n) => n.type)).not.toContain('network');
    expect(linux.resources.memory.limit).toBe(128 * 1024 * 1024);
    expect(linux.resources.cpu).toEqual({ period: 100_000, quota: 50_000 });
    expect(linux.seccomp).toBeUndefined();
  });

  it('has runc mount the image\'s overlay first, over the rootfs, when given one', () => {
    const layered = ociSpec({ ...input, overlay: { lower: '/img', upper: '/b/upper', work: '/b/work' } });
    const [first] = layered.mounts as Array<{ destination: string; type: string; options?: string[] }>;
    expect(first).toEqual({ destination: '/', type: 'overlay', source: 'overlay', options: ['lowerdir=/img', 'upperdir=/b/upper', 'workdir=/b/work'] });
    expect((spec.mounts as Array<{ type: string }>).some((m) => m.type === 'overlay')).toBe(false);
  });

  it('mounts binds read only when asked, and a private /dev/shm of the size asked', () => {
    const mounts = spec.mounts as Array<{ destination: string; options?: string[] }>;
    expect(mounts.find((m) => m.destination === '/in')?.options).toEqual(['rbind', 'ro']);
    expect(mounts.find((m) => m.destination === '/dev/shm')?.options).toContain('size=8192k');
  });

  it('writes an unlimited rlimit as 2^64-1, which a JS number cannot hold', () => {
    const json = ociJson(spec);
    expect(json).toContain('"type": "RLIMIT_CORE",\n        "hard": 18446744073709551615,\n        "soft": 18446744073709551615');
    expect(JSON.parse(json).process.rlimits[0]).toEqual({ type: 'RLIMIT_NOFILE', hard: 1024, soft: 512 });
  });

  it('layers env: later layers win, each key once', () => {
    expect(mergeEnv(['PATH=/img', 'A=img', 'B=img'], ['PATH=/host', 'A=task'], ['PATH=/img'])).toEqual(['PATH=/img', 'A=task', 'B=img']);
  });
});

describe('image references', () => {
  it.each(['memcached:1.6', 'docker.io/library/memcached', '127.0.0.1:5000/a/b:1', `x@sha256:${'a'.repeat(64)}`, 'localhost:5000/x'])('accepts %s', (ref) => {
    expect(() => checkReference(ref)).not.toThrow();
  });
  it.each(['', '../x', '127.0.0.1:5000/../../etc:1', 'a b', '-x', 'x;rm -rf /', 'x:$(id)', 'X/Upper', 'x@sha256:short', 'a/./b'])('refuses %j', (ref) => {
    expect(() => checkReference(ref)).toThrow(/is not a valid image reference/);
  });
});

describe('the user of a container task', () => {
  const rootfs = join(dir, 'users');
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0::/:/bin/sh\nnobody:x:65534:65533::/:/bin/sh\n');
  it('is root, a uid, or a name of the image\'s /etc/passwd', () => {
    expect(resolveUser(rootfs, 'root')).toEqual({ uid: 0, gid: 0 });
    expect(resolveUser(rootfs, '1000')).toEqual({ uid: 1000, gid: 1000 });
    expect(resolveUser(rootfs, 'nobody')).toEqual({ uid: 65534, gid: 65533 });
    expect(() => resolveUser(rootfs, 'alice')).toThrow("user alice does not exist in the image's /etc/passwd");
  });
});

describe('config templates of a container task', () => {
  const sandbox = join(dir, 'sandbox');
  const rootfs = join(dir, 'rootfs');
  mkdirSync(join(sandbox, 'config-templates'), { recursive: true });
  mkdirSync(rootfs, { recursive: true });
  writeFileSync(join(sandbox, 'config-templates/t'), 'port={{PORT}}');
  const render = (spec: string) => renderTemplates(sandbox, { lower: rootfs, upper: rootfs }, ['PORT=7', `CONFIG_TEMPLATE_T=${spec}`]);

  it('go into the sandbox, or into the container\'s own rootfs for other absolute paths', () => {
    render('config-templates/t,conf/app.conf');
    expect(readFileSync(join(sandbox, 'conf/app.conf'), 'utf8')).toBe('port=7');
    render('config-templates/t,/mnt/mesos/sandbox/b.conf');
    expect(readFileSync(join(sandbox, 'b.conf'), 'utf8')).toBe('port=7');
    render('config-templates/t,/etc/app.conf');
    expect(readFileSync(join(rootfs, 'etc/app.conf'), 'utf8')).toBe('port=7');
  });

  it('go into the overlay\'s writable layer, its folders made like the image\'s', () => {
    const image = join(dir, 'image');
    const upper = join(dir, 'upper');
    mkdirSync(join(image, 'etc/app'), { recursive: true, mode: 0o750 });
    chmodSync(join(image, 'etc/app'), 0o750);
    const gid = process.getuid?.() === 0 ? 4 : process.getgid?.(); // only root can hand a folder to another group
    if (gid === 4) chownSync(join(image, 'etc/app'), 0, gid);
    writeFileSync(join(image, 'etc/hosts.allow'), '');
    symlinkSync('/', join(image, 'up'));
    mkdirSync(upper);
    const layered = (spec: string) => renderTemplates(sandbox, { lower: image, upper }, ['PORT=8', `CONFIG_TEMPLATE_T=${spec}`]);
    layered('config-templates/t,/etc/app/app.conf');
    expect(readFileSync(join(upper, 'etc/app/app.conf'), 'utf8')).toBe('port=8');
    expect(existsSync(join(image, 'etc/app/app.conf'))).toBe(false);
    const made = statSync(join(upper, 'etc/app'));
    expect([made.mode & 0o7777, made.gid]).toEqual([0o750, gid]);
    expect(() => layered('config-templates/t,/up/evil')).toThrow(/is a symlink/);
    expect(() => layered('config-templates/t,/etc/hosts.allow/x')).toThrow(/is not a folder in the image/);
  });

  it('never read or write outside them, even through a symlink of the image', () => {
    expect(() => render('../../../../etc/shadow,x')).toThrow(/leaves/);
    symlinkSync('/tmp', join(rootfs, 'tmp'));
    expect(() => render('config-templates/t,/tmp/evil')).toThrow(/is a symlink/);
    symlinkSync('/', join(sandbox, 'up'));
    expect(() => render('config-templates/t,up/evil')).toThrow(/is a symlink/);
  });
});

describe('exec into a container', () => {
  it('goes through runc exec only for a task with a container folder', () => {
    const sandbox = join(dir, 'exec', 'sandboxes', 'cache-0-server');
    mkdirSync(sandbox, { recursive: true });
    expect(containerExecArgv(sandbox, 'cat', ['f'], false)).toBeUndefined();
    mkdirSync(join(dir, 'exec', 'containers', 'cache-0-server'), { recursive: true });
    writeFileSync(containerFile(sandbox), JSON.stringify({ runcRoot: '/svc/runc', id: 'svc__cache-0-server__1' }));
    expect(containerExecArgv(sandbox, 'cat', ['f'], true)).toEqual({ file: 'runc', args: ['--root', '/svc/runc', 'exec', '-t', 'svc__cache-0-server__1', 'cat', 'f'] });
  });
});
