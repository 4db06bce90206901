// A parser for the HCL expression syntax that @cdktf/hcl2json leaves as text ("${...}"
// strings): literals, string templates, references, function calls, operators, conditionals,
// lists, objects and for-expressions. Enough to evaluate this repository's Terraform (render.mjs);
// anything else fails with the text it could not read.

/** Parses the body of an hcl2json string: a template whose literal parts are already unescaped. */
export function parseTemplateValue(text) {
  const p = new Parser(text);
  const parts = p.templateParts(null);
  if (p.pos !== text.length) p.fail('unexpected text after the template');
  return templateNode(parts);
}

/** Parses one expression (e.g. a type constraint without its "${ }"). */
export function parseExpression(text) {
  const p = new Parser(text);
  const e = p.expr();
  p.ws(true);
  if (p.pos !== text.length) p.fail('unexpected text after the expression');
  return e;
}

function templateNode(parts) {
  // "${x}" alone is x itself (not its string form), as in Terraform
  if (parts.length === 1 && typeof parts[0] !== 'string') return parts[0];
  if (parts.every((x) => typeof x === 'string')) return { t: 'lit', v: parts.join('') };
  return { t: 'tmpl', parts };
}

const BINARY = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<=', '>=', '<', '>'],
  ['+', '-'],
  ['*', '/', '%'],
];

class Parser {
  constructor(src) {
    this.src = src;
    this.pos = 0;
  }

  fail(msg) {
    const at = this.src.slice(Math.max(0, this.pos - 30), this.pos + 30).replace(/\n/g, '\\n');
    throw new Error(`HCL expression: ${msg} at ${this.pos} near "${at}"`);
  }

  /** Skips blanks and comments; newlines too when `newlines`. */
  ws(newlines) {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#' || (c === '/' && this.src[this.pos + 1] === '/')) {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && this.src[this.pos + 1] === '*') {
        const end = this.src.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else return;
    }
  }

  peek(s) {
    this.ws(true);
    return this.src.startsWith(s, this.pos);
  }

  eat(s) {
    if (this.peek(s)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  expect(s) {
    if (!this.eat(s)) this.fail(`expected "${s}"`);
  }

  ident() {
    this.ws(true);
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos));
    if (!m) return null;
    this.pos += m[0].length;
    return m[0];
  }

  expr() {
    const c = this.binary(0);
    if (this.peek('?')) {
      this.pos++;
      const a = this.expr();
      this.expect(':');
      const b = this.expr();
      return { t: 'cond', c, a, b };
    }
    return c;
  }

  binary(level) {
    if (level === BINARY.length) return this.unary();
    let l = this.binary(level + 1);
    for (;;) {
      this.ws(true);
      // "=>" and "==" must not be read as "="-something; "<"/">" must not eat "<="/">="
      const op = BINARY[level].find((o) => this.src.startsWith(o, this.pos));
      if (!op) return l;
      this.pos += op.length;
      l = { t: 'bin', op, l, r: this.binary(level + 1) };
    }
  }

  unary() {
    if (this.peek('!')) {
      this.pos++;
      return { t: 'un', op: '!', e: this.unary() };
    }
    if (this.peek('-') && !/[0-9]/.test(this.src[this.pos + 1] ?? '')) {
      this.pos++;
      return { t: 'un', op: '-', e: this.unary() };
    }
    return this.postfix(this.primary());
  }

  postfix(e) {
    for (;;) {
      this.ws(false);
      if (this.src.startsWith('[*]', this.pos)) {
        this.pos += 3;
        e = { t: 'splat', e };
      } else if (this.src[this.pos] === '[') {
        this.pos++;
        const key = this.expr();
        this.expect(']');
        e = { t: 'idx', e, key };
      } else if (this.src[this.pos] === '.' && this.src[this.pos + 1] !== '.') {
        this.pos++;
        if (this.src[this.pos] === '*') {
          this.pos++;
          e = { t: 'splat', e };
          continue;
        }
        const m = /^[0-9]+/.exec(this.src.slice(this.pos));
        if (m) {
          this.pos += m[0].length;
          e = { t: 'idx', e, key: { t: 'lit', v: Number(m[0]) } };
          continue;
        }
        const name = this.ident();
        if (!name) this.fail('expected an attribute name');
        e = { t: 'get', e, name };
      } else return e;
    }
  }

  primary() {
    this.ws(true);
    const c = this.src[this.pos];
    if (c === '"') {
      this.pos++;
      const parts = this.templateParts('"');
      return templateNode(parts);
    }
    if (c === '<' && this.src.startsWith('<<', this.pos)) this.fail('heredocs are not supported');
    if (c === '(') {
      this.pos++;
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (c === '[') return this.list();
    if (c === '{') return this.object();
    const num = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return { t: 'lit', v: Number(num[0]) };
    }
    const name = this.ident();
    if (!name) this.fail('expected an expression');
    if (name === 'true' || name === 'false') return { t: 'lit', v: name === 'true' };
    if (name === 'null') return { t: 'lit', v: null };
    this.ws(false);
    if (this.src[this.pos] === '(') {
      this.pos++;
      const args = [];
      let expand = false;
      while (!this.eat(')')) {
        args.push(this.expr());
        if (this.eat('...')) expand = true;
        if (!this.eat(',') && !this.peek(')')) this.fail('expected "," or ")" in a call');
      }
      return { t: 'call', fn: name, args, expand };
    }
    return { t: 'ref', name };
  }

  forHead() {
    const save = this.pos;
    if (this.ident() !== 'for') {
      this.pos = save;
      return null;
    }
    const a = this.ident();
    const b = this.eat(',') ? this.ident() : null;
    if (this.ident() !== 'in') this.fail('expected "in"');
    const coll = this.expr();
    this.expect(':');
    return { k: b ? a : null, v: b ?? a, coll };
  }

  list() {
    this.expect('[');
    const head = this.forHead();
    if (head) {
      const val = this.expr();
      const cond = this.eat('if') ? this.expr() : null;
      this.expect(']');
      return { t: 'for', kind: 'list', ...head, val, cond };
    }
    const items = [];
    while (!this.eat(']')) {
      items.push(this.expr());
      if (!this.eat(',') && !this.peek(']')) this.fail('expected "," or "]" in a list');
    }
    return { t: 'list', items };
  }

  object() {
    this.expect('{');
    const head = this.forHead();
    if (head) {
      const key = this.expr();
      this.expect('=>');
      const val = this.expr();
      const group = this.eat('...');
      const cond = this.eat('if') ? this.expr() : null;
      this.expect('}');
      return { t: 'for', kind: 'object', ...head, key, val, group, cond };
    }
    const entries = [];
    while (!this.eat('}')) {
      this.ws(true);
      let key;
      const save = this.pos;
      const name = this.ident();
      this.ws(false);
      if (name && (this.src[this.pos] === '=' || this.src[this.pos] === ':') && this.src[this.pos + 1] !== '=') {
        key = { t: 'lit', v: name }; // a bare key is its name, not a reference
      } else {
        this.pos = save;
        key = this.expr();
      }
      this.ws(false);
      if (!this.eat('=') && !this.eat(':')) this.fail('expected "=" in an object');
      entries.push([key, this.expr()]);
      this.ws(false);
      if (this.src[this.pos] === ',') this.pos++; // else a newline (or the closing brace) separates
    }
    return { t: 'obj', entries };
  }

  /**
   * The parts of a template up to `quote` (or the end for a top-level hcl2json string, whose
   * literal text is already unescaped): strings and expression nodes.
   */
  templateParts(quote) {
    const parts = [];
    let lit = '';
    for (;;) {
      if (this.pos >= this.src.length) {
        if (quote) this.fail('unterminated string');
        break;
      }
      const c = this.src[this.pos];
      if (quote && c === quote) {
        this.pos++;
        break;
      }
      if (c === '$' && this.src[this.pos + 1] === '$' && this.src[this.pos + 2] === '{') {
        lit += '${';
        this.pos += 3;
      } else if (c === '$' && this.src[this.pos + 1] === '{') {
        this.pos += 2;
        this.eat('~');
        if (lit) parts.push(lit);
        lit = '';
        parts.push(this.expr());
        this.eat('~');
        this.expect('}');
      } else if (c === '%' && this.src[this.pos + 1] === '{') {
        this.fail('template directives (%{...}) are not supported');
      } else if (quote && c === '\\') {
        const n = this.src[this.pos + 1];
        const map = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (n in map) {
          lit += map[n];
          this.pos += 2;
        } else if (n === 'u') {
          lit += String.fromCharCode(parseInt(this.src.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else this.fail(`unknown escape \\${n}`);
      } else {
        lit += c;
        this.pos++;
      }
    }
    if (lit || parts.length === 0) parts.push(lit);
    return parts;
  }
}
