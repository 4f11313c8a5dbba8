/*
 * The sandbox's CPU-time guard (lua/runtime/sandbox.lua loads it when it is built).
 *
 * A count hook costs PUC Lua about 2x on VM-bound code whatever its count: with any count hook
 * set, every instruction goes through luaG_traceexec. So no hook is set while a script runs.
 * Instead a timer raises a signal every millisecond of a run (stopped between runs), and the
 * handler only sets a one-shot count hook on the running thread, as lua.c's Ctrl-C
 * handler does (lua_sethook is the one Lua API call meant to be made from a signal handler). At
 * the next instruction that hook calls the sandbox's limit check (a Lua function), whose errors
 * propagate as any hook's do, puts back the hook the thread had (none, or the debugger's) and
 * forwards a debugger event it caught.
 *
 * Hooks are per thread on PUC Lua, so the handler must know which thread runs: the sandbox's
 * coroutine functions switch `current` through this module (guard.switch, guard.wrapper), and
 * put it back however the coroutine ends. LuaJIT's hooks are global (built with
 * GUARD_GLOBAL_HOOKS): any thread will do, the main one is used.
 *
 * A run with a debugger attached is guarded by the count hook instead (sandbox.lua, run.counting):
 * forwarding a debugger's event here covers only a tick pending when the debugger attaches.
 *
 * Build: scripts/build-native.mjs (one guard.so per interpreter, against its own headers).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "lua.h"
#include "lauxlib.h"

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

/* The thread the next tick arms; a thread on the active resume chain, so never a freed one. */
static lua_State *volatile current = NULL;
static volatile sig_atomic_t running = 0;
static volatile sig_atomic_t sigint_seen = 0;
static volatile sig_atomic_t ticks = 0;
/* Ticks to let pass without arming (see on_timer). */
static volatile sig_atomic_t skip = 0;
/* The debug library's hook function: the only hook (besides none) a tick arms over. Any other
 * one is foreign (lua.c's Ctrl-C hook) and is left to fire. */
static lua_Hook debug_hookf = NULL;
static char TICK_KEY;
static long interval_us = 0;
#ifdef __linux__
static timer_t timer;
static int have_timer = 0;
#endif

static void on_hook (lua_State *L, lua_Debug *ar);

/* Called from the signal handler. A thread's hook is either none, the debugger's (never with a
 * count: the sandbox sets none in this mode), or ours: so what to restore is implied by the mask
 * alone (see on_hook), and an interrupted lua_sethook of the thread's own cannot leave a stale
 * saved state behind. */
static void arm (lua_State *L) {
  lua_Hook h = lua_gethook(L);
  int mask = lua_gethookmask(L);
#ifndef GUARD_GLOBAL_HOOKS
  if (h == on_hook && (mask & LUA_MASKCOUNT)) return;
#endif
  if (h != NULL && h != on_hook && h != debug_hookf) return;
#ifdef GUARD_GLOBAL_HOOKS
  /* LuaJIT rewrites its dispatch table only when the hook mode changes, and records the new mode
   * before rewriting: a lua_sethook this handler interrupted can leave the table unhooked under a
   * hooked mode, which a plain lua_sethook would never repair. Unhooking first forces both
   * rewrites. */
  lua_sethook(L, NULL, 0, 0);
#endif
  lua_sethook(L, on_hook, mask | LUA_MASKCOUNT, 1);
}

static long elapsed_ns (const struct timespec *a, const struct timespec *b) {
  return (long)(b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

static void on_timer (int sig) {
  int saved = errno;
  struct timespec before, after;
  (void)sig;
  ticks = ticks + 1;
  if (!running || current == NULL) return;
  if (skip > 0) {
    skip = skip - 1;
    errno = saved;
    return;
  }
  clock_gettime(CLOCK_MONOTONIC, &before);
  arm(current);
  clock_gettime(CLOCK_MONOTONIC, &after);
  /* 5.4's lua_sethook walks all the thread's call frames (settraps): 250,000 frames deep it takes
   * milliseconds, and a handler slower than the timer would leave the script no time at all.
   * Ticks are skipped so that arming stays under 5% of the time. */
  skip = (sig_atomic_t)(elapsed_ns(&before, &after) * 20 / (interval_us * 1000));
  errno = saved;
}

/* Ctrl-C (SIGINT) interrupts the run, as many times as it is sent (lua.c's handler works once,
 * then the default action kills the process). */
static void on_sigint (int sig) {
  int saved = errno;
  (void)sig;
  sigint_seen = 1;
  if (running && current != NULL) arm(current);
  errno = saved;
}

static void on_hook (lua_State *L, lua_Debug *ar) {
  int mask = lua_gethookmask(L) & ~LUA_MASKCOUNT;
  lua_Hook before = mask ? debug_hookf : NULL;
  int status;
  /* The check runs with no hook at all: under the debugger's line mask its instructions would
   * move the thread's last traced position, and the debugger would see a line twice. */
  lua_sethook(L, NULL, 0, 0);
  lua_pushlightuserdata(L, &TICK_KEY);
  lua_rawget(L, LUA_REGISTRYINDEX);
  status = lua_pcall(L, 0, 0, 0);
  if (before != NULL) lua_sethook(L, before, mask, 0);
  if (status != 0) {
    lua_error(L);
    return;
  }
  if (ar->event != LUA_HOOKCOUNT && before != NULL) before(L, ar);
}

static int set_timer (long us) {
#ifdef __linux__
  if (have_timer) {
    struct itimerspec spec;
    spec.it_interval.tv_sec = us / 1000000;
    spec.it_interval.tv_nsec = (us % 1000000) * 1000;
    spec.it_value = spec.it_interval;
    return timer_settime(timer, 0, &spec, NULL);
  }
#endif
  {
    struct itimerval spec;
    spec.it_interval.tv_sec = us / 1000000;
    spec.it_interval.tv_usec = us % 1000000;
    spec.it_value = spec.it_interval;
    return setitimer(ITIMER_PROF, &spec, NULL);
  }
}

/* guard.start(tick, interval_us): ticks call `tick` every interval of this thread's CPU time. */
static int g_start (lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  interval_us = (long)luaL_checknumber(L, 2);
  if (interval_us < 100) interval_us = 100;
  lua_pushlightuserdata(L, &TICK_KEY);
  lua_pushvalue(L, 1);
  lua_rawset(L, LUA_REGISTRYINDEX);
  current = L;
  sigint_seen = 0;
  skip = 0;
  running = 1;
  if (set_timer(interval_us) != 0) {
    running = 0;
    return luaL_error(L, "guard: cannot start the CPU timer (%s)", strerror(errno));
  }
  return 0;
}

static int g_stop (lua_State *L) {
  (void)L;
  running = 0;
  set_timer(0);
  return 0;
}

/* guard.switch(thread, f, ...): f(...) with `thread` as the running thread (resume, close). */
static int g_switch (lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  int status;
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_remove(L, 1);
  if (co != NULL) current = co;
  status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  current = L;
  if (status != 0) return lua_error(L);
  return lua_gettop(L);
}

/* The position the real coroutine.wrap puts before an error that is a string (auxwrap). */
static int wrap_adds_position (lua_State *L) {
#if LUA_VERSION_NUM >= 503
  if (lua_type(L, -1) != LUA_TSTRING) return 0;
#if LUA_VERSION_NUM >= 504
  /* 5.4 leaves a memory error as it is. */
  if (strcmp(lua_tostring(L, -1), "not enough memory") == 0) return 0;
#endif
  return 1;
#else
  return lua_isstring(L, -1);
#endif
}

/* The function coroutine.wrap returns: the real one (upvalue 1) called with its thread (upvalue
 * 2, known once guard.bind ran inside it) as `current`. The real one positions an error at its
 * caller, which is this C function (no position): the position is added here instead, at this
 * function's caller, as the real one does when the script calls it directly. */
static int wrapped (lua_State *L) {
  lua_State *co = lua_tothread(L, lua_upvalueindex(2));
  int status;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  if (co != NULL) current = co;
  status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  current = L;
  if (status != 0) {
    if (wrap_adds_position(L)) {
      luaL_where(L, 1);
      lua_insert(L, -2);
      lua_concat(L, 2);
    }
    return lua_error(L);
  }
  return lua_gettop(L);
}

static int g_wrapper (lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_settop(L, 1);
  lua_pushnil(L);
  lua_pushcclosure(L, wrapped, 2);
  return 1;
}

/* guard.bind(w), first thing inside a wrapped coroutine: w learns its thread, which runs now. */
static int g_bind (lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_pushthread(L);
  lua_setupvalue(L, 1, 2);
  current = L;
  return 0;
}

/* guard.armed(thread): a tick is pending on it (its hook is this module's). */
static int g_armed (lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  lua_pushboolean(L, co != NULL && lua_gethook(co) == on_hook);
  return 1;
}

/* guard.sigint(): was Ctrl-C sent since the last call (or since start)? */
static int g_sigint (lua_State *L) {
  lua_pushboolean(L, sigint_seen);
  sigint_seen = 0;
  return 1;
}

/* guard.ticks(): signals received so far (tests and the bench check the timer runs). */
static int g_ticks (lua_State *L) {
  lua_pushnumber(L, (lua_Number)ticks);
  return 1;
}

/* ldblib's hook function, as debug.sethook installs it (a file-static function in ldblib.c). */
static void find_debug_hookf (lua_State *L) {
  lua_Hook before = lua_gethook(L);
  int mask = lua_gethookmask(L), count = lua_gethookcount(L);
  lua_getglobal(L, "debug");
  if (!lua_istable(L, -1)) { lua_pop(L, 1); return; }
  lua_getfield(L, -1, "sethook");
  lua_pushcfunction(L, g_ticks);
  lua_pushstring(L, "l");
  lua_call(L, 2, 0);
  debug_hookf = lua_gethook(L);
  lua_pop(L, 1);
  lua_sethook(L, before, mask, count);
}

static int install_handlers (void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_timer;
  if (sigaction(SIGPROF, &sa, NULL) != 0) return -1;
  sa.sa_handler = on_sigint;
  if (sigaction(SIGINT, &sa, NULL) != 0) return -1;
#ifdef __linux__
  {
    /* Delivered to this thread, so a C module's own threads never receive it. A monotonic
     * clock, not this thread's CPU time: CPU-time timers fire only at the kernel's scheduler
     * tick (every 4 ms with HZ=250), which would make interrupts and limits four times slower
     * to land. The quota is charged CPU time all the same (sandbox.lua reads os.clock). */
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGPROF;
    ev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
    have_timer = timer_create(CLOCK_MONOTONIC, &ev, &timer) == 0;
  }
#endif
  return 0;
}

static const luaL_Reg functions[] = {
  {"start", g_start},
  {"stop", g_stop},
  {"switch", g_switch},
  {"wrapper", g_wrapper},
  {"bind", g_bind},
  {"armed", g_armed},
  {"sigint", g_sigint},
  {"ticks", g_ticks},
  {NULL, NULL}
};

int luaopen_bioxen_guard (lua_State *L) {
  const luaL_Reg *f;
  find_debug_hookf(L);
  if (debug_hookf == NULL) return luaL_error(L, "guard: the debug library's hook could not be found");
  if (install_handlers() != 0) return luaL_error(L, "guard: cannot install the signal handlers (%s)", strerror(errno));
  lua_newtable(L);
  for (f = functions; f->name != NULL; f++) {
    lua_pushcfunction(L, f->func);
    lua_setfield(L, -2, f->name);
  }
#ifdef GUARD_GLOBAL_HOOKS
  lua_pushboolean(L, 0);
#else
  lua_pushboolean(L, 1);
#endif
  lua_setfield(L, -2, "per_thread");
  return 1;
}
