import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import axe from "axe-core";
import SignIn from "./SignIn.svelte";
import type { Account, ServerMeta, SignedOut } from "../bindings";
import { callsTo, serveCommands } from "../../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const META: ServerMeta = { product: "Shiftdesk", api_version: 1, server_version: "0.9.2" };
const DANA: Account = { server: "https://desk.example.com/", agent: 7, agent_name: "Dana", token_file: null };
const FIRST_RUN: SignedOut = { last: null, reason: "first_run" };

const field = (id: string) => screen.getByTestId(`signin-${id}`) as HTMLInputElement;
const submit = () => screen.getByTestId("signin-submit") as HTMLButtonElement;

async function type(id: string, value: string) {
  await fireEvent.input(field(id), { target: { value } });
}

/** Fills in the server and continues to step 2. */
async function reachStepTwo(server = "https://desk.example.com") {
  await type("server", server);
  await fireEvent.click(screen.getByTestId("signin-check"));
  await screen.findByTestId("signin-submit");
}

beforeEach(() => {
  vi.mocked(invoke).mockReset();
});

describe("SignIn", () => {
  it("is one labelled screen that welcomes a first run with an empty server field", () => {
    render(SignIn, { signedOut: FIRST_RUN });
    const main = screen.getByRole("main", { name: "Sign in to Shiftdesk" });
    expect(main.dataset.testid).toBe("signin-screen");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toContain("Sign in to Shiftdesk");
    expect(screen.queryByTestId("signin-notice")).toBeNull();
    expect(screen.getByLabelText("Server address")).toBe(field("server"));
    expect(field("server").value).toBe("");
    expect(field("server").placeholder).toBe("https://desk.example.com");
    expect(screen.queryByTestId("signin-submit")).toBeNull();
  });

  it("says why the server was refused, under the field, and offers no password step", async () => {
    const calls = serveCommands({
      check_server: () => {
        throw {
          code: "server.bad_url",
          message: "http://desk.example.com is not https and not on this computer: no password goes to it",
        };
      },
    });
    render(SignIn, { signedOut: FIRST_RUN });
    await type("server", "  http://desk.example.com ");
    // Enter in the field continues, as the button does.
    await fireEvent.submit(field("server").form!);

    const error = await screen.findByTestId("signin-server-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toContain("Http://desk.example.com is not https and not on this computer");
    expect(field("server").getAttribute("aria-invalid")).toBe("true");
    expect(field("server").getAttribute("aria-describedby")).toBe(error.id);
    expect(callsTo(calls, "check_server")).toEqual([{ server: "http://desk.example.com" }]);
    expect(screen.queryByTestId("signin-submit")).toBeNull();
  });

  it("asks for an address before checking one", async () => {
    const calls = serveCommands({});
    render(SignIn, { signedOut: FIRST_RUN });
    await fireEvent.click(screen.getByTestId("signin-check"));
    expect(screen.getByTestId("signin-server-error").textContent).toContain("Enter the address of your team's server.");
    expect(calls).toEqual([]);
  });

  it("passes axe with both steps and every notice on screen, in the code flow too", async () => {
    serveCommands({ check_server: () => META });
    render(SignIn, {
      signedOut: { last: DANA, reason: "wiped", unsent: 2, exported: "/home/dana/Documents/unsent.txt" },
    });
    await reachStepTwo();
    await fireEvent.click(screen.getByTestId("signin-method-code"));
    await type("new-password", "short");
    await type("new-password-again", "other");
    // jsdom lays nothing out: contrast is checked on the real window.
    const results = await axe.run(document.body, { rules: { "color-contrast": { enabled: false } } });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });

  it("signs in with a password, into the keyring, and stays busy until the window starts over", async () => {
    const calls = serveCommands({
      check_server: () => META,
      sign_in: () => ({ state: "signed_in", account: DANA, kept: "The token is kept in the system keyring", memory_only: false }),
    });
    render(SignIn, { signedOut: FIRST_RUN });
    await reachStepTwo();

    expect(screen.getByTestId("signin-server-status").textContent?.trim()).toBe("Shiftdesk server, API v1 (0.9.2)");
    expect((screen.getByTestId("signin-method-password") as HTMLInputElement).checked).toBe(true);
    expect(document.activeElement).toBe(field("login"));
    expect(field("login").value).toBe("");
    expect(field("password").type).toBe("password");
    expect(screen.getByLabelText("Login or email")).toBe(field("login"));
    expect(screen.getByLabelText("Password", { selector: "input[type=password]" })).toBe(field("password"));
    expect(screen.getByRole("radio", { name: "Password" })).toBe(field("method-password"));
    expect((screen.getByTestId("signin-keep") as HTMLSelectElement).value).toBe("keyring");
    expect(submit().disabled).toBe(true);

    await type("login", " dana@example.com ");
    await type("password", "correct horse battery");
    expect(submit().disabled).toBe(false);
    await fireEvent.click(submit());

    await waitFor(() =>
      expect(callsTo(calls, "sign_in")).toEqual([
        {
          form: {
            server: "https://desk.example.com",
            credentials: { method: "password", login: "dana@example.com", password: "correct horse battery" },
            keep: { in: "keyring" },
          },
        },
      ]),
    );
    await waitFor(() => expect(submit().textContent?.trim()).toBe("Signing in…"));
    expect(submit().disabled).toBe(true);
    expect(screen.queryByTestId("signin-error")).toBeNull();
  });

  it("shows the shell's words when the sign-in is refused, and lets the agent try again", async () => {
    serveCommands({
      check_server: () => META,
      sign_in: () => {
        throw { code: "auth.locked", message: "too many failed sign-ins: try again after 14:05" };
      },
    });
    render(SignIn, { signedOut: FIRST_RUN });
    await reachStepTwo();
    await type("login", "dana");
    await type("password", "wrong");
    await fireEvent.click(submit());

    const error = await screen.findByTestId("signin-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent?.trim()).toBe("Too many failed sign-ins: try again after 14:05");
    expect(submit().disabled).toBe(false);
    expect(submit().textContent?.trim()).toBe("Sign in");
    expect(document.activeElement).toBe(field("password"));
  });

  it("asks to check again when the address changes after the check", async () => {
    serveCommands({ check_server: () => META });
    render(SignIn, { signedOut: FIRST_RUN });
    await reachStepTwo();
    await type("server", "https://other.example.com");
    expect(screen.queryByTestId("signin-submit")).toBeNull();
  });

  it("holds back a one-time code until the new password is long enough and typed twice alike", async () => {
    const calls = serveCommands({ check_server: () => META, sign_in: () => ({ state: "starting" }) });
    render(SignIn, { signedOut: FIRST_RUN });
    await reachStepTwo();
    await fireEvent.click(screen.getByTestId("signin-method-code"));
    expect(screen.queryByTestId("signin-login")).toBeNull();
    expect(field("code").placeholder).toBe("ABCD-EFGH-JKLM-NPQR");
    expect(screen.getByLabelText("New password")).toBe(field("new-password"));
    expect(screen.getByLabelText("New password again")).toBe(field("new-password-again"));

    await type("code", "ABCD-EFGH-JKLM-NPQR");
    await type("new-password", "short");
    await type("new-password-again", "short");
    const rule = screen.getByTestId("signin-password-rule");
    expect(rule.textContent?.trim()).toBe("At least 10 characters.");
    expect(rule.classList.contains("invalid")).toBe(true);
    expect(field("new-password").getAttribute("aria-invalid")).toBe("true");
    expect(submit().disabled).toBe(true);

    await type("new-password", "a long new password");
    await type("new-password-again", "a long new passwort");
    expect(screen.getByTestId("signin-password-differ").textContent?.trim()).toBe("The two passwords are not the same.");
    expect(field("new-password-again").getAttribute("aria-invalid")).toBe("true");
    expect(submit().disabled).toBe(true);
    await fireEvent.submit(submit().form!);
    expect(callsTo(calls, "sign_in")).toEqual([]);

    await type("new-password-again", "a long new password");
    expect(screen.getByTestId("signin-password-differ").textContent?.trim()).toBe("");
    expect(submit().disabled).toBe(false);
    await fireEvent.change(screen.getByTestId("signin-keep"), { target: { value: "memory" } });
    await fireEvent.click(submit());
    await waitFor(() =>
      expect(callsTo(calls, "sign_in")).toEqual([
        {
          form: {
            server: "https://desk.example.com",
            credentials: { method: "code", code: "ABCD-EFGH-JKLM-NPQR", new_password: "a long new password" },
            keep: { in: "memory" },
          },
        },
      ]),
    );
  });
});

describe("SignIn's notice", () => {
  const notice = () => screen.getByTestId("signin-notice");

  it("tells a wiped device where its unsent entries were saved, the path selectable", () => {
    render(SignIn, {
      signedOut: { last: null, reason: "wiped", unsent: 3, exported: "/home/dana/Documents/shiftdesk-unsent-dana.txt" },
    });
    expect(notice().textContent).toContain("This device was signed out from another device or by a team lead");
    expect(notice().textContent).toContain("its cache was erased from this computer");
    expect(notice().textContent).toContain("3 unsent changes were saved to:");
    expect(screen.getByTestId("signin-exported-path").textContent).toBe("/home/dana/Documents/shiftdesk-unsent-dana.txt");
    expect(field("server").value).toBe("");
  });

  it("asks the last agent to sign in again, to the same server, with their cache kept", () => {
    render(SignIn, { signedOut: { last: DANA, reason: "no_token" } });
    expect(notice().textContent).toContain("Sign in again as Dana. The tickets cached on this computer and the outbox are kept.");
    expect(field("server").value).toBe("https://desk.example.com/");
  });

  it("says a session expired or was revoked, and that the outbox goes after sign-in", () => {
    const { unmount } = render(SignIn, {
      signedOut: { last: DANA, reason: "session_ended", code: "auth.token_expired", unsent: 1 },
    });
    expect(notice().textContent).toContain("Your session expired.");
    expect(notice().textContent).toContain("The outbox is kept: 1 change will be sent once you sign in.");
    unmount();

    render(SignIn, { signedOut: { last: DANA, reason: "session_ended", code: "auth.device_revoked", unsent: 0 } });
    expect(notice().textContent).toContain("This device's sign-in was revoked.");
    expect(notice().textContent).not.toContain("outbox");
  });

  it("says what became of the unsent entries at sign-out", () => {
    const { unmount } = render(SignIn, {
      signedOut: { last: null, reason: "signed_out", unsent: 2, exported: null },
    });
    expect(notice().textContent).toContain("You signed out.");
    expect(notice().textContent).toContain("2 unsent changes were discarded.");
    unmount();

    render(SignIn, { signedOut: { last: null, reason: "signed_out", unsent: 1, exported: "/tmp/unsent.txt" } });
    expect(notice().textContent).toContain("1 unsent change was saved to:");
    expect(screen.getByTestId("signin-exported-path").textContent).toBe("/tmp/unsent.txt");
  });

  it("reads out why the account could not be opened", () => {
    render(SignIn, {
      signedOut: { last: DANA, reason: "failed", code: "account.cache_mismatch", message: "the cache belongs to another agent" },
    });
    expect(notice().getAttribute("role")).toBe("alert");
    expect(notice().textContent).toContain("Shiftdesk could not open your account: the cache belongs to another agent");
    expect(notice().textContent).toContain("account.cache_mismatch");
  });
});
