// The API client's pure parts: the event-stream parser and the download name.
// Run: node --test tests/web/

import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, SseParser, dispositionFilename, readReplyStream } from "../../web/static/api.js";

const STREAM = [
  'event: delta\ndata: {"text": "**服务运营**"}\n\n',
  'event: delta\ndata: {"text": "，下一题。"}\n\n',
  'event: reply\ndata: {"reply": {"text": "**服务运营**，下一题。", "session_id": "s"}}\n\n',
  "event: done\ndata: {}\n\n",
].join("");

test("events come out whole, however the bytes are cut", () => {
  for (const size of [1, 3, 7, 64, STREAM.length]) {
    const parser = new SseParser();
    const events = [];
    for (let i = 0; i < STREAM.length; i += size) events.push(...parser.push(STREAM.slice(i, i + size)));
    events.push(...parser.end());
    assert.deepEqual(events.map((e) => e.event), ["delta", "delta", "reply", "done"], `size ${size}`);
    assert.equal(JSON.parse(events[2].data).reply.session_id, "s");
  }
});

test("CRLF line ends, comments and multi-line data", () => {
  const parser = new SseParser();
  const events = parser.push(": keep-alive\r\nevent: delta\r\ndata: a\r\ndata: b\r\n\r\n");
  assert.deepEqual(events, [{ event: "delta", data: "a\nb" }]);
});

test("a last event without its blank line is read at the end", () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push("event: done\ndata: {}"), []);
  assert.deepEqual(parser.end(), [{ event: "done", data: "{}" }]);
});

function bodyOf(text, size) {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return {
    getReader: () => ({
      read: async () => {
        if (at >= bytes.length) return { done: true, value: undefined };
        const value = bytes.slice(at, at + size);
        at += size;
        return { done: false, value };
      },
    }),
  };
}

test("a reply stream gives the text so far, then the reply", async () => {
  const seen = [];
  // 5-byte pieces cut multi-byte Chinese characters in two.
  const reply = await readReplyStream(bodyOf(STREAM, 5), (text) => seen.push(text));
  assert.deepEqual(seen, ["**服务运营**", "**服务运营**，下一题。"]);
  assert.equal(reply.text, "**服务运营**，下一题。");
});

test("a stream that ends before the reply is an error", async () => {
  const cut = STREAM.slice(0, STREAM.indexOf("event: reply"));
  await assert.rejects(readReplyStream(bodyOf(cut, 16)), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, "stream_incomplete");
    return true;
  });
});

test("download names from Content-Disposition", () => {
  assert.equal(dispositionFilename('attachment; filename="report-2cd3.pdf"', "x"), "report-2cd3.pdf");
  assert.equal(dispositionFilename("attachment; filename*=UTF-8''%E8%87%AA%E8%AF%84.docx", "x"), "自评.docx");
  assert.equal(dispositionFilename("attachment; filename=plain.md", "x"), "plain.md");
  assert.equal(dispositionFilename(null, "report.json"), "report.json");
  assert.equal(dispositionFilename("attachment", "report.json"), "report.json");
});
