// The `openssl` binary as our X.509 toolkit: certificate signing and PKCS#12 are done by it, not by
// hand-rolled ASN.1 (node:crypto makes keys and parses certificates but cannot sign one). Private
// keys reach it on stdin (/dev/stdin), never through a file.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export class TlsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsError';
  }
}

/** The first executable `name` on PATH, if any. */
export function which(name: string, path = process.env.PATH ?? ''): string | undefined {
  return path.split(delimiter).map((d) => join(d, name)).find((f) => existsSync(f));
}

export function opensslBinary(): string {
  const bin = which('openssl');
  if (!bin) throw new TlsError('not supported: transport-encryption needs the openssl binary on PATH (Debian/Ubuntu: apt-get install openssl)');
  return bin;
}

/** Runs a tool with `stdin`; resolves with its stdout, rejects with its stderr's last lines. */
export function run(bin: string, args: readonly string[], stdin: Buffer | string = '', cwd?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new TlsError(`${bin} could not run: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new TlsError(`${bin} ${args[0]} failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' ')}`));
    });
    child.stdin.on('error', () => {}); // a tool that exits early closes its stdin: its exit code tells why
    child.stdin.end(stdin);
  });
}

/**
 * openssl with `stdin` readable as /dev/stdin. Node's child stdin is a socket, which openssl cannot
 * open(2) by that name, so `cat` relays it into a kernel pipe; the key stays in memory all along.
 */
export const opensslRun = (args: readonly string[], stdin?: Buffer | string, cwd?: string): Promise<Buffer> =>
  run('/bin/sh', ['-c', 'cat | exec "$0" "$@"', opensslBinary(), ...args], stdin, cwd).catch((e: Error) => {
    throw new TlsError(e.message.replace(/^\/bin\/sh -c failed/, `openssl ${args[0]} failed`));
  });
