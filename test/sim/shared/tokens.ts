import type { Clock } from "../../../src/lib/clock.ts";

/** Both platforms issue access tokens valid for 7200 s, the same token while it is still valid. */
export const TOKEN_TTL_S = 7200;

/**
 * What both simulators' token stores share: the registered apps, the issued tokens (keyed by token)
 * and a count of token calls. The platform subclass decides the request and answer shapes and what
 * makes a token invalid.
 */
export abstract class SimTokenStore<App, Issued extends { app: App; issuedAt: number }, Codes> {
  protected readonly apps: App[] = [];
  protected readonly tokens = new Map<string, Issued>();
  /** Every token call, refused ones included (the token endpoint is itself rate limited). */
  calls = 0;

  constructor(
    protected readonly clock: Clock,
    protected readonly codes: Codes,
  ) {}

  addApp(app: App): void {
    this.apps.push(app);
  }

  /** The app's token that is still valid, as `[token, issued]`. */
  protected current(app: App, valid: (t: Issued) => boolean): [string, Issued] | undefined {
    return [...this.tokens].find(([, t]) => t.app === app && valid(t));
  }
}
