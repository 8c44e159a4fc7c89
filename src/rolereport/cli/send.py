"""`rolereport send`: arguments and progress lines; the work is `rolereport.send`'s."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def cmd_send(args: argparse.Namespace) -> int:
    from rolereport.cli.campaign import apply
    from rolereport.errors import Problem, UsageError
    from rolereport.render.formats import attachable
    from rolereport.send import Options, distribute
    from rolereport.send.smtp import parse_server

    apply(args, ("", "send"))
    if args.folder is None:
        args.folder = getattr(args, "out", None)
    if args.folder is None:
        raise UsageError(Problem("send", "give the batch's output folder (rolereport send DIR), or its 'out' "
                                 "in rolereport.toml"))
    args.attach = args.attach or "pdf"
    attach = tuple(dict.fromkeys(a.strip().lower() for a in args.attach.split(",") if a.strip()))
    bad = [a for a in attach if a not in attachable()]
    if bad or not attach:
        raise UsageError(Problem("--attach", f"'{args.attach}' is not a list of {', '.join(attachable())} "
                                 "(such as pdf,docx)"))
    sender = args.sender or os.environ.get("ROLEREPORT_MAIL_FROM", "")
    if not sender:
        raise UsageError(Problem("--from", "give the address the guides come from, such as "
                                 "--from 'HR Team <hr@example.com>' (or set ROLEREPORT_MAIL_FROM)"))
    security = "ssl" if args.ssl else "starttls" if args.starttls else "plain"
    server = parse_server(args.smtp or os.environ.get("ROLEREPORT_SMTP", "localhost"), security, args.cafile)
    opts = Options(folder=Path(args.folder), attach=attach, sender=sender, subject=args.subject,
                   templates=args.templates, send=args.send, server=server, limit=args.limit,
                   interval=_rate(args.rate) if args.rate else 0.0, resend=tuple(args.resend or ()))

    def progress(o):  # type: ignore[no-untyped-def]
        who = o.slug or o.name
        if o.email:  # an address with its display name already is one ("Jane <jane@…>")
            who = o.email if "<" in o.email else f"{who} <{o.email}>"
        print(f"{o.status:<12} {who}" + (f" — {o.reason}" if o.reason else ""), flush=True)

    result = distribute(opts, progress)
    c = result.count
    done = (f"{c('sent')} sent" if args.send
            else f"{c('prepared')} prepared in {result.outbox}/ (nothing sent; --send sends them)")
    print(f"{len(result.outcomes)} people: {done}, {c('already sent')} already sent, {c('refused')} refused, "
          f"{c('failed') + c('unconfirmed')} failed, {c('not this run')} left for the next run "
          f"in {result.seconds:.1f} s" + (f"; ledger: {result.ledger}" if args.send else ""))
    if result.aborted:
        print(f"rolereport: {result.aborted}", file=sys.stderr)
    return 1 if result.failed else 0


def _rate(text: str) -> float:
    """'30/min', '2/s' or '600/h' as seconds between two messages."""
    from rolereport.errors import Problem, UsageError

    per = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600}
    count, _, unit = text.strip().partition("/")
    if not count.isdigit() or int(count) < 1 or (unit or "min") not in per:
        raise UsageError(Problem("--rate", f"'{text}' is not a rate such as 30/min, 2/s or 600/h"))
    return per[unit or "min"] / int(count)
