export interface Settings {
  quick: boolean;
  reps: number;
  /** Events per throughput run (16 and 256 publishers, raw limit). */
  events: number;
  singlePublisherEvents: number;
  naiveEvents: number;
  latencySeconds: number;
  latencyRates: number[];
  fanoutEvents: number;
  scaleSizes: number[];
  memoryBehind: number;
  peerJobs: number;
}

export function settingsFor(quick: boolean, target: string, repsOverride?: number): Settings {
  const sqlite = target === 'sqlite';
  if (quick) {
    return {
      quick,
      reps: repsOverride ?? 1,
      events: 5_000,
      singlePublisherEvents: 500,
      naiveEvents: 500,
      latencySeconds: 0.5,
      latencyRates: [1000],
      fanoutEvents: 2_000,
      scaleSizes: [10_000],
      memoryBehind: 20_000,
      peerJobs: 200,
    };
  }
  return {
    quick,
    reps: repsOverride ?? 5,
    events: sqlite ? 200_000 : 50_000,
    singlePublisherEvents: sqlite ? 10_000 : 3_000,
    naiveEvents: sqlite ? 10_000 : 5_000,
    latencySeconds: 3,
    latencyRates: [1000, 10_000],
    fanoutEvents: sqlite ? 50_000 : 20_000,
    scaleSizes: [10_000, 100_000, 1_000_000],
    memoryBehind: 1_000_000,
    peerJobs: 3_000,
  };
}
