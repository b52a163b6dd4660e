"""customers.csv (pool.initial_from): the day-0 customers of a calibrated history, read and checked.

`read_customers(path)` is the one reader of such a file: `load_scenario` calls it when a scenario
names one (so `python -m sim validate` refuses a bad file) and the engine seeds the run from what it
returns (sim/mechanisms/history.py). The file is what `python -m sim calibrate` writes
(sim/lab/calibrate.py `customers_table`), one row per customer:

  customer_id           text, not empty, each once
  first_order_days_ago  whole number of days, 0 .. MAX_DAYS_AGO
  last_order_days_ago   whole number of days, 0 .. first_order_days_ago
  orders                whole number, 1 .. MAX_ORDERS
  spend                 RMB kept (after returns), 0 .. MAX_SPEND
  in_pool               0 or 1

Other columns pass (read as numbers where every filled cell is one). A bad file is refused with
one line naming the file, the line (header = line 1), the column and the value (ScenarioError).
"""
from __future__ import annotations

import csv
import functools
import os

import numpy as np
import pandas as pd

from .errors import ScenarioError, quote
from .files import MAX_DATA_BYTES, oversize

CUSTOMER_COLUMNS = ("customer_id", "first_order_days_ago", "last_order_days_ago", "orders", "spend", "in_pool")
ORDER_COLUMNS = ("customer_id", "date", "amount")   # an order history (sim/lab/orders.py), named in a hint
MAX_DAYS_AGO = 3650          # ten years: the longest horizon a scenario simulates, so the longest history calibrate fits
MAX_ORDERS = 1_000_000
MAX_SPEND = 1e12             # RMB per customer


def read_customers(path: str, copy: bool = True) -> pd.DataFrame:
    """The customers.csv at `path`, every cell checked (see the module docstring): the needed columns typed
    (customer_id str, days, orders and in_pool int64, spend float64) and any other columns. Raises
    ScenarioError. Read once per file version (cached by the file's identity, size and modification time);
    `copy=False` returns the cached frame itself, for a caller that only checks the file (do not change it)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise ScenarioError(f"{path} (pool.initial_from)", None, None,
                            f"cannot read the file ({exc.strerror or exc})") from None
    df = _read(str(path), st.st_ino, st.st_size, st.st_mtime_ns)
    return df.copy() if copy else df


@functools.lru_cache(maxsize=4)
def _read(path: str, _ino: int, _size: int, _mtime: int) -> pd.DataFrame:
    source = f"{path} (pool.initial_from)"

    def refuse(what: str):
        raise ScenarioError(source, None, None, what)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        refuse(f"cannot read the file ({exc.strerror or exc})")
    try:
        with fh:
            too_big = oversize(os.fstat(fh.fileno()).st_size, MAX_DATA_BYTES, "a customers.csv")
            if too_big:
                refuse(too_big)
            df = pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8-sig", index_col=False)
    except ScenarioError:
        raise
    except pd.errors.EmptyDataError:
        refuse("the file is empty; expected the customers.csv that `python -m sim calibrate` writes")
    except UnicodeDecodeError:
        refuse("not UTF-8 text; expected the customers.csv that `python -m sim calibrate` writes")
    except (pd.errors.ParserError, ValueError, OSError) as exc:
        refuse(f"not a customers.csv written by `python -m sim calibrate` (not a readable CSV file: "
               f"{quote(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)})")
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in CUSTOMER_COLUMNS if c not in df.columns]
    if missing:
        orders = all(c in df.columns for c in ORDER_COLUMNS)
        refuse(f"missing column(s) {', '.join(missing)}; "
               + ("this is an order history: run `python -m sim calibrate FILE --out DIR` and name DIR/customers.csv"
                  if orders else f"a customers.csv written by `python -m sim calibrate` has {', '.join(CUSTOMER_COLUMNS)}"))
    if len(df) == 0:
        refuse("the file has a header but no customers")
    cells = {c: df[c].str.strip() for c in CUSTOMER_COLUMNS}

    def check(column: str, ok, problem: str):
        """Refuse the first row where `ok` is False: "line N, column C: PROBLEM" ({value} is the cell)."""
        bad = np.flatnonzero(~np.asarray(ok, dtype=bool))
        if len(bad):
            i = int(bad[0])
            refuse(f"line {_line(path, i)}, column {column!r}: " + problem.format(value=quote(df[column].iloc[i])))

    for c in CUSTOMER_COLUMNS:
        check(c, cells[c] != "", "empty; every customer needs a value")
    check("customer_id", ~cells["customer_id"].duplicated(), "{value} appears twice; keep one row per customer")
    out = pd.DataFrame({"customer_id": cells["customer_id"]})
    allowed = {"first_order_days_ago": (0, MAX_DAYS_AGO, f"a whole number of days in 0 .. {MAX_DAYS_AGO} (ten years)"),
               "last_order_days_ago": (0, MAX_DAYS_AGO, f"a whole number of days in 0 .. {MAX_DAYS_AGO} (ten years)"),
               "orders": (1, MAX_ORDERS, f"a whole number of orders, at least 1 (at most {MAX_ORDERS:,})"),
               "spend": (0, MAX_SPEND, f"a number of RMB, digits only (e.g. 1200.50), at least 0 (at most {MAX_SPEND:g})"),
               "in_pool": (0, 1, "0 or 1")}
    for c in CUSTOMER_COLUMNS[1:]:
        lo, hi, what = allowed[c]
        num = pd.to_numeric(cells[c], errors="coerce").to_numpy(dtype=float)
        whole = c != "spend"
        check(c, np.isfinite(num) & (num >= lo) & (num <= hi) & ((num == np.round(num)) | (not whole)),
              "{value} is not " + what)
        out[c] = num.astype(np.int64) if whole else num
    check("last_order_days_ago", out["last_order_days_ago"] <= out["first_order_days_ago"],
          "{value} is more than first_order_days_ago on that line; the last order cannot come before the first")
    for c in df.columns:
        if c not in out:
            out[c] = _numbers_if_all(df[c])
    return out


def _numbers_if_all(column: pd.Series) -> pd.Series:
    """An extra column as numbers (empty cells NaN) if every filled cell is one, else as read (text)."""
    text = column.str.strip()
    num = pd.to_numeric(text.where(text != ""), errors="coerce")
    return num if (num.notna() | (text == "")).all() else column


def _line(path: str, row: int) -> int:
    """The line (header = 1) where data row `row` (0-based, blank lines skipped as pandas does) starts."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader, end, k = csv.reader(fh), 1, -1
            next(reader, None)
            end = reader.line_num
            for record in reader:
                if record:
                    k += 1
                    if k == row:
                        return end + 1
                end = reader.line_num
    except (OSError, UnicodeDecodeError, csv.Error):
        pass
    return row + 2
