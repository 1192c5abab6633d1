import { type Logger, pino } from "pino";

export type { Logger };
export { pino };

/**
 * Paths that may carry secrets. pino replaces them before a line is written, so a careless
 * `log.info({ config })` cannot leak a token, AES key, app secret or webhook key.
 */
const REDACT = [
  "adminToken",
  "token",
  "aesKey",
  "secret",
  "appSecret",
  "webhookKey",
  "webhookSecret",
  "accessToken",
  "access_token",
  "*.adminToken",
  "*.token",
  "*.aesKey",
  "*.secret",
  "*.appSecret",
  "*.webhookKey",
  "*.webhookSecret",
  "*.accessToken",
  "*.access_token",
  "*.*.token",
  "*.*.aesKey",
  "*.*.secret",
  "*.*.appSecret",
  'req.headers["authorization"]',
  'req.headers["cookie"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: "[redacted]" }, base: undefined },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** Strips query parameters that carry credentials (key=, access_token=, sign=) from a URL for logs. */
export function safeUrl(url: string): string {
  return url.replace(
    /([?&](?:key|access_token|corpsecret|sign|ticket|echostr|response_code)=)[^&]*/gi,
    "$1***",
  );
}
