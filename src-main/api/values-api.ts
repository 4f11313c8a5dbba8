import { defineApi } from './define-api';

export const valuesApi = defineApi('values', ({ vm }) => ({
  'values:children': ({ id, ref, start, count }) => vm.getSession(id).children(ref, start, count),
  'values:string': ({ id, ref, start, count }) => vm.getSession(id).stringPage(ref, start, count),
  'values:globals': ({ id, builtins, filter }) => vm.getSession(id).globals(builtins, filter),
}));
