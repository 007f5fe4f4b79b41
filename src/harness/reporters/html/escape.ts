const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** For text and attribute values alike, in HTML and in inline SVG. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c] as string)

/** Longer labels are cut with an ellipsis; the full text goes into the element's <title>. */
export function truncate(text: string, maxChars: number): string {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- cuts at code points on purpose: never splits a surrogate pair; grapheme clusters are not needed here
  const chars = [...text]
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join('')}…`
}
