import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { describe, expect, it } from 'vitest'
import { splitRunArgs } from '../../src/cli/run.js'
import { cliPath, runInProcess } from './helpers.js'
import { isAlive as alive } from '../bridge/helpers.js'

const dir = fileURLToPath(new URL('../fixtures/cli/run/', import.meta.url))
const fx = (name: string) => path.join(dir, name)
const rankPort = `rank_documents=${fx('rank.mjs')}#rankDocuments`

function pyportRun(args: string[], input = '', env: Record<string, string> = {}) {
  return execa(process.execPath, [cliPath, 'run', ...args], { reject: false, input, env, timeout: 60_000 })
}

describe('pyport run: arguments', () => {
  it('splits pyport options from the program and its arguments', () => {
    expect(splitRunArgs(['--mode', 'ts', '--port=a=b.js', 'agent.py', '--mode', 'x', '--help'])).toEqual({
      own: ['--mode', 'ts', '--port=a=b.js'],
      script: 'agent.py',
      programArgs: ['--mode', 'x', '--help'],
    })
    expect(splitRunArgs(['--', '-odd.py', '1'])).toEqual({ own: [], script: '-odd.py', programArgs: ['1'] })
  })

  it("--help teaches; a --help after the script is the program's", async () => {
    const r = await runInProcess(['run', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/--port NAME=FILE\.js#EXPORT/)
    expect(r.stdout).toMatch(/KeyboardInterrupt/)
    const top = await runInProcess(['--help'])
    expect(top.stdout).toMatch(/^\s+run\s+run a Python program unchanged/m)
    const own = await pyportRun([fx('exit3.py'), '--help'])
    expect(own.stdout).toBe('leaving with 3')
    expect(own.exitCode).toBe(3)
  })

  it('a missing script: clear error, exit 2', async () => {
    const r = await runInProcess(['run', 'no-such-agent.py'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/the script no-such-agent\.py does not exist/)
    expect((await runInProcess(['run'])).code).toBe(2)
  })

  it('a bad --port spec: exit 2, naming it', async () => {
    const r = await runInProcess(['run', '--port', 'rank_documents', fx('exit3.py')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/bad --port "rank_documents": expected NAME=FILE\.js#EXPORT/)
  })

  it('a port file that does not exist: clear error naming the port and the file, exit 2', async () => {
    const r = await runInProcess(['run', '--port', 'rank_documents=dist/nowhere/rank.js#rankDocuments', fx('exit3.py')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/port "rank_documents": the file \S*dist\/nowhere\/rank\.js does not exist \(from --port/)
  })

  it('a port without that export: exit 1 naming the exports it has', async () => {
    const r = await runInProcess(['run', '--mode', 'ts', '--port', `rank_documents=${fx('rank.mjs')}#nope`, fx('exit3.py')])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/no such export; callable exports: countWords, rankDocuments/)
  })

  it('a bad --rtol: exit 2', async () => {
    const r = await runInProcess(['run', '--rtol', 'abc', fx('exit3.py')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--rtol expects a number >= 0, got "abc"/)
  })

  it('a bad --mode: exit 2', async () => {
    const r = await runInProcess(['run', '--mode', 'fast', fx('exit3.py')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--mode must be one of python, ts, shadow/)
  })
})

describe('pyport run: the program', () => {
  it('a script that raises: its traceback (its own frames), exit 1', async () => {
    const r = await pyportRun([fx('raises.py')])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/^Traceback \(most recent call last\):\n {2}File "[^"]*raises\.py", line 5, in <module>/)
    expect(r.stderr).toMatch(/ValueError: the agent gave up/)
    expect(r.stderr).not.toMatch(/runpy|run_main/)
  })

  it('sys.exit(3) gives 3', async () => {
    const r = await pyportRun([fx('exit3.py')])
    expect(r.exitCode).toBe(3)
    expect(r.stdout).toBe('leaving with 3')
  })

  it('serves a decorated function in ts mode: __main__, argv, sys.path[0], stdin pass through; the summary on stderr; --json', async () => {
    const json = path.join(mkdtempSync(path.join(tmpdir(), 'pyport-run-')), 'summary.json')
    const r = await pyportRun(['--port', rankPort, '--mode', 'ts', '--json', json, fx('agent.py'), '7', '--flag'], 'hello\n')
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe(["argv ['7', '--flag'] path0 run name __main__", 'best [4, 2] served by ts', "stdin 'hello'"].join('\n'))
    expect(r.stderr).toMatch(/pyport run: 1 port\nrank_documents \(mode ts, from option\)\n {2}calls 7,/)
    expect(r.stderr).toMatch(/port {4}p50 [\d.]+ ms, p99 [\d.]+ ms \(7 calls\)/)
    const summary = JSON.parse(readFileSync(json, 'utf8')) as { exitCode: number; ports: { name: string; mode: string; calls: number }[] }
    expect(summary.exitCode).toBe(0)
    expect(summary.ports).toMatchObject([{ name: 'rank_documents', mode: 'ts', calls: 7 }])
  })

  it('ports and modes from the config file; shadow mode compares, with a speed-up line', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'pyport-run-'))
    const config = path.join(tmp, 'pyport.config.json')
    writeFileSync(
      config,
      JSON.stringify({
        ports: { rank_documents: { file: path.relative(tmp, fx('rank.mjs')), export: 'rankDocuments' } },
        modes: { rank_documents: 'shadow' },
      }),
    )
    const r = await pyportRun(['--config', config, fx('agent.py'), '5'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/best \[4, 2\] served by shadow/)
    expect(r.stderr).toMatch(
      /rank_documents \(mode shadow, from config \S+pyport\.config\.json\)\n {2}calls 5, compared 5: 5 matched, 0 mismatched/,
    )
    expect(r.stderr).toMatch(/speed-up \(p50 python \/ p50 port\): [\d.]+×/)
  })

  it('--record with two ports in python mode, called from two threads: one file, every call of each port a whole line, read by pyport report', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'pyport-run-')), 'calls.jsonl')
    const ports = ['--port', rankPort, '--port', `count_words=${fx('rank.mjs')}#countWords`]
    const r = await pyportRun([...ports, '--mode', 'python', '--record', file, fx('two_ports.py'), '150'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('done 150')
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; outcome: string })
    const count = (name: string) => records.filter((x) => x.name === name).length
    expect([records.length, count('rank_documents'), count('count_words')]).toEqual([300, 150, 150])
    const report = await execa(process.execPath, [cliPath, 'report', file], { reject: false })
    expect(report.exitCode).toBe(0)
    expect(report.stdout).toMatch(/rank_documents/)
    expect(report.stdout).toMatch(/count_words/)
  })

  it('a config file with "ports" and no "modes": the ports default to python mode, and --mode sets them', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'pyport-run-'))
    const config = path.join(tmp, 'pyport.config.json')
    writeFileSync(config, JSON.stringify({ ports: { rank_documents: { file: fx('rank.mjs'), export: 'rankDocuments' } } }))
    const plain = await pyportRun(['--config', config, fx('agent.py'), '1'])
    expect(plain.exitCode).toBe(0)
    expect(plain.stderr).toMatch(/rank_documents \(mode python, from default\)/)
    const ts = await pyportRun(['--config', config, '--mode', 'ts', fx('agent.py'), '2'])
    expect(ts.stdout).toMatch(/served by ts/)
    expect(ts.stderr).toMatch(/rank_documents \(mode ts, from option\)\n {2}calls 2,/)
  })

  it('without a host the decorator leaves the function alone (python mode by default)', async () => {
    const r = await pyportRun(['--port', rankPort, fx('agent.py'), '1'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/served by python/)
    expect(r.stderr).toMatch(/rank_documents \(mode python, from default\)\n {2}calls 0/)
  })
})

/** The processes of group `pgid` that are not zombies (Linux: /proc; elsewhere whether the group exists). */
function liveInGroup(pgid: number): number[] {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0)
      return [pgid]
    } catch {
      return []
    }
  }
  const live: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(pgrp) === pgid && state !== 'Z') live.push(Number(name))
    } catch {
      // gone meanwhile
    }
  }
  return live
}

/** Runs `pyport run` in its own process group, as a terminal does, and presses Ctrl-C (SIGINT to the group). */
function runThenCtrlC(extraArgs: string[], presses: number) {
  const child = spawn(process.execPath, [cliPath, 'run', fx('interrupted.py'), ...extraArgs], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += String(d)))
  return new Promise<{ code: number | null; stdout: string; stderr: string; grandchild: number; leftInGroup: boolean }>((resolve) => {
    let grandchild = 0
    child.stdout.on('data', (d) => {
      stdout += String(d)
      const m = /^ready (\d+)$/m.exec(stdout)
      if (m && grandchild === 0) {
        grandchild = Number(m[1])
        for (let i = 0; i < presses; i++) setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 200 + i * 300)
      }
    })
    child.on('close', (code) => {
      resolve({ code, stdout, stderr, grandchild, leftInGroup: liveInGroup(child.pid!).length > 0 })
    })
  })
}

describe('pyport run and Ctrl-C', () => {
  it('the program gets KeyboardInterrupt as under python3; exit 130, nothing left behind', async () => {
    const r = await runThenCtrlC([], 1)
    expect(r.stdout).toMatch(/saw KeyboardInterrupt/)
    expect(r.stderr).toMatch(/interrupted\.py", line \d+, in <module>[\s\S]*KeyboardInterrupt/)
    expect(r.code).toBe(130)
    expect(r.grandchild).toBeGreaterThan(0)
    expect(alive(r.grandchild)).toBe(false)
    expect(r.leftInGroup).toBe(false)
  })

  it('a program deaf to Ctrl-C is stopped by the second press, with what it started', async () => {
    const r = await runThenCtrlC(['--ignore-sigint'], 2)
    expect(r.stdout).not.toMatch(/saw KeyboardInterrupt/)
    expect(r.code).toBe(137)
    expect(alive(r.grandchild)).toBe(false)
    expect(r.leftInGroup).toBe(false)
  }, 20_000)
})
