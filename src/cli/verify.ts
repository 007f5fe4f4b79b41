import type { Command } from './command.js'
import { RunFailedError } from './command.js'

// Placeholder until the verify command lands.
export const verifyCommand: Command = {
  name: 'verify',
  summary: '(not yet available)',
  help: 'pyport verify: not yet available.',
  async run() {
    throw new RunFailedError('pyport verify is not available yet')
  },
}
