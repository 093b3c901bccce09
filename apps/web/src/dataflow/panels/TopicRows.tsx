/** Topic filters as rows: add a row, remove a row (the operations experience's "Add row"). */
export function TopicRows({ topics, onChange, label }: { topics: string[]; onChange(topics: string[]): void; label: string }) {
  const rows = topics.length ? topics : [''];
  const set = (i: number, v: string) => onChange(rows.map((t, j) => (j === i ? v : t)));
  return (
    <div className="rows" data-testid="topic-rows">
      {rows.map((t, i) => (
        <div className="row" key={i}>
          <input aria-label={`${label} ${i + 1}`} data-testid="topic-row" value={t} placeholder="sensor/+/raw" onChange={(e) => set(i, e.target.value)} />
          <button aria-label={`remove ${label} ${i + 1}`} disabled={rows.length === 1} onClick={() => onChange(rows.filter((_, j) => j !== i))}>−</button>
        </div>
      ))}
      <button data-testid="add-topic" onClick={() => onChange([...rows, ''])}>+ Add row</button>
    </div>
  );
}
