package = "bioxen-olfi"
version = "0.1.0-1"
source = {
   url = "git+https://github.com/aptitudetechnology/bioxen-workbench.git",
   tag = "v0.1.0",
}
description = {
   summary = "Ol-Fi (olfactory fidelity) frames for BioXen scripts",
   detailed = [[
The Ol-Fi frame JSON v1 codec (preamble, address, control, payload, checksum, terminator), the
standard MVOC library (compounds, bands, CAS numbers, roles, colours) and olfi.send(mvoc, frame),
which hands frames to the BioXen Workbench host for publishing on the olfi_stream Redis stream.
Pure Lua: 5.1-5.4 and LuaJIT (LÖVE included).
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
      ["bioxen.olfi"] = "src/bioxen/olfi.lua",
      ["bioxen.olfi.json"] = "src/bioxen/olfi/json.lua",
      ["bioxen.olfi.library"] = "src/bioxen/olfi/library.lua",
   },
}
