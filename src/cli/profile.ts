import type { Command } from './command.js'
import { RunFailedError } from './command.js'

// Placeholder until the profile command lands.
export const profileCommand: Command = {
  name: 'profile',
  summary: '(not yet available)',
  help: 'pyport profile: not yet available.',
  async run() {
    throw new RunFailedError('pyport profile is not available yet')
  },
}
