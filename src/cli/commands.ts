import type { Command } from './command.js'
import { benchCommand } from './bench.js'
import { profileCommand } from './profile.js'
import { verifyCommand } from './verify.js'
import { reportCommand } from './report.js'
import { runCommand } from './run.js'

export const commands: readonly Command[] = [benchCommand, profileCommand, verifyCommand, reportCommand, runCommand]
