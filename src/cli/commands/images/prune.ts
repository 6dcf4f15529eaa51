// svc images prune: frees every image no container uses (their rootfs and their blobs).
import { ImageStore, imagesDir, imageUses } from '../../../engine/local/images.js';
import { megabytes } from './list.js';

export async function pruneImages(svcHome: string): Promise<string> {
  const inUse = new Set(imageUses(svcHome).flatMap((u) => [u.ref, ...(u.digest ? [u.digest] : [])]));
  const removed = await new ImageStore(imagesDir(svcHome)).prune(inUse);
  if (removed.length === 0) return 'nothing to prune\n';
  const freed = removed.reduce((n, r) => n + r.size, 0);
  return removed.map((r) => `removed ${r.ref} (${r.digest.slice(0, 19)})\n`).join('') + `${megabytes(freed)} freed\n`;
}
