/**
 * The text the fleet heatmap paints on its label canvas (section titles with their device counts,
 * node labels), as painted: fillText calls on that canvas are recorded from the page's first
 * script on, and each clearRect of it starts a new picture. Canvas text has no DOM to query, and
 * a spec must check what people see, not what a component meant to draw.
 */
import type { Page } from '@playwright/test';

export interface PaintedText {
  text: string;
  x: number;
  y: number;
  font: string;
}

declare global {
  interface Window {
    __ospreyLabelText?: PaintedText[];
  }
}

/** Call before page.goto: records the label canvas's text from then on. */
export async function recordLabelCanvas(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const proto = CanvasRenderingContext2D.prototype;
    const fillText = proto.fillText;
    const clearRect = proto.clearRect;
    const isLabels = (ctx: CanvasRenderingContext2D) =>
      ctx.canvas instanceof HTMLCanvasElement && ctx.canvas.classList.contains('fleet-labels');
    window.__ospreyLabelText = [];
    proto.clearRect = function (this: CanvasRenderingContext2D, x, y, w, h) {
      if (isLabels(this)) window.__ospreyLabelText = [];
      clearRect.call(this, x, y, w, h);
    };
    proto.fillText = function (this: CanvasRenderingContext2D, text, x, y, maxWidth) {
      if (isLabels(this)) window.__ospreyLabelText!.push({ text, x, y, font: this.font });
      if (maxWidth === undefined) fillText.call(this, text, x, y);
      else fillText.call(this, text, x, y, maxWidth);
    };
  });
}

export interface PaintedSection {
  title: string;
  /** "1,024 devices" as painted beside the title. */
  count: string;
}

/**
 * The section headers of the latest picture, top to bottom: a title and, on the same line, its
 * device count (paintFleet.ts paints both in the title font, at the same y).
 */
export async function paintedSections(page: Page): Promise<PaintedSection[]> {
  const texts = await page.evaluate(() => window.__ospreyLabelText ?? []);
  const bold = texts.filter((t) => /^(600|bold)\b/.test(t.font));
  const lines = new Map<number, PaintedText[]>();
  for (const t of bold) lines.set(t.y, [...(lines.get(t.y) ?? []), t]);
  return [...lines.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, parts]) => {
      const [title, count] = parts.sort((a, b) => a.x - b.x);
      return { title: title?.text ?? '', count: count?.text ?? '' };
    });
}
