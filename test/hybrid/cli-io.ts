import { PassThrough } from 'node:stream'
import { runCli } from '../../src/cli/run-cli.js'

/** Runs the pyport CLI in-process and captures what it prints. */
export async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough()
  const err = new PassThrough()
  let stdout = ''
  let stderr = ''
  out.on('data', (d: Buffer) => (stdout += d.toString()))
  err.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await runCli(argv, { stdout: out, stderr: err })
  return { code, stdout, stderr }
}
