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
 * A debugger's hook is this module's too (dbg_hook, guard.sethook): it filters call events in C, so
 * breakpoints in functions that never run cost nothing, takes the tick itself on a thread that
 * has line events (see arm), and then counts instructions too (guard.counted: the sandbox charges
 * those instead of the CPU time, most of which is the debugger's). While the debugger holds the
 * run stopped the timer is paused (guard.hold).
 *
 * Build: scripts/build-native.mjs (one guard.so per interpreter, against its own headers).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
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
/* A tick is due on a thread whose debugger hook takes line events (see arm). */
static volatile sig_atomic_t tick_due = 0;
/* The debugger holds the run stopped: the timer is paused (guard.hold). */
static int held = 0;
/* Under line events the hook counts instructions in periods of count_period (guard.sethook). */
static int count_period = 0;
static double counted = 0;
static char TICK_KEY;
static long interval_us = 0;
#ifdef __linux__
static timer_t timer;
static int have_timer = 0;
#endif

static void on_hook (lua_State *L, lua_Debug *ar);
static void dbg_hook (lua_State *L, lua_Debug *ar);

static void set_dbg_hook (lua_State *L, int mask);

/* Called from the signal handler. A thread's hook is either none, the debugger's (dbg_hook) or
 * ours: so what to restore is implied by the mask alone (see on_hook), and an interrupted
 * lua_sethook of the thread's own cannot leave a stale saved state behind. Any other hook is
 * foreign (lua.c's Ctrl-C hook) and is left to fire.
 * A thread with the debugger's line events is not armed: dbg_hook takes the tick at its next
 * event (a loop raises one every iteration). On 5.2 and 5.3 any lua_sethook on a running Lua
 * function resets the thread's last traced position, and on every PUC version so does the return
 * of a Lua function run from a count hook under a line mask: the debugger would get an extra
 * line event for the line the tick lands in. */
static void arm (lua_State *L) {
  lua_Hook h = lua_gethook(L);
  int mask = lua_gethookmask(L);
  if (h == dbg_hook && (mask & LUA_MASKLINE)) {
    tick_due = 1;
    return;
  }
#ifndef GUARD_GLOBAL_HOOKS
  if (h == on_hook && (mask & LUA_MASKCOUNT)) return;
#endif
  if (h != NULL && h != on_hook && h != dbg_hook) return;
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
  int mask, status;
  if (ar->event != LUA_HOOKCOUNT) {
    /* The debugger's event. The check waits for the next instruction: this may be a C function's
     * call or return (the runner's xpcall returning the script's error), where no limit may be
     * raised. */
    dbg_hook(L, ar);
    return;
  }
  mask = lua_gethookmask(L) & ~LUA_MASKCOUNT;
  lua_sethook(L, NULL, 0, 0);
  lua_pushlightuserdata(L, &TICK_KEY);
  lua_rawget(L, LUA_REGISTRYINDEX);
  status = lua_pcall(L, 0, 0, 0);
  /* Unless the check set the debugger's hook itself (a pause turns its lines on); a tick may have
   * armed the thread again meanwhile. */
  if (mask && lua_gethook(L) != dbg_hook) set_dbg_hook(L, mask);
  if (status != 0) lua_error(L);
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
  tick_due = 0;
  held = 0;
  counted = 0;
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
  held = 0;
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

/* ---- The debugger's hook (sandbox.lua's set_debug_hook and set_call_filter) ----
 *
 * The debugger (debugger.lua) takes call events to learn when a function holding a breakpoint
 * starts, and turns line events on then. Through the debug library every call of every function
 * was a call into Lua (~30x on call-heavy code). Here a call event reaches Lua only for a function
 * of a source with breakpoints whose lines span one of them (the debugger then looks at the
 * function's own lines); other events reach it as the debug library passes them: fn(event, line).
 */
static char DISPATCH_KEY;

struct bp_source {
  char *source;
  int *lines; /* ascending */
  int n;
};
static struct bp_source *bp_sources = NULL;
static int bp_source_count = -1; /* -1: no filter, every call event reaches Lua */

#if LUA_VERSION_NUM >= 502
static const char *const event_names[] = {"call", "return", "line", "count", "tail call"};
#define IS_CALL_EVENT(e) ((e) == LUA_HOOKCALL || (e) == LUA_HOOKTAILCALL)
#else
static const char *const event_names[] = {"call", "return", "line", "count", "tail return"};
#define IS_CALL_EVENT(e) ((e) == LUA_HOOKCALL)
#endif

/* Could the function a call event enters hold a breakpoint? */
static int may_hold_breakpoint (lua_State *L, lua_Debug *ar) {
  int i;
  if (!lua_getinfo(L, "S", ar) || ar->what[0] == 'C') return 0;
  for (i = 0; i < bp_source_count; i++) {
    const struct bp_source *b = &bp_sources[i];
    int lo = 0, hi = b->n;
    if (strcmp(b->source, ar->source) != 0) continue;
    if (ar->what[0] == 'm') return 1; /* a main chunk spans its whole source */
    /* The first breakpoint line at or after the function's first: is it inside the function? */
    while (lo < hi) {
      int mid = lo + (hi - lo) / 2;
      if (b->lines[mid] < ar->linedefined) lo = mid + 1; else hi = mid;
    }
    return lo < b->n && b->lines[lo] <= ar->lastlinedefined;
  }
  return 0;
}

static void dbg_hook (lua_State *L, lua_Debug *ar) {
  /* No Lua code runs on a count event (see arm): it only counts. */
  if (ar->event == LUA_HOOKCOUNT) {
    counted += count_period;
    return;
  }
  if (tick_due && running && ar->event == LUA_HOOKLINE) {
    /* The tick arm() left to this hook, taken in Lua code (a call or return event may be a C
     * function's, see on_hook). Errors propagate as a hook's do. Its instructions may move the
     * thread's last traced position, but a line event sets that itself once its hook returns. */
    tick_due = 0;
    lua_pushlightuserdata(L, &TICK_KEY);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_call(L, 0, 0);
  }
  if (IS_CALL_EVENT(ar->event) && bp_source_count >= 0 && !may_hold_breakpoint(L, ar)) return;
  lua_pushlightuserdata(L, &DISPATCH_KEY);
  lua_rawget(L, LUA_REGISTRYINDEX);
  if (!lua_isfunction(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_pushstring(L, event_names[ar->event]);
  if (ar->currentline >= 0) lua_pushinteger(L, ar->currentline); else lua_pushnil(L);
  lua_call(L, 2, 0);
}

/* The debugger's hook with a mask of events; with line events it counts too. */
static void set_dbg_hook (lua_State *L, int mask) {
  if (mask & LUA_MASKLINE) lua_sethook(L, dbg_hook, mask | LUA_MASKCOUNT, count_period);
  else lua_sethook(L, dbg_hook, mask & ~LUA_MASKCOUNT, 0);
}

/* guard.sethook([thread,] fn, mask, count): the debugger's hook on thread (else the running one),
 * fn(event, line) called for the events of mask ("c", "r", "l"), and with "l" the instructions
 * counted every `count` of them (guard.counted); guard.sethook([thread]) removes it. fn is one
 * for all threads (the sandbox's dispatcher). */
static int g_sethook (lua_State *L) {
  lua_State *co = L;
  int arg = 1, mask = 0;
  const char *smask;
  if (lua_type(L, 1) == LUA_TTHREAD) {
    co = lua_tothread(L, 1);
    arg = 2;
  }
  if (lua_isnoneornil(L, arg)) {
    lua_sethook(co, NULL, 0, 0);
    return 0;
  }
  luaL_checktype(L, arg, LUA_TFUNCTION);
  smask = luaL_checkstring(L, arg + 1);
  if (strchr(smask, 'c') != NULL) mask |= LUA_MASKCALL;
  if (strchr(smask, 'r') != NULL) mask |= LUA_MASKRET;
  if (strchr(smask, 'l') != NULL) mask |= LUA_MASKLINE;
  count_period = (int)luaL_checknumber(L, arg + 2);
  if (count_period < 1) count_period = 1;
  lua_pushlightuserdata(L, &DISPATCH_KEY);
  lua_pushvalue(L, arg);
  lua_rawset(L, LUA_REGISTRYINDEX);
  if (mask) set_dbg_hook(co, mask); else lua_sethook(co, NULL, 0, 0);
  return 0;
}

/* guard.counted(): instructions counted under line events since guard.start. */
static int g_counted (lua_State *L) {
  lua_pushnumber(L, (lua_Number)counted);
  return 1;
}

static void free_filter (void) {
  int i;
  for (i = 0; i < bp_source_count; i++) {
    free(bp_sources[i].source);
    free(bp_sources[i].lines);
  }
  free(bp_sources);
  bp_sources = NULL;
  bp_source_count = -1;
}

static int ascending (const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* guard.filter(breakpoints): call events reach the debugger only for functions whose lines may
 * hold one of these breakpoints (source -> { [line] = anything }); guard.filter(nil): all do. */
static int g_filter (lua_State *L) {
  int sources = 0;
  free_filter();
  if (lua_isnoneornil(L, 1)) return 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) sources++;
    lua_pop(L, 1);
  }
  bp_sources = (struct bp_source *)calloc((size_t)sources + 1, sizeof *bp_sources);
  if (bp_sources == NULL) return luaL_error(L, "guard: out of memory");
  bp_source_count = 0;
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1) && bp_source_count < sources) {
      struct bp_source *b = &bp_sources[bp_source_count];
      size_t len, lines = 0;
      const char *source = lua_tolstring(L, -2, &len);
      lua_pushnil(L);
      while (lua_next(L, -2) != 0) {
        if (lua_type(L, -2) == LUA_TNUMBER) lines++;
        lua_pop(L, 1);
      }
      b->source = (char *)malloc(len + 1);
      b->lines = (int *)malloc((lines + 1) * sizeof(int));
      /* Counted before it is filled: freed with the rest if it is not. */
      bp_source_count++;
      if (b->source == NULL || b->lines == NULL) return luaL_error(L, "guard: out of memory");
      memcpy(b->source, source, len + 1);
      lua_pushnil(L);
      while (lua_next(L, -2) != 0) {
        if (lua_type(L, -2) == LUA_TNUMBER && (size_t)b->n < lines) b->lines[b->n++] = (int)lua_tonumber(L, -2);
        lua_pop(L, 1);
      }
      qsort(b->lines, (size_t)b->n, sizeof(int), ascending);
    }
    lua_pop(L, 1);
  }
  return 0;
}

/* guard.hold(on): the debugger holds the run stopped (true) or lets it go on (false). The timer is
 * paused meanwhile: the script runs no instruction, and an evaluation lets go for its time. */
static int g_hold (lua_State *L) {
  int on = lua_toboolean(L, 1);
  if (!running || on == held) return 0;
  held = on;
  set_timer(on ? 0 : interval_us);
  return 0;
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

/* ---- Size-checked string.rep and table.concat (sandbox.lua's size_checked) ----
 *
 * A memory bomb made in one C call (string.rep("x", 1e10), a concat of a huge range) never reaches
 * a hook, so the sandbox checks the size of these two functions' results before they are built.
 * Done by a Lua wrapper, that check cost a Lua call in front of every call (~0.25 us, 2.6x on a
 * rep-heavy loop); these C closures cost a few type tests. Each computes what the interpreter's
 * own function (upvalue 1) will build, has the sandbox judge a large result (upvalue 2, a Lua
 * function that raises the memoryMb limit, and returns the room left or nil when memory is not
 * limited), then runs that function on its own stack frame: the C function itself, called
 * directly, so that it reads its arguments, names its errors (by this frame, which the script
 * called as it would have called the original) and positions them (at this frame's caller) exactly
 * as when the script calls it. LuaJIT's are fast functions, which C cannot call directly: they are
 * called through lua_pcall, and what that changes in their errors is put back (call_original).
 */
#include <limits.h>
#include <stdint.h>
#include "lualib.h"

/* Below this many bytes a result is not worth a check: the tick's own heap check catches a loop
 * of small ones. */
#define SMALL_RESULT 4096
/* table.concat joins at most this many items between two heap checks (see checked_concat). */
#define CONCAT_FIRST_BATCH 16
#define CONCAT_MAX_BATCH 4096
#if LUA_VERSION_NUM == 501
#define string_length(L, i) lua_objlen(L, i)
#else
#define string_length(L, i) lua_rawlen(L, i)
#endif

/* A bad argument of a function called without a name (pcall(string.rep)), where 5.2+ name the
 * original by its place in package.loaded (`string.rep`), which this closure does not have: it
 * would say '?'. So the arguments are read first by `read`, the same lauxlib calls as the
 * original's, called through lua_pcall (by C, so named '?' too), and its message is renamed and
 * positioned at this closure's caller as luaL_error does. 5.1 and LuaJIT say '?' themselves; a
 * named call needs nothing: `read` runs in this frame. Leaves read's results on top. */
static void read_args (lua_State *L, lua_CFunction read, const char *qualified) {
#if LUA_VERSION_NUM >= 502
  lua_Debug ar;
  if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.name == NULL) {
    int top = lua_gettop(L), i;
    lua_pushcfunction(L, read);
    for (i = 1; i <= top; i++) lua_pushvalue(L, i);
    if (lua_pcall(L, top, LUA_MULTRET, 0) != 0) {
      const char *msg = lua_tostring(L, -1);
      const char *unnamed = msg != NULL ? strstr(msg, " to '?' (") : NULL;
      if (unnamed != NULL && strncmp(msg, "bad argument #", 14) == 0) {
        luaL_where(L, 1);
        lua_pushlstring(L, msg, (size_t)(unnamed - msg));
        lua_pushfstring(L, " to '%s' (%s", qualified, unnamed + 9);
        lua_concat(L, 3);
      }
      lua_error(L);
    }
    return;
  }
#endif
  (void)qualified;
  read(L);
}

/* Calls upvalue 2 (the sandbox's check) with a result's size: it raises the memoryMb limit when
 * the result does not fit, else leaves the room left (nil: memory is not limited) on the stack. */
static void push_room (lua_State *L, lua_Number bytes) {
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_pushnumber(L, bytes);
  lua_call(L, 1, 1);
}

/* The interpreters' own C functions behind string.rep and table.concat (g_size_checked): known
 * once, not looked up at every call. NULL on LuaJIT, whose are fast functions (lua_tocfunction
 * answers for those too, with an entry point C cannot call). */
static lua_CFunction rep_function = NULL, concat_function = NULL;

/* The original function (upvalue 1, whose C function is `original`) on this frame's stack as it
 * is, its one result pushed. */
static void call_original (lua_State *L, lua_CFunction original) {
  int top = lua_gettop(L), i;
  if (original != NULL) {
    if (original(L) != 1) luaL_error(L, "guard: %s returned no result", "a size-checked function");
    return;
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  for (i = 1; i <= top; i++) lua_pushvalue(L, i);
  if (lua_pcall(L, top, 1, 0) != 0) {
    /* concat's "invalid value (…) at index …", positioned at its caller, this C closure (no line):
     * positioned again at this closure's caller, as when the script calls it. */
    const char *msg = lua_tostring(L, -1);
    if (msg != NULL && strncmp(msg, "invalid value (", 15) == 0) {
      luaL_where(L, 1);
      lua_insert(L, -2);
      lua_concat(L, 2);
    }
    lua_error(L);
  }
}

/* string.rep's arguments as this interpreter's str_rep reads them: pushes the size of the result
 * (a number: it may not fit a size_t) and whether str_rep refuses it as too large. */
static int rep_read (lua_State *L) {
  size_t l, lsep = 0;
  lua_Number n;
  luaL_checklstring(L, 1, &l);
#if defined(LUA_JITLIBNAME)
  /* lj_lib_checkint: any number, truncated to 32 bits as lj_num2int does. */
  n = (lua_Number)(int32_t)luaL_checknumber(L, 2);
  luaL_optlstring(L, 3, "", &lsep);
#elif LUA_VERSION_NUM == 501
  n = (lua_Number)luaL_checkint(L, 2);  /* 5.1 has no separator */
#elif LUA_VERSION_NUM == 502
  n = (lua_Number)luaL_checkint(L, 2);
  luaL_optlstring(L, 3, "", &lsep);
#else
  {
    lua_Integer count = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    n = (lua_Number)count;
    /* str_rep's own limit (MAXSIZE is INT_MAX): it raises that without allocating. */
    if (count > 0 && (l + lsep < l || l + lsep > (size_t)INT_MAX / (size_t)count)) {
      lua_pushnumber(L, 0);
      lua_pushboolean(L, 1);
      return 2;
    }
  }
#endif
  lua_pushnumber(L, n > 0 ? n * (lua_Number)(l + lsep) - (lua_Number)lsep : 0);
  lua_pushboolean(L, 0);
  return 2;
}

/* The count of a call as str_rep will read it (0 for any count below 1), or -1 when it is not
 * one (str_rep's check accepts exactly what lua_tointegerx converts). */
static lua_Number fast_count (lua_State *L) {
#if defined(LUA_JITLIBNAME) || LUA_VERSION_NUM == 501
  lua_Number n;
  if (lua_type(L, 2) != LUA_TNUMBER) return -1;
#if defined(LUA_JITLIBNAME)
  n = (lua_Number)(int32_t)lua_tonumber(L, 2);
#else
  n = (lua_Number)(int)lua_tointeger(L, 2);
#endif
  return n > 0 ? n : 0;
#else
  int isnum;
  lua_Integer n = lua_tointegerx(L, 2, &isnum);
#if LUA_VERSION_NUM == 502
  n = (int)n;
#endif
  if (!isnum) return -1;
  return n > 0 ? (lua_Number)n : 0;
#endif
}

static int checked_rep (lua_State *L) {
  int top = lua_gettop(L);
  size_t l, lsep = 0;
  /* The common call (a string, a count, maybe a string separator) building a small result: what
   * str_rep accepts (lua_tolstring converts a number in place, as its check does). */
  if ((top == 2 || (top == 3 && lua_tolstring(L, 3, &lsep) != NULL)) && lua_tolstring(L, 1, &l) != NULL) {
    lua_Number n = fast_count(L);
    if (n >= 0 && n * (lua_Number)(l + lsep) <= SMALL_RESULT) {
      call_original(L, rep_function);
      return 1;
    }
  }
  read_args(L, rep_read, "string.rep");
  /* (What str_rep refuses as too large it refuses itself, allocating nothing.) */
  if (!lua_toboolean(L, -1) && lua_tonumber(L, -2) > SMALL_RESULT) push_room(L, lua_tonumber(L, -2));
  lua_settop(L, top);
  call_original(L, rep_function);
  return 1;
}

/* A position in table.concat's range: 5.3+ read lua_Integers (any of them: 1 << 63 - 1 is one),
 * the others 32-bit ints, which a lua_Number holds exactly. Distances are taken unsigned. */
#if LUA_VERSION_NUM >= 503
typedef lua_Integer position;
typedef lua_Unsigned distance;
#define push_position lua_pushinteger
#define to_position lua_tointeger
#else
typedef lua_Number position;
typedef lua_Number distance;
#define push_position lua_pushnumber
#define to_position lua_tonumber
#endif

/* table.concat's arguments as this interpreter's tconcat reads them, in its order; pushes the
 * range (first, last) it will join. */
static int concat_read (lua_State *L) {
  position first, last;
#if LUA_VERSION_NUM >= 503
  if (lua_type(L, 1) != LUA_TTABLE) {
    /* checktab: anything whose metatable has __index and __len reads as a table. */
    int ok = lua_getmetatable(L, 1);
    if (ok) {
      lua_pushstring(L, "__index");
      ok = lua_rawget(L, -2) != LUA_TNIL;
      lua_pop(L, 1);
    }
    if (ok) {
      lua_pushstring(L, "__len");
      ok = lua_rawget(L, -2) != LUA_TNIL;
      lua_pop(L, 1);
    }
    if (ok) lua_pop(L, 1);
    else luaL_checktype(L, 1, LUA_TTABLE);
  }
  last = luaL_len(L, 1);
  luaL_optlstring(L, 2, "", NULL);
  first = luaL_optinteger(L, 3, 1);
  last = luaL_optinteger(L, 4, last);
#elif defined(LUA_JITLIBNAME)
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_optlstring(L, 2, "", NULL);
  /* lj_lib_optint / lj_lib_checkint: 32 bits, as lj_num2int truncates */
  first = lua_isnoneornil(L, 3) ? 1 : (lua_Number)(int32_t)luaL_checknumber(L, 3);
  last = lua_isnoneornil(L, 4) ? (lua_Number)(int32_t)lua_objlen(L, 1) : (lua_Number)(int32_t)luaL_checknumber(L, 4);
#else
  luaL_optlstring(L, 2, "", NULL);
  luaL_checktype(L, 1, LUA_TTABLE);
  first = luaL_optint(L, 3, 1);
#if LUA_VERSION_NUM == 502
  last = luaL_opt(L, luaL_checkint, 4, luaL_len(L, 1));
#else
  last = luaL_opt(L, luaL_checkint, 4, luaL_getn(L, 1));
#endif
#endif
  push_position(L, first);
  push_position(L, last);
  return 2;
}

/* Under a memory limit the items are joined a batch at a time, the heap checked after each: a
 * batch starts at 16 items and grows (to 4,096) only while the next one, at the sizes seen so
 * far, fits a quarter of the room left, so a concat that outgrows memoryMb stops within about a
 * batch of the limit. A batch whose items suddenly grow huge can overshoot further: the host's
 * address-space cap bounds it, and the allocation failure is reported as the memoryMb limit.
 * The original always gets the range explicitly, so a __len metamethod runs once, as in plain Lua. */
static int checked_concat (lua_State *L) {
  position first, last, a;
  distance size = CONCAT_FIRST_BATCH;
  lua_Number total = 0;
  int top = lua_gettop(L), n = 0;
  /* The common call (a table, maybe a string separator, no range) cannot raise a bad argument. */
  if (top <= 2 && lua_type(L, 1) == LUA_TTABLE && (lua_isnoneornil(L, 2) || lua_type(L, 2) == LUA_TSTRING))
    concat_read(L);
  else
    read_args(L, concat_read, "table.concat");
  first = to_position(L, -2);
  last = to_position(L, -1);
  /* t, sep (nil when absent), first, last */
  lua_settop(L, top);
  lua_settop(L, 2);
  push_position(L, first);
  push_position(L, last);
  if (last < first || (distance)last - (distance)first < CONCAT_FIRST_BATCH) {
    call_original(L, concat_function);
    if (string_length(L, -1) > SMALL_RESULT) push_room(L, 0), lua_pop(L, 1);
    return 1;
  }
  push_room(L, 0);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    call_original(L, concat_function);
    return 1;
  }
  lua_pop(L, 1);
  /* The parts at 5, above the four arguments the original reads. */
  lua_newtable(L);
  for (a = first;;) {
    position b = ((distance)last - (distance)a < size) ? last : (position)(a + (position)size - 1);
    lua_Number room, per_item, fit;
    size_t len;
    push_position(L, a);
    lua_replace(L, 3);
    push_position(L, b);
    lua_replace(L, 4);
    call_original(L, concat_function);
    len = string_length(L, -1);
    total += (lua_Number)len;
    lua_rawseti(L, 5, ++n);
    /* Joining the parts needs `total` bytes more, unless this one part is the whole result. */
    push_room(L, (n == 1 && b == last) ? 0 : total);
    room = lua_isnil(L, -1) ? (lua_Number)SIZE_MAX : lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (b == last) break;
    per_item = (lua_Number)len / (lua_Number)size + 1;
    fit = room / 4 / per_item;
    size = size * 2 > CONCAT_MAX_BATCH ? CONCAT_MAX_BATCH : size * 2;
    if ((lua_Number)size > fit) size = fit < 1 ? 1 : (distance)fit;
    a = b + 1;
  }
  /* The parts joined by the original: (parts, sep, 1, n). */
  lua_replace(L, 1);
  push_position(L, 1);
  lua_replace(L, 3);
  push_position(L, n);
  lua_replace(L, 4);
  call_original(L, concat_function);
  return 1;
}

/* guard.size_checked(original_rep, original_concat, room): the two checked functions. */
static int g_size_checked (lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  luaL_checktype(L, 3, LUA_TFUNCTION);
#if !defined(LUA_JITLIBNAME)
  rep_function = lua_tocfunction(L, 1);
  concat_function = lua_tocfunction(L, 2);
  if (rep_function == NULL || concat_function == NULL) return luaL_error(L, "guard: string.rep and table.concat must be C functions");
#endif
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 3);
  lua_pushcclosure(L, checked_rep, 2);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_pushcclosure(L, checked_concat, 2);
  return 2;
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
  {"sethook", g_sethook},
  {"filter", g_filter},
  {"hold", g_hold},
  {"counted", g_counted},
  {NULL, NULL}
};

int luaopen_bioxen_guard (lua_State *L) {
  const luaL_Reg *f;
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
  lua_pushcfunction(L, g_size_checked);
  lua_setfield(L, -2, "size_checked");
  return 1;
}
