import { createCipheriv, createHash, randomBytes, randomInt } from "node:crypto";
import { decrypt as libraryDecrypt } from "@wecom/crypto";
import { describe, expect, it } from "vitest";
import {
  decryptMessage,
  encryptMessage,
  readQueryParam,
  readQueryParams,
  signedReply,
  signedReplyJson,
  signedReplyXml,
  verifyAndDecrypt,
  verifySignature,
  WecomCryptoError,
} from "../../../src/platforms/wecom/crypto.ts";
import { parseAppEnvelope } from "../../../src/platforms/wecom/decode.ts";

// WeCom's official sample (protocols.md, "Test vectors").
const TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
const AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
const CORP_ID = "ww1436e0e65a779aee";
const TIMESTAMP = "1476416373";
const NONCE = "47744683";
const ECHOSTR = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";
const SIGNATURE = "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb";
const PLAINTEXT = "1288432023552776189";

// The deterministic encryption vector.
const DET_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const DET_RANDOM = Buffer.from("aaaabbbbccccdddd", "ascii");
const DET_ID = "wxb11529c136998cb6";
const DET_MESSAGE = "我是中文abcd123";
const DET_CIPHER = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";

const urlQuery = { msg_signature: SIGNATURE, timestamp: TIMESTAMP, nonce: NONCE };

/** Catches the error thrown by fn, failing the test if nothing is thrown. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

function cryptoError(fn: () => unknown): WecomCryptoError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(WecomCryptoError);
  return error as WecomCryptoError;
}

/** AES-256-CBC of a hand-built plaintext, to forge bad padding and bad length prefixes. */
function rawEncrypt(aesKey: string, plain: Buffer): string {
  const key = Buffer.from(`${aesKey}=`, "base64");
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString("base64");
}

function frame(message: string, receiveId: string, lengthPrefix?: number): Buffer {
  const msg = Buffer.from(message);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(lengthPrefix ?? msg.length);
  return Buffer.concat([Buffer.alloc(16, 7), len, msg, Buffer.from(receiveId)]);
}

function pkcs7(body: Buffer): Buffer {
  const pad = 32 - (body.length % 32);
  return Buffer.concat([body, Buffer.alloc(pad, pad)]);
}

describe("official vectors", () => {
  it("signs the URL-verification request as WeCom does", () => {
    expect(
      verifySignature({
        token: TOKEN,
        timestamp: TIMESTAMP,
        nonce: NONCE,
        encrypt: ECHOSTR,
        signature: SIGNATURE,
      }),
    ).toBe(true);
  });

  it("decrypts echostr to the plaintext with the CorpID as receiveid", () => {
    expect(decryptMessage({ aesKey: AES_KEY, encrypt: ECHOSTR, receiveId: CORP_ID })).toBe(PLAINTEXT);
    expect(
      verifyAndDecrypt({
        token: TOKEN,
        aesKey: AES_KEY,
        receiveId: CORP_ID,
        query: urlQuery,
        encrypt: ECHOSTR,
        maxSkewSeconds: 0,
      }),
    ).toBe(PLAINTEXT);
  });

  it("encrypts the deterministic vector and decrypts it back", () => {
    expect(
      encryptMessage({ aesKey: DET_KEY, message: DET_MESSAGE, receiveId: DET_ID, random: DET_RANDOM }),
    ).toBe(DET_CIPHER);
    expect(decryptMessage({ aesKey: DET_KEY, encrypt: DET_CIPHER, receiveId: DET_ID })).toBe(DET_MESSAGE);
  });
});

describe("verifyAndDecrypt", () => {
  const base = { token: TOKEN, aesKey: AES_KEY, receiveId: CORP_ID, encrypt: ECHOSTR, maxSkewSeconds: 0 };

  it("rejects a tampered signature with 401 / -40001", () => {
    const tampered = `${SIGNATURE.slice(0, -1)}c`;
    const error = cryptoError(() =>
      verifyAndDecrypt({ ...base, query: { ...urlQuery, msg_signature: tampered } }),
    );
    expect([error.status, error.code, error.reason]).toEqual([401, -40001, "signature"]);
  });

  it("rejects a tampered timestamp, nonce or ciphertext as a signature failure", () => {
    for (const change of [
      { query: { ...urlQuery, timestamp: "1476416374" } },
      { query: { ...urlQuery, nonce: "47744684" } },
      { query: urlQuery, encrypt: ECHOSTR.replace("fsi1", "fsi2") },
    ]) {
      expect(cryptoError(() => verifyAndDecrypt({ ...base, ...change })).status).toBe(401);
    }
  });

  it("treats missing, short, long and uppercase signatures as mismatches without throwing", () => {
    const sig = (signature: string) =>
      verifySignature({ token: TOKEN, timestamp: TIMESTAMP, nonce: NONCE, encrypt: ECHOSTR, signature });
    expect(sig("")).toBe(false);
    expect(sig(SIGNATURE.slice(1))).toBe(false);
    expect(sig(`${SIGNATURE}0`)).toBe(false);
    expect(sig(SIGNATURE.toUpperCase())).toBe(false);
    expect(cryptoError(() => verifyAndDecrypt({ ...base, query: {} })).status).toBe(401);
  });

  it("rejects a receiveid meant for someone else with 400 / -40005 (the AI bot's is empty)", () => {
    const error = cryptoError(() => verifyAndDecrypt({ ...base, receiveId: "", query: urlQuery }));
    expect([error.status, error.code, error.reason]).toEqual([400, -40005, "receive-id"]);
    expect(
      cryptoError(() => decryptMessage({ aesKey: AES_KEY, encrypt: ECHOSTR, receiveId: "ww0000" })).code,
    ).toBe(-40005);
  });

  it("checks the timestamp only when maxSkewSeconds > 0", () => {
    const at = (seconds: number) => new Date((Number(TIMESTAMP) + seconds) * 1000);
    const run = (now: Date, maxSkewSeconds: number) => () =>
      verifyAndDecrypt({ ...base, query: urlQuery, now, maxSkewSeconds });
    expect(run(at(300), 300)()).toBe(PLAINTEXT);
    expect(run(at(-300), 300)()).toBe(PLAINTEXT);
    expect(run(at(86400 * 3650), 0)()).toBe(PLAINTEXT);
    for (const seconds of [301, -301]) {
      const error = cryptoError(run(at(seconds), 300));
      expect([error.status, error.code, error.reason]).toEqual([401, -40001, "stale-timestamp"]);
    }
  });

  it("checks the signature before decrypting (a bad signature over a bad ciphertext is 401)", () => {
    const error = cryptoError(() => verifyAndDecrypt({ ...base, query: urlQuery, encrypt: "not base64!" }));
    expect(error.status).toBe(401);
  });

  it("answers 400 / -40007 for a signed but undecryptable body", () => {
    const encrypt = rawEncrypt(AES_KEY, Buffer.alloc(64, 0));
    const query = { msg_signature: sign(encrypt), timestamp: TIMESTAMP, nonce: NONCE };
    const error = cryptoError(() => verifyAndDecrypt({ ...base, query, encrypt }));
    expect([error.status, error.code, error.reason]).toEqual([400, -40007, "decrypt"]);
  });
});

/** The signature WeCom would send for a ciphertext, computed independently of the code under test. */
function sign(encrypt: string, timestamp = TIMESTAMP, nonce = NONCE): string {
  return createHash("sha1").update([TOKEN, timestamp, nonce, encrypt].sort().join("")).digest("hex");
}

describe("strict decryption", () => {
  const decryptWith =
    (plain: Buffer, receiveId = CORP_ID) =>
    () =>
      decryptMessage({ aesKey: AES_KEY, encrypt: rawEncrypt(AES_KEY, plain), receiveId });

  it("accepts a correctly framed message, including a full block of padding (pad byte 32)", () => {
    expect(decryptWith(pkcs7(frame("hello", CORP_ID)))()).toBe("hello");
    const body = frame("x".repeat(26), CORP_ID); // 16 + 4 + 26 + 18 = 64 bytes
    expect(body.length % 32).toBe(0);
    expect(decryptWith(pkcs7(body))()).toBe("x".repeat(26));
  });

  it.each([
    ["pad byte 0", (b: Buffer) => Buffer.concat([b, Buffer.alloc(32 - (b.length % 32), 0)])],
    ["pad byte 33", (b: Buffer) => Buffer.concat([b, Buffer.alloc(64 - (b.length % 32), 33)])],
    [
      "inconsistent pad bytes",
      (b: Buffer) => {
        const padded = pkcs7(b);
        padded[padded.length - 2] = (padded.at(-1) ?? 0) + 1;
        return padded;
      },
    ],
    [
      "a length prefix past the end",
      (b: Buffer) => pkcs7(Buffer.concat([b.subarray(0, 16), Buffer.from([0, 0, 1, 0]), b.subarray(20)])),
    ],
  ])("rejects %s with -40007", (_name, forge) => {
    const error = cryptoError(decryptWith(forge(frame("hello", CORP_ID))));
    expect([error.status, error.code]).toEqual([400, -40007]);
  });

  it("rejects a length prefix that moves bytes between message and receiveid (-40005)", () => {
    const error = cryptoError(decryptWith(pkcs7(frame("hello", CORP_ID, 3))));
    expect(error.code).toBe(-40005);
  });

  it("rejects ciphertexts that are not whole 32-byte blocks, empty, or not canonical base64", () => {
    for (const encrypt of [
      randomBytes(16).toString("base64"),
      randomBytes(48).toString("base64"),
      "",
      ECHOSTR.replaceAll("+", " "),
      `${ECHOSTR}\n`,
    ]) {
      expect(cryptoError(() => decryptMessage({ aesKey: AES_KEY, encrypt, receiveId: CORP_ID })).code).toBe(
        -40007,
      );
    }
  });

  it("documents why cipher.ts decrypts itself: @wecom/crypto accepts pad byte 0 silently", () => {
    // frame() is 43 bytes; 21 zero bytes bring it to two blocks with pad byte 0.
    const forged = rawEncrypt(AES_KEY, Buffer.concat([frame("hello", CORP_ID), Buffer.alloc(64 - 43, 0)]));
    expect(libraryDecrypt(AES_KEY, forged).message).toBe("hello");
    expect(
      cryptoError(() => decryptMessage({ aesKey: AES_KEY, encrypt: forged, receiveId: CORP_ID })).code,
    ).toBe(-40007);
  });

  it("throws nothing but WecomCryptoError on random input", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= %\u2005中";
    for (let i = 0; i < 2000; i++) {
      const encrypt =
        i % 2 === 0
          ? randomBytes(randomInt(0, 8) * 32 + (i % 4 === 0 ? 0 : randomInt(0, 32))).toString("base64")
          : Array.from({ length: randomInt(0, 120) }, () => alphabet[randomInt(alphabet.length)]).join("");
      for (const receiveId of [CORP_ID, ""]) {
        try {
          decryptMessage({ aesKey: AES_KEY, encrypt, receiveId });
        } catch (error) {
          expect(error).toBeInstanceOf(WecomCryptoError);
        }
      }
    }
  });

  it("rejects a bad EncodingAESKey with -40004 / 500, without echoing it", () => {
    for (const aesKey of ["short", `${AES_KEY}A`, `${AES_KEY.slice(0, 42)}*`]) {
      const error = cryptoError(() => decryptMessage({ aesKey, encrypt: ECHOSTR, receiveId: CORP_ID }));
      expect([error.status, error.code]).toEqual([500, -40004]);
      expect(error.message).not.toContain(aesKey);
      expect(cryptoError(() => encryptMessage({ aesKey, message: "x", receiveId: "" })).code).toBe(-40004);
    }
  });

  it("never puts the token, the key or the ciphertext in an error message", () => {
    const errors = [
      cryptoError(() =>
        verifyAndDecrypt({
          token: TOKEN,
          aesKey: AES_KEY,
          receiveId: "",
          query: {},
          encrypt: ECHOSTR,
          maxSkewSeconds: 0,
        }),
      ),
      cryptoError(() => decryptMessage({ aesKey: AES_KEY, encrypt: ECHOSTR, receiveId: "" })),
      cryptoError(decryptWith(Buffer.alloc(64, 0))),
    ];
    for (const error of errors) {
      for (const secret of [TOKEN, AES_KEY, ECHOSTR]) expect(error.message).not.toContain(secret);
    }
  });
});

describe("readQueryParam: `+` must survive", () => {
  const raw = (echostr: string) =>
    `msg_signature=${SIGNATURE}&timestamp=${TIMESTAMP}&nonce=${NONCE}&echostr=${echostr}`;
  const verifyRaw = (query: string) =>
    verifyAndDecrypt({
      token: TOKEN,
      aesKey: AES_KEY,
      receiveId: CORP_ID,
      query: {
        msg_signature: readQueryParam(query, "msg_signature"),
        timestamp: readQueryParam(query, "timestamp"),
        nonce: readQueryParam(query, "nonce"),
      },
      encrypt: readQueryParam(query, "echostr") ?? "",
      maxSkewSeconds: 0,
    });

  it("verifies a query with a literal `+` and with %2B / %2F / %3D", () => {
    expect(readQueryParam(raw(ECHOSTR), "echostr")).toBe(ECHOSTR);
    expect(verifyRaw(raw(ECHOSTR))).toBe(PLAINTEXT);
    expect(verifyRaw(`?${raw(encodeURIComponent(ECHOSTR))}`)).toBe(PLAINTEXT);
  });

  it("fails the same query once `+` has become a space", () => {
    for (const broken of [ECHOSTR.replaceAll("+", " "), ECHOSTR.replaceAll("+", "%20")]) {
      expect(cryptoError(() => verifyRaw(raw(broken))).status).toBe(401);
    }
    // What a form decoder would have produced: the reason we do not use URLSearchParams.
    expect(new URLSearchParams(raw(ECHOSTR)).get("echostr")).not.toBe(ECHOSTR);
  });

  it("returns the first occurrence, undefined when absent or malformed, empty for a bare key", () => {
    expect(readQueryParam("a=1&a=2", "a")).toBe("1");
    expect(readQueryParam("a=1", "b")).toBeUndefined();
    expect(readQueryParam("", "a")).toBeUndefined();
    expect(readQueryParam("a=%E0%A4%A", "a")).toBeUndefined();
    expect(readQueryParam("a&b=2", "a")).toBe("");
    expect(readQueryParam("a%5Fb=x%20y", "a_b")).toBe("x y");
  });

  it("reads several names in one pass: first occurrence, `+` kept, a malformed first value wins", () => {
    const query = "nonce=1%2B2&timestamp=99&nonce=3&msg_signature=a+b&x=%E0%A4%A&echostr=%ZZ&echostr=ok";
    const all = readQueryParams(query, ["msg_signature", "timestamp", "nonce", "echostr", "absent"]);
    expect(all).toEqual({ msg_signature: "a+b", timestamp: "99", nonce: "1+2", echostr: undefined });
    expect(all.absent).toBeUndefined();
  });

  it("takes names such as toString or __proto__ as plain names", () => {
    expect(readQueryParam("toString=x", "toString")).toBe("x");
    expect(readQueryParam("a=1", "toString")).toBeUndefined();
    const odd = readQueryParams("__proto__=y&constructor=z", ["__proto__", "constructor"]);
    expect(Object.entries(odd)).toEqual([
      ["__proto__", "y"],
      ["constructor", "z"],
    ]);
  });
});

describe("passive replies", () => {
  const now = new Date("2024-05-01T08:00:00Z");

  it("signs the AI bot's JSON reply so that our own verifier (and WeCom) accepts it", () => {
    const plaintext = JSON.stringify({
      msgtype: "stream",
      stream: { id: "s1", finish: true, content: "**好**" },
    });
    const reply = signedReply({
      token: TOKEN,
      aesKey: AES_KEY,
      receiveId: "",
      message: plaintext,
      now,
      nonce: "n1",
    });
    expect(reply.timestamp).toBe(String(now.getTime() / 1000));
    const body = JSON.parse(signedReplyJson(reply));
    expect(Object.keys(body)).toEqual(["encrypt", "msgsignature", "timestamp", "nonce"]);
    expect(body.timestamp).toBe(now.getTime() / 1000);
    expect(body.msgsignature).toBe(sign(body.encrypt, reply.timestamp, "n1"));
    const query = { msg_signature: body.msgsignature, timestamp: reply.timestamp, nonce: body.nonce };
    expect(
      verifyAndDecrypt({
        token: TOKEN,
        aesKey: AES_KEY,
        receiveId: "",
        query,
        encrypt: body.encrypt,
        maxSkewSeconds: 5,
        now,
      }),
    ).toBe(plaintext);
  });

  it("wraps the app's reply in the <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/> envelope", () => {
    const reply = signedReply({ token: TOKEN, aesKey: AES_KEY, receiveId: CORP_ID, message: "<xml/>", now });
    expect(reply.nonce).toMatch(/^\d{10}$/);
    const xml = signedReplyXml(reply);
    expect(xml).toContain(`<TimeStamp>${reply.timestamp}</TimeStamp>`);
    expect(xml).toContain(`<MsgSignature><![CDATA[${reply.msgsignature}]]></MsgSignature>`);
    const { encrypt } = parseAppEnvelope(xml);
    expect(encrypt).toBe(reply.encrypt);
    expect(decryptMessage({ aesKey: AES_KEY, encrypt, receiveId: CORP_ID })).toBe("<xml/>");
  });

  it("uses a fresh random prefix unless one is given", () => {
    const once = () => encryptMessage({ aesKey: AES_KEY, message: "same", receiveId: "" });
    expect(once()).not.toBe(once());
    expect(() =>
      encryptMessage({ aesKey: AES_KEY, message: "x", receiveId: "", random: Buffer.alloc(8) }),
    ).toThrow(RangeError);
  });
});
