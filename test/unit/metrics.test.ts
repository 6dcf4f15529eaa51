// What the scheduler records about itself: the offers.process timer, revive/suppress counting, the
// offer evaluation log behind GET /v2/debug/offers and the offer text of its entries.
import { describe, expect, it } from 'vitest';
import type { Agent, Reservation } from '../../src/engine/types.js';
import { renderOffers } from '../../src/cli/render/offers.js';
import { Metrics, OfferLog, offerText } from '../../src/scheduler/metrics.js';

const clock = () => {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
};

describe('timer', () => {
  it('records durations in seconds with Dropwizard quantiles and rates', () => {
    const c = clock();
    const m = new Metrics(c.now);
    for (const ms of [1, 2, 3, 4]) {
      const done = m.startTimer('offers.process');
      c.advance(ms);
      done();
    }
    c.advance(10_000 - 10);
    const t = m.timerSnapshot()['offers.process'];
    expect(t).toMatchObject({ count: 4, min: 0.001, max: 0.004, mean: 0.0025, p50: 0.0025, p999: 0.004, duration_units: 'seconds', rate_units: 'calls/second' });
    expect(t.stddev).toBeCloseTo(0.00129, 5);
    expect(t.mean_rate).toBeCloseTo(0.4); // 4 calls in 10 s
    expect(t.m1_rate).toBeCloseTo(0.8 * Math.exp(-5 / 60), 5); // the first tick sets 4 calls / 5 s, a quiet tick decays it
  });

  it('has no timers before the first measurement', () => {
    expect(new Metrics().timerSnapshot()).toEqual({});
  });
});

describe('revives and suppresses', () => {
  it('revives when a step newly wants resources or work resumes while idle; suppresses once when idle', () => {
    const m = new Metrics();
    const counts = () => Object.fromEntries(m.snapshot());
    m.trackWork(['a'], true);
    m.trackWork(['a'], true); // still the same step waiting: no revive
    m.trackWork([], true); // launched, still working: neither
    expect([counts(), m.suppressed]).toEqual([{ revives: 1 }, false]);
    m.trackWork(['b'], true);
    m.trackWork([], false);
    m.trackWork([], false);
    expect([counts(), m.suppressed]).toEqual([{ revives: 2, suppresses: 1 }, true]);
    m.trackWork([], true); // e.g. a plan restarted whose steps wait for their turn
    expect([counts(), m.suppressed]).toEqual([{ revives: 3, suppresses: 1 }, false]);
  });
});

const agent = (id: string): Agent => ({ id, hostname: `${id}.local`, ip: '127.0.0.2', zone: '', region: '', resources: { cpus: 2, mem: 1024, disk: 100, portRanges: [[1000, 1010]] } });
const reservation = (agentId: string, ports: number[]): Reservation => ({
  id: 'r1',
  agentId,
  podInstance: 'cache-0',
  cpus: 0.5,
  mem: 128,
  disk: 16,
  volumes: [],
  ports: ports.map((port, i) => ({ name: `p${i}`, port })),
});

describe('offer evaluations', () => {
  it('writes each agent with its free resources as a Mesos offer in text form', () => {
    expect(offerText([agent('a1'), agent('a2')], [reservation('a1', [1000, 1005])]).split('\n')).toEqual([
      'slave_id { value: "a1" } hostname: "a1.local" resources { name: "cpus" type: SCALAR scalar { value: 1.5 } } resources { name: "mem" type: SCALAR scalar { value: 896 } } resources { name: "disk" type: SCALAR scalar { value: 84 } } resources { name: "ports" type: RANGES ranges { range { begin: 1001 end: 1004 } range { begin: 1006 end: 1010 } } }',
      'slave_id { value: "a2" } hostname: "a2.local" resources { name: "cpus" type: SCALAR scalar { value: 2 } } resources { name: "mem" type: SCALAR scalar { value: 1024 } } resources { name: "disk" type: SCALAR scalar { value: 100 } } resources { name: "ports" type: RANGES ranges { range { begin: 1000 end: 1010 } } }',
    ]);
  });

  it('counts outcomes, reasons and rejected agents over the last 100, and the CLI still renders them', () => {
    const log = new OfferLog();
    const fail = (t: number) =>
      log.record({ evaluation: { timestamp: t, 'pod-instance-name': 'cache-1:[server]', outcome: 'fail', explanation: ['a1: insufficient cpus: 0 free, 1 needed'] }, offer: () => 'o1', rejectedAgents: ['a1'] });
    for (let t = 0; t < 101; t++) fail(t);
    log.record({ evaluation: { timestamp: 200, 'pod-instance-name': 'cache-0:[server]', outcome: 'pass', explanation: ['placed on a2'] }, offer: () => 'o2', rejectedAgents: [] });
    const json = log.json();
    expect(json.offers.at(-1)).toEqual({ timestamp: 200, 'pod-instance-name': 'cache-0:[server]', outcome: 'pass', explanation: ['placed on a2'], offer: 'o2' });
    expect({ ...json, offers: json.offers.length }).toEqual({
      acceptedCount: 1,
      rejectedCount: 99,
      failureReasons: { 'a1: insufficient cpus: 0 free, 1 needed': 99 },
      rejectedAgents: { a1: 99 },
      offers: 100,
    });
    expect(renderOffers(json)).toBe(
      '100 offer evaluations: 1 accepted, 99 rejected\n\nRejections by reason:\n  99  a1: insufficient cpus: 0 free, 1 needed\n\nNot placed at their last evaluation:\n  cache-1:[server]\n    - a1: insufficient cpus: 0 free, 1 needed\n',
    );
  });
});
