"""The ``khotin`` command (DESIGN.md §2).

A user mistake (unknown site, unreadable file, bad URL) ends with one line on stderr
and exit status 2; a crawl in which a site broke ends with exit status 1, so a
scheduler can act on it.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from archive.lock import CrawlLock, LockedError
from scraper.runner import EXIT_BROKEN, EXIT_PARTIAL, CrawlOptions, print_summary, run_crawl

if TYPE_CHECKING:
    from scraper.parsing.page import Page

DEFAULT_DB = Path("data/khotin.db")
EXIT_USAGE = 2


class UserError(Exception):
    """Something the user can fix; printed as one line, no traceback."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khotin", description="Archive Vietnamese department news sites into SQLite."
    )
    parser.add_argument("--version", action="version", version=f"khotin {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = sub.add_parser("crawl", help="crawl sites by profile into the archive")
    crawl.add_argument("sites", nargs="*", metavar="SITE_ID")
    crawl.add_argument(
        "--all",
        action="store_true",
        help="every site known to be live ([facts] availability) whose profile is not offline",
    )
    crawl.add_argument(
        "--start-url",
        action="append",
        default=[],
        metavar="URL",
        help="crawl a site with no profile from this listing page (same host only)",
    )
    crawl.add_argument("--db", type=Path, default=DEFAULT_DB)
    crawl.add_argument(
        "--base-url", help="serve the profile's paths from another origin (a mirror)"
    )
    crawl.add_argument(
        "--delay",
        type=float,
        metavar="SECONDS",
        help="seconds between requests to a host (default: the profile's, 1 s for unknown sites)",
    )
    crawl.add_argument(
        "--full", action="store_true", help="walk every listing page and re-check every article"
    )
    crawl.add_argument(
        "--since", metavar="YYYY-MM-DD", help="keep only articles published on or after this date"
    )
    crawl.add_argument(
        "--revisit-after",
        type=float,
        metavar="HOURS",
        help="re-check recent articles last checked this many hours ago (default: the profile's)",
    )
    crawl.add_argument(
        "--publish",
        type=Path,
        metavar="PATH",
        help="after the crawl, write a consistent read-only copy for serving to PATH",
    )
    crawl.add_argument(
        "--distributed",
        metavar="REDIS_URL",
        help="be one worker of a crawl shared over Redis (redis://HOST:PORT/N); "
        "`khotin store` writes the archive (README: Distributed crawls)",
    )
    crawl.add_argument(
        "--redis-prefix", default="khotin", help="the crawl's Redis key prefix (default khotin)"
    )
    crawl.add_argument(
        "--worker-ttl",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="a worker silent this long is dead and what it held is queued again (default 30)",
    )
    crawl.add_argument(
        "--stream-max",
        type=int,
        default=2000,
        metavar="N",
        help="workers wait while N results wait for the writer (default 2000)",
    )
    crawl.add_argument("--log-level", default="WARNING")

    store = sub.add_parser(
        "store", help="write a distributed crawl's results into the archive (its one writer)"
    )
    store.add_argument(
        "--distributed", metavar="REDIS_URL", required=True, help="the crawl's Redis"
    )
    store.add_argument("--db", type=Path, default=DEFAULT_DB)
    store.add_argument(
        "--redis-prefix", default="khotin", help="the crawl's Redis key prefix (default khotin)"
    )
    store.add_argument(
        "--until-done",
        action="store_true",
        help="exit once a round has ended and all it found is stored (default: run until stopped)",
    )
    store.add_argument("--log-level", default="WARNING")

    backfill = sub.add_parser(
        "backfill", help="read a site's past from a web archive (one batch per run)"
    )
    backfill.add_argument("site", nargs="?", metavar="SITE_ID")
    backfill.add_argument(
        "--host", help="a site with no profile: its host name, read by generic extraction"
    )
    backfill.add_argument("--db", type=Path, default=DEFAULT_DB)
    backfill.add_argument(
        "--base-url", help="the profile's site under another origin (a mirror, as captured)"
    )
    backfill.add_argument(
        "--wayback-url",
        default="https://web.archive.org",
        metavar="URL",
        help="the archive serving /cdx/search/cdx and /web/<timestamp>id_/<url>",
    )
    backfill.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help="captures from")
    backfill.add_argument("--to", dest="until", metavar="YYYY-MM-DD", help="captures up to")
    backfill.add_argument(
        "--batch",
        type=int,
        default=500,
        metavar="N",
        help="fetch at most N captures this run (default 500: about 10 minutes at the "
        "archive's rate limit); run again for the next batch",
    )
    backfill.add_argument(
        "--delay",
        type=float,
        metavar="SECONDS",
        help="seconds between requests to the archive (default: 3 s for the capture list, "
        "1 s for captures, under the Wayback Machine's published limits)",
    )
    backfill.add_argument("--log-level", default="WARNING")

    serve = sub.add_parser("serve", help="serve the archive with Datasette (read-only)")
    serve.add_argument("--db", type=Path, default=DEFAULT_DB)
    serve.add_argument("--port", type=int, default=8001, help="0 picks a free port")
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the archive's public origin, written into citations and feeds "
        "(default: the address each request came to)",
    )

    demo = sub.add_parser("demo", help="serve the sample portal, crawl it, serve the archive")
    demo.add_argument("--db", type=Path, default=DEFAULT_DB)
    demo.add_argument("--port", type=int, default=8001, help="port for Datasette (0: any free)")
    demo.add_argument("--public-url", metavar="URL", help=argparse.SUPPRESS)
    demo.add_argument(
        "--portal-port",
        type=int,
        default=8721,
        help="port for the sample portal (fixed, so article URLs stay the same across runs; "
        "0: any free port)",
    )
    demo.add_argument("--no-serve", action="store_true", help="crawl into --db and exit")
    demo.add_argument("--log-level", default="WARNING")

    extract = sub.add_parser("extract", help="print one article as JSON")
    extract.add_argument("source", metavar="FILE_OR_URL")
    extract.add_argument("--url", help="the page's URL when SOURCE is a saved file")
    extract.add_argument("--site", metavar="SITE_ID", help="use this site's profile")
    extract.add_argument(
        "--fetched-at", metavar="ISO", help="when the page was fetched (for relative dates)"
    )

    record = sub.add_parser(
        "record", help="save a page and a draft expected.json as a new test case"
    )
    record.add_argument("source", metavar="URL_OR_FILE")
    record.add_argument("--url", help="the page's URL when SOURCE is a saved file")
    record.add_argument("--site", metavar="SITE_ID", help="the site's profile (else generic)")
    record.add_argument("--name", help="the case's folder name (default: from the page's hash)")
    record.add_argument("--description", default="", help="what the page holds, traps included")
    record.add_argument("--fetched-at", metavar="ISO", help="when the page was fetched")
    record.add_argument(
        "--cases", type=Path, default=Path("tests/cases"), help="the cases folder (tests/cases)"
    )

    parse_date = sub.add_parser("parse-date", help="read Vietnamese dates, one result a line")
    parse_date.add_argument("texts", nargs="+", metavar="TEXT", help="texts, or - to read stdin")
    parse_date.add_argument("--now", help="ISO moment that relative dates count from")

    sites = sub.add_parser("sites", help="list the site profiles")
    sites.add_argument(
        "--registry",
        action="store_true",
        help="also the merger registry's site of every former province (portal-*, noivu-*)",
    )

    verify = sub.add_parser(
        "verify", help="check the archive, its raw pages and files; queue refetches"
    )
    verify.add_argument("--db", type=Path, default=DEFAULT_DB)

    publish = sub.add_parser(
        "publish", help="write a consistent copy of the archive for serving (atomic replace)"
    )
    publish.add_argument("path", type=Path, metavar="PATH")
    publish.add_argument("--db", type=Path, default=DEFAULT_DB)

    migrate = sub.add_parser(
        "migrate", help="bring an archive made by an older khotin up to this version"
    )
    migrate.add_argument("--db", type=Path, default=DEFAULT_DB)

    reparse = sub.add_parser("reparse", help="re-extract every article from its stored page")
    reparse.add_argument("--db", type=Path, default=DEFAULT_DB)
    reparse.add_argument("--site", metavar="SITE_ID", help="only this site's articles")

    check = sub.add_parser(
        "check", help="try a profile on the live site (one listing, one article)"
    )
    check.add_argument("site", metavar="SITE_ID")
    check.add_argument("--base-url", help="check against a mirror of the site instead")
    return parser


# -- crawl ------------------------------------------------------------------------------


def _check_archive(db: Path) -> None:
    """Fail before crawling, not after, when the archive cannot be opened or created."""
    from archive.store import Archive

    Archive(db).close()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("khotin")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _check_port(port: int) -> None:
    if port == 0:
        return
    if not 0 < port < 65536:
        raise UserError(f"--port must be between 0 (any free port) and 65535, not {port}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise UserError(
                f"cannot serve on 127.0.0.1:{port} ({exc.strerror}); "
                "choose another with --port N (or `make demo PORT=N`)"
            ) from exc


def cmd_crawl(args: argparse.Namespace) -> int:
    from scraper.sites import all_profiles, generic_profile, load_profile

    if args.all:
        # Only sites known to answer: a site that is gone, moved or archive-only is
        # read from web archives (`khotin backfill`), never asked for nightly.
        profiles = [
            p
            for p in all_profiles()
            if p.facts.availability == "live" and p.status not in ("offline", "sample")
        ]
    else:
        profiles = [load_profile(site) for site in args.sites]
    # How each profile was chosen, so a distributed crawl's writer can rebuild it.
    specs = [{"site": p.id, "base_url": args.base_url} for p in profiles]
    for url in args.start_url:
        _check_url(url)
        profiles.append(generic_profile(url))
        specs.append({"site": profiles[-1].id, "start_url": url})
    if not profiles and not args.all:
        raise UserError(
            "name the sites to crawl (see `khotin sites`), or use --all or --start-url URL"
        )
    if args.base_url:
        _check_url(args.base_url)
        profiles = [p.rebased(args.base_url) for p in profiles]
    if not profiles:
        raise UserError(
            "no site profiles to crawl: --all takes the sites whose [facts] availability is "
            '"live" (`khotin sites` shows it; set it once `khotin check SITE_ID` works), '
            "and sites that are gone are read with `khotin backfill`"
        )
    if not args.distributed:  # a worker never opens the archive: `khotin store` does
        _check_archive(args.db)
    if args.delay is not None and args.delay < 0:
        raise UserError("--delay cannot be negative")
    if args.since:
        try:
            date.fromisoformat(args.since)
        except ValueError as exc:
            raise UserError(f"--since must be a date like 2024-01-31, not {args.since}") from exc
    options = CrawlOptions(
        db=args.db,
        mode="full" if args.full else "incremental",
        since=args.since,
        delay=args.delay,
        revisit_after_hours=args.revisit_after,
        log_level=args.log_level,
        progress=sys.stderr.isatty(),
    )
    if args.distributed:
        if args.worker_ttl < 1 or args.stream_max < 1:
            raise UserError("--worker-ttl must be at least 1 s and --stream-max at least 1")
        if args.publish:
            raise UserError("--publish is for `khotin store`'s archive, not a worker")
        return _work(list(zip(profiles, specs, strict=True)), options, args)
    status = _crawl(profiles, options)
    if args.publish:
        # Published whatever the outcome: what was archived is consistent and worth
        # serving; the exit status still says how the crawl went.
        cmd_publish(argparse.Namespace(db=args.db, path=args.publish))
    return status


def _crawl(profiles: list[Any], options: CrawlOptions) -> int:
    try:
        results = run_crawl(profiles, options)
    except LockedError as exc:
        raise UserError(str(exc)) from exc
    return print_summary(results, options.db)


def _work(sites: list[Any], options: CrawlOptions, args: argparse.Namespace) -> int:
    from scraper.distributed.connection import DistributedError, check_url
    from scraper.distributed.worker import WorkerOptions, print_worker_summary, run_worker

    try:
        check_url(args.distributed)
        results = run_worker(
            sites,
            options,
            WorkerOptions(
                redis_url=args.distributed,
                prefix=args.redis_prefix,
                heartbeat_ttl=args.worker_ttl,
                stream_max=args.stream_max,
            ),
        )
    except DistributedError as exc:
        raise UserError(str(exc)) from exc
    return print_worker_summary(results)


def cmd_store(args: argparse.Namespace) -> int:
    import logging

    from scraper.distributed.connection import DistributedError, check_url
    from scraper.distributed.writer import run_writer

    logging.basicConfig(level=args.log_level.upper(), format="%(name)s %(levelname)s: %(message)s")
    _check_archive(args.db)
    try:
        check_url(args.distributed)
        return run_writer(
            args.distributed, args.db, prefix=args.redis_prefix, until_done=args.until_done
        )
    except DistributedError as exc:
        raise UserError(str(exc)) from exc


def cmd_backfill(args: argparse.Namespace) -> int:
    from scraper.runner import BackfillOptions, print_backfill_summary, run_backfill
    from scraper.sites import generic_profile, load_profile

    if bool(args.site) == bool(args.host):
        raise UserError("name one site to backfill: SITE_ID (see `khotin sites`) or --host HOST")
    if args.site:
        profile = load_profile(args.site)
    else:
        host = args.host.strip().lower()
        if not host or "/" in host or " " in host:
            raise UserError(f"--host wants a host name like sonoivu.binhduong.gov.vn, not {host!r}")
        profile = generic_profile(f"https://{host}/")
    if args.base_url:
        _check_url(args.base_url)
        profile = profile.rebased(args.base_url)
    _check_url(args.wayback_url)
    for name in ("since", "until"):
        value = getattr(args, name)
        if value:
            try:
                date.fromisoformat(value)
            except ValueError as exc:
                flag = "--from" if name == "since" else "--to"
                raise UserError(f"{flag} must be a date like 2019-01-31, not {value}") from exc
    if args.batch < 1:
        raise UserError("--batch must be 1 or more")
    if args.delay is not None and args.delay < 0:
        raise UserError("--delay cannot be negative")
    _check_archive(args.db)
    options = BackfillOptions(
        db=args.db,
        wayback_url=args.wayback_url,
        since=args.since,
        until=args.until,
        batch=args.batch,
        generic=not args.site,
        delay=args.delay,
        log_level=args.log_level,
    )
    try:
        result = run_backfill(profile, options)
    except LockedError as exc:
        raise UserError(str(exc)) from exc
    return print_backfill_summary(result, args.db)


def cmd_demo(args: argparse.Namespace) -> int:
    from scraper.sample_portal.server import SamplePortalServer
    from scraper.sites import load_profile

    _check_archive(args.db)
    if not args.no_serve:
        _check_port(args.port)
    try:
        server = SamplePortalServer(port=args.portal_port)
    except OSError as exc:
        raise UserError(f"cannot serve the sample portal ({exc.strerror})") from exc
    with server as portal:
        print(f"sample portal: {portal.url}")
        profile = load_profile("sample-sonoivu").rebased(portal.url)
        status = _crawl([profile], CrawlOptions(db=args.db, log_level=args.log_level))
    if args.no_serve or status:
        return status
    return cmd_serve(args)


# -- serve ------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    from archive.opening import check_archive
    from archive.serve import serve

    if not args.db.is_file():
        raise UserError(f"{args.db}: no archive here (run `khotin crawl` or `khotin demo` first)")
    check_archive(args.db)  # the archive's own problem first, read-only
    _check_port(args.port)
    if args.public_url:
        _check_url(args.public_url)

    def announce(url: str) -> None:
        print(f"khotin: serving {args.db} read-only at {url} (Ctrl-C stops)", flush=True)
        print(f"  search: {url}search?q=ke+hoach", flush=True)

    serve(args.db, port=args.port, public_url=args.public_url, announce=announce)
    return 0


# -- extract, parse-date, sites --------------------------------------------------------


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(f"not an http(s) URL: {url}")


def _read_page(source: str, url: str | None, fetched_at: str | None) -> Page:
    """The page named on the command line (a URL, or a saved file read as ``url``)."""
    from scraper.fetch import FetchError, fetch_page, read_file_page
    from scraper.parsing.page import parse_moment

    moment = None
    if fetched_at:
        moment = parse_moment(fetched_at)
        if moment is None:
            raise UserError(f"--fetched-at must be an ISO moment: {fetched_at}")
    if url:
        _check_url(url)
    try:
        if source.startswith(("http://", "https://")):
            _check_url(source)
            page = fetch_page(source)
            return replace(page, url=url or page.url, fetched_at=moment or page.fetched_at)
        return read_file_page(Path(source), url, moment)
    except FetchError as exc:
        raise UserError(str(exc)) from exc


def cmd_extract(args: argparse.Namespace) -> int:
    from scraper.extract import extract
    from scraper.sites import load_profile

    profile = load_profile(args.site) if args.site else None
    page = _read_page(args.source, args.url, args.fetched_at)
    print(json.dumps(extract(page, profile).as_dict(), ensure_ascii=False, indent=2))
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from scraper.record import RecordError, record_case
    from scraper.sites import load_profile

    profile = load_profile(args.site) if args.site else None
    page = _read_page(args.source, args.url, args.fetched_at)  # robots.txt obeyed there
    try:
        folder = record_case(page, profile, args.cases, args.name, args.description)
    except RecordError as exc:
        raise UserError(str(exc)) from exc
    print(f"recorded {page.url} as {folder}")
    print(f"  now read {folder / 'expected.json'} against the page and correct it")
    return 0


def cmd_parse_date(args: argparse.Namespace) -> int:
    from scraper.parsing.dates import parse_date

    now = None
    if args.now:
        try:
            now = datetime.fromisoformat(args.now)
        except ValueError as exc:
            raise UserError(f"--now must be an ISO date or moment: {args.now}") from exc
    texts: Sequence[str] = args.texts
    if list(texts) == ["-"]:
        texts = [line.rstrip("\n") for line in sys.stdin]
    for text in texts:
        parsed = parse_date(text, now)
        print(parsed.value if parsed else "")
    return 0


def cmd_sites(args: argparse.Namespace) -> int:
    from scraper.sites import all_profiles

    profiles = all_profiles(registry=args.registry)
    print(
        f"{'site':<28} {'family':<22} {'status':<10} {'available':<12} {'province':<22} "
        f"{'override':<9} name"
    )
    for p in profiles:
        override = "yes" if p.path and p.path.with_suffix(".py").is_file() else "-"
        province = p.facts.former_province or "-"
        if p.facts.current_province and p.facts.current_province != p.facts.former_province:
            province += f">{p.facts.current_province}"
        print(
            f"{p.id:<28} {p.family or '-':<22} {p.status:<10} {p.facts.availability:<12} "
            f"{province:<22} {override:<9} {p.name}"
        )
    if not args.registry:
        print("(and the merger registry's sites of every former province: --registry)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from scraper.check import check
    from scraper.fetch import FetchError
    from scraper.sites import load_profile

    profile = load_profile(args.site)
    if args.base_url:
        _check_url(args.base_url)
        profile = profile.rebased(args.base_url)
    try:
        return check(profile, sys.stdout)
    except FetchError as exc:
        print(f"verdict: BROKEN: cannot fetch {exc}")
        return EXIT_BROKEN


def cmd_verify(args: argparse.Namespace) -> int:
    from archive.verify import verify

    if not args.db.is_file():
        raise UserError(f"{args.db}: no archive here")
    with CrawlLock(args.db):
        report = verify(args.db)
    print(f"database: {report.integrity}")
    if report.integrity != "ok":
        return EXIT_PARTIAL
    bad_pages, bad_files = len(report.bad_pages), len(report.bad_files)
    print(f"raw pages: {report.pages_checked} checked, {bad_pages} damaged or missing")
    print(f"attachment files: {report.files_checked} checked, {bad_files} damaged or missing")
    for line in report.bad_pages + report.bad_files:
        print(f"  {line}")
    if report.bad_pages or report.bad_files:
        print("the next `khotin crawl` fetches them again (table `missing`)")
    return 0 if report.ok else EXIT_PARTIAL


def cmd_publish(args: argparse.Namespace) -> int:
    from archive.publish import publish

    done = publish(args.db, args.path)
    print(
        f"published {args.db} to {done.path} ({done.size:,} bytes, {done.published_at}); "
        f"attachments and raw pages stay in {done.data_folder}"
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    import sqlite3

    from archive.schema import SCHEMA_VERSION
    from archive.store import Archive

    if not args.db.is_file():
        raise UserError(f"{args.db}: no archive here")
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as conn:
        try:
            before = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{args.db}: not a khotin archive ({exc})") from exc
    Archive(args.db).close()
    if before == SCHEMA_VERSION:
        print(f"{args.db}: already at schema {SCHEMA_VERSION}; nothing to do")
    else:
        print(f"{args.db}: migrated from schema {before} to {SCHEMA_VERSION}")
    return 0


def cmd_reparse(args: argparse.Namespace) -> int:
    from scraper.reparse import reparse

    if not args.db.is_file():
        raise UserError(f"{args.db}: no archive here (run `khotin crawl` or `khotin demo` first)")
    with CrawlLock(args.db):
        return reparse(args.db, args.site, sys.stdout)


COMMANDS = {
    "crawl": cmd_crawl,
    "backfill": cmd_backfill,
    "store": cmd_store,
    "serve": cmd_serve,
    "demo": cmd_demo,
    "extract": cmd_extract,
    "record": cmd_record,
    "parse-date": cmd_parse_date,
    "sites": cmd_sites,
    "check": cmd_check,
    "reparse": cmd_reparse,
    "migrate": cmd_migrate,
    "publish": cmd_publish,
    "verify": cmd_verify,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from archive.store import ArchiveError
    from scraper.parsing.html import SelectorError
    from scraper.sites import ProfileError

    try:
        return COMMANDS[args.command](args)
    except (UserError, ProfileError, ArchiveError, SelectorError, LockedError) as exc:
        print(f"khotin: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `khotin extract … | head`: the reader has gone; nothing left to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
