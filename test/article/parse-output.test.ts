import { describe, expect, it } from 'vitest'
import { parseCpuPerf, parseIoPerf, ScriptOutputError } from '../../bench/article/parse-output.js'

const CPU_OK = 'Single-threaded (1 agent) time: 0.5234 seconds\n\nMulti-threaded (2 agents) time: 0.5411 seconds\n'
const IO_OK = 'Single-threaded I/O took: 2.0006 seconds\nMulti-threaded I/O took: 1.0008 seconds\n'

describe('parsing the article scripts output', () => {
  it('reads both timings of cpu_perf.py, blank line included', () => {
    expect(parseCpuPerf(CPU_OK)).toEqual({ single: 0.5234, threads2: 0.5411 })
  })

  it('reads both timings of io_perf.py', () => {
    expect(parseIoPerf(IO_OK)).toEqual({ sequential: 2.0006, threads2: 1.0008 })
  })

  it('tolerates Windows line endings', () => {
    expect(parseIoPerf(IO_OK.replace(/\n/g, '\r\n'))).toEqual({ sequential: 2.0006, threads2: 1.0008 })
  })

  it('names the script and the missing line when output is truncated', () => {
    const truncated = 'Single-threaded (1 agent) time: 0.5234 seconds\n'
    expect(() => parseCpuPerf(truncated)).toThrow(ScriptOutputError)
    expect(() => parseCpuPerf(truncated)).toThrow(/cpu_perf\.py: output ended after 1 line\(s\); expected a line like "Multi-threaded/)
    expect(() => parseIoPerf('')).toThrow(/io_perf\.py: output ended after 0 line/)
  })

  it('names the script, the line number and its text on garbage', () => {
    const garbage = 'Single-threaded (1 agent) time: 0.5234 seconds\n\nTraceback (most recent call last):\n'
    expect(() => parseCpuPerf(garbage)).toThrow(/cpu_perf\.py: line 3 is "Traceback \(most recent call last\):"/)
  })

  it('rejects a timing that is not a number', () => {
    expect(() => parseIoPerf('Single-threaded I/O took: fast seconds\n')).toThrow(/line 1 is "Single-threaded I\/O took: fast seconds"/)
  })

  it('rejects extra lines after the timings', () => {
    expect(() => parseIoPerf(`${IO_OK}Sum: 12\n`)).toThrow(/unexpected line 3 after the timings: "Sum: 12"/)
  })
})
