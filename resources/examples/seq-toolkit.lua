-- Sequence toolkit (bioxen-seq)
-- Parses FASTA, reports GC content, translates with the standard and the vertebrate mitochondrial
-- codon tables, finds ORFs on both strands and counts 3-mers. Install bioxen-seq into the session's
-- environment first (Packages → bioxen-seq → Install).
local seq = require("bioxen.seq")

local fasta = [[
>gfp_fragment Aequorea victoria GFP, 5prime fragment
ATGGCTAGCAAAGGAGAAGAACTTTTCACTGGAGTTGTCCCAATTCTTGTTGAATTAGATGGTGATGTTAATGGGCACAAATTTTCT
GTCAGTGGAGAGGGTGAAGGTGATGCTACATACGGAAAGCTTACCCTTAAATTTATTTGCACTACTGGATAA
>mito_fragment
ATGATAACCTGAAGACCCTAA
]]

for _, record in ipairs(seq.read_fasta(fasta)) do
  print(("%s  %d nt  GC %.1f%%"):format(record.id, #record.sequence, 100 * seq.gc_content(record.sequence)))
  print("  standard:      " .. seq.translate(record.sequence))
  print("  vertebrate mt: " .. seq.translate(record.sequence, { table = "vertebrate_mitochondrial" }))
  print("  reverse comp:  " .. seq.reverse_complement(record.sequence):sub(1, 30) .. "...")
  for _, orf in ipairs(seq.find_orfs(record.sequence, { min_protein = 5 })) do
    print(("  ORF %s%d %d..%d  %s"):format(orf.strand, orf.frame, orf.start, orf.stop, orf.protein))
  end
end

local counts = seq.kmer_counts(seq.read_fasta(fasta)[1].sequence, 3)
local top = {}
for kmer, n in pairs(counts) do top[#top + 1] = { kmer = kmer, n = n } end
table.sort(top, function(a, b) return a.n > b.n or (a.n == b.n and a.kmer < b.kmer) end)
for i = 1, 5 do print(("3-mer %s x%d"):format(top[i].kmer, top[i].n)) end

print(seq.write_fasta({ { id = "gfp_protein", sequence = seq.translate(seq.read_fasta(fasta)[1].sequence, { to_stop = true }) } }))
