"""Reading a brand's own files as they come: platform exports (Taobao/Tmall, 抖店, 有赞, WeCom contacts)
and plain tables, in UTF-8, GBK/GB18030 or UTF-16 text, or .xlsx; see docs/data.md.

    tables   files as tables of text (encoding, delimiter, header line, workbooks), with line numbers
    columns  the known header names per platform, as data, and how a header is matched to them
    values   Chinese dates, amounts, ids a spreadsheet rounded; one-line refusals
    exports  orders and contacts into the standard frames (sub-orders merged, refunds paired)
    report   what was recognised (`calibrate --dry-run` prints it)

This layer imports only sim/core; sim/lab/orders.py `read_orders` delegates to it.
"""
from .exports import read_contacts, read_orders, read_touches
from .report import Recognised

__all__ = ["read_orders", "read_contacts", "read_touches", "Recognised"]
