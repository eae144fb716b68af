/**
 * HTML text: escaping (every text from a file goes through `esc`, whatever it holds) and the
 * page frame every page shares. Links are relative (`root` is "" at the top and "../" one
 * folder down) so that the site works from file:// and from any folder of a static host.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for an HTML element or a quoted attribute. Control characters other than tab and line
 * breaks are dropped: no byte from a file reaches the page as anything but text.
 */
export function esc(text: string): string {
  return text.replace(/[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => HTML_ESCAPES[c] ?? '');
}

export type PageName = 'status' | 'history' | 'reports' | 'incident';

export interface PageFrame {
  /** "" for pages at the top of the site, "../" for incidents/<id>.html. */
  root: string;
  siteTitle: string;
  pageTitle: string;
  current: PageName;
  /**
   * When the site was built, for the footer; null on incident pages, which then stay the same
   * from one build to the next until their incident changes (only changed files are written).
   */
  builtAt: string | null;
  zone: string;
  publicOnly: boolean;
  /** Extra script (site.js) for pages that filter. */
  script?: boolean;
}

const NAV: { name: PageName; label: string; href: string }[] = [
  { name: 'status', label: 'Status', href: 'index.html' },
  { name: 'history', label: 'History', href: 'history.html' },
  { name: 'reports', label: 'Reports', href: 'reports.html' },
];

export function page(frame: PageFrame, main: string): string {
  const { root } = frame;
  const nav = NAV.map(
    (item) => `<li><a href="${root}${item.href}"${item.name === frame.current ? ' aria-current="page"' : ''}>${item.label}</a></li>`,
  ).join('');
  const title = frame.pageTitle === frame.siteTitle ? frame.siteTitle : `${frame.pageTitle} · ${frame.siteTitle}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${root}assets/site.css">
<link rel="alternate" type="application/atom+xml" title="${esc(frame.siteTitle)}: incidents" href="${root}feed.xml">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
<div class="wrap">
<a class="brand" href="${root}index.html">${esc(frame.siteTitle)}</a>
<nav aria-label="Site"><ul>${nav}<li><a href="${root}feed.xml">Atom feed</a></li></ul></nav>
</div>
</header>
<main id="main" class="wrap">
${main}
</main>
<footer class="wrap site-footer">
<p>${frame.builtAt === null ? '' : `Built ${esc(frame.builtAt)}. `}Times are shown in ${esc(frame.zone)}.${frame.publicOnly ? '' : ' <strong>Internal edition</strong>: names, notes and unpublished postmortems included; publish with <code>--public</code> for everyone.'}
Machine-readable: <a href="${root}api/v2/summary.json">summary.json</a>, <a href="${root}api/v2/incidents.json">incidents.json</a>.</p>
</footer>
${frame.script ? `<script src="${root}assets/site.js"></script>\n` : ''}</body>
</html>
`;
}

/** A table of text cells; `head` cells are column headers, the first cell of a row its header. */
export function table(caption: string, head: string[], rows: string[][], options: { rowHeaders?: boolean; className?: string } = {}): string {
  const headHtml = head.map((cell) => `<th scope="col">${cell}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 && options.rowHeaders ? `<th scope="row">${cell}</th>` : `<td>${cell}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<table${options.className ? ` class="${options.className}"` : ''}><caption>${caption}</caption><thead><tr>${headHtml}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
