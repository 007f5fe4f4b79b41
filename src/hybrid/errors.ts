import { PyportError } from '../errors.js'

/** Typed errors of hybrid(), recording and replay: each names what was wrong and how to fix it. */

/**
 * A bad mode name (from the `mode` option, PYPORT_MODE_<NAME>, PYPORT_MODE or the config file) or a config file that
 * cannot be used. Thrown when hybrid() is created. (A bad hybrid() option of another kind is a PyportOptionError.)
 */
export class HybridConfigError extends PyportError {
  override name = 'HybridConfigError'
  readonly code = 'PYPORT_HYBRID_CONFIG'
}

/** A value that cannot be written to a record losslessly (a function, a symbol, a class instance, a cycle). */
export class RecordEncodeError extends PyportError {
  override name = 'RecordEncodeError'
  readonly code = 'PYPORT_RECORD_ENCODE'
}

/** A corpus file that cannot be read at all (missing, a directory, empty). Bad lines are reported per line instead. */
export class CorpusError extends PyportError {
  override name = 'CorpusError'
  readonly code = 'PYPORT_CORPUS'
}
