/** How far a suite is: `done` of `total` timed or warm-up runs finished. */
export interface ProgressStep {
  done: number
  total: number
}

const BAR_WIDTH = 20

/** "▕██████░░░░░░░░░░░░░░▏  7/18" */
export function progressBar(step: ProgressStep): string {
  const total = Math.max(1, step.total)
  const filled = Math.round((Math.min(step.done, total) / total) * BAR_WIDTH)
  const count = `${String(step.done).padStart(String(total).length)}/${total}`
  return `▕${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}▏ ${count}`
}

/**
 * Progress on stderr: one rewritten line with a bar on a terminal, plain lines otherwise (CI logs), nothing when
 * quiet.
 */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, quiet: boolean) {
  let last = ''
  const started = Date.now()
  return {
    update(message: string, step?: ProgressStep): void {
      if (quiet) return
      const elapsed = ((Date.now() - started) / 1000).toFixed(1)
      if (stream.isTTY) {
        const text = `[${elapsed.padStart(5)} s] ${step ? `${progressBar(step)} ` : ''}${message}`
        const clear = last.length > text.length ? ' '.repeat(last.length - text.length) : ''
        stream.write(`\r${text}${clear}`)
        last = text
      } else {
        const count = step ? `(${step.done}/${step.total}) ` : ''
        stream.write(`[${elapsed.padStart(5)} s] ${count}${message}\n`)
      }
    },
    done(): void {
      if (!quiet && stream.isTTY && last) stream.write(`\r${' '.repeat(last.length)}\r`)
      last = ''
    },
  }
}
