/**
 * errcodes the simulator answers with. Documented ones come from WeCom's global error-code page
 * (developer.work.weixin.qq.com/document/path/90455) or the pages cited beside them. Those marked
 * UNVERIFIED are our best guess; every one can be overridden per simulator (`codes` option), so a
 * test can follow the real service once someone observes it.
 */
export const DEFAULT_CODES = {
  /** gettoken with a wrong corpsecret (documented: 不合法的secret参数). */
  invalidSecret: 40001,
  /** gettoken with an unknown corpid (documented: 不合法的CorpID). */
  invalidCorpId: 40013,
  /** Unknown or invalidated access_token (documented). */
  invalidToken: 40014,
  /** Missing access_token parameter (documented: 缺少access_token参数). */
  missingToken: 41001,
  /** access_token past its expires_in (documented). */
  tokenExpired: 42001,
  /** msgtype not supported by the endpoint (documented: 不合法的msgtype参数). */
  invalidMsgType: 40008,
  /** Malformed body / missing field. UNVERIFIED: 40035 is the documented generic 不合法的参数. */
  invalidParameter: 40035,
  /** agentid that does not belong to the token's app. Documented as 不合法的agentid; UNVERIFIED here. */
  invalidAgentId: 40056,
  /** Empty text content (documented: 文本消息content参数为空). */
  emptyContent: 44004,
  /**
   * Content over the byte limit. UNVERIFIED for WeCom: 45002 "content size out of limit" is what the
   * WeChat APIs answer (developers.weixin.qq.com community threads).
   */
  contentTooLong: 45002,
  /** Frequency limit (documented: 接口调用超过限制); the webhook's 20/min answers this. */
  rateLimited: 45009,
  /** Unknown webhook key (documented for the group robot: invalid webhook url). */
  invalidWebhookKey: 93000,
  /** response_url POSTed a second time. UNVERIFIED: not documented; a made-up code. */
  responseUrlUsed: 99001,
  /** response_url after its hour. UNVERIFIED: not documented; a made-up code. */
  responseUrlExpired: 99002,
  /** response_url with an unknown response_code. UNVERIFIED: not documented; a made-up code. */
  responseUrlUnknown: 99003,
  /**
   * Long-connection subscribe with a wrong bot id / secret. UNVERIFIED: a user's notes report
   * "853000 invalid bot_id or secret" from the live service; the official doc does not list it.
   */
  wsBadCredentials: 853000,
  /** aibot_respond_msg whose req_id is not an open callback (seen in @yanhaidao/wecom: 846605 invalid req_id). */
  wsInvalidReqId: 846605,
  /** Update of a finished or expired stream (seen in @yanhaidao/wecom: 846608). */
  wsStreamExpired: 846608,
  /** Any command before a successful subscribe. UNVERIFIED: made-up. */
  wsNotSubscribed: 99010,
  /** aibot_send_msg to a chat the bot never heard from. UNVERIFIED: made-up (the doc only says it is refused). */
  wsUnknownChat: 99011,
} as const;

export type SimCodes = { -readonly [K in keyof typeof DEFAULT_CODES]: number };

export function resolveCodes(overrides: Partial<SimCodes> = {}): SimCodes {
  return { ...DEFAULT_CODES, ...overrides };
}
