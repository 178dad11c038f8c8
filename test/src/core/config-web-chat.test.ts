/** WEB_CHAT_EMBED_ORIGINS (issue #18 item 4): origins as frame-ancestors takes them, every bad one listed at start. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.ts';

const problems = (value: string): string[] => {
  try {
    loadConfig({ WEB_CHAT_EMBED_ORIGINS: value });
    return [];
  } catch (e) {
    return (e as { details: string[] }).details;
  }
};

describe('WEB_CHAT_EMBED_ORIGINS', () => {
  it('is unset by default: nobody but the page itself may frame the chat', () => {
    expect(loadConfig({}).WEB_CHAT_EMBED_ORIGINS).toBeUndefined();
  });

  it('takes https origins, subdomain wildcards and http on localhost, trimmed, lower-cased and each once', () => {
    expect(
      loadConfig({
        WEB_CHAT_EMBED_ORIGINS:
          ' https://Shop.Example.com, https://*.example.org:8443,,http://localhost:8080,https://shop.example.com',
      }).WEB_CHAT_EMBED_ORIGINS,
    ).toEqual(['https://shop.example.com', 'https://*.example.org:8443', 'http://localhost:8080']);
  });

  it('lists every bad entry in one error', () => {
    expect(
      problems(
        "https://shop.example.com/path,http://shop.example.com,https://a.example.com:99999,'self',https://x.com?q=1,https://u:p@x.com,http://*.localhost",
      ),
    ).toEqual([
      'WEB_CHAT_EMBED_ORIGINS: "https://shop.example.com/path" is not an origin (scheme://host[:port], no path, e.g. https://shop.example.com)',
      'WEB_CHAT_EMBED_ORIGINS: "http://shop.example.com" must be https:// (http:// only on localhost)',
      'WEB_CHAT_EMBED_ORIGINS: "https://a.example.com:99999" has a port over 65535',
      `WEB_CHAT_EMBED_ORIGINS: "'self'" is not an origin (scheme://host[:port], no path, e.g. https://shop.example.com)`,
      'WEB_CHAT_EMBED_ORIGINS: "https://x.com?q=1" is not an origin (scheme://host[:port], no path, e.g. https://shop.example.com)',
      'WEB_CHAT_EMBED_ORIGINS: "https://u:p@x.com" is not an origin (scheme://host[:port], no path, e.g. https://shop.example.com)',
      'WEB_CHAT_EMBED_ORIGINS: "http://*.localhost" must be https:// (http:// only on localhost)',
    ]);
  });
});
