import type { HandleState } from './handles.js'

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
