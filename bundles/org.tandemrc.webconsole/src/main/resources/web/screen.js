// The remote-screen client: the screen socket's pictures, pointer and clipboard, and the keyboard
// and mouse sent back.
import { $, el, status, wsUrl } from './dom.js';

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

export class RemoteView {
  constructor(view) {
    this.view = view;
    const p = view.page;
    this.canvas = $('canvas.screen', p);
    this.ctx = this.canvas.getContext('2d', { alpha: false });
    this.pointerCanvas = $('canvas.pointer', p);
    this.box = $('.screen-box', p);
    this.info = $('.r-info', p);
    this.ws = null;
    this.frames = 0;
    this.syncs = new Map();
    this.syncId = 0;
    this.pendingPointer = null;
    this.cursor = { x: 0, y: 0, hotX: 0, hotY: 0 };
    $('.r-start', p).addEventListener('click', () => (this.ws ? this.stop() : this.start()));
    $('.r-scale', p).addEventListener('change', () => this.scale());
    $('.r-full', p).addEventListener('click', () => this.box.requestFullscreen && this.box.requestFullscreen());
    $('.r-display', p).addEventListener('change', () => this.change());
    $('.r-quality', p).addEventListener('change', () => this.change());
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
    this.canvas.addEventListener('keydown', (ev) => this.key(ev));
    this.canvas.addEventListener('mousemove', (ev) => this.move(ev));
    this.canvas.addEventListener('mousedown', (ev) => { this.canvas.focus(); this.move(ev, true); this.send({ t: 'button', button: ev.button + 1, down: true }); ev.preventDefault(); });
    this.canvas.addEventListener('mouseup', (ev) => { this.move(ev, true); this.send({ t: 'button', button: ev.button + 1, down: false }); ev.preventDefault(); });
    this.canvas.addEventListener('contextmenu', (ev) => ev.preventDefault());
    this.canvas.addEventListener('wheel', (ev) => { this.send({ t: 'wheel', dx: Math.sign(ev.deltaX), dy: Math.sign(ev.deltaY) }); ev.preventDefault(); }, { passive: false });
    this.refusals = null;
    this.refit = () => this.fit();
    window.addEventListener('resize', this.refit);
    document.addEventListener('fullscreenchange', this.refit);
    // The toolbars above the picture wrap at narrow widths and the status line may take two lines:
    // the box's top moves, and fitting must follow it.
    this.above = new ResizeObserver(this.refit);
    [$('header'), $('#status'), $('.toolbar', p), $('.panel-remote > .toolbar', p), $('.r-clip', p)].forEach((e) => this.above.observe(e));
    this.scale();
    this.ticker = setInterval(() => { if (this.ws) { this.info.textContent = this.layoutText + ' · ' + this.frames + ' updates/s'; this.frames = 0; } }, 1000);
  }

  /** Lets go of what watches the window, once the connection's page is gone. */
  dispose() {
    this.stop();
    clearInterval(this.ticker);
    this.above.disconnect();
    window.removeEventListener('resize', this.refit);
    document.removeEventListener('fullscreenchange', this.refit);
  }

  /** What the box says when the role may not view the screen: nothing to start. */
  notAllowed() {
    this.info.textContent = 'your role does not allow viewing the screen';
  }

  start() {
    if (this.ws) return;
    const p = this.view.page;
    this.ws = new WebSocket(wsUrl('/ws/screen', { connection: this.view.id, quality: $('.r-quality', p).value, display: $('.r-display', p).value || null }));
    this.ws.binaryType = 'arraybuffer';
    this.layoutText = 'opening…';
    this.info.textContent = 'opening…';
    $('.r-start', p).textContent = 'Stop viewing';
    this.ws.onmessage = (m) => (typeof m.data === 'string' ? this.text(JSON.parse(m.data)) : this.binary(m.data));
    this.ws.onclose = () => {
      this.ws = null;
      clearTimeout(this.waiting);
      $('.r-start', p).textContent = 'View screen';
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
    this.send({ t: 'view', display: $('.r-display', p).value || null, quality: $('.r-quality', p).value });
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
    if (document.fullscreenElement === this.box) {
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
      status('The Host\'s clipboard is in the clipboard box.');
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

  binary(buf) {
    const v = new DataView(buf);
    const type = v.getUint8(0);
    if (type === 1) {
      const x = v.getInt32(1), y = v.getInt32(5), w = v.getInt32(9), h = v.getInt32(13);
      this.ctx.putImageData(new ImageData(new Uint8ClampedArray(buf, 17, w * h * 4), w, h), x, y);
      this.frames++;
      this.canvas.dataset.frames = String((+this.canvas.dataset.frames || 0) + 1);
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
