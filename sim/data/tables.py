"""Files as tables of text: a CSV or tab-separated text in any encoding a Chinese export comes in, an
.xlsx workbook, or a DataFrame, with the line each row came from (for one-line errors).

Encoding, by a fixed rule rather than a statistical guess (short Chinese files fool guessers):
  1. a byte-order mark says it: UTF-8, UTF-16 LE or BE (Excel's "Unicode text");
  2. else the whole file decodes as UTF-8: UTF-8 (a GBK file with Chinese text almost never does: its
     byte pairs are rarely UTF-8 sequences; when a short one does, e.g. 元 as the Armenian Ԫ, the UTF-8
     reading holds letters no Chinese export has and the GB18030 reading none: GB18030);
  3. else NUL bytes at every other position: UTF-16 without a mark;
  4. else it failed as UTF-8 only after other non-ASCII text decoded fine (as letters a Chinese export
     holds): a UTF-8 file with a broken byte, refused naming the line;
  5. else it decodes as GB18030 (the superset of GBK and GB2312 that Excel on Chinese Windows writes);
  6. else refused.
Delimiter: comma, tab or semicolon, whichever splits the header line into the most recognised names
(then the most fields). The header is the line, among the first 20, with the most recognised names
(title lines above it are skipped); without any, the first line.
Workbooks (.xlsx, recognised by content, whatever the name), read-only: the sheet whose header names
the most known columns (the first on ties: a workbook of one sheet, or a notes sheet before the data,
reads as expected); the report names it. Old .xls workbooks and HTML tables saved as .xls are refused
with what to do.
"""
from __future__ import annotations

import codecs
import csv
import io
import math
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import UsageError, clip, quote
from ..core.files import MAX_DATA_BYTES, oversize
from .columns import normalise, score

HEADER_SEARCH = 20
# Letters a Chinese export does not hold (IPA .. Greek, Cyrillic, Armenian, Hebrew, Arabic .. Ethiopic, etc.,
# and C1 controls): a UTF-8 decoding that yields them, where GB18030 yields none, was GBK all along.
_UNLIKELY = re.compile("[\u0080-\u009f\u0250-\u1dff]")
OVERFLOW = "overflow"          # column of a text table's data: the first field past the header's (non-empty: a too-long row)
DELIMITERS = {",": "comma-separated", "\t": "tab-separated", ";": "semicolon-separated"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BOMS = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE with BOM"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE with BOM"))


@dataclass
class Table:
    """A file's header and the text of chosen columns; `line(i)` is the file line (or sheet row) of data row i."""
    source: str
    header: list[str]
    read_as: str                          # e.g. "GB18030 (GBK) text, comma-separated, CRLF lines"
    header_line: int = 1
    _reader: object = None                # indices -> DataFrame of those columns (positions as names)
    _lines: object = None                 # () -> array of the data rows' lines
    _cache: dict = field(default_factory=dict)

    def columns(self, indices) -> pd.DataFrame:
        """The data rows' values of the header positions `indices` (text, or typed for a DataFrame source)."""
        return self._reader(sorted(set(indices)))

    def line(self, i: int) -> int:
        if "lines" not in self._cache:
            self._cache["lines"] = self._lines()
        return int(self._cache["lines"][i])


def decode(data: bytes, source: str) -> tuple[str, str]:
    """(text, name of the encoding) by the module's rule; UsageError when none fits."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise UsageError(f"{source}: line {data[:exc.start].count(b'\n') + 1}: bytes that are not {name} in a file "
                                 f"that starts as {name}; save it again (CSV UTF-8)") from None
    try:
        text = data.decode("utf-8")
        if not _UNLIKELY.search(text):
            return text, "UTF-8"
        try:                                          # a short GBK text can decode as UTF-8 (元 as Ԫ)
            gbk = data.decode("gb18030")
            return (gbk, "GB18030 (GBK)") if not _UNLIKELY.search(gbk) else (text, "UTF-8")
        except UnicodeDecodeError:
            return text, "UTF-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    head = data[:4000]
    if len(head) >= 4 and head.count(0) >= len(head) // 4:
        even = head[0::2].count(0) > head[1::2].count(0)
        try:
            return data.decode("utf-16-be" if even else "utf-16-le"), f"UTF-16 {'BE' if even else 'LE'} without BOM"
        except UnicodeDecodeError:
            pass
    before = data[:utf8_error.start]
    if any(b >= 0x80 for b in before) and not _UNLIKELY.search(before.decode("utf-8")):
        raise UsageError(f"{source}: line {before.count(b'\n') + 1}: bytes that are not UTF-8 in a file that is UTF-8 "
                         "before them (a damaged copy?); export it again")
    try:
        return data.decode("gb18030"), "GB18030 (GBK)"
    except UnicodeDecodeError as exc:
        raise UsageError(f"{source}: line {data[:exc.start].count(b'\n') + 1}: neither UTF-8, GBK/GB18030 nor UTF-16 "
                         "text; save it as CSV UTF-8 or .xlsx") from None


def load(source, extra_names=(), what: str = "rows") -> Table:
    """The Table of a path (CSV/TSV text or .xlsx) or a DataFrame. `extra_names` (headers named by
    --columns) count as recognised when the header line is looked for."""
    if isinstance(source, pd.DataFrame):
        return _frame(source)
    name = str(source)
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"{name}: {'a folder, not a file' if path.is_dir() else 'no such file'}")
    too_big = oversize(path.stat().st_size, MAX_DATA_BYTES, "an orders file")   # before reading a byte
    if too_big:
        raise UsageError(f"{name}: {too_big}; keep the columns the fit reads, or a shorter period")
    data = path.read_bytes()
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8 + codecs.BOM_UTF16_LE + codecs.BOM_UTF16_BE):
        raise UsageError(f"{name}: the file is empty (expected a header line and {what} below it)")
    if data.startswith(b"PK\x03\x04"):
        if b"opendocument.spreadsheet" in data[:200]:
            raise UsageError(f"{name}: an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV UTF-8")
        return _xlsx(path, name, extra_names)
    if data.startswith(OLE_MAGIC):
        raise UsageError(f"{name}: an old Excel workbook (.xls); open it in Excel and save it as .xlsx or CSV UTF-8")
    text, encoding = decode(data, name)
    if text.lstrip(" \t\r\n\ufeff")[:1] == "<" and "<table" in text[:5000].lower():
        raise UsageError(f"{name}: an HTML table (saved with an .xls name); open it in Excel and save it as .xlsx "
                         "or CSV UTF-8")
    return _text(text, name, encoding, extra_names)


def _best_header(rows: list[list[str]], extra_names) -> tuple[int, int]:
    """(index of the header among `rows`, its score): the most recognised names, the earliest on ties."""
    extra = {normalise(n) for n in extra_names}
    best, best_score = 0, -1
    for k, row in enumerate(rows):
        s = score(row) + sum(normalise(h) in extra for h in row)
        if s > best_score:
            best, best_score = k, s
    if best_score <= 0:
        best = next((k for k, row in enumerate(rows) if any(str(x).strip() for x in row)), 0)
    return best, best_score


def _text(text: str, source: str, encoding: str, extra_names) -> Table:
    """A Table over decoded text: delimiter and header line found as the module says; pandas reads the columns."""
    best = None
    head = text[:1 << 16]
    for d in DELIMITERS:
        fh = io.StringIO(head, newline="")
        rows = []
        for row in csv.reader(fh, delimiter=d):
            rows.append(row)
            if len(rows) >= HEADER_SEARCH:
                break
        k, s = _best_header(rows, extra_names)
        key = (s, len(rows[k]) if rows else 0)
        if best is None or key > best[0]:
            best = (key, d, k)
    _, delim, k = best
    fh = io.StringIO(text, newline="")
    reader = csv.reader(fh, delimiter=delim)
    for _ in range(k + 1):
        header = next(reader)
    header_line = _record_start(text, delim, k)
    body_line0 = reader.line_num            # physical lines up to the end of the header
    rest = text[fh.tell():]
    n = len(header)
    crlf = "\r\n" in text[:10000]
    read_as = f"{encoding} text, {DELIMITERS[delim]}, {'CRLF' if crlf else 'LF'} lines"

    def read(indices):
        """The columns `indices`, plus OVERFLOW."""
        kw = dict(sep=delim, header=None, dtype=str, keep_default_na=False, index_col=False, skipinitialspace=True,
                  engine="c", quotechar='"')
        try:                                  # a first line of n + 1 fields makes pandas keep column n
            df = pd.read_csv(io.StringIO(delim * n + "x\n" + rest), names=list(range(n + 1)),
                             usecols=list(indices) + [n], **kw).iloc[1:].reset_index(drop=True)
        except pd.errors.ParserError as exc:
            raise UsageError(f"{source}: not a readable table ({clip(str(exc).splitlines()[0], 120)})") from None
        return df.fillna("").rename(columns={n: OVERFLOW})

    def lines():
        out, prev = [], 0
        r = csv.reader(io.StringIO(rest, newline=""), delimiter=delim)
        for row in r:
            if row:
                out.append(body_line0 + prev + 1)
            prev = r.line_num
        return np.asarray(out, dtype=np.int64)

    return Table(source, header, read_as, header_line, read, lines)


def _record_start(text: str, delim: str, k: int) -> int:
    """The file line on which record k (0-based, blank lines included as records) starts."""
    r = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    last = 0
    for _ in range(k):
        next(r)
        last = r.line_num
    return last + 1


def cell_text(v) -> str:
    """A workbook cell as text: dates ISO, whole numbers without '.0' (ids stay whole), others as Python
    writes them (numbers past 2**53 keep their exponent, so a rounded id is seen as one)."""
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, (date, time)):
        return v.isoformat()
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        if math.isfinite(v) and v == int(v) and abs(v) < 2 ** 53:
            return str(int(v))
        return repr(v)
    return str(v)


def _xlsx(path: Path, source: str, extra_names) -> Table:
    """A workbook's sheet with the best header (module docstring), read-only: header found as for text."""
    try:
        import openpyxl
    except ImportError:
        raise UsageError(f"{source}: an .xlsx workbook; reading it needs openpyxl (pip install openpyxl), or save it "
                         "as CSV UTF-8") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")          # openpyxl's notes on styles it does not know
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:                          # a damaged or foreign zip: openpyxl raises many kinds
        raise UsageError(f"{source}: not a readable .xlsx workbook ({clip(type(exc).__name__ + ': ' + str(exc), 120)})") \
            from None
    sheets = wb.worksheets
    if not sheets:
        raise UsageError(f"{source}: a workbook without sheets")
    best = None
    for number, sheet in enumerate(sheets):          # the sheet whose header names the most known columns
        sheet.reset_dimensions()                      # some writers record a wrong size (e.g. A1): read what is there
        first = [[cell_text(v) for v in row] for row in sheet.iter_rows(max_row=HEADER_SEARCH, values_only=True)]
        if first:
            k, found = _best_header(first, extra_names)
            if best is None or found > best[0]:
                best = (found, number, k, first[k])
    if best is None:
        raise UsageError(f"{source}: the workbook's sheets are empty (expected a header line and rows below it)")
    _, number, k, header = best
    ws = sheets[number]
    while header and header[-1] == "":
        header = header[:-1]
    read_as = f".xlsx workbook, sheet {quote(ws.title)}" + (f" ({number + 1} of {len(sheets)})" if len(sheets) > 1 else "")
    rows_cache = {}

    def read(indices):
        cols = {i: [] for i in indices}
        line_no = []
        for r, row in enumerate(ws.iter_rows(min_row=k + 2, values_only=True), start=k + 2):
            if row is None or all(v is None or v == "" for v in row):
                continue
            for i in indices:
                cols[i].append(cell_text(row[i]) if i < len(row) else "")
            line_no.append(r)
        rows_cache["lines"] = np.asarray(line_no, dtype=np.int64)
        wb.close()
        return pd.DataFrame(cols, dtype=object) if line_no else pd.DataFrame({i: pd.Series(dtype=object) for i in indices})

    def lines():
        if "lines" not in rows_cache:
            read([0])
        return rows_cache["lines"]

    return Table(source, header, read_as, k + 1, read, lines)


def _frame(df: pd.DataFrame) -> Table:
    """A DataFrame as a Table: its column names are the header, row i is 'line' i + 2 (as if written as CSV)."""
    header = [str(c) for c in df.columns]
    cols = list(df.columns)

    def read(indices):
        return pd.DataFrame({i: df[cols[i]].reset_index(drop=True) for i in indices})

    return Table("<orders frame>", header, "a DataFrame", 1, read, lambda: np.arange(len(df)) + 2)
