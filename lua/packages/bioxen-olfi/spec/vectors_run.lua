-- Classifies every vector of resources/olfi/vectors.json with the Lua codec and prints one line each:
-- status <TAB> reason <TAB> computed checksum (or -). The vitest suite compares them with the TS codec.
--   lua5.4 spec/vectors_run.lua ../../../resources/olfi/vectors.json   (run from the package folder)
package.path = "src/?.lua;" .. package.path
local olfi = require("bioxen.olfi")

local file = assert(io.open(arg[1], "rb"))
local doc = assert(olfi.json.decode(file:read("*a")))
file:close()
for _, v in ipairs(doc.vectors) do
  local r = olfi.classify_entry(v.mvoc, v.frame)
  io.write(r.status, "\t", r.reason, "\t", r.computed_checksum and string.format("%d", r.computed_checksum) or "-", "\n")
end
