-- The small check harness the bundled packages' specs share. Development only: no rock ships it.
-- A spec runs from its package folder (lua5.4 spec/seq_spec.lua) with "../?.lua" on package.path;
-- it prints "ok N name" per check and exits non-zero at the first failure.
local spec = { passed = 0 }

function spec.check(name, cond, detail)
  spec.passed = spec.passed + 1
  if not cond then
    io.stderr:write("FAIL " .. name .. (detail and (": " .. detail) or "") .. "\n")
    os.exit(1)
  end
  print("ok " .. spec.passed .. " " .. name)
end

function spec.eq(name, got, want)
  spec.check(name, got == want, "got " .. tostring(got) .. ", want " .. tostring(want))
end

function spec.near(name, got, want, tol)
  spec.check(name, math.abs(got - want) <= tol, "got " .. tostring(got) .. ", want " .. tostring(want) .. " +- " .. tol)
end

function spec.raises(name, fn, pattern)
  local ok, err = pcall(fn)
  spec.check(name, not ok and tostring(err):find(pattern, 1, true) ~= nil, "error was " .. tostring(err))
end

return spec
