/** An ANSI escape sequence (colours, cursor moves), as a terminal-minded program writes to stderr. Global: use with replace(). */
export const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g
