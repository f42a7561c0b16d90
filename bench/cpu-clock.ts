/**
 * CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), in milliseconds. Node's process.threadCpuUsage()
 * reads RUSAGE_THREAD, which on this kind of VM advances in scheduler ticks (sub-millisecond work often reads 0),
 * so the clock is read through libc with koffi (FFI, prebuilt binaries: nothing to compile). Linux only.
 */
import koffi from 'koffi';

const CLOCK_THREAD_CPUTIME_ID = 3;

let clock: (() => number) | undefined;

function load(): () => number {
  const clockGettime = koffi.load('libc.so.6').func('int clock_gettime(int, void *)');
  // struct timespec { long tv_sec; long tv_nsec; } on 64-bit Linux.
  const timespec = new BigInt64Array(2);
  return () => {
    if (clockGettime(CLOCK_THREAD_CPUTIME_ID, timespec) !== 0)
      throw new Error('clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed');
    return Number(timespec[0]) * 1e3 + Number(timespec[1]) / 1e6;
  };
}

export function threadCpuMs(): number {
  clock ??= load();
  return clock();
}
