"""Tell which single-byte encoding a text file that is not UTF-8 is written in: Windows-1252
(which reads ISO-8859-1 / Latin-1 text the same way) or Mac Roman (old Macintosh exports).

Both decode every byte (bar five Windows-1252 leaves undefined), so decoding cannot fail; what
differs is whether the result reads as text. Each candidate decoding of the file's lines holding
non-ASCII bytes is scored by how plausible its non-ASCII characters are where they stand:

- an accented letter of a Western European language (ä é ñ ß œ ...) is plausible inside or next
  to a word, in the letter case of its neighbours (München, not MŸnchen or MÜnchen);
- a common symbol (° µ € £ § ± × ² – — ' " • …) is plausible between words, not inside one;
- anything else (Š ƒ ˆ ‰ † ™ ﬂ ¸ √ ≈, control characters) is implausible.

A letter inside a word counts for it, one standing alone against it. The candidate with the best
score is chosen when it reaches `MARGIN` points and beats the other by as many; otherwise the file is
refused and the user declares the encoding in the mapping (`encoding: mac_roman`). A general-purpose detector (charset-normalizer) was measured on
short exports and read a German Mac Roman file as Windows-1252 (Ÿ for ü): a register of a few
hundred rows is too short for language statistics, while a misplaced letter is decisive.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

CANDIDATES = ("cp1252", "mac_roman")
MARGIN = 2
_LOWER = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœ")
_UPPER = set("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒ")
_SYMBOLS = set("°µ€£¥¢§©®±×÷²³¹½¼¾–—‘’‚“”„•…«»·¿¡\u00a0")


@dataclass(frozen=True)
class Verdict:
    encoding: str | None
    """The encoding chosen, or None when the candidates cannot be told apart."""
    scores: dict[str, int]


def choose(lines: list[bytes]) -> Verdict:
    """Pick the encoding of `lines` (the file's lines that hold non-ASCII bytes)."""
    scores = {name: sum(_score(line.decode(name, errors="replace")) for line in lines) for name in CANDIDATES}
    if any(b in line for line in lines for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")):
        scores["cp1252"] = min(scores["cp1252"], -1_000)  # bytes Windows-1252 leaves undefined
    ranked = sorted(scores, key=scores.get, reverse=True)
    best, second = ranked[0], ranked[1]
    if scores[best] >= MARGIN and scores[best] - scores[second] >= MARGIN:
        return Verdict(best, scores)
    return Verdict(None, scores)


def refusal(verdict: Verdict, byte: int) -> str:
    """Why no encoding was chosen, naming how each candidate reads `byte`."""
    if all(score < MARGIN for score in verdict.scores.values()):
        return f"byte 0x{byte:02X} is not UTF-8, and neither Windows-1252 nor Mac Roman reads the file as text ({shown_as(byte)})"
    return f"byte 0x{byte:02X} is not UTF-8, and the file reads as Windows-1252 and as Mac Roman alike ({shown_as(byte)})"


def shown_as(byte: int) -> str:
    """How each candidate reads one byte, for messages: "'Ÿ' (cp1252) or 'ü' (mac_roman)"."""
    return " or ".join(f"'{bytes([byte]).decode(n, errors='replace')}' ({n})" for n in CANDIDATES)


def _score(text: str) -> int:
    total = 0
    for i, char in enumerate(text):
        if char < "\x80":
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        in_word = before.isalpha() and after.isalpha()
        weight = 3 if before.isalpha() or after.isalpha() else -1  # a letter standing alone is seldom a word
        if char in _LOWER:
            total += -2 if before.isupper() and after.isupper() and before < "\x80" else weight
        elif char in _UPPER:
            total += -2 if before.islower() else weight
        elif char in _SYMBOLS:
            total += -2 if in_word else 1
        elif char == "\ufffd" or unicodedata.category(char).startswith("C"):
            total -= 4
        else:
            total -= 3
    return total
