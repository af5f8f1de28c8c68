/**
 * Types for the part of d3-flame-graph 5.0.0 (no bundled types) that FlameGraph.tsx uses; read
 * from node_modules/d3-flame-graph/dist/d3-flamegraph.es.js. Only FlameGraph.tsx imports it.
 */
declare module 'd3-flame-graph' {
  /** A d3-hierarchy node as the chart holds it: `data` is our input datum. */
  export interface FlameNode<D> {
    readonly data: D & { fade?: boolean; hide?: boolean };
    readonly parent: FlameNode<D> | null;
    readonly children?: FlameNode<D>[] | undefined;
    readonly depth: number;
    readonly value: number;
    readonly x0: number;
    readonly x1: number;
    /** Set by `search` on the nodes its match function accepted. */
    highlight?: boolean;
    descendants(): FlameNode<D>[];
  }

  /** A tooltip: called once with the SVG selection, then shown and hidden per frame. */
  export interface FlameTooltip<D> {
    (selection: unknown): void;
    show(event: MouseEvent, node: FlameNode<D>): unknown;
    hide(): unknown;
    destroy?(): void;
  }

  export interface FlameChart<D> {
    (selection: unknown): void;
    width(w: number): FlameChart<D>;
    cellHeight(h: number): FlameChart<D>;
    minHeight(h: number): FlameChart<D>;
    transitionDuration(ms: number): FlameChart<D>;
    minFrameSize(px: number): FlameChart<D>;
    inverted(inverted: boolean): FlameChart<D>;
    resetHeightOnZoom(reset: boolean): FlameChart<D>;
    sort(sort: boolean | ((a: FlameNode<D>, b: FlameNode<D>) => number)): FlameChart<D>;
    tooltip(tooltip: FlameTooltip<D>): FlameChart<D>;
    onClick(handler: (node: FlameNode<D>) => void): FlameChart<D>;
    onHover(handler: (node: FlameNode<D>) => void): FlameChart<D>;
    setColorMapper(mapper: (node: FlameNode<D>, original: string) => string): FlameChart<D>;
    setSearchMatch(match: (node: FlameNode<D>, term: string) => boolean): FlameChart<D>;
    setSearchHandler(
      handler: (results: FlameNode<D>[], sum: number, total: number) => void,
    ): FlameChart<D>;
    setDetailsHandler(handler: (text: string | null) => void): FlameChart<D>;
    search(term: string): void;
    clear(): void;
    update(data?: D): FlameChart<D>;
    zoomTo(node: FlameNode<D>): void;
    resetZoom(): void;
    destroy(): FlameChart<D>;
  }

  // The library's own shape: its ES module's default export is the chart factory.
  // eslint-disable-next-line no-restricted-syntax
  export default function flamegraph<D>(): FlameChart<D>;
}

/** The one call FlameGraph.tsx makes of d3-selection (3.x, d3-flame-graph's own dependency). */
declare module 'd3-selection' {
  export interface Selection {
    datum(): unknown;
    datum(data: unknown): Selection;
    call(fn: (selection: Selection) => void): Selection;
  }
  export function select(element: Element): Selection;
}
