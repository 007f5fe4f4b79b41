/** The messages between WorkerPool and port-worker.js (structured clone, so Map/Set/bigint/bytes cross as-is). */

export interface PortTask {
  /** Arguments spread into the port function. */
  args: unknown[]
  /** Only load the module and check its export (WorkerPool.ready()). */
  probe?: boolean
}

export type PortReply =
  /** `ms`: time inside the worker, without queueing or transfer (what `pyport verify` reports as port latency). */
  | { ok: true; value: unknown; ms: number }
  /** The module cannot be used: PortLoadError's reason and fields, as data. */
  | { ok: false; kind: 'load'; reason: 'import-failed' | 'no-export' | 'not-callable'; detail?: string; callableExports?: string[] }
  /** The port returned something structured clone cannot copy back; `message` says what and where. */
  | { ok: false; kind: 'unsendable'; message: string }
  | { ok: false; kind: 'throw'; name: string; message: string; stack?: string }

export interface PortWorkerData {
  portUrl: string
  exportName: string
}
