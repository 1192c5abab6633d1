/**
 * What the simulator answers on failure, with where each value comes from. DOCUMENTED = DingTalk's
 * docs or shared/protocols.md; REPORTED = seen in public bug reports quoting the live service;
 * UNVERIFIED = our guess. Every value can be overridden per simulator (`codes` option), so tests can
 * follow the real service once someone observes it.
 */
export const DEFAULT_CODES = {
  // ---- api.dingtalk.com (v1.0): HTTP status + {code, message, requestid} ----
  /** accessToken with an unknown appKey or a wrong appSecret. UNVERIFIED: status 400 and this code. */
  badAppSecret: { status: 400, code: "invalidClientSecret", message: "应用密钥不正确" },
  /**
   * Missing, unknown or expired x-acs-dingtalk-access-token. The code and message are REPORTED
   * (`{"code":"InvalidAuthentication","message":"不合法的access_token"}`); the status is not: some
   * reports show 400, the brief says 401. Clients must key on the code, not the status.
   */
  invalidToken: { status: 401, code: "InvalidAuthentication", message: "不合法的access_token" },
  /** Body field missing or malformed (msgKey, msgParam, userIds…). UNVERIFIED code. */
  invalidParameter: { status: 400, code: "invalidParameter", message: "参数错误" },
  /** robotCode that is not this app's robot. UNVERIFIED code (reports quote "机器人权限校验不通过"). */
  robotNotOwned: { status: 400, code: "robot.permission.denied", message: "机器人权限校验不通过" },
  /** msgParam over 15,000 bytes (DOCUMENTED limit for groupMessages/send). UNVERIFIED code. */
  msgParamTooLong: {
    status: 400,
    code: "invalidParameter.msgParam.length",
    message: "msgParam 超过长度限制",
  },
  /** connections/open with wrong clientId/clientSecret. REPORTED (401 authFailed 鉴权失败). */
  streamAuthFailed: { status: 401, code: "authFailed", message: "鉴权失败" },

  // ---- oapi.dingtalk.com robots: HTTP 200 + {errcode, errmsg} ----
  /** Custom robot: unknown access_token. REPORTED ("token is not exist"). */
  robotTokenUnknown: 300001,
  /**
   * Session webhook past sessionWebhookExpiredTime. REPORTED for the live service
   * (`{"errcode":300001,"errmsg":"session 不存在"}`); whether an expired and an unknown session answer
   * alike is UNVERIFIED.
   */
  sessionExpired: 300001,
  /** Custom robot: sign mismatch, stale timestamp, missing keyword. DOCUMENTED. */
  signMismatch: 310000,
  /** Custom robot: over 20 messages a minute, then 10 minutes of refusal. DOCUMENTED. */
  sendTooFast: 130101,
  /** Custom robot: body over 20,000 bytes. DOCUMENTED. */
  tooLong: 460101,
  /** Robot body that is not JSON or lacks its msgtype part. UNVERIFIED (40035 缺少参数 json). */
  robotBadBody: 40035,
} as const;

type ApiCode = { status: number; code: string; message: string };
export type SimCodes = {
  -readonly [K in keyof typeof DEFAULT_CODES]: (typeof DEFAULT_CODES)[K] extends number ? number : ApiCode;
};

export function resolveCodes(overrides: Partial<SimCodes> = {}): SimCodes {
  return { ...DEFAULT_CODES, ...overrides } as SimCodes;
}
