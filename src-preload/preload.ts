import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('bioxen', {});
