/**
 * Hybrid logical clock stamps for sync: `time (ms) · counter · device`, encoded as a string whose
 * plain string order is the stamps' order (fixed-width base-36 time and counter, then the device id).
 * An edit is stamped with its own time, or just after the stamp of the value it replaced when that is
 * later: a browser whose clock is behind cannot make an edit lose to the change it was made on top of.
 */

export type Stamp = string;

const TIME_WIDTH = 9; // 36^9 ms is beyond the year 5000
const COUNTER_WIDTH = 3;
const COUNTER_MAX = 36 ** COUNTER_WIDTH - 1;
export const DEVICE_PATTERN = /^[0-9a-z]{4}$/;
/** A stamp: time, counter, a device id, and `+` for each merge that derived it from another stamp. */
export const STAMP_PATTERN = /^[0-9a-z]{9}[0-9a-z]{3}[0-9a-z]{4}\+*$/;

export function makeStamp(time: number, counter: number, device: string): Stamp {
  return Math.max(0, Math.floor(time)).toString(36).padStart(TIME_WIDTH, '0') + counter.toString(36).padStart(COUNTER_WIDTH, '0') + device;
}

export function stampTime(stamp: Stamp): number {
  return parseInt(stamp.slice(0, TIME_WIDTH), 36);
}

function stampCounter(stamp: Stamp): number {
  return parseInt(stamp.slice(TIME_WIDTH, TIME_WIDTH + COUNTER_WIDTH), 36);
}

/** A stamp just after `stamp` that no device can produce: for results a merge derives deterministically. */
export function derivedStamp(stamp: Stamp): Stamp {
  return stamp + '+';
}

export function newDeviceId(random: () => number = Math.random): string {
  let id = '';
  for (let i = 0; i < 4; i++) id += Math.floor(random() * 36).toString(36);
  return id;
}

/** The stamp of an edit made at `time` (this browser's clock) to a value stamped `previous`. */
export function editStamp(time: number, previous: Stamp | undefined, device: string): Stamp {
  const own = makeStamp(time, 0, device);
  if (!previous || own > previous) return own;
  // The browser saw `previous` before this edit: whatever its clock says, the edit comes after it.
  return makeStamp(stampTime(previous), Math.min(stampCounter(previous) + 1, COUNTER_MAX), device);
}
