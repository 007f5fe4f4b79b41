import { writeFile } from 'node:fs/promises'
import { PythonNotFoundError } from '../bridge/errors.js'
import { resolveInterpreter } from '../bridge/interpreter.js'
import { PyportOptionError } from '../errors.js'
import { ProfileInputError, ProfileRunError } from '../profile/errors.js'
import { pct } from '../profile/format.js'
import { LIBRARY_SHARE, MIN_SAVED_SHARE, MIN_SHARE } from '../profile/saving.js'
import { profileFromStats } from '../profile/from-stats.js'
import { renderStatsTable } from '../profile/stats-table.js'
import { profile } from '../profile/profile.js'
import { toSpeedscope } from '../profile/speedscope.js'
import { renderProfileTable } from '../profile/table.js'
import type { ProfileTarget } from '../profile/target.js'
import { parseCommandArgs, parseInteger, parsePositiveNumber } from './args.js'
import { RunFailedError, UsageError, type Command } from './command.js'
import { waitThroughCtrlC } from './ctrl-c.js'

const help = `pyport profile — which Python functions are worth porting to TypeScript, and what each port would save

Usage:
  pyport profile SCRIPT.py [options] [-- ARGS...]     profile a script (ARGS go to the script)
  pyport profile -m MODULE [options] [-- ARGS...]     profile a module, like python -m
  pyport profile --from-stats FILE [options]          advice from saved PythonBridge.stats() JSON

Options:
  --top N            rows in the table (default 10)
  --json FILE        write every function and every figure as JSON
  --speedscope FILE  write a flame graph in speedscope's format (open it at https://www.speedscope.app)
  --python PATH      Python interpreter (default: $PYPORT_PYTHON, else python3)
  --interval-ms MS   sampling interval (default 2)
  --speedup X        use this TypeScript-vs-Python speed ratio instead of measuring it now
  --bridge-us US     use this bridge cost per call (µs) instead of measuring it now
  -h, --help         this help

The program's stdin, stdout and stderr are its own; the table follows its output on stdout.

Method: a sampling thread charges every thread's time to its stack every ~2 ms, split into CPU, GIL wait and
I/O wait by what the thread is doing (Linux: the system call it is blocked in, from /proc; a futex wait on the
GIL is GIL wait, any other blocking call is I/O; elsewhere a timing fallback). Each waiting asyncio task is
charged on its own coroutine stack; the event loop's own idle time is nobody's. Each of your functions is
compiled with a call counter (exact counts, ~70 ns a call). Time in C, the standard library and third-party
packages is charged to your function that called them, and shown apart in the "CPU in" column (a package is
code under a site-packages or dist-packages directory, named by its top-level module).

Advice: saved = own code's CPU × (1 - 1/speedup) - calls × bridge cost, with speedup and bridge cost measured on
this machine in the same run (or given with the flags above); CPU in libraries is counted unchanged.
"port it" only when the saving is at least ${pct(MIN_SAVED_SHARE)} of the program's wall time. A function with
${pct(LIBRARY_SHARE)} or more of its CPU in one package is told what a port means instead (a TypeScript
equivalent of that package); import time is reported as import time; lambdas and nested functions are judged
with the function they are defined in; functions under ${pct(MIN_SHARE)} of the CPU are too small to port.

Examples:
  pyport profile agent.py
  pyport profile agent.py --top 5 --json profile.json --speedscope agent.speedscope.json -- --docs 500
  pyport profile -m mypkg.agent
  pyport profile --from-stats bridge-stats.json --bridge-us 200

Exit codes: 0 profiled and the program exited 0; 1 the program exited non-zero (its profile is still
reported) or no profile could be made; 2 bad usage.`

function splitAtDashes(argv: string[]): { own: string[]; programArgs: string[] } {
  const at = argv.indexOf('--')
  return at < 0 ? { own: argv, programArgs: [] } : { own: argv.slice(0, at), programArgs: argv.slice(at + 1) }
}

async function interpreter(option: string | undefined) {
  try {
    return await resolveInterpreter(option)
  } catch (err) {
    if (err instanceof PythonNotFoundError) throw new RunFailedError(err.message)
    throw err
  }
}

export const profileCommand: Command = {
  name: 'profile',
  summary: 'profile a Python program and rank functions by the time a TypeScript port would save',
  help,
  async run(argv, io) {
    const { own, programArgs } = splitAtDashes(argv)
    const { values, positionals } = parseCommandArgs(
      'profile',
      own,
      {
        module: { type: 'string', short: 'm' },
        'from-stats': { type: 'string' },
        top: { type: 'string' },
        json: { type: 'string' },
        speedscope: { type: 'string' },
        python: { type: 'string' },
        'interval-ms': { type: 'string' },
        speedup: { type: 'string' },
        'bridge-us': { type: 'string' },
      },
      true,
    )
    const top = parseInteger('profile', 'top', values.top, 10, 1)
    const speedup = values.speedup === undefined ? undefined : parsePositiveNumber('profile', 'speedup', values.speedup, 20, 1e6)
    const bridgeUs =
      values['bridge-us'] === undefined ? undefined : parsePositiveNumber('profile', 'bridge-us', values['bridge-us'], 200, 1e7)
    const intervalMs = parsePositiveNumber('profile', 'interval-ms', values['interval-ms'], 2, 1000)
    if (intervalMs < 0.5) throw new UsageError(`pyport profile: --interval-ms must be >= 0.5, got ${intervalMs}. Example: --interval-ms 2.`)
    for (const flag of ['json', 'speedscope', 'from-stats'] as const) {
      if (values[flag] === '') throw new UsageError(`pyport profile: --${flag} needs a file name.`)
    }
    const sources = [positionals.length > 0, values.module !== undefined, values['from-stats'] !== undefined].filter(Boolean).length
    if (sources !== 1 || positionals.length > 1) {
      const why = sources === 0 ? 'nothing to profile' : 'give exactly one of SCRIPT, -m MODULE or --from-stats FILE'
      const extra =
        positionals.length > 1
          ? ` (got ${positionals.length} scripts: "${positionals.join('", "')}"; arguments for the script go after --)`
          : ''
      throw new UsageError(`pyport profile: ${why}${extra}. Usage: pyport profile SCRIPT.py [-- ARGS...]. See \`pyport profile --help\`.`)
    }

    try {
      if (values['from-stats'] !== undefined) {
        if (values.speedscope !== undefined)
          throw new UsageError('pyport profile: --speedscope needs a profiled run; bridge stats have no stacks.')
        const report = await profileFromStats(values['from-stats'], {
          python: values.python,
          speedup,
          bridgeUs,
        })
        io.stdout.write(renderStatsTable(report, top))
        if (values.json !== undefined) await writeFile(values.json, JSON.stringify(report, null, 2) + '\n')
        return 0
      }

      const target: ProfileTarget =
        values.module !== undefined ? { module: values.module, args: programArgs } : { script: positionals[0] as string, args: programArgs }
      const python = (await interpreter(values.python)).path
      const interrupts = waitThroughCtrlC(io.stderr)
      let result
      try {
        result = await profile(target, {
          python,
          intervalMs,
          stdin: 'inherit',
          output: { stdout: io.stdout, stderr: io.stderr },
          signal: interrupts.signal,
          speedup,
          bridgeUs,
        })
      } finally {
        interrupts.dispose()
      }
      const { report, raw } = result
      io.stdout.write(renderProfileTable(report, top))
      if (values.json !== undefined) await writeFile(values.json, JSON.stringify(report, null, 2) + '\n')
      if (values.speedscope !== undefined) await writeFile(values.speedscope, JSON.stringify(toSpeedscope(raw, report.target)) + '\n')
      if (report.exit.code !== 0) {
        const how = report.exit.signal ? `was killed by ${report.exit.signal}` : `exited with code ${report.exit.code}`
        io.stderr.write(
          `pyport profile: ${report.target} ${how}${report.exit.exception ? ` (${report.exit.exception})` : ''}; its profile is above.\n`,
        )
        return 1
      }
      return 0
    } catch (err) {
      if (err instanceof PythonNotFoundError) throw new RunFailedError(err.message)
      if (err instanceof ProfileInputError || err instanceof PyportOptionError) throw new UsageError(`pyport profile: ${err.message}`)
      if (err instanceof ProfileRunError) throw new RunFailedError(err.message)
      throw err
    }
  },
}
