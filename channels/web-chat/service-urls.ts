/**
 * Which Bot Framework `serviceUrl`s the bot may send to. The serviceUrl arrives in the caller's activity and the bot
 * POSTs its replies (and later follow-ups, from the stored conversation reference) there, path prefix included, so
 * an unchecked one lets anyone make the bot send requests anywhere (SSRF).
 */

/**
 * Hosts (and their subdomains) of Microsoft's channel services: the Bot Connector and its channels
 * (*.botframework.com, e.g. webchat, directline, europe.webchat, slack, telegram), Azure Government
 * (*.botframework.azure.us), and Teams (smba.trafficmanager.net; GCC and GCC High / DoD on teams.microsoft.com and
 * teams.microsoft.us). The same list as the default service hosts of Microsoft's Agents SDK outbound host validator.
 */
export const MICROSOFT_CHANNEL_HOSTS = [
  'botframework.com',
  'botframework.azure.us',
  'smba.trafficmanager.net',
  'teams.microsoft.com',
  'teams.microsoft.us',
] as const;

/** How /api/messages is exposed: with Azure Bot credentials (verified tokens), open for the Emulator, or off. */
export type BotFrameworkMode = 'verified' | 'open' | 'off';

/** What decides the mode and the allowed serviceUrls (the configuration entries of the same names). */
export interface ServiceUrlSettings {
  MicrosoftAppId?: string;
  BOT_FRAMEWORK_OPEN?: string;
  BOT_FRAMEWORK_SERVICE_URLS?: string;
}

/** The mode the settings give: credentials win; without them the endpoint is off unless BOT_FRAMEWORK_OPEN=1. */
export function botFrameworkMode(s: ServiceUrlSettings): BotFrameworkMode {
  if (s.MicrosoftAppId) return 'verified';
  return s.BOT_FRAMEWORK_OPEN === '1' ? 'open' : 'off';
}

/** The entries of BOT_FRAMEWORK_SERVICE_URLS (comma-separated http(s) URLs); invalid ones are dropped (config refuses them). */
export function configuredServiceUrls(list: string | undefined): URL[] {
  return (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .flatMap((s) => {
      const u = parseHttpUrl(s);
      return u ? [u] : [];
    });
}

/** `s` as an http(s) URL without credentials in it, or undefined. */
export function parseHttpUrl(s: string): URL | undefined {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  if (u.username || u.password) return undefined;
  return u;
}

/** True when `host` (a URL's hostname) is a loopback name or address. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1') return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.exec(h);
  return v4 !== null && v4[1] === '127';
}

/** The policy: whether one serviceUrl may be sent to, and why not. */
export interface ServiceUrlPolicy {
  readonly mode: BotFrameworkMode;
  /**
   * Undefined when `serviceUrl` may be sent to, else the reason in words (for the error and the log). `client` is
   * given for an incoming activity: in open mode a loopback serviceUrl is taken only from a client on this machine.
   */
  refusal(serviceUrl: unknown, client?: { loopback: boolean }): string | undefined;
}

/**
 * The serviceUrls the bot may send to:
 * - off: none (the endpoint refuses everything; a stored address from before is not followed up).
 * - verified: https on the default port to a Microsoft channel host, or a BOT_FRAMEWORK_SERVICE_URLS entry.
 * - open (no credentials, BOT_FRAMEWORK_OPEN=1): loopback URLs (the Emulator on this machine), or an entry. An
 *   activity with a loopback serviceUrl is taken only from a loopback client: from elsewhere it would make the bot
 *   post to services listening on its own machine.
 * An entry allows its origin and the paths under its path, e.g. https://bots.example.com/connector/.
 */
export function serviceUrlPolicy(s: ServiceUrlSettings): ServiceUrlPolicy {
  const mode = botFrameworkMode(s);
  const listed = configuredServiceUrls(s.BOT_FRAMEWORK_SERVICE_URLS);
  const underEntry = (u: URL) =>
    listed.some((e) => {
      if (e.origin !== u.origin) return false;
      const base = e.pathname.endsWith('/') ? e.pathname : `${e.pathname}/`;
      return `${u.pathname.replace(/\/?$/, '/')}`.startsWith(base);
    });
  const microsoft = (u: URL) =>
    u.protocol === 'https:' &&
    u.port === '' &&
    MICROSOFT_CHANNEL_HOSTS.some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`));
  return {
    mode,
    refusal(serviceUrl, client) {
      if (mode === 'off') return 'the Bot Framework channel is off';
      if (typeof serviceUrl !== 'string' || !serviceUrl) return 'the activity has no serviceUrl';
      const u = parseHttpUrl(serviceUrl);
      if (!u) return 'the serviceUrl is not an http(s) URL without credentials';
      if (underEntry(u)) return undefined;
      if (mode === 'verified' && microsoft(u)) return undefined;
      if (mode === 'open' && isLoopbackHost(u.hostname)) {
        return client && !client.loopback
          ? 'a loopback serviceUrl is accepted only from a client on this machine'
          : undefined;
      }
      return mode === 'verified'
        ? `serviceUrl host ${u.host} is not a Microsoft channel host nor listed in BOT_FRAMEWORK_SERVICE_URLS`
        : `serviceUrl host ${u.host} is not loopback nor listed in BOT_FRAMEWORK_SERVICE_URLS (BOT_FRAMEWORK_OPEN=1 without credentials)`;
    },
  };
}

/** True when the socket peer of a request is loopback (with `trustProxy` hops, the address the nearest proxy saw). */
export function fromLoopback(
  remoteAddress: string | undefined,
  forwardedFor: string | undefined,
  trustProxy: number,
): boolean {
  let address = remoteAddress ?? '';
  if (trustProxy > 0) {
    // As the rate limiter reads it: the entry `trustProxy` from the right was written by our nearest trusted proxy.
    const forwarded = String(forwardedFor ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    address = forwarded[Math.max(0, forwarded.length - trustProxy)] ?? address;
  }
  return isLoopbackHost(address);
}
