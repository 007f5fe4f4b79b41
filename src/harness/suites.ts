import type { Suite } from './types.js'

/** Every `pyport bench --suite NAME`, loaded on demand so one suite's dependencies never slow another. */
export interface SuiteEntry {
  summary: string
  load: () => Promise<Suite>
  /** Where the suite's own defaults differ from --runs 5 --warmup 1 (each sample of the agents suite takes seconds). */
  defaults?: { runs?: number; warmup?: number; quickRuns?: number }
}

export const suites: Record<string, SuiteEntry> = {
  article: {
    summary: "the article's cpu_perf.py and io_perf.py beside TypeScript equivalents",
    load: async () => (await import('../../bench/article/suite.js')).articleSuite,
  },
  bridge: {
    summary: 'raw pythonia vs PythonBridge per call, map, payloads, PythonPool(2) on sum_primes, async def and concurrency: N',
    load: async () => (await import('../../bench/bridge/suite.js')).bridgeSuite,
  },
  profile: {
    summary: "pyport profile's accuracy and overhead on a known split, a threaded agent and an asyncio agent, and its ranking of cpu_perf.py",
    load: async () => (await import('../../bench/profile/suite.js')).profileSuite,
  },
  hybrid: {
    summary: 'the research agent: rank_documents in ts vs python mode, shadow overhead, pyport verify throughput',
    load: async () => (await import('../../bench/hybrid/suite.js')).hybridSuite,
  },
  agents: {
    summary: '5 → 500 agents that think and wait: Python threads, asyncio, processes, PythonPool, @port hybrid, TypeScript',
    load: async () => (await import('../../bench/agents/suite.js')).agentsSuite,
    defaults: { runs: 3, warmup: 0, quickRuns: 1 },
  },
}

export function suiteNames(): string[] {
  return Object.keys(suites)
}
