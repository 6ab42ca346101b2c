// A recording stand-in for CanvasRenderingContext2D that turns Chart.js's
// drawing calls into SVG markup, so chart exports are real vectors drawn by
// the same code as the screen, not a bitmap in an SVG wrapper. It covers the
// subset of the canvas API that Chart.js uses.

const escape = (text) =>
  String(text).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c],
  );
const round = (value) => Math.round(value * 100) / 100;

function multiply([a1, b1, c1, d1, e1, f1], [a2, b2, c2, d2, e2, f2]) {
  return [
    a1 * a2 + c1 * b2,
    b1 * a2 + d1 * b2,
    a1 * c2 + c1 * d2,
    b1 * c2 + d1 * d2,
    a1 * e2 + c1 * f2 + e1,
    b1 * e2 + d1 * f2 + f1,
  ];
}

const anchors = { left: 'start', start: 'start', center: 'middle', right: 'end', end: 'end' };
const baselines = {
  top: 'text-before-edge',
  hanging: 'hanging',
  middle: 'central',
  bottom: 'text-after-edge',
  alphabetic: 'alphabetic',
  ideographic: 'ideographic',
};

export class SvgContext {
  constructor(width, height, canvas) {
    this.width = width;
    this.height = height;
    this.canvas = canvas;
    this.measurer = document.createElement('canvas').getContext('2d');
    this.parts = [];
    this.clipCount = 0;
    this.path = '';
    this.state = {
      matrix: [1, 0, 0, 1, 0, 0],
      fillStyle: '#000',
      strokeStyle: '#000',
      lineWidth: 1,
      lineCap: 'butt',
      lineJoin: 'miter',
      miterLimit: 10,
      lineDash: [],
      lineDashOffset: 0,
      font: '10px sans-serif',
      textAlign: 'start',
      textBaseline: 'alphabetic',
      globalAlpha: 1,
      clip: null,
    };
    this.stack = [];
    for (const name of Object.keys(this.state)) {
      if (name === 'matrix' || name === 'clip' || name === 'lineDash') continue;
      Object.defineProperty(this, name, {
        get: () => this.state[name],
        set: (value) => {
          this.state[name] = value;
        },
      });
    }
    this.globalCompositeOperation = 'source-over';
    this.shadowBlur = 0;
    this.shadowColor = 'transparent';
    this.shadowOffsetX = 0;
    this.shadowOffsetY = 0;
    this.imageSmoothingEnabled = true;
  }

  point(x, y) {
    const [a, b, c, d, e, f] = this.state.matrix;
    return [round(a * x + c * y + e), round(b * x + d * y + f)];
  }

  save() {
    this.stack.push({ ...this.state, lineDash: [...this.state.lineDash] });
  }
  restore() {
    if (this.stack.length) this.state = this.stack.pop();
  }
  transform(a, b, c, d, e, f) {
    this.state.matrix = multiply(this.state.matrix, [a, b, c, d, e, f]);
  }
  setTransform(a = 1, b = 0, c = 0, d = 1, e = 0, f = 0) {
    this.state.matrix = typeof a === 'object' ? [a.a, a.b, a.c, a.d, a.e, a.f] : [a, b, c, d, e, f];
  }
  resetTransform() {
    this.state.matrix = [1, 0, 0, 1, 0, 0];
  }
  getTransform() {
    const [a, b, c, d, e, f] = this.state.matrix;
    return new DOMMatrix([a, b, c, d, e, f]);
  }
  translate(x, y) {
    this.transform(1, 0, 0, 1, x, y);
  }
  scale(x, y) {
    this.transform(x, 0, 0, y, 0, 0);
  }
  rotate(angle) {
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    this.transform(cos, sin, -sin, cos, 0, 0);
  }
  setLineDash(segments) {
    this.state.lineDash = [...segments];
  }
  getLineDash() {
    return [...this.state.lineDash];
  }

  beginPath() {
    this.path = '';
  }
  closePath() {
    this.path += 'Z';
  }
  moveTo(x, y) {
    this.path += `M${this.point(x, y).join(' ')}`;
  }
  lineTo(x, y) {
    this.path += `L${this.point(x, y).join(' ')}`;
  }
  bezierCurveTo(x1, y1, x2, y2, x, y) {
    this.path += `C${[...this.point(x1, y1), ...this.point(x2, y2), ...this.point(x, y)].join(' ')}`;
  }
  quadraticCurveTo(x1, y1, x, y) {
    this.path += `Q${[...this.point(x1, y1), ...this.point(x, y)].join(' ')}`;
  }
  rect(x, y, w, h) {
    this.moveTo(x, y);
    this.lineTo(x + w, y);
    this.lineTo(x + w, y + h);
    this.lineTo(x, y + h);
    this.closePath();
  }
  roundRect(x, y, w, h) {
    this.rect(x, y, w, h);
  }
  arc(x, y, radius, start, end, counterclockwise = false) {
    const [a, b, c, d] = this.state.matrix;
    const r = round(radius * Math.sqrt(Math.abs(a * d - b * c)));
    let sweep = counterclockwise ? start - end : end - start;
    if (sweep >= 2 * Math.PI || sweep <= -2 * Math.PI) {
      // A full circle: two half arcs, since one SVG arc cannot close on itself.
      const [cx, cy] = this.point(x, y);
      this.path += `${this.path ? 'L' : 'M'}${round(cx + r)} ${cy}A${r} ${r} 0 1 1 ${round(cx - r)} ${cy}A${r} ${r} 0 1 1 ${round(cx + r)} ${cy}`;
      return;
    }
    sweep = ((sweep % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    const from = this.point(x + radius * Math.cos(start), y + radius * Math.sin(start));
    const to = this.point(x + radius * Math.cos(end), y + radius * Math.sin(end));
    this.path += `${this.path ? 'L' : 'M'}${from.join(' ')}`;
    this.path += `A${r} ${r} 0 ${sweep > Math.PI ? 1 : 0} ${counterclockwise ? 0 : 1} ${to.join(' ')}`;
  }
  ellipse(x, y, radiusX, radiusY, rotation, start, end, counterclockwise) {
    this.arc(x, y, (radiusX + radiusY) / 2, start, end, counterclockwise);
  }

  clipAttribute() {
    return this.state.clip ? ` clip-path="url(#${this.state.clip})"` : '';
  }
  fillAttributes() {
    const alpha = this.state.globalAlpha < 1 ? ` fill-opacity="${this.state.globalAlpha}"` : '';
    return `fill="${escape(this.state.fillStyle)}"${alpha}`;
  }
  strokeAttributes() {
    const s = this.state;
    const dash = s.lineDash.length
      ? ` stroke-dasharray="${s.lineDash.join(' ')}" stroke-dashoffset="${s.lineDashOffset}"`
      : '';
    const alpha = s.globalAlpha < 1 ? ` stroke-opacity="${s.globalAlpha}"` : '';
    const [a, b, c, d] = s.matrix;
    const width = round(s.lineWidth * Math.sqrt(Math.abs(a * d - b * c)));
    return `fill="none" stroke="${escape(s.strokeStyle)}" stroke-width="${width}" stroke-linecap="${s.lineCap}" stroke-linejoin="${s.lineJoin}"${dash}${alpha}`;
  }
  fill() {
    if (this.path)
      this.parts.push(`<path d="${this.path}" ${this.fillAttributes()}${this.clipAttribute()}/>`);
  }
  stroke() {
    if (this.path && this.state.lineWidth > 0) {
      this.parts.push(`<path d="${this.path}" ${this.strokeAttributes()}${this.clipAttribute()}/>`);
    }
  }
  clip() {
    const id = `clip${++this.clipCount}`;
    this.parts.push(`<clipPath id="${id}"><path d="${this.path || 'M0 0'}"/></clipPath>`);
    this.state.clip = id;
  }
  fillRect(x, y, w, h) {
    const saved = this.path;
    this.beginPath();
    this.rect(x, y, w, h);
    this.fill();
    this.path = saved;
  }
  strokeRect(x, y, w, h) {
    const saved = this.path;
    this.beginPath();
    this.rect(x, y, w, h);
    this.stroke();
    this.path = saved;
  }
  clearRect() {}
  drawImage() {}
  isPointInPath() {
    return false;
  }
  createLinearGradient() {
    return { addColorStop() {} };
  }
  createRadialGradient() {
    return { addColorStop() {} };
  }
  createPattern() {
    return null;
  }

  measureText(text) {
    this.measurer.font = this.state.font;
    return this.measurer.measureText(text);
  }
  fillText(text, x, y) {
    const s = this.state;
    const [a, b, c, d, e, f] = s.matrix;
    const transform =
      a === 1 && b === 0 && c === 0 && d === 1
        ? ''
        : ` transform="matrix(${[a, b, c, d, e, f].map(round).join(' ')})"`;
    const [tx, ty] = transform ? [round(x), round(y)] : this.point(x, y);
    const alpha = s.globalAlpha < 1 ? ` fill-opacity="${s.globalAlpha}"` : '';
    const markup =
      `<text x="${tx}" y="${ty}"${transform} fill="${escape(s.fillStyle)}"${alpha} style="font:${escape(s.font)}" ` +
      `text-anchor="${anchors[s.textAlign] || 'start'}" dominant-baseline="${baselines[s.textBaseline] || 'alphabetic'}">` +
      `${escape(text)}</text>`;
    // A clip path applies in the user space of the element it is set on, so
    // rotated text gets its clip from an untransformed group around it.
    this.parts.push(s.clip ? `<g${this.clipAttribute()}>${markup}</g>` : markup);
  }
  strokeText() {}

  toString(background, title) {
    return (
      `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" ` +
      `viewBox="0 0 ${this.width} ${this.height}" role="img">` +
      (title ? `<title>${escape(title)}</title>` : '') +
      (background ? `<rect width="100%" height="100%" fill="${escape(background)}"/>` : '') +
      `${this.parts.join('')}</svg>`
    );
  }
}

/** Renders a Chart.js chart as an SVG document string. */
export function chartToSvg(chart, { background, title } = {}) {
  const svg = new SvgContext(chart.width, chart.height, chart.canvas);
  const screen = chart.ctx;
  // The chart, its scales, legend and dataset controllers each keep their
  // own reference to the context; all of them must draw into the recorder.
  const holders = [
    chart,
    ...chart.boxes,
    ...chart.data.datasets.map((_, index) => chart.getDatasetMeta(index).controller),
  ];
  const swap = (from, to) => {
    for (const holder of holders) {
      if (holder.ctx === from) holder.ctx = to;
      if (holder._ctx === from) holder._ctx = to;
    }
  };
  // Finish any running animation so the export shows the final chart.
  chart.update('none');
  swap(screen, svg);
  try {
    chart.draw();
  } finally {
    swap(svg, screen);
    chart.draw();
  }
  return svg.toString(background, title);
}
