// Counters the scheduler keeps, under the original's metric names (rest-api.md §9).
export class Metrics {
  private readonly counters = new Map<string, number>();

  count(name: string, n = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + n);
  }

  snapshot(): ReadonlyMap<string, number> {
    return this.counters;
  }
}
