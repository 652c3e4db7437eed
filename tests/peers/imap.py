"""A real IMAP server for the email gateway: Debian's Dovecot (dovecot-imapd)
serving one mailbox from a throwaway configuration.

Usage: /usr/bin/python3 imap.py FOLDER USER PASSWORD

Writes Dovecot's configuration, maildir, state and log (FOLDER/dovecot.log)
under FOLDER, prints `listening PORT` once Dovecot accepts connections on a
loopback port, and stops Dovecot when terminated. As root, the mail belongs
to the `mail` user (Dovecot's login processes refuse root); as anyone else,
to that user.
"""

import os
import pwd
import signal
import socket
import subprocess
import sys
import time

DOVECOT = "/usr/sbin/dovecot"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    folder, user, password = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    if not os.path.exists(DOVECOT):
        sys.exit("Dovecot is not installed: apt-get install dovecot-imapd")
    os.makedirs(os.path.join(folder, "mail"), exist_ok=True)
    # Dovecot's own users must reach in here.
    os.chmod(folder, 0o755)
    if os.geteuid() == 0:
        # Dovecot's users (dovenull, dovecot, mail) must reach the folder.
        parent = folder
        while parent != "/":
            parent = os.path.dirname(parent)
            if not os.stat(parent).st_mode & 0o001:
                sys.exit("Dovecot's users cannot reach %s: %s is not searchable by others; "
                         "put the mailbox under /tmp" % (folder, parent))
        mail = pwd.getpwnam("mail")
        os.chown(os.path.join(folder, "mail"), mail.pw_uid, mail.pw_gid)
        login_user, internal_user, owner = "dovenull", "dovecot", "uid=mail gid=mail"
    else:
        me = pwd.getpwuid(os.geteuid())
        login_user = internal_user = me.pw_name
        owner = "uid=%d gid=%d" % (me.pw_uid, me.pw_gid)
    with open(os.path.join(folder, "passwd"), "w") as f:
        f.write("%s:{PLAIN}%s::::::\n" % (user, password))
    port = free_port()
    config = f"""protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{folder}/mail/%u
mail_fsync = never
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = {owner} home={folder}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""
    conf = os.path.join(folder, "dovecot.conf")
    with open(conf, "w") as f:
        f.write(config)
    dovecot = subprocess.Popen([DOVECOT, "-F", "-c", conf], stdout=subprocess.DEVNULL)

    stopping = []

    # Only marks it: the main loop stops Dovecot outside the handler.
    def stop(*_):
        stopping.append(True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    started = time.monotonic()
    while True:
        if stopping:
            break
        if dovecot.poll() is not None:
            sys.exit("Dovecot stopped at once: see %s/dovecot.log" % folder)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() - started > 20:
                dovecot.terminate()
                sys.exit("Dovecot did not start: see %s/dovecot.log" % folder)
            time.sleep(0.05)
    print("listening %d" % port, flush=True)
    while not stopping:
        if dovecot.poll() is not None:
            sys.exit("Dovecot stopped: see %s/dovecot.log" % folder)
        time.sleep(0.1)
    dovecot.terminate()
    dovecot.wait()


if __name__ == "__main__":
    main()
