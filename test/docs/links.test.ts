// The README and the docs/ pages link to each other and into the repository: every relative link must point at a
// file that exists, and every #anchor at a heading of the page it names (GitHub's slugs).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const docsDir = path.join(repoRoot, 'docs')

/** README.md, every docs/*.md, and the other READMEs that link into them. */
function markdownFiles(): string[] {
  const docs = readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => path.join(docsDir, f))
  const others = ['examples/research-agent/README.md', 'python/article/README.md']
    .map((f) => path.join(repoRoot, f))
    .filter((f) => existsSync(f))
  return [path.join(repoRoot, 'README.md'), ...docs, ...others]
}

const rel = (file: string) => path.relative(repoRoot, file)

/** Lines outside fenced code blocks (``` or ~~~), with their 1-based line numbers. */
function proseLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = []
  let fence: string | undefined
  text.split('\n').forEach((l, i) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(l)
    if (m?.[1]) {
      const marker = m[1]
      if (fence === undefined) fence = marker
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined
      return
    }
    if (fence === undefined) out.push({ line: i + 1, text: l })
  })
  return out
}

/** GitHub's heading slug: lower-case, punctuation other than '-' and '_' removed, each space becomes '-'. */
function githubSlug(heading: string): string {
  return heading
    .trim()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading: its text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-')
}

/** Every anchor a page has: one per heading, repeated headings numbered -1, -2… as GitHub does. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const { text } of proseLines(readFileSync(file, 'utf8'))) {
    const m = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text)
    if (!m?.[1]) continue
    const base = githubSlug(m[1])
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n === 0 ? base : `${base}-${n}`)
  }
  return anchors
}

interface Link {
  file: string
  line: number
  target: string
}

/** Markdown links `[text](target)` and images outside code (fenced blocks and inline code spans). */
function linksOf(file: string): Link[] {
  const links: Link[] = []
  for (const { line, text } of proseLines(readFileSync(file, 'utf8'))) {
    const prose = text.replace(/(`+)[^`]*?\1/g, '``') // inline code: `a](b)` is not a link
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (m[1]) links.push({ file, line, target: m[1] })
    }
  }
  return links
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) // https:, mailto:…

describe('docs: links and anchors', () => {
  const files = markdownFiles()

  it('the README and at least the docs pages of issue #13 exist', () => {
    const pages = readdirSync(docsDir).filter((f) => f.endsWith('.md'))
    expect(pages.length).toBeGreaterThanOrEqual(8)
    expect(files.map(rel)).toContain('README.md')
  })

  it('computes GitHub slugs (lower-case, punctuation but - and _ removed, spaces to -)', () => {
    expect(githubSlug('`pyport bench`: the article, side by side')).toBe('pyport-bench-the-article-side-by-side')
    expect(githubSlug('From 5 to 500 agents: `pyport bench --suite agents`')).toBe('from-5-to-500-agents-pyport-bench---suite-agents')
    expect(githubSlug("Measured: issue #10's figures (`pyport bench --suite hybrid`)")).toBe(
      'measured-issue-10s-figures-pyport-bench---suite-hybrid',
    )
    expect(githubSlug('`stats()`')).toBe('stats')
    expect(githubSlug('snake_case and Ünïcode')).toBe('snake_case-and-ünïcode')
  })

  it('every relative link points at a file that exists, and every #anchor at a heading of that page', () => {
    const problems: string[] = []
    const anchorCache = new Map<string, Set<string>>()
    const anchors = (f: string) => {
      let a = anchorCache.get(f)
      if (!a) anchorCache.set(f, (a = anchorsOf(f)))
      return a
    }
    let checked = 0
    for (const file of files) {
      for (const { line, target } of linksOf(file)) {
        if (isExternal(target)) continue
        checked++
        const where = `${rel(file)}:${line}: ${target}`
        const hash = target.indexOf('#')
        const filePart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash))
        const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1))
        const dest = filePart === '' ? file : path.resolve(path.dirname(file), filePart)
        if (!existsSync(dest)) {
          problems.push(`${where}: no such file ${rel(dest)}`)
          continue
        }
        if (
          !path
            .relative(repoRoot, dest)
            .split(path.sep)
            .every((p) => p !== '..')
        ) {
          problems.push(`${where}: points outside the repository`)
          continue
        }
        if (anchor === undefined) continue
        if (statSync(dest).isDirectory() || !dest.endsWith('.md')) {
          problems.push(`${where}: an anchor into ${rel(dest)}, which is not a markdown page`)
        } else if (!anchors(dest).has(anchor)) {
          problems.push(`${where}: ${rel(dest)} has no heading whose anchor is #${anchor}`)
        }
      }
    }
    expect(problems).toEqual([])
    expect(checked).toBeGreaterThan(10)
  })

  it('the README maps every docs page', () => {
    const readme = path.join(repoRoot, 'README.md')
    const linked = new Set(
      linksOf(readme)
        .map((l) => l.target.split('#')[0] ?? '')
        .filter((t) => t !== '' && !isExternal(t))
        .map((t) => path.resolve(repoRoot, t)),
    )
    const unmapped = readdirSync(docsDir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => path.join(docsDir, f))
      .filter((f) => !linked.has(f))
      .map(rel)
    expect(unmapped).toEqual([])
  })

  it('no page mentions shared/ (a folder users do not have)', () => {
    const mentions = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((l, i) => (/shared\//i.test(l) ? [`${rel(file)}:${i + 1}: ${l.trim()}`] : [])),
    )
    expect(mentions).toEqual([])
  })
})
