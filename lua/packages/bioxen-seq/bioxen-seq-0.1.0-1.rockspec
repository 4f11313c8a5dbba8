package = "bioxen-seq"
version = "0.1.0-1"
source = {
   url = "git+https://github.com/aptitudetechnology/bioxen-workbench.git",
   tag = "v0.1.0",
}
description = {
   summary = "DNA/RNA/protein sequences for BioXen scripts",
   detailed = [[
FASTA read/write, reverse complement, GC content, transcription, translation with the standard
and alternative NCBI codon tables, ORF finding and k-mer counts. Pure Lua: 5.1-5.4 and LuaJIT.
]],
   homepage = "https://github.com/aptitudetechnology/bioxen-workbench",
   license = "MIT",
}
dependencies = {
   "lua >= 5.1",
}
build = {
   type = "builtin",
   modules = {
      ["bioxen.seq"] = "src/bioxen/seq.lua",
   },
}
