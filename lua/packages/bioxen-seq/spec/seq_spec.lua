-- Tests for bioxen.seq. Run from the package folder with any Lua 5.1-5.4 or LuaJIT:
--   lua5.4 spec/seq_spec.lua   (prints "ok N" per check, exits non-zero on the first failure)
package.path = "src/?.lua;../?.lua;" .. package.path
local seq = require("bioxen.seq")

local spec = require("spec_support")
local check, eq, raises = spec.check, spec.eq, spec.raises

-- FASTA
local records = seq.read_fasta(">seq1 first record\nACGT\nacgg\n\n; comment\n>seq2\r\nTTTT\r\n")
eq("fasta count", #records, 2)
eq("fasta id", records[1].id, "seq1")
eq("fasta description", records[1].description, "first record")
eq("fasta joins and uppercases lines", records[1].sequence, "ACGTACGG")
eq("fasta handles CRLF", records[2].sequence, "TTTT")
raises("fasta data before header", function() seq.read_fasta("ACGT\n>x\n") end, "line 1: sequence data before the first '>' header")
local written = seq.write_fasta({ { id = "a", description = "desc", sequence = "ACGTACGTAC" } }, 4)
eq("fasta write wraps", written, ">a desc\nACGT\nACGT\nAC\n")
local round = seq.read_fasta(written)
eq("fasta round trip", round[1].sequence, "ACGTACGTAC")
raises("fasta write without id", function() seq.write_fasta({ { sequence = "A" } }) end, "record 1 has no id")

-- Nucleotides
eq("reverse complement", seq.reverse_complement("ATGCGTAAN"), "NTTACGCAT")
eq("reverse complement keeps case", seq.reverse_complement("atgc"), "gcat")
eq("reverse complement IUPAC", seq.reverse_complement("RYKM"), "KMRY")
raises("complement rejects protein letters", function() seq.complement("ACGX") end, "'X' is not a nucleotide")
eq("gc content", seq.gc_content("GGCCAATT"), 0.5)
eq("gc content ignores N", seq.gc_content("GGNN"), 1)
eq("gc content empty", seq.gc_content(""), 0)
eq("transcribe", seq.transcribe("ATGCTt"), "AUGCUu")
eq("back transcribe", seq.back_transcribe("AUGCU"), "ATGCT")

-- Translation
eq("translate standard", seq.translate("ATGGCCATTGTAATGGGCCGCTGAAAGGGTGCCCGATAG"), "MAIVMGR*KGAR*")
eq("translate to_stop", seq.translate("ATGGCCTGAGGG", { to_stop = true }), "MA")
eq("translate RNA", seq.translate("AUGUUUUAA"), "MF*")
eq("translate frame 2", seq.translate("AATGTTT", { frame = 2 }), "MF")
eq("translate ambiguous codon", seq.translate("ATGNNN"), "MX")
eq("vertebrate mito TGA is Trp", seq.translate("TGA", { table = 2 }), "W")
eq("vertebrate mito AGA is stop", seq.translate("AGA", { table = "vertebrate_mitochondrial" }), "*")
eq("vertebrate mito ATA is Met", seq.translate("ATA", { table = 2 }), "M")
eq("standard AGA is Arg", seq.translate("AGA"), "R")
eq("mold mito TGA is Trp", seq.translate("TGA", { table = 4 }), "W")
raises("unknown table", function() seq.translate("ATG", { table = 99 }) end, "unknown codon table 99")
raises("bad frame", function() seq.translate("ATG", { frame = 4 }) end, "frame must be 1, 2 or 3")
local standard = seq.codon_table(1)
local n = 0
for _ in pairs(standard.codons) do n = n + 1 end
eq("standard table has 64 codons", n, 64)
check("bacterial table has GTG start", seq.codon_table(11).starts.GTG == true)

-- ORFs
local orf_dna = "CC" .. "ATG" .. string.rep("GCT", 5) .. "TAA" .. "GG"
local orfs = seq.find_orfs(orf_dna, { min_protein = 3, both_strands = false })
eq("orf count", #orfs, 1)
eq("orf start", orfs[1].start, 3)
eq("orf stop", orfs[1].stop, 23)
eq("orf protein", orfs[1].protein, "MAAAAA")
eq("orf too short is skipped", #seq.find_orfs(orf_dna, { min_protein = 10, both_strands = false }), 0)
local minus = seq.find_orfs(seq.reverse_complement(orf_dna), { min_protein = 3 })
local minus_hit
for _, orf in ipairs(minus) do if orf.strand == "-" then minus_hit = orf end end
check("orf on minus strand", minus_hit ~= nil)
eq("minus-strand orf forward coords", minus_hit.start, 3)
eq("minus-strand orf protein", minus_hit.protein, "MAAAAA")
local gtg = "GTG" .. string.rep("GCT", 4) .. "TAG"
eq("no ATG, no default orf", #seq.find_orfs(gtg, { min_protein = 2, both_strands = false }), 0)
eq("alternative start GTG", #seq.find_orfs(gtg, { min_protein = 2, both_strands = false, table = 11, alternative_starts = true }), 1)

-- k-mers
local counts, total = seq.kmer_counts("ACGTACGN", 2)
eq("kmer total skips N windows", total, 6)
eq("kmer AC", counts.AC, 2)
eq("kmer GT", counts.GT, 1)
check("kmer with N skipped", counts.GN == nil)
raises("kmer bad k", function() seq.kmer_counts("ACGT", 0) end, "k must be a positive integer")

print("1.." .. spec.passed)
