"""WordPress REST API posts (``/wp-json/wp/v2/posts/N``, one or a list) as pages."""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape
from typing import Any

from detector.errors import InputError
from detector.sources.document import Document, clean_str
from features.page import Page, absolute_http_url


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return clean_str(value) if isinstance(value, str) else ""


def is_wp_post(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("content"), dict) and "rendered" in obj["content"]


def page_from_wp_post(post: dict[str, Any], url: str | None = None) -> Page:
    """A WordPress REST API post (``/wp-json/wp/v2/posts/N``) as a page.

    Uses ``title.rendered``, ``content.rendered``, ``link``, tags from ``class_list``
    (``tag-...``), ``author_info`` and ``featured_image_urls``.
    """
    title = unescape(_rendered(post.get("title")))
    content = _rendered(post.get("content"))
    link = absolute_http_url(post["link"]) if isinstance(post.get("link"), str) else ""
    tags: list[str] = []
    for cls in post.get("class_list") or []:
        if isinstance(cls, str) and cls.startswith("tag-"):
            tags.append(clean_str(cls[4:]))
    author = None
    info = post.get("author_info")
    if isinstance(info, dict):
        author = info.get("display_name") or info.get("name")
    images = []
    fi = post.get("featured_image_urls")
    if isinstance(fi, dict):
        for v in fi.values():
            if isinstance(v, list) and v and isinstance(v[0], str):
                images.append(v[0])
            elif isinstance(v, str):
                images.append(v)
    html = f"<html><head><title>{_escape(title)}</title></head><body><article>{content}</article></body></html>"
    return Page(
        url=url or link or None,
        url_from=None if url or not link else "wp-link",
        kind="wp-json",
        html=html,
        given_title=title,
        given_tags=tuple(tags),
        given_author=clean_str(author) if isinstance(author, str) else None,
        meta_extra={
            "wp_featured_images": images,
            "wp_date": post.get("date_gmt") or post.get("date"),
            "wp_excerpt": unescape(_rendered(post.get("excerpt"))),
        },
    )


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pages_from_wp_json(obj: Any, *, name: str = "<json>", url: str | None = None) -> Iterator[Document]:
    if is_wp_post(obj):
        yield Document(name, page_from_wp_post(obj, url))
        return
    if isinstance(obj, list):
        if not any(is_wp_post(p) for p in obj):
            raise InputError("JSON list holds no WordPress posts (no content.rendered)")
        # Streamed: each post becomes a page when the caller asks for it. A run of items that
        # are not posts is one error record (a list of one post and millions of numbers is
        # two records, not millions), written in its place in the list.
        bad = -1  # first index of the current run of non-posts
        for i, post in enumerate(obj):
            if is_wp_post(post):
                if bad >= 0:
                    yield _not_posts(name, bad, i - 1)
                    bad = -1
                yield Document(f"{name}#{i}", page_from_wp_post(post, None))
            elif bad < 0:
                bad = i
        if bad >= 0:
            yield _not_posts(name, bad, len(obj) - 1)
        return
    raise InputError("JSON is not a WordPress REST post (no content.rendered)")


def _not_posts(name: str, first: int, last: int) -> Document:
    if first == last:
        return Document(f"{name}#{first}", error=InputError(f"item {first} is not a WordPress post"))
    return Document(f"{name}#{first}-{last}",
                    error=InputError(f"items {first} to {last} ({last - first + 1} items) are not WordPress posts"))
