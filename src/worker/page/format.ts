/** Number formats the page shares. */
export const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
/** A move in percentage points, signed with a real minus sign. */
export const points = (move: number) => `${move < 0 ? '\u2212' : '+'}${Math.abs(100 * move).toFixed(1)}`;
export const thousands = (n: number) => n.toLocaleString('en-US');
