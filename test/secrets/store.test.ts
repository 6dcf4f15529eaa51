import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretStore, mayRead, validateSecretPath } from '../../src/secrets/index.js';
import { checkScope } from '../../src/secrets/paths.js';

const dirs: string[] = [];
function fresh() {
  const root = mkdtempSync(join(tmpdir(), 'svc-secrets-'));
  dirs.push(root);
  const home = join(root, 'home');
  const keyFile = join(root, 'config', 'svc', 'secret.key');
  return { root, home, keyFile, store: new SecretStore(home, keyFile) };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('secret store', () => {
  it('keeps values encrypted in 0600 files of a 0700 folder, with the key elsewhere', () => {
    const { home, keyFile, store } = fresh();
    store.create('hello-world/secret1', Buffer.from('top-secret-value-42'));
    expect(store.get('hello-world/secret1').toString()).toBe('top-secret-value-42');
    expect(statSync(join(home, '.secrets')).mode & 0o777).toBe(0o700);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    for (const f of readdirSync(join(home, '.secrets'))) {
      expect(statSync(join(home, '.secrets', f)).mode & 0o777).toBe(0o600);
      const text = readFileSync(join(home, '.secrets', f), 'utf8');
      expect(text).not.toContain('top-secret-value-42');
      expect(text).not.toContain(Buffer.from('top-secret-value-42').toString('base64'));
    }
  });

  it('creates, refuses a second create, updates with a new version digest, lists and deletes', () => {
    const { store } = fresh();
    store.create('hello-world/a', Buffer.from('1'));
    expect(() => store.create('hello-world/a', Buffer.from('2'))).toThrow(/already exists/);
    const v1 = store.versionDigest('hello-world/a');
    store.update('hello-world/a', Buffer.from('1'));
    expect(store.versionDigest('hello-world/a')).not.toBe(v1);
    store.create('other/b', Buffer.from('3'));
    expect(store.list().map((s) => s.path)).toEqual(['hello-world/a', 'other/b']);
    expect(store.list('hello-world/').map((s) => s.path)).toEqual(['hello-world/a']);
    store.delete('hello-world/a');
    expect(() => store.get('hello-world/a')).toThrow(/no secret hello-world\/a/);
    expect(() => store.update('nope/x', Buffer.from('1'))).toThrow(/no secret nope\/x/);
  });

  it('refuses a key readable by others and a key inside the folder it protects', () => {
    const { home, keyFile, store } = fresh();
    store.create('s/a', Buffer.from('x'));
    chmodSync(keyFile, 0o644);
    expect(() => new SecretStore(home, keyFile).get('s/a')).toThrow(/readable by others/);
    expect(() => new SecretStore(home, join(home, 'secret.key')).create('s/b', Buffer.from('x'))).toThrow(/inside/);
  });

  it('fails loudly when a blob is moved to another path or the key changes', () => {
    const { root, home, store } = fresh();
    store.create('s/a', Buffer.from('x'));
    store.create('s/b', Buffer.from('y'));
    const other = new SecretStore(home, join(root, 'other.key'));
    other.encryptionKey(true);
    expect(() => other.get('s/a')).toThrow(/cannot be decrypted/);
    const files = readdirSync(join(home, '.secrets'));
    const a = JSON.parse(readFileSync(join(home, '.secrets', files[0]), 'utf8'));
    const b = JSON.parse(readFileSync(join(home, '.secrets', files[1]), 'utf8'));
    writeFileSync(join(home, '.secrets', files[0]), JSON.stringify({ ...b, path: a.path }));
    expect(() => store.get(a.path)).toThrow(/cannot be decrypted/);
  });

  it.each(['', '/etc/passwd', '../x', 'a/../../b', 'a//b', 'a/./b', 'a/', 'a b', 'a/\u0000', 'a\\..\\b', '-rf'])('refuses the hostile path %j', (p) => {
    expect(() => validateSecretPath(p)).toThrow();
    expect(() => fresh().store.create(p, Buffer.from('x'))).toThrow();
  });
});

describe('secret scope', () => {
  it.each([
    ['hello-world', 'hello-world/secret1', true],
    ['hello-world', 'hello-world/hello/somePath/secret1', true],
    ['/hello-world', 'hello-world/secret1', true],
    ['dev/kafka', 'dev/shared', true],
    ['dev/kafka', 'dev/kafka/password', true],
    ['hello-world', 'other/secret1', false],
    ['hello-world', 'secret1', false],
    ['hello-world', 'hello-world2/secret', false],
    ['dev/kafka', 'dev/kafka2/x', false],
    ['dev/kafka', 'prod/x', false],
  ])('%s reading %s: %s', (svc, path, ok) => {
    expect(mayRead(svc, path)).toBe(ok);
  });

  it('names the field, the path and the service when refusing', () => {
    expect(() => checkScope('hello-world', 'other/x', 'pods.hello.secrets.s1.secret')).toThrow(/pods\.hello\.secrets\.s1\.secret: secret "other\/x" is outside the scope of service "hello-world"/);
  });
});
