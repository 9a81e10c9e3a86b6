"""The only way weasyprint may load anything: files of exports/templates/ and our own charts.

Served: `file:` URLs that resolve (symlinks and `..` included) to a file inside the templates
folder, and `chart:NAME` for the SVGs this render produced. Refused, and recorded in `refused`:
every other file, http(s), data:, ftp and any other scheme. User text is escaped before it reaches
HTML, so it never becomes a URL at all; this fetcher is the second wall.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

TEMPLATES = (Path(__file__).resolve().parent / "templates").resolve()
CHART_SCHEME = "chart:"


class TemplateOnlyFetcher(URLFetcher):
    """`charts` maps chart names to the SVG bytes drawn for this render, or is a pending drawing
    (anything with `result()` returning that mapping; with `names` and `get(name)` as well, each
    chart is awaited on its own when it is fetched)."""

    def __init__(self, charts=None) -> None:
        super().__init__(allowed_protocols=("file", "chart"), allow_redirects=False)
        self._charts = charts if hasattr(charts, "result") else dict(charts or {})
        self.served: list[str] = []
        self.refused: list[str] = []

    @property
    def charts(self) -> dict[str, bytes]:
        if hasattr(self._charts, "result"):
            self._charts = dict(self._charts.result())
        return self._charts

    def chart(self, name: str) -> bytes | None:
        """One chart's SVG, waiting only for that chart if it is still being drawn; None if the
        render has no chart of that name."""
        pending = self._charts
        if hasattr(pending, "get") and hasattr(pending, "names"):
            return pending.get(name) if name in pending.names else None
        return self.charts.get(name)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith(CHART_SCHEME):
            name = url[len(CHART_SCHEME):]
            svg = self.chart(name)
            if svg is not None:
                self.served.append(url)
                return URLFetcherResponse(url, svg, {"Content-Type": "image/svg+xml"})
        elif url.startswith("file:"):
            path = _template_file(url)
            if path is not None:
                self.served.append(url)
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url!r}: reports load only their own templates and charts")


def _template_file(url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if path.is_relative_to(TEMPLATES) and path.is_file():
        return path
    return None
