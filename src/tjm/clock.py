"""Today's date, or the one TJM_TODAY names, so a run can be reproduced on another day."""

from __future__ import annotations

import datetime as dt
import os

from tjm.errors import UsageError, labelled
from tjm.i18n import _


def today() -> dt.date:
    """Return TJM_TODAY (YYYY-MM-DD) when set, else the system's date."""
    text = os.environ.get("TJM_TODAY", "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problem = _("expected a date as YYYY-MM-DD, got {value}").format(value=repr(text))
        raise UsageError(labelled("TJM_TODAY", problem), code="bad-date") from None
