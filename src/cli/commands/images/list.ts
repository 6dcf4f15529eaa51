// svc images list: what the image store holds and which containers use it.
import { imageCache } from '../../../engine/registry.js';
import { renderColumns } from '../../render/tree.js';
import { toJson } from '../shared.js';

export async function listImages(svcHome: string, json: boolean): Promise<string> {
  const rows = (await imageCache(svcHome)).list();
  if (json) return toJson(rows);
  if (rows.length === 0) return 'no images (pods with `image:` pull theirs at launch)\n';
  return renderColumns(
    ['REFERENCE', 'DIGEST', 'SIZE', 'USED BY'],
    rows.map((r) => [r.ref, r.digest.slice(0, 19), megabytes(r.size), r.usedBy.join(',') || '-']),
  );
}

export const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
