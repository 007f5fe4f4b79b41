/**
 * PYPORT_DEBUG: one comma-separated list of debug topics, the one place it is read.
 * - `wire`: every message on the channel between the host and an interpreter is printed to stderr (src/bridge/wire-debug.ts);
 * - `stack`: the CLI prints the stack of an error it reports (src/cli/run-cli.ts);
 * - `all` or `1`: every topic.
 * Words are trimmed and case-insensitive; unknown words are ignored. Unset or empty: no topic.
 */

/** The topics PYPORT_DEBUG can turn on. */
export const DEBUG_TOPICS = ['wire', 'stack'] as const
export type DebugTopic = (typeof DEBUG_TOPICS)[number]

/** Words that turn on every topic. */
const EVERY = new Set(['all', '1'])

/** The topics `env`'s PYPORT_DEBUG turns on. */
export function debugTopics(env: Record<string, string | undefined> = process.env): Set<DebugTopic> {
  const words = (env['PYPORT_DEBUG'] ?? '').split(',').map((w) => w.trim().toLowerCase())
  if (words.some((w) => EVERY.has(w))) return new Set(DEBUG_TOPICS)
  return new Set(DEBUG_TOPICS.filter((t) => words.includes(t)))
}

/** Whether `env`'s PYPORT_DEBUG turns `topic` on. */
export function debugOn(topic: DebugTopic, env: Record<string, string | undefined> = process.env): boolean {
  return debugTopics(env).has(topic)
}
