import { describe, expect, it } from 'vitest';
import {
  botFrameworkMode,
  fromLoopback,
  isLoopbackHost,
  serviceUrlPolicy,
} from '../../../channels/web-chat/service-urls.ts';

const verified = serviceUrlPolicy({
  MicrosoftAppId: 'app',
  BOT_FRAMEWORK_SERVICE_URLS: 'https://bots.example.com/connector/, http://10.0.0.5:8080',
});
const open = serviceUrlPolicy({ BOT_FRAMEWORK_OPEN: '1', BOT_FRAMEWORK_SERVICE_URLS: 'https://tunnel.example.net' });
const off = serviceUrlPolicy({ BOT_FRAMEWORK_SERVICE_URLS: 'https://tunnel.example.net' });

describe('Bot Framework serviceUrl policy', () => {
  it('credentials decide the mode; without them the endpoint is off unless BOT_FRAMEWORK_OPEN=1', () => {
    expect(botFrameworkMode({})).toBe('off');
    expect(botFrameworkMode({ BOT_FRAMEWORK_OPEN: '0' })).toBe('off');
    expect(botFrameworkMode({ BOT_FRAMEWORK_OPEN: '1' })).toBe('open');
    expect(botFrameworkMode({ MicrosoftAppId: 'app', BOT_FRAMEWORK_OPEN: '1' })).toBe('verified');
  });

  it.each([
    'https://smba.trafficmanager.net/teams/',
    'https://smba.trafficmanager.net/emea/',
    'https://webchat.botframework.com/',
    'https://europe.webchat.botframework.com/',
    'https://directline.botframework.com',
    'https://slack.botframework.azure.us/',
    'https://smba.infra.gcc.teams.microsoft.com/teams',
    'https://smba.infra.gov.teams.microsoft.us/',
    'https://bots.example.com/connector/',
    'https://bots.example.com/connector/tenant-1/',
    'http://10.0.0.5:8080/anything',
  ])('with credentials, %s is allowed', (url) => {
    expect(verified.refusal(url)).toBeUndefined();
  });

  it.each([
    'http://webchat.botframework.com/', // not https
    'https://webchat.botframework.com:8443/', // not the default port
    'https://botframework.com.evil.example/',
    'https://evilbotframework.com/',
    'https://evil.example/.botframework.com/',
    'https://evil.example/?x=.smba.trafficmanager.net',
    'https://user@webchat.botframework.com/',
    'https://bots.example.com/connectorx/', // a path beside the entry's, not under it
    'https://bots.example.com/',
    'http://bots.example.com/connector/', // another origin
    'http://10.0.0.5:8081/',
    'http://127.0.0.1:3978/', // loopback needs an entry when credentials are set
    'http://169.254.169.254/latest/meta-data/',
    'file:///etc/passwd',
    '',
    undefined,
    42,
  ])('with credentials, %s is refused', (url) => {
    expect(verified.refusal(url)).toEqual(expect.any(String));
  });

  it('open: loopback (from a loopback client) and listed URLs only', () => {
    for (const url of [
      'http://localhost:50000/',
      'http://127.0.0.1:50000/',
      'http://[::1]:50000/',
      'http://127.1.2.3/',
      'https://tunnel.example.net/x',
    ])
      expect(open.refusal(url)).toBeUndefined();
    for (const url of [
      'https://webchat.botframework.com/',
      'http://0.0.0.0:50000/',
      'http://192.0.2.7/',
      'http://localhost.evil.example/',
      'http://[::ffff:7f00:1]/',
    ])
      expect(open.refusal(url)).toEqual(expect.any(String));
    expect(open.refusal('http://localhost:50000/', { loopback: false })).toMatch(/only from a client on this machine/);
    expect(open.refusal('http://localhost:50000/', { loopback: true })).toBeUndefined();
    expect(open.refusal('https://tunnel.example.net/', { loopback: false })).toBeUndefined();
  });

  it('off: nothing, not even a listed URL', () => {
    expect(off.refusal('https://tunnel.example.net/')).toBe('the Bot Framework channel is off');
  });

  it('loopback clients and hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(fromLoopback('127.0.0.1', undefined, 0)).toBe(true);
    expect(fromLoopback('::ffff:192.0.2.2', undefined, 0)).toBe(false);
    // Behind a proxy on this machine, the client is the address the proxy saw.
    expect(fromLoopback('127.0.0.1', '203.0.113.9', 1)).toBe(false);
    expect(fromLoopback('127.0.0.1', '203.0.113.9, 127.0.0.1', 1)).toBe(true);
  });
});
