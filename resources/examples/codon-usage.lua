-- Codon usage of a coding sequence
-- Counts codons in frame 1, prints and plots them by frequency and shows every codon in a table; edit `sequence` to try your own gene.
local sequence = "ATGGCTAGCAAAGGAGAAGAACTTTTCACTGGAGTTGTCCCAATTCTTGTTGAATTAGATGGTGATGTTAATGGGCACAAATTTTCTGTCAGTGGAGAGGGTGAAGGTGATGCTACATACGGAAAGCTTACCCTTAAATTTATTTGCACTACTGGAAAACTACCTGTTCCATGGCCAACACTTGTCACTACTTTCTCTTATGGTGTTCAATGCTTTTCCCGTTATCCGGATCATATGAAACGGCATGACTTTTTCAAGAGTGCCATGCCCGAAGGTTATGTACAGGAACGCACTATATCTTTCAAAGATGACGGGAACTACAAGACGCGTGCTGAAGTCAAGTTTGAAGGTGATACCCTTGTTAATCGTATCGAGTTAAAAGGTATTGATTTTAAAGAAGATGGAAACATTCTCGGACACAAACTCGAGTACAACTATAACTCACACAATGTATACATCACGGCAGACAAACAAAAGAATGGAATCAAAGCTAACTTCAAAATTCGCCACAACATTGAAGATGGATCCGTTCAACTAGCAGACCATTATCAACAAAATACTCCAATTGGCGATGGCCCTGTCCTTTTACCAGACAACCATTACCTGTCGACACAATCTGCCCTTTCGAAAGATCCCAACGAAAAGCGTGACCACATGGTCCTTCTTGAGTTTGTAACTGCTGCTGGGATTACACATGGCATGGATGAGCTCTACAAATAA"

local counts, total = {}, 0
for i = 1, #sequence - 2, 3 do
  local codon = sequence:sub(i, i + 2)
  counts[codon] = (counts[codon] or 0) + 1
  total = total + 1
end

local sorted = {}
for codon, n in pairs(counts) do sorted[#sorted + 1] = { codon = codon, n = n } end
table.sort(sorted, function(a, b) return a.n > b.n or (a.n == b.n and a.codon < b.codon) end)

local codons, shares = {}, {}
for i = 1, math.min(10, #sorted) do
  local c = sorted[i]
  print(("%s  %3d  %5.1f%%"):format(c.codon, c.n, 100 * c.n / total))
  codons[i], shares[i] = c.codon, 100 * c.n / total
end
local bioxen = require("bioxen")
bioxen.plot.bar{ labels = codons, y = shares, name = "share", title = "Top 10 codons", ylabel = "% of codons" }
for _, c in ipairs(sorted) do c.percent = tonumber(("%.1f"):format(100 * c.n / total)) end
bioxen.show(sorted, { title = "Codon usage", columns = { "codon", "n", "percent" } })
return total
