-- Hello, BioXen
-- Prints a greeting and returns a value: the console shows both, like the Lua REPL.
local organism = "E. coli"
print("Hello from a BioXen VM running " .. _VERSION)
print(("Simulating %s"):format(organism))
return 2 + 2
