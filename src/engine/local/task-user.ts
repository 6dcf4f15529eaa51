// Tasks run as the spec's user (`scheduler.user`) when svc runs as root, as a cluster agent would
// run them: root only when the spec asks for root. The user must exist and reach its sandbox; the
// engine's own folders from the service home down to the sandbox and volumes are made searchable
// (o+x, never listable), the sandbox and volume folders given to the user.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export interface TaskUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/** The user's passwd entry (NSS included, through getent), or undefined when there is none. */
export function lookupUser(name: string): TaskUser | undefined {
  const r = spawnSync('getent', ['passwd', name], { encoding: 'utf8' });
  const line = r.status === 0 ? r.stdout.split('\n')[0] : undefined;
  const f = line?.split(':');
  if (!f || f.length < 7 || f[0] !== name) return undefined;
  return { name, uid: Number(f[2]), gid: Number(f[3]), home: f[5] };
}

export const runsAsRoot = (): boolean => process.getuid?.() === 0;

/**
 * Whom tasks of a spec whose `scheduler.user` is `name` run as: undefined for svc's own user (svc is
 * not root, or the spec asks for root), else the user, or an error naming it and the field.
 */
export function taskUser(name: string | undefined): { user?: TaskUser } | { error: string } {
  if (!runsAsRoot() || !name || name === 'root') return {};
  const user = lookupUser(name);
  if (!user) return { error: `user "${name}" (scheduler.user) does not exist on this machine: create it, or set scheduler.user to an existing user` };
  return { user };
}

/** True when `user` may search (x) the folder `dir`, from its mode and owner. */
function searchable(dir: string, user: TaskUser): boolean {
  const st = statSync(dir);
  if (st.uid === user.uid) return (st.mode & 0o100) !== 0;
  if (st.gid === user.gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

function chownTree(path: string, user: TaskUser): void {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return; // volume links: their targets are handled on their own
  chownSync(path, user.uid, user.gid);
  if (st.isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e), user);
}

/**
 * Lets `user` reach and own its sandbox and volumes: folders from `serviceRoot` down become
 * searchable by others, the sandbox (recursively), each volume folder and each file delivered into the
 * sandbox (`delivered`, relative: a secret under a volume's path is in the volume) become the
 * user's. Throws when a folder above the service home does not let the user through, naming it.
 */
export function grantTaskUser(user: TaskUser, serviceRoot: string, sandbox: string, volumes: readonly string[], delivered: readonly string[] = []): void {
  for (const target of [sandbox, ...volumes]) {
    // above the service: only checked, never changed
    for (let d = dirname(serviceRoot); ; d = dirname(d)) {
      if (!searchable(d, user)) throw new Error(`user "${user.name}" (scheduler.user) cannot reach ${target}: ${d} is not searchable by it (mode ${(statSync(d).mode & 0o777).toString(8)}); allow it (chmod o+x ${d}) or set SVC_HOME to a folder it can reach`);
      if (d === dirname(d)) break;
    }
    // the service's own folders down to the target's parent: search only, never listing
    const chain = [serviceRoot];
    for (const part of relative(serviceRoot, dirname(target)).split(sep).filter(Boolean)) chain.push(join(chain[chain.length - 1], part));
    for (const d of chain) {
      const mode = statSync(d).mode & 0o777;
      if ((mode & 0o001) === 0) chmodSync(d, mode | 0o001);
    }
  }
  chownTree(sandbox, user);
  for (const v of volumes) chownSync(v, user.uid, user.gid);
  for (const f of delivered) chownSync(join(sandbox, f), user.uid, user.gid);
}
