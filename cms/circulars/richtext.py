"""Plain letter text (paragraphs separated by a blank line) to and from the body's rich text."""

import re
from html import escape, unescape
from html.parser import HTMLParser

_BLOCKS = {"p", "li", "h2", "h3", "h4", "blockquote", "div"}


def paragraphs_to_html(text: str) -> str:
    """Blank lines separate paragraphs; a single line break stays a line break."""
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + "<br/>".join(escape(line.strip()) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []

    def _flush(self) -> None:
        text = "".join(self.current).strip()
        if text:
            self.paragraphs.append("\n".join(line.strip() for line in text.split("\n")))
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.current.append("\n")
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        self.current.append(data)


def html_to_paragraphs(html: str) -> str:
    """The rich text's words, paragraphs separated by a blank line."""
    collector = _TextCollector()
    collector.feed(html or "")
    collector.close()
    collector._flush()
    return "\n\n".join(collector.paragraphs)


_TAG = re.compile(r"<[^>]*>")


def html_to_text(html: str) -> str:
    """The rich text's words with tags turned into spaces: fast, for indexing."""
    return unescape(_TAG.sub(" ", html or ""))
