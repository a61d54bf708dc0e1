"""Warnings and notes the core hands to the views: a stable code and a message.

Scripts match the code (kebab-case, listed in docs/codes.md), never the prose; the message
is in the language active when the notice was made, so the core makes it after the CLI has
chosen the language.
"""

from __future__ import annotations

from typing import NamedTuple


class Notice(NamedTuple):
    """One warning or note: what kind it is, for scripts, and what it says, for people."""

    code: str
    message: str
