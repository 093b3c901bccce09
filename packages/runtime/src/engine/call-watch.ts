/**
 * Shared memory through which a watchdog on another thread sees which
 * operator call is running and since when: [0] start time (ms, 0 = idle),
 * [1] index of the operation, [2] index of the message in the current batch.
 */
export class CallWatch {
  readonly times: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(24)) {
    this.times = new Float64Array(buffer);
  }

  begin(operationIndex: number): void {
    this.times[1] = operationIndex;
    this.times[0] = performance.timeOrigin + performance.now();
  }

  end(): void {
    this.times[0] = 0;
  }

  /** Milliseconds the current call has been running, or 0 when idle. */
  runningFor(now = performance.timeOrigin + performance.now()): number {
    const started = this.times[0]!;
    return started ? now - started : 0;
  }

  get operationIndex(): number {
    return this.times[1]!;
  }
}

export function batchIndex(w: CallWatch): number {
  return w.times[2]!;
}
