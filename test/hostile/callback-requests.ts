import fc from "fast-check";
import { dingSign } from "../sim/dingtalk/sign.ts";
import { encrypt as wecomEncrypt, signature as wecomSignature } from "../sim/wecom/crypto.ts";
import { appTextXml, botTextMessage } from "../sim/wecom/messages.ts";
import { APP, BOT, GROUP_CHAT } from "../support/wecom-bot.ts";
import { hostileText, tampered } from "./arbitraries.ts";
import type { RawRequest } from "./raw-http.ts";
import { BODY_LIMIT_KB, DING } from "./server.ts";

/**
 * Random and malformed platform callbacks, as bytes on the wire. Every request is built so that it
 * must NOT be stored: forged or missing signatures, or a valid signature over content that is
 * broken on purpose (truncated, a required field removed or of the wrong type, encrypted for
 * another receiver). The crypto is the simulators' own, written from the protocol.
 */

export interface Targets {
  corpId: string;
  agentId: string;
  /** The server's clock, in ms: DingTalk signatures are only fresh around it. */
  nowMs: number;
}

interface Parts {
  kind: string;
  method: string;
  target: string;
  headers: [string, string][];
  body: Buffer;
  framing: "length" | "chunked" | "none" | "short" | "long" | "bad-chunk" | "double-length";
}

const utf8 = (s: string) => Buffer.from(s, "utf8");

const PATHS = [
  "/wecom/bot",
  "/wecom/app",
  "/dingtalk/bot",
  "/dingtalk/stream",
  "/dingtalk/",
  "/dingtalk/bot/",
  "/dingtalk/bot/x",
  "/wecom/bot/",
  "/wecom/bot/../app",
  "/wecom/%2e%2e/healthz",
  "/WECOM/BOT",
  "//wecom/bot",
  "/wecom/bot;jsessionid=1",
  "/wecom/bot%00",
  "/wecom/app%2F",
  "/dingtalk/bot%20",
  "/wecom/bot#frag",
  "/wecom/bot\u4e2d",
  "/wecom/bot x",
  "*",
];
const METHODS = ["POST", "POST", "POST", "GET", "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"];
const ODD_METHODS = ["PROPFIND", "BREW", "M-SEARCH", "post", "P@ST", "CONNECT", ""];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/xml",
  "application/xml",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=----x",
  "application/octet-stream",
  "application/json; charset=utf-16",
  "text/xml; charset=gbk",
  "",
  "\u0000",
  "a".repeat(300),
];

const hex40 = fc.stringMatching(/^[0-9a-f]{40}$/);
/** A query value as a hostile client writes it: raw `+` and `%`, broken or over-long escapes. */
const queryValue = fc.oneof(
  hex40,
  fc.stringMatching(/^\d{1,12}$/),
  fc.constantFrom(
    "",
    "+",
    "%",
    "%zz",
    "%2B",
    "%00",
    "%E4%B8",
    "a+b=c",
    "%%",
    "=",
    "&",
    "%FF%FE",
    "%ED%A0%80",
    "+/==",
  ),
  hostileText(12).map((s) => encodeURIComponent(Buffer.from(s).toString())),
  fc.string({ unit: "binary-ascii", maxLength: 12 }).map(encodeURIComponent),
  fc.constant("A".repeat(4000)),
);
const queryString = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        "msg_signature",
        "timestamp",
        "nonce",
        "echostr",
        "msg_signature",
        "x",
        "",
        "%6D%73%67_signature",
      ),
      queryValue,
      fc.boolean(),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => pairs.map(([k, v, withEq]) => (withEq ? `${k}=${v}` : k)).join("&"));

const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

/** A body that is none of the things a callback should be. */
const garbageBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  hostileText(120).map(utf8),
  fc.json().map(utf8),
  fc
    .constantFrom(
      "{",
      "[]",
      "null",
      '{"encrypt":null}',
      '{"encrypt":123}',
      '{"encrypt":""}',
      '{"encrypt":"%%%"}',
      '{"encrypt":"AAAA"}',
      "<xml>",
      "<xml><Encrypt></Encrypt></xml>",
      "<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>",
      '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>',
      "<?xml version='1.0'?><xml><ToUserName>x</ToUserName></xml>",
      "\ufeff{}",
      "msg_signature=1&timestamp=2",
    )
    .map(utf8),
  fc
    .tuple(hex40, hostileText(20))
    .map(([a, b]) => utf8(JSON.stringify({ encrypt: Buffer.from(a + b).toString("base64") }))),
);

function request(p: Parts): RawRequest {
  const head = [`${p.method} ${p.target} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
  for (const [k, v] of p.headers) head.push(`${k}: ${v}`);
  let body = p.body;
  switch (p.framing) {
    case "length":
      head.push(`Content-Length: ${body.length}`);
      break;
    case "short":
      head.push(`Content-Length: ${Math.floor(body.length / 2)}`);
      break;
    case "long":
      head.push(`Content-Length: ${body.length + 1 + (body.length % 97)}`);
      break;
    case "double-length":
      head.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 1}`);
      break;
    case "chunked":
    case "bad-chunk": {
      head.push("Transfer-Encoding: chunked");
      const chunks: Buffer[] = [];
      for (let i = 0; i < body.length; i += 4096) {
        const part = body.subarray(i, i + 4096);
        chunks.push(utf8(`${part.length.toString(16)}\r\n`), part, utf8("\r\n"));
      }
      const end = p.framing === "chunked" ? "0\r\n\r\n" : "zz\r\nnot a chunk\r\n";
      body = Buffer.concat([...chunks, utf8(end)]);
      break;
    }
    case "none":
      break;
  }
  return {
    kind: p.kind,
    bytes: Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), body]),
  };
}

const framing = fc.oneof(
  { weight: 12, arbitrary: fc.constant("length" as const) },
  { weight: 2, arbitrary: fc.constant("chunked" as const) },
  { weight: 1, arbitrary: fc.constantFrom("none", "short", "long", "bad-chunk", "double-length") },
);
const contentType = fc.constantFrom(...CONTENT_TYPES);

/** Anything at all, at the callback paths. */
function garbage(): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constantFrom(...METHODS) },
        fc.constantFrom(...ODD_METHODS),
      ),
      path: fc.constantFrom(...PATHS),
      query: queryString,
      contentType,
      dingHeaders: fc.option(fc.tuple(queryValue, queryValue), { nil: undefined }),
      body: garbageBody,
      framing,
    })
    .map((r) =>
      request({
        kind: "garbage",
        method: r.method,
        target: withQuery(r.path, r.query),
        headers: [
          ...(r.contentType ? ([["Content-Type", r.contentType]] as [string, string][]) : []),
          ...(r.dingHeaders
            ? ([
                ["timestamp", r.dingHeaders[0]],
                ["sign", r.dingHeaders[1]],
              ] as [string, string][])
            : []),
        ],
        body: r.body,
        framing: r.framing,
      }),
    );
}

// Not a usable value for any required field of either platform: missing, empty, or not a string.
const NEVER_VALID: unknown[] = [null, 0, "", [], {}, true];

/**
 * Removes or spoils one required field, or truncates the serialized text: never a valid message.
 * `spoiled` adds values that are wrong for one field only (a chat type that does not exist).
 */
function spoilJson(
  valid: Record<string, unknown>,
  required: readonly string[],
  spoiled: Record<string, unknown[]> = {},
): fc.Arbitrary<string> {
  const text = JSON.stringify(valid);
  return fc.oneof(
    fc.integer({ min: 1, max: text.length - 1 }).map((cut) => text.slice(0, cut)),
    fc.constantFrom(...required).map((k) => {
      const { [k]: _, ...rest } = valid;
      return JSON.stringify(rest);
    }),
    fc
      .constantFrom(...required)
      .chain((k) => fc.constantFrom(...NEVER_VALID, ...(spoiled[k] ?? [])).map((v) => ({ k, v })))
      .map(({ k, v }) => JSON.stringify({ ...valid, [k]: v })),
    fc.constantFrom("[]", '"text"', "42", "null", "true"),
  );
}

const msgId = fc.stringMatching(/^[0-9a-f]{16}$/);
const nonce = fc.stringMatching(/^\d{1,10}$/);
const iv = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b));

/** Valid signature over content that cannot be a message: the decoders must refuse it with a 4xx. */
function wecomBotSigned(): fc.Arbitrary<RawRequest> {
  const content = msgId.chain((id) =>
    spoilJson(
      botTextMessage({
        msgid: id,
        aibotid: "aibHostile",
        chatid: GROUP_CHAT,
        userid: "zhangsan",
        content: "@汇报 帮助",
      }),
      ["msgid", "aibotid", "chatid", "chattype", "from", "msgtype", "text"],
      { chattype: ["channel", "GROUP"], from: [{ userid: 5 }, "zhangsan"], text: [{ content: 7 }, "帮助"] },
    ),
  );
  return fc
    .record({
      // Garbage under a valid signature, or a spoiled message encrypted for the wrong receiver or fine.
      plain: content,
      receiveId: fc.constantFrom("", "", "", "wwSomeOtherCorp"),
      garbage: fc.option(fc.uint8Array({ minLength: 1, maxLength: 200 }), { freq: 4, nil: undefined }),
      timestamp: fc.stringMatching(/^\d{10}$/),
      nonce,
      iv,
      query: queryString,
      contentType,
      framing,
    })
    .map((r) => {
      const encrypt = r.garbage
        ? Buffer.from(r.garbage).toString("base64")
        : wecomEncrypt(BOT.aesKey, r.plain, r.receiveId, r.iv);
      const sig = wecomSignature(BOT.token, r.timestamp, r.nonce, encrypt);
      const query = `msg_signature=${sig}&timestamp=${r.timestamp}&nonce=${r.nonce}${r.query ? `&${r.query}` : ""}`;
      return request({
        kind: "wecom-bot-signed-spoiled",
        method: "POST",
        target: `/wecom/bot?${query}`,
        headers: r.contentType ? [["Content-Type", r.contentType]] : [],
        body: utf8(JSON.stringify({ encrypt })),
        framing: r.framing,
      });
    });
}

function wecomAppSigned(t: Targets): fc.Arbitrary<RawRequest> {
  const fields = ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId"] as const;
  const xml = (id: string) =>
    appTextXml({ corpId: t.corpId, fromUser: "zhangsan", content: "帮助", msgId: id, agentId: t.agentId });
  const spoiled = fc.oneof(
    // Cut before </MsgId> is complete: MsgId is then missing or unclosed.
    fc.tuple(msgId, fc.double({ min: 0, max: 1, noNaN: true })).map(([id, at]) => {
      const s = xml(id);
      return s.slice(0, 1 + Math.floor(at * (s.indexOf("</MsgId>") + 6)));
    }),
    fc
      .tuple(msgId, fc.constantFrom(...fields))
      .map(([id, f]) => xml(id).replace(new RegExp(`<${f}>.*?</${f}>`), "")),
    msgId.map((id) => `<!DOCTYPE xml [<!ENTITY e "x">]>${xml(id)}`),
    msgId.map((id) => xml(id).replace("<MsgType><![CDATA[text]]></MsgType>", "<MsgType>event</MsgType>")),
    fc.constantFrom("", "<xml/>", "not xml", "<xml><xml></xml></xml>"),
  );
  return fc
    .record({
      plain: spoiled,
      receiveId: fc.constantFrom(t.corpId, t.corpId, "", "wwSomeOtherCorp"),
      timestamp: fc.stringMatching(/^\d{10}$/),
      nonce,
      iv,
      framing,
    })
    .map((r) => {
      const encrypt = wecomEncrypt(APP.aesKey, r.plain, r.receiveId, r.iv);
      const sig = wecomSignature(APP.token, r.timestamp, r.nonce, encrypt);
      return request({
        kind: "wecom-app-signed-spoiled",
        method: "POST",
        target: `/wecom/app?msg_signature=${sig}&timestamp=${r.timestamp}&nonce=${r.nonce}`,
        headers: [["Content-Type", "text/xml"]],
        body: utf8(
          `<xml><ToUserName><![CDATA[${t.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
        ),
        framing: r.framing,
      });
    });
}

/** A genuine, well-formed message whose signature is not ours: forged, tampered or for another token. */
function wecomForged(t: Targets): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      app: fc.boolean(),
      id: msgId,
      timestamp: fc.stringMatching(/^\d{10}$/),
      nonce,
      iv,
      spoil: fc.constantFrom("signature", "timestamp", "nonce", "encrypt", "token", "missing", "plus"),
    })
    .chain((r) => {
      const token = r.app ? APP.token : BOT.token;
      const plain = r.app
        ? appTextXml({
            corpId: t.corpId,
            fromUser: "zhangsan",
            content: "帮助",
            msgId: r.id,
            agentId: t.agentId,
          })
        : JSON.stringify(
            botTextMessage({
              msgid: r.id,
              aibotid: "aibHostile",
              chatid: GROUP_CHAT,
              userid: "zhangsan",
              content: "帮助",
            }),
          );
      const encrypt = wecomEncrypt(r.app ? APP.aesKey : BOT.aesKey, plain, r.app ? t.corpId : "", r.iv);
      const parts = {
        signature: wecomSignature(token, r.timestamp, r.nonce, encrypt),
        timestamp: r.timestamp,
        nonce: r.nonce,
        encrypt,
      };
      const changed =
        r.spoil === "signature" || r.spoil === "timestamp" || r.spoil === "nonce" || r.spoil === "encrypt"
          ? tampered(parts[r.spoil]).map((v) => ({ ...parts, [r.spoil]: v }))
          : fc.constant(
              r.spoil === "token"
                ? { ...parts, signature: wecomSignature(`${token}x`, r.timestamp, r.nonce, encrypt) }
                : r.spoil === "plus"
                  ? // The signature is over the encrypt with `+`: turning `+` into a space must not pass.
                    {
                      ...parts,
                      encrypt: parts.encrypt.includes("+")
                        ? parts.encrypt.replace("+", " ")
                        : `${parts.encrypt} `,
                    }
                  : { ...parts, signature: "" },
            );
      return changed.map((p) => {
        const body = r.app
          ? `<xml><ToUserName><![CDATA[${t.corpId}]]></ToUserName><Encrypt><![CDATA[${p.encrypt}]]></Encrypt></xml>`
          : JSON.stringify({ encrypt: p.encrypt });
        const query = [
          p.signature ? `msg_signature=${p.signature}` : "",
          `timestamp=${encodeURIComponent(p.timestamp)}`,
          `nonce=${encodeURIComponent(p.nonce)}`,
        ]
          .filter(Boolean)
          .join("&");
        return request({
          kind: "wecom-forged",
          method: "POST",
          target: `/wecom/${r.app ? "app" : "bot"}?${query}`,
          headers: [["Content-Type", r.app ? "text/xml" : "application/json"]],
          body: utf8(body),
          framing: "length",
        });
      });
    });
}

/** URL verification with echostr values that are not ours, raw `+`, `%`, spaces and broken escapes. */
function wecomVerify(): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      app: fc.boolean(),
      echostr: fc.oneof(
        fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b).toString("base64")),
        hostileText(30).map((s) => Buffer.from(s).toString()),
      ),
      timestamp: fc.stringMatching(/^\d{10}$/),
      nonce,
      signed: fc.boolean(),
      encoding: fc.constantFrom("raw", "percent", "plus-as-space", "broken"),
      extra: queryString,
    })
    .map((r) => {
      const token = r.app ? APP.token : BOT.token;
      const sig = r.signed ? wecomSignature(token, r.timestamp, r.nonce, r.echostr) : "0".repeat(40);
      const value =
        r.encoding === "percent"
          ? encodeURIComponent(r.echostr)
          : r.encoding === "plus-as-space"
            ? r.echostr.replaceAll("+", " ").replaceAll(" ", "+")
            : r.encoding === "broken"
              ? `${encodeURIComponent(r.echostr)}%`
              : r.echostr.replace(/[\s&#]/gu, "");
      return request({
        kind: "wecom-verify",
        method: "GET",
        target: `/wecom/${r.app ? "app" : "bot"}?msg_signature=${sig}&timestamp=${r.timestamp}&nonce=${r.nonce}&echostr=${value}${r.extra ? `&${r.extra}` : ""}`,
        headers: [],
        body: Buffer.alloc(0),
        framing: "none",
      });
    });
}

function dingMessage(id: string): Record<string, unknown> {
  return {
    msgId: id,
    msgtype: "text",
    text: { content: " 帮助" },
    senderStaffId: "0456",
    senderNick: "李四",
    robotCode: DING.appKey,
    conversationType: "2",
    conversationId: "cidHostileGroup==",
    sessionWebhook: "http://127.0.0.1:9/robot/sendBySession?session=x",
    sessionWebhookExpiredTime: 1_900_000_000_000,
  };
}

/** Fresh valid headers over a body that is broken on purpose. */
function dingSigned(t: Targets): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      body: msgId.chain((id) =>
        spoilJson(
          dingMessage(id),
          ["msgId", "msgtype", "senderStaffId", "robotCode", "conversationType", "conversationId", "text"],
          { conversationType: ["3", "0", 3], text: [{ content: 7 }, "帮助"] },
        ),
      ),
      skew: fc.integer({ min: -600_000, max: 600_000 }),
      contentType,
      framing,
    })
    .map((r) => {
      const timestamp = String(t.nowMs + r.skew);
      return request({
        kind: "dingtalk-signed-spoiled",
        method: "POST",
        target: "/dingtalk/bot",
        headers: [
          ...(r.contentType ? ([["Content-Type", r.contentType]] as [string, string][]) : []),
          ["timestamp", timestamp],
          ["sign", dingSign(DING.appSecret, timestamp)],
        ],
        body: utf8(r.body),
        framing: r.framing,
      });
    });
}

/**
 * A sign as a proxy or a careless client mangles it: `+` read as a space, or the `=` percent-encoded
 * (every base64 SHA-256 ends in one `=`, so the result always differs from the original).
 */
const plusMangled = (sign: string) =>
  sign.includes("+") ? sign.replace("+", " ") : sign.replace("=", "%3D");

/** A well-formed message with headers that are missing, stale, forged or for another secret. */
function dingForged(t: Targets): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      id: msgId,
      how: fc.constantFrom(
        "stale",
        "future",
        "tampered-sign",
        "tampered-timestamp",
        "secret",
        "missing",
        "plus",
      ),
      skew: fc.integer({ min: 3_601_000, max: 10 * 86_400_000 }),
    })
    .chain((r) => {
      const fresh = String(t.nowMs);
      const headers = (timestamp: string, sign: string): [string, string][] => [
        ["timestamp", timestamp],
        ["sign", sign],
      ];
      const forged: fc.Arbitrary<[string, string][]> =
        r.how === "stale" || r.how === "future"
          ? fc.constant(
              (() => {
                const ts = String(t.nowMs + (r.how === "stale" ? -r.skew : r.skew));
                return headers(ts, dingSign(DING.appSecret, ts));
              })(),
            )
          : r.how === "tampered-sign"
            ? tampered(dingSign(DING.appSecret, fresh)).map((s) => headers(fresh, s))
            : r.how === "tampered-timestamp"
              ? tampered(fresh).map((ts) => headers(ts, dingSign(DING.appSecret, fresh)))
              : r.how === "secret"
                ? fc.constant(headers(fresh, dingSign(`${DING.appSecret}x`, fresh)))
                : r.how === "plus"
                  ? fc.constant(headers(fresh, plusMangled(dingSign(DING.appSecret, fresh))))
                  : fc.constantFrom<[string, string][]>(
                      [],
                      [["timestamp", fresh]],
                      [["sign", dingSign(DING.appSecret, fresh)]],
                    );
      return forged.map((h) =>
        request({
          kind: "dingtalk-forged",
          method: "POST",
          target: "/dingtalk/bot",
          headers: [["Content-Type", "application/json"], ...h],
          body: utf8(JSON.stringify(dingMessage(r.id))),
          framing: "length",
        }),
      );
    });
}

/** Bodies over the limit, announced by Content-Length or streamed in chunks. */
function huge(): fc.Arbitrary<RawRequest> {
  return fc
    .record({
      path: fc.constantFrom("/wecom/bot", "/wecom/app", "/dingtalk/bot"),
      size: fc.integer({ min: BODY_LIMIT_KB * 1024 + 1, max: BODY_LIMIT_KB * 1024 * 2 }),
      fill: fc.constantFrom("a", "汉", "{", "\u0000"),
      chunked: fc.boolean(),
    })
    .map((r) =>
      request({
        kind: "huge",
        method: "POST",
        target: `${r.path}?msg_signature=${"0".repeat(40)}&timestamp=1&nonce=1`,
        headers: [
          ["Content-Type", "application/json"],
          ["timestamp", "1"],
          ["sign", "x"],
        ],
        body: Buffer.alloc(r.size, r.fill),
        framing: r.chunked ? "chunked" : "length",
      }),
    );
}

/** Requests that are not even well-formed HTTP. */
const brokenHttp: fc.Arbitrary<RawRequest> = fc
  .oneof(
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
    hostileText(100).map(utf8),
    fc
      .constantFrom(
        "POST /wecom/bot HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
        "POST /wecom/bot HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}",
        "POST /wecom/bot HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
        "POST /dingtalk/bot HTTP/1.1\r\nHost: x\r\nsign: a\r\n b\r\n\r\n",
        "POST /dingtalk/bot HTTP/1.1\r\nHost: x\r\ntimestamp\r\n\r\n",
        "POST /wecom/bot HTTP/9.9\r\n\r\n",
        "GET /wecom/bot\r\n\r\n",
        `GET /wecom/bot?${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
        `POST /wecom/bot HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`,
        "POST /wecom/bot HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n0123456789",
        "POST /wecom/bot HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\u001f\u008b\u0008\u0000",
        "POST /wecom/bot HTTP/1.1\r\nHost: x\r\nX-Request-Id: ../../etc/passwd\r\nContent-Length: 2\r\n\r\n{}",
      )
      .map((s) => Buffer.from(s, "latin1")),
  )
  .map((bytes) => ({ kind: "broken-http", bytes }));

/** The mix: mostly protocol-shaped attacks, a good share of plain garbage, a few huge bodies. */
export function hostileCallbacks(t: Targets): fc.Arbitrary<RawRequest> {
  return fc.oneof(
    { weight: 30, arbitrary: garbage() },
    { weight: 15, arbitrary: wecomBotSigned() },
    { weight: 10, arbitrary: wecomAppSigned(t) },
    { weight: 10, arbitrary: wecomForged(t) },
    { weight: 8, arbitrary: wecomVerify() },
    { weight: 12, arbitrary: dingSigned(t) },
    { weight: 8, arbitrary: dingForged(t) },
    { weight: 1, arbitrary: huge() },
    { weight: 5, arbitrary: brokenHttp },
  );
}
