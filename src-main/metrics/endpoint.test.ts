import { describe, expect, it } from 'vitest';
import { endpointFromSetting, isLoopback, parseEndpoint, validateUserPort } from './endpoint';

describe('endpoints', () => {
  it('parses host:port, a bare port and bracketed IPv6', () => {
    expect(parseEndpoint('10.0.0.2:9000')).toEqual({ host: '10.0.0.2', port: 9000 });
    expect(parseEndpoint('12345')).toEqual({ host: '127.0.0.1', port: 12345 });
    expect(parseEndpoint('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(() => parseEndpoint('localhost')).toThrow(/not host:port/);
    expect(() => parseEndpoint('localhost:0')).toThrow(/port 0 is out of range/);
  });

  it('reads the settings URL form', () => {
    expect(endpointFromSetting('tcp://hv.lab:4000')).toEqual({ host: 'hv.lab', port: 4000 });
    expect(endpointFromSetting('http://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 12345 });
    expect(endpointFromSetting('127.0.0.1:5')).toEqual({ host: '127.0.0.1', port: 5 });
    expect(() => endpointFromSetting('tcp://')).toThrow(/not a URL|host/);
  });

  it('limits user ports to 1024–65535 and knows loopback', () => {
    expect(validateUserPort(1024)).toBe(1024);
    expect(() => validateUserPort(80, '--base-port')).toThrow(/--base-port 80 is out of range: use a whole number from 1024 to 65535/);
    expect(() => validateUserPort(65536)).toThrow(/out of range/);
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('192.168.1.2')).toBe(false);
  });
});
