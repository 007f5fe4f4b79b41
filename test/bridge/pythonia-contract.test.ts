/**
 * pyport's contract with pythonia's internals, checked against the installed pythonia. Everything pyport knows of
 * pythonia lives in src/bridge/pythonia-link.ts and python/pyport/bridge/pythonia.py; a pythonia upgrade that
 * changes a file, a name or a message field they rely on fails here, saying which.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PYTHONIA_FILES, PythoniaLink, SHIM_HANDLE, channelOf, pythoniaPythonDir } from '../../src/bridge/pythonia-link.js'
import { pythonFile } from '../../src/paths.js'

const require = createRequire(import.meta.url)
const python = process.env['PYPORT_PYTHON'] ?? 'python3'

function resolved(spec: string): string {
  try {
    return require.resolve(spec)
  } catch {
    throw new Error(`pythonia no longer has ${spec}: pyport loads it (PYTHONIA_FILES in src/bridge/pythonia-link.ts)`)
  }
}

const bridgeJs = resolved(PYTHONIA_FILES.bridgeJs)
const bridgePy = resolved(PYTHONIA_FILES.bridgePy)
const dir = path.dirname(bridgeJs)
const read = (file: string) => readFileSync(path.join(dir, file), 'utf8')

/** Each piece of pythonia's source pyport relies on, with what pyport does with it. */
function expectPieces(file: string, pieces: [RegExp, string][]): void {
  const text = read(file)
  const missing = pieces.filter(([re]) => !re.test(text)).map(([re, why]) => `${re.source}  (${why})`)
  expect(missing, `pythonia's ${file} changed: no longer found:\n  ${missing.join('\n  ')}`).toEqual([])
}

describe("pythonia's files", () => {
  it('Bridge.js and Bridge.py sit in one folder, the one the shim is given (PYPORT_PYTHONIA)', () => {
    expect(path.dirname(bridgePy)).toBe(dir)
    expect(pythoniaPythonDir()).toBe(dir)
  })

  it('Bridge.js: the Bridge class, its call/end/loop, the request it writes and the reply it resolves with', () => {
    expectPieces('Bridge.js', [
      [/module\.exports\s*=\s*\{[^}]*\bBridge\b/, 'pyport requires Bridge.js and takes its Bridge export'],
      [/constructor \(com\)/, 'pyport constructs Bridge with its own com object'],
      [/this\.loop = setInterval\(/, "pyport unrefs the Bridge's GC interval (bridge.loop)"],
      [/\bend \(\) \{/, 'pyport calls bridge.end() when an interpreter exits'],
      [/async call \(ffid, stack, args, kwargs, set, timeout\)/, 'pyport sends every shim request through bridge.call'],
      [
        /action: set \? 'setval' : 'pcall', ffid: ffid, key: stack, val: \[args, kwargs\]/,
        'the shim reads r, action, ffid, key and val[0][0] of a request',
      ],
      [/this\.com\.writeRaw\(payload, r,/, "pyport's com implements writeRaw(text, r, cb)"],
      [/this\.com\.register\('jsi'/, "pyport's com implements register(channel, cb)"],
      [
        /case 'string':\s*case 'int':\s*return resp\.val/,
        "a reply with key 'string' resolves call() with its val as is (the shim's reply)",
      ],
      [/resp\.key === 'error'/, "a reply with key 'error' rejects call() (pythonia's own errors)"],
    ])
  })

  it("IpcPipeCom.js: lines are routed by c (a channel), then by r (a request id) — pyport's LineCom does the same", () => {
    expectPieces('IpcPipeCom.js', [
      [/this\.handlers\[j\.c\]/, 'messages with a c go to the channel handler'],
      [
        /this\.handlers\[j\.r\]\(j\)\) \{\s*return\s*\}\s*delete this\.handlers\[j\.r\]/,
        'a request handler returning true stays registered',
      ],
      [/write \(what, cb\)/, 'write(message, cb)'],
      [/writeRaw \(what, r, cb\)/, 'writeRaw(text, r, cb)'],
    ])
  })

  it('Bridge.py: the Bridge class, its module table, the transport it calls, the reply it writes, onMessage', () => {
    expectPieces('Bridge.py', [
      [/^class Bridge:/m, 'pythonia.load_bridge imports Bridge from Bridge.py'],
      [/^ {4}m = \{\s*0: \{/m, 'the shim is installed as Bridge.m[0]["pyport"]'],
      [/def __init__\(self, ipc\):/, 'pythonia.start_bridge constructs Bridge(ipc)'],
      [/self\.ipc\.queue\(\s*\{"r": r, "key": key, "val": val, "sig": sig\}/, 'replies are {r, key, val, sig} dicts given to ipc.queue'],
      [/self\.ipc\.readline\(\)/, 'the transport offers readline()'],
      [/def onMessage\(self, r, action, ffid, key, args\):/, "pythonia's own requests go to bridge.onMessage(r, action, ffid, key, val)"],
      [/setattr\(os, "JSPyBridge"/, 'pythonia.forget_host deletes os.JSPyBridge'],
    ])
  })
})

describe('the JS side, through PythoniaLink over the installed Bridge.js', () => {
  it("writes a pcall of ['pyport', 'handle'] and resolves with one ShimReply", async () => {
    const sent: string[] = []
    const link = new PythoniaLink((line) => sent.push(line))
    try {
      const answer = link.call('P["i","mod:json",1]')
      expect(sent).toHaveLength(1)
      const request = JSON.parse(sent[0]!) as Record<string, unknown>
      expect(request, "Bridge.js's request changed").toMatchObject({
        action: 'pcall',
        ffid: 0,
        key: [...SHIM_HANDLE],
        val: [['P["i","mod:json",1]'], {}],
      })
      expect(typeof request['r']).toBe('number')
      const line = JSON.stringify({ r: request['r'], key: 'string', val: ['P', [0, 'ok', 0.5, 0]], sig: '' })
      expect(link.receive(line)).toBeUndefined()
      expect(await answer).toEqual({ flag: 'P', body: [0, 'ok', 0.5, 0], chars: line.length })
    } finally {
      link.end()
    }
  })

  it('routes pyport channel messages by c, rejects an error reply, and says what a foreign line is', async () => {
    const sent: string[] = []
    const link = new PythoniaLink((line) => sent.push(line))
    try {
      const got: unknown[] = []
      link.on('pyport-group', (m) => got.push(m))
      expect(link.receive('{"c":"pyport-group","pgid":42}')).toBeUndefined()
      expect(got).toEqual([{ c: 'pyport-group', pgid: 42 }])
      expect(channelOf({ c: 'pyport', k: 'n' })).toBe('pyport')

      const answer = link.call('P["d"]')
      const r = (JSON.parse(sent[0]!) as { r: number }).r
      link.receive(JSON.stringify({ r, key: 'error', val: '', sig: 'Traceback (most recent call last):\nValueError: boom' }))
      await expect(answer).rejects.toThrow()

      expect(link.receive('not json')).toMatch(/not JSON/)
      expect(link.receive('{"x":1}')).toMatch(/not pythonia's/)
    } finally {
      link.end()
    }
  })
})

/** Runs against the installed Bridge.py through python/pyport/bridge/pythonia.py; prints a JSON report. */
const PY_CHECK = String.raw`
import json, os, sys
sys.path.insert(0, sys.argv[1])
folder, request = sys.argv[2], sys.argv[3]
from pyport.bridge import pythonia
out = {"missing_modules": [m for m in pythonia.BRIDGE_MODULES if not os.path.isfile(os.path.join(folder, m + ".py"))]}
before = set(sys.modules)

class Channel:
    sent = []
    def send(self, text):
        self.sent.append(text)
    def readline(self):
        return b""

class Shim:
    requests = []
    def request(self, r, text):
        self.requests.append([r, text])

channel, shim = Channel(), Shim()
bridge = pythonia.start_bridge(folder, channel, shim)
out["left_in_sys_modules"] = sorted(
    n for n in set(sys.modules) - before
    if os.path.dirname(os.path.abspath(getattr(sys.modules[n], "__file__", None) or "")) == os.path.abspath(folder))
out["installed"] = bridge.m[0].get("pyport") is shim
out["js_handle"] = hasattr(os, "JSPyBridge")
route = pythonia.router(bridge, shim.request)
route(request.encode())  # the request the installed Bridge.js wrote
out["requests"] = shim.requests
route(json.dumps({"r": 7, "action": "pcall", "ffid": 0, "key": ["repr"], "val": [[5], {}]}).encode())
out["own_reply"] = json.loads(channel.sent[-1]) if channel.sent else None
out["shim_reply"] = json.loads(pythonia.reply(8, 'T[0,{"$t":"set","v":[]},0.1,0]'))
pythonia.forget_host()
out["js_handle_after"] = hasattr(os, "JSPyBridge")
print(json.dumps(out))
`

describe('the Python side, through pyport.bridge.pythonia over the installed Bridge.py', () => {
  it("loads Bridge.py, routes the request Bridge.js writes to the shim and pythonia's own to Bridge.onMessage", () => {
    const sent: string[] = []
    const link = new PythoniaLink((line) => sent.push(line))
    void link.call('P["d"]').catch(() => undefined)
    link.end()
    expect(existsSync(pythonFile('pyport', 'bridge', 'pythonia.py'))).toBe(true)
    const report = JSON.parse(execFileSync(python, ['-c', PY_CHECK, pythonFile(), dir, sent[0]!], { encoding: 'utf8' })) as Record<
      string,
      unknown
    >
    expect(report['missing_modules'], 'BRIDGE_MODULES in pythonia.py names a module pythonia no longer has').toEqual([])
    expect(report['left_in_sys_modules'], 'Bridge.py imports more of its folder than BRIDGE_MODULES drops again (pythonia.py)').toEqual([])
    expect(report['installed']).toBe(true)
    expect(report['js_handle'], 'Bridge() no longer sets os.JSPyBridge (pythonia.forget_host)').toBe(true)
    expect(report['js_handle_after']).toBe(false)
    const r = (JSON.parse(sent[0]!) as { r: number }).r
    expect(report['requests'], "the shim did not get Bridge.js's request (pythonia.router)").toEqual([[r, 'P["d"]']])
    expect(report['own_reply'], "Bridge.py's reply to its own pcall changed (fields r, key, val, sig)").toEqual({
      r: 7,
      key: 'string',
      val: '5',
      sig: '',
    })
    expect(report['shim_reply']).toEqual({ r: 8, key: 'string', val: ['T', [0, { $t: 'set', v: [] }, 0.1, 0]], sig: '' })
  })
})
