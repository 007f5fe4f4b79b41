/**
 * Ctrl-C while a profiled program runs: the terminal sends SIGINT to the whole process group, so Python gets it
 * too, raises KeyboardInterrupt and writes its profile. The host must not die first: the first Ctrl-C is waited
 * through, a second one aborts (the child is killed and nothing is left behind).
 */
export function waitThroughCtrlC(stderr: NodeJS.WritableStream): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  let count = 0
  const onSigint = () => {
    count += 1
    if (count === 1) {
      stderr.write('\npyport profile: interrupted; waiting for the program to write its profile (Ctrl-C again to stop it now)\n')
    } else {
      controller.abort(new Error('interrupted twice with Ctrl-C'))
    }
  }
  process.on('SIGINT', onSigint)
  return {
    signal: controller.signal,
    dispose: () => process.off('SIGINT', onSigint),
  }
}
