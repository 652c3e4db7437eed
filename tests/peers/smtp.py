"""A real SMTP server for the email gateway's tests: Debian's python3-aiosmtpd.

Usage: /usr/bin/python3 smtp.py FOLDER

Prints `listening PORT` once it serves on a loopback port, then keeps each
mail it accepts as FOLDER/NNNN.eml, with its envelope recipients one a line
in FOLDER/NNNN.rcpt (written first; the .eml appears last, whole).
FOLDER/mode, read at each DATA, says how to answer:
  accept (or no file)  250, the mail is kept
  refuse               550 with a reason, nothing kept
  drop                 the connection is closed before DATA is answered
Runs until killed.
"""

import os
import socket
import sys
import time

from aiosmtpd.controller import Controller


class Keeper:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    def mode(self):
        try:
            with open(os.path.join(self.folder, "mode")) as f:
                return f.read().strip()
        except FileNotFoundError:
            return "accept"

    async def handle_DATA(self, server, session, envelope):
        mode = self.mode()
        if mode == "refuse":
            return "550 5.7.1 Delivery not authorized: the recipient's mailbox refuses this mail"
        if mode == "drop":
            session_transport = server.transport
            if session_transport is not None:
                session_transport.abort()
            return "421 4.3.0 closing"
        self.count += 1
        base = os.path.join(self.folder, "%04d" % self.count)
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos) + "\n")
        with open(base + ".part", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(base + ".part", base + ".eml")
        return "250 2.0.0 kept as %04d" % self.count


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    port = free_port()
    controller = Controller(Keeper(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("listening %d" % port, flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
