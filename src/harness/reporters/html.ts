/** The HTML reporter; its parts (axes, bars, the scaling chart, the page) live in ./html/. */
export { renderHtml } from './html/page.js'
