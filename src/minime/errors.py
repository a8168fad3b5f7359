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
