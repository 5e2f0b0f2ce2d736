"""Errors raised for bad input and failed fits.

Every error that reaches the command line is one of these: the CLI prints its
message (which names the field and the allowed range) and exits with code 2,
never with a traceback.
"""

from __future__ import annotations


class TakeoffError(Exception):
    """Base class for all errors with a user-facing message."""


class ValidationError(TakeoffError):
    """A scenario, parameter or request failed validation.

    The message names the offending field, the value given and what is allowed.
    """


class FitError(TakeoffError):
    """A statistical fit did not converge; no result is reported."""


def brief(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for echoing user input in a message.

    A hostile file can hold a megabyte-long string or a deeply nested array; echoing
    it whole would turn a one-line message into pages.
    """
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # deep nesting; an int over the digit limit
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
