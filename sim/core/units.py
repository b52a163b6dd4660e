"""Calendar units every layer shares: the one length of a month in days (a Gregorian year / 12)."""
from __future__ import annotations

DAYS_PER_MONTH = 365.25 / 12     # 30.4375: monthly rates, monthly hazards, the payback month
DAYS_PER_YEAR = 365.25
