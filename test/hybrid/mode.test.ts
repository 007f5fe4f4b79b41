import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { HybridConfigError } from '../../src/hybrid/errors.js'
import { modeEnvName, resolveMode } from '../../src/hybrid/mode.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'pyport-mode-'))
function config(name: string, text: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('resolveMode', () => {
  const cwd = dir // no pyport.config.json there unless a test writes one

  it('takes the option first, then PYPORT_MODE_<NAME>, then PYPORT_MODE, then the config file, else python', () => {
    const file = config('modes.json', JSON.stringify({ modes: { rank_documents: 'shadow' } }))
    const env = { PYPORT_MODE_RANK_DOCUMENTS: 'ts', PYPORT_MODE: 'python' }
    expect(resolveMode({ name: 'rank_documents', option: 'shadow', env, configFile: file, cwd })).toEqual({
      mode: 'shadow',
      source: 'option',
    })
    expect(resolveMode({ name: 'rank_documents', env, configFile: file, cwd })).toEqual({
      mode: 'ts',
      source: 'PYPORT_MODE_RANK_DOCUMENTS',
    })
    expect(resolveMode({ name: 'rank_documents', env: { PYPORT_MODE: 'ts' }, configFile: file, cwd }).source).toBe('PYPORT_MODE')
    expect(resolveMode({ name: 'rank_documents', env: {}, configFile: file, cwd })).toEqual({ mode: 'shadow', source: `config ${file}` })
    expect(resolveMode({ name: 'other', env: {}, configFile: file, cwd })).toEqual({ mode: 'python', source: 'default' })
    expect(resolveMode({ name: 'other', env: {}, cwd })).toEqual({ mode: 'python', source: 'default' })
  })

  it('reads the config file from PYPORT_CONFIG, uses its "*" entry, and finds ./pyport.config.json', () => {
    const file = config('star.json', JSON.stringify({ modes: { '*': 'ts' } }))
    expect(resolveMode({ name: 'x', env: { PYPORT_CONFIG: file }, cwd }).mode).toBe('ts')
    const local = mkdtempSync(path.join(os.tmpdir(), 'pyport-cwd-'))
    writeFileSync(path.join(local, 'pyport.config.json'), JSON.stringify({ modes: { x: 'shadow' } }))
    expect(resolveMode({ name: 'x', env: {}, cwd: local }).mode).toBe('shadow')
  })

  it('maps a function name to its environment variable', () => {
    expect(modeEnvName('rank.documents-v2')).toBe('PYPORT_MODE_RANK_DOCUMENTS_V2')
  })

  it('an unknown mode name is a HybridConfigError naming its source and the valid modes', () => {
    expect(() => resolveMode({ name: 'f', option: 'fast', env: {}, cwd })).toThrow(HybridConfigError)
    expect(() => resolveMode({ name: 'f', env: { PYPORT_MODE_F: 'Shadow' }, cwd })).toThrow(
      /unknown mode "Shadow" from PYPORT_MODE_F; expected one of python, ts, shadow/,
    )
    const file = config('bad-mode.json', JSON.stringify({ modes: { f: 'rust' } }))
    expect(() => resolveMode({ name: 'f', env: {}, configFile: file, cwd })).toThrow(
      /unknown mode "rust" from .*bad-mode\.json \(modes\["f"\]\)/,
    )
  })

  it('a missing, invalid or mis-shaped config file is a HybridConfigError naming the file', () => {
    expect(() => resolveMode({ name: 'f', env: { PYPORT_CONFIG: path.join(dir, 'nope.json') }, cwd })).toThrow(/nope\.json cannot be read/)
    expect(() => resolveMode({ name: 'f', env: {}, configFile: config('broken.json', '{"modes": {'), cwd })).toThrow(
      /broken\.json is not valid JSON/,
    )
    expect(() => resolveMode({ name: 'f', env: {}, configFile: config('list.json', '{"modes": []}'), cwd })).toThrow(
      /needs a "modes" object/,
    )
  })
})
