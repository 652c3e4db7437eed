import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import Conversation from "./Conversation.svelte";
import type { Attachment, SafeHtml } from "../bindings";
import { callLog, HOUR, message, NOW } from "../../test/fixtures";
import { callsTo, serveCommands } from "../../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const HASH = "a".repeat(64);

function file(id: number, name: string, media_type: string, size_bytes = 2048): Attachment {
  return { id, message: 7, name, size_bytes, content_hash: HASH, media_type };
}

/** A customer's mail with a log, a screenshot and its HTML part. */
const mail = message({
  id: 7,
  channel: "email",
  body: "Invoice attached, see the link.",
  attachments: [file(71, "vm.log", "text/plain"), file(72, "screen.png", "image/png"), file(73, "message.html", "text/html")],
  html_part: 73,
});

const safe: SafeHtml = {
  html: '<p>Invoice <a href="https://billing.example.com/pay" rel="noopener noreferrer" target="_blank">pay</a></p>',
  links: ["https://billing.example.com/pay"],
  blocked_images: 2,
};

beforeEach(() => {
  vi.mocked(invoke).mockReset();
});

describe("Conversation", () => {
  it("shows a mail as text until the agent asks for it formatted, then in a frame with no permissions", async () => {
    const calls = serveCommands({ message_html: () => safe, open_link: () => null });
    render(Conversation, { messages: [mail], now: NOW, onretry: () => {} });

    expect(screen.getByText("Invoice attached, see the link.")).toBeTruthy();
    expect(screen.queryByTestId("formatted-frame")).toBeNull();
    const toggle = screen.getByTestId("show-formatted");
    expect(toggle.textContent?.trim()).toBe("Show formatted");
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    expect(callsTo(calls, "message_html")).toEqual([]);

    await fireEvent.click(toggle);
    const frame = await screen.findByTestId("formatted-frame");
    expect(frame.tagName).toBe("IFRAME");
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("srcdoc")).toBe(safe.html);
    expect(callsTo(calls, "message_html")).toEqual([{ message: 7 }]);
    expect(screen.queryByText("Invoice attached, see the link.")).toBeNull();
    expect(screen.getByTestId("blocked-images").textContent).toBe("2 remote images blocked");
    expect(toggle.getAttribute("aria-pressed")).toBe("true");

    const links = screen.getByTestId("mail-links");
    expect(within(links).getByText("https://billing.example.com/pay")).toBeTruthy();
    await fireEvent.click(within(links).getByTestId("mail-link-open"));
    expect(callsTo(calls, "open_link")).toEqual([{ url: "https://billing.example.com/pay" }]);

    await fireEvent.click(toggle);
    expect(screen.queryByTestId("formatted-frame")).toBeNull();
    expect(screen.getByText("Invoice attached, see the link.")).toBeTruthy();
  });

  it("offers no formatted view for a message without an HTML part", () => {
    serveCommands({});
    render(Conversation, { messages: [message({ id: 8, attachments: [file(81, "vm.log", "text/plain")] })], now: NOW, onretry: () => {} });
    expect(screen.queryByTestId("show-formatted")).toBeNull();
  });

  it("says why a formatted mail cannot be shown", async () => {
    serveCommands({
      message_html: () => {
        throw { code: "email_html.too_large", message: "the mail's HTML part is 3000000 bytes" };
      },
    });
    render(Conversation, { messages: [mail], now: NOW, onretry: () => {} });
    await fireEvent.click(screen.getByTestId("show-formatted"));
    const error = await screen.findByTestId("formatted-error");
    expect(error.dataset.code).toBe("email_html.too_large");
    expect(screen.queryByTestId("formatted-frame")).toBeNull();
  });

  it("lists the mail's files but not its HTML part, and opens an image in the viewer", async () => {
    const calls = serveCommands({
      open_attachment: ({ attachment }) =>
        attachment === 72 ? { opened: "image", data_url: "data:image/png;base64,iVBORw0KGgo=" } : { opened: "system_app" },
    });
    render(Conversation, { messages: [mail], now: NOW, onretry: () => {} });

    const files = screen.getAllByTestId("message-file-open");
    expect(files.map((f) => f.textContent)).toEqual(["vm.log", "screen.png"]);

    await fireEvent.click(files[1]!);
    const viewer = await screen.findByTestId("image-viewer");
    expect(viewer.getAttribute("aria-label")).toBe("Image: screen.png");
    expect(screen.getByTestId("image-viewer-image").getAttribute("src")).toBe("data:image/png;base64,iVBORw0KGgo=");
    await fireEvent.click(screen.getByTestId("image-viewer-close"));
    expect(screen.queryByTestId("image-viewer")).toBeNull();

    await fireEvent.click(files[0]!);
    await waitFor(() => expect(callsTo(calls, "open_attachment")).toEqual([{ attachment: 72 }, { attachment: 71 }]));
    expect(screen.queryByTestId("image-viewer")).toBeNull();
  });

  it("says why a file does not open, e.g. offline and never opened before", async () => {
    serveCommands({
      open_attachment: () => {
        throw {
          code: "attachment.not_cached",
          message: "vm.log has not been opened on this computer yet and cannot be downloaded now",
        };
      },
    });
    render(Conversation, { messages: [mail], now: NOW, onretry: () => {} });
    await fireEvent.click(screen.getAllByTestId("message-file-open")[0]!);
    const error = await screen.findByTestId("file-error");
    expect(error.dataset.code).toBe("attachment.not_cached");
    expect(error.getAttribute("role")).toBe("alert");
  });

  it("marks a promised callback overdue once its time passed, unless it was kept", async () => {
    serveCommands({});
    const call = { direction: "outbound", duration_secs: 60, outcome: "no_answer" } as const;
    const messages = [
      callLog({ ...call, callback_at: NOW - HOUR }, { id: 1, callback_owed: true }),
      callLog({ ...call, callback_at: NOW - 2 * HOUR }, { id: 2, callback_owed: false }),
      callLog({ ...call, callback_at: NOW + HOUR }, { id: 3, callback_owed: true }),
    ];
    const overdue = () =>
      screen.getAllByTestId("message").map((item) => within(item).queryByTestId("callback-overdue")?.textContent ?? null);
    const { rerender } = render(Conversation, { messages, now: NOW, onretry: () => {} });
    expect(overdue()).toEqual(["Overdue", null, null]);

    await rerender({ messages, now: NOW + HOUR, onretry: () => {} });
    expect(overdue()).toEqual(["Overdue", null, "Overdue"]);
  });
});
