// The remote-screen client: the screen socket's pictures (encoded by the console: see Pictures.java),
// pointer and clipboard, and the keyboard and mouse sent back.
import { $, el, status, wsUrl } from './dom.js';
import { rate } from './format.js';

const KEYSYMS = {
  Backspace: 0xff08, Tab: 0xff09, Enter: 0xff0d, Escape: 0xff1b, Delete: 0xffff, Home: 0xff50, ArrowLeft: 0xff51,
  ArrowUp: 0xff52, ArrowRight: 0xff53, ArrowDown: 0xff54, PageUp: 0xff55, PageDown: 0xff56, End: 0xff57,
  Insert: 0xff63, PrintScreen: 0xff61, Pause: 0xff13, ContextMenu: 0xff67, Shift: 0xffe1, Control: 0xffe3,
  Alt: 0xffe9, AltGraph: 0xfe03, Meta: 0xffeb, OS: 0xffeb, CapsLock: 0xffe5, NumLock: 0xff7f, ScrollLock: 0xff14,
  F1: 0xffbe, F2: 0xffbf, F3: 0xffc0, F4: 0xffc1, F5: 0xffc2, F6: 0xffc3, F7: 0xffc4, F8: 0xffc5, F9: 0xffc6,
  F10: 0xffc7, F11: 0xffc8, F12: 0xffc9,
};
const NAMED = { ctrl: 0xffe3, alt: 0xffe9, shift: 0xffe1, super: 0xffeb, del: 0xffff, tab: 0xff09, f4: 0xffc1, print: 0xff61, esc: 0xff1b };

function charKeysym(ch) {
  const cp = ch.codePointAt(0);
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  return 0x01000000 + cp;
}

/**
 * Photo-like pixels as DeltaPlanes.java writes them: planes of green, red minus green and blue minus
 * green, each value the difference from the average of the pixels left and above (the left one in the
 * first row, the one above in the first column).
 */
function deltaPlanes(bytes, from, w, h) {
  const img = new ImageData(w, h);
  const d = img.data;
  const n = w * h;
  const up = new Int32Array(3 * w);
  for (let y = 0, i = 0; y < h; y++) {
    let lg = 0, lr = 0, lb = 0;
    for (let x = 0; x < w; x++, i++) {
      const u = 3 * x;
      const g = ((y === 0 ? lg : x === 0 ? up[u] : (lg + up[u]) >>> 1) + bytes[from + i]) & 255;
      const r = ((y === 0 ? lr : x === 0 ? up[u + 1] : (lr + up[u + 1]) >>> 1) + bytes[from + n + i]) & 255;
      const b = ((y === 0 ? lb : x === 0 ? up[u + 2] : (lb + up[u + 2]) >>> 1) + bytes[from + 2 * n + i]) & 255;
      up[u] = lg = g;
      up[u + 1] = lr = r;
      up[u + 2] = lb = b;
      const o = 4 * i;
      d[o] = (r + g) & 255;
      d[o + 1] = g;
      d[o + 2] = (b + g) & 255;
      d[o + 3] = 255;
    }
  }
  return img;
}

// The largest picture message the page accepts, and the most operations in one: a console that sends
// more is broken, and the page would only grow its memory.
const MAX_PIXELS = 16384 * 16384;

export class RemoteView {
  constructor(view) {
    this.view = view;
    const p = view.page;
    // The template's ids are one per page: each connection's copy gets its own.
    p.querySelectorAll('.panel-remote [id$="-ID"]').forEach((e) => { e.id = e.id.replace(/-ID$/, '-' + view.id); });
    p.querySelectorAll('.panel-remote label[for$="-ID"]').forEach((e) => { e.htmlFor = e.htmlFor.replace(/-ID$/, '-' + view.id); });
    this.canvas = $('canvas.screen', p);
    this.ctx = this.canvas.getContext('2d', { alpha: false });
    this.ctx.imageSmoothingEnabled = false;
    this.pointerCanvas = $('canvas.pointer', p);
    this.box = $('.screen-box', p);
    this.stage = $('.r-stage', p);
    this.toolbar = $('.r-toolbar', p);
    this.info = $('.r-info', p);
    this.ws = null;
    this.frames = 0;
    this.bytes = 0;
    this.syncs = new Map();
    this.syncId = 0;
    this.pendingPointer = null;
    this.cursor = { x: 0, y: 0, hotX: 0, hotY: 0 };
    this.clipSync = $('.r-clip-sync', p);
    // Following the clipboard is on by default where the role allows the clipboard.
    this.clipSync.checked = (view.info.privileges || []).includes('CLIPBOARD');
    this.clipSync.disabled = !this.clipSync.checked;
    if (this.clipSync.disabled) this.clipSync.parentElement.title = 'Your role does not allow the clipboard';
    $('.r-start', p).addEventListener('click', () => (this.ws ? this.stop() : this.start()));
    $('.r-scale', p).addEventListener('change', () => this.scale());
    $('.r-full', p).addEventListener('click', () => this.fullScreen());
    $('.r-display', p).addEventListener('change', () => this.change());
    $('.r-quality', p).addEventListener('change', () => this.change());
    $('.r-colors', p).addEventListener('change', () => this.change());
    this.clipSync.addEventListener('change', () => { this.change(); if (this.clipSync.checked) this.pushClipboard(); });
    $('.r-keys', p).addEventListener('change', (ev) => {
      const combo = ev.target.value;
      ev.target.value = '';
      if (combo) this.send({ t: 'keys', keysyms: combo.split('+').map((k) => NAMED[k] || charKeysym(k)) });
      this.canvas.focus();
    });
    $('.r-clip-send', p).addEventListener('click', () => this.send({ t: 'clipboard-set', text: $('.r-clip', p).value }));
    $('.r-clip-get', p).addEventListener('click', () => this.send({ t: 'clipboard-get' }));
    $('.r-lock', p).addEventListener('change', (ev) => this.toggle(ev.target, 'lock'));
    $('.r-blank', p).addEventListener('change', (ev) => this.toggle(ev.target, 'blank'));
    $('.r-release', p).addEventListener('click', () => this.release());
    this.canvas.addEventListener('keydown', (ev) => this.key(ev));
    this.canvas.addEventListener('focus', () => { this.capturing(); this.pushClipboard(); });
    this.canvas.addEventListener('blur', () => this.capturing());
    this.canvas.addEventListener('mousemove', (ev) => this.move(ev));
    this.canvas.addEventListener('mousedown', (ev) => { this.canvas.focus(); this.move(ev, true); this.send({ t: 'button', button: ev.button + 1, down: true }); ev.preventDefault(); });
    this.canvas.addEventListener('mouseup', (ev) => { this.move(ev, true); this.send({ t: 'button', button: ev.button + 1, down: false }); ev.preventDefault(); });
    this.canvas.addEventListener('contextmenu', (ev) => ev.preventDefault());
    this.canvas.addEventListener('wheel', (ev) => { this.send({ t: 'wheel', dx: Math.sign(ev.deltaX), dy: Math.sign(ev.deltaY) }); ev.preventDefault(); }, { passive: false });
    // In full screen the toolbar hides after a while; the mouse at the top edge or the keyboard in it
    // brings it back.
    this.stage.addEventListener('mousemove', (ev) => { if (ev.clientY < 12 || this.toolbar.contains(ev.target)) this.showToolbar(); });
    this.toolbar.addEventListener('focusin', () => this.showToolbar());
    this.refusals = null;
    this.refit = () => this.fit();
    this.fullChange = () => { this.showToolbar(); this.fit(); };
    window.addEventListener('resize', this.refit);
    document.addEventListener('fullscreenchange', this.fullChange);
    // The toolbars above the picture wrap at narrow widths and the status line may take two lines:
    // the box's top moves, and fitting must follow it.
    this.above = new ResizeObserver(this.refit);
    [$('header'), $('#status'), $('.toolbar', p), this.toolbar, $('.r-statusline', p)].forEach((e) => e && this.above.observe(e));
    this.scale();
    this.capturing();
    this.ticker = setInterval(() => this.tick(), 1000);
  }

  /** The status line's pictures a second and bandwidth, from what arrived in the last second. */
  tick() {
    if (!this.ws) return;
    this.info.textContent = this.layoutText;
    $('.r-rate', this.view.page).textContent = this.frames + ' fps · ' + rate(Math.round(this.bytes));
    this.frames = 0;
    this.bytes = 0;
  }

  /** Says whether keystrokes go to the Host: they do while the screen has the focus. */
  capturing() {
    const on = !!this.ws && document.activeElement === this.canvas;
    const p = this.view.page;
    $('.r-kbd', p).classList.toggle('hidden', !on);
    $('.r-kbd-off', p).classList.toggle('hidden', on || !this.ws);
    this.stage.classList.toggle('capturing', on);
  }

  /** Gives the keyboard back to the page. */
  release() {
    $('.r-start', this.view.page).focus();
    this.capturing();
  }

  fullScreen() {
    if (document.fullscreenElement === this.stage) document.exitFullscreen();
    else if (this.stage.requestFullscreen) this.stage.requestFullscreen().then(() => this.canvas.focus()).catch((e) => status('Full screen refused: ' + e.message, true));
  }

  showToolbar() {
    this.stage.classList.remove('toolbar-away');
    clearTimeout(this.hideTimer);
    if (document.fullscreenElement !== this.stage) return;
    this.hideTimer = setTimeout(() => {
      if (!this.toolbar.contains(document.activeElement) && !this.toolbar.matches(':hover')) this.stage.classList.add('toolbar-away');
    }, 2500);
  }

  /**
   * With Sync clipboard, this browser's clipboard goes to the Host when the screen gets the focus, if it
   * changed. Browsers ask the person or refuse outright; the status line says which.
   */
  async pushClipboard() {
    if (!this.ws || !this.clipSync.checked) return;
    if (!navigator.clipboard || !navigator.clipboard.readText) { this.clipRefused('read', 'this browser has no Clipboard API here (it needs HTTPS or localhost)'); return; }
    try {
      const text = await navigator.clipboard.readText();
      if (text !== this.clipText) {
        this.clipText = text;
        $('.r-clip', this.view.page).value = text;
        this.send({ t: 'clipboard-set', text });
        this.clipState('Clipboard: this browser\'s text went to the Host');
      }
    } catch (e) {
      this.clipRefused('read', e.message);
    }
  }

  /** The clipboard's state on the panel's own status line: the page's notices stay for what the supporter did. */
  clipState(text, bad) {
    const e = $('.r-clip-state', this.view.page);
    e.textContent = e.title = text;
    e.classList.toggle('text-danger', !!bad);
  }

  clipRefused(what, why) {
    this.clipState('Clipboard: the browser does not let this page ' + what + ' it (' + why + '); use the box and its buttons', true);
  }

  /** Lets go of what watches the window, once the connection's page is gone. */
  dispose() {
    this.stop();
    clearInterval(this.ticker);
    this.above.disconnect();
    window.removeEventListener('resize', this.refit);
    document.removeEventListener('fullscreenchange', this.fullChange);
  }

  /** What the box says when the role may not view the screen: nothing to start. */
  notAllowed() {
    this.info.textContent = 'your role does not allow viewing the screen';
  }

  start() {
    if (this.ws) return;
    const p = this.view.page;
    this.ws = new WebSocket(wsUrl('/ws/screen', { connection: this.view.id, quality: $('.r-quality', p).value,
      colors: $('.r-colors', p).value, clipboard: this.clipSync.checked ? 'on' : 'off', display: $('.r-display', p).value || null }));
    this.ws.binaryType = 'arraybuffer';
    const ws = this.ws;
    // The view's one zlib stream: each picture message carries its next flushed part.
    const inflater = new DecompressionStream('deflate');
    this.zin = inflater.writable.getWriter();
    this.zout = inflater.readable.getReader();
    this.zleft = null;
    // Messages are handled in order, the pictures' decoding being asynchronous: a layout must not
    // resize the picture under one still being drawn.
    this.queue = Promise.resolve();
    this.layoutText = 'opening…';
    this.info.textContent = 'opening…';
    $('.r-start', p).lastChild.nodeValue = ' Stop viewing';
    this.ws.onmessage = (m) => {
      this.bytes += typeof m.data === 'string' ? m.data.length : m.data.byteLength;
      this.queue = this.queue.then(() => (ws === this.ws || typeof m.data === 'string' ? (typeof m.data === 'string' ? this.text(JSON.parse(m.data)) : this.binary(m.data)) : null))
        .catch((e) => { if (ws === this.ws) { status('The picture could not be shown: ' + e.message, true); ws.close(); } });
    };
    this.ws.onclose = () => {
      this.ws = null;
      this.zin.abort().catch(() => {});
      clearTimeout(this.waiting);
      this.capturing();
      $('.r-start', p).lastChild.nodeValue = ' View screen';
      // The Host lets go of a lock and a blank screen with the session; nothing waits for it any more.
      $('.r-lock', p).checked = $('.r-blank', p).checked = false;
      for (const r of this.syncs.values()) r();
      this.syncs.clear();
    };
    this.canvas.focus();
    // A Host whose role needs its person to allow access shows nothing until they do: say so.
    this.shown = false;
    this.told = false;
    clearTimeout(this.waiting);
    this.waiting = setTimeout(() => {
      if (this.ws && !this.shown) {
        this.told = true;
        this.layoutText = this.info.textContent = 'waiting for the Host…';
        status('Waiting for ' + this.view.info.hostName + ': the person at the Host may have to allow it.', false, true);
      }
    }, 1500);
  }

  stop() { if (this.ws) this.ws.close(); }

  send(m) { if (this.ws && this.ws.readyState === 1) this.ws.send(JSON.stringify(m)); }

  /** Resolves once the Host has handled everything sent before. */
  sync() {
    const id = String(++this.syncId);
    return new Promise((resolve) => { this.syncs.set(id, resolve); this.send({ t: 'sync', id }); });
  }

  change() {
    const p = this.view.page;
    this.send({ t: 'view', display: $('.r-display', p).value || null, quality: $('.r-quality', p).value,
      colors: $('.r-colors', p).value, clipboard: this.clipSync.checked });
  }

  /**
   * Lock or Blank: ticked only while the Host does it. The Host answers a request it cannot or may not
   * carry out with a refusal, before it answers a sync sent after the request.
   */
  async toggle(box, what) {
    if (!this.ws) { box.checked = false; status('View the screen first.', true); return; }
    const refusals = this.refusals = [];
    this.send({ t: what, on: box.checked });
    await this.sync();
    if (this.refusals === refusals) this.refusals = null;
    if (refusals.length) {
      box.checked = false;
      status('The Host refused: ' + refusals.join('; '), true);
    }
  }

  scale() {
    const fit = $('.r-scale', this.view.page).value === 'fit';
    this.box.classList.toggle('fit', fit);
    this.fit();
  }

  /**
   * Sizes the box to the rest of the window and, with Fit to window, the picture to the box: exactly,
   * keeping its proportions, measured rather than guessed from the toolbars' heights.
   */
  fit() {
    if (this.view.page.classList.contains('hidden') || this.box.offsetParent === null) return;
    if (document.fullscreenElement === this.stage) {
      this.box.style.height = '';
    } else {
      const top = this.box.getBoundingClientRect().top + window.scrollY;
      this.box.style.height = Math.max(120, Math.floor(window.innerHeight - top)) + 'px';
    }
    const c = this.canvas;
    if (!this.box.classList.contains('fit') || !c.width || !c.height) {
      c.style.width = c.style.height = '';
    } else {
      const k = Math.min(this.box.clientWidth / c.width, this.box.clientHeight / c.height);
      c.style.width = Math.floor(c.width * k) + 'px';
      c.style.height = Math.floor(c.height * k) + 'px';
    }
    this.placePointer();
  }

  text(m) {
    const p = this.view.page;
    if (m.t === 'layout') {
      this.canvas.width = m.shown.width;
      this.canvas.height = m.shown.height;
      this.fit();
      const sel = $('.r-display', p);
      const current = sel.value;
      sel.replaceChildren(el('option', { value: '' }, 'All monitors'));
      for (const d of m.displays) sel.append(el('option', { value: d.id }, d.id + ' (' + d.width + '×' + d.height + ')'));
      sel.value = m.displays.some((d) => d.id === current) ? current : '';
      $('.r-viewonly', p).classList.toggle('hidden', !m.viewOnly);
      $('.r-onconsent', p).classList.toggle('hidden', !m.controlOnConsent);
      this.layoutText = m.shown.width + '×' + m.shown.height + ' via ' + m.backend;
      this.canvas.dataset.ready = 'true';
      if (!this.shown) {
        this.shown = true;
        clearTimeout(this.waiting);
        if (this.told) status('Viewing ' + this.view.info.hostName + ': the Host allowed it.');
        this.told = false;
      }
    } else if (m.t === 'clipboard') {
      $('.r-clip', p).value = m.text;
      this.clipText = m.text;
      if (!this.clipSync.checked) {
        status('The Host\'s clipboard is in the clipboard box.');
      } else if (!navigator.clipboard || !navigator.clipboard.writeText) {
        this.clipRefused('write', 'this browser has no Clipboard API here (it needs HTTPS or localhost)');
      } else {
        navigator.clipboard.writeText(m.text).then(() => this.clipState('Clipboard: the Host\'s text is in this browser\'s clipboard'),
          (e) => this.clipRefused('write', e.message));
      }
    } else if (m.t === 'control') {
      const host = this.view.info.hostName;
      if (m.state === 'asking') status('Asking the person at ' + host + ' for keyboard and mouse…', false, true);
      else if (m.state === 'given') {
        status('You have keyboard and mouse of ' + host + '; the person there takes them back with Esc.');
        $('.r-onconsent', p).classList.add('hidden');
      }
      // refused: the reason comes as "refused" next
    } else if (m.t === 'refused') {
      if (m.reason.startsWith('the input channel closed')) {
        // Taken back: with control on consent the next keystroke or click asks the person again.
        $('.r-onconsent', p).classList.toggle('hidden', !this.view.info.controlOnConsent);
        status('Keyboard and mouse of ' + this.view.info.hostName + ' are no longer yours: ' + m.reason.replace(/^the input channel closed: /, '')
          + (this.view.info.controlOnConsent ? '; your next keystroke or click asks again.' : '.'), true);
        return;
      }
      if (this.refusals) { this.refusals.push(m.reason); return; }
      status('The Host refused: ' + m.reason, true);
    } else if (m.t === 'closed') {
      status('Remote control ended: ' + m.reason, m.reason !== 'the Guest closed the view');
    } else if (m.t === 'synced') {
      const r = this.syncs.get(m.id);
      if (r) { this.syncs.delete(m.id); r(); }
    }
  }

  async binary(buf) {
    const v = new DataView(buf);
    const type = v.getUint8(0);
    if (type === 3) {
      await this.pictures(v);
      this.send({ t: 'ack' });
      this.frames++;
      this.canvas.dataset.frames = String((+this.canvas.dataset.frames || 0) + 1);
      this.canvas.dataset.bytes = String((+this.canvas.dataset.bytes || 0) + buf.byteLength);
    } else if (type === 2) {
      const c = this.cursor;
      c.x = v.getInt32(1); c.y = v.getInt32(5);
      const w = v.getInt32(17), h = v.getInt32(21);
      if (w >= 0) {
        c.hotX = v.getInt32(9); c.hotY = v.getInt32(13);
        this.pointerCanvas.width = Math.max(w, 1);
        this.pointerCanvas.height = Math.max(h, 1);
        const pc = this.pointerCanvas.getContext('2d');
        pc.clearRect(0, 0, this.pointerCanvas.width, this.pointerCanvas.height);
        if (w > 0) pc.putImageData(new ImageData(new Uint8ClampedArray(buf, 25, w * h * 4), w, h), 0, 0);
      }
      this.placePointer();
    }
  }

  /** One update (Pictures.java has the format): copies, JPEG and pixels, drawn in order. */
  async pictures(v) {
    const n = v.getUint16(1);
    const ops = [];
    let at = 3;
    let need = 0;
    for (let i = 0; i < n; i++) {
      const kind = v.getUint8(at);
      const op = { kind, x: v.getUint16(at + 1), y: v.getUint16(at + 3), w: v.getUint16(at + 5), h: v.getUint16(at + 7) };
      at += 9;
      if (kind === 0 || kind === 3) {
        need += op.w * op.h * 3;
      } else if (kind === 1) {
        const len = v.getUint32(at);
        op.image = createImageBitmap(new Blob([new Uint8Array(v.buffer, at + 4, len)], { type: 'image/jpeg' }));
        at += 4 + len;
      } else if (kind === 2) {
        op.dx = v.getUint16(at);
        op.dy = v.getUint16(at + 2);
        at += 4;
      } else {
        throw new Error('unknown picture operation ' + kind);
      }
      if (need > MAX_PIXELS * 3) throw new Error('a picture larger than any screen');
      ops.push(op);
    }
    const zlen = v.getUint32(at);
    const rgb = zlen ? await this.inflate(new Uint8Array(v.buffer, at + 4, zlen), need) : null;
    let from = 0;
    for (const op of ops) {
      if (op.kind === 0) {
        const img = new ImageData(op.w, op.h);
        const d = img.data;
        for (let i = 0, j = from, end = op.w * op.h * 4; i < end; i += 4, j += 3) {
          d[i] = rgb[j]; d[i + 1] = rgb[j + 1]; d[i + 2] = rgb[j + 2]; d[i + 3] = 255;
        }
        from += op.w * op.h * 3;
        this.ctx.putImageData(img, op.x, op.y);
      } else if (op.kind === 3) {
        this.ctx.putImageData(deltaPlanes(rgb, from, op.w, op.h), op.x, op.y);
        from += op.w * op.h * 3;
      } else if (op.kind === 1) {
        const image = await op.image;
        this.ctx.drawImage(image, op.x, op.y);
        image.close();
      } else {
        this.ctx.drawImage(this.canvas, op.x, op.y, op.w, op.h, op.dx, op.dy, op.w, op.h);
      }
    }
  }

  /** The next {@code need} bytes of the view's zlib stream, which this message's part completes. */
  async inflate(z, need) {
    this.zin.write(z.slice()); // not awaited: it completes as the output is read
    const out = new Uint8Array(need);
    let have = 0;
    while (have < need) {
      let chunk = this.zleft;
      this.zleft = null;
      if (!chunk) {
        const r = await this.zout.read();
        if (r.done) throw new Error('the picture stream ended');
        chunk = r.value;
      }
      const take = Math.min(chunk.length, need - have);
      out.set(chunk.subarray(0, take), have);
      have += take;
      if (take < chunk.length) this.zleft = chunk.subarray(take);
    }
    return out;
  }

  placePointer() {
    const k = this.canvas.clientWidth / (this.canvas.width || 1);
    const s = this.pointerCanvas.style;
    s.left = (this.canvas.offsetLeft + (this.cursor.x - this.cursor.hotX) * k) + 'px';
    s.top = (this.canvas.offsetTop + (this.cursor.y - this.cursor.hotY) * k) + 'px';
    s.width = (this.pointerCanvas.width * k) + 'px';
  }

  move(ev, now) {
    // The browser also reports a move when the picture moves under a still mouse (the status line
    // wrapped, the box was fitted anew): that is no input, and would ask the person for control.
    if (!now && ev.clientX === this.lastX && ev.clientY === this.lastY) return;
    this.lastX = ev.clientX;
    this.lastY = ev.clientY;
    const r = this.canvas.getBoundingClientRect();
    const x = Math.round((ev.clientX - r.left) * this.canvas.width / r.width);
    const y = Math.round((ev.clientY - r.top) * this.canvas.height / r.height);
    if (now) { this.pendingPointer = null; this.send({ t: 'pointer', x, y }); return; }
    const first = !this.pendingPointer;
    this.pendingPointer = { x, y };
    if (first) requestAnimationFrame(() => { if (this.pendingPointer) { this.send(Object.assign({ t: 'pointer' }, this.pendingPointer)); this.pendingPointer = null; } });
  }

  // Printable keys are sent as text, so the Host types exactly that character whatever its layout;
  // anything with Ctrl, Alt or Meta, and the named keys, go as keysyms with the modifiers held.
  key(ev) {
    if (!this.ws) return;
    const k = ev.key;
    if ((k === 'Shift' || k === 'Control' || k === 'Alt') && ev.ctrlKey && ev.altKey && ev.shiftKey) {
      ev.preventDefault();
      this.release();
      return;
    }
    if (k === 'Shift' || k === 'Control' || k === 'Alt' || k === 'Meta' || k === 'AltGraph' || k === 'OS' || k === 'Dead') return;
    ev.preventDefault();
    const printable = [...k].length === 1;
    if (printable && !ev.ctrlKey && !ev.altKey && !ev.metaKey) { this.send({ t: 'type', text: k }); return; }
    const sym = printable ? charKeysym(k.toLowerCase()) : KEYSYMS[k];
    if (!sym) return;
    const keys = [];
    if (ev.ctrlKey) keys.push(0xffe3);
    if (ev.altKey) keys.push(0xffe9);
    if (ev.metaKey) keys.push(0xffeb);
    if (ev.shiftKey && !printable) keys.push(0xffe1);
    keys.push(sym);
    this.send({ t: 'keys', keysyms: keys });
  }
}
