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
