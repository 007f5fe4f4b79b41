import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import type { Socket } from 'node:net'
import path from 'node:path'
import { constants as osConstants } from 'node:os'
import { PythonNotFoundError } from '../bridge/errors.js'
import { resolveInterpreter } from '../bridge/interpreter.js'
import { PortSet, type PortMessage, type PortsOptions } from '../bridge/ports.js'
import { channelOf } from '../bridge/pythonia-link.js'
import { PyportOptionError } from '../errors.js'
import { HybridConfigError } from '../hybrid/errors.js'
import { DEFAULT_CONFIG_FILE, MODES, type Mode } from '../hybrid/mode.js'
import { renderReport } from '../hybrid/render.js'
import { pythonFile } from '../paths.js'
import { signalDescendants } from '../profile/descendants.js'
import { PortLoadError } from '../workers/errors.js'
import { WorkerPool } from '../workers/worker-pool.js'
import { parseCommandArgs } from './args.js'
import { RunFailedError, UsageError, type Command } from './command.js'

const help = `pyport run — run a Python program unchanged, with its @port functions served by their TypeScript ports

Usage:
  pyport run [options] agent.py [ARGS...]

Runs agent.py as python3 would (it is __main__, sys.argv is [agent.py, ARGS...], its folder is first on
sys.path; stdin, stdout and stderr are the program's own; the exit code is the program's). Every function the
program decorates with @port (from pyport import port) whose name is a port given here is served by the host
from worker threads, in the port's mode:
  python   the Python function runs, unchanged (counted only with --record)
  ts       the TypeScript port runs instead, on a worker thread; Python waits for its value
  shadow   the Python function runs and returns; the port runs on the same arguments on the side and the
           results are compared
At the end, a summary per port goes to stderr: calls, mode, matches, latency and speed-up.

Options (before agent.py; everything after it is the program's):
  --port NAME=FILE.js#EXPORT   a port: the decorated function NAME is served by EXPORT of the compiled module
                               FILE.js (#EXPORT omitted: the default export). Repeat for more ports.
  --mode M                     python, ts or shadow for every port (default: PYPORT_MODE_<NAME>, PYPORT_MODE,
                               the config file's "modes", else python)
  --record FILE                append every compared call to FILE (JSONL; read it with pyport report)
  --rtol X                     relative float tolerance when comparing in shadow mode (default: 0, exact)
  --config FILE                config file (default: $PYPORT_CONFIG, else ./${DEFAULT_CONFIG_FILE} when it exists):
                               {"ports": {"rank_documents": {"file": "dist/ports/rank.js", "export": "rankDocuments"}},
                                "modes": {"rank_documents": "shadow"}}
                               (a port's "file" is relative to the config file's folder; --port wins over it)
  --json FILE                  also write the summary as JSON
  --python PATH                Python interpreter (default: $PYPORT_PYTHON, else python3)
  -h, --help                   this help

Ctrl-C: as under python3, the program gets KeyboardInterrupt (the terminal signals the whole foreground group);
a second Ctrl-C stops it (the host kills it if it is still running a second later). SIGTERM and SIGHUP are
passed on to the program.

Examples:
  pyport run --port rank_documents=dist/ports/rank.js#rankDocuments --mode shadow agent.py --docs 500
  pyport run --mode ts --json run-summary.json agent.py        (ports from ./${DEFAULT_CONFIG_FILE})
  PYPORT_MODE_RANK_DOCUMENTS=ts pyport run --port rank_documents=dist/ports/rank.js#rankDocuments agent.py

Exit codes: the program's own (0, sys.exit(N) gives N, an uncaught exception 1, a signal 128+N); 2 bad usage
(no such script, a bad --port, a port file that does not exist); 1 a port that cannot load.`

const OPTIONS = {
  port: { type: 'string', multiple: true },
  mode: { type: 'string' },
  record: { type: 'string' },
  rtol: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'string' },
  python: { type: 'string' },
} as const

/** Splits the arguments at the script: options before it are pyport's, the rest are the program's. */
export function splitRunArgs(argv: string[]): { own: string[]; script: string | undefined; programArgs: string[] } {
  const own: string[] = []
  for (let i = 0; i < argv.length; i++) {
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- i < argv.length
    const a = argv[i]!
    if (a === '--') return { own, script: argv[i + 1], programArgs: argv.slice(i + 2) }
    if (a.startsWith('-') && a !== '-') {
      own.push(a)
      const name = a.replace(/^--?/, '')
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- the condition checked i + 1 < argv.length
      if (!a.includes('=') && name in OPTIONS && i + 1 < argv.length) own.push(argv[++i]!)
      continue
    }
    return { own, script: a, programArgs: argv.slice(i + 1) }
  }
  return { own, script: undefined, programArgs: [] }
}

interface PortSpec {
  file: string
  exportName: string
  from: string
}

function parsePortFlag(raw: string): [string, PortSpec] {
  const m = /^([A-Za-z_][A-Za-z0-9_.]*)=([^#]+)(?:#([A-Za-z_$][A-Za-z0-9_$]*))?$/.exec(raw)
  if (!m) {
    throw new UsageError(
      `pyport run: bad --port "${raw}": expected NAME=FILE.js#EXPORT (the decorated function's name, the compiled port module, its export). Example: --port rank_documents=dist/ports/rank.js#rankDocuments`,
    )
  }
  // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- groups 1 and 2 are not optional: the match above succeeded
  return [m[1]!, { file: path.resolve(m[2]!), exportName: m[3] ?? 'default', from: `--port ${raw}` }]
}

/** The config file's "ports": {name: {file, export}}; files relative to the config file's folder. */
function configPorts(explicit: string | undefined): { file: string | undefined; ports: Map<string, PortSpec> } {
  const ports = new Map<string, PortSpec>()
  const given = explicit ?? process.env['PYPORT_CONFIG']
  const file = path.resolve(given || DEFAULT_CONFIG_FILE)
  if (!given && !existsSync(file)) return { file: undefined, ports }
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new UsageError(`pyport run: config ${file} cannot be read as JSON (${(err as Error).message})`)
  }
  const raw = (parsed as { ports?: unknown } | null)?.ports
  if (raw === undefined) return { file, ports }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError(
      `pyport run: config ${file}: "ports" must be an object, e.g. {"ports": {"rank_documents": {"file": "dist/ports/rank.js", "export": "rankDocuments"}}}`,
    )
  }
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    const e = entry as { file?: unknown; export?: unknown } | null
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.file !== 'string' ||
      e.file === '' ||
      (e.export !== undefined && typeof e.export !== 'string')
    ) {
      throw new UsageError(
        `pyport run: config ${file}: ports["${name}"] must be {"file": "dist/ports/x.js", "export": "name"}, got ${JSON.stringify(entry)}`,
      )
    }
    ports.set(name, {
      file: path.resolve(path.dirname(file), e.file),
      exportName: e.export ?? 'default',
      from: `${file} (ports["${name}"])`,
    })
  }
  return { file, ports }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a Python program unchanged, serving its @port functions from TypeScript ports, and report them',
  help,
  ownArgs: (argv) => splitRunArgs(argv).own,
  async run(argv, io) {
    const { own, script, programArgs } = splitRunArgs(argv)
    const { values, positionals } = parseCommandArgs('run', own, OPTIONS, true)
    if (positionals.length > 0)
      throw new UsageError(`pyport run: unexpected "${positionals[0]}" before the script. See \`pyport run --help\`.`)
    if (script === undefined)
      throw new UsageError(
        'pyport run: give the Python program to run. Example: pyport run --port rank_documents=dist/ports/rank.js#rankDocuments agent.py',
      )
    const scriptPath = path.resolve(script)
    if (!existsSync(scriptPath) || !statSync(scriptPath).isFile()) {
      throw new UsageError(`pyport run: the script ${script} does not exist (looked for ${scriptPath})`)
    }
    const mode = values.mode
    if (mode !== undefined && !(MODES as readonly string[]).includes(mode)) {
      throw new UsageError(`pyport run: --mode must be one of ${MODES.join(', ')}, got "${mode}"`)
    }
    if (values.json === '') throw new UsageError('pyport run: --json needs a file name.')
    if (values.record === '') throw new UsageError('pyport run: --record needs a file name.')
    const rtol = values.rtol === undefined ? undefined : Number(values.rtol)
    if (rtol !== undefined && (values.rtol?.trim() === '' || !Number.isFinite(rtol) || rtol < 0)) {
      throw new UsageError(`pyport run: --rtol expects a number >= 0, got "${values.rtol}". Example: --rtol 1e-12.`)
    }

    const config = configPorts(values.config)
    const specs = new Map(config.ports)
    for (const raw of values.port ?? []) {
      const [name, spec] = parsePortFlag(raw)
      specs.set(name, spec)
    }
    for (const [name, spec] of specs) {
      if (!existsSync(spec.file))
        throw new UsageError(
          `pyport run: port "${name}": the file ${spec.file} does not exist (from ${spec.from}); build the port first (npm run build)`,
        )
    }

    let python
    try {
      python = await resolveInterpreter(values.python)
    } catch (err) {
      if (err instanceof PythonNotFoundError) throw new RunFailedError(err.message)
      throw err
    }

    const pools: WorkerPool[] = []
    const options: PortsOptions = {}
    for (const [name, spec] of specs) {
      const pool = new WorkerPool({ filename: spec.file, exportName: spec.exportName })
      pools.push(pool)
      options[name] = {
        ts: pool,
        mode: mode as Mode | undefined,
        config: config.file,
        record: values.record,
        compare: rtol === undefined ? undefined : { rtol },
      }
    }
    try {
      let ports: PortSet
      try {
        ports = new PortSet(options, 'pyport run')
        await ports.ready()
      } catch (err) {
        if (err instanceof HybridConfigError || err instanceof PyportOptionError) throw new UsageError(`pyport run: ${err.message}`)
        if (err instanceof PortLoadError) throw new RunFailedError(err.message.replace(' (the `ports` option)', ''))
        throw err
      }
      const code = await runProgram(python.path, scriptPath, programArgs, ports)
      // The program is done; its shadow calls still queued are compared before the summary, not dropped by close():
      // the backlog is bounded (maxShadowBacklog) and each call by shadowTimeoutMs.
      await Promise.all(Object.values(ports.handles).map((h) => h.settled()))
      await ports.close()
      const reports = Object.values(ports.handles).map((h) => ({ mode: h.mode, modeSource: h.modeSource, ...h.report() }))
      if (reports.length > 0) {
        io.stderr.write(`\npyport run: ${reports.length} port${reports.length === 1 ? '' : 's'}\n`)
        for (const r of reports) io.stderr.write(renderReport(r, `${r.name} (mode ${r.mode}, from ${r.modeSource})`))
      }
      if (values.json !== undefined) {
        await writeFile(
          values.json,
          `${JSON.stringify({ script: scriptPath, args: programArgs, exitCode: code, ports: reports }, null, 2)}\n`,
        )
      }
      return code
    } finally {
      await Promise.all(pools.map((p) => p.close()))
    }
  },
}

const BOOT = 'import sys; sys.path[0] = sys.argv.pop(1); from pyport.bridge.run_main import main; main()'
const FD = 3

/**
 * Starts the program in the host's own process group (the terminal's foreground group: Ctrl-C reaches it as under
 * python3), with stdio inherited and the bridge's socket on fd 3 for port messages. Resolves with its exit code.
 */
function runProgram(python: string, script: string, args: string[], ports: PortSet): Promise<number> {
  const env: Record<string, string | undefined> = { ...process.env, PYPORT_FD: String(FD) }
  if (ports.spec !== undefined) env['PYPORT_PORTS'] = ports.spec
  else delete env['PYPORT_PORTS']
  delete env['NODE_CHANNEL_FD']
  delete env['NODE_CHANNEL_SERIALIZATION_MODE']
  const child = spawn(python, ['-u', '-c', BOOT, pythonFile(), script, ...args], { stdio: ['inherit', 'inherit', 'inherit', 'pipe'], env })
  const socket = child.stdio[FD] as Socket
  socket.on('error', () => undefined)
  const write = (line: string) => {
    if (!socket.destroyed) socket.write(`${line}\n`)
  }
  let rest = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? '' // split() gives at least one piece
    for (const line of lines) {
      if (line === '') continue
      let m: unknown
      try {
        m = JSON.parse(line)
      } catch {
        continue
      }
      if (channelOf(m) === 'pyport') ports.serve(m as PortMessage, write)
    }
  })

  // Ctrl-C: the terminal signals the whole group, Python included; the host stays up to report. The second one
  // gives the program a second to end, then kills it.
  let interrupts = 0
  let killTimer: NodeJS.Timeout | undefined
  const onSigint = () => {
    interrupts += 1
    if (interrupts === 2) {
      killTimer = setTimeout(() => {
        // what the program started goes too (it may ignore SIGINT as well): nothing is left behind
        if (child.pid !== undefined) signalDescendants(child.pid, 'SIGKILL')
        child.kill('SIGKILL')
      }, 1000)
    }
  }
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal)
  const onTerm = forward('SIGTERM')
  const onHup = forward('SIGHUP')
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onTerm)
  process.on('SIGHUP', onHup)
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      cleanup()
      reject(new RunFailedError(`cannot start ${python}: ${err.message}`))
    })
    child.on('close', (code, signal) => {
      cleanup()
      if (code !== null) {
        resolve(code)
        return
      }
      const n = signal ? (osConstants.signals as Record<string, number>)[signal] : undefined
      resolve(128 + (n ?? 0))
    })
  })
  function cleanup() {
    if (killTimer) clearTimeout(killTimer)
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onTerm)
    process.off('SIGHUP', onHup)
  }
}
