-- bioxen.seq: DNA/RNA/protein sequence utilities for BioXen scripts.
-- Pure Lua that runs unchanged on Lua 5.1-5.4 and LuaJIT (no goto, no integer division, no bit ops).
local seq = { VERSION = "0.1.0" }

local function fail(fn, message)
  error("bioxen.seq." .. fn .. ": " .. message, 3)
end

local function check_string(fn, s, what)
  if type(s) ~= "string" then fail(fn, (what or "sequence") .. " must be a string, got " .. type(s)) end
end

--- Uppercase and drop whitespace, so sequences pasted from files or FASTA bodies compare equal.
function seq.normalize(s)
  check_string("normalize", s)
  return (s:gsub("%s+", ""):upper())
end

-- FASTA -----------------------------------------------------------------------------------------

--- Parse FASTA text into records {id, description, sequence}. Blank lines and ';' comments are skipped.
function seq.read_fasta(text)
  check_string("read_fasta", text, "FASTA text")
  local records, current = {}, nil
  local line_no = 0
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    line_no = line_no + 1
    line = line:gsub("\r$", "")
    if line:sub(1, 1) == ">" then
      local header = line:sub(2)
      local id, description = header:match("^(%S+)%s*(.-)%s*$")
      if not id then fail("read_fasta", "line " .. line_no .. ": header '>' has no identifier — write '>name description'") end
      current = { id = id, description = description, parts = {} }
      records[#records + 1] = current
    elseif line:match("%S") and line:sub(1, 1) ~= ";" then
      if not current then
        fail("read_fasta", "line " .. line_no .. ": sequence data before the first '>' header — add a header line like '>seq1'")
      end
      current.parts[#current.parts + 1] = (line:gsub("%s+", ""):upper())
    end
  end
  for _, record in ipairs(records) do
    record.sequence = table.concat(record.parts)
    record.parts = nil
  end
  return records
end

--- Render records as FASTA with bodies wrapped at `width` columns (default 60).
function seq.write_fasta(records, width)
  if type(records) ~= "table" then fail("write_fasta", "records must be a list of {id, sequence}") end
  width = width or 60
  if type(width) ~= "number" or width < 1 then fail("write_fasta", "width must be a positive number") end
  local out = {}
  for i, record in ipairs(records) do
    if type(record.id) ~= "string" or record.id == "" then fail("write_fasta", "record " .. i .. " has no id") end
    check_string("write_fasta", record.sequence, "record " .. i .. " sequence")
    local header = ">" .. record.id
    if record.description and record.description ~= "" then header = header .. " " .. record.description end
    out[#out + 1] = header
    for pos = 1, #record.sequence, width do
      out[#out + 1] = record.sequence:sub(pos, pos + width - 1)
    end
  end
  return table.concat(out, "\n") .. "\n"
end

-- Nucleotides -----------------------------------------------------------------------------------

-- IUPAC codes complement to IUPAC codes, so ambiguous positions survive a reverse complement.
local COMPLEMENT = {
  A = "T", T = "A", U = "A", G = "C", C = "G", N = "N",
  R = "Y", Y = "R", S = "S", W = "W", K = "M", M = "K", B = "V", V = "B", D = "H", H = "D",
}
local lowercase = {}
for base, comp in pairs(COMPLEMENT) do lowercase[base:lower()] = comp:lower() end
for base, comp in pairs(lowercase) do COMPLEMENT[base] = comp end
COMPLEMENT["-"] = "-"

function seq.complement(s)
  check_string("complement", s)
  return (s:gsub(".", function(base)
    local comp = COMPLEMENT[base]
    if not comp then fail("complement", "'" .. base .. "' is not a nucleotide (IUPAC) code") end
    return comp
  end))
end

function seq.reverse_complement(s)
  check_string("reverse_complement", s)
  return seq.complement(s):reverse()
end

--- Fraction of G+C among the unambiguous bases A, C, G, T, U (0 for a sequence without any).
function seq.gc_content(s)
  check_string("gc_content", s)
  local upper = s:upper()
  local _, gc = upper:gsub("[GC]", "")
  local _, at = upper:gsub("[ATU]", "")
  if gc + at == 0 then return 0 end
  return gc / (gc + at)
end

function seq.transcribe(dna)
  check_string("transcribe", dna)
  return (dna:gsub("T", "U"):gsub("t", "u"))
end

function seq.back_transcribe(rna)
  check_string("back_transcribe", rna)
  return (rna:gsub("U", "T"):gsub("u", "t"))
end

-- Codon tables ----------------------------------------------------------------------------------

-- NCBI genetic codes in their compact form: the 64 amino acids in TCAG x TCAG x TCAG codon order.
local BASES = { "T", "C", "A", "G" }
local TABLE_DEFS = {
  [1] = { name = "standard", aas = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
          starts = { "ATG", "TTG", "CTG" } },
  [2] = { name = "vertebrate_mitochondrial", aas = "FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIMMTTTTNNKKSS**VVVVAAAADDEEGGGG",
          starts = { "ATT", "ATC", "ATA", "ATG", "GTG" } },
  [4] = { name = "mold_mitochondrial", aas = "FFLLSSSSYY**CCWWLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
          starts = { "TTA", "TTG", "CTG", "ATT", "ATC", "ATA", "ATG", "GTG" } },
  [11] = { name = "bacterial", aas = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
           starts = { "TTG", "CTG", "ATT", "ATC", "ATA", "ATG", "GTG" } },
}

local tables_by_key = {}
for id, def in pairs(TABLE_DEFS) do
  local codons, i = {}, 0
  for _, b1 in ipairs(BASES) do
    for _, b2 in ipairs(BASES) do
      for _, b3 in ipairs(BASES) do
        i = i + 1
        codons[b1 .. b2 .. b3] = def.aas:sub(i, i)
      end
    end
  end
  local starts = {}
  for _, codon in ipairs(def.starts) do starts[codon] = true end
  local entry = { id = id, name = def.name, codons = codons, starts = starts }
  tables_by_key[id] = entry
  tables_by_key[def.name] = entry
end

local function known_tables()
  local ids = {}
  for id, def in pairs(TABLE_DEFS) do ids[#ids + 1] = id .. " (" .. def.name .. ")" end
  table.sort(ids)
  return table.concat(ids, ", ")
end

local function resolve_table(fn, key)
  local entry = tables_by_key[key == nil and 1 or key]
  if not entry then fail(fn, "unknown codon table " .. tostring(key) .. " — use one of " .. known_tables()) end
  return entry
end

--- A codon table by NCBI id or name: {id, name, codons = {TTT = "F", ...}, starts = {ATG = true, ...}}.
function seq.codon_table(key)
  return resolve_table("codon_table", key)
end

--- Translate DNA or RNA to protein. opts: table (id or name, default 1), frame (1-3), to_stop (stop at
--- the first stop codon, exclusive). Stops are '*', codons with ambiguous bases are 'X'.
function seq.translate(s, opts)
  check_string("translate", s)
  opts = opts or {}
  local codon_table = resolve_table("translate", opts.table)
  local frame = opts.frame or 1
  if frame ~= 1 and frame ~= 2 and frame ~= 3 then fail("translate", "frame must be 1, 2 or 3, got " .. tostring(frame)) end
  local dna = seq.back_transcribe(seq.normalize(s))
  local protein = {}
  for pos = frame, #dna - 2, 3 do
    local aa = codon_table.codons[dna:sub(pos, pos + 2)] or "X"
    if aa == "*" and opts.to_stop then break end
    protein[#protein + 1] = aa
  end
  return table.concat(protein)
end

-- ORFs ------------------------------------------------------------------------------------------

local function orfs_on_strand(dna, strand, codon_table, starts, min_protein, found)
  local n = #dna
  for frame = 1, 3 do
    local open_at = nil
    for pos = frame, n - 2, 3 do
      local codon = dna:sub(pos, pos + 2)
      if not open_at and starts[codon] then
        open_at = pos
      elseif open_at and codon_table.codons[codon] == "*" then
        local protein_length = (pos - open_at) / 3
        if protein_length >= min_protein then
          local first, last = open_at, pos + 2
          if strand == "-" then first, last = n - last + 1, n - first + 1 end
          found[#found + 1] = {
            strand = strand, frame = frame, start = first, stop = last, length = last - first + 1,
            protein = seq.translate(dna:sub(open_at, pos - 1), { table = codon_table.id }),
          }
        end
        open_at = nil
      end
    end
  end
end

--- Open reading frames: a start codon followed in frame by a stop codon.
--- opts: min_protein (amino acids, default 30), table (default 1), both_strands (default true),
--- alternative_starts (use the table's alternative start codons, not just ATG).
--- Returns {strand, frame, start, stop, length, protein} with 1-based forward-strand coordinates,
--- longest first.
function seq.find_orfs(s, opts)
  check_string("find_orfs", s)
  opts = opts or {}
  local codon_table = resolve_table("find_orfs", opts.table)
  local min_protein = opts.min_protein or 30
  local starts = opts.alternative_starts and codon_table.starts or { ATG = true }
  local dna = seq.back_transcribe(seq.normalize(s))
  local found = {}
  orfs_on_strand(dna, "+", codon_table, starts, min_protein, found)
  if opts.both_strands ~= false then
    orfs_on_strand(seq.reverse_complement(dna), "-", codon_table, starts, min_protein, found)
  end
  table.sort(found, function(a, b)
    if a.length ~= b.length then return a.length > b.length end
    return a.start < b.start
  end)
  return found
end

-- k-mers ----------------------------------------------------------------------------------------

--- Count every k-long window (case-insensitive); windows with characters outside `alphabet`
--- (default ACGT) are skipped. Returns counts and the number of windows counted.
function seq.kmer_counts(s, k, alphabet)
  check_string("kmer_counts", s)
  if type(k) ~= "number" or k < 1 or k ~= math.floor(k) then fail("kmer_counts", "k must be a positive integer, got " .. tostring(k)) end
  local pattern = "^[" .. (alphabet or "ACGT") .. "]+$"
  local upper = seq.normalize(s)
  local counts, total = {}, 0
  for pos = 1, #upper - k + 1 do
    local kmer = upper:sub(pos, pos + k - 1)
    if kmer:match(pattern) then
      counts[kmer] = (counts[kmer] or 0) + 1
      total = total + 1
    end
  end
  return counts, total
end

return seq
