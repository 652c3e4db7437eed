"""Writes to the support mailbox as a customer: puts mail into the IMAP
peer's INBOX (imap.py), as a mail server delivering it would.

Usage: /usr/bin/python3 customer_mail.py PORT USER PASSWORD FROM SUBJECT TEXT [COUNT SENDERS]

With COUNT, puts COUNT mails in one session, from SENDERS customers: the
sender's address gets `+N` before its `@` (N below SENDERS).
"""

import email.message
import email.utils
import imaplib
import sys


def mail(user, sender, subject, text):
    m = email.message.EmailMessage()
    m["From"] = sender
    m["To"] = user
    m["Subject"] = subject
    m["Date"] = email.utils.formatdate(localtime=True)
    m["Message-ID"] = email.utils.make_msgid(domain="customer.test")
    m.set_content(text)
    return m.as_bytes()


def main():
    port, user, password, sender, subject, text = sys.argv[1:7]
    count, senders = (int(sys.argv[7]), int(sys.argv[8])) if len(sys.argv) > 8 else (1, 1)
    with imaplib.IMAP4("127.0.0.1", int(port)) as imap:
        imap.login(user, password)
        for i in range(count):
            address = sender
            if count > 1:
                local, domain = sender.split("@", 1)
                address = "%s+%d@%s" % (local, i % senders, domain)
            imap.append("INBOX", None, None, mail(user, address, "%s %d" % (subject, i) if count > 1 else subject, text))
    print("delivered %d" % count)


if __name__ == "__main__":
    main()
