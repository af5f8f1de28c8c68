/**
 * The zoom path above a flame graph (root … zoomed frame): every step but the last goes back to
 * that frame. One component for the flame and the diff view.
 */
export interface BreadcrumbProps {
  crumbs: ReadonlyArray<{ node: number; name: string }>;
  onZoom: (node: number) => void;
}

export function Breadcrumb({ crumbs, onZoom }: BreadcrumbProps) {
  return (
    <nav className="breadcrumb" aria-label="Zoom">
      {crumbs.map((c, i) =>
        i === crumbs.length - 1 ? (
          <span key={c.node} className="crumb current" aria-current="location">
            {c.name}
          </span>
        ) : (
          <button key={c.node} type="button" className="crumb" onClick={() => onZoom(c.node)}>
            {c.name}
          </button>
        ),
      )}
    </nav>
  );
}
