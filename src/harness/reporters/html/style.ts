/** The page's only styles: inline, so the file opens anywhere without fetching anything. */
export const PAGE_CSS = `
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #1d2330; padding: 0 1rem; }
  h1 { font-size: 1.4rem; margin-bottom: .2rem; }
  h2 { font-size: 1.15rem; margin: 2rem 0 .4rem; }
  .dim, .meta, .caption { color: #5b6475; }
  .caption { margin: .2rem 0 .6rem; }
  table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
  th, td { padding: .35rem .5rem; border-bottom: 1px solid #e3e6ec; vertical-align: top; }
  th { text-align: left; font-weight: 600; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  th.model, td.model { background: #f5f2fa; color: #4a3d66; font-style: italic; }
  .table-scroll { overflow-x: auto; }
  table.scaling { font-size: 13px; }
  table.scaling td:first-child { white-space: nowrap; }
  table.scaling th, table.scaling td { padding: .3rem .4rem; }
  table.scaling th { white-space: normal; vertical-align: bottom; }
  code { font-size: .85em; color: #5b6475; }
  .note { color: #5b6475; font-size: .9em; margin-top: .15rem; }
  .footnote { color: #3a4150; margin: .25rem 0; }
  .warn { color: #a04a00; }
  .warnings { background: #fff4e5; border: 1px solid #f0b46a; border-radius: 4px; padding: .5rem .8rem; margin: 1rem 0; }
  .warnings p { margin: .2rem 0; color: #7a3800; }
  li.ok { color: #1f7a3a; } li.fail { color: #b3261e; }
  .legend span { display: inline-block; width: .8rem; height: .8rem; margin: 0 .3rem 0 1rem; vertical-align: middle; }
  .swatch { display: inline-block; width: .6rem; height: .6rem; margin-right: .4rem; border-radius: 1px; }
  tr.python .swatch { background: #3b74b8; } tr.ts .swatch { background: #e0a21b; } tr.hybrid .swatch { background: #2a9d6f; }
  svg.chart { display: block; max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
  svg .grid { stroke: #e8ebf0; }
  svg .tick, svg .axis-line { stroke: #5b6475; }
  svg .tick-label { fill: #3a4150; }
  svg .axis-title { fill: #5b6475; }
  svg .bar { opacity: .85; }
  svg .bar-label { fill: #1d2330; }
  svg .bar-row.unstable .bar-label, svg .warn-mark { fill: #a04a00; }
  svg .bar-value { fill: #3a4150; }
  svg.bar-chart .whisker line { stroke: #1d2330; stroke-width: 1.5; }
  svg.scaling-chart .whisker line { stroke-width: 1.2; opacity: .8; }
  svg .series { stroke-width: 2; }
  svg .ideal-line { stroke: #6b7280; stroke-width: 2; stroke-dasharray: 6 4; fill: none; }
  svg .legend text { fill: #1d2330; }
`
