import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decryptMessage,
  parseAesKey,
  readQueryParam,
  signedReply,
  verifyAndDecrypt,
  verifySignature,
  WecomCryptoError,
} from "../../src/platforms/wecom/crypto.ts";
import {
  decodeAppMessage,
  decodeBotMessage,
  parseAppEnvelope,
  parseBotEnvelope,
} from "../../src/platforms/wecom/decode.ts";
import { WecomError } from "../../src/platforms/wecom/errors.ts";
import { encrypt as simEncrypt, signature as simSignature } from "../sim/wecom/crypto.ts";
import { hostileText, runs, tampered } from "./arbitraries.ts";

/**
 * The WeCom callback path from raw query and body to plaintext, under random and tampered input:
 * nothing but a WecomError ever comes out (the route turns it into 400/401), and only a request
 * signed with our token is ever decrypted.
 */

const TOKEN = "botToken123";
const AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const CORP_ID = "ww1436e0e65a779aee";
const NOW = new Date("2026-11-26T02:00:00Z");

/** Runs fn and returns the WecomError it throws, or the value it returns; anything else fails the test. */
function outcome<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: WecomError } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (error instanceof WecomError) return { ok: false, error };
    throw error;
  }
}

const base64Of = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const randomBytes = fc.uint8Array({ maxLength: 300 });
// Lengths that are whole AES blocks, so the decryptor itself (padding, length prefix, UTF-8) is reached.
const blockBytes = fc
  .integer({ min: 1, max: 8 })
  .chain((n) => fc.uint8Array({ minLength: n * 32, maxLength: n * 32 }));
const receiveId = fc.constantFrom("", CORP_ID);
/** The string as UTF-8 can carry it: lone surrogates become U+FFFD. */
const utf8 = (s: string) => Buffer.from(s, "utf8").toString("utf8");
// Text that survives UTF-8 (no lone surrogates): what a real message can carry.
const wellFormed = hostileText(60).map(utf8);

describe("WeCom decryption of random bytes", () => {
  it("rejects random ciphertext, base64 or not, with a WecomCryptoError", () => {
    fc.assert(
      fc.property(
        fc.oneof(randomBytes.map(base64Of), blockBytes.map(base64Of), hostileText(80)),
        receiveId,
        (encrypt, id) => {
          const r = outcome(() => decryptMessage({ aesKey: AES_KEY, encrypt, receiveId: id }));
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error).toBeInstanceOf(WecomCryptoError);
        },
      ),
      runs(),
    );
  });

  it("treats a random EncodingAESKey as a configuration error, never a crash", () => {
    fc.assert(
      fc.property(fc.oneof(hostileText(50), fc.string({ minLength: 43, maxLength: 43 })), (key) => {
        const r = outcome(() => parseAesKey(key));
        if (r.ok) expect(r.value).toHaveLength(32);
        else expect(r.error).toMatchObject({ reason: "aes-key", status: 500 });
      }),
      runs(),
    );
  });

  it("rejects random query values and bodies on the signature, before decrypting anything", () => {
    fc.assert(
      fc.property(
        fc.record({
          msg_signature: fc.option(fc.oneof(hostileText(45), fc.stringMatching(/^[0-9a-f]{40}$/)), {
            nil: undefined,
          }),
          timestamp: fc.option(hostileText(12), { nil: undefined }),
          nonce: fc.option(hostileText(12), { nil: undefined }),
        }),
        fc.oneof(blockBytes.map(base64Of), hostileText(80)),
        receiveId,
        (query, encrypt, id) => {
          const r = outcome(() =>
            verifyAndDecrypt({
              token: TOKEN,
              aesKey: AES_KEY,
              receiveId: id,
              query,
              encrypt,
              now: NOW,
              maxSkewSeconds: 0,
            }),
          );
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error).toMatchObject({ reason: "signature", status: 401 });
        },
      ),
      runs(),
    );
  });

  it("decrypts signed garbage (someone who knows the token, not the key) only into a 400", () => {
    fc.assert(
      fc.property(
        fc.oneof(randomBytes.map(base64Of), blockBytes.map(base64Of)),
        receiveId,
        fc.stringMatching(/^\d{10}$/),
        (encrypt, id, timestamp) => {
          const nonce = "12345";
          const query = { msg_signature: simSignature(TOKEN, timestamp, nonce, encrypt), timestamp, nonce };
          const r = outcome(() =>
            verifyAndDecrypt({
              token: TOKEN,
              aesKey: AES_KEY,
              receiveId: id,
              query,
              encrypt,
              maxSkewSeconds: 0,
            }),
          );
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.error.status).toBe(400);
        },
      ),
      runs(),
    );
  });
});

describe("WeCom signatures", () => {
  // A request as WeCom signs it, with the simulator's independent implementation of the protocol.
  const signedRequest = fc
    .record({
      message: wellFormed,
      receiveId,
      timestamp: fc.stringMatching(/^\d{10}$/),
      nonce: fc.stringMatching(/^[0-9A-Za-z]{1,16}$/),
    })
    .map((r) => {
      const encrypt = simEncrypt(AES_KEY, r.message, r.receiveId);
      return { ...r, encrypt, signature: simSignature(TOKEN, r.timestamp, r.nonce, encrypt) };
    });

  it("accepts a correctly signed request and returns its plaintext, whatever the text", () => {
    fc.assert(
      fc.property(signedRequest, (r) => {
        const plain = verifyAndDecrypt({
          token: TOKEN,
          aesKey: AES_KEY,
          receiveId: r.receiveId,
          query: { msg_signature: r.signature, timestamp: r.timestamp, nonce: r.nonce },
          encrypt: r.encrypt,
          maxSkewSeconds: 0,
        });
        expect(plain).toBe(r.message);
      }),
      runs(),
    );
  });

  it("rejects the request once any character of signature, timestamp, nonce or ciphertext changes", () => {
    const field = fc.constantFrom("signature", "timestamp", "nonce", "encrypt");
    fc.assert(
      fc.property(
        signedRequest.chain((r) => field.chain((f) => tampered(r[f]).map((changed) => ({ r, f, changed })))),
        ({ r, f, changed }) => {
          const parts = {
            signature: r.signature,
            timestamp: r.timestamp,
            nonce: r.nonce,
            encrypt: r.encrypt,
          };
          parts[f] = changed;
          expect(
            verifySignature({
              token: TOKEN,
              timestamp: parts.timestamp,
              nonce: parts.nonce,
              encrypt: parts.encrypt,
              signature: parts.signature,
            }),
          ).toBe(false);
          const res = outcome(() =>
            verifyAndDecrypt({
              token: TOKEN,
              aesKey: AES_KEY,
              receiveId: r.receiveId,
              query: { msg_signature: parts.signature, timestamp: parts.timestamp, nonce: parts.nonce },
              encrypt: parts.encrypt,
              maxSkewSeconds: 0,
            }),
          );
          expect(res.ok).toBe(false);
          if (!res.ok) expect(res.error).toMatchObject({ reason: "signature", status: 401 });
        },
      ),
      runs(),
    );
  });

  it("rejects a message encrypted for another receiver, even when signed", () => {
    fc.assert(
      fc.property(signedRequest, fc.constantFrom("", CORP_ID, "wwOtherCorp"), (r, expected) => {
        fc.pre(expected !== r.receiveId);
        const res = outcome(() =>
          verifyAndDecrypt({
            token: TOKEN,
            aesKey: AES_KEY,
            receiveId: expected,
            query: { msg_signature: r.signature, timestamp: r.timestamp, nonce: r.nonce },
            encrypt: r.encrypt,
            maxSkewSeconds: 0,
          }),
        );
        expect(res.ok).toBe(false);
        if (!res.ok) expect(res.error).toMatchObject({ reason: "receive-id", status: 400 });
      }),
      runs(),
    );
  });

  it("signs our passive replies so that WeCom's algorithm accepts them", () => {
    fc.assert(
      fc.property(wellFormed, receiveId, (message, id) => {
        const reply = signedReply({ token: TOKEN, aesKey: AES_KEY, receiveId: id, message, now: NOW });
        expect(reply.msgsignature).toBe(simSignature(TOKEN, reply.timestamp, reply.nonce, reply.encrypt));
        expect(decryptMessage({ aesKey: AES_KEY, encrypt: reply.encrypt, receiveId: id })).toBe(message);
      }),
      runs(),
    );
  });
});

describe("WeCom query strings", () => {
  it("never throws on a raw query, and reads back any value however it was percent-encoded", () => {
    fc.assert(
      fc.property(hostileText(60), fc.string({ unit: "grapheme", maxLength: 30 }), (raw, value) => {
        readQueryParam(raw, "echostr");
        readQueryParam(`?${raw}`, "msg_signature");
        const encoded = encodeURIComponent(value);
        expect(readQueryParam(`a=%zz&echostr=${encoded}&echostr=other`, "echostr")).toBe(value);
        // A `+` stays a `+`: echostr is base64, not a form value.
        expect(readQueryParam(`echostr=${value.replace(/[&%#]/g, "")}+`, "echostr")).toMatch(/\+$/u);
      }),
      runs(),
    );
  });
});

describe("WeCom envelopes and decrypted messages", () => {
  const options = { botNames: ["汇报"], receivedAt: NOW };
  // JSON built from random values, some of them in the right places, with escapes for NUL and lone
  // surrogates: what a signed but hostile (or buggy) sender could put inside the ciphertext.
  const jsonValue = fc.oneof(
    hostileText(20),
    fc.constantFrom("\u0000", "\ud800", "\udfff", "a\u0000b", "text", "mixed", "group", "single"),
    fc.integer(),
    fc.constant(null),
    fc.array(hostileText(5), { maxLength: 2 }),
  );
  const botJson = fc
    .record(
      {
        msgid: jsonValue,
        aibotid: jsonValue,
        chattype: fc.oneof(jsonValue, fc.constantFrom("group", "single")),
        chatid: jsonValue,
        msgtype: fc.oneof(jsonValue, fc.constantFrom("text", "mixed", "image", "event")),
        from: fc.oneof(jsonValue, fc.record({ userid: jsonValue }, { requiredKeys: [] })),
        text: fc.oneof(jsonValue, fc.record({ content: jsonValue }, { requiredKeys: [] })),
        mixed: fc.oneof(
          jsonValue,
          fc.record({
            msg_item: fc.array(fc.record({ msgtype: jsonValue, text: fc.record({ content: jsonValue }) })),
          }),
        ),
        quote: fc.oneof(
          jsonValue,
          fc.record({ msgtype: jsonValue, text: fc.record({ content: jsonValue }) }),
        ),
        response_url: jsonValue,
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o));
  const appXml = fc
    .array(
      fc.tuple(
        fc.constantFrom(
          "ToUserName",
          "FromUserName",
          "CreateTime",
          "MsgType",
          "Content",
          "MsgId",
          "AgentID",
          "Event",
        ),
        fc.oneof(
          hostileText(15),
          fc.constantFrom("text", "event", "1", "1000002", "&#0;", "&#xD800;", "&#55296;", "&lt;", "]]>"),
        ),
        fc.boolean(),
      ),
      { maxLength: 9 },
    )
    .map(
      (fields) =>
        `<xml>${fields
          .map(([name, value, asCdata]) => `<${name}>${asCdata ? `<![CDATA[${value}]]>` : value}</${name}>`)
          .join("")}</xml>`,
    );

  it("turns any envelope body into an Encrypt value or a 400", () => {
    fc.assert(
      fc.property(fc.oneof(hostileText(80), appXml, botJson, fc.json()), (body) => {
        for (const parse of [parseBotEnvelope, parseAppEnvelope]) {
          const r = outcome(() => parse(body));
          if (r.ok) expect(typeof r.value.encrypt).toBe("string");
          else expect(r.error.status).toBe(400);
        }
      }),
      runs(),
    );
  });

  it("decodes any decrypted AI-bot JSON into a message, an ignored event or a 400", () => {
    fc.assert(
      fc.property(fc.oneof(botJson, hostileText(60), fc.json()), (json) => {
        const r = outcome(() => decodeBotMessage(json, options));
        if (!r.ok) expect(r.error.status).toBe(400);
        else if ("message" in r.value) expect(r.value.extras.dedupeKey).toBe(utf8(r.value.extras.dedupeKey));
      }),
      runs(),
    );
  });

  it("decodes any decrypted app XML into a message, an ignored event or a 400", () => {
    fc.assert(
      fc.property(
        // The plaintext comes out of a strict UTF-8 decoder, and XML has no escape for a lone
        // surrogate (&#xD800; reads as nothing): the decoder only ever sees well-formed text.
        fc.oneof(appXml, hostileText(60)).map(utf8),
        fc.constantFrom(undefined, "1000002"),
        (xml, agentId) => {
          const r = outcome(() => decodeAppMessage(xml, { receivedAt: NOW, agentId }));
          if (!r.ok) expect(r.error.status).toBe(400);
        },
      ),
      runs(),
    );
  });
});
