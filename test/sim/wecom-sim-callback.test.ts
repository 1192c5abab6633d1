import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  encryptMessage,
  readQueryParam,
  signedReply,
  signedReplyJson,
  signedReplyXml,
  verifyAndDecrypt,
} from "../../src/platforms/wecom/crypto.ts";
import {
  decodeBotMessage,
  encodeAppReplyXml,
  parseAppEnvelope,
  parseBotEnvelope,
} from "../../src/platforms/wecom/decode.ts";
import { decrypt, encrypt, signature } from "./wecom/crypto.ts";
import {
  appTextXml,
  botTextMessage,
  deliverAppMessage,
  deliverBotMessage,
  openAppReply,
  openBotReply,
  startWecomSim,
  verifyUrl,
  xmlField,
} from "./wecom/index.ts";

/**
 * The simulator's callback client: WeCom's crypto (checked on the official vectors and against our
 * adapter's functions in both directions), retries on slow or failing servers, URL verification.
 */

const TOKEN = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
const AES = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
const CORP = "ww1436e0e65a779aee";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse, n: number) => void | Promise<void>;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A tiny local server standing in for our bot; counts the requests it gets. */
async function local(handler: Handler): Promise<{ url: string; seen: Array<{ url: string; body: string }> }> {
  const seen: Array<{ url: string; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ url: req.url ?? "", body });
      void handler(req, body, res, seen.length);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, seen };
}

const query = (url: string) => url.slice(url.indexOf("?") + 1);
const params = (url: string) => ({
  msg_signature: readQueryParam(query(url), "msg_signature"),
  timestamp: readQueryParam(query(url), "timestamp"),
  nonce: readQueryParam(query(url), "nonce"),
});

describe("simulator crypto", () => {
  it("reproduces the official URL-verification vector", () => {
    const echostr =
      "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==";
    expect(signature(TOKEN, "1476416373", "47744683", echostr)).toBe(
      "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb",
    );
    expect(decrypt(AES, echostr)).toEqual({ message: "1288432023552776189", receiveId: CORP });
  });

  it("reproduces the deterministic encryption vector", () => {
    const out = encrypt(
      "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
      "我是中文abcd123",
      "wxb11529c136998cb6",
      Buffer.from("aaaabbbbccccdddd"),
    );
    expect(out).toBe(
      "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
    );
  });

  it("interoperates with the adapter's cipher both ways", () => {
    const ours = encryptMessage({ aesKey: AES, message: '{"a":"汇报"}', receiveId: "" });
    expect(decrypt(AES, ours)).toEqual({ message: '{"a":"汇报"}', receiveId: "" });
    const sims = encrypt(AES, "<xml/>", CORP);
    const sig = signature(TOKEN, "1", "2", sims);
    const plain = verifyAndDecrypt({
      token: TOKEN,
      aesKey: AES,
      receiveId: CORP,
      query: { msg_signature: sig, timestamp: "1", nonce: "2" },
      encrypt: sims,
      maxSkewSeconds: 0,
    });
    expect(plain).toBe("<xml/>");
  });
});

describe("AI bot delivery", () => {
  it("posts a signed {encrypt} body that the adapter opens, and reads the passive reply", async () => {
    const message = botTextMessage({
      aibotid: "aib1",
      chatid: "wrG1",
      userid: "zhangsan",
      content: "@汇报 进度 2.1 50%",
    });
    const server = await local((req, body, res) => {
      const plain = verifyAndDecrypt({
        token: TOKEN,
        aesKey: AES,
        receiveId: "",
        query: params(req.url ?? ""),
        encrypt: parseBotEnvelope(body).encrypt,
        maxSkewSeconds: 60,
      });
      const decoded = decodeBotMessage(plain, { botNames: ["汇报"], receivedAt: new Date() });
      if ("ignored" in decoded) throw new Error("ignored");
      const stream = {
        msgtype: "stream",
        stream: { id: "s1", finish: true, content: `收到：${decoded.message.text}` },
      };
      res.end(
        signedReplyJson(
          signedReply({ token: TOKEN, aesKey: AES, receiveId: "", message: JSON.stringify(stream) }),
        ),
      );
    });
    const result = await deliverBotMessage({ url: server.url, token: TOKEN, aesKey: AES, message });
    expect(result.delivered).toBe(true);
    expect(result.attempts).toHaveLength(1);
    expect(openBotReply(result.body ?? "", TOKEN, AES)).toEqual({
      msgtype: "stream",
      stream: { id: "s1", finish: true, content: "收到：进度 2.1 50%" },
    });
  });

  it("retries like WeCom: a first answer slower than the timeout gets a second, identical delivery", async () => {
    // Scaled down from WeCom's 5 s: the server sleeps 300 ms on the first request, the timeout is 150 ms.
    const server = await local(async (_req, _body, res, n) => {
      if (n === 1) await new Promise((r) => setTimeout(r, 300));
      res.end("");
    });
    const result = await deliverBotMessage({
      url: server.url,
      token: TOKEN,
      aesKey: AES,
      message: { msgid: "m" },
      timeoutMs: 150,
    });
    expect(result.delivered).toBe(true);
    expect(result.attempts.map((a) => a.error ?? a.status)).toEqual(["timeout", 200]);
    expect(server.seen).toHaveLength(2);
    expect(server.seen[1]).toEqual(server.seen[0]);
  });

  it("gives up after 3 deliveries when no 200 comes (5xx or timeouts)", async () => {
    const failing = await local((_req, _body, res) => {
      res.statusCode = 500;
      res.end("boom");
    });
    const r1 = await deliverBotMessage({
      url: failing.url,
      token: TOKEN,
      aesKey: AES,
      message: {},
      timeoutMs: 500,
    });
    expect(r1.delivered).toBe(false);
    expect(r1.attempts.map((a) => a.status)).toEqual([500, 500, 500]);

    const silent = await local(() => undefined); // never answers
    const r2 = await deliverBotMessage({
      url: silent.url,
      token: TOKEN,
      aesKey: AES,
      message: {},
      timeoutMs: 80,
    });
    expect(r2.attempts.map((a) => a.error)).toEqual(["timeout", "timeout", "timeout"]);
    expect(silent.seen).toHaveLength(3);
  });

  it("reports a refused connection as a network error", async () => {
    const result = await deliverBotMessage({
      url: "http://127.0.0.1:9/x",
      token: TOKEN,
      aesKey: AES,
      message: {},
      attempts: 1,
    });
    expect(result.attempts[0]?.error).toBe("network");
  });
});

describe("app delivery", () => {
  it("posts the XML envelope; the adapter opens it; the passive reply is read back", async () => {
    const xml = appTextXml({ corpId: CORP, fromUser: "lisi", content: "同意", msgId: "7000000000000000001" });
    const server = await local((req, body, res) => {
      const envelope = parseAppEnvelope(body);
      expect(envelope).toMatchObject({ toUserName: CORP, agentId: "1000002" });
      const inner = verifyAndDecrypt({
        token: TOKEN,
        aesKey: AES,
        receiveId: CORP,
        query: params(req.url ?? ""),
        encrypt: envelope.encrypt,
        maxSkewSeconds: 0,
      });
      const answer = encodeAppReplyXml({
        toUser: "lisi",
        fromCorp: CORP,
        content: `回：${xmlField(inner, "Content")}`,
        now: new Date(),
      });
      res.end(signedReplyXml(signedReply({ token: TOKEN, aesKey: AES, receiveId: CORP, message: answer })));
    });
    const result = await deliverAppMessage({ url: server.url, token: TOKEN, aesKey: AES, corpId: CORP, xml });
    expect(result.delivered).toBe(true);
    const reply = openAppReply(result.body ?? "", TOKEN, AES, CORP);
    expect(xmlField(reply, "Content")).toBe("回：同意");
    expect(xmlField(reply, "ToUserName")).toBe("lisi");
    expect(() => openAppReply(result.body ?? "", TOKEN, AES, "wwother")).toThrow(/receiveid/);
  });
});

describe("URL verification", () => {
  /** Correct: raw query values, percent-decoded only. */
  const correct: Handler = (req, _body, res) => {
    const q = query(req.url ?? "");
    try {
      res.end(
        verifyAndDecrypt({
          token: TOKEN,
          aesKey: AES,
          receiveId: CORP,
          query: params(req.url ?? ""),
          encrypt: readQueryParam(q, "echostr") ?? "",
          maxSkewSeconds: 0,
        }),
      );
    } catch {
      res.statusCode = 401;
      res.end();
    }
  };
  /** Trap 4: a form decoder turns `+` into a space. */
  const formDecoding: Handler = (req, _body, res) => {
    const q = new URLSearchParams(query(req.url ?? ""));
    try {
      const encrypt = q.get("echostr") ?? "";
      const p = {
        msg_signature: q.get("msg_signature") ?? "",
        timestamp: q.get("timestamp") ?? "",
        nonce: q.get("nonce") ?? "",
      };
      res.end(
        verifyAndDecrypt({
          token: TOKEN,
          aesKey: AES,
          receiveId: CORP,
          query: p,
          encrypt,
          maxSkewSeconds: 0,
        }),
      );
    } catch {
      res.statusCode = 401;
      res.end();
    }
  };

  it("sends the official vector and a correct server answers the plaintext", async () => {
    const server = await local(correct);
    const result = await verifyUrl({
      url: server.url,
      token: TOKEN,
      aesKey: AES,
      receiveId: CORP,
      echostr: "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
      timestamp: "1476416373",
      nonce: "47744683",
    });
    expect(result).toMatchObject({ ok: true, status: 200, body: "1288432023552776189" });
    expect(server.seen[0]?.url).toContain("msg_signature=012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb");
  });

  it("makes echostr with + and / that catches a form-decoding server, in raw escaping", async () => {
    const good = await local(correct);
    const bad = await local(formDecoding);
    for (const plusEncoding of ["raw", "percent"] as const) {
      const r = await verifyUrl({ url: good.url, token: TOKEN, aesKey: AES, receiveId: CORP, plusEncoding });
      expect(r.echostr).toMatch(/\+/);
      expect(r.echostr).toMatch(/\//);
      expect(r.ok).toBe(true);
    }
    expect((await verifyUrl({ url: bad.url, token: TOKEN, aesKey: AES, receiveId: CORP })).ok).toBe(false);
    expect(
      (await verifyUrl({ url: bad.url, token: TOKEN, aesKey: AES, receiveId: CORP, plusEncoding: "percent" }))
        .ok,
    ).toBe(true);
  });
});

describe("message builders", () => {
  it("the sim's botTextMessage decodes into the IncomingMessage the bot expects, with a live response_url", async () => {
    const sim = await startWecomSim();
    try {
      const m = sim.botTextMessage({
        chatid: "wrG1",
        userid: "zhangsan",
        content: "@汇报\u2005进度 2.1 50%",
      });
      const decoded = decodeBotMessage(JSON.stringify(m), { botNames: ["汇报"], receivedAt: new Date(0) });
      if ("ignored" in decoded) throw new Error("ignored");
      expect(decoded.message).toMatchObject({
        platform: "wecom",
        botId: sim.aiBot.botId,
        chatId: "wrG1",
        chatType: "group",
        sender: { userId: "zhangsan" },
        text: "进度 2.1 50%",
      });
      const url = decoded.extras.reply?.responseUrl ?? "";
      const res = await fetch(url, {
        method: "POST",
        body: JSON.stringify({ msgtype: "markdown", markdown: { content: "ok" } }),
      });
      expect(await res.json()).toMatchObject({ errcode: 0 });
      const single = botTextMessage({ aibotid: "a", chattype: "single", userid: "lisi", content: "帮助" });
      expect(single).not.toHaveProperty("chatid");
    } finally {
      await sim.close();
    }
  });
});
