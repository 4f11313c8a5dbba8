-- Tests for bioxen.olfi beyond the shared vectors. Run from the package folder with any Lua 5.1-5.4 or LuaJIT:
--   lua5.4 spec/olfi_spec.lua   (prints "ok N" per check, exits non-zero on the first failure)
package.path = "src/?.lua;../?.lua;" .. package.path
local olfi = require("bioxen.olfi")

local spec = require("spec_support")
local check, eq, raises = spec.check, spec.eq, spec.raises

-- checksum and library
eq("checksum of A", olfi.checksum("A"), 65)
eq("checksum wraps", olfi.checksum(string.rep("z", 600)), (122 * 600) % 65536)
eq("checksum of a long payload", olfi.checksum(string.rep("\255", 10000)), (255 * 10000) % 65536)
eq("loose names resolve", olfi.compound("2-methylbutanol").cas, "137-32-6")
eq("spaces resolve", olfi.compound("dimethyl sulfide").band, "high")
check("unknown compound", olfi.compound("signal1") == nil)

-- build and encode round trip
local frame = olfi.build({ address = "CELL_0002", type = "PING", payload = "hello \226\156\147", sequence = 9 })
local text = olfi.encode(frame)
eq("encoded field order", text:sub(1, 40), '{"preamble":["ACETOIN","ACETOIN"],"addre')
local r = olfi.classify_entry("ACETOIN", text)
eq("built frame is valid", r.status, "valid")
eq("sequence kept", r.frame.control.sequence, 9)
eq("payload kept", r.frame.payload, "hello \226\156\147")
local escaped = olfi.encode(olfi.build({ payload = 'q"uote\\ \n\t\1' }))
eq("escapes round trip", olfi.classify_entry("ACETOIN", escaped).frame.payload, 'q"uote\\ \n\t\1')
local a, b = olfi.build({}), olfi.build({})
eq("running sequence", (b.control.sequence - a.control.sequence) % 65536, 1)
eq("default address", a.address, "*")
raises("payload must be text", function() olfi.build({ payload = 5 }) end, "payload must be a string, got number")

-- send through a transport
local sent = {}
olfi.set_transport(function(mvoc, json_text) sent[#sent + 1] = { mvoc, json_text } end)
olfi.send("acetoin", { address = "CELL_0003", type = "STATUS_REQUEST", payload = "temp?" })
eq("send delivers", #sent, 1)
eq("send canonicalises the name", sent[1][1], "ACETOIN")
eq("send delivers valid JSON", olfi.classify_entry(sent[1][1], sent[1][2]).status, "valid")
olfi.send("ethyl_acetate", "circuit=toggle;event=u_high")
eq("a plain string becomes a broadcast payload", olfi.classify_entry("ETHYL_ACETATE", sent[2][2]).frame.payload,
  "circuit=toggle;event=u_high")
olfi.send("ACETOIN", text)
eq("frame JSON text is sent as is", sent[3][2], text)
raises("unknown compound is refused", function() olfi.send("signal1", {}) end, 'mvoc "signal1" is not in the MVOC library')
raises("bad type is refused", function() olfi.send("ACETOIN", { type = "HELLO" }) end, "frame.control.type must be")
raises("bad checksum is refused", function()
  olfi.send("ACETOIN", '{"preamble":["ACETOIN","ACETOIN"],"address":"x","control":{"type":"PING","sequence":1,'
    .. '"priority":"low"},"payload":"a","checksum":1,"terminator":["BENZALDEHYDE","BENZALDEHYDE"]}')
end, "checksum 1 does not match the payload (expected 97)")
raises("mvoc must be a string", function() olfi.send(nil, {}) end, "mvoc must be a compound name string")
eq("refused frames are not delivered", #sent, 3)

-- without a transport, the workbench host is required
olfi.set_transport(nil)
package.loaded["bioxen.host"] = nil
package.preload["bioxen.host"] = nil
raises("no host outside the workbench", function() olfi.send("ACETOIN", {}) end, "no workbench host")
local emitted
package.preload["bioxen.host"] = function() return { emit = function(kind, data) emitted = { kind, data } end } end
olfi.send("ACETOIN", { payload = "via host" })
eq("host emit kind", emitted[1], "olfi")
eq("host emit mvoc", emitted[2].mvoc, "ACETOIN")
eq("host emit frame", olfi.classify_entry("ACETOIN", emitted[2].frame).frame.payload, "via host")

-- decoder robustness: deep nesting and garbage never raise
eq("deep nesting is malformed", olfi.classify_entry("ACETOIN", string.rep("[", 2000)).status, "malformed-json")
for i = 0, 255 do
  local ok = pcall(olfi.classify_entry, "ACETOIN", '{"a":' .. string.char(i) .. '}')
  check("byte " .. i .. " does not raise", ok)
end
print("all " .. spec.passed .. " checks passed")
