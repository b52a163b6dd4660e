"""Small export files built from the documented columns of each platform (sim/data/columns.py,
docs/data.md), written the way the platform or Excel writes them, each with its UTF-8 twin: the same
orders as a plain `customer_id,date,amount,channel,returned` CSV. tests/test_data.py reads both and
checks they give the same orders.

One history of seven orders of four buyers is written in every format:
  - an order of two items (two sub-order rows in a 抖店 export),
  - an order refunded in full (returned), one refunded in part (its amount net of the refund),
  - an unpaid order (dropped: it is absent from the twin),
  - an order placed just before midnight and paid after it (its day is the payment's).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass
class Order:
    oid: str
    buyer: str            # Taobao member name / 有赞 nickname
    phone: str            # full number; 抖店 shows it masked
    created: str
    paid: str             # '' = not paid
    items: tuple          # sub-order amounts
    refunds: tuple        # refunded per item

    @property
    def masked(self) -> str:
        return self.phone[:3] + "****" + self.phone[-4:]

    @property
    def total(self) -> float:
        return round(sum(self.items), 2)

    @property
    def refunded(self) -> float:
        return round(sum(self.refunds), 2)


ORDERS = [
    Order("3861000000000000001", "张三", "13812341234", "2024-01-05 13:05:06", "2024-01-05 13:06:10", (572.30, 572.30), (0, 0)),
    Order("3861000000000000002", "张三", "13812341234", "2024-02-10 09:00:00", "2024-02-10 09:01:00", (99.00,), (99.00,)),
    Order("3861000000000000003", "李四", "13956785678", "2024-01-20 20:30:00", "2024-01-20 20:31:00", (1299.00, 45.50), (0, 45.50)),
    Order("3861000000000000004", "李四", "13956785678", "2024-03-01 10:00:00", "", (88.00,), (0,)),
    Order("3861000000000000005", "王五", "13700010001", "2024-03-15 23:59:59", "2024-03-16 00:00:10", (2345.67,), (0,)),
    Order("3861000000000000006", "王五", "13700010001", "2024-04-01 08:15:00", "2024-04-01 08:15:30", (10.00,), (0,)),
    Order("3861000000000000007", "赵六", "13699999999", "2024-04-02 18:00:00", "2024-04-02 18:00:05", (19.90, 0.10), (0, 0)),
]
PAID = [o for o in ORDERS if o.paid]


def _day(ts: str) -> str:
    return ts[:10]


def twin(path: Path, key: str, channel: str) -> Path:
    """The UTF-8 twin: one row per paid order; `key` names the Order field that is the customer id."""
    rows = ["customer_id,date,amount,channel,returned"]
    for o in PAID:
        returned = o.refunded >= o.total
        amount = o.total if returned else round(o.total - o.refunded, 2)
        rows.append(f"{getattr(o, key)},{_day(o.paid)},{amount:.2f},{channel},{int(returned)}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _csv(rows: list[list], delimiter: str = ",", lineterminator: str = "\r\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return buf.getvalue()


def taobao_gbk(path: Path) -> Path:
    """Taobao/Tmall order report (订单报表): GBK, CRLF, some headers ending in spaces, order ids as
    Excel's ="..." text, one row per order; unpaid: 等待买家付款 and no payment time; refunds in 退款金额."""
    header = ["订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "总金额", "买家实际支付金额", "订单状态",
              "收货地址 ", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝种类", "退款金额"]
    rows = [header]
    for o in ORDERS:
        status = "等待买家付款" if not o.paid else "交易关闭" if o.refunded >= o.total else "交易成功"
        rows.append([f'="{o.oid}"', o.buyer, "***", f"{o.total:.2f}", f"{o.total:.2f}", f"{o.total:.2f}", status,
                     "浙江省 杭州市", o.created, o.paid, "宝贝", len(o.items), f"{o.refunded:.2f}"])
    path.write_bytes(_csv(rows).encode("gbk"))
    return path


def douyin_suborders(path: Path) -> Path:
    """抖店 order export: one row per sub-order (主订单编号 / 子订单编号), 订单应付金额 per sub-order with
    thousands separators, masked phones and no buyer id, 售后状态 per sub-order; one row repeated."""
    header = ["主订单编号", "子订单编号", "选购商品", "商品数量", "订单应付金额", "订单提交时间", "支付完成时间",
              "订单状态", "售后状态", "收件人", "收件人手机号"]
    rows = [header]
    for o in ORDERS:
        status = "待支付" if not o.paid else "已关闭" if o.refunded >= o.total else "已完成"
        for k, (amount, refund) in enumerate(zip(o.items, o.refunds)):
            rows.append([o.oid, f"{o.oid}{k + 1:02d}", "商品", 1, f"{amount:,.2f}", o.created.replace("-", "/"),
                         o.paid.replace("-", "/"), status, "退款成功" if refund else "-", "张*", o.masked])
    rows.insert(3, rows[2])                        # an export that repeats a sub-order row
    path.write_bytes(b"\xef\xbb\xbf" + _csv(rows).encode("utf-8"))
    return path


def youzan(path: Path) -> Path:
    """有赞 order export: 订单号, 买家手机号 (the customer key), 粉丝昵称, 下单时间, 付款时间, 实付金额
    as ¥1,144.60 or 114.46 元, 退款状态 and 退款金额."""
    header = ["订单号", "订单状态", "买家手机号", "粉丝昵称", "下单时间", "付款时间", "商品金额合计", "运费", "实付金额",
              "退款状态", "退款金额"]
    rows = [header]
    for k, o in enumerate(ORDERS):
        status = "待付款" if not o.paid else "交易关闭" if o.refunded >= o.total else "交易成功"
        refund = "退款成功" if o.refunded >= o.total else "部分退款" if o.refunded else ""
        paid = f"¥{o.total:,.2f}" if k % 2 else f"{o.total:.2f} 元"
        rows.append([f"E2024{o.oid[-8:]}", status, o.phone, o.buyer, o.created, o.paid, f"{o.total:.2f}", "0.00",
                     paid, refund, f"{o.refunded:.2f}" if o.refunded else ""])
    path.write_text(_csv(rows, lineterminator="\n"), encoding="utf-8")
    return path


def xlsx(path: Path) -> Path:
    """A workbook as a brand keeps it: a title row above the header, ids as numbers, dates as date cells,
    amounts as numbers, a refund as a negative row after its order, a second sheet of notes."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(["订单导出（2024年）"])
    ws.append(["客户ID", "下单时间", "实付金额", "备注"])
    ids = {"张三": 10001, "李四": 10002, "王五": 10003, "赵六": 10004}
    for o in PAID:
        ws.append([ids[o.buyer], datetime.fromisoformat(o.paid), o.total, ""])
        if o.refunded:
            ws.append([ids[o.buyer], datetime.fromisoformat(o.paid), -o.refunded, "退款"])
    wb.create_sheet("说明").append(["导出说明"])
    wb.save(path)
    return path


def xlsx_twin(path: Path) -> Path:
    ids = {"张三": 10001, "李四": 10002, "王五": 10003, "赵六": 10004}
    rows = ["customer_id,date,amount,channel,returned"]
    for o in PAID:
        returned = o.refunded >= o.total
        rows.append(f"{ids[o.buyer]},{_day(o.paid)},{o.total if returned else o.total - o.refunded:.2f},other,"
                    f"{int(returned)}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def utf16_tab(path: Path) -> Path:
    """Excel's "Unicode text": UTF-16 LE with a byte-order mark, tab-separated, CRLF; Chinese headers of
    the generic table, dates as 2024年1月5日, amounts as ￥1,144.60 or 114.46 元, channels in Chinese."""
    rows = [["会员ID", "日期", "金额", "渠道", "returned"]]
    for k, o in enumerate(PAID):
        returned = o.refunded >= o.total
        amount = o.total if returned else o.total - o.refunded
        y, m, d = (int(x) for x in _day(o.paid).split("-"))
        rows.append([o.buyer, f"{y}年{m}月{d}日", f"￥{amount:,.2f}" if k % 2 else f"{amount:.2f} 元",
                     "抖音" if k % 2 else "小红书", int(returned)])
    path.write_bytes(b"\xff\xfe" + _csv(rows, delimiter="\t").encode("utf-16-le"))
    return path


def utf16_twin(path: Path) -> Path:
    rows = ["customer_id,date,amount,channel,returned"]
    for k, o in enumerate(PAID):
        returned = o.refunded >= o.total
        rows.append(f"{o.buyer},{_day(o.paid)},{o.total if returned else o.total - o.refunded:.2f},"
                    f"{'douyin' if k % 2 else 'xiaohongshu'},{int(returned)}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


CONTACTS = [  # (external id, name, staff, added, lost)
    ("wmABC001", "张三", "小王", "2024-01-06 10:00", ""),
    ("wmABC002", "李四", "小王", "2024-01-21 11:30", "2024-02-15 09:00"),
    ("wmABC003", "王五", "小李", "2024-03-17 08:00", ""),
]


def wecom_contacts(path: Path) -> Path:
    """WeCom customer contacts (客户联系 export): GBK, 客户名称, 外部联系人ID, 添加人, 添加时间, 流失时间."""
    rows = [["客户名称", "客户类型", "外部联系人ID", "添加人", "添加时间", "流失时间"]]
    rows += [[name, "微信用户", xid, staff, added.replace("-", "/"), lost.replace("-", "/")]
             for xid, name, staff, added, lost in CONTACTS]
    path.write_bytes(_csv(rows).encode("gbk"))
    return path


def contacts_twin(path: Path) -> Path:
    rows = ["customer_id,staff,added,lost"] + [f"{x},{s},{a[:10]},{lo[:10]}" for x, _, s, a, lo in CONTACTS]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
