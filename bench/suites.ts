// The list of `pyport bench` suites. It lives under bench/ because the suites do: bench/ imports src/, never the
// other way round. src/cli/bench.ts loads this file at run time, by a path under the package root.
import type { SuiteEntry } from '../src/harness/types.js'

export const suites: Record<string, SuiteEntry> = {
  article: {
    summary: "the article's cpu_perf.py and io_perf.py beside TypeScript equivalents",
    load: async () => (await import('./article/suite.js')).articleSuite,
  },
  bridge: {
    summary: 'raw pythonia vs PythonBridge per call, map, payloads, PythonPool(2) on sum_primes, async def and concurrency: N',
    load: async () => (await import('./bridge/suite.js')).bridgeSuite,
  },
  profile: {
    summary:
      "pyport profile's accuracy and overhead on a known split, a threaded agent and an asyncio agent, and its ranking of cpu_perf.py",
    load: async () => (await import('./profile/suite.js')).profileSuite,
  },
  hybrid: {
    summary: 'the research agent: rank_documents in ts vs python mode, shadow overhead, pyport verify throughput',
    load: async () => (await import('./hybrid/suite.js')).hybridSuite,
  },
  agents: {
    summary: '5 → 500 agents that think and wait: Python threads, asyncio, processes, PythonPool, @port hybrid, TypeScript',
    load: async () => (await import('./agents/suite.js')).agentsSuite,
    defaults: { runs: 3, warmup: 0, quickRuns: 1 },
  },
}

export function suiteNames(): string[] {
  return Object.keys(suites)
}
