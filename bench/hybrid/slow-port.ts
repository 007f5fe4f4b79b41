/** The port of bench/hybrid/shadow-backlog.ts: the same answer as the stand-in Python function, 5 ms per call. */
export const PORT_MS = 5

export interface Payload {
  id: number
  title: string
  words: string[]
}

// Atomics.wait holds the worker thread for PORT_MS without burning CPU, so the port's pace does not depend on
// how busy the (shared) machine is, and it does not compete with the host thread for a core.
const sleeper = new Int32Array(new SharedArrayBuffer(4))

export function summarise(i: number, doc: Payload): { i: number; id: number; words: number } {
  return { i, id: doc.id, words: doc.words.length }
}

export default function slowPort(i: number, doc: Payload): { i: number; id: number; words: number } {
  Atomics.wait(sleeper, 0, 0, PORT_MS)
  return summarise(i, doc)
}
