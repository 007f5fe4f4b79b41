import type { PortRunOptions } from './worker-pool-options.js'

/**
 * What hybrid() needs of a port that runs off the caller's thread: call it with arguments and an optional timeout,
 * and how many calls it runs at once. WorkerPool is the one implementation.
 */
export interface PortRunner {
  /** Calls it runs at once; more wait for a free thread. */
  readonly threads: number
  /** Calls the port as `port(...args)`; rejects with a PortFault (or PortError when the port threw). */
  apply<R = unknown>(args: readonly unknown[], options?: PortRunOptions): Promise<R>
}
