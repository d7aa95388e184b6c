"""Slugs that always match `^[a-z0-9]+(?:-[a-z0-9]+)*$`, whatever the label."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def slugify(label: str) -> str:
    """`"Café Nero & Co."` → `"cafe-nero-co"`; a label with no Latin letters or digits gets a stable hash slug.

    The fallback hashes the label itself, so two different labels (`"客户"`, `"顾客"`) never collide by accident
    while the same label always gives the same slug (and so the same uniqueness conflict).
    """
    ascii_text = label if label.isascii() else unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.lower()
    slug = _NOT_ALPHANUMERIC.sub("-", ascii_text).strip("-")
    if slug:
        return slug
    digest = hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"x-{digest}"
