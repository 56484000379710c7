/**
 * Vega-Lite specs -> SVG text, in Node, with no DOM and no canvas (vega's headless `toSVG`).
 * vega and vega-lite are loaded on first use only: a run without the HTML page never loads them.
 * Neither library may print: their log messages are collected and handed back.
 */
import type { TopLevelSpec } from 'vega-lite';

/** The look shared by every chart: system fonts, no background, compact axes. */
const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, grid: true, gridColor: '#eceff1' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 12 },
};

export interface RenderedChart {
  readonly svg: string;
}

export async function renderSvgs(specs: readonly TopLevelSpec[]): Promise<{ svgs: string[]; messages: string[] }> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const messages: string[] = [];
  const logger = vega.logger(vega.Warn, undefined, (method: string, _level: string, input: readonly unknown[]) => {
    messages.push(`${method}: ${input.map(String).join(' ')}`);
  });
  const svgs: string[] = [];
  for (const spec of specs) {
    const compiled = vegaLite.compile({ ...spec, config: CONFIG }, { logger }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger, logLevel: vega.Warn });
    try {
      svgs.push(await view.toSVG());
    } finally {
      view.finalize();
    }
  }
  return { svgs, messages };
}
