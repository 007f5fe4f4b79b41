/** The six ways the agents suite runs the same N agents, and the command that runs each as its own process. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Lang } from '../../src/harness/types.js'
import { compiledSibling, packageRoot } from '../../src/paths.js'

export interface Variant {
  id: string
  title: string
  lang: Lang
  /**
   * Which of its CPU cannot spread over more cores (for the Amdahl model): a Python process's threads share one
   * GIL, so all of a Python root is serial; a Node root's main thread is serial and its worker threads are not.
   * Child processes are parallel when there is one per core (pools), serial when there is one (pyport.hybrid).
   */
  root: 'python' | 'node'
  childrenPerCore: boolean
  command(python: string, args: readonly string[]): [string, string[]]
}

const script = (name: string) => fileURLToPath(compiledSibling(import.meta.url, name))
const python =
  (mode: string) =>
  (py: string, args: readonly string[]): [string, string[]] => [py, ['variants.py', mode, ...args]]
const node =
  (file: string, ...first: string[]) =>
  (py: string, args: readonly string[]): [string, string[]] => [
    process.execPath,
    [script(file), ...first.map((f) => (f === '$python' ? py : f)), ...args],
  ]

export const variants: Variant[] = [
  {
    id: 'python.threads',
    title: 'Python, a thread per agent (the GIL)',
    lang: 'python',
    root: 'python',
    childrenPerCore: false,
    command: python('threads'),
  },
  {
    id: 'python.asyncio',
    title: 'Python, a coroutine per agent, thinking inline',
    lang: 'python',
    root: 'python',
    childrenPerCore: false,
    command: python('asyncio'),
  },
  {
    id: 'python.processes',
    title: 'Python, thinking in a process pool (one per core)',
    lang: 'python',
    root: 'python',
    childrenPerCore: true,
    command: python('processes'),
  },
  {
    id: 'pyport.pool',
    title: 'Python agents on a PythonPool (one per core), unported',
    lang: 'python',
    root: 'node',
    childrenPerCore: true,
    command: node('./pyport-agents.js', 'pool', '$python'),
  },
  {
    id: 'pyport.hybrid',
    title: 'Python agents on threads, think = @port on a WorkerPool',
    lang: 'hybrid',
    root: 'node',
    childrenPerCore: false,
    command: node('./pyport-agents.js', 'hybrid', '$python'),
  },
  {
    id: 'ts',
    title: 'TypeScript twin: async agents, thinking on a WorkerPool',
    lang: 'ts',
    root: 'node',
    childrenPerCore: false,
    command: node('./ts-agents.js'),
  },
]

export const variantIds = variants.map((v) => v.id)

/** Where the Python variants run (variants.py imports agent.py from its own folder). */
export const agentsDir = path.join(packageRoot, 'bench', 'agents')
