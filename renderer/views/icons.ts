// Media-control icons as inline SVG built through the DOM (the CSP allows no inline markup, and
// the system fonts lack the ⏮ ⏭ glyphs).
const SVG = 'http://www.w3.org/2000/svg';

const PATHS: Record<string, string> = {
  first: 'M6 5h2v14H6zM20 5v14L9 12z',
  prev: 'M18 5v14L7 12z',
  next: 'M6 5v14l11-7z',
  last: 'M16 5h2v14h-2zM4 5v14l11-7z',
  play: 'M7 4v16l13-8z',
  pause: 'M6 4h4v16H6zM14 4h4v16h-4z',
};

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', PATHS[name]!);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}
