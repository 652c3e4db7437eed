import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import Composer from "./Composer.svelte";
import type { ComposePreview, Draft, Mutation } from "../bindings";
import { NOW, card, preview } from "../../test/fixtures";
import { callsTo, fakeEvents, serveCommands, type Commands } from "../../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

function backend(overrides: Commands = {}, shown: (m: Mutation) => ComposePreview = () => preview()) {
  return serveCommands({
    ticket_draft: () => null,
    save_draft: () => null,
    clear_draft: () => null,
    queue_change: () => null,
    compose_preview: (args) => shown(args.mutation as Mutation),
    canned_responses: () => [
      { id: 2, title: "Request for diagnostics", body: "Hello Northwind, please send logs.", suggested: true },
    ],
    ...overrides,
  });
}

const body = () => screen.getByTestId("compose-body") as HTMLTextAreaElement;
const send = () => screen.getByTestId("compose-send") as HTMLButtonElement;

/** Types once the ticket's draft is read (the text is read-only until then). */
async function type(text: string) {
  await waitFor(() => expect(body().readOnly).toBe(false));
  await fireEvent.input(body(), { target: { value: text } });
}

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  vi.mocked(listen).mockReset();
  fakeEvents();
});

describe("Composer", () => {
  it("replies on the ticket's channel and sends with Ctrl+Enter, marking what the agent had seen", async () => {
    const calls = backend();
    render(Composer, { card: card({ channel: "email" }), newest: 41 });
    await waitFor(() => expect((screen.getByTestId("compose-channel") as HTMLSelectElement).value).toBe("email"));

    await type("We rotated the key; please try again.");
    await waitFor(() => expect(send().disabled).toBe(false));
    await fireEvent.keyDown(body(), { key: "Enter", ctrlKey: true });

    await waitFor(() => expect(callsTo(calls, "queue_change")).toHaveLength(1));
    expect(callsTo(calls, "queue_change")[0]).toEqual({
      ticket: 10001,
      mutation: { type: "reply", channel: "email", body: "We rotated the key; please try again.", attachments: [] },
      seen: 41,
    });
    await waitFor(() => expect(body().value).toBe(""));
  });

  it("copies an email reply to the addresses typed in Cc", async () => {
    const calls = backend({}, (m) =>
      m.type === "reply" && m.channel === "email"
        ? preview({ email_to: "ops@northwind.example", email_subject: "Re: 403 [#10001]" })
        : preview(),
    );
    render(Composer, { card: card({ channel: "email" }), newest: 5 });
    await type("Copying your CTO as asked.");
    await fireEvent.input(await screen.findByTestId("compose-cc"), {
      target: { value: "cto@northwind.example, ops-lead@northwind.example" },
    });
    expect(screen.getByTestId("compose-subject").textContent).toBe("Re: 403 [#10001]");
    expect(screen.queryByTestId("compose-copied")).toBeNull();
    await waitFor(() => expect(send().disabled).toBe(false));
    await fireEvent.click(send());
    await waitFor(() => expect(callsTo(calls, "queue_change")).toHaveLength(1));
    expect(callsTo(calls, "queue_change")[0]?.mutation).toMatchObject({
      type: "reply",
      channel: "email",
      cc: ["cto@northwind.example", "ops-lead@northwind.example"],
    });
  });

  it("keeps the draft as the agent types and brings it back", async () => {
    const draft: Draft = {
      ticket: 10001,
      mode: "note",
      channel: "portal",
      body: "Checked the bucket policy",
      cc: [],
      files: [],
      seen_message: 12,
      updated_at: NOW,
    };
    const calls = backend({ ticket_draft: () => draft });
    render(Composer, { card: card(), newest: 40 });
    await waitFor(() => expect(body().value).toBe("Checked the bucket policy"));
    expect(screen.getByTestId("composer").dataset.mode).toBe("note");

    await type("Checked the bucket policy: it denies the new key");
    await waitFor(() => expect(callsTo(calls, "save_draft").length).toBeGreaterThan(0), { timeout: 2000 });
    const saved = callsTo(calls, "save_draft").at(-1)?.draft as Draft;
    expect(saved.body).toBe("Checked the bucket policy: it denies the new key");
    expect(saved.mode).toBe("note");
    expect(saved.seen_message).toBe(12);
  });

  it("names everyone already on the ticket's mail, whom an email reply also reaches", async () => {
    backend({}, (m) =>
      m.type === "reply" && m.channel === "email" ? preview({ email_to: "anna@example.ru" }) : preview(),
    );
    render(Composer, { card: card({ channel: "email", email_cc: ["cto@northwind.example", "ops@northwind.example"] }), newest: 5 });
    const copied = await screen.findByTestId("compose-copied");
    expect(copied.textContent).toContain("cto@northwind.example, ops@northwind.example");
  });

  it("attaches chosen files, keeps them in the draft and sends them with the reply", async () => {
    const kept = (name: string, size: number) => ({
      content_hash: (name.length % 10).toString().repeat(64),
      name,
      media_type: "text/plain",
      size_bytes: size,
    });
    const calls = backend({
      attach_file: (bytes) => {
        const size = (bytes as unknown as Uint8Array).length;
        return size === 7 ? kept("журнал узла.log", 7) : kept("trace.txt", size);
      },
    });
    render(Composer, { card: card({ channel: "email" }), newest: 3 });
    await type("Logs attached.");
    const input = screen.getByTestId("compose-attach-input") as HTMLInputElement;
    const log = new File(["dmesg\n\n"], "журнал узла.log", { type: "text/plain" });
    const trace = new File(["x"], "trace.txt", { type: "" });
    const huge = new File(["x"], "disk.img", { type: "application/octet-stream" });
    Object.defineProperty(huge, "size", { value: 60 * 1024 * 1024 });
    Object.defineProperty(input, "files", { value: [log, huge, trace], configurable: true });
    await fireEvent.change(input);

    await waitFor(() => expect(screen.getAllByTestId("compose-file")).toHaveLength(2));
    expect(screen.getAllByTestId("compose-file")[0]?.textContent).toContain("журнал узла.log");
    const error = screen.getByTestId("compose-error");
    expect(error.dataset.code).toBe("attachment.too_large");
    expect(error.textContent).toContain("disk.img");
    expect(callsTo(calls, "attach_file")).toHaveLength(2);
    const headers = vi.mocked(invoke).mock.calls.find(([command]) => command === "attach_file")?.[2]?.headers;
    expect(headers).toEqual({
      "shiftdesk-file-name": encodeURIComponent("журнал узла.log"),
      "shiftdesk-media-type": "text%2Fplain",
    });

    await waitFor(() => expect(callsTo(calls, "save_draft").length).toBeGreaterThan(0), { timeout: 2000 });
    expect((callsTo(calls, "save_draft").at(-1)?.draft as Draft).files.map((f) => f.name)).toEqual([
      "журнал узла.log",
      "trace.txt",
    ]);

    await fireEvent.click(screen.getAllByTestId("compose-file-remove")[1]!);
    expect(screen.getAllByTestId("compose-file")).toHaveLength(1);
    await waitFor(() => expect(send().disabled).toBe(false));
    await fireEvent.click(send());
    await waitFor(() => expect(callsTo(calls, "queue_change")).toHaveLength(1));
    expect(callsTo(calls, "queue_change")[0]?.mutation).toMatchObject({
      type: "reply",
      attachments: [{ name: "журнал узла.log", media_type: "text/plain", content_hash: "5".repeat(64) }],
    });
    await waitFor(() => expect(screen.queryByTestId("compose-files")).toBeNull());
  });

  it("brings a draft's files back and has none for a call log", async () => {
    const draft: Draft = {
      ticket: 10001,
      mode: "note",
      channel: "portal",
      body: "see the trace",
      cc: [],
      files: [{ content_hash: "a".repeat(64), name: "trace.txt", media_type: "text/plain", size_bytes: 2048 }],
      seen_message: 3,
      updated_at: NOW,
    };
    backend({ ticket_draft: () => draft });
    render(Composer, { card: card(), newest: 3 });
    await waitFor(() => expect(screen.getAllByTestId("compose-file")).toHaveLength(1));
    expect(screen.getByTestId("compose-file").textContent).toContain("2.0 KB");
    await fireEvent.click(screen.getByTestId("compose-mode-call").querySelector("input")!);
    expect(screen.queryByTestId("compose-files")).toBeNull();
    expect(screen.queryByTestId("compose-attach")).toBeNull();
  });

  it("shows a long Telegram reply as the messages it is sent in", async () => {
    backend({}, (m) =>
      m.type === "reply" && m.channel === "telegram" && m.body.length > 0
        ? preview({ telegram_parts: [{ html: "a", chars: 4090 }, { html: "b", chars: 1200 }] })
        : preview(),
    );
    render(Composer, { card: card({ channel: "telegram" }), newest: 1 });
    await waitFor(() => expect((screen.getByTestId("compose-channel") as HTMLSelectElement).value).toBe("telegram"));
    await type("x".repeat(5000));
    const parts = await screen.findByTestId("telegram-parts");
    expect(parts.dataset.parts).toBe("2");
    expect(screen.getByTestId("telegram-count").textContent).toContain("sent as 2 messages");
    expect(screen.getAllByTestId("telegram-part")).toHaveLength(2);
  });

  it("says what the server would refuse and does not send it", async () => {
    const calls = backend({}, (m) =>
      m.type === "reply" && m.body.includes("<script>")
        ? preview({
            problem: {
              type: "urn:shiftdesk:problem:message.active_content",
              title: "",
              status: 422,
              detail: "portal messages are Markdown without scripts",
              code: "message.active_content",
            },
          })
        : preview(),
    );
    render(Composer, { card: card(), newest: 1 });
    await type("<script>alert(1)</script>");
    const problem = await screen.findByTestId("compose-problem");
    expect(problem.dataset.code).toBe("message.active_content");
    expect(send().disabled).toBe(true);
    await fireEvent.keyDown(body(), { key: "Enter", ctrlKey: true });
    expect(callsTo(calls, "queue_change")).toHaveLength(0);
  });

  it("asks before replying over what the customer wrote since, then sends as seen", async () => {
    const calls = backend({}, (m) => (m.type === "reply" && m.body !== "" ? preview({ written_since: true }) : preview()));
    const view = render(Composer, { card: card(), newest: 10 });
    await type("All fixed now.");
    await screen.findByTestId("traffic-cop");
    expect(send().disabled).toBe(true);

    // The customer's new message arrived in the conversation meanwhile.
    await view.rerender({ card: card(), newest: 11 });
    await fireEvent.click(screen.getByTestId("traffic-cop-send-anyway"));
    await waitFor(() => expect(send().disabled).toBe(false));
    await fireEvent.click(send());
    await waitFor(() => expect(callsTo(calls, "queue_change")).toHaveLength(1));
    expect(callsTo(calls, "queue_change")[0]?.seen).toBe(11);
  });

  it("logs a call with its record and a callback", async () => {
    const calls = backend();
    render(Composer, { card: card({ channel: "phone" }), newest: null });
    await waitFor(() => expect(screen.getByTestId("composer").dataset.mode).toBe("call"));
    await fireEvent.change(screen.getByTestId("call-direction"), { target: { value: "inbound" } });
    await fireEvent.input(screen.getByTestId("call-minutes"), { target: { value: "4" } });
    await fireEvent.input(screen.getByTestId("call-seconds"), { target: { value: "5" } });
    await fireEvent.input(screen.getByTestId("call-callback"), { target: { value: "2025-01-15T15:30" } });
    await type("Walked through the key rotation");
    await waitFor(() => expect(send().disabled).toBe(false));
    await fireEvent.click(send());
    await waitFor(() => expect(callsTo(calls, "queue_change")).toHaveLength(1));
    const mutation = callsTo(calls, "queue_change")[0]?.mutation as Extract<Mutation, { type: "call_log" }>;
    expect(mutation.type).toBe("call_log");
    expect(mutation.notes).toBe("Walked through the key rotation");
    expect(mutation.call).toMatchObject({ direction: "inbound", duration_secs: 245, outcome: "answered" });
    expect(mutation.call.callback_at).toBe(new Date("2025-01-15T15:30").getTime());
  });

  it("inserts a canned response filled in by Rust", async () => {
    backend();
    render(Composer, { card: card(), newest: 1 });
    const select = screen.getByTestId("compose-canned") as HTMLSelectElement;
    await fireEvent.focus(select);
    await waitFor(() => expect(select.options.length).toBe(2));
    await fireEvent.change(select, { target: { value: "2" } });
    expect(body().value).toBe("Hello Northwind, please send logs.");
  });
});
