/**
 * A streaming, byte-level XML tokenizer for machine-written files such as 3GPP measCollecFile.
 * It is push-based (`write(chunk)` … `end()`), keeps only the unfinished token between chunks, and
 * checks what matters for trusting a file: tags nest and close, attributes are quoted, entities are
 * known, there is one root, and the file does not end half-way. It refuses DOCTYPE (no entity
 * expansion, no external entities) and UTF-16. Text the handler does not ask for (`wantText`) is
 * skipped without being decoded, which is where the speed comes from.
 *
 * Why not saxes or htmlparser2: on this project's development machine saxes tokenizes ~27-31 MB/s
 * and htmlparser2 ~37 MB/s, against a 50 MB/s target for PM files including KPI computation. This
 * scanner walks the bytes with short loops (tokens are tiny; native indexOf calls cost more than
 * they save), interns repeated names (string-cache.ts), reuses one attribute object, and decodes
 * only names, attributes and wanted text.
 * test/collectors/pm-xml/xml-scanner.test.ts checks it against saxes on generated documents.
 */
import { StringCache, utf8 } from './string-cache.js';

/** Malformed XML, with the 1-based line and column (in bytes) where it was noticed. */
export class XmlSyntaxError extends Error {
  readonly code = 'NOCWATCH_ERR_XML_SYNTAX';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`malformed XML at line ${line}, column ${column}: ${reason}`);
    this.name = 'XmlSyntaxError';
  }
}

/**
 * The attributes of the tag being opened. One object is reused for every tag (PM files have
 * millions): read it inside `openTag`, never keep it.
 */
export class XmlAttributes {
  private names: string[] = [];
  private values: string[] = [];
  count = 0;

  /** The value of an attribute, or undefined. */
  get(name: string): string | undefined {
    for (let i = 0; i < this.count; i++) if (this.names[i] === name) return this.values[i];
    return undefined;
  }

  /** A plain copy, for callers that need to keep them. */
  toObject(): Record<string, string> {
    const o: Record<string, string> = Object.create(null);
    for (let i = 0; i < this.count; i++) o[this.names[i]] = this.values[i];
    return o;
  }

  /** @internal */
  add(name: string, value: string): boolean {
    if (this.get(name) !== undefined) return false;
    this.names[this.count] = name;
    this.values[this.count] = value;
    this.count++;
    return true;
  }
}

/** Receives the document. Element names arrive without their namespace prefix. */
export interface XmlHandler {
  /** Read before each text run: decode and deliver text only while this is true. */
  readonly wantText: boolean;
  openTag(name: string, attrs: XmlAttributes): void;
  /** Also called right after openTag for a self-closing element. */
  closeTag(name: string): void;
  text(text: string): void;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QMARK = 0x3f;
const BANG = 0x21;
const EQ = 0x3d;
const AMP = 0x26;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const NL = 0x0a;

/**
 * Longest single token (tag, comment, text run) kept across chunks before the file is refused. An
 * unfinished token is re-scanned with every chunk, so this bounds that work too: at 16 MB a hostile
 * 8 MB attribute took 2 s; a real measResults run for a cell with thousands of counters is ~100 KB.
 */
const MAX_TOKEN_BYTES = 1024 * 1024;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
/** Name characters: ASCII letters, digits, `_ - . :` and any non-ASCII byte (UTF-8). */
const NAME_CHAR = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  NAME_CHAR[c] = Number(
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x5f || c === 0x2d || c === 0x2e || c === 0x3a || c >= 0x80,
  );
}
const isNameStart = (c: number): boolean => NAME_CHAR[c] === 1 && !(c >= 0x30 && c <= 0x39) && c !== 0x2d && c !== 0x2e;

const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const BARE_AMP = /&(?!(?:lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});)/;

/** Incomplete token: wait for more input. */
const MORE = -1;

export class XmlScanner {
  private pending: Buffer | null = null;
  private readonly stack: string[] = [];
  private rootDone = false;
  private started = false;
  /** Line number and 0-based column of the first byte of the current data buffer. */
  private line = 1;
  private column = 0;
  private data: Buffer = Buffer.alloc(0);
  private readonly names = new StringCache();
  private readonly localNames = new Map<string, string>();
  private readonly attrs = new XmlAttributes();

  constructor(private readonly handler: XmlHandler) {}

  /** Feeds the next chunk of the file. Throws XmlSyntaxError. */
  write(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    if (!this.started) {
      if (data.length < 3) {
        this.pending = data;
        return;
      }
      this.started = true;
      if ((data[0] === 0xfe && data[1] === 0xff) || (data[0] === 0xff && data[1] === 0xfe)) {
        throw new XmlSyntaxError('UTF-16 files are not supported; export as UTF-8', 1, 1);
      }
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
    }
    this.data = data;
    const done = this.scan(false);
    this.consume(done);
  }

  /** The file is complete: anything unfinished is an error (typically a truncated file). */
  end(): void {
    if (this.pending || !this.started) {
      this.data = this.pending ?? Buffer.alloc(0);
      this.pending = null;
      const done = this.scan(true);
      this.consume(done);
    }
    if (this.stack.length > 0) {
      throw this.error(`unexpected end of file: <${this.stack[this.stack.length - 1]}> is not closed (truncated file?)`, this.data.length);
    }
    if (!this.rootDone) throw this.error('no root element', this.data.length);
  }

  private consume(done: number): void {
    const data = this.data;
    let lastNl = -1;
    for (let i = data.indexOf(NL); i >= 0 && i < done; i = data.indexOf(NL, i + 1)) {
      this.line++;
      lastNl = i;
    }
    this.column = lastNl < 0 ? this.column + done : done - lastNl - 1;
    if (done < data.length) {
      if (data.length - done > MAX_TOKEN_BYTES) throw this.error(`a single token is longer than ${MAX_TOKEN_BYTES} bytes`, done);
      this.pending = Buffer.from(data.subarray(done));
    } else {
      this.pending = null;
    }
    this.data = Buffer.alloc(0);
  }

  /** Scans `this.data`; returns how many bytes were fully consumed. */
  private scan(final: boolean): number {
    const data = this.data;
    const len = data.length;
    let pos = 0;
    while (pos < len) {
      if (data[pos] !== LT) {
        // Text runs are short (a value, indentation): a JS loop beats a native indexOf call here.
        let lt = pos + 1;
        while (lt < len && data[lt] !== LT) lt++;
        if (lt === len && !final) return pos;
        this.textRun(pos, lt);
        pos = lt;
        continue;
      }
      if (pos + 1 >= len) {
        if (final) throw this.error('unexpected end of file inside a tag', pos);
        return pos;
      }
      const next = data[pos + 1];
      let end: number;
      if (next === SLASH) end = this.endTag(pos);
      else if (next === QMARK) end = this.skipUntil(pos, '?>', 'processing instruction');
      else if (next === BANG) end = this.markup(pos, final);
      else end = this.startTag(pos);
      if (end === MORE) {
        if (final) throw this.error('unexpected end of file inside a tag', pos);
        return pos;
      }
      pos = end;
    }
    return pos;
  }

  private textRun(start: number, end: number): void {
    const data = this.data;
    if (this.stack.length === 0) {
      for (let i = start; i < end; i++) {
        if (!isSpace(data[i])) throw this.error(this.rootDone ? 'text after the root element' : 'text before the root element', i);
      }
      return;
    }
    if (!this.handler.wantText) return;
    let raw = utf8(data, start, end);
    // XML normalises line ends in text to \n.
    if (raw.indexOf('\r') >= 0) raw = raw.replace(/\r\n?/g, '\n');
    this.handler.text(raw.indexOf('&') < 0 ? raw : this.decodeEntities(raw, start));
  }

  /** `at` is the byte offset of `s` in the data, for the error position. */
  private decodeEntities(s: string, at: number): string {
    const bad = BARE_AMP.exec(s);
    if (bad) throw this.error('"&" that is not an entity (write &amp;)', at + Buffer.byteLength(s.slice(0, bad.index)));
    return s.replace(ENTITY, (_m, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
      if (named) return NAMED[named];
      const cp = dec ? Number(dec) : parseInt(hex!, 16);
      if (cp === 0 || cp > 0x10ffff) throw this.error(`invalid character reference &#${dec ?? `x${hex}`};`, at);
      return String.fromCodePoint(cp);
    });
  }

  private skipUntil(pos: number, terminator: string, what: string): number {
    const end = this.data.indexOf(terminator, pos + 2);
    if (end < 0) return MORE;
    if (what === 'processing instruction' && this.stack.length === 0 && this.rootDone === false) {
      this.checkDeclaration(pos, end);
    }
    return end + terminator.length;
  }

  private checkDeclaration(pos: number, end: number): void {
    const decl = this.data.toString('latin1', pos, end);
    const enc = /^<\?xml\s[^]*encoding\s*=\s*["']([^"']+)["']/.exec(decl);
    if (enc && !/^(utf-?8|us-ascii|ascii)$/i.test(enc[1])) {
      throw this.error(`encoding "${enc[1]}" is not supported; export as UTF-8`, pos);
    }
  }

  private markup(pos: number, final: boolean): number {
    const data = this.data;
    if (data.length - pos < 9 && !final) {
      // Not enough bytes to tell a comment from CDATA from DOCTYPE yet.
      const avail = data.toString('latin1', pos, data.length);
      if ('<!--'.startsWith(avail) || '<![CDATA['.startsWith(avail) || '<!DOCTYPE'.startsWith(avail)) return MORE;
    }
    if (data[pos + 2] === 0x2d && data[pos + 3] === 0x2d) return this.skipUntil(pos + 2, '-->', 'comment');
    if (data.toString('latin1', pos, pos + 9) === '<![CDATA[') {
      if (this.stack.length === 0) throw this.error('CDATA outside the root element', pos);
      const end = data.indexOf(']]>', pos + 9);
      if (end < 0) return MORE;
      if (this.handler.wantText) this.handler.text(utf8(data, pos + 9, end));
      return end + 3;
    }
    if (data.toString('latin1', pos, pos + 9) === '<!DOCTYPE') {
      throw this.error('DOCTYPE is not allowed in a measurement file (no entity definitions are read)', pos);
    }
    throw this.error('unexpected "<!"', pos);
  }

  private endTag(pos: number): number {
    const data = this.data;
    const len = data.length;
    let nameEnd = pos + 2;
    while (nameEnd < len && NAME_CHAR[data[nameEnd]] === 1) nameEnd++;
    let gt = nameEnd;
    while (gt < len && isSpace(data[gt])) gt++;
    if (gt >= len) return MORE;
    if (data[gt] !== GT) throw this.error('malformed end tag', gt);
    const name = this.names.get(data, pos + 2, nameEnd);
    const open = this.stack.pop();
    if (open === undefined) throw this.error(`end tag </${name}> without a start tag`, pos);
    if (open !== name) throw this.error(`end tag </${name}> does not match <${open}>`, pos);
    if (this.stack.length === 0) this.rootDone = true;
    this.handler.closeTag(this.localName(name));
    return gt + 1;
  }

  private startTag(pos: number): number {
    const data = this.data;
    const len = data.length;
    let i = pos + 1;
    if (!isNameStart(data[i])) throw this.error('"<" that does not start a tag (write &lt;)', pos);
    while (i < len && NAME_CHAR[data[i]] === 1) i++;
    if (i >= len) return MORE;
    const name = this.names.get(data, pos + 1, i);
    const attrs = this.attrs;
    attrs.count = 0;
    for (;;) {
      const afterName = i;
      while (i < len && isSpace(data[i])) i++;
      if (i >= len) return MORE;
      const c = data[i];
      if (c === GT || c === SLASH) {
        if (c === SLASH) {
          if (i + 1 >= len) return MORE;
          if (data[i + 1] !== GT) throw this.error('"/" not followed by ">" in a tag', i);
          i++;
        }
        this.open(name, attrs, pos, c === SLASH);
        return i + 1;
      }
      if (i === afterName) throw this.error(`missing space before attribute in <${name}>`, i);
      const an = i;
      if (!isNameStart(c)) throw this.error(`unexpected character in <${name}>`, i);
      while (i < len && NAME_CHAR[data[i]] === 1) i++;
      const attrName = this.names.get(data, an, i);
      while (i < len && isSpace(data[i])) i++;
      if (i >= len) return MORE;
      if (data[i] !== EQ) throw this.error(`attribute ${attrName} of <${name}> has no value`, i);
      i++;
      while (i < len && isSpace(data[i])) i++;
      if (i >= len) return MORE;
      const q = data[i];
      if (q !== DQUOTE && q !== SQUOTE) throw this.error(`value of attribute ${attrName} is not quoted`, i);
      let close = i + 1;
      let special = false;
      for (; close < len; close++) {
        const b = data[close];
        if (b === q) break;
        if (b === LT) throw this.error(`"<" in the value of attribute ${attrName}`, close);
        if (b === AMP || b === 0x09 || b === 0x0a || b === 0x0d) special = true;
      }
      if (close >= len) return MORE;
      let value = this.names.get(data, i + 1, close);
      if (special) {
        // XML attribute-value normalisation: each literal tab or line end becomes a space.
        value = value.replace(/\r\n|[\t\n\r]/g, ' ');
        if (value.indexOf('&') >= 0) value = this.decodeEntities(value, i + 1);
      }
      if (!attrs.add(attrName, value)) throw this.error(`attribute ${attrName} repeated in <${name}>`, an);
      i = close + 1;
    }
  }

  private open(name: string, attrs: XmlAttributes, pos: number, selfClosing: boolean): void {
    if (this.stack.length === 0 && this.rootDone) throw this.error(`second root element <${name}>`, pos);
    const local = this.localName(name);
    this.handler.openTag(local, attrs);
    if (selfClosing) {
      if (this.stack.length === 0) this.rootDone = true;
      this.handler.closeTag(local);
    } else {
      this.stack.push(name);
    }
  }

  /** The element name without its namespace prefix (remembered: prefixed files repeat them). */
  private localName(qname: string): string {
    const colon = qname.indexOf(':');
    if (colon < 0) return qname;
    let local = this.localNames.get(qname);
    if (local === undefined) {
      local = qname.slice(colon + 1);
      if (this.localNames.size < 1000) this.localNames.set(qname, local);
    }
    return local;
  }

  private error(reason: string, offset: number): XmlSyntaxError {
    const data = this.data;
    let line = this.line;
    let lineStart = -1;
    for (let i = data.indexOf(NL); i >= 0 && i < offset; i = data.indexOf(NL, i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return new XmlSyntaxError(reason, line, lineStart < 0 ? this.column + offset + 1 : offset - lineStart + 1);
  }
}

