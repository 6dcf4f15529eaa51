// svc images prune: frees every image no container uses (their rootfs and their blobs).
import { imageCache } from '../../../engine/registry.js';
import { megabytes } from './list.js';

export async function pruneImages(svcHome: string): Promise<string> {
  const removed = await (await imageCache(svcHome)).prune();
  if (removed.length === 0) return 'nothing to prune\n';
  const freed = removed.reduce((n, r) => n + r.size, 0);
  return removed.map((r) => `removed ${r.ref} (${r.digest.slice(0, 19)})\n`).join('') + `${megabytes(freed)} freed\n`;
}
