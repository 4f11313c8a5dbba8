package = "bioxen-circuits"
version = "0.1.0-1"
source = {
   url = "git+https://github.com/aptitudetechnology/bioxen-workbench.git",
   tag = "v0.1.0",
}
description = {
   summary = "Genetic circuit simulation for BioXen scripts",
   detailed = [[
A fixed-step RK4 integrator and classic models (toggle switch, repressilator, quorum sensing)
whose threshold events can emit Ol-Fi MVOC signals when bioxen-olfi is installed.
Pure Lua: 5.1-5.4 and LuaJIT.
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
      ["bioxen.circuits"] = "src/bioxen/circuits.lua",
   },
}
