// Signatures and one-line docs for completion and hover: the Lua standard library (5.1–5.4 common
// subset plus the 5.3/5.4 additions, marked) and the bundled BioXen modules. Session globals come
// live from `sessions:completions`; this table supplies the documentation they lack.

export type ApiKind = 'function' | 'table' | 'variable' | 'keyword' | 'module' | 'field' | 'constant';

export interface ApiDoc {
  /** Dotted name as written in code, e.g. "string.format" or "seq.gc_content". */
  name: string;
  kind: ApiKind;
  signature?: string;
  doc: string;
}

const fn = (name: string, signature: string, doc: string): ApiDoc => ({ name, kind: 'function', signature, doc });
const table = (name: string, doc: string): ApiDoc => ({ name, kind: 'table', doc });

const stdlib: ApiDoc[] = [
  fn('print', 'print(...)', 'Writes its arguments to the console, separated by tabs, then a newline.'),
  fn('type', 'type(v) -> string', 'The type of v: "nil", "number", "string", "boolean", "table", "function", "thread" or "userdata".'),
  fn('tostring', 'tostring(v) -> string', 'Converts v to a string (uses __tostring when present).'),
  fn('tonumber', 'tonumber(e [, base]) -> number|nil', 'Converts e to a number, or nil when it is not one.'),
  fn('pairs', 'pairs(t) -> next, t, nil', 'Iterates over every key/value of t (order unspecified).'),
  fn('ipairs', 'ipairs(t) -> iterator', 'Iterates t[1], t[2], … up to the first nil.'),
  fn('next', 'next(t [, k]) -> k, v', 'The key after k in t, or nil at the end.'),
  fn('select', "select(n, ...) / select('#', ...)", 'The arguments after position n, or how many there are.'),
  fn('error', 'error(message [, level])', 'Raises an error; level 2 blames the caller.'),
  fn('assert', 'assert(v [, message]) -> v', 'Raises message when v is false or nil, else returns its arguments.'),
  fn('pcall', 'pcall(f, ...) -> ok, ...', 'Calls f in protected mode: ok is false and the error follows when it fails.'),
  fn('xpcall', 'xpcall(f, handler, ...) -> ok, ...', 'Like pcall, with a message handler (e.g. debug.traceback where allowed).'),
  fn('setmetatable', 'setmetatable(t, mt) -> t', 'Sets the metatable of table t.'),
  fn('getmetatable', 'getmetatable(v) -> table|nil', 'The metatable of v (or its __metatable field).'),
  fn('rawget', 'rawget(t, k)', 't[k] without metamethods.'),
  fn('rawset', 'rawset(t, k, v) -> t', 't[k] = v without metamethods.'),
  fn('rawequal', 'rawequal(a, b) -> boolean', 'a == b without metamethods.'),
  fn('rawlen', 'rawlen(v) -> integer', '#v without metamethods (5.2+).'),
  fn('unpack', 'unpack(t [, i [, j]])', 'Returns t[i], …, t[j] (5.1 and LuaJIT; table.unpack on 5.2+).'),
  fn('load', 'load(chunk [, name [, mode [, env]]]) -> f|nil, err', 'Compiles a text chunk (the sandbox refuses binary chunks).'),
  fn('collectgarbage', 'collectgarbage("count") -> KiB', 'Memory in use by Lua, in KiB (other options are blocked in the sandbox).'),
  table('string', 'String functions; also reachable as methods: s:upper().'),
  fn('string.format', 'string.format(fmt, ...) -> string', 'printf-style formatting: %d %5.2f %s %q %x.'),
  fn('string.sub', 'string.sub(s, i [, j]) -> string', 'The substring from i to j (negative counts from the end).'),
  fn('string.len', 'string.len(s) -> integer', 'Length of s in bytes.'),
  fn('string.upper', 'string.upper(s) -> string', 's in upper case.'),
  fn('string.lower', 'string.lower(s) -> string', 's in lower case.'),
  fn('string.rep', 'string.rep(s, n [, sep]) -> string', 's repeated n times (capped by the memory limit).'),
  fn('string.reverse', 'string.reverse(s) -> string', 's reversed.'),
  fn('string.byte', 'string.byte(s [, i [, j]]) -> integer...', 'Byte values of s[i..j].'),
  fn('string.char', 'string.char(...) -> string', 'The string made of the given byte values.'),
  fn('string.find', 'string.find(s, pattern [, init [, plain]]) -> start, end, captures...', 'First match of a Lua pattern in s.'),
  fn('string.match', 'string.match(s, pattern [, init]) -> captures...', 'Captures of the first match of pattern.'),
  fn('string.gmatch', 'string.gmatch(s, pattern) -> iterator', 'Iterates over every match of pattern.'),
  fn('string.gsub', 'string.gsub(s, pattern, repl [, n]) -> string, count', 'Replaces matches with a string, table or function result.'),
  table('table', 'Table (array) functions.'),
  fn('table.insert', 'table.insert(t, [pos,] v)', 'Inserts v at pos (default: the end).'),
  fn('table.remove', 'table.remove(t [, pos]) -> v', 'Removes and returns t[pos] (default: the last).'),
  fn('table.concat', 'table.concat(t [, sep [, i [, j]]]) -> string', 'Joins the strings/numbers of t with sep.'),
  fn('table.sort', 'table.sort(t [, less])', 'Sorts t in place, optionally with a comparison function.'),
  fn('table.unpack', 'table.unpack(t [, i [, j]])', 'Returns t[i], …, t[j] (5.2+).'),
  fn('table.pack', 'table.pack(...) -> t', 'The arguments in a table with field n (5.2+).'),
  fn('table.move', 'table.move(a1, f, e, t [, a2]) -> a2', 'Copies a1[f..e] into a2 starting at t (5.3+).'),
  table('math', 'Mathematical functions and constants.'),
  fn('math.floor', 'math.floor(x) -> integer', 'Largest integer ≤ x.'),
  fn('math.ceil', 'math.ceil(x) -> integer', 'Smallest integer ≥ x.'),
  fn('math.abs', 'math.abs(x)', 'Absolute value.'),
  fn('math.max', 'math.max(x, ...)', 'The largest argument.'),
  fn('math.min', 'math.min(x, ...)', 'The smallest argument.'),
  fn('math.sqrt', 'math.sqrt(x)', 'Square root.'),
  fn('math.exp', 'math.exp(x)', 'e raised to x.'),
  fn('math.log', 'math.log(x [, base])', 'Logarithm (natural by default).'),
  fn('math.sin', 'math.sin(x)', 'Sine (radians).'),
  fn('math.cos', 'math.cos(x)', 'Cosine (radians).'),
  fn('math.random', 'math.random([m [, n]])', 'A pseudo-random float in [0,1) or integer in [m, n].'),
  fn('math.randomseed', 'math.randomseed(x)', 'Seeds the pseudo-random generator.'),
  fn('math.fmod', 'math.fmod(x, y)', 'Remainder of x / y rounded towards zero.'),
  fn('math.tointeger', 'math.tointeger(x) -> integer|nil', 'x as an integer when it has an exact one (5.3+).'),
  { name: 'math.pi', kind: 'constant', doc: 'π.' },
  { name: 'math.huge', kind: 'constant', doc: 'Positive infinity.' },
  { name: 'math.maxinteger', kind: 'constant', doc: 'Largest integer (5.3+).' },
  table('os', 'Time and clock (os.execute, os.remove and friends are blocked in the sandbox).'),
  fn('os.time', 'os.time([t]) -> integer', 'Current time in seconds since the epoch, or the time of date table t.'),
  fn('os.clock', 'os.clock() -> seconds', 'CPU time used by the VM, for timing code.'),
  fn('os.date', 'os.date([format [, time]])', 'Formatted date, or a table with "*t".'),
  table('coroutine', 'Coroutines (limits keep applying inside them).'),
  fn('coroutine.create', 'coroutine.create(f) -> co', 'A new coroutine running f.'),
  fn('coroutine.resume', 'coroutine.resume(co, ...) -> ok, ...', 'Starts or continues co.'),
  fn('coroutine.yield', 'coroutine.yield(...)', 'Suspends the running coroutine.'),
  fn('coroutine.wrap', 'coroutine.wrap(f) -> function', 'A function that resumes a new coroutine on each call.'),
  fn('coroutine.status', 'coroutine.status(co) -> string', '"running", "suspended", "normal" or "dead".'),
  fn('require', 'require(name) -> module', 'Loads a module: the bundled bioxen.* packages and pure-Lua rocks of the session environment.'),
];

const bioxen: ApiDoc[] = [
  { name: 'bioxen.seq', kind: 'module', doc: 'DNA/RNA/protein sequence utilities: local seq = require("bioxen.seq")' },
  fn('seq.normalize', 'seq.normalize(s) -> string', 'Upper-cases s and drops whitespace.'),
  fn('seq.read_fasta', 'seq.read_fasta(text) -> {{id, description, sequence}}', 'Parses FASTA text into records.'),
  fn('seq.write_fasta', 'seq.write_fasta(records [, width]) -> string', 'Formats records as FASTA, wrapping at width.'),
  fn('seq.complement', 'seq.complement(s) -> string', 'The complementary DNA strand.'),
  fn('seq.reverse_complement', 'seq.reverse_complement(s) -> string', 'The reverse complement.'),
  fn('seq.gc_content', 'seq.gc_content(s) -> number', 'Fraction of G and C in s (0–1).'),
  fn('seq.transcribe', 'seq.transcribe(dna) -> rna', 'DNA → RNA (T → U).'),
  fn('seq.back_transcribe', 'seq.back_transcribe(rna) -> dna', 'RNA → DNA (U → T).'),
  fn('seq.codon_table', 'seq.codon_table(key) -> table', 'A genetic code table by name or NCBI number.'),
  fn('seq.translate', 'seq.translate(s [, opts]) -> protein', 'Translates a coding sequence to amino acids.'),
  fn('seq.find_orfs', 'seq.find_orfs(s [, opts]) -> orfs', 'Open reading frames on both strands.'),
  fn('seq.kmer_counts', 'seq.kmer_counts(s, k [, alphabet]) -> table', 'Counts of every k-mer in s.'),
  { name: 'bioxen.circuits', kind: 'module', doc: 'Genetic circuit ODE models and an RK4 integrator: local circuits = require("bioxen.circuits")' },
  fn('circuits.rk4_step', 'circuits.rk4_step(f, t, y, dt, params) -> y', 'One Runge–Kutta 4 step of dy/dt = f(t, y, params).'),
  fn('circuits.integrate', 'circuits.integrate(f, y0, opts) -> trajectory', 'Integrates f from opts.t0 to opts.t_end with step opts.dt.'),
  fn('circuits.simulate', 'circuits.simulate(model [, opts]) -> result', 'Runs a circuit model; events can publish Ol-Fi frames.'),
  table('circuits.models', 'Ready-made circuit models.'),
  fn('circuits.models.toggle_switch', 'circuits.models.toggle_switch([params]) -> model', 'The Gardner–Collins genetic toggle switch.'),
  fn('circuits.models.repressilator', 'circuits.models.repressilator([params]) -> model', 'The Elowitz–Leibler repressilator.'),
  fn('circuits.models.quorum_sensing', 'circuits.models.quorum_sensing([params]) -> model', 'A LuxI/LuxR quorum sensing circuit.'),
  { name: 'bioxen.olfi', kind: 'module', doc: 'Ol-Fi chemical-signal frames: local olfi = require("bioxen.olfi") (needs the olfi capability to send).' },
  fn('olfi.send', 'olfi.send(mvoc, frame)', 'Publishes a frame for compound mvoc on the Ol-Fi stream.'),
];

export const LUA_API_DOCS: readonly ApiDoc[] = [...stdlib, ...bioxen];

const byName = new Map(LUA_API_DOCS.map((doc) => [doc.name, doc]));

export function findDoc(name: string): ApiDoc | undefined {
  return byName.get(name);
}

/** Documented names that extend a dotted prefix by one segment: "string.fo" → string.format. */
export function docsForPrefix(prefix: string): ApiDoc[] {
  const dot = prefix.lastIndexOf('.');
  const parent = dot < 0 ? '' : prefix.slice(0, dot + 1);
  return LUA_API_DOCS.filter((doc) => doc.name.startsWith(prefix) && !doc.name.slice(parent.length).includes('.'));
}

export const LUA_KEYWORDS = [
  'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if', 'in',
  'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
];
