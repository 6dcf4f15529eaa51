// The channel between the local engine (in the scheduler) and its executor hosts: Unix sockets in a
// runtime folder only the service's owner can enter, and a per-service secret every connection must
// send first. Anyone else on the machine can neither reach a socket nor, reaching it, be heard: no
// launch, no open, no stream of statuses.
//   /tmp/svc-<uid>/                    0700, owned by the user (checked, never trusted blindly)
//   /tmp/svc-<uid>/<service hash>/     0700, one per service home; sockets named by their folder's hash
//   <service home>/channel.secret      0600, 32 random bytes, hex
// Socket paths stay far below the 108-byte sun_path limit whatever the service home's length.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync, mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync, fstatSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';

export interface Channel {
  /** Folder of the service's sockets. */
  readonly runtimeDir: string;
  readonly secret: string;
}

const hash = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);
const uid = () => process.getuid?.() ?? 0;

/** `/tmp/svc-<uid>/<hash of the service home>`: where the service's sockets live. */
export const runtimeDirOf = (root: string): string => join('/tmp', `svc-${uid()}`, hash(root, 16));

/** The socket of the process serving `dir` (an agent's host, or a pod instance's executor). */
export const socketPath = (ch: Channel, dir: string): string => join(ch.runtimeDir, `${hash(dir, 24)}.sock`);

/** Makes `dir` (0700) if missing, and refuses it unless it is a real folder of ours that nobody else may enter. */
function privateDir(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new Error(`refusing runtime folder ${dir}: not a folder (a symlink or a file is in its place)`);
  if (st.uid !== uid()) throw new Error(`refusing runtime folder ${dir}: owned by uid ${st.uid}, not by this user (uid ${uid()})`);
  if ((st.mode & 0o077) !== 0) throw new Error(`refusing runtime folder ${dir}: mode ${(st.mode & 0o777).toString(8)}, expected 700`);
}

const secretFile = (root: string) => join(root, 'channel.secret');

/**
 * The service's channel: its runtime folder (made and checked) and its secret. `create` makes the
 * secret when there is none (the engine); executor hosts only read it.
 */
export function openChannel(root: string, create: boolean): Channel {
  const runtimeDir = runtimeDirOf(root);
  privateDir(join(runtimeDir, '..'));
  privateDir(runtimeDir);
  return { runtimeDir, secret: readSecret(secretFile(root), create) };
}

function readSecret(file: string, create: boolean): string {
  if (create) {
    try {
      const fd = openSync(file, 'wx', 0o600); // of two racing creators, one writes it
      try {
        writeSync(fd, randomBytes(32).toString('hex'));
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    if (st.uid !== uid() || (st.mode & 0o077) !== 0) throw new Error(`refusing ${file}: it must be owned by uid ${uid()} and readable by it alone (mode 600)`);
    const secret = readFileSync(fd, 'utf8').trim();
    if (secret.length < 32) throw new Error(`refusing ${file}: too short to be a secret`);
    return secret;
  } finally {
    closeSync(fd);
  }
}

/** Removes the service's runtime folder (uninstall). */
export function removeRuntimeDir(root: string): void {
  rmSync(runtimeDirOf(root), { recursive: true, force: true });
}

const AUTH_TIMEOUT_MS = 5_000;

/** The first line every client sends. */
export const authLine = (ch: Channel): string => JSON.stringify({ op: 'auth', secret: ch.secret }) + '\n';

function secretMatches(given: unknown, want: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Reads JSON lines from an accepted connection. The first must carry the secret, within a few
 * seconds; otherwise, or on any line that is not JSON, the connection is dropped unheard.
 * `onAuthenticated` runs once the peer proved it is the engine, before its first message.
 */
export function acceptLines<T>(sock: Socket, ch: Channel, onAuthenticated: () => void, onMessage: (msg: T) => void): void {
  let authed = false;
  const timer = setTimeout(() => sock.destroy(), AUTH_TIMEOUT_MS);
  timer.unref();
  sock.on('close', () => clearTimeout(timer));
  readJsonLines(sock, (msg) => {
    if (authed) return onMessage(msg as T);
    const m = msg as { op?: unknown; secret?: unknown } | null;
    if (!m || m.op !== 'auth' || !secretMatches(m.secret, ch.secret)) return void sock.destroy();
    authed = true;
    clearTimeout(timer);
    onAuthenticated();
  });
}

/** Calls `onMessage` for each complete JSON line; a line that is not JSON drops the connection. */
export function readJsonLines(sock: Socket, onMessage: (msg: unknown) => void): void {
  let buf = '';
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0 && !sock.destroyed) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.trim()) continue;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        sock.destroy();
        return;
      }
      onMessage(msg);
    }
  });
}

/** Connects to the process serving `dir` and proves who we are. */
export function dialDir(ch: Channel, dir: string): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const s = connect(socketPath(ch, dir));
    s.once('connect', () => {
      s.write(authLine(ch));
      resolve(s);
    });
    s.once('error', reject);
  });
}
