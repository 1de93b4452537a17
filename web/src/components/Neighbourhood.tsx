import type { ProductPageQuery } from "@/gql/graphql";

type Related = NonNullable<ProductPageQuery["productBySlug"]>["related"];

function label(node: Related[number]["node"]): string {
  if ("title" in node && typeof node.title === "string") return node.title;
  if ("name" in node && typeof node.name === "string") return node.name;
  if ("version" in node && typeof node.version === "string") return `firmware ${node.version}`;
  return "record";
}

const colours: Record<string, string> = {
  PRODUCT: "#0b5cad",
  FEATURE: "#1d6b32",
  KNOWN_ISSUE: "#a61b1b",
  SOLUTION: "#7a4d00",
  ARTICLE: "#5b2a86",
  FIRMWARE_VERSION: "#3e4c59",
};

// The product's neighbourhood from `related(depth: 2)`: records one relation away on the inner
// ring, two away on the outer one, coloured by kind; the same records as a list for screen readers.
export function Neighbourhood({ center, related }: { center: string; related: Related }) {
  const rings = [1, 2].map((distance) => related.filter((record) => record.distance === distance));
  const size = 520;
  const mid = size / 2;
  const shorten = (text: string) => (text.length > 22 ? `${text.slice(0, 21)}…` : text);
  return (
    <figure>
      <svg viewBox={`0 0 ${size} ${size}`} width="100%" style={{ maxWidth: size }} role="img" aria-labelledby="graph-caption">
        {rings.map((ring, r) =>
          ring.map((record, i) => {
            const angle = (2 * Math.PI * i) / Math.max(ring.length, 1) + r * 0.3;
            const radius = r === 0 ? 120 : 215;
            const x = mid + radius * Math.cos(angle);
            const y = mid + radius * Math.sin(angle);
            const colour = colours[record.kind] ?? "#3e4c59";
            return (
              <g key={`${r}-${i}`}>
                <line x1={mid} y1={mid} x2={x} y2={y} stroke="#bcccdc" />
                <circle cx={x} cy={y} r={6} fill={colour} />
                <text x={x} y={y - 9} textAnchor="middle">
                  {shorten(label(record.node))}
                </text>
              </g>
            );
          }),
        )}
        <circle cx={mid} cy={mid} r={10} fill="#102a43" />
        <text x={mid} y={mid + 24} textAnchor="middle" fontWeight={700}>
          {center}
        </text>
      </svg>
      <figcaption id="graph-caption">
        {center} and the {related.length} records within two relations of it in the knowledge graph.
      </figcaption>
      <details>
        <summary>The same records as a list</summary>
        <ul>
          {related.map((record, i) => (
            <li key={i}>
              {label(record.node)} <span className="muted">({record.kind.toLowerCase().replace("_", " ")}, {record.distance} away)</span>
            </li>
          ))}
        </ul>
      </details>
    </figure>
  );
}
