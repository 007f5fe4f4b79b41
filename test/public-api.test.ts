// The package's public API, as a snapshot: what `import ... from 'pyport'` offers at run time and as types, and what
// the published .d.ts files say. Adding or removing a name from src/index.ts is a deliberate change: update it here.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const distIndex = path.join(repoRoot, 'dist/src/index.d.ts')

/** Values (classes, functions, constants): `Object.keys(await import('pyport'))`. */
const RUNTIME_EXPORTS = [
  'BridgeClosedError',
  'BridgeTimeoutError',
  'CorpusError',
  'HybridConfigError',
  'MODES',
  'PortCrashedError',
  'PortError',
  'PortInputError',
  'PortLoadError',
  'PortOutputError',
  'PortTimeoutError',
  'ProfileInputError',
  'ProfileRunError',
  'PyportArgumentError',
  'PyportError',
  'PyportOptionError',
  'PythonBridge',
  'PythonError',
  'PythonIterator',
  'PythonModule',
  'PythonNotFoundError',
  'PythonObject',
  'PythonObjectLostError',
  'PythonPool',
  'PythonValueError',
  'RecordEncodeError',
  'WorkerPool',
  'WorkerPoolClosedError',
  'advise',
  'adviseFromStats',
  'calibrate',
  'compareValues',
  'decodeRecordValue',
  'encodeRecordValue',
  'hybrid',
  'modeEnvName',
  'parseBridgeStats',
  'parsePortSpec',
  'profile',
  'profileFromStats',
  'readRecords',
  'renderProfileTable',
  'renderReport',
  'renderStatsTable',
  'replayCorpus',
  'resolveInterpreter',
  'resolveMode',
  'summariseRecords',
  'toSpeedscope',
]

/** Names exported only as types (interfaces and type aliases). */
const TYPE_EXPORTS = [
  'Advice',
  'BadLine',
  'BenchReport',
  'BridgeFunctionStats',
  'BridgeStats',
  'Calibration',
  'CallOptions',
  'CancelledCallState',
  'CompareFunction',
  'CompareOptions',
  'ComparisonOutcome',
  'Difference',
  'EncodedRecordValue',
  'ErrorInfo',
  'Example',
  'FromStatsOptions',
  'FunctionProfile',
  'FunctionStats',
  'FunctionTimes',
  'HybridFunction',
  'HybridOptions',
  'HybridReport',
  'HybridVerdict',
  'IgnoreRule',
  'Interpreter',
  'Latency',
  'MachineInfo',
  'Mode',
  'ObjectCounts',
  'ObjectLostReason',
  'PortHandle',
  'PortLocation',
  'PortOptions',
  'PortRunOptions',
  'Ports',
  'PortsOptions',
  'ProfileOptions',
  'ProfileReport',
  'ProfileResult',
  'ProfileTarget',
  'PythonBridgeOptions',
  'PythonErrorInfo',
  'PythonFrame',
  'PythonPoolOptions',
  'RatioRow',
  'RecordPublisher',
  'RecordedCall',
  'RecordedSide',
  'ReplayOptions',
  'ResolvedMode',
  'ResultRow',
  'SpeedscopeFile',
  'StatsAdvice',
  'StatsReport',
  'Suite',
  'SuiteContext',
  'SuiteOutput',
  'Verdict',
  'VerifyReport',
  'WorkerPoolOptions',
]

/** The type arguments a generic type needs to be named. */
const TYPE_ARGUMENTS: Record<string, string> = { HybridFunction: '<[number], number>', HybridOptions: '<[number], number>', Ports: '<{}>' }

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'],
  types: ['node'],
  typeRoots: [path.join(repoRoot, 'node_modules/@types')],
  strict: true,
  noEmit: true,
  skipLibCheck: false, // a consumer without skipLibCheck checks our .d.ts files: they must hold together
}

function needDist(): void {
  if (!existsSync(distIndex)) throw new Error('run `npm run build` first: this test reads dist/src/**/*.d.ts')
}

function dtsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f))
}

describe('the public API', () => {
  it('exports exactly these values at run time', async () => {
    expect(Object.keys(await import('../src/index.js')).sort()).toEqual([...RUNTIME_EXPORTS].sort())
  })

  it('exports exactly these names, values and types, from src/index.ts', () => {
    const file = path.join(repoRoot, 'src/index.ts')
    const program = ts.createProgram([file], { ...COMPILER_OPTIONS, skipLibCheck: true })
    const checker = program.getTypeChecker()
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!
    const names = checker.getExportsOfModule(moduleSymbol).map((s) => s.name)
    expect(names.sort()).toEqual([...RUNTIME_EXPORTS, ...TYPE_EXPORTS].sort())
  })

  it('the built .d.ts hold no @internal member and no way into the bridge engine', () => {
    needDist()
    const files = dtsFiles(path.join(repoRoot, 'dist/src'))
    expect(files.length).toBeGreaterThan(20)
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      expect(text, f).not.toMatch(/@internal/)
      expect(text, f).not.toMatch(/kInternals/)
    }
    const bridge = readFileSync(path.join(repoRoot, 'dist/src/bridge/bridge.d.ts'), 'utf8')
    const pool = readFileSync(path.join(repoRoot, 'dist/src/bridge/pool.d.ts'), 'utf8')
    // the only methods a user sees: no call(ref, ...)/map(ref, ...), no handle callbacks
    for (const text of [bridge, pool]) expect(text).not.toMatch(/\b(call|map|callObject|getAttribute|nextItems|closeIterator)\(/)
    expect(readFileSync(path.join(repoRoot, 'dist/src/bridge/module.d.ts'), 'utf8')).toMatch(/private constructor\(\);/)
  })

  it('a consumer importing every public name type-checks against dist/ without skipLibCheck', () => {
    needDist()
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pyport-api-'))
    try {
      const consumer = path.join(dir, 'consumer.ts')
      const from = JSON.stringify(path.join(repoRoot, 'dist/src/index.js'))
      const types = TYPE_EXPORTS.map((n) => `  ${n},`).join('\n')
      const values = RUNTIME_EXPORTS.map((n) => `  ${n},`).join('\n')
      writeFileSync(
        consumer,
        `import type {\n${types}\n} from ${from}\nimport {\n${values}\n} from ${from}\n` +
          `export type All = [${TYPE_EXPORTS.map((n) => n + (TYPE_ARGUMENTS[n] ?? '')).join(', ')}]\n` +
          `export const all = [${RUNTIME_EXPORTS.join(', ')}]\n` +
          // the engine stays out of reach: these lines must fail to compile
          `declare const bridge: PythonBridge\ndeclare const mod: PythonModule\n` +
          `// @ts-expect-error call(ref, ...) is not public\nbridge.call\n` +
          `// @ts-expect-error map(ref, ...) is not public\nbridge.map\n` +
          `// @ts-expect-error modules come from import()\nnew PythonModule(bridge, { key: 'k', name: 'n', file: null })\n` +
          `export const ok: Promise<number> = mod.call<number>('f', [1])\n`,
      )
      writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}\n')
      const program = ts.createProgram([consumer], COMPILER_OPTIONS)
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n') + (d.file ? ` (${d.file.fileName})` : ''))
      expect(diagnostics).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
