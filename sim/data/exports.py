"""Orders and contacts from a platform's export, or any table whose headers sim/data/columns.py knows,
into the standard frames (docs/data.md). Every refusal is one UsageError line naming the file, the
line, the column and the value.

read_orders(source, columns) -> (orders, Recognised)
  One row per order: customer_id (str), date (day), amount (float >= 0), channel, joined_pool (when the
  file has it), returned (bool): the contract of sim/lab/orders.py `read_orders`.
  Dropped, and counted by reason: empty rows; unpaid orders (an empty payment time, or an unpaid
  status); orders closed or cancelled without a payment; a sub-order row seen twice; in a platform's
  export, rows without a buyer.
  Merged: the rows of one order id are one order (amounts summed, the earliest day).
  Refunds: a refund amount, a completed refund status, a closed-after-payment status (when there is
  no refund column), or a negative row paired with its order (by order id, else the same customer's
  latest order on or before it). Refunded in full -> returned, amount kept (the lab returns whole
  orders: economics.pool_return_rate is the share of orders returned, and a returned order's spend
  is not kept); refunded in part -> the amount net of the refund, not returned (the customer kept
  the order; calling it a return would overstate returns, keeping the gross would overstate spend).
read_contacts(source, columns) -> (contacts, Recognised)
  One row per contact: customer_id, staff, added (day), lost (day or NaT).
"""
from __future__ import annotations

import difflib

import numpy as np
import pandas as pd
from pandas.api.types import is_integer_dtype

from ..core.errors import UsageError, clip, quote
from .columns import (ALTERNATIVE, CHANNEL_NAMES, CHANNEL_VALUES, CLOSED_STATUS, GENERIC, HOLDOUT_WORDS,
                      REFUNDED_STATUS, REQUIRED, STRIP, TOUCH_KINDS, UNPAID_STATUS, match, normalise, other_kind)
from .report import Recognised
from .tables import OVERFLOW, load
from .values import amounts, blank, check_span, clean, days, refuse, rounded_ids

CENT = 0.005
TOTALS = frozenset({"合计", "总计", "小计", "合計", "總計", "Total", "TOTAL", "total", "Sum", "合计："})
ORDER = ("customer_id", "phone", "date", "paid_at", "amount", "order_id", "sub_order_id", "status", "refund_status",
         "refund_amount", "channel", "joined_pool", "returned", "staff", "added", "lost")     # the report's order
DATE_FORMS = "a date (e.g. 2024-03-31, 2024/3/31 14:05 or 2024年3月31日)"
AMOUNT_FORMS = "a number (e.g. 1,144.60, ￥1,144.60 or 114.46 元)"


def _closest(name: str, headers) -> str:
    near = difflib.get_close_matches(name, [str(h).strip(STRIP) for h in headers], n=1, cutoff=0.4)
    return f" (closest: {quote(near[0])})" if near else ""


class _Reading:
    """One file being read: its table, the header match, the rows kept so far and the report."""

    def __init__(self, source, columns: dict | None, kind: str):
        self.kind = kind
        self.t = load(source, tuple((columns or {}).values()), "one row per order" if kind == "orders" else "rows")
        t = self.t
        if not any(str(h).strip(STRIP) for h in t.header):
            raise UsageError(f"{t.source}: the file is empty (expected a header line and rows below it)")
        self.m = match(t.header, columns, kind)
        for name, h in (columns or {}).items():
            if name not in self.m.given:
                raise UsageError(f"{t.source}: missing column {quote(h)}{_closest(h, t.header)}; required: "
                                 f"{', '.join(REQUIRED[kind])} (map other headers with --columns {name}=HEADER)")
        self._check_required()
        norm = [normalise(h) for h in t.header]
        for i in self.m.index.values():
            if norm.count(norm[i]) > 1:
                raise UsageError(f"{t.source}: the header names column {quote(str(t.header[i]).strip(STRIP))} twice; keep one")
        raw = t.columns(list(self.m.index.values()))
        if OVERFLOW in raw and (raw[OVERFLOW] != "").any():
            i = int(np.flatnonzero((raw[OVERFLOW] != "").to_numpy())[0])
            raise UsageError(f"{t.source}: line {t.line(i)} has more fields than the header's {len(t.header)} (a comma "
                             "inside a value needs quotes, e.g. \"1,299.00\")")
        self.raw = pd.DataFrame({c: raw[i] for c, i in self.m.index.items()}, index=pd.RangeIndex(len(raw)))
        self.df = pd.DataFrame({c: clean(s) for c, s in self.raw.items()}, index=self.raw.index)
        if len(self.df) == 0:
            raise UsageError(f"{t.source}: the file has a header but no {'orders' if kind == 'orders' else 'rows'}")
        self.keep = pd.Series(True, index=self.df.index)
        self.rec = Recognised(t.source, self.m.platform.label, t.read_as, t.header_line, kind, rows=len(self.df),
                              platform_key=self.m.platform.key)
        self.drop(pd.concat([blank(s) for _, s in self.df.items()], axis=1).all(axis=1), "empty rows")
        text = {c: s for c, s in self.df.items() if s.dtype == object}
        if text:                                     # exports pasted one below the other; a totals line at the end
            same = pd.concat([s == self.header(c) for c, s in text.items()], axis=1)
            self.drop(same.all(axis=1), "repeated header lines")
            when = [c for c in ("date", "paid_at", "added") if c in text]
            if when:
                total = pd.concat([s.isin(TOTALS) for s in text.values()], axis=1).any(axis=1)
                self.drop(total & pd.concat([text[c] == "" for c in when], axis=1).all(axis=1), "totals lines (合计)")

    def _check_required(self) -> None:
        t, m, kind = self.t, self.m, self.kind
        missing = [c for c in REQUIRED[kind] if c not in m.index and ALTERNATIVE.get(c) not in m.index]
        if not missing:
            return
        other = other_kind(t.header, kind)
        if other is not None:
            raise UsageError(f"{t.source}: a {other.label} export, not " + ("an order history (calibrate needs "
                             "orders: customer, date, amount)" if kind == "orders" else "a contact list"))
        c = missing[0]
        if m.platform is GENERIC[kind]:
            raise UsageError(f"{t.source}: missing column {c!r}{_closest(c, t.header)}; required: {', '.join(REQUIRED[kind])} "
                             f"(map other headers with --columns {c}=HEADER)")
        names = m.platform.columns.get(c, ())
        raise UsageError(f"{t.source}: a {m.platform.label} with no {c} column (looked for {clip(', '.join(names), 120)})"
                         f"{_closest(names[0] if names else c, t.header)}; map it with --columns {c}=HEADER")

    def header(self, col: str) -> str:
        return str(self.t.header[self.m.index[col]]).strip(STRIP)

    def has(self, col: str) -> bool:
        return col in self.m.index

    def drop(self, mask: pd.Series, reason: str) -> None:
        """Drop the kept rows where `mask` holds, counting them under `reason`."""
        mask = mask & self.keep
        n = int(mask.sum())
        if n:
            self.rec.dropped[reason] += n
            self.keep &= ~mask

    def first_bad(self, col: str, bad: pd.Series, what: str) -> None:
        """Refuse the first kept row where `bad` holds: its line, the column, the value and `what`."""
        bad = bad & self.keep
        if bad.any():
            i = bad.index[bad.to_numpy()][0]
            refuse(self.t, self.header(col), i, self.raw[col].loc[i], what)

    def note(self, col: str, how: str = "") -> None:
        if self.has(col):
            tag = " (from --columns)" if col in self.m.given else ""
            self.rec.mapping.append((col, self.header(col), how + tag))

    def customer(self) -> pd.Series:
        """The customer key of each row: the buyer id, else the (masked) phone; rows without one are
        refused in a generic table (the user made it) and dropped from a platform's export (guest orders)."""
        col = "customer_id" if self.has("customer_id") else "phone"
        key = self.df[col]
        key = key.astype(str) if not pd.api.types.is_string_dtype(key) else key
        masked = key[self.keep & (key != "")].str.contains("**", regex=False).mean() > 0.5   # 138****1234, t**1
        what = "phone numbers" if col == "phone" else "ids"
        self.note(col, ("the customer key (no buyer id in this export)" if col == "phone" else "") + (
            f"{'; ' if col == 'phone' else ''}masked: customers who share the characters shown are merged" if masked else ""))
        if masked:
            self.rec.notes.append(f"customers are told apart by masked {what} ({self.header(col)}): different "
                                  "customers with the same visible characters count as one")
        empty = key == ""
        if self.m.platform is GENERIC[self.kind]:
            self.first_bad(col, empty, "is not a customer id (empty)")
        else:
            self.drop(empty, f"no buyer (empty {self.header(col)})")
        bad = rounded_ids(key) & self.keep
        if bad.any():
            self.first_bad(col, bad, f"is a number a spreadsheet rounded (ids like it: {int(bad.sum()):,}; different "
                                     "customers would merge); allowed: the id as text (export again, or save as .xlsx "
                                     "with the column formatted as Text)")
        return key

    def day(self, col: str, optional: bool = False) -> pd.Series:
        """Days of column `col`; an empty value refused unless `optional`, an unreadable one refused."""
        d, kind = days(self.df[col])
        if kind == "serial":
            self.rec.notes.append(f"{self.header(col)}: Excel day numbers (a date column saved as General) read as dates")
        empty = blank(self.df[col])
        if not optional:
            self.first_bad(col, empty, "is not a date (empty)")
        self.first_bad(col, d.isna() & ~empty, f"is not {DATE_FORMS}")
        return d


def read_orders(source, columns: dict | None = None) -> tuple[pd.DataFrame, Recognised]:
    """The orders of a CSV/TSV/xlsx path or a DataFrame (see the module docstring), and what was recognised."""
    r = _Reading(source, columns, "orders")
    paid_col, closed = _drop_unpaid(r)
    order_key = _order_key(r)
    if r.has("sub_order_id"):
        sub = r.df["sub_order_id"].astype(str)
        pair = (order_key.astype(str) if r.has("order_id") else "") + "\x00" + sub
        seen = pair[r.keep & (sub != "")].duplicated()
        r.drop(seen.reindex(r.df.index, fill_value=False), f"duplicate rows ({r.header('sub_order_id')} seen before)")
        r.note("sub_order_id", "a sub-order seen twice is dropped")
    cust = r.customer()
    day = r.day(paid_col or "date")
    r.note("date", "" if paid_col is None else f"order time (the day is the payment's, {quote(r.header(paid_col))})")
    if paid_col:
        r.note("paid_at", "the order's day; empty = not paid (dropped)")
    check_span(r.t, r.header(paid_col or "date"), day[r.keep], r.raw[paid_col or "date"][r.keep])
    amount = amounts(r.df["amount"])
    r.first_bad("amount", amount.isna() | ~np.isfinite(amount.fillna(0)), f"is not {AMOUNT_FORMS}")
    r.note("amount")
    row_refund = _row_refunds(r, amount, closed if paid_col else None)
    key, neg_refund = _pair_refunds(r, order_key, cust, day, amount)
    extra = _extras(r, day[r.keep])
    pos = r.keep & (amount >= 0)
    if not pos.any():
        raise UsageError(f"{r.t.source}: no paid orders among its {r.rec.rows:,} rows ("
                         + ", ".join(f"{n:,} {why}" for why, n in r.rec.dropped.items()) + ")")
    rows = pd.DataFrame({"key": key, "cust": cust, "day": day, "amount": amount, "refund": row_refund, **extra})[pos]
    return _orders(r, _merge(rows, neg_refund.groupby(key[neg_refund.index]).sum() if len(neg_refund) else None))


def _drop_unpaid(r: _Reading) -> tuple[str | None, pd.Series]:
    """Drop unpaid orders (an unpaid status, an empty payment time) and, without a payment time column,
    closed ones no refund says were paid. Returns the payment time column used as the day (None: the
    order time) and which rows have a closed status."""
    df = r.df
    status = df["status"] if r.has("status") else pd.Series("", index=df.index)
    for value in sorted(set(status[r.keep & status.isin(UNPAID_STATUS)])):
        r.drop(status == value, f"unpaid ({r.header('status')}: {value})")
    paid_col = "paid_at" if r.has("paid_at") and "date" not in r.m.given else None
    if paid_col:
        r.drop(blank(df[paid_col]), f"unpaid (empty {r.header(paid_col)})")
    closed = status.isin(CLOSED_STATUS)
    if paid_col is None:                             # closed without a payment time: kept only if a refund says it was paid
        paid_back = pd.Series(False, index=df.index)
        if r.has("refund_amount"):
            paid_back |= amounts(df["refund_amount"]).abs().fillna(0) > CENT
        if r.has("refund_status"):
            paid_back |= df["refund_status"].isin(REFUNDED_STATUS)
        for value in sorted(set(status[r.keep & closed & ~paid_back])):
            r.drop(closed & ~paid_back & (status == value), f"closed or cancelled ({r.header('status')}: {value})")
    if r.has("status"):
        r.note("status", "unpaid dropped; " + ("closed after payment -> refunded in full" if paid_col else
                                                "closed or cancelled dropped unless a refund says it was paid"))
    return paid_col, closed


def _row_refunds(r: _Reading, amount: pd.Series, closed_paid: pd.Series | None) -> pd.Series:
    """What was refunded of each row: its refund amount (at most the row's amount), else all of it when its
    refund status says refunded or (`closed_paid`) it was closed after a payment."""
    df, whole = r.df, amount.clip(lower=0)
    refund = pd.Series(0.0, index=df.index)
    if r.has("refund_amount"):
        given = amounts(df["refund_amount"]).abs()
        r.first_bad("refund_amount", given.isna() & ~blank(df["refund_amount"]), f"is not {AMOUNT_FORMS}")
        refund = given.fillna(0.0).clip(upper=whole)
        r.note("refund_amount", "refunded in full -> returned; in part -> the amount net of it")
    if r.has("refund_status"):
        done = df["refund_status"].isin(REFUNDED_STATUS)
        refund = refund.where(refund > CENT, whole * done)
        seen = " / ".join(sorted(REFUNDED_STATUS & set(df["refund_status"]))) or "退款成功"
        r.note("refund_status", f"{seen} -> refunded")
    if closed_paid is not None:                      # paid, then closed: the money went back
        refund = refund.where(~closed_paid, whole)
    return refund


def _orders(r: _Reading, o: pd.DataFrame) -> tuple[pd.DataFrame, Recognised]:
    """The orders table (read_orders' contract) from the merged orders `o`, and the report completed:
    refunded in full -> returned with its amount; in part -> the amount net of the refund."""
    rec = r.rec
    full = (o["gross"] > 0) & (o["refund"] >= o["gross"] - CENT)
    returned = o["ret"] | full
    net = (o["gross"] - o["refund"]).clip(lower=0.0)
    merged = (o["n"] > 1) | (o["refund"] > CENT)
    value = o["gross"].where(returned, net).where(~merged, lambda v: v.round(2))
    several = int((o["n"] > 1).sum())
    alike = int(((o["n"] > 1) & (o["n_amounts"] == 1)).sum())
    if several and alike >= max(2, several / 2):
        rec.notes.append(f"in {alike:,} of the {several:,} orders of several rows every row has the same amount; if "
                         f"{quote(r.header('amount'))} repeats the order's total on each row, it is counted "
                         "several times over: map a per-row amount with --columns amount=HEADER")
    if (o["n_cust"] > 1).any():
        rec.notes.append(f"{int((o['n_cust'] > 1).sum()):,} orders have rows of several customers: each counts for "
                         "the customer of its first row")
    out = pd.DataFrame({"customer_id": o["cust"].astype("string"), "date": o["day"], "amount": value.astype(float),
                        "channel": o["channel"].astype(str)})
    if "joined_pool" in o:
        out["joined_pool"] = o["joined_pool"]
    out["returned"] = returned.astype(bool)
    out = out.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)
    out.attrs["source"] = r.t.source
    rec.merged_rows, rec.records, rec.customers = int((o["n"] - 1).sum()), len(out), int(out["customer_id"].nunique())
    rec.returned, rec.reduced = int(returned.sum()), int((~returned & (o["refund"] > CENT)).sum())
    rec.first, rec.last = out["date"].min(), out["date"].max()
    rec.mapping.sort(key=lambda m: ORDER.index(m[0]))
    return out, rec


def _merge(rows: pd.DataFrame, neg_refund: pd.Series | None) -> pd.DataFrame:
    """One row per order key of `rows`: customer of its first row (n_cust: how many), earliest day, gross
    amount (n_amounts: how many different row amounts), refunds (plus `neg_refund`, refunded by negative rows, per key), rows, channel, returned if
    every row says so, earliest joined_pool. Rows keyed by their own position need no grouping."""
    if is_integer_dtype(rows["key"]) and neg_refund is None:
        o = rows.rename(columns={"amount": "gross", "returned": "ret"}).set_index("key")
        return o.assign(n=1, n_cust=1, n_amounts=1)
    agg = {"cust": ("cust", "first"), "n_cust": ("cust", "nunique"), "day": ("day", "min"), "gross": ("amount", "sum"),
           "n_amounts": ("amount", "nunique"),
           "refund": ("refund", "sum"), "n": ("amount", "size"), "channel": ("channel", "first"),
           "ret": ("returned", "all")}
    if "joined_pool" in rows:
        agg["joined_pool"] = ("joined_pool", "min")
    o = rows.groupby("key", sort=False).agg(**agg)
    if neg_refund is not None:
        o["refund"] += neg_refund.reindex(o.index).fillna(0.0)
    return o


def _order_key(r: _Reading) -> pd.Series:
    """The order each row belongs to: its order id, or the row itself (no id column, an empty id, or ids a
    spreadsheet rounded: those would merge different orders, so each row is then its own order)."""
    own = pd.Series(r.df.index.to_numpy(), index=r.df.index)       # row positions: one order per row
    if not r.has("order_id"):
        return own
    ids = r.df["order_id"].astype(str)
    if rounded_ids(ids[r.keep]).any():
        r.note("order_id", "ignored: ids rounded by a spreadsheet; each row is one order")
        r.rec.notes.append(f"order ids such as {quote(ids[r.keep & rounded_ids(ids)].iloc[0])} were rounded by a "
                           "spreadsheet: each row counted as its own order (rows of one order on one day still make one "
                           "purchase occasion)")
        return own
    r.note("order_id", "rows with one id are one order (amounts summed)")
    return ids.where(ids != "", "#" + own.astype(str))


def _pair_refunds(r: _Reading, key: pd.Series, cust: pd.Series, day: pd.Series, amount: pd.Series):
    """Each negative row's order (by order id, else the customer's latest order on or before it): (order key
    of every row, refunded amount of each negative row indexed by row). An unpaired one is refused."""
    neg = r.keep & (amount < 0)
    if not neg.any():
        return key, pd.Series(dtype=float)
    pos = r.keep & (amount >= 0)
    key = key.copy()
    if not is_integer_dtype(key) and not key[neg].astype(str).str.startswith("#").all():
        known = set(key[pos])
        r.first_bad("amount", neg & ~key.isin(known), "is a negative amount (a refund) of an order with no paid row in "
                                                      "the file; allowed: refunds of orders the file holds")
    else:
        a = pd.DataFrame({"cust": cust[neg], "day": day[neg], "row": neg.index[neg.to_numpy()]}).sort_values("day")
        b = pd.DataFrame({"cust": cust[pos], "day": day[pos], "key": key[pos]}).sort_values("day", kind="stable")
        paired = pd.merge_asof(a, b, on="day", by="cust", direction="backward").set_index("row")
        r.first_bad("amount", pd.Series(paired["key"].isna(), index=paired.index).reindex(key.index, fill_value=False),
                    "is a negative amount with no earlier order of this customer to pair it with (a refund needs its "
                    "order in the file; record returns in 'returned')")
        key[paired.index] = paired["key"]
    r.rec.refund_rows = int(neg.sum())
    return key, -amount[neg]


def _extras(r: _Reading, order_days: pd.Series) -> dict:
    """channel, returned and (if present) joined_pool of every row, checked (joined_pool's days against
    the orders' `order_days` for the ten-year rule)."""
    df, out = r.df, {}
    if r.has("channel"):
        ch = df["channel"].astype(str).str.lower().replace("", "other").replace(CHANNEL_VALUES)
        r.first_bad("channel", ~ch.isin(CHANNEL_NAMES), f"is not a channel ({' / '.join(CHANNEL_NAMES)})")
        out["channel"] = ch
        r.note("channel")
    else:
        out["channel"] = pd.Series(r.m.platform.channel or "other", index=df.index)
        r.rec.mapping.append(("channel", "", f"{r.m.platform.channel or 'other'} for every order "
                              + ("(the platform's)" if r.m.platform.channel else "(no channel column)")))
    if r.has("joined_pool"):
        jp = r.day("joined_pool", optional=True)
        check_span(r.t, r.header("joined_pool"), jp[r.keep], r.raw["joined_pool"][r.keep], reference=order_days)
        out["joined_pool"] = jp
        r.note("joined_pool")
    if r.has("returned"):
        ret = df["returned"].astype(str).replace("", "0")
        r.first_bad("returned", ~ret.isin(["0", "1"]), "is not 0 or 1")
        out["returned"] = ret == "1"
        r.note("returned")
    else:
        out["returned"] = pd.Series(False, index=df.index)
    return out


def read_contacts(source, columns: dict | None = None) -> tuple[pd.DataFrame, Recognised]:
    """One row per contact of a WeCom (or generic) contact export: customer_id, staff, added, lost."""
    r = _Reading(source, columns, "contacts")
    cust = r.customer()
    added = r.day("added")
    r.note("added")
    check_span(r.t, r.header("added"), added[r.keep], r.raw["added"][r.keep])
    lost = r.day("lost", optional=True) if r.has("lost") else pd.Series(pd.NaT, index=r.df.index, dtype="datetime64[us]")
    r.note("lost")
    staff = r.df["staff"].astype(str) if r.has("staff") else pd.Series("", index=r.df.index)
    r.note("staff")
    out = pd.DataFrame({"customer_id": cust.astype("string"), "staff": staff.astype(str), "added": added,
                        "lost": lost})[r.keep].reset_index(drop=True)
    out.attrs["source"] = r.t.source
    r.rec.records, r.rec.customers = len(out), int(out["customer_id"].nunique())
    r.rec.first, r.rec.last = (out["added"].min(), out["added"].max()) if len(out) else (None, None)
    return out, r.rec


def read_touches(source, columns: dict | None = None) -> tuple[pd.DataFrame, Recognised]:
    """One row per touch of a campaign log: customer_id, date (day), kind ("message" or "coupon"), holdout (bool:
    the customer was in the control group that the brand kept untouched; False when the log has no such column)."""
    r = _Reading(source, columns, "touches")
    cust = r.customer()
    day = r.day("date")
    r.note("date")
    text = r.df["kind"].astype(str).str.strip().str.lower()
    kind = pd.Series("", index=r.df.index)
    for name, words in TOUCH_KINDS.items():
        kind[text.isin([w.lower() for w in words]) | text.apply(lambda t, w=words: any(x in t for x in w if len(x) > 1))
             & (kind == "")] = name
    r.first_bad("kind", kind == "", "a kind of touch (message, coupon; 消息, 群发, 优惠券 ...)")
    r.note("kind")
    if r.has("holdout"):
        h = r.df["holdout"].astype(str).str.strip().str.lower()
        yes, no = h.isin(HOLDOUT_WORDS[True]), h.isin(HOLDOUT_WORDS[False])
        r.first_bad("holdout", ~(yes | no), "a control-group flag (1/0, 是/否, 对照组/实验组)")
        r.note("holdout")
        holdout = yes
    else:
        holdout = pd.Series(False, index=r.df.index)
    out = pd.DataFrame({"customer_id": cust.astype("string"), "date": day, "kind": kind,
                        "holdout": holdout.astype(bool)})[r.keep].reset_index(drop=True)
    out.attrs["source"] = r.t.source
    r.rec.records, r.rec.customers = len(out), int(out["customer_id"].nunique())
    r.rec.first, r.rec.last = (out["date"].min(), out["date"].max()) if len(out) else (None, None)
    return out, r.rec
