import { commands } from './commands.js'
import { RunFailedError, UsageError, type CommandIO } from './command.js'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { packageRoot } from '../paths.js'
import { debugOn } from '../util/debug.js'

/** pyport's version, from its package.json: found the same way from src/ (tests), dist/ and node_modules. */
function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }
  return pkg.version
}

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    'pyport — run Python agents from TypeScript, find the hot paths, port them to worker threads, prove and measure.',
    '',
    'Usage: pyport <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `pyport <command> --help` for the options of one command, with examples.',
    'Exit codes: 0 success, 1 a failed run or check, 2 bad usage.',
    '',
  ].join('\n')
}

/** Runs the CLI and returns the exit code; never throws. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(topHelp())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`)
    return 0
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    io.stderr.write(`pyport: unknown command "${name}". Commands: ${commands.map((c) => c.name).join(', ')}. See \`pyport --help\`.\n`)
    return 2
  }
  const ownArgs = command.ownArgs ? command.ownArgs(rest) : rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest // after -- belongs to the program
  if (ownArgs.includes('--help') || ownArgs.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`)
    return 0
  }
  try {
    return await command.run(rest, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`${err.message}\n`)
      return 2
    }
    const e = err as { name?: string; message: string; stack?: string } // anything may be thrown: a name is not promised
    const label = err instanceof RunFailedError ? '' : `${e.name ?? 'Error'}: `
    io.stderr.write(`pyport ${name}: ${label}${e.message}\n`)
    if (debugOn('stack') && e.stack) io.stderr.write(`${e.stack}\n`) // PYPORT_DEBUG=stack (or all, or 1)
    return 1
  }
}
