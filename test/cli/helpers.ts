import { execa } from 'execa'
import { fileURLToPath } from 'node:url'
import { Writable } from 'node:stream'
import { runCli } from '../../src/cli/run-cli.js'

export const cliPath = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url))

/** Runs the built `pyport` binary as a user would. */
export function runPyport(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [cliPath, ...args], { reject: false, env, stdin: 'ignore', timeout: 120_000 })
}

function sink() {
  let text = ''
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk)
      cb()
    },
  })
  return { stream, text: () => text }
}

/** Runs the CLI in-process (fast; for usage errors and help). */
export async function runInProcess(args: string[]) {
  const out = sink()
  const err = sink()
  const code = await runCli(args, { stdout: out.stream, stderr: err.stream })
  return { code, stdout: out.text(), stderr: err.text() }
}
