/**
 * A small, safe arithmetic language for counter → KPI formulas (no `eval`, no property access, no
 * calls except `sum(prefix.*)`). Grammar, lowest precedence first:
 *
 *   formula  = additive { "??" additive }          first alternative that has a value
 *   additive = term { ("+" | "-") term }
 *   term     = unary { ("*" | "/") unary }
 *   unary    = "-" unary | primary
 *   primary  = number | counter | "`" any "`" | "$period" | "sum(" counter ".*)" | "(" formula ")"
 *
 * Counter names carry dots and sub-counter suffixes (`RRC.ConnEstabSucc.sum`, `DRB.UEThpDl.010003e8`);
 * names with other characters are written between backquotes. "No value" is NaN throughout: a
 * missing counter, a division by zero or any non-finite intermediate makes the whole alternative
 * have no value — never zero.
 */

/** Where a formula reads its inputs. `counter` answers NaN for a counter that has no value. */
export interface FormulaInputs {
  counter(name: string): number;
  /** Sum of the direct sub-counters `<prefix>.<x>` (NaN when there is none). */
  subCounterSum(prefix: string): number;
  /** Measurement period in seconds. */
  readonly period: number;
}

export type FormulaNode =
  | { kind: 'number'; value: number }
  | { kind: 'counter'; name: string }
  | { kind: 'subsum'; prefix: string }
  | { kind: 'period' }
  | { kind: 'negate'; operand: FormulaNode }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: FormulaNode; right: FormulaNode }
  | { kind: 'coalesce'; left: FormulaNode; right: FormulaNode };

/** A formula that does not parse; `position` is the 0-based character offset of the problem. */
export class FormulaSyntaxError extends Error {
  readonly code = 'NOCWATCH_ERR_FORMULA_SYNTAX';
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} at character ${position + 1}`);
    this.name = 'FormulaSyntaxError';
  }
}

type Token =
  | { t: 'num'; v: number; at: number }
  | { t: 'name'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

const MAX_FORMULA_LENGTH = 2000;

function isNameStart(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_';
}
function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9') || c === '.';
}

function tokenize(src: string): Token[] {
  if (src.length > MAX_FORMULA_LENGTH) throw new FormulaSyntaxError(`formula longer than ${MAX_FORMULA_LENGTH} characters`, 0);
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if ((c >= '0' && c <= '9') || (c === '.' && src[i + 1] >= '0' && src[i + 1] <= '9')) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
      const text = m ? m[0] : c;
      out.push({ t: 'num', v: Number(text), at: i });
      i += text.length;
    } else if (isNameStart(c) || c === '$') {
      let j = i + 1;
      while (j < src.length && isNameChar(src[j])) j++;
      // `sum(X.*)`: the `.*` belongs to the name inside sum(); keep it attached.
      if (src[j] === '*' && src[j - 1] === '.') j++;
      out.push({ t: 'name', v: src.slice(i, j), at: i });
      i = j;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new FormulaSyntaxError('unterminated `quoted counter name`', i);
      if (end === i + 1) throw new FormulaSyntaxError('empty counter name', i);
      out.push({ t: 'name', v: src.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (c === '?' && src[i + 1] === '?') {
      out.push({ t: 'op', v: '??', at: i });
      i += 2;
    } else if ('+-*/()'.includes(c)) {
      out.push({ t: 'op', v: c, at: i });
      i++;
    } else {
      throw new FormulaSyntaxError(`unexpected character ${JSON.stringify(c)}`, i);
    }
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

/** Parses a formula into its syntax tree; throws FormulaSyntaxError with the position of the problem. */
export function parseFormula(src: string): FormulaNode {
  const tokens = tokenize(src);
  let pos = 0;
  let depth = 0;
  const peek = (): Token => tokens[pos];
  const isOp = (v: string): boolean => {
    const tok = tokens[pos];
    return tok.t === 'op' && tok.v === v;
  };
  const describe = (tok: Token): string => (tok.t === 'end' ? 'end of formula' : `"${tok.t === 'num' ? tok.v : tok.v}"`);

  function formula(): FormulaNode {
    let left = additive();
    while (isOp('??')) {
      pos++;
      left = { kind: 'coalesce', left, right: additive() };
    }
    return left;
  }
  function additive(): FormulaNode {
    let left = term();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[pos++] as { v: '+' | '-' }).v;
      left = { kind: 'binary', op, left, right: term() };
    }
    return left;
  }
  function term(): FormulaNode {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[pos++] as { v: '*' | '/' }).v;
      left = { kind: 'binary', op, left, right: unary() };
    }
    return left;
  }
  function unary(): FormulaNode {
    if (isOp('-')) {
      pos++;
      return { kind: 'negate', operand: unary() };
    }
    return primary();
  }
  function primary(): FormulaNode {
    const tok = peek();
    if (tok.t === 'num') {
      pos++;
      return { kind: 'number', value: tok.v };
    }
    if (tok.t === 'op' && tok.v === '(') {
      if (++depth > 64) throw new FormulaSyntaxError('parentheses nested too deeply', tok.at);
      pos++;
      const inner = formula();
      const close = peek();
      if (close.t !== 'op' || close.v !== ')') throw new FormulaSyntaxError(`expected ")" but found ${describe(close)}`, close.at);
      pos++;
      depth--;
      return inner;
    }
    if (tok.t === 'name') {
      pos++;
      if (tok.v === '$period') return { kind: 'period' };
      if (tok.v.startsWith('$')) throw new FormulaSyntaxError(`unknown variable ${tok.v} (only $period exists)`, tok.at);
      if (tok.v === 'sum' && isOp('(')) return subCounterSum();
      if (tok.v.endsWith('.*')) throw new FormulaSyntaxError(`"${tok.v}" is only allowed inside sum(…)`, tok.at);
      if (tok.v.endsWith('.')) throw new FormulaSyntaxError(`counter name "${tok.v}" ends with a dot`, tok.at);
      return { kind: 'counter', name: tok.v };
    }
    throw new FormulaSyntaxError(`expected a number, a counter or "(" but found ${describe(tok)}`, tok.at);
  }
  function subCounterSum(): FormulaNode {
    pos++; // "("
    const arg = peek();
    if (arg.t !== 'name' || !arg.v.endsWith('.*') || arg.v.length < 3) {
      throw new FormulaSyntaxError('sum() takes one counter prefix followed by ".*", e.g. sum(ERAB.EstabInitSuccNbr.*)', arg.at);
    }
    pos++;
    const close = peek();
    if (close.t !== 'op' || close.v !== ')') throw new FormulaSyntaxError(`expected ")" but found ${describe(close)}`, close.at);
    pos++;
    return { kind: 'subsum', prefix: arg.v.slice(0, -2) };
  }

  const root = formula();
  const rest = peek();
  if (rest.t !== 'end') throw new FormulaSyntaxError(`unexpected ${describe(rest)}`, rest.at);
  return root;
}

type Evaluator = (inputs: FormulaInputs) => number;

/** Turns a tree into nested closures: one allocation at compile time, none per evaluation. */
export function compileNode(node: FormulaNode): Evaluator {
  switch (node.kind) {
    case 'number': {
      const v = node.value;
      return () => v;
    }
    case 'counter': {
      const name = node.name;
      return (inp) => inp.counter(name);
    }
    case 'subsum': {
      const prefix = node.prefix;
      return (inp) => inp.subCounterSum(prefix);
    }
    case 'period':
      return (inp) => inp.period;
    case 'negate': {
      const a = compileNode(node.operand);
      return (inp) => -a(inp);
    }
    case 'coalesce': {
      const a = compileNode(node.left);
      const b = compileNode(node.right);
      return (inp) => {
        const v = a(inp);
        return Number.isFinite(v) ? v : b(inp);
      };
    }
    case 'binary': {
      const a = compileNode(node.left);
      const b = compileNode(node.right);
      switch (node.op) {
        case '+': return (inp) => a(inp) + b(inp);
        case '-': return (inp) => a(inp) - b(inp);
        case '*': return (inp) => a(inp) * b(inp);
        case '/': return (inp) => {
          const d = b(inp);
          // Division by zero is "no value", not Infinity and not zero.
          return d === 0 ? NaN : a(inp) / d;
        };
      }
    }
  }
}

/**
 * The evidence a rate rests on: the denominator of the formula's outermost division, looking
 * through multiplication by constants (`100 * a / b`, `100 * (a / b)`) and through `??`
 * (the denominator of whichever alternative gave the value). `undefined` when there is none.
 */
export function compileDenominator(node: FormulaNode): Evaluator | undefined {
  switch (node.kind) {
    case 'binary': {
      if (node.op === '/') return compileNode(node.right);
      if (node.op === '*') {
        if (node.left.kind === 'number') return compileDenominator(node.right);
        if (node.right.kind === 'number') return compileDenominator(node.left);
      }
      return undefined;
    }
    case 'negate':
      return compileDenominator(node.operand);
    case 'coalesce': {
      const leftValue = compileNode(node.left);
      const leftDen = compileDenominator(node.left);
      const rightDen = compileDenominator(node.right);
      if (!leftDen && !rightDen) return undefined;
      return (inp) => (Number.isFinite(leftValue(inp)) ? (leftDen ? leftDen(inp) : NaN) : rightDen ? rightDen(inp) : NaN);
    }
    default:
      return undefined;
  }
}

/** Every counter name and sub-counter prefix a formula reads (what a file parser must keep). */
export function referencedCounters(node: FormulaNode, out: { names: Set<string>; prefixes: Set<string> }): void {
  switch (node.kind) {
    case 'counter': out.names.add(node.name); break;
    case 'subsum': out.prefixes.add(node.prefix); break;
    case 'negate': referencedCounters(node.operand, out); break;
    case 'binary':
    case 'coalesce':
      referencedCounters(node.left, out);
      referencedCounters(node.right, out);
      break;
    default: break;
  }
}
