/**
 * Progress on stderr: one rewritten line on a terminal, plain lines otherwise (CI logs), nothing when quiet.
 */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, quiet: boolean) {
  let last = ''
  const started = Date.now()
  return {
    update(message: string): void {
      if (quiet) return
      const elapsed = ((Date.now() - started) / 1000).toFixed(1)
      const text = `[${elapsed.padStart(5)} s] ${message}`
      if (stream.isTTY) {
        const clear = last.length > text.length ? ' '.repeat(last.length - text.length) : ''
        stream.write(`\r${text}${clear}`)
      } else {
        stream.write(`${text}\n`)
      }
      last = text
    },
    done(): void {
      if (!quiet && stream.isTTY && last) stream.write(`\r${' '.repeat(last.length)}\r`)
      last = ''
    },
  }
}
