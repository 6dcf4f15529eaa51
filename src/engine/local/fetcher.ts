// The uris fetcher: downloads (http, https) or copies (file:, absolute paths) each URI into the
// sandbox before the task starts, and extracts .tar.gz/.tgz/.tar/.zip archives there.
import { execFile } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const FETCH_TIMEOUT_MS = 60_000;

export async function fetchUri(uri: string, sandbox: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(uri.startsWith('/') ? `file://${uri}` : uri);
  } catch {
    throw new Error(`fetch of ${uri} failed: not a URI`);
  }
  const name = basename(url.pathname) || 'download';
  const dest = join(sandbox, name);
  try {
    if (url.protocol === 'file:') await copyFile(fileURLToPath(url), dest);
    else if (url.protocol === 'http:' || url.protocol === 'https:') {
      const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await writeFile(dest, Buffer.from(await res.arrayBuffer()));
    } else throw new Error(`not supported: ${url.protocol} URIs`);
    if (/\.(tar\.gz|tgz|tar)$/.test(name)) await run('tar', ['-xf', dest, '-C', sandbox]);
    else if (/\.zip$/.test(name)) await run('unzip', ['-o', '-q', dest, '-d', sandbox]);
  } catch (e) {
    throw new Error(`fetch of ${uri} failed: ${(e as Error).message}`);
  }
  return dest;
}
