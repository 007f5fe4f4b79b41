import { describe, expect, it } from 'vitest'
import { amdahl, idealSeconds, splitSerial, waitFloor } from '../../bench/agents/scaling-model.js'
import { answerDifferences } from '../../bench/agents/answers.js'
import type { Answer } from '../../bench/agents/agent.js'

describe('the ideal: the physical limit of N agents on this machine', () => {
  it('is the longest any one agent waits when the thinking is light', () => {
    const wait = (agent: number, step: number) => (agent === 1 ? 0.3 : 0.1) + step * 0.01
    const floor = waitFloor(3, 2, wait)
    expect(floor).toBeCloseTo(0.3 + 0.31, 12)
    expect(idealSeconds(floor, 3, 2, 0.001, 2)).toBe(floor)
  })

  it('is all the TypeScript thinking spread over every core when that takes longer', () => {
    // 500 agents x 3 steps x 2 ms on 2 cores = 1.5 s, beyond a 0.75 s wait
    expect(idealSeconds(0.75, 500, 3, 0.002, 2)).toBeCloseTo(1.5, 12)
  })
})

describe('serial and parallel CPU', () => {
  const cpu = { rootMain: 1, rootOther: 0.5, children: 2 }

  it('counts every thread of a Python root as serial (one GIL), its pool processes as parallel', () => {
    expect(splitSerial({ root: 'python', childrenPerCore: false }, cpu)).toEqual({ serial: 3.5, parallel: 0 })
    expect(splitSerial({ root: 'python', childrenPerCore: true }, cpu)).toEqual({ serial: 1.5, parallel: 2 })
  })

  it("counts a Node root's main thread as serial and its worker threads as parallel; one interpreter is serial", () => {
    expect(splitSerial({ root: 'node', childrenPerCore: false }, cpu)).toEqual({ serial: 3, parallel: 0.5 })
    expect(splitSerial({ root: 'node', childrenPerCore: true }, cpu)).toEqual({ serial: 1, parallel: 2.5 })
  })
})

describe('the Amdahl model', () => {
  it('predicts no gain from more cores for all-serial CPU, and never goes below the waits', () => {
    expect(amdahl(4, 4, 0, 2, 64, 1)).toBe(4)
    expect(amdahl(4, 0, 8, 2, 64, 1)).toBe(1) // 4 s x (1/64) / (1/2) = 0.125 s, but the waits take 1 s
  })

  it("scales the wall by Amdahl's law between the cores measured and the cores asked", () => {
    // f = 0.25: (0.25 + 0.75/16) / (0.25 + 0.75/2) = 0.296875 / 0.625
    expect(amdahl(10, 1, 3, 2, 16, 0)).toBeCloseTo((10 * 0.296875) / 0.625, 12)
    expect(amdahl(10, 1, 3, 2, 2, 0)).toBeCloseTo(10, 12)
  })
})

describe('answers compared across variants', () => {
  const a: Answer[][] = [[[[1, 2, 3], 4.5, 77]], [[[4, 5, 6], 1.25, 9]]]
  const copy = (x: Answer[][]) => JSON.parse(JSON.stringify(x)) as Answer[][]

  it('accepts equal answers, and best scores a last-bit apart', () => {
    const b = copy(a)
    b[0]![0]![1] = 4.5 * (1 + 2e-16)
    expect(answerDifferences(a, b)).toEqual([])
  })

  it('names the agent and step whose top documents, checksum or score differ', () => {
    const b = copy(a)
    b[1]![0]![0] = [4, 6, 5]
    expect(answerDifferences(a, b)).toEqual(['agent 1 step 0: [[4,6,5],1.25,9] vs [[4,5,6],1.25,9]'])
    const c = copy(a)
    c[0]![0]![1] = 4.5001
    expect(answerDifferences(a, c)[0]).toMatch(/^agent 0 step 0/)
    const d = copy(a)
    d[0]![0]![2] = 78
    expect(answerDifferences(a, d)).toHaveLength(1)
  })

  it('says when agents or steps are missing', () => {
    expect(answerDifferences(a, a.slice(0, 1))).toEqual(['1 agents answered, expected 2'])
    expect(answerDifferences(a, [a[0]!, []])).toEqual(['agent 1: 0 steps, expected 1'])
  })
})
