-- bioxen.metrics: the latest cellular-VM metrics (ATP, growth, gene expression) that the workbench's
-- hypervisor bridge received, read through the host — the VM needs the 'metrics' capability, not a
-- socket of its own. Pure Lua, 5.1-5.4 and LuaJIT.
local host = require("bioxen.host")

local metrics = { VERSION = "0.1.0" }

local function check_vm_id(vm_id)
  if type(vm_id) ~= "string" or vm_id == "" or #vm_id > 128 then
    error(("vm_id must be a cellular VM id such as 'cell-01', got %s"):format(type(vm_id) == "string"
      and ("%q"):format(vm_id:sub(1, 40)) or type(vm_id)), 3)
  end
end

--- Latest sample of one cellular VM: {vm, t, atp, growth, gene_expression = {...}, received_at, ...},
--- or nil when the bridge has nothing for it yet.
function metrics.latest(vm_id)
  check_vm_id(vm_id)
  return host.call("metrics.latest", { vm = vm_id })
end

--- Ids of the cellular VMs the bridge has samples for, least recently updated first.
function metrics.vms()
  return host.call("metrics.vms", {})
end

return metrics
