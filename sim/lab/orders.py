"""Order histories: read a brand's orders, turn them into purchase occasions and per-customer
summaries, and split them into a calibration and a holdout period.

Names follow lifetimes / PyMC-Marketing's CLV utilities (`customer_id`, `datetime`,
`monetary_value`, `frequency`, `recency`, `T`), so a CLV analyst knows them:

  read_orders(path_or_frame, columns)  -> one row per order, checked (one-line errors)
  occasions(orders)                    -> one row per customer and day (several orders on one day
                                          are one purchase occasion, as in Fader, Hardie & Lee 2005)
  summary_data_from_transaction_data(occ, observation_end) -> per-customer frequency, recency, T, spend
  calibration_and_holdout_data(occ, holdout_from)          -> the cohort split
  load_cdnow()                         -> the CDNOW sample that BTYD packages ship (if one is installed)

Errors are `UsageError`s of one line naming the file, the line (header = line 1), the column
and the value, and what is allowed.
"""
from __future__ import annotations

import csv
import difflib
import warnings
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import UsageError
from ..core.files import MAX_DATA_BYTES, oversize

REQUIRED = ("customer_id", "date", "amount")
OPTIONAL = ("channel", "joined_pool", "returned")
CHANNEL_NAMES = ("douyin", "xiaohongshu", "ecommerce", "other")
MIN_CUSTOMERS = 200          # below this a repeat-purchase fit is meaningless (the summary shares
MIN_REPEAT_OCCASIONS = 100   # would be off by several points from sampling alone)
MIN_CALIBRATION_DAYS = 28


def parse_columns(text: str | None) -> dict[str, str]:
    """`customer_id=cust,date=day,amount=value` -> {standard name: header in the file}."""
    out: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        if "=" not in item:
            raise UsageError(f"--columns {item!r}: expected NAME=HEADER, e.g. customer_id=user,date=order_time,amount=paid")
        k, v = (s.strip() for s in item.split("=", 1))
        if k not in REQUIRED + OPTIONAL:
            raise UsageError(f"--columns {k!r}: not a column name; allowed: {', '.join(REQUIRED + OPTIONAL)}")
        if k in out:
            raise UsageError(f"--columns {k!r}: given twice ({out[k]!r} and {v!r}); map each column once")
        out[k] = v
    return out


def _check_header(path: Path, source: str) -> None:
    """A header that names a column twice is refused (pandas would read the first and rename the other)."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        header = [h.strip() for h in next(csv.reader(fh), [])]
    seen = set()
    for h in header:
        if h in seen and h:
            raise UsageError(f"{source}: the header names column {h!r} twice; keep one")
        seen.add(h)


def _first_long_row(path: Path) -> tuple[int, int]:
    """(line number, header fields) of the first row with more fields than the header (1 = header)."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = csv.reader(fh)
        n = len(next(rows, []))
        for row in rows:
            if len(row) > n:
                return rows.line_num, n
    return 0, n


def _closest(name: str, headers) -> str:
    near = difflib.get_close_matches(name, [str(h) for h in headers], n=1, cutoff=0.4)
    return f" (closest: {near[0]!r})" if near else ""


def _first_bad(raw: pd.Series, ok: pd.Series, source: str, column: str, allowed: str):
    bad = np.flatnonzero(~ok.to_numpy())
    if len(bad):
        i = bad[0]
        raise UsageError(f"{source}: line {i + 2}, column {column!r}: {raw.iloc[i]!r} is not {allowed}")


def _dates(raw: pd.Series, source: str, column: str, optional: bool = False) -> pd.Series:
    text = raw.astype("string").str.strip()
    blank = text.isna() | (text == "")
    if blank.any() and not optional:
        _first_bad(raw, ~blank, source, column, "a date (empty)")
    try:
        parsed = pd.to_datetime(text.where(~blank), errors="coerce", format="mixed")
    except ValueError:  # e.g. several time-zone offsets in one column
        raise UsageError(f"{source}: column {column!r} mixes time zones; give local dates without offsets") from None
    _first_bad(raw, blank | parsed.notna(), source, column, "a date (ISO, e.g. 2024-03-31 or 2024-03-31 14:05)")
    return parsed.dt.tz_localize(None).dt.normalize() if parsed.dt.tz is not None else parsed.dt.normalize()


def read_orders(orders, columns: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per order: customer_id (str), date (day), amount (float >= 0), channel (one of
    CHANNEL_NAMES), joined_pool (day or NaT; column present only if the data has it), returned (bool).
    `orders` is a CSV path or a DataFrame; `columns` maps standard names to the file's headers."""
    source = str(orders) if not isinstance(orders, pd.DataFrame) else "<orders frame>"
    if isinstance(orders, pd.DataFrame):
        df = orders.copy()
    else:
        path = Path(orders)
        if not path.is_file():
            raise UsageError(f"{source}: {'a folder, not a file' if path.is_dir() else 'no such file'}")
        too_big = oversize(path.stat().st_size, MAX_DATA_BYTES, "an orders file")   # before reading a byte
        if too_big:
            raise UsageError(f"{source}: {too_big}; keep the columns the fit reads, or a shorter period")
        try:
            _check_header(path, source)
            with warnings.catch_warnings():      # a row longer than the header: pandas would drop or shift fields
                warnings.simplefilter("error", pd.errors.ParserWarning)
                df = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True, encoding="utf-8-sig",
                                 index_col=False)
        except (pd.errors.ParserWarning, pd.errors.ParserError) as exc:
            line, n = _first_long_row(path)
            if line:
                raise UsageError(f"{source}: line {line} has more fields than the header's {n} (a comma inside a "
                                 "value needs quotes, e.g. \"1,299.00\")") from None
            raise UsageError(f"{source}: not a readable CSV file ({str(exc).splitlines()[0]})") from None
        except pd.errors.EmptyDataError:
            raise UsageError(f"{source}: the file is empty (expected a header line and one row per order)") from None
        except UnicodeDecodeError:
            raise UsageError(f"{source}: not UTF-8 text (e.g. GBK from Excel): save it as CSV UTF-8") from None
    df.columns = [str(c).strip() for c in df.columns]
    mapping = dict(columns or {})
    for name in REQUIRED + OPTIONAL:
        header = mapping.get(name, name)
        if header not in df.columns:
            if name in REQUIRED or name in mapping:
                raise UsageError(f"{source}: missing column {header!r}{_closest(header, df.columns)}; required: "
                                 f"{', '.join(REQUIRED)} (map other headers with --columns {name}=HEADER)")
        mapping[name] = header
    if len(df) == 0:
        raise UsageError(f"{source}: the file has a header but no orders")
    out = pd.DataFrame({"customer_id": df[mapping["customer_id"]].astype("string").str.strip()})
    _first_bad(df[mapping["customer_id"]], out["customer_id"].fillna("") != "", source, mapping["customer_id"],
               "a customer id (empty)")
    out["date"] = _dates(df[mapping["date"]], source, mapping["date"])
    raw = df[mapping["amount"]]
    amount = pd.to_numeric(raw.astype("string").str.strip().str.replace(",", "", regex=False), errors="coerce")
    _first_bad(raw, amount.notna() & np.isfinite(amount.fillna(0)), source, mapping["amount"], "a number")
    _first_bad(raw, amount >= 0, source, mapping["amount"], "allowed (negative amount; record refunds in 'returned')")
    out["amount"] = amount.astype(float)
    if mapping["channel"] in df.columns:
        ch = df[mapping["channel"]].astype("string").str.strip().str.lower().replace("", "other").fillna("other")
        _first_bad(df[mapping["channel"]], ch.isin(CHANNEL_NAMES), source, mapping["channel"],
                   f"a channel ({' / '.join(CHANNEL_NAMES)})")
        out["channel"] = ch.astype(str)
    else:
        out["channel"] = "other"
    if mapping["joined_pool"] in df.columns:
        out["joined_pool"] = _dates(df[mapping["joined_pool"]], source, mapping["joined_pool"], optional=True)
    if mapping["returned"] in df.columns:
        r = df[mapping["returned"]].astype("string").str.strip().replace("", "0").fillna("0")
        _first_bad(df[mapping["returned"]], r.isin(["0", "1"]), source, mapping["returned"], "0 or 1")
        out["returned"] = r == "1"
    else:
        out["returned"] = False
    out.attrs["source"] = source
    return out.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)


def occasions(orders: pd.DataFrame) -> pd.DataFrame:
    """One row per customer and day: amount summed, returned if every order that day was returned,
    channel of the day's first order, the customer's pool-joining day; `first` marks each customer's first day."""
    agg = {"amount": "sum", "returned": "all", "channel": "first"}
    if "joined_pool" in orders:
        agg["joined_pool"] = "min"
    occ = orders.groupby(["customer_id", "date"], sort=True, as_index=False).agg(agg)
    if "joined_pool" in occ:  # one value per customer
        occ["joined_pool"] = occ.groupby("customer_id")["joined_pool"].transform("min")
    occ["first"] = ~occ.duplicated("customer_id")
    occ.attrs.update(orders.attrs)
    return occ


def summary_data_from_transaction_data(occ: pd.DataFrame, observation_end, start=None) -> pd.DataFrame:
    """Per customer first seen on or before `observation_end`: frequency (repeat occasions), recency
    (days from first to last occasion), T (days from first occasion to the end), monetary_value
    (mean value of repeat occasions, 0 without), first_day, channel and (if known) joined_pool."""
    end = pd.Timestamp(observation_end)
    o = occ[occ["date"] <= end]
    g = o.groupby("customer_id", sort=True)
    first, last = g["date"].min(), g["date"].max()
    rep = o[~o["first"]].groupby("customer_id")["amount"]
    out = pd.DataFrame({"frequency": g.size() - 1, "recency": (last - first).dt.days, "T": (end - first).dt.days,
                        "monetary_value": rep.mean().reindex(first.index).fillna(0.0),
                        "first_day": first, "channel": g["channel"].first()})
    if "joined_pool" in o:
        out["joined_pool"] = g["joined_pool"].first()
    out.index.name = "customer_id"
    return out


def calibration_and_holdout_data(occ: pd.DataFrame, holdout_from) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cohort split: occasions before `holdout_from` (calibration) and the later occasions of the
    customers first seen before it (holdout). Customers first seen later are in neither."""
    cut = pd.Timestamp(holdout_from)
    cal = occ[occ["date"] < cut]
    known = occ["customer_id"].isin(cal["customer_id"].unique())
    return cal.reset_index(drop=True), occ[(occ["date"] >= cut) & known].reset_index(drop=True)


def check_enough(occ: pd.DataFrame, source: str, what: str = "the file") -> None:
    """Refuse a history too small for a fit to mean anything, saying how much is needed."""
    n = occ["customer_id"].nunique()
    reps = int((~occ["first"]).sum())
    days = (occ["date"].max() - occ["date"].min()).days + 1
    if n < MIN_CUSTOMERS or reps < MIN_REPEAT_OCCASIONS or days < MIN_CALIBRATION_DAYS:
        raise UsageError(f"{source}: {what} has {n} customers, {reps} repeat purchases over {days} days; a fit needs "
                         f"at least {MIN_CUSTOMERS} customers, {MIN_REPEAT_OCCASIONS} repeat purchases and "
                         f"{MIN_CALIBRATION_DAYS} days")


def cdnow_path() -> Path | None:
    """CDNOW_sample.txt as shipped inside an installed `lifetimes` or `btyd` package (MIT / Apache), or None."""
    for dist in ("lifetimes", "btyd"):
        try:
            files = metadata.files(dist) or []
        except metadata.PackageNotFoundError:
            continue
        for f in files:
            if f.name == "CDNOW_sample.txt":
                p = Path(f.locate())
                if p.is_file():
                    return p
    return None


def load_cdnow() -> pd.DataFrame:
    """The CDNOW sample (Fader & Hardie: 2,357 customers who first bought in Q1 1997, followed to
    June 1998; US dollars) as an order table with customer_id, date, amount."""
    p = cdnow_path()
    if p is None:
        raise UsageError("the CDNOW sample is not installed: pip install lifetimes (it ships CDNOW_sample.txt)")
    raw = pd.read_csv(p, sep=r"\s+", header=None, names=["master_id", "customer_id", "date", "cds", "amount"],
                      dtype={"customer_id": str, "date": str})
    return pd.DataFrame({"customer_id": raw["customer_id"], "date": pd.to_datetime(raw["date"], format="%Y%m%d").dt.date.astype(str),
                         "amount": raw["amount"]})
