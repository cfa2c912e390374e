"""Build the domain lists ``detector/provenance.py`` ships, from ``../shared/blocklists``.

Only bare domain names are copied (no comments, regex rules or paths), and only from
sources whose licence allows it (see ``SOURCES.tsv``):

- reliable news: machine-made-media ``reliable_domains.txt`` (Apache-2.0, Hanley & Durumeric).
- content farms / scrapers: content-farm-terminator content-farms, extra-content-farms,
  bad-cloners (MIT per list headers); uBlock-Origin-dev-filter ``all_domains.txt`` (Unlicense);
  BadWebsiteBlocklist (CC0-1.0); Super-SEO-Spam-Suppressor ``sources/domains/Slop/**`` (WTFPL).

Usage: ``python tools/make_provenance_lists.py [SHARED_DIR]``
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$")


def domains_of(path: Path) -> set[str]:
    out = set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.split("#", 1)[0].split(" !", 1)[0].strip().lower()
        if not line or line.startswith(("!", "/", "[", "-")):
            continue
        if line.startswith(("0.0.0.0 ", "127.0.0.1 ")):
            line = line.split()[1]
        m = re.match(r"^\*://(?:\*\.)?([^/]+)/\*$", line)
        if m:
            line = m.group(1)
        line = line.removeprefix("||").removesuffix("^").removeprefix("www.")
        if _DOMAIN.match(line):
            out.add(line)
    return out


def main(shared: Path) -> None:
    bl = shared / "blocklists"
    reliable = domains_of(bl / "machine-made-media" / "reliable_domains.txt")
    farms: set[str] = set()
    for name in ("content-farms", "extra-content-farms", "bad-cloners"):
        farms |= domains_of(bl / "content-farm-terminator" / f"{name}.txt")
    farms |= domains_of(bl / "uBlock-Origin-dev-filter" / "all_domains.txt")
    farms |= domains_of(bl / "BadWebsiteBlocklist" / "uBlacklist.txt")
    for p in sorted((bl / "Super-SEO-Spam-Suppressor" / "sources" / "domains" / "Slop").rglob("*.txt")):
        farms |= domains_of(p)
    farms -= reliable
    data = REPO / "detector" / "data"
    data.mkdir(exist_ok=True)
    (data / "reliable_news_domains.txt").write_text("\n".join(sorted(reliable)) + "\n")
    (data / "farm_domains.txt").write_text("\n".join(sorted(farms)) + "\n")
    print(f"reliable {len(reliable)}, farms {len(farms)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared")
