// Distinct, colour-blind-friendly hues (Okabe–Ito), repeated past eight channels.
const PALETTE = ['#e69f00', '#56b4e9', '#009e73', '#d55e00', '#0072b2', '#cc79a7', '#f0e442', '#000000'];

export function channelColor(channel: number): string {
  return PALETTE[channel % PALETTE.length]!;
}
