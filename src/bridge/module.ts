import type { ModuleRef } from './module-spec.js'

/** Options of one call or one map. */
export interface CallOptions {
  /** Keyword arguments (an object with string keys). */
  kwargs?: Record<string, unknown>
  /** Overrides the bridge's timeoutMs for this call (0 or Infinity: none). */
  timeoutMs?: number
  /** Aborting rejects the call with `signal.reason` and replaces the interpreter running it. */
  signal?: AbortSignal | undefined
}

/** What a module handle calls through: the private engine of a PythonBridge or of a PythonPool. */
export interface ModuleCaller {
  call(ref: ModuleRef, fn: string, args: unknown, options: CallOptions | undefined): Promise<unknown>
  /** `indexBase` numbers failing items from there (a pool sends slices of one list). */
  map(ref: ModuleRef, fn: string, argsList: unknown, options: CallOptions | undefined, indexBase?: number): Promise<unknown[]>
}

let newModule: (caller: ModuleCaller, ref: ModuleRef) => PythonModule

/** The module handle import() returns (not exported from the package: users get modules from import()). */
export function createModule(caller: ModuleCaller, ref: ModuleRef): PythonModule {
  return newModule(caller, ref)
}

/** A Python module imported through a bridge or a pool: `await bridge.import('./agent.py')`. */
export class PythonModule {
  readonly #caller: ModuleCaller
  readonly #ref: ModuleRef

  private constructor(caller: ModuleCaller, ref: ModuleRef) {
    this.#caller = caller
    this.#ref = ref
  }

  static {
    newModule = (caller, ref) => new PythonModule(caller, ref)
  }

  /** The Python module name ('agent' for ./agent.py). */
  get name(): string {
    return this.#ref.name
  }

  /** Absolute path for a file import, null for a module name. */
  get file(): string | null {
    return this.#ref.file
  }

  /** Calls `fn(*args, **kwargs)` in Python. `fn` may be dotted ('Agent.score'). */
  call<T = unknown>(fn: string, args: readonly unknown[] = [], options?: CallOptions): Promise<T> {
    return this.#caller.call(this.#ref, fn, args, options) as Promise<T>
  }

  /**
   * Calls `fn(*args)` for every args array in one round trip; results in order. Every item runs even if
   * one raises; the call then rejects with the first failure by index (`error.index`).
   */
  map<T = unknown>(fn: string, argsList: readonly (readonly unknown[])[], options?: CallOptions): Promise<T[]> {
    return this.#caller.map(this.#ref, fn, argsList, options) as Promise<T[]>
  }
}
