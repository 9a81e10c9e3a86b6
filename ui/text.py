"""User text on screen is shown as the characters typed, never as markup.

Streamlit renders Markdown (with images, links, colour and badge directives, icons and LaTeX) in
``st.markdown``, ``st.caption``, the alert boxes, ``st.toast``, ``st.progress`` text, and in the
labels of most widgets: buttons, checkboxes, expanders, tabs, metrics (label and value) and the
options of radios, pills and segmented controls. A site named ``Plant ![x](http://evil.example/x)``
would make every viewer's browser fetch that address, and ``:green-badge[Final]`` would fake a
status. Every piece of user text (site, organisation and user names, file names, reasons, cell
values, error summaries) that goes into one of those is passed through `md` first.

Not needed (they show plain text): ``st.text``, ``st.code``, ``st.dataframe`` cells, widget
values, and the options of ``st.selectbox`` and ``st.multiselect``.
"""

from __future__ import annotations

import re

MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]<>()#+-.!|~$:=&^/\"'@%")
"""ASCII punctuation with a meaning in CommonMark, GitHub Markdown or Streamlit's extensions
(``:red[..]``, ``:material/icon:``, ``$math$``, emoji ``:name:``, autolinks). CommonMark lets any
ASCII punctuation be escaped with a backslash, so escaping one too many only costs a byte."""


WORD_JOINER = "\u2060"
AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=\bwww)(?=\.)")
"""Where GitHub Markdown would turn plain text into a link (``http://…``, ``www.…``): it finds
them in the text after escapes are resolved, so escaping cannot stop it; an invisible word
joiner there does."""


def md(text: object) -> str:
    """`text` as Markdown that displays exactly those characters, on one line, linking nowhere.

    Line breaks become spaces: user text sits inside a sentence, a heading or a label, and a
    line break there could start a list, a heading or a table of its own."""
    flat = " ".join(str(text).splitlines()) if text is not None else ""
    flat = AUTOLINK.sub(WORD_JOINER, flat)
    return "".join("\\" + char if char in MARKDOWN_PUNCTUATION else char for char in flat)
