/** The phone channel as the command line runs it: no HTTP route, only its push side (email) when email is set up. */
import { phoneAddressSchema, phonePush } from '../../channels/phone/channel.ts';
import { PHONE_CHANNEL } from '../../channels/phone/api.ts';
import { emailSender } from '../../channels/email/send.ts';
import type { Channel } from '../core/channel.ts';
import type { Config } from '../core/config.ts';

/** The phone channel pushing through SMTP (closed by `close`), or undefined when email is not configured. */
export function phoneCommandChannel(config: Config): Channel | undefined {
  if (!config.IMAP_URL || !config.SMTP_URL || !config.MAIL_FROM) return undefined;
  const email = emailSender({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  return { name: PHONE_CHANNEL, addressSchema: phoneAddressSchema, push: phonePush(email), close: () => email.close() };
}
