/** Typed errors of hybrid(), recording and replay: each names what was wrong and how to fix it. */

/** A bad hybrid() option, mode name, environment variable or config file. Thrown when hybrid() is created. */
export class HybridConfigError extends Error {
  override name = 'HybridConfigError'
}

/** A value that cannot be written to a record losslessly (a function, a symbol, a class instance, a cycle). */
export class RecordEncodeError extends Error {
  override name = 'RecordEncodeError'
}

/** A corpus file that cannot be read at all (missing, a directory, empty). Bad lines are reported per line instead. */
export class CorpusError extends Error {
  override name = 'CorpusError'
}
