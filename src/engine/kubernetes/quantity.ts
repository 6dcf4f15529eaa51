// Kubernetes resource quantities (`500m`, `4`, `8Gi`, `1G`, `1e3`) in the units svc counts:
// cpus, and MiB for memory and disk.

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The quantity's plain value, or NaN for one that is not a quantity. */
export function quantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = q.trim().match(/^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)$/);
  return m ? Number(m[1]) * (SUFFIX[m[2]] as number) : Number.NaN;
}

export const cpus = (q: string | number | undefined): number => quantity(q);
export const mebibytes = (q: string | number | undefined): number => quantity(q) / 2 ** 20;
/** cpus as the API writes them: millicores. */
export const cpuQuantity = (n: number): string => `${Math.max(1, Math.round(n * 1000))}m`;
export const mebibyteQuantity = (n: number): string => `${Math.max(1, Math.ceil(n))}Mi`;
