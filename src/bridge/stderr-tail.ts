import { ANSI } from '../util/ansi.js'

/** The last lines a process wrote to stderr, without ANSI codes, in bounded memory. */
export class StderrTail {
  #lines: string[] = []
  #partial = ''

  constructor(readonly max: number) {}

  push(chunk: Buffer | string): void {
    const text = this.#partial + String(chunk)
    const parts = text.split('\n')
    this.#partial = (parts.pop() ?? '').slice(-4096)
    for (const line of parts) this.#add(line)
  }

  lines(): string[] {
    const out = [...this.#lines]
    if (this.#partial) out.push(clean(this.#partial))
    return out.slice(-this.max)
  }

  #add(line: string): void {
    const c = clean(line)
    if (c === '') return
    this.#lines.push(c.length > 500 ? c.slice(0, 500) + '…' : c)
    if (this.#lines.length > this.max) this.#lines.shift()
  }
}

function clean(line: string): string {
  return line.replace(ANSI, '').replace(/\r$/, '')
}
