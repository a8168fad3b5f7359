"""Errors a user can cause. Each carries one line that names the problem and what is allowed."""


class MinimeError(Exception):
    """A problem with the user's input or request; the CLI prints it on one line and exits 2."""


class PhotoError(MinimeError):
    """The photo cannot be used."""


class SpecError(MinimeError):
    """The figure spec breaks a rule."""


class LookError(MinimeError):
    """The photo has no usable face (none, too small, too many)."""


class UnknownNameError(MinimeError):
    """An unknown engine, template, size or other registry name."""


class MissingExtraError(MinimeError):
    """An optional dependency is not installed; the message says how to install it."""


def did_you_mean(word: str, allowed) -> str:
    """" (did you mean 'x'?)" for the allowed name closest to a mistyped one, or "" when none is close."""
    import difflib

    hint = difflib.get_close_matches(word, list(allowed), n=1)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


# Every bidi formatting character: the marks (ALM, LRM, RLM), the embeddings, overrides and isolates, which can
# make text display as something else ("Trojan Source"). Names refuse them; the box sets each name's direction.
BIDI_CONTROLS = frozenset(chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)))

# What would change how a terminal, a spreadsheet or a page shows the text around it: the C0 and C1 controls
# (ESC, BEL, NUL, ...), DEL, the line and paragraph separators, and the bidi controls.
_SHOWN = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}
_SHOWN.update({ord("\t"): "\\t", ord("\n"): "\\n", ord("\r"): "\\r"})
_SHOWN.update({c: f"U+{c:04X}" for c in (0x2028, 0x2029, *map(ord, BIDI_CONTROLS))})


def printable(text: object) -> str:
    """User text as a message, a CSV cell or a page echoes it: control characters as `\\x1b`, bidi controls and
    line separators as `U+202E`, everything else as it is."""
    return str(text).translate(_SHOWN)
