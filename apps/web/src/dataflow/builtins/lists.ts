/** List edits of the rule editors (pure). */
export const moved = <T,>(list: readonly T[], i: number, delta: number): T[] => {
  const j = i + delta;
  if (j < 0 || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
};
export const replaced = <T,>(list: readonly T[], i: number, item: T): T[] => list.map((x, j) => (j === i ? item : x));
export const removed = <T,>(list: readonly T[], i: number): T[] => list.filter((_, j) => j !== i);
