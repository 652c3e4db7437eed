"""Writes to the support mailbox as a customer: puts one mail into the
IMAP peer's INBOX (imap.py), as a mail server delivering it would.

Usage: /usr/bin/python3 customer_mail.py PORT USER PASSWORD FROM SUBJECT TEXT
"""

import email.message
import email.utils
import imaplib
import sys


def main():
    port, user, password, sender, subject, text = sys.argv[1:7]
    mail = email.message.EmailMessage()
    mail["From"] = sender
    mail["To"] = user
    mail["Subject"] = subject
    mail["Date"] = email.utils.formatdate(localtime=True)
    mail["Message-ID"] = email.utils.make_msgid(domain="customer.test")
    mail.set_content(text)
    with imaplib.IMAP4("127.0.0.1", int(port)) as imap:
        imap.login(user, password)
        imap.append("INBOX", None, None, mail.as_bytes())
    print("delivered %s" % mail["Message-ID"])


if __name__ == "__main__":
    main()
