// svc images list: what the image store holds and which containers use it.
import { ImageStore, imagesDir, imageUses } from '../../../engine/local/images.js';
import { renderColumns } from '../../render/tree.js';
import { toJson } from '../shared.js';

export function listImages(svcHome: string, json: boolean): string {
  const uses = imageUses(svcHome);
  const rows = new ImageStore(imagesDir(svcHome)).list().map((r) => ({ ...r, usedBy: uses.filter((u) => u.digest === r.digest).map((u) => `${u.service}/${u.task}`).sort() }));
  if (json) return toJson(rows);
  if (rows.length === 0) return 'no images (pods with `image:` pull theirs at launch)\n';
  return renderColumns(
    ['REFERENCE', 'DIGEST', 'SIZE', 'USED BY'],
    rows.map((r) => [r.ref, r.digest.slice(0, 19), megabytes(r.size), r.usedBy.join(',') || '-']),
  );
}

export const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
