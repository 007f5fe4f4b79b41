import { inspect } from 'node:util'
import { PyportArgumentError } from '../errors.js'
import { PythonObjectLostError } from './errors.js'
import { brandHandle, handleState, type HandleState } from './handle-brand.js'
import type { CallOptions } from './module.js'

let newObject: (state: HandleState) => PythonObject
let newIterator: (state: HandleState) => PythonIterator

/** A handle for an object in Python (not exported from the package: users get handles from calls, never make them). */
export function createHandle(state: HandleState, kind: 'obj' | 'iter'): PythonObject {
  return kind === 'iter' ? newIterator(state) : newObject(state)
}

/**
 * A Python object that has no exact value mapping (an instance of a user class, a datetime, an open file...),
 * kept in its interpreter and used from JS: `call` its methods, `get` its attributes, pass it back as an argument
 * (Python gets the very same object). Release it when done (`await obj.release()`, or `await using`); a handle
 * dropped without release is released when garbage-collected.
 */
export class PythonObject {
  readonly #state: HandleState

  /** Handles are made by the bridge: a call or an attribute returns them (see createHandle). */
  protected constructor(state: HandleState) {
    this.#state = state
    brandHandle(this, state)
  }

  static {
    newObject = (state) => new PythonObject(state)
  }

  /** The qualified Python type name, e.g. 'agent.Agent' or 'datetime.datetime'. */
  get type(): string {
    return this.#state.type
  }

  /** True once released (by you, or by Python when an iterator ended). */
  get released(): boolean {
    return this.#state.released
  }

  /** Calls `obj.method(*args, **kwargs)`; an `async def` method is awaited. The result is a value or a handle. */
  call<T = unknown>(method: string, args: readonly unknown[] = [], options?: CallOptions): Promise<T> {
    const state = this.#state
    return (
      typeof method !== 'string' || method === ''
        ? Promise.reject(
            new PyportArgumentError({
              owner: 'PythonObject.call',
              argument: 'method',
              expected: 'the method name as a non-empty string',
              value: method,
            }),
          )
        : (usable(state) ?? state.host.callObject(state, method, args, options))
    ) as Promise<T>
  }

  /** Reads `obj.attr`: a value, or a handle. */
  get<T = unknown>(name: string, options?: CallOptions): Promise<T> {
    const state = this.#state
    return (
      typeof name !== 'string' || name === ''
        ? Promise.reject(
            new PyportArgumentError({
              owner: 'PythonObject.get',
              argument: 'name',
              expected: 'the attribute name as a non-empty string',
              value: name,
            }),
          )
        : (usable(state) ?? state.host.getAttribute(state, name, options))
    ) as Promise<T>
  }

  /** Lets Python free the object. Idempotent; any later use rejects with PythonObjectLostError('released'). */
  release(): Promise<void> {
    const state = this.#state
    if (state.released || state.lost()) {
      state.released = true
      return Promise.resolve()
    }
    return state.host.release(state)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.release()
  }

  [inspect.custom](): string {
    return `PythonObject<${this.type}${this.released ? ', released' : ''}>`
  }
}

function usable(state: HandleState): Promise<never> | undefined {
  if (state.released) return Promise.reject(new PythonObjectLostError(state.type, 'released', undefined))
  const lost = state.lost()
  return lost ? Promise.reject(lost) : undefined
}

/**
 * A Python iterator, generator or async generator, streamed: `for await (const item of it)`. Items come in
 * batches; breaking out of the loop closes the Python generator (its finally blocks run); an exception raised in
 * it rejects the iteration with PythonError, after every item yielded before it.
 */
export class PythonIterator<T = unknown> extends PythonObject implements AsyncIterableIterator<T> {
  static {
    newIterator = (state) => new PythonIterator(state)
  }

  #buffer: T[] = []
  #ended = false
  /** The batch being fetched: a `break` waits for it before closing the generator. */
  #fetching: Promise<{ items: unknown[]; done: boolean }> | undefined

  async next(): Promise<IteratorResult<T, undefined>> {
    if (this.#buffer.length === 0 && !this.#ended) await this.#fill()
    if (this.#buffer.length > 0) return { value: this.#buffer.shift() as T, done: false }
    return { value: undefined, done: true }
  }

  /** Stops early (a `break`): closes the generator in Python, so its finally blocks run. */
  async return(): Promise<IteratorResult<T, undefined>> {
    this.#buffer = []
    if (!this.#ended) {
      this.#ended = true
      await this.#fetching?.catch(() => undefined) // a batch in flight must land before the generator is closed
      const state = this.#handle
      if (!state.released && !state.lost()) await state.host.closeIterator(state)
    }
    return { value: undefined, done: true }
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  get #handle(): HandleState {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- every PythonObject gets its state when it is made
    return handleState(this)!
  }

  async #fill(): Promise<void> {
    const state = this.#handle
    const failed = usable(state)
    if (failed) {
      this.#ended = true
      return failed
    }
    let batch: { items: unknown[]; done: boolean }
    try {
      this.#fetching = state.host.nextItems(state)
      batch = await this.#fetching
    } catch (err) {
      this.#ended = true // Python released it
      state.released = true
      throw err
    } finally {
      this.#fetching = undefined
    }
    this.#buffer.push(...(batch.items as T[]))
    if (batch.done) {
      this.#ended = true
      state.released = true
    }
  }
}
