import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import path from 'node:path'
import { encodeRecordValue, type EncodedRecordValue } from './record-codec.js'
import type { RecordedCall, RecordPublisher, RecordedSide } from './record-types.js'
import type { SideResult } from './outcome.js'

/** Where records go: a JSONL file (appended, one record a line) or a user publisher. */
export interface Recorder {
  write(record: RecordedCall): Promise<void>
  close(): Promise<void>
}

export function encodeArgs(args: readonly unknown[]): EncodedRecordValue {
  try {
    return encodeRecordValue([...args])
  } catch (err) {
    return { $t: 'unencodable', v: (err as Error).message }
  }
}

/** True for the placeholder encodeArgs() writes when the arguments cannot be recorded. */
export function isUnencodable(args: EncodedRecordValue): boolean {
  return args !== null && typeof args === 'object' && !Array.isArray(args) && args['$t'] === 'unencodable'
}

export function recordSide(side: SideResult): RecordedSide {
  if (!side.ok)
    return side.timedOut ? { ok: false, error: side.error, ms: side.ms, timedOut: true } : { ok: false, error: side.error, ms: side.ms }
  try {
    return { ok: true, value: encodeRecordValue(side.value), ms: side.ms }
  } catch (err) {
    return { ok: true, unencodable: (err as Error).message, ms: side.ms }
  }
}

class JsonlRecorder implements Recorder {
  #stream: WriteStream | undefined
  #failure: Error | undefined
  constructor(readonly file: string) {}

  #open(): WriteStream {
    if (!this.#stream) {
      mkdirSync(path.dirname(this.file), { recursive: true })
      this.#stream = createWriteStream(this.file, { flags: 'a' })
      this.#stream.on('error', (err) => {
        this.#failure = err
      })
    }
    return this.#stream
  }

  async write(record: RecordedCall): Promise<void> {
    if (this.#failure) throw this.#failure
    const stream = this.#open()
    const line = `${JSON.stringify(record)}\n`
    await new Promise<void>((resolve, reject) => {
      stream.write(line, (err) => {
        if (err) reject(err)
        else resolve()
      })
    })
  }

  async close(): Promise<void> {
    const s = this.#stream
    this.#stream = undefined
    if (s && !s.destroyed) await new Promise<void>((resolve) => s.end(resolve))
  }
}

class PublisherRecorder implements Recorder {
  constructor(readonly publish: RecordPublisher) {}
  async write(record: RecordedCall): Promise<void> {
    await this.publish(record)
  }
  async close(): Promise<void> {}
}

export function createRecorder(target: string | RecordPublisher): Recorder {
  return typeof target === 'function' ? new PublisherRecorder(target) : new JsonlRecorder(path.resolve(target))
}
