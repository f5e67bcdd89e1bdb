// How the console writes numbers and times for people: human units, the browser's own locale and time
// zone. Every screen formats through here, so a size or a time reads the same everywhere.

const UNITS = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** A size as file managers on Linux write it: 1000-based, three significant digits ("1.4 MB"). */
export function bytes(n) {
  // No value is no size (a kernel thread's memory), not "0 bytes": Number('') is 0.
  if (n === '' || n === null || n === undefined) return '';
  const v = Number(n);
  if (!Number.isFinite(v) || v < 0) return '';
  if (v < 1000) return v + (v === 1 ? ' byte' : ' bytes');
  let i = 0;
  let x = v;
  while (x >= 999.5 && i < UNITS.length - 1) { x /= 1000; i++; } // 999,999 bytes is "1 MB", not "1000 kB"
  // Only a fraction's trailing zeros go: "170 MB" stays, "1.50 MB" becomes "1.5 MB".
  return (x >= 100 ? x.toFixed(0) : (x >= 10 ? x.toFixed(1) : x.toFixed(2)).replace(/\.?0+$/, '')) + ' ' + UNITS[i];
}

/** A rate in bytes per second ("2.5 MB/s"). */
export function rate(bytesPerSecond) {
  const b = bytes(bytesPerSecond);
  return b === '' ? '' : b.replace(/ bytes?$/, ' B') + '/s';
}

function toDate(t) {
  if (t === null || t === undefined || t === '') return null;
  const d = t instanceof Date ? t : new Date(typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : t);
  return Number.isNaN(d.getTime()) ? null : d;
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const TIME = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** A moment in local time: "5 Dec 2026, 09:14"; today's only as "09:14". Unreadable input gives "". */
export function time(t, now = new Date()) {
  const d = toDate(t);
  if (!d) return '';
  return d.toDateString() === now.toDateString() ? TIME.format(d) : DATE_TIME.format(d);
}

/** A moment in local time with its date always shown. */
export function dateTime(t) {
  const d = toDate(t);
  return d ? DATE_TIME.format(d) : '';
}

/** How long something took or lasts: "45 s", "3 min 20 s", "2 h 5 min", "3 days". */
export function duration(ms) {
  const v = Number(ms);
  if (!Number.isFinite(v) || v < 0) return '';
  const s = Math.round(v / 1000);
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
  const h = Math.floor(m / 60);
  if (h < 48) return h + ' h' + (m % 60 ? ' ' + (m % 60) + ' min' : '');
  return Math.floor(h / 24) + ' days';
}

/** How long ago: "just now", "5 min ago", "3 h ago", else the local date and time. */
export function ago(t, now = Date.now()) {
  const d = toDate(t);
  if (!d) return '';
  const s = (now - d.getTime()) / 1000;
  if (s < 0) return time(d);
  if (s < 45) return 'just now';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return time(d);
}

/** A share of a whole (0..100) with one decimal below 10: "0.4 %", "37 %". */
export function percent(x) {
  const v = Number(x);
  if (!Number.isFinite(v)) return '';
  return (v < 10 ? v.toFixed(1).replace(/\.0$/, '') : Math.round(v)) + ' %';
}

/** A count with the locale's grouping: "12,345". */
export function count(n) {
  const v = Number(n);
  return Number.isFinite(v) ? v.toLocaleString() : '';
}
