// The page's side of the browser host's token: fragment → sessionStorage → address bar cleaned.
import { describe, expect, it } from 'vitest';
import { takeAccessToken, webSocketUrl, type TokenSources } from './index';

function tab(href: string): TokenSources & { address(): string; stored: Map<string, string> } {
  const url = new URL(href);
  const stored = new Map<string, string>();
  return {
    location: url,
    history: {
      state: { kept: true },
      replaceState(state: unknown, _title: string, next?: string | URL | null) {
        expect(state).toEqual({ kept: true });
        const moved = new URL(String(next), url);
        url.hash = moved.hash;
        url.pathname = moved.pathname;
        url.search = moved.search;
      },
    },
    sessionStorage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => void stored.set(k, v) },
    address: () => url.href,
    stored,
  };
}

describe('access token in the page', () => {
  it('moves the token from the fragment into sessionStorage and out of the address bar', () => {
    const page = tab('http://127.0.0.1:4000/#token=abc-123_XYZ');
    expect(takeAccessToken(page)).toBe('abc-123_XYZ');
    expect(page.address()).toBe('http://127.0.0.1:4000/');
    expect([...page.stored.values()]).toEqual(['abc-123_XYZ']);
    // A reload: the address bar has no token any more, sessionStorage still does.
    expect(takeAccessToken(page)).toBe('abc-123_XYZ');
  });

  it('keeps other fragment and query parts, and a newer token replaces an older one', () => {
    const page = tab('http://127.0.0.1:4000/?view=olfi#token=first&panel=2');
    expect(takeAccessToken(page)).toBe('first');
    expect(page.address()).toBe('http://127.0.0.1:4000/?view=olfi#panel=2');
    page.location.hash = '#token=second';
    expect(takeAccessToken(page)).toBe('second');
    expect(page.address()).toBe('http://127.0.0.1:4000/?view=olfi');
  });

  it('still uses a fresh token when sessionStorage refuses it', () => {
    const page = tab('http://127.0.0.1:4000/#token=only-in-memory');
    const refuse = () => {
      throw new DOMException('storage is disabled', 'SecurityError');
    };
    page.sessionStorage = { getItem: refuse, setItem: refuse };
    expect(takeAccessToken(page)).toBe('only-in-memory');
    expect(page.address()).toBe('http://127.0.0.1:4000/');
  });

  it('has no token when the page was opened without one', () => {
    expect(takeAccessToken(tab('http://127.0.0.1:4000/'))).toBeNull();
  });

  it('opens the socket on the page host with no secret in its URL', () => {
    expect(webSocketUrl(new URL('http://127.0.0.1:4000/'))).toBe('ws://127.0.0.1:4000/bioxen-ws');
    expect(webSocketUrl(new URL('https://example.test/'))).toBe('wss://example.test/bioxen-ws');
  });
});
