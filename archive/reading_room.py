"""The reading room: Datasette routes where stock pages cannot do the job.

Home, search, article, archived page, stored files, a document's citers, a site, and
their feeds. Each view reads through Datasette's own read-only connection
(``execute_fn`` under the SQL time limit) with the pure functions of archive.reading
and archive.search, and renders a template that extends Datasette's own, so the
stock tables, SQL and exports stay one click away.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, unquote, urlencode, urlsplit

from datasette.utils import sqlite_timelimit
from datasette.utils.asgi import Response

from archive import citing, reading
from archive.facets import cached_for_file
from archive.files import safe_display_name, stored_path
from archive.folding import doc_number_key, fold
from archive.replay import CONTENT_POLICY, replay_html
from archive.search import FACETS, SORTS, Filters, search
from archive.store import ArchiveError, load_raw_page
from archive.warc import WarcError, WarcStore

DB_NAME = "khotin"
ASSET_PREFIX = "/-/khotin/"
ASSETS = Path(__file__).resolve().parent / "static"
ASSET_TYPES = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8"}
T = TypeVar("T")

# Kinds a browser may show in place: none of them can run script.
INLINE_TYPES = {"pdf": "application/pdf"}
IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
DOWNLOAD_TYPES = {
    "doc": ("application/msword", "doc"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xls": ("application/vnd.ms-excel", "xls"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "zip": ("application/zip", "zip"),
    "rar": ("application/vnd.rar", "rar"),
    "pdf": ("application/pdf", "pdf"),
}
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff"}


def routes() -> list[tuple[str, Callable[..., Any]]]:
    return [
        (r"^/$", home),
        (r"^/search(?P<format>\.json|\.atom)?$", search_page),
        (r"^/trends$", trends_page),
        (r"^/article/(?P<id>\d{1,18})(?P<format>\.json)?$", article_page),
        (r"^/article/(?P<id>\d{1,18})/archived$", archived_page),
        (r"^/article/(?P<id>\d{1,18})/archived/content$", archived_content),
        (r"^/article/(?P<id>\d{1,18})/archived/raw$", archived_raw),
        (r"^/file/(?P<sha>[0-9a-f]{64})$", stored_file),
        (r"^/doc/(?P<key>[0-9a-z]{1,80})$", document_page),
        (r"^/site/(?P<site>[A-Za-z0-9._-]{1,100}?)(?P<format>\.atom)?$", site_page),
        (r"^/-/khotin/(?P<name>khotin\.(?:css|js))$", asset),
    ]


async def asset(request: Any) -> Response:
    """The reading room's own stylesheet and script: shipped with khotin, never a CDN."""
    name = request.url_vars["name"]
    body = (ASSETS / name).read_text(encoding="utf-8")
    return Response(
        body,
        content_type=ASSET_TYPES[name.rsplit(".", 1)[1]],
        headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=3600"},
    )


# -- helpers ----------------------------------------------------------------------------


async def _read(datasette: Any, fn: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``fn`` on a read-only connection of the archive, under the SQL time limit."""
    limit = datasette.setting("sql_time_limit_ms")

    def bounded(conn: sqlite3.Connection) -> T:
        with sqlite_timelimit(conn, limit):
            return fn(conn)

    return await datasette.get_database(DB_NAME).execute_fn(bounded)


def _data_folder(datasette: Any) -> Path:
    """Where the served archive's WARC files and attachments are: beside it, or where a
    published copy says its original lives (archive.opening)."""
    database = datasette.get_database(DB_NAME)
    return getattr(database, "khotin_data_folder", None) or Path(database.path).parent


def public_origin(datasette: Any, request: Any) -> str:
    """The origin used in citations and feeds: ``--public-url``, else this request's."""
    configured = (datasette.plugin_config("khotin") or {}).get("public_url")
    if configured:
        return configured.rstrip("/")
    return f"{request.scheme}://{request.host}"


async def _page(
    datasette: Any, request: Any, template: str, context: dict[str, Any], status: int = 200
) -> Response:
    context = {
        "vn_date": reading.vn_date,
        "vn_day": reading.vn_day,
        "db_name": DB_NAME,
        "chart": reading.month_chart,
        **context,
    }
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status, headers=dict(SECURITY_HEADERS))


def _atom(
    origin: str,
    path: str,
    query: str | None,
    *,
    title: str,
    entries: list[dict[str, Any]],
    subtitle: str | None = None,
) -> Response:
    """An Atom feed of ``path`` (``path.atom`` is the feed, ``path`` the page)."""
    suffix = f"?{query}" if query is not None else ""
    body = citing.atom_feed(
        feed_id=f"{origin}{path}{suffix}",
        title=title,
        self_url=f"{origin}{path}.atom{suffix}",
        html_url=f"{origin}{path}{suffix}",
        entries=entries,
        article_url=origin + "/article/{id}",
        subtitle=subtitle,
    )
    return Response(
        body, content_type="application/atom+xml; charset=utf-8", headers=dict(SECURITY_HEADERS)
    )


async def _not_found(datasette: Any, request: Any, message: str) -> Response:
    return await _page(
        datasette,
        request,
        "khotin_message.html",
        {"title": "Không tìm thấy · Not found", "message": message},
        status=404,
    )


async def _guarded(
    datasette: Any, request: Any, fn: Callable[[sqlite3.Connection], T]
) -> T | Response:
    try:
        return await _read(datasette, fn)
    except reading.NotFound as exc:
        return await _not_found(datasette, request, str(exc))
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc) or "not a database" in str(exc):
            return await _page(
                datasette,
                request,
                "khotin_message.html",
                {
                    "title": "Phần này của kho bị hỏng · Damaged",
                    "message": "Phần này của kho lưu trữ bị hỏng; người vận hành hãy chạy "
                    "`khotin verify` (this part of the archive is damaged: the "
                    "operator should run `khotin verify`).",
                },
                status=503,
            )
        if "interrupted" in str(exc):
            return await _page(
                datasette,
                request,
                "khotin_message.html",
                {
                    "title": "Quá lâu · Too slow",
                    "message": "Truy vấn này mất quá nhiều thời gian; hãy thu hẹp tìm kiếm "
                    "(this request took too long; narrow it down).",
                },
            )
        raise


# -- home -------------------------------------------------------------------------------


async def home(datasette: Any, request: Any) -> Response:
    def load(conn: sqlite3.Connection) -> dict[str, Any]:
        def build() -> dict[str, Any]:
            return {
                "glance": reading.glance(conn),
                "newest": reading.newest(conn, 10),
                "months": reading.per_month(conn),
            }

        # Whole-archive counts cost ~0.3 s at 100k articles: kept until the file changes.
        return cached_for_file(conn, "home", build)

    data = await _guarded(datasette, request, load)
    if isinstance(data, Response):
        return data
    return await _page(
        datasette,
        request,
        "khotin_home.html",
        {
            **data,
            "operator_tables": reading.OPERATOR_TABLES,
            "reader_tables": reading.READER_TABLES,
        },
    )


# -- search -----------------------------------------------------------------------------


def _filters(request: Any) -> tuple[Filters, list[str]]:
    """Filters from the query string; a date that cannot be read is a message, not ignored."""
    args = request.args
    problems: list[str] = []
    days = {}
    for name in ("from", "to"):
        try:
            days[name] = reading.parse_day_input(args.get(name))
        except ValueError as exc:
            problems.append(str(exc))
            days[name] = None
    year = args.get("year") or None
    if year is not None and not re.fullmatch(r"\d{4}", year):
        problems.append(f"Năm “{year[:20]}” không hợp lệ (year must be four digits).")
        year = None
    filters = Filters(
        site=args.get("site") or None,
        category=args.get("category") or None,
        year=int(year) if year else None,
        doc_type=args.get("doc_type") or None,
        date_from=days["from"],
        date_to=days["to"],
    )
    return filters, problems


def _args(request: Any) -> dict[str, str]:
    """The query string as a plain dict (first value of each name)."""
    return {name: request.args.get(name) for name in request.args.keys()}


def _int_arg(request: Any, name: str, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(request.args.get(name) or default)))
    except ValueError:
        return default


async def search_page(datasette: Any, request: Any) -> Response:
    text = request.args.get("q") or ""
    filters, problems = _filters(request)
    sort = request.args.get("sort") or "relevance"
    page = _int_arg(request, "page", 1, 1, 10_000)
    size = _int_arg(request, "size", 20, 1, 100)
    raw = request.args.get("mode") == "raw" or request.args.get("_searchmode") == "raw"
    fmt = request.url_vars.get("format")
    if fmt == ".atom":
        sort, page, size = "date", 1, 50

    def load(conn: sqlite3.Connection) -> dict[str, Any]:
        return {
            "results": search(
                conn,
                text,
                filters=filters,
                sort=sort,
                page=page,
                size=size,
                raw=raw,
                facets=fmt is None,
            )
        }

    data = await _guarded(datasette, request, load)
    if isinstance(data, Response):
        return data
    results = data["results"]
    notes = [*problems, *results.query.notes]
    origin = public_origin(datasette, request)
    if fmt == ".json":
        return Response.json(
            {
                "query": results.query.text,
                "fts": results.query.fts,
                "notes": notes,
                "filters": results.filters.active(),
                "sort": results.sort,
                "total": results.total,
                # A broad search counts at most BROAD matches: the total is then a bound.
                "total_is_lower_bound": results.more,
                "page": results.page,
                "size": results.size,
                "hits": [
                    {
                        "id": h.id,
                        "title": h.title,
                        "published_at": h.published_at,
                        "site_id": h.site_id,
                        "category": h.category,
                        "byline": h.byline,
                        "url": h.url,
                        "archive_url": f"{origin}/article/{h.id}",
                        "snippet_html": str(h.snippet_html),
                    }
                    for h in results.hits
                ],
                "facets": {k: [[v, n] for v, n in vals] for k, vals in results.facets.items()},
            },
            headers=dict(SECURITY_HEADERS),
        )
    if fmt == ".atom":
        query_string = urlencode({k: v for k, v in _args(request).items() if k != "page"})
        return _atom(
            origin,
            "/search",
            query_string,
            title=f"khotin: {results.query.text or 'mọi bài viết'}",
            entries=[vars(h) for h in results.hits],
            subtitle=" ".join(notes) or None,
        )
    base = {k: v for k, v in _args(request).items() if k not in ("page",)}
    return await _page(
        datasette,
        request,
        "khotin_search.html",
        {
            "results": results,
            "notes": notes,
            "text": text,
            "args": _args(request),
            "sorts": SORTS,
            "facet_names": FACETS,
            "months": results.months if (results.query.fts or results.filters.active()) else [],
            "page_url": lambda n: "/search?" + urlencode({**base, "page": n}),
            "sort_url": lambda name: "/search?" + urlencode({**base, "sort": name}),
            "facet_url": lambda name, value: (
                "/search?" + urlencode({**base, _FACET_ARG[name]: value})
            ),
            "without_url": lambda name: (
                "/search?" + urlencode({k: v for k, v in base.items() if k != name})
            ),
            "feed_url": "/search.atom?" + urlencode(base),
            "json_url": "/search.json?" + urlencode(base),
        },
    )


_FACET_ARG = {
    "site_id": "site",
    "category": "category",
    "published_year": "year",
    "doc_type": "doc_type",
}


async def trends_page(datasette: Any, request: Any) -> Response:
    text = request.args.get("q") or ""
    site = request.args.get("site") or None

    def load(conn: sqlite3.Connection) -> Any:
        return search(conn, text, filters=Filters(site=site), size=1)

    results = await _guarded(datasette, request, load)
    if isinstance(results, Response):
        return results
    return await _page(
        datasette,
        request,
        "khotin_trends.html",
        {
            "months": results.months,
            "text": text,
            "site": site,
            "notes": results.query.notes,
        },
    )


# -- article ----------------------------------------------------------------------------


async def article_page(datasette: Any, request: Any) -> Response:
    article_id = int(request.url_vars["id"])
    data = await _guarded(datasette, request, lambda conn: reading.article(conn, article_id))
    if isinstance(data, Response):
        return data
    origin = public_origin(datasette, request)
    archive_url = f"{origin}/article/{article_id}"
    cites = citing.citations(data, archive_url)
    if request.url_vars.get("format") == ".json":
        data = {
            **data,
            "attachments": [a.__dict__ for a in data["attachments"]],
            "versions": [
                {**ver, "changes": [{**c, "diff": str(c["diff"])} for c in ver["changes"]]}
                for ver in data["versions"]
            ],
            "archive_url": archive_url,
            "citations": cites,
        }
        return Response.json(data, headers=dict(SECURITY_HEADERS), default=str)
    return await _page(
        datasette,
        request,
        "khotin_article.html",
        {
            "a": data,
            "archive_url": archive_url,
            "citations": cites,
            "quote": quote,
        },
    )


def _raw_page(datasette: Any, conn: sqlite3.Connection, article_id: int) -> tuple[dict, Any]:
    info = conn.execute(
        "SELECT a.id, a.title, a.url, a.raw_page_id, r.fetched_at, r.status FROM articles a "
        "LEFT JOIN raw_pages r ON r.id = a.raw_page_id WHERE a.id = ?",
        [article_id],
    ).fetchone()
    if info is None:
        raise reading.NotFound(f"no article {article_id}")
    meta = dict(
        zip(("id", "title", "url", "raw_page_id", "fetched_at", "status"), info, strict=True)
    )
    if meta["raw_page_id"] is None:
        raise reading.NotFound(f"article {article_id} has no stored page")
    folder = _data_folder(datasette) / "warc"
    try:
        warc = WarcStore(folder) if folder.is_dir() else None
        if warc is None:
            raise ArchiveError(f"{folder} is missing")
        raw = load_raw_page(conn, warc, meta["raw_page_id"])
    except (ArchiveError, WarcError) as exc:
        raise reading.NotFound(
            f"the stored page of article {article_id} cannot be read: {exc}"
        ) from exc
    return meta, raw


async def archived_page(datasette: Any, request: Any) -> Response:
    article_id = int(request.url_vars["id"])
    data = await _guarded(
        datasette, request, lambda conn: _raw_page(datasette, conn, article_id)[0]
    )
    if isinstance(data, Response):
        return data
    return await _page(datasette, request, "khotin_archived.html", {"m": data})


async def archived_content(datasette: Any, request: Any) -> Response:
    article_id = int(request.url_vars["id"])

    def load(conn: sqlite3.Connection) -> str:
        meta, raw = _raw_page(datasette, conn, article_id)

        def resolve(urls: list[str]) -> dict[str, str]:
            mapped = {u: f"/article/{i}" for u, i in reading.archived_ids(conn, urls).items()}
            files = reading.archived_files(conn, [u for u in urls if u not in mapped])
            mapped.update({u: f"/file/{sha}" for u, sha in files.items()})
            return mapped

        return replay_html(
            raw.body, url=raw.url, content_type=raw.header("Content-Type"), resolve=resolve
        )

    html = await _guarded(datasette, request, load)
    if isinstance(html, Response):
        return html
    return Response.html(
        html,
        headers={
            **SECURITY_HEADERS,
            "Content-Security-Policy": CONTENT_POLICY,
            "X-Frame-Options": "SAMEORIGIN",
            "Referrer-Policy": "no-referrer",
        },
    )


async def archived_raw(datasette: Any, request: Any) -> Response:
    """The stored bytes exactly as received, as a download (never rendered here)."""
    article_id = int(request.url_vars["id"])
    data = await _guarded(datasette, request, lambda conn: _raw_page(datasette, conn, article_id))
    if isinstance(data, Response):
        return data
    _, raw = data
    return Response(
        raw.body,
        content_type="application/octet-stream",
        headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="khotin-article-{article_id}.html.bin"',
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


# -- files ------------------------------------------------------------------------------


def file_headers(info: dict[str, Any], head: bytes) -> tuple[str, str]:
    """(Content-Type, disposition) for a stored file: shown in place only when it is a
    PDF or a raster image by its bytes; anything else, or anything whose real type did
    not match its claim, is a download."""
    kind = info.get("kind") or "other"
    mismatch = bool(info.get("type_mismatch"))
    if not mismatch and kind in INLINE_TYPES:
        return INLINE_TYPES[kind], "inline"
    if not mismatch and kind == "image":
        for magic, mime in IMAGE_MAGIC:
            if head.startswith(magic):
                return mime, "inline"
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "image/webp", "inline"
    if not mismatch and kind in DOWNLOAD_TYPES:
        return DOWNLOAD_TYPES[kind][0], "attachment"
    return "application/octet-stream", "attachment"


def download_name(info: dict[str, Any]) -> str:
    """A name to offer for a stored file; never used as a path here, and ending in the
    extension of what the bytes really are."""
    candidates = [
        info.get("display_name"),
        unquote(urlsplit(info.get("url") or "").path.rsplit("/", 1)[-1]),
        (info.get("link_text") or "").replace("/", "-"),
    ]
    name = next((n for n in (safe_display_name(c) for c in candidates) if n), "tep-dinh-kem")
    kind = info.get("kind") or "other"
    extension = DOWNLOAD_TYPES.get(kind, (None, None))[1] or {
        "image": None,
        "html": "txt",
        "text": "txt",
    }.get(kind, "bin")
    stem, dot, ext = name.rpartition(".")
    if extension and (not dot or ext.lower() != extension):
        name = f"{name}.{extension}"
    return name


def content_disposition(disposition: str, name: str) -> str:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", fold(name)).strip("_") or "file"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


async def stored_file(datasette: Any, request: Any) -> Response:
    sha = request.url_vars["sha"]
    info = await _guarded(datasette, request, lambda conn: reading.stored_file(conn, sha))
    if isinstance(info, Response):
        return info
    path = stored_path(_data_folder(datasette) / "files", sha)
    try:
        data = path.read_bytes()
    except OSError:
        return await _not_found(
            datasette, request, f"the file {sha} is described but not in the store"
        )
    content_type, disposition = file_headers(info, data[:16])
    headers = {
        **SECURITY_HEADERS,
        "Content-Disposition": content_disposition(disposition, download_name(info)),
        "Cache-Control": "public, max-age=31536000, immutable",
    }
    if disposition == "attachment":
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return Response(data, content_type=content_type, headers=headers)


# -- documents and sites -----------------------------------------------------------------


async def document_page(datasette: Any, request: Any) -> Response:
    key = doc_number_key(request.url_vars["key"])
    data = await _guarded(datasette, request, lambda conn: reading.citing(conn, key))
    if isinstance(data, Response):
        return data
    return await _page(datasette, request, "khotin_document.html", {"d": data})


async def site_page(datasette: Any, request: Any) -> Response:
    site_id = request.url_vars["site"]
    atom = request.url_vars.get("format") == ".atom"

    def load(conn: sqlite3.Connection) -> dict[str, Any]:
        return {
            "site": reading.site(conn, site_id),
            "newest": reading.newest(conn, 50 if atom else 20, site=site_id),
            "months": [] if atom else reading.per_month(conn, site=site_id),
        }

    data = await _guarded(datasette, request, load)
    if isinstance(data, Response):
        return data
    if atom:
        origin = public_origin(datasette, request)
        site = data["site"]
        entries = [{**e, "authors": reading.json_list(e.get("authors"))} for e in data["newest"]]
        return _atom(
            origin,
            f"/site/{site_id}",
            None,
            title=f"{site['name'] or site_id} (khotin)",
            entries=entries,
        )
    return await _page(datasette, request, "khotin_site.html", data)
