"""Reading a brand's own files (issue 27, item 1; sim/data): each export format read to the same
orders as its UTF-8 twin (tests/export_files.py), `calibrate --dry-run`, the ten-year rule, rounded
and formula-like ids, and the bad-input corpus: one line naming the file, line, column and value,
exit code 2, never a traceback (also on random bytes)."""
from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import export_files as ef
from sim.cli import main
from sim.core.errors import QUOTE_LIMIT, UsageError
from sim.data import columns, read_contacts
from sim.lab import orders as od

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "bad_orders"


def same_orders(a, b):
    a, b = od.read_orders(a), od.read_orders(b)
    b.attrs = a.attrs
    pd.testing.assert_frame_equal(a, b)
    return a


FORMATS = [  # (writer, twin writer args, platform, how it is read)
    ("taobao.csv", ef.taobao_gbk, ("buyer", "ecommerce"), "Taobao/Tmall", "GB18030 (GBK) text, comma-separated, CRLF"),
    ("douyin.csv", ef.douyin_suborders, ("masked", "douyin"), "抖店", "UTF-8 with BOM text, comma-separated"),
    ("youzan.csv", ef.youzan, ("phone", "other"), "有赞", "UTF-8 text, comma-separated"),
    ("orders.xlsx", ef.xlsx, None, "generic", ".xlsx workbook, sheet '订单' (1 of 2); header on line 2"),
    ("unicode.txt", ef.utf16_tab, None, "generic", "UTF-16 LE with BOM text, tab-separated, CRLF"),
]


@pytest.mark.parametrize("name,write,twin,platform,read_as", FORMATS, ids=[f[0] for f in FORMATS])
def test_each_export_reads_as_its_utf8_twin(name, write, twin, platform, read_as, tmp_path):
    path = write(tmp_path / name)
    if twin is not None:
        twin_path = ef.twin(tmp_path / "twin.csv", *twin)
    else:
        twin_path = (ef.xlsx_twin if name.endswith(".xlsx") else ef.utf16_twin)(tmp_path / "twin.csv")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        got = same_orders(path, twin_path)
    assert [str(w.message) for w in seen if "masked phone" in str(w.message)] == ([] if platform != "抖店" else [
        f"{path}: customers are told apart by masked phone numbers (收件人手机号): different customers with the "
        "same visible characters count as one"])
    assert len(got) == len(ef.PAID) == 6 and got["returned"].sum() == 1     # the unpaid order dropped
    assert got["amount"].sum() == pytest.approx(sum(o.total for o in ef.PAID) - 45.50)   # a partial refund nets
    _, rec = od.read_orders_report(path)
    assert platform in rec.platform and read_as in f"{rec.read_as}; header on line {rec.header_line}"


def test_wecom_contacts_read_as_their_utf8_twin(tmp_path):
    a, rec = read_contacts(ef.wecom_contacts(tmp_path / "contacts.csv"))
    b, _ = read_contacts(ef.contacts_twin(tmp_path / "twin.csv"))
    b.attrs = a.attrs
    pd.testing.assert_frame_equal(a, b)
    assert "WeCom" in rec.platform and a["lost"].notna().sum() == 1


def test_gbk_file_of_the_bad_corpus_is_now_read_like_its_utf8_copy(tmp_path):
    """tests/bad_orders/gbk.csv was refused ("save it as CSV UTF-8"); it is now read, to the same orders."""
    copy = tmp_path / "utf8.csv"
    copy.write_text((BAD / "gbk.csv").read_bytes().decode("gbk"), encoding="utf-8")
    got = same_orders(BAD / "gbk.csv", copy)
    assert got["customer_id"].tolist() == ["张三"]


def test_dry_run_says_what_it_recognised_and_writes_nothing(tmp_path, capsys):
    path = ef.taobao_gbk(tmp_path / "淘宝订单.csv")
    out = tmp_path / "fit"
    assert main(["calibrate", str(path), "--dry-run", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    for expect in ("Taobao/Tmall", "GB18030 (GBK) text, comma-separated, CRLF lines; header on line 1",
                   "customer_id    <- '买家会员名'", "paid_at        <- '订单付款时间'", "amount         <- '买家实际支付金额'",
                   "7 read; 1 dropped: 1 unpaid (订单状态: 等待买家付款); 6 kept",
                   "6; 1 returned (refunded in full); 1 reduced by a partial refund", "customers      4",
                   "2024-01-05 .. 2024-04-02 (89 days)", "fit: would be refused", "nothing written, nothing fitted"):
        assert expect in text, (expect, text)
    assert not out.exists()


def test_dry_run_names_the_masked_phone_key(tmp_path, capsys):
    assert main(["calibrate", str(ef.douyin_suborders(tmp_path / "dy.csv")), "--dry-run"]) == 0
    out = capsys.readouterr()
    assert "phone" in out.out and "masked" in out.out and "3 sub-order rows merged" in out.out
    assert "1 duplicate rows (子订单编号 seen before)" in out.out


def test_columns_still_override_a_platform_table(tmp_path):
    path = ef.taobao_gbk(tmp_path / "tb.csv")
    got, rec = od.read_orders_report(path, od.parse_columns("amount=总金额,date=订单创建时间"))
    assert ("amount", "总金额", " (from --columns)") in rec.mapping
    assert got["date"].max() == pd.Timestamp("2024-04-02")
    # the order placed at 23:59:59 and paid after midnight now counts on the day it was placed
    assert pd.Timestamp("2024-03-15") in set(got["date"])


def test_title_lines_semicolons_excel_text_wrappers_and_full_width_spaces(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("订单导出\n导出时间：2024-05-01\n\u3000customer_id ;date;amount\n"
                    '="007";2024/1/5 13:05;"1,144.60"\n="007";2024年2月1日;114.46 元\n', encoding="utf-8")
    got, rec = od.read_orders_report(path)
    assert rec.header_line == 3 and "semicolon" in rec.read_as
    assert got["customer_id"].tolist() == ["007", "007"] and got["amount"].tolist() == [1144.60, 114.46]


def test_quirks_of_real_exports(tmp_path):
    """Placeholders for 'none' (-, 0000-00-00), a header repeated where two exports were pasted together,
    a totals line, a space inside a header, 下午 times, and an order closed after payment (refunded)."""
    path = tmp_path / "dy.csv"
    path.write_text("主订单编号,订单应付金额,订单 提交时间,支付完成时间,订单状态,售后状态,收件人手机号\n"
                    "1,10.00,2024/1/5 下午1:05,2024/1/5 下午1:06,已完成,-,138****0001\n"
                    "2,20.00,2024/1/6 09:00,0000-00-00 00:00:00,待支付,-,138****0002\n"
                    "主订单编号,订单应付金额,订单 提交时间,支付完成时间,订单状态,售后状态,收件人手机号\n"
                    "3,30.00,2024/1/7 10:00,2024/1/7 10:01,已关闭,-,138****0003\n"
                    "合计,60.00,,,,,\n", encoding="utf-8")
    got, rec = od.read_orders_report(path)
    assert got[["amount", "returned"]].values.tolist() == [[10.0, False], [30.0, True]]
    assert any("masked phone" in n for n in rec.notes)
    assert rec.dropped == {"unpaid (订单状态: 待支付)": 1, "repeated header lines": 1, "totals lines (合计)": 1}


def test_excel_day_numbers_and_the_sheet_with_the_data(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表由系统导出"])
    ws = wb.create_sheet("明细")
    ws.append(["客户ID", "日期", "金额"])
    ws.append(["a", 45296, 10])                      # 2024-01-05 as Excel stores it in a General cell
    ws.append(["b", 45297, 20.5])
    wb.save(tmp_path / "o.xlsx")
    got, rec = od.read_orders_report(tmp_path / "o.xlsx")
    assert got["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-05", "2024-01-06"]
    assert "sheet '明细' (2 of 2)" in rec.read_as and any("Excel day numbers" in n for n in rec.notes)


def test_refund_rows_pair_with_their_order_by_id_or_by_the_customers_latest_order(tmp_path):
    by_id = pd.DataFrame({"order_id": ["A", "B", "A"], "customer_id": ["c", "c", "c"],
                          "date": ["2024-01-01", "2024-01-02", "2024-01-09"], "amount": ["100", "50", "-100"]})
    got = od.read_orders(by_id)
    assert got[["amount", "returned"]].values.tolist() == [[100.0, True], [50.0, False]]
    by_customer = by_id.drop(columns="order_id").assign(amount=["100", "50", "-20"])
    got = od.read_orders(by_customer)     # the latest order on or before the refund: B, refunded in part
    assert got[["amount", "returned"]].values.tolist() == [[100.0, False], [30.0, False]]


def test_rounded_order_ids_are_set_aside_with_a_warning(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("订单编号,买家会员名,订单创建时间,订单付款时间,买家实际支付金额\n"
                    "3.86E+18,a,2024-01-01,2024-01-01,10\n3.86E+18,b,2024-01-02,2024-01-02,20\n", encoding="utf-8")
    with pytest.warns(UserWarning, match="rounded by a spreadsheet"):
        got = od.read_orders(path)
    assert got["customer_id"].tolist() == ["a", "b"]        # not merged into one order


def test_formula_like_ids_are_written_neutralised(tmp_path):
    from sim.lab import calibrate as cb
    from sim.lab.synthetic import synthetic_orders
    from sim.present import calibration_report
    true = {"market.purchase_cycle_days": 60.0, "market.purchase_rate_spread": 1.0, "market.lapse_per_year": 0.8,
            "market.leaving_spread": 0.5, "market.price_rmb": 150.0, "market.order_value_spread": 0.4}
    orders = synthetic_orders(true, customers=300, days=120, seed=3)
    evil = {"s000000": "=HYPERLINK(\"http://x\")", "s000001": "+1", "s000002": "-2", "s000003": "@SUM(A1)",
            "s000004": "\t=1", "s000005": "\r@x", "s000006": "＝1"}
    orders["customer_id"] = orders["customer_id"].replace(evil)
    cal = cb.calibrate(orders, seeds=1)
    calibration_report.write(cal, tmp_path / "fit")
    written = pd.read_csv(tmp_path / "fit" / "customers.csv", dtype=str, keep_default_na=False)
    ids = set(written["customer_id"])
    # the reader strips the tab / carriage return; what is left is written behind an apostrophe
    assert {"'" + v.strip() for v in evil.values()} <= ids
    assert not any(i[:1] in "=+-@\t\r＝" for i in ids)


def test_the_docs_hold_the_modules_table():
    assert columns.markdown() in (ROOT / "docs" / "data.md").read_text(encoding="utf-8"), \
        "docs/data.md: paste the output of `python -c 'from sim.data import columns; print(columns.markdown())'`"


# ----------------------------------------------------------------- bad input: one line, exit 2

def _taobao_with(tmp_path, row: int, col: str, value: str) -> Path:
    """The Taobao export with one field of data row `row` (1-based) replaced."""
    path = ef.taobao_gbk(tmp_path / "tb.csv")
    lines = path.read_bytes().decode("gbk").split("\r\n")
    header = [h.strip() for h in lines[0].split(",")]
    fields = lines[row].split(",")
    fields[header.index(col)] = value
    lines[row] = ",".join(fields)
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    return path


def _write(tmp_path, name, data) -> Path:
    p = tmp_path / name
    (p.write_bytes if isinstance(data, bytes) else lambda d: p.write_text(d, encoding="utf-8"))(data)
    return p


def _xls(tmp_path):
    return _write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def _ods(tmp_path):
    p = tmp_path / "book.ods"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return p


def _bad_zip(tmp_path):
    p = tmp_path / "book.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return p


GENERIC = "customer_id,date,amount,joined_pool\n"
BAD_INPUT = [
    (lambda t: _taobao_with(t, 2, "订单付款时间", "1970-01-01 08:00:00"),
     "line 3, column '订单付款时间': '1970-01-01 08:00:00' would stretch the history to 54 years"),
    (lambda t: _write(t, "o.csv", GENERIC + "a,2024-01-01,5,\nb,2042-01-02,5,\nc,2024-03-01,5,\n"),
     "line 3, column 'date': '2042-01-02' would stretch the history to 18 years"),
    (lambda t: _write(t, "o.csv", GENERIC + "a,2024-01-01,5,1970-01-01\nb,2024-01-02,5,\n"),
     "line 2, column 'joined_pool': '1970-01-01' would stretch"),
    (lambda t: _write(t, "o.csv", GENERIC + "a,2024-01-01,5,\nb," + "9" * 500 + ",5,\n"),
     "line 3, column 'date': '" + "9" * 40),
    (lambda t: _write(t, "o.csv", "customer_id,date,amount\n13860712345,2024-01-01,5\n1.38607E+10,2024-01-02,5\n"),
     "line 3, column 'customer_id': '1.38607E+10' is a number a spreadsheet rounded"),
    (lambda t: _write(t, "o.csv", "customer_id,date,amount\n张三,2024-01-01,5\n".encode() + b"\xff\xfe,2024-01-02,5\n"),
     "line 3: bytes that are not UTF-8"),
    (_xls, "an old Excel workbook (.xls)"),
    (lambda t: _write(t, "o.xls", "<html><table><tr><td>订单编号</td></tr></table></html>"), "an HTML table"),
    (_bad_zip, "not a readable .xlsx workbook"),
    (_ods, "an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV UTF-8"),
    (lambda t: ef.wecom_contacts(t / "wc.csv"), "a WeCom (企业微信) customer contacts export, not an order history"),
    (lambda t: _write(t, "o.csv", "order_id,customer_id,date,amount\nA,c,2024-01-01,5\nB,c,2024-01-02,-5\n"),
     "line 3, column 'amount': '-5' is a negative amount (a refund) of an order with no paid row"),
    (lambda t: _write(t, "o.csv", "订单编号,买家会员名,订单创建时间,总金额\n1,a,2024-01-01,5\n"),
     "Taobao/Tmall (淘宝/天猫) order report with no amount column (looked for 买家实际支付金额"),
    (lambda t: _taobao_with(t, 1, "买家实际支付金额", "一千"), "line 2, column '买家实际支付金额': '一千' is not a number"),
    (lambda t: _taobao_with(t, 1, "订单付款时间", "昨天"), "line 2, column '订单付款时间': '昨天' is not a date"),
    (lambda t: _write(t, "o.csv", b"\xff\xfe" + "customer_id\tdate\n".encode("utf-16-le")),
     "missing column 'amount'"),
]


@pytest.mark.parametrize("make,message", BAD_INPUT, ids=range(len(BAD_INPUT)))
def test_bad_exports_one_line_exit_2_nothing_written(make, message, tmp_path, capsys):
    path = make(tmp_path)
    out = tmp_path / "out"
    assert main(["calibrate", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"error: {path}"), err
    assert not out.exists()
    quoted = re.findall(r"'([^']*)'", err)
    assert all(len(q) <= QUOTE_LIMIT for q in quoted), err


FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
DAYS = {"2024-01-05": "2024-01-05", "2024/1/6 13:05": "2024-01-06", "2024年1月7日": "2024-01-07",
        "2024-01-08 下午1:05": "2024-01-08", "20240109": "2024-01-09"}
AMOUNTS = {"10": 10.0, "￥1,144.60": 1144.6, "114.46 元": 114.46, "0": 0.0, "¥ 2,000": 2000.0}


@FUZZ
@given(rows=st.lists(st.tuples(st.sampled_from(["a", "张三", "b7", "=1+2"]), st.sampled_from(sorted(DAYS)),
                               st.sampled_from(sorted(AMOUNTS))), min_size=1, max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]), delimiter=st.sampled_from([",", "\t", ";"]),
       junk=st.one_of(st.none(), st.binary(max_size=300), st.text(max_size=200),
                      st.lists(st.lists(st.sampled_from(["a", "张三", "1970-01-01", "￥1,144.60", "-5", "1.38607E+10",
                                                         "=1+2", '"', "", " ", "订单编号", "退款成功", "等待买家付款", "合计"]),
                                        min_size=1, max_size=6), max_size=6)))
def test_any_file_is_read_as_its_utf8_twin_or_refused_in_one_line(rows, encoding, delimiter, junk, tmp_path_factory):
    """Valid rows (Chinese dates and amounts) in any of the encodings and delimiters read as the plain
    UTF-8 CSV of the same orders; junk (random bytes, text, or rows of the values exports hold) is read
    to the contract or refused with a one-line UsageError, never another exception."""
    folder = tmp_path_factory.mktemp("fuzz")
    if junk is None:
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter).writerows([("customer_id", "date", "amount"), *rows])
        (folder / "o.csv").write_bytes(buf.getvalue().encode(encoding))
        (folder / "twin.csv").write_text("customer_id,date,amount\n" + "".join(
            f"{c},{DAYS[d]},{AMOUNTS[a]}\n" for c, d, a in rows), encoding="utf-8")
        same_orders(folder / "o.csv", folder / "twin.csv")
        return
    if isinstance(junk, list):
        junk = "\n".join(",".join(r) for r in [["customer_id", "date", "amount", "订单编号", "退款金额"]] + junk)
    (folder / "o.csv").write_bytes(junk if isinstance(junk, bytes) else junk.encode(encoding, errors="replace"))
    try:
        got = od.read_orders(folder / "o.csv")
    except UsageError as exc:
        assert "\n" not in str(exc)
        return
    assert list(got.columns[:4]) == ["customer_id", "date", "amount", "channel"] and (got["amount"] >= 0).all()
    assert got["date"].notna().all() and got["returned"].dtype == bool
