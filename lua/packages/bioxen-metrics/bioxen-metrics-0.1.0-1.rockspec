package = "bioxen-metrics"
version = "0.1.0-1"
source = {
   url = "git+https://github.com/aptitudetechnology/bioxen-workbench.git",
   tag = "v0.1.0",
}
description = {
   summary = "Latest BioXen cellular-VM metrics (ATP, growth, gene expression) for workbench scripts",
   detailed = [[
Reads what the workbench's hypervisor bridge received, through the host (require "bioxen.host"),
so a sandboxed VM with the 'metrics' capability needs no socket: latest(vm_id), vms().
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
      ["bioxen.metrics"] = "src/bioxen/metrics.lua",
   },
}
