import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createProgress, progressBar } from '../../src/harness/progress.js'

function stream(isTTY: boolean) {
  let text = ''
  const s = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk)
      cb()
    },
  }) as Writable & { isTTY?: boolean }
  s.isTTY = isTTY
  return { s, text: () => text }
}

describe('progress', () => {
  it('draws a bar of how many runs are done', () => {
    expect(progressBar({ done: 0, total: 4 })).toBe(`▕${'░'.repeat(20)}▏ 0/4`)
    expect(progressBar({ done: 2, total: 4 })).toBe(`▕${'█'.repeat(10)}${'░'.repeat(10)}▏ 2/4`)
    expect(progressBar({ done: 7, total: 18 })).toMatch(/^▕█{8}░{12}▏  7\/18$/)
  })

  it('rewrites one line with the bar on a terminal, and clears it when done', () => {
    const out = stream(true)
    const p = createProgress(out.s, false)
    p.update('run 1/3: ts, 5 agents', { done: 0, total: 2 })
    p.update('run 2/3', { done: 1, total: 2 })
    p.done()
    const text = out.text()
    expect(text).not.toContain('\n')
    expect(text).toContain('▏ 1/2 run 2/3')
    expect(text.endsWith('\r')).toBe(true)
  })

  it('prints plain lines with a count when stderr is not a terminal, and nothing when quiet', () => {
    const out = stream(false)
    createProgress(out.s, false).update('run 1/3: ts', { done: 3, total: 9 })
    expect(out.text()).toMatch(/^\[ +\d+\.\d s\] \(3\/9\) run 1\/3: ts\n$/)
    const quiet = stream(false)
    createProgress(quiet.s, true).update('x', { done: 1, total: 2 })
    expect(quiet.text()).toBe('')
  })
})
