-- Quorum sensing with Ol-Fi signals (bioxen-circuits + bioxen-olfi)
-- Grows a LuxI/LuxR population; when the autoinducer reaches quorum the circuit emits an acetoin
-- MVOC frame on the Ol-Fi stream (run it in a VM with the olfi capability and watch the Ol-Fi panel).
-- Without the capability the events are still listed, marked as not sent.
local circuits = require("bioxen.circuits")

local run = circuits.simulate(circuits.models.quorum_sensing(), { t_end = 40, dt = 0.01 })
circuits.plot(run, { title = "Quorum sensing", ylabel = "level" })
for i = 1, #run.t, 500 do
  print(("t=%5.1f  cells=%.3f  autoinducer=%.3f"):format(run.t[i], run.series.N[i], run.series.A[i]))
end
for _, event in ipairs(run.events) do
  print(("event %s at t=%.2f (%s=%.3f) -> %s %s"):format(event.name, event.time, event.species, event.value,
    event.mvoc, event.emitted and "sent" or ("not sent: " .. tostring(event.emit_error or "bioxen-olfi not installed"))))
end
