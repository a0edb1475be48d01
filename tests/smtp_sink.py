#!/usr/bin/env python3
"""A real SMTP server on loopback for the mail tests (aiosmtpd).

Each message received is appended to --out as one JSON line: the envelope (mail_from, rcpt_tos),
the decoded subject and text body, the raw data, and whether the session used TLS and
authenticated. With --cert/--key the server offers STARTTLS and requires it; with --user and
--password it requires AUTH (PLAIN or LOGIN, only after STARTTLS when TLS is on). Prints
"ready <port>" once listening (--port 0 picks a free port) and runs until killed.
"""

import argparse
import asyncio
import email
import email.policy
import json
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        data = envelope.content
        message = email.message_from_bytes(data, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "subject": str(message.get("subject", "")),
            "from": str(message.get("from", "")),
            "content_type": message.get_content_type(),
            "charset": message.get_content_charset(),
            "body": body.get_content() if body is not None else "",
            "data": data.decode("utf-8", "replace"),
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
        }
        with open(self.out, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        return "250 Message accepted for delivery"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False)

    return check


def main():
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    tls_context = None
    if args.cert and args.key:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.cert, args.key)
    auth = {}
    if args.user is not None:
        auth = {
            "authenticator": authenticator(args.user, args.password or ""),
            "auth_required": True,
            "auth_require_tls": tls_context is not None,
        }

    def factory():
        return SMTP(
            Recorder(args.out),
            hostname="localhost",
            tls_context=tls_context,
            require_starttls=tls_context is not None,
            **auth,
        )

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", args.port))
    port = server.sockets[0].getsockname()[1]
    print(f"ready {port}", flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
