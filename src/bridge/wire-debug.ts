/**
 * `PYPORT_DEBUG=wire` (in the host's environment or the bridge's `env` option; `wire` is one topic of the
 * comma-separated list src/util/debug.ts reads, and `all` or `1` turn on every topic): every line on the channel
 * between the host and an interpreter is printed to stderr as it is written or read, one line each, cut to
 * WIRE_CHARS characters: `pyport wire <pid> -> <line>` (to Python) or `<- <line>` (from Python).
 * Off by default; meant for debugging the protocol, as pythonia's own DEBUG is.
 */
import { debugOn } from '../util/debug.js'

/** Characters of a message shown; the rest is counted, not printed. */
export const WIRE_CHARS = 300

/** Whether `env` turns the wire log on. */
export function wireDebugOn(env: Record<string, string | undefined>): boolean {
  return debugOn('wire', env)
}

/** Prints one message on the channel: '->' host to Python, '<-' Python to host. */
export function logWire(direction: '->' | '<-', pid: number | undefined, line: string): void {
  const shown = line.length > WIRE_CHARS ? `${line.slice(0, WIRE_CHARS)}… (${line.length} characters)` : line
  process.stderr.write(`pyport wire ${pid ?? '?'} ${direction} ${shown}\n`)
}
