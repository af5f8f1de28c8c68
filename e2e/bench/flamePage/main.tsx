/**
 * The browser half of `npm run bench:flame`: the console's Profiles view of one profile set
 * (ProfileSetView, as the Profiles tab shows an opened file), fed the way "Open profile…" feeds it
 * (the file's bytes → importProfile), with timings for the runner on window.flame:
 *   open(url)   fetch → import → the view drawn (its first frame with the flame graph's rects);
 *   zoom(), search(text), hover()   input → the next painted frame, and → the view settled;
 *   core()      import, buildCallTree and limitNodes alone, for the breakdown.
 */
import { createRoot } from 'react-dom/client';

import { buildCallTree, limitNodes } from '../../../collector/core/profile/callTree.js';
import { importProfile } from '../../../collector/core/profile/importers/importProfile.js';
import type { ProfileSet } from '../../../collector/core/profile/model.js';
import { ProfileSetView } from '../../../renderer/src/views/profiles/ProfileSetView.js';
import '../../../renderer/src/shell/theme.css';
import '../../../renderer/src/views/profiles/profiles.css';

declare global {
  interface Window {
    flame: Record<string, (...args: never[]) => unknown>;
  }
}

const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
/** The frame after the next one: by then the next frame has been painted. */
async function painted(): Promise<number> {
  await frame();
  await frame();
  return performance.now();
}

async function until(check: () => boolean, timeoutMs = 60_000): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error('timed out');
    await frame();
  }
  return performance.now();
}

/** A DOM fingerprint of the graph: changes when zoom, search or hover changed what is drawn. */
function graphState(): string {
  const svg = document.querySelector('[data-testid=profile-set] svg');
  if (!svg) return '';
  let s = '';
  const gs = svg.querySelectorAll('g.frame');
  for (let i = 0; i < gs.length; i += Math.max(1, Math.floor(gs.length / 200))) {
    const g = gs[i]!;
    s += `${g.getAttribute('transform')}|${g.querySelector('rect')?.getAttribute('width')}|${g.getAttribute('class')};`;
  }
  return s;
}

/** Waits until what is drawn stops changing for two frames (a zoom's transition has ended). */
async function settled(): Promise<number> {
  let last = graphState();
  let still = 0;
  let at = performance.now();
  while (still < 2) {
    await frame();
    const now = graphState();
    if (now === last) still++;
    else {
      still = 0;
      last = now;
      at = performance.now();
    }
  }
  return at;
}

const root = createRoot(document.getElementById('root')!);
let bytes: Uint8Array | undefined;
let name = '';
let set: ProfileSet | undefined;

function frames(): SVGGElement[] {
  return [...document.querySelectorAll<SVGGElement>('[data-testid=profile-set] svg g.frame')];
}

/** Wide frames below the root, in a fixed order: the zoom and hover targets. */
function targets(): SVGGElement[] {
  return frames()
    .filter((g) => Number(g.querySelector('rect')?.getAttribute('width') ?? 0) > 30)
    .slice(1);
}

window.flame = {
  open: async (url: string) => {
    const t0 = performance.now();
    const res = await fetch(url);
    bytes = new Uint8Array(await res.arrayBuffer());
    name = url.slice(url.lastIndexOf('/') + 1);
    const t1 = performance.now();
    set = importProfile({ name, bytes });
    const t2 = performance.now();
    root.render(<ProfileSetView set={set} saveFile={() => Promise.resolve(false)} />);
    await until(() => frames().length > 0);
    const t3 = await painted();
    return {
      fetchMs: t1 - t0,
      importMs: t2 - t1,
      drawMs: t3 - t2,
      importAndDrawMs: t3 - t1,
      totalMs: t3 - t0,
      drawnFrames: frames().length,
      budget: document.querySelector('[data-testid=node-budget]')?.textContent ?? '',
      total: document.querySelector('[data-testid=profile-total]')?.textContent ?? '',
    };
  },
  core: () => {
    const t0 = performance.now();
    const s = importProfile({ name, bytes: bytes! });
    const t1 = performance.now();
    const tree = buildCallTree(s.profiles[0]!);
    const t2 = performance.now();
    const small = limitNodes(tree);
    const t3 = performance.now();
    return {
      importMs: t1 - t0,
      buildCallTreeMs: t2 - t1,
      limitNodesMs: t3 - t2,
      nodes: tree.size,
      drawnNodes: small.size,
    };
  },
  zoom: async (i: number) => {
    const ts = targets();
    const g = ts[i % ts.length]!;
    const t0 = performance.now();
    g.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    const t1 = await painted();
    const t2 = await settled();
    return { paintMs: t1 - t0, settledMs: Math.max(t1, t2) - t0 };
  },
  unzoom: async () => {
    const all = frames();
    all[0]?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await painted();
    await settled();
  },
  search: async (text: string) => {
    const input = document.querySelector<HTMLInputElement>('input[aria-label="Search frames"]')!;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const before = document.querySelector('[data-testid=search-result]')?.textContent;
    const t0 = performance.now();
    setter.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const t1 = await painted();
    const result = document.querySelector('[data-testid=search-result]')?.textContent ?? '';
    return { paintMs: t1 - t0, changed: result !== before, result };
  },
  hover: async (i: number) => {
    const ts = targets();
    const g = ts[(i * 7) % ts.length]!;
    const r = g.getBoundingClientRect();
    const init = { bubbles: true, clientX: r.x + 5, clientY: r.y + 5 };
    const t0 = performance.now();
    g.dispatchEvent(new MouseEvent('mouseover', init));
    g.dispatchEvent(new MouseEvent('mousemove', init));
    const t1 = await painted();
    const tip = document.querySelector('[data-testid=flame-tooltip]')?.textContent ?? '';
    g.dispatchEvent(new MouseEvent('mouseout', init));
    return { paintMs: t1 - t0, tip };
  },
  close: () => {
    root.render(null);
    set = undefined;
    bytes = undefined;
  },
};
