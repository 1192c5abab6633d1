import type { Clock } from "../../../src/lib/clock.ts";
import type { SimCodes } from "./codes.ts";
import { bytes, oapi, oapiOk, type SimAnswer } from "./http.ts";
import { parseRobotBody, type RobotBodyRecord } from "./robot-body.ts";
import { dingSign, sameSign } from "./sign.ts";

/**
 * Custom robot webhook `POST /robot/send?access_token=T&timestamp=MS&sign=S` (send only).
 * Checks, in this order (the order is our choice; DingTalk does not document it):
 *   unknown token → 300001; inside a lockout → 130101 (everything, for 10 minutes by the clock);
 *   signature (timestamp within 1 h of now, sign = urlencode(base64(HMAC))) → 310000;
 *   body over 20,000 bytes → 460101; malformed body → 40035; keyword rule → 310000;
 *   the 21st accepted message inside a rolling minute → 130101 and the lockout starts.
 * `sign` is read with form decoding (URLSearchParams), so a client that forgets to URL-encode the
 * base64 loses its `+` and gets 310000, as a real signature-checking server would.
 */

export interface CustomRobotOptions {
  /** 自定义关键词: a message must contain one of them (security setting). */
  keywords?: string[];
}

export interface CustomRobot {
  token: string;
  /** undefined: the robot's security setting is not 加签. */
  secret: string | undefined;
  name: string;
  keywords: string[];
  messages: RobotBodyRecord[];
  rejected: Array<{ errcode: number; errmsg: string; at: Date }>;
  /** How often 130101 was answered. */
  rateLimitHits: number;
  /** Accept times inside the current window, ms. */
  window: number[];
  /** While now < lockedUntil, every request is refused with 130101. */
  lockedUntil: number;
  /** Every `sign` received, to check that clients never reuse one. */
  signs: string[];
}

/** DOCUMENTED: timestamp within one hour of DingTalk's clock. */
export const SIGN_MAX_SKEW_MS = 3600_000;
export const BODY_MAX_BYTES = 20_000;
export const LOCKOUT_MS = 10 * 60_000;

export class CustomRobots {
  private readonly robots = new Map<string, CustomRobot>();

  constructor(
    private readonly clock: Clock,
    private readonly codes: SimCodes,
    private readonly perMinute: number,
  ) {}

  add(token: string, secret: string | undefined, name: string, opts: CustomRobotOptions = {}): CustomRobot {
    const robot: CustomRobot = {
      token,
      secret,
      name,
      keywords: opts.keywords ?? [],
      messages: [],
      rejected: [],
      rateLimitHits: 0,
      window: [],
      lockedUntil: 0,
      signs: [],
    };
    this.robots.set(token, robot);
    return robot;
  }

  get(token: string): CustomRobot {
    const robot = this.robots.get(token);
    if (!robot) throw new Error("no custom robot with that token in the simulator");
    return robot;
  }

  send(query: URLSearchParams, body: string): SimAnswer {
    const robot = this.robots.get(query.get("access_token") ?? "");
    if (!robot) return oapi(this.codes.robotTokenUnknown, "token is not exist");
    const now = this.clock.now();
    const sign = query.get("sign");
    if (sign !== null) robot.signs.push(sign);
    const answer = this.check(robot, query, body, now);
    const errcode = answer.body.errcode as number;
    if (errcode !== 0) robot.rejected.push({ errcode, errmsg: String(answer.body.errmsg), at: now });
    return answer;
  }

  private check(robot: CustomRobot, query: URLSearchParams, body: string, now: Date): SimAnswer {
    const nowMs = now.getTime();
    if (nowMs < robot.lockedUntil) return this.tooFast(robot);
    const signError = this.checkSign(robot, query, nowMs);
    if (signError) return oapi(this.codes.signMismatch, signError);
    if (bytes(body) > BODY_MAX_BYTES) {
      return oapi(this.codes.tooLong, `message too long, exceed ${BODY_MAX_BYTES} bytes`);
    }
    const record = parseRobotBody(body, now);
    if (!record) return oapi(this.codes.robotBadBody, "缺少参数 json");
    if (robot.keywords.length > 0 && !robot.keywords.some((k) => body.includes(k))) {
      return oapi(this.codes.signMismatch, "keywords not in content");
    }
    robot.window = robot.window.filter((t) => t > nowMs - 60_000);
    if (robot.window.length >= this.perMinute) {
      robot.lockedUntil = nowMs + LOCKOUT_MS;
      return this.tooFast(robot);
    }
    robot.window.push(nowMs);
    robot.messages.push(record);
    return oapiOk();
  }

  private tooFast(robot: CustomRobot): SimAnswer {
    robot.rateLimitHits++;
    return oapi(this.codes.sendTooFast, `send too fast, exceed ${this.perMinute} times per minute`);
  }

  /** An errmsg when the signature is refused, undefined when it passes (or is not required). */
  private checkSign(robot: CustomRobot, query: URLSearchParams, nowMs: number): string | undefined {
    if (robot.secret === undefined) return undefined;
    const timestamp = query.get("timestamp") ?? "";
    const sign = query.get("sign") ?? "";
    if (!/^\d{13}$/.test(timestamp) || Math.abs(nowMs - Number(timestamp)) > SIGN_MAX_SKEW_MS) {
      return "invalid timestamp";
    }
    if (!sameSign(sign, dingSign(robot.secret, timestamp))) return "sign not match";
    return undefined;
  }
}
