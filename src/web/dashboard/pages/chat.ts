import { chatLabel } from "../format.ts";
import { html, type SafeHtml } from "../html.ts";
import type { ChatChoices, LocalMessage } from "../queries/chat.ts";

/** One message in the feed; the page script builds the same markup for live ones. */
export function feedItem(m: LocalMessage, groupNames: ReadonlyMap<string, string>): SafeHtml {
  const where = chatLabel(m.chatId, groupNames);
  const who = m.replyTo
    ? `机器人 → ${where}${m.quote ? ` · 回复 ${m.quote}` : ""}`
    : `机器人 → ${where} · 通知`;
  return html`<div class="msg ${m.replyTo ? "bot" : "notice"}" data-id="${m.id}"><span class="who">${who}</span>${m.text}</div>`;
}

export function chatPage(
  choices: ChatChoices,
  history: LocalMessage[],
  groupNames: ReadonlyMap<string, string>,
): SafeHtml {
  const firstGroup = choices.groups[0]?.name ?? "本地测试群";
  const last = history.at(-1)?.id ?? "0";
  return html`<h1>沙盒对话</h1>
<div class="card muted">以通讯录里的某个人的身份，在本地群里和真正的机器人对话：回复、群通知和定时提醒会实时出现在下面。这里的消息只在本机，不会发到企业微信或钉钉。</div>
<form id="say-form" class="card" autocomplete="off">
<div class="row">
<label>群<input type="text" name="group" list="local-groups" value="${firstGroup}" placeholder="群名；留空＝私聊机器人"></label>
<label>身份<select name="person">${choices.people.map(
    (p) => html`<option value="${p.name}">${p.name}${p.unit ? `（${p.unit}）` : ""}</option>`,
  )}</select></label>
</div>
<div id="feed" data-after="${last}" aria-live="polite">${
    history.length > 0
      ? history.map((m) => feedItem(m, groupNames))
      : html`<div class="muted">发「帮助」看看机器人会做什么。</div>`
  }</div>
<div id="say"><textarea name="text" placeholder="输入消息，例如：帮助" required maxlength="2000"></textarea><button class="primary" type="submit">发送</button></div>
<div id="status" class="muted" role="status" data-state="connecting">正在连接…</div>
</form>
<datalist id="local-groups">${choices.groups.map(
    (g) => html`<option value="${g.name}">${g.unit ?? ""}</option>`,
  )}</datalist>
${choices.people.length === 0 ? html`<div class="card error">通讯录里还没有人：先用 <code>huibao directory import 文件.yaml</code> 导入。</div>` : ""}`;
}

/** The page script: sends with fetch, listens with EventSource, writes text only through textContent. */
export const CHAT_SCRIPT = `(() => {
  const form = document.getElementById("say-form");
  const feed = document.getElementById("feed");
  const status = document.getElementById("status");
  const input = form.querySelector("textarea");
  const button = form.querySelector("button");
  const seen = new Set(Array.from(feed.querySelectorAll("[data-id]"), (e) => e.dataset.id));
  const mine = new Set();
  const newId = () => (self.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2));
  function add(kind, who, text, id) {
    const div = document.createElement("div");
    div.className = "msg " + kind;
    if (id) div.dataset.id = id;
    const w = document.createElement("span");
    w.className = "who";
    w.textContent = who;
    div.append(w, document.createTextNode(text));
    feed.querySelector(":scope > .muted")?.remove();
    feed.append(div);
    feed.scrollTop = feed.scrollHeight;
    return div;
  }
  feed.scrollTop = feed.scrollHeight;
  const after = feed.dataset.after;
  const events = new EventSource("/dashboard/api/events?after=" + encodeURIComponent(after || "0"));
  events.onopen = () => { status.textContent = "已连接：回复和通知会实时出现"; status.dataset.state = "open"; };
  events.onerror = () => { status.textContent = "连接断开，正在重连…"; status.dataset.state = "closed"; };
  events.addEventListener("delivery", (e) => {
    const d = JSON.parse(e.data);
    if (seen.has(d.id)) return;
    seen.add(d.id);
    let who = "机器人 → " + d.chat;
    if (!d.replyTo) who += " · 通知";
    else if (!mine.has(d.replyTo) && d.quote) who += " · 回复 " + d.quote;
    add(d.replyTo ? "bot" : "notice", who, d.text, d.id);
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const body = { id: newId(), group: form.elements.group.value.trim(), person: form.elements.person.value, text };
    const where = body.group || "私聊";
    const bubble = add("me", body.person + " → " + where, text);
    // The server names the message after our id, so a reply that beats the response is still ours.
    mine.add("web-" + body.id);
    input.value = "";
    button.disabled = true;
    try {
      const res = await fetch("/dashboard/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(body),
      });
      const out = await res.json().catch(() => ({}));
      if (!res.ok) add("notice", "没有发出去", out.error || "HTTP " + res.status);
    } catch {
      add("notice", "没有发出去", "网络出错了，请再发一次。");
      bubble.classList.add("failed");
    } finally {
      button.disabled = false;
      input.focus();
    }
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
})();`;
