-- LÖVE configuration. With --offscreen the window renders to SDL's offscreen driver (no display needed);
-- SDL reads SDL_VIDEODRIVER when the window module starts, which is after this file runs.
local offscreen = false
for _, a in ipairs(arg or {}) do
  if a == "--offscreen" then offscreen = true end
end
if offscreen then
  local ffi = require("ffi")
  ffi.cdef("int setenv(const char *name, const char *value, int overwrite);")
  ffi.C.setenv("SDL_VIDEODRIVER", "offscreen", 1)
end

function love.conf(t)
  t.identity = "bioxen-olfi-visualizer"
  t.window.title = "BioXen Ol-Fi visualizer"
  t.window.width = 1280
  t.window.height = 600
  t.window.resizable = true
  t.window.vsync = 1
  t.modules.audio = false
  t.modules.sound = false
  t.modules.joystick = false
  t.modules.physics = false
  t.modules.video = false
end
