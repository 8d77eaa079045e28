/**
 * The explain views' and lessons' styles. The page's CSP allows only same-origin style sheets, so
 * they are adopted as a constructed sheet (not an inline <style>), once per document; the
 * integrator may move them into style.css.
 */
const CSS = `
.explain-card { background: var(--card, #fff); border-radius: 6px; box-shadow: 0 1px 2px rgba(60,64,67,.2); padding: 12px 14px; margin: 0 0 14px; }
.explain-card .button, .lessons-view .button { color: #b33c00; }
.explain-card h3 { margin: 12px 0 6px; font-size: 13px; font-weight: 600; }
.explain-status { margin: 6px 0; color: var(--muted, #5f6368); }
.trace-form, .explain-form { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; }
.trace-form .field, .explain-form .field { grid-template-columns: auto 64px; margin: 2px 0; }
.explain-form .field select { min-width: 90px; }
.trace-heading { color: #b33c00; }
.trace-summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
.trace-summary dt { color: var(--muted, #5f6368); }
.trace-summary dd { margin: 0; }
.trace-number { font: 600 14px "Roboto Mono", "DejaVu Sans Mono", monospace; }
.trace-body { display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }
.trace-figure { margin: 0; max-width: 330px; }
.trace-canvas, .explain-canvas { image-rendering: pixelated; border: 1px solid var(--line, #dadce0); display: block; max-width: 100%; }
.trace-scroll { max-height: 420px; overflow: auto; flex: 1 1 420px; }
.trace-table, .explain-table { border-collapse: collapse; font: 12px "Roboto Mono", "DejaVu Sans Mono", monospace; }
.trace-table th, .trace-table td, .explain-table th, .explain-table td { padding: 2px 8px; border-bottom: 1px solid var(--line, #dadce0); text-align: left; white-space: nowrap; }
.trace-table thead th { position: sticky; top: 0; background: #fafafa; }
.trace-table td.num, .explain-table td.num { text-align: right; }
.tap-row { cursor: default; }
.tap-row:hover, .tap-row:focus { background: #fff3e0; outline: 2px solid var(--focus, #1a73e8); outline-offset: -2px; }
.tap-padding td { color: #6a1b9a; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0; padding: 0; list-style: none; font-size: 12px; }
.legend-swatch { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -2px; border: 1px solid #0003; }
.explain-row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.code-block { background: #f8f9fa; border: 1px solid var(--line, #dadce0); border-radius: 4px; padding: 8px 10px; margin: 6px 0; white-space: pre; overflow: auto; font: 12px "Roboto Mono", "DejaVu Sans Mono", monospace; }
.group-matrix td { width: 16px; height: 16px; padding: 0; text-align: center; border: 1px solid var(--line, #dadce0); }
.group-matrix td.on { background: #f57c00; color: #fff; }
.group-matrix th { font-weight: 400; padding: 0 4px; font-size: 11px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; background: #e8f0fe; color: #174ea6; font-size: 11px; font-weight: 600; }
.ab-grids { display: flex; flex-wrap: wrap; gap: 14px; }
.ab-grids figure { margin: 0; max-width: 420px; }
.ab-grids figcaption { font-size: 12px; color: var(--muted, #5f6368); }
.lessons-view { display: flex; min-height: calc(100vh - 48px); }
.lessons-nav { flex: 0 0 220px; background: #fafafa; border-right: 1px solid var(--line, #dadce0); padding: 10px 0; }
.lessons-nav ul { list-style: none; margin: 0; padding: 0; }
.lessons-nav button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 8px 16px; font: inherit; color: var(--text, #202124); cursor: pointer; }
.lessons-nav button[aria-current="page"] { background: #fff3e0; color: #b33c00; font-weight: 600; border-left: 3px solid var(--accent, #f57c00); }
.lessons-nav button:focus-visible { outline: 2px solid var(--focus, #1a73e8); outline-offset: -2px; }
.lesson-main { flex: 1 1 auto; min-width: 0; }
.lesson { padding: 14px 18px 24px; }
.appbar-tab-button { background: none; border: 0; color: inherit; font: inherit; font-size: 13px; font-weight: 500; cursor: pointer; text-transform: uppercase; letter-spacing: 0.6px; }
.explain-preview { margin-top: 14px; }
fieldset.explain-form { border: 1px solid var(--line, #dadce0); border-radius: 4px; margin: 6px 0; }
.lesson h2 { margin: 0 0 6px; font-size: 18px; font-weight: 500; }
.lesson p { max-width: 760px; }
.lesson-grids { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
.cell-grid { border-collapse: collapse; font: 13px "Roboto Mono", "DejaVu Sans Mono", monospace; }
.cell-grid caption { font: 12px sans-serif; color: var(--muted, #5f6368); text-align: left; padding-bottom: 2px; }
.cell-grid td { border: 1px solid #bdc1c6; width: 34px; height: 30px; text-align: center; padding: 0; background: #fff; }
.cell-grid td.pad { background: #eceff1; color: #5f6368; }
.cell-grid td.active { background: #ffe0b2; outline: 2px solid #e65100; outline-offset: -2px; }
.cell-grid td.done { background: #fff8e1; }
.cell-grid td.current { background: #ffcc80; font-weight: 700; }
.cell-grid td input { width: 100%; padding: 0; border: 0; text-align: center; font: inherit; background: transparent; -moz-appearance: textfield; }
.cell-grid td input::-webkit-inner-spin-button, .cell-grid td input::-webkit-outer-spin-button { -webkit-appearance: none; margin: 0; }
.cell-grid td input:focus { outline: 2px solid var(--focus, #1a73e8); }
.lesson-result { background: #f8f9fa; border: 1px solid var(--line, #dadce0); border-radius: 4px; padding: 8px 10px; white-space: pre; font: 13px "Roboto Mono", "DejaVu Sans Mono", monospace; }
.lesson-controls { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin: 8px 0; }
.lesson-controls .field { grid-template-columns: auto 64px; margin: 0; }
.products { font: 12px "Roboto Mono", "DejaVu Sans Mono", monospace; margin: 6px 0; }
.lesson-error { color: var(--error, #c5221f); font-size: 12px; }
.shape-figure { display: flex; gap: 20px; flex-wrap: wrap; align-items: flex-end; }
`;

const installed = new WeakSet<Document>();

export function installExplainStyles(doc: Document): void {
  if (installed.has(doc)) return;
  installed.add(doc);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}
