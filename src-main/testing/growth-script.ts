// The script the DAP tests debug (launch and attach): its line numbers are what they set breakpoints on.
export const GROWTH_SCRIPT = [
  'local function grow(n, rate)', // 1
  '  local next_n = n * rate', // 2
  '  return next_n', // 3
  'end', // 4
  'local cells = { count = 10 }', // 5
  'for step = 1, 3 do', // 6
  '  cells.count = grow(cells.count, 2)', // 7
  'end', // 8
  'print("cells", cells.count)', // 9
].join('\n');
