import type { PythonObjectLostError } from './errors.js'
import type { CallOptions } from './module.js'

/** What a handle needs from the bridge that made it (the bridge's private engine, not the PythonBridge itself). */
export interface HandleHost {
  callObject(h: HandleState, method: string, args: unknown, options: CallOptions | undefined): Promise<unknown>
  getAttribute(h: HandleState, name: string, options: CallOptions | undefined): Promise<unknown>
  nextItems(h: HandleState): Promise<{ items: unknown[]; done: boolean }>
  closeIterator(h: HandleState): Promise<void>
  release(h: HandleState): Promise<void>
}

/** A handle's link to the object in Python. */
export interface HandleState {
  readonly host: HandleHost
  readonly id: number
  readonly type: string
  /** Set when released (by JS, or by Python when an iterator ended): any use then rejects. */
  released: boolean
  /** Why the object is gone, if its interpreter is. */
  lost(): PythonObjectLostError | undefined
}

/**
 * Which objects are PythonObject handles, and their link to Python: kept here, off the public class, so the codec can
 * recognise a handle without importing its class (the class imports the bridge, which imports the codec), and so a
 * handle's state is reachable only from inside pyport.
 */
const states = new WeakMap<object, HandleState>()

/** Called by the PythonObject constructor. */
export function brandHandle(handle: object, state: HandleState): void {
  states.set(handle, state)
}

/** A handle's state, or undefined if `value` is not a PythonObject. */
export function handleState(value: object): HandleState | undefined {
  return states.get(value)
}
