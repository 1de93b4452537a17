// Small SVG charts for the analytics page, each with its numbers as a table for screen readers.
const day = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

export function ColumnChart({ title, points }: { title: string; points: { start: string; count: number }[] }) {
  const width = 640;
  const height = 180;
  const max = Math.max(1, ...points.map((p) => p.count));
  const step = width / Math.max(points.length, 1);
  const total = points.reduce((sum, p) => sum + p.count, 0);
  return (
    <figure className="panel">
      <figcaption>
        <strong>{title}</strong> — {total} in {points.length} buckets
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height + 20}`} width="100%" role="img" aria-label={`${title}: ${total} in total`} data-total={total}>
        {points.map((p, i) => {
          const h = (p.count / max) * height;
          return <rect key={p.start} x={i * step + 1} y={height - h} width={Math.max(step - 2, 1)} height={h} fill="#0b5cad" />;
        })}
        {points.length > 0 && (
          <>
            <text x={0} y={height + 15}>
              {day.format(new Date(points[0]!.start))}
            </text>
            <text x={width} y={height + 15} textAnchor="end">
              {day.format(new Date(points[points.length - 1]!.start))}
            </text>
          </>
        )}
      </svg>
      <details>
        <summary>Numbers</summary>
        <table>
          <tbody>
            {points.map((p) => (
              <tr key={p.start}>
                <th scope="row">{day.format(new Date(p.start))}</th>
                <td>{p.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function BarList({ title, rows, unit = "" }: { title: string; rows: { label: string; value: number; note?: string }[]; unit?: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <figure className="panel">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      {rows.length === 0 && <p>Nothing in this range.</p>}
      <table>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row" style={{ width: "40%" }}>
                {row.label}
              </th>
              <td>
                <svg width="100%" height="14" aria-hidden="true">
                  <rect x={0} y={2} width={`${(row.value / max) * 100}%`} height={10} fill="#1d6b32" />
                </svg>
              </td>
              <td>
                {row.value}
                {unit} {row.note && <span className="muted">{row.note}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
