"""Order histories: read a brand's orders, turn them into purchase occasions and per-customer
summaries, and split them into a calibration and a holdout period.

Names follow lifetimes / PyMC-Marketing's CLV utilities (`customer_id`, `datetime`,
`monetary_value`, `frequency`, `recency`, `T`), so a CLV analyst knows them:

  read_orders(path_or_frame, columns)  -> one row per order, checked (one-line errors); sim/data reads the
                                          file (encodings, .xlsx, platform exports, sub-orders, refunds)
  occasions(orders)                    -> one row per customer and day (several orders on one day
                                          are one purchase occasion, as in Fader, Hardie & Lee 2005)
  summary_data_from_transaction_data(occ, observation_end) -> per-customer frequency, recency, T, spend
  calibration_and_holdout_data(occ, holdout_from)          -> the cohort split
  load_cdnow()                         -> the CDNOW sample that BTYD packages ship (if one is installed)

Errors are `UsageError`s of one line naming the file, the line (header = line 1), the column
and the value, and what is allowed.
"""
from __future__ import annotations

import warnings
from importlib import metadata
from pathlib import Path

import pandas as pd

from .. import data
from ..core.errors import UsageError
from ..data import Recognised
from ..data.columns import CHANNEL_NAMES, SHAPING_COLUMNS  # noqa: F401  (CHANNEL_NAMES: part of this module's API)

REQUIRED = ("customer_id", "date", "amount")
OPTIONAL = ("channel", "joined_pool", "returned")
MAPPABLE = REQUIRED + OPTIONAL + SHAPING_COLUMNS    # what --columns may name (sim/data/columns.py)
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
        if k not in MAPPABLE:
            raise UsageError(f"--columns {k!r}: not a column name; allowed: {', '.join(MAPPABLE)}")
        if k in out:
            raise UsageError(f"--columns {k!r}: given twice ({out[k]!r} and {v!r}); map each column once")
        out[k] = v
    return out


def read_orders_report(orders, columns: dict[str, str] | None = None) -> tuple[pd.DataFrame, Recognised]:
    """`read_orders`' table and what was recognised in the file (platform, encoding, the header of each
    column, rows dropped and why, orders and customers after merging): `calibrate --dry-run` prints it."""
    return data.read_orders(orders, columns)


def read_orders(orders, columns: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per order: customer_id (str), date (day), amount (float >= 0), channel (one of
    CHANNEL_NAMES), joined_pool (day or NaT; column present only if the data has it), returned (bool).
    `orders` is a path (CSV or tab-separated text in UTF-8, GBK or UTF-16; .xlsx; a platform's export:
    sim/data, docs/data.md) or a DataFrame; `columns` maps standard names to the file's headers.
    What the reader had to assume (masked phones as customer keys, rounded order ids) comes as warnings."""
    table, rec = read_orders_report(orders, columns)
    for note in rec.notes:
        warnings.warn(f"{rec.source}: {note}", stacklevel=2)
    return table


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
                         f"at least {MIN_CUSTOMERS} customers, {MIN_REPEAT_OCCASIONS} repeat purchases (a customer buying "
                         f"again on a later day) and {MIN_CALIBRATION_DAYS} days")


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


def fit_refusal(table: pd.DataFrame, source: str) -> str | None:
    """Why a fit would refuse the orders `table` read from `source` (check_enough's reason), None when it would
    take them."""
    try:
        check_enough(occasions(table), source)
    except UsageError as exc:
        return str(exc).split(": ", 1)[-1]
    return None


def dry_run(orders, columns: dict[str, str] | None = None) -> str:
    """calibrate --dry-run's text: what was recognised in the orders file, and whether a fit would take them."""
    table, rec = read_orders_report(orders, columns)
    lines = [rec.text()]
    refused = fit_refusal(table, rec.source)
    lines.append(f"  fit: enough data (at least {MIN_CUSTOMERS} customers, {MIN_REPEAT_OCCASIONS} repeat purchases, "
                 f"{MIN_CALIBRATION_DAYS} days)" if refused is None else f"  fit: would be refused: {refused}")
    lines.append("nothing written, nothing fitted (--dry-run)")
    return "\n".join(lines)
