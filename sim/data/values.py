"""Field values as exports write them: text cleaned, Chinese dates, amounts with currency signs and
thousands separators, ids a spreadsheet rounded, and the one-line refusal naming file, line, column, value.

  clean(series)        text, surrounding (also full-width) spaces removed, Excel's ="..." text wrapper unwrapped
  days(series)         the day of each value (NaT if blank or not a date): 2024-01-01, 2024/1/1 13:05,
                       2024.1.1, 2024年1月1日, 20240101, 2024-01-01 13:05:06, ISO with offsets (local
                       day kept), Excel day numbers (a whole column of them)
  amounts(series)      a float per value (NaN if not a number): 1,144.60, ￥1,144.60, ¥1,144.60, 114.46 元,
                       RMB 12, full-width digits
  rounded_ids(series)  True where an id reads like 1.38607E+10 (a number a spreadsheet rounded)
  check_span(...)      refuses a date that stretches the history past MAX_SPAN_YEARS
"""
from __future__ import annotations

import pandas as pd
from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

from ..core.errors import UsageError, quote
from .columns import STRIP

MAX_SPAN_YEARS = 10
FULL_WIDTH_CHARS = "０１２３４５６７８９．，－＋："
FULL_WIDTH = str.maketrans(FULL_WIDTH_CHARS, "0123456789.,-+:")
_DATE = (r"^(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]?\s*(\d{1,2})\s*日?"
         r"(?:(?:[T\s]+|(?=[上下午AaPp]))(?:上午|下午|[AaPp][Mm])?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*"
         r"(?:[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?\s*(?:上午|下午|[AaPp][Mm])?"
         r"\s*(?:Z|[+-]\d{2}:?\d{2})?)?$")    # the time only has to be a time: the day is kept (also with an offset)
YEARS = (pd.Timestamp("1900-01-01"), pd.Timestamp("2199-12-31 23:59:59"))   # days outside are not read as dates
EXCEL_SERIAL = (20000, 80000)      # day numbers Excel writes for 1954 .. 2119 (origin 1899-12-30)
PLACEHOLDERS = frozenset({"-", "--", "—", "——", "null", "NULL", "Null", "无", "N/A", "n/a", "#N/A", "0000-00-00",
                          "0000-00-00 00:00:00", "0000-00-00 00:00"})
_AMOUNT_NOISE = r"[￥¥$,\s\u3000元]|RMB|CNY|人民币"
ROUNDED_ID = r"^[+-]?\d+(?:\.\d+)?[eE]\+\d+$"


def refuse(table, header: str, i: int, value, what: str):
    """UsageError: `file: line L, column 'H': 'value' what` (the value quoted at most ~80 characters)."""
    raise UsageError(f"{table.source}: line {table.line(i)}, column {quote(header)}: {quote(value)} {what}")


def clean(s: pd.Series) -> pd.Series:
    """Text of each value: surrounding spaces (also full-width, BOM) stripped, ="..." unwrapped, full-width
    digits and signs made ASCII; missing and PLACEHOLDERS (-, null, 无, 0000-00-00 ...) -> ''. Typed
    (numeric, date) columns are returned as they are."""
    if is_datetime64_any_dtype(s) or is_numeric_dtype(s):
        return s
    vals = s.to_numpy(dtype=object, na_value="")
    try:
        out = [x.strip(STRIP) for x in vals]
    except (AttributeError, TypeError):          # a frame's column of mixed objects
        out = [x.strip(STRIP) if isinstance(x, str) else "" if x is None or x != x else str(x).strip(STRIP)
               for x in vals]
    out = [("" if x in PLACEHOLDERS else x) for x in out]
    joined = "\x00".join(out)
    if '="' in joined:
        out = [x[2:-1].strip(STRIP) if len(x) >= 3 and x.startswith('="') and x.endswith('"') else x for x in out]
    if any(c in joined for c in FULL_WIDTH_CHARS):
        out = [x.translate(FULL_WIDTH) for x in out]
    return pd.Series(out, index=s.index, dtype=object)


def blank(s: pd.Series) -> pd.Series:
    """True where a value is missing or empty text."""
    if is_datetime64_any_dtype(s) or is_numeric_dtype(s):
        return s.isna()
    return s.isna() | (s.astype(object) == "")


def days(s: pd.Series) -> tuple[pd.Series, str | None]:
    """(the day of each value of `s` (text as `clean` leaves it, or typed), NaT where blank or unreadable;
    'serial' when the column holds Excel's day numbers, else None). ISO text is read by pandas' fast path,
    the rest (2024/1/1, 2024年1月1日, 2024.1.1 13:05, 20240101, times with a UTC offset: the local day) by a
    pattern of year, month, day and an optional time. A column whose every value is a whole number in
    EXCEL_SERIAL is read as Excel's day numbers (a date column saved as General)."""
    if is_datetime64_any_dtype(s):
        d = s.dt.tz_localize(None) if s.dt.tz is not None else s
        return d.dt.normalize().astype("datetime64[us]"), None
    t = s.astype(str)
    given = t[t != ""]
    if len(given) and given.str.fullmatch(r"\d{5}(?:\.0+)?").all():
        n = pd.to_numeric(given)
        if n.between(*EXCEL_SERIAL).all():
            out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[us]")
            out[given.index] = (pd.Timestamp("1899-12-30") + pd.to_timedelta(n.astype(int), unit="D")).astype("datetime64[us]")
            return out, "serial"
    try:
        out = pd.to_datetime(t, format="ISO8601", errors="coerce")
        if out.dt.tz is not None:
            out = out.dt.tz_localize(None)
        out = out.astype("datetime64[us]")
    except (ValueError, TypeError, OverflowError):      # offsets mixed with plain times: every value by the slow path
        out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[us]")
    rest = out.isna() & (t != "")
    if rest.any():
        tr = t[rest]
        parts = tr.str.extract(_DATE)
        whole = pd.DataFrame({"year": pd.to_numeric(parts[0]), "month": pd.to_numeric(parts[1]),
                              "day": pd.to_numeric(parts[2])})
        ok_time = ~(pd.to_numeric(parts[3]).fillna(0).gt(23) | pd.to_numeric(parts[4]).fillna(0).gt(59)
                    | pd.to_numeric(parts[5]).fillna(0).gt(60))
        got = pd.to_datetime(whole.where(parts[0].notna()), errors="coerce").where(ok_time)
        out[rest] = got.astype("datetime64[us]")
        other = rest & out.isna() & parts[0].isna().reindex(t.index, fill_value=False)
        for i in other.index[other.to_numpy()]:        # any other form dateutil reads (e.g. 'Jan 5 2024'), one by one
            try:
                v = pd.Timestamp(t[i])
                out[i] = (v.tz_localize(None) if v.tz is not None else v).as_unit("us")
            except (ValueError, TypeError, OverflowError):
                pass
    out = out.where(out.between(*YEARS))       # a year 5 or 9999 is no order's: refused as not a date
    return out.dt.normalize(), None


def amounts(s: pd.Series) -> pd.Series:
    """A float per value of `s` (text as `clean` leaves it, or numbers) (NaN where blank or not a number): currency signs, 元, spaces and thousands
    separators removed, full-width digits read."""
    if is_numeric_dtype(s) and not s.dtype == bool:
        return s.astype(float)
    t = s.astype(str)
    out = pd.to_numeric(t.where(t != ""), errors="coerce").astype(float)
    rest = out.isna() & (t != "")
    if rest.any():
        plain = t[rest].str.replace(_AMOUNT_NOISE, "", regex=True)
        out[rest] = pd.to_numeric(plain.where(plain != ""), errors="coerce").astype(float)
    return out


def rounded_ids(s: pd.Series) -> pd.Series:
    """True where an id is written like 1.38607E+10: a long number a spreadsheet showed (and saved) rounded."""
    if is_numeric_dtype(s) or "e+" not in "\x00".join(s.to_numpy(dtype=object, na_value="")).lower():
        return pd.Series(False, index=s.index)
    return s.astype(str).str.match(ROUNDED_ID)


def check_span(table, header: str, d: pd.Series, raw: pd.Series, reference: pd.Series | None = None) -> None:
    """Refuse the first value of `d` (days indexed by data row, `raw` their text) that stretches the
    history (with `reference`, the orders' days, those too) past MAX_SPAN_YEARS: of `d`'s earliest
    and latest day, the one farther from the median day."""
    vals = d.dropna()
    ref = vals if reference is None else reference.dropna()
    if vals.empty or ref.empty:
        return
    lo, hi, mid = min(vals.min(), ref.min()), max(vals.max(), ref.max()), ref.median()
    if (hi - lo).days <= round(MAX_SPAN_YEARS * 365.25):
        return
    bad_day = vals.min() if (mid - vals.min()) >= (vals.max() - mid) else vals.max()
    i = vals.index[vals == bad_day][0]
    refuse(table, header, i, raw.loc[i],
           f"would stretch the history to {(hi - lo).days / 365.25:.0f} years ({lo.date()} .. {hi.date()}); allowed: "
           f"at most {MAX_SPAN_YEARS} years (a placeholder date such as 1970-01-01, or a mistyped year?)")
