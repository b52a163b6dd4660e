"""What a reader recognised in a file, and its text (`python -m sim calibrate FILE --dry-run` prints it)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..core.errors import quote


@dataclass
class Recognised:
    """The platform guessed, how the file was read, which header gave each standard column, the rows
    read and dropped (by reason), what merging made of them, and notes the user should see."""
    source: str
    platform: str
    read_as: str
    header_line: int
    kind: str = "orders"
    mapping: list = field(default_factory=list)     # (standard column, header or '', how it is used)
    rows: int = 0
    dropped: Counter = field(default_factory=Counter)
    merged_rows: int = 0                            # sub-order rows folded into an order
    refund_rows: int = 0                            # negative rows paired with the order they refund
    records: int = 0                                # orders (or contacts) after merging
    customers: int = 0
    returned: int = 0
    reduced: int = 0
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    notes: list = field(default_factory=list)
    platform_key: str = ""                          # the platform's key (columns.PLATFORMS), for its name in words

    def text(self) -> str:
        """The report as lines of text."""
        width = max([len(c) for c, _, _ in self.mapping] + [11])
        out = [f"{self.source}: {self.platform}",
               f"  {'read as':<{width}}  {self.read_as}; header on line {self.header_line}"]
        for col, header, how in self.mapping:
            src = f"<- {quote(header)}" if header else ""
            sep = ": " if src and how and not how.startswith(" (") else ""
            out.append(f"  {col:<{width}}  {src}{sep}{how.strip() if sep else how}".rstrip())
        kept = self.rows - sum(self.dropped.values())
        drop = ", ".join(f"{n:,} {why}" for why, n in sorted(self.dropped.items(), key=lambda kv: -kv[1]))
        out.append(f"  {'rows':<{width}}  {self.rows:,} read; {sum(self.dropped.values()):,} dropped"
                   + (f": {drop}" if drop else "") + f"; {kept:,} kept")
        what = "orders" if self.kind == "orders" else "contacts"
        detail = []
        if self.merged_rows:
            detail.append(f"{self.merged_rows:,} sub-order rows merged into their orders")
        if self.refund_rows:
            detail.append(f"{self.refund_rows:,} refund rows paired with their orders")
        if self.kind == "orders":
            detail.append(f"{self.returned:,} returned (refunded in full)")
            if self.reduced:
                detail.append(f"{self.reduced:,} reduced by a partial refund")
        out.append(f"  {what:<{width}}  {self.records:,}" + (f"; {'; '.join(detail)}" if detail else ""))
        out.append(f"  {'customers':<{width}}  {self.customers:,}")
        if self.first is not None:
            span = (self.last - self.first).days + 1
            out.append(f"  {'dates':<{width}}  {self.first.date()} .. {self.last.date()} ({span:,} days)")
        out += [f"  note: {n}" for n in self.notes]
        return "\n".join(out)
