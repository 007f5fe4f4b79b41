import type { Command } from './command.js'
import { RunFailedError } from './command.js'

// Placeholder until the report command lands.
export const reportCommand: Command = {
  name: 'report',
  summary: '(not yet available)',
  help: 'pyport report: not yet available.',
  async run() {
    throw new RunFailedError('pyport report is not available yet')
  },
}
