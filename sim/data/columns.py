"""The known column names of each export, as data: which header of a platform's export holds each
standard column, and how a file's header is matched to them (docs/data.md prints the table).

Standard columns of an order table (the contract of sim/lab/orders.py `read_orders`):
  customer_id, date, amount, channel, joined_pool, returned
and the columns that shape it before it is handed on:
  order_id       rows with one order id are one order (sub-order rows merged; refunds paired with it)
  sub_order_id   a sub-order seen twice is a duplicated row (dropped)
  paid_at        payment time: the order's date when present; empty means not paid (dropped)
  status         order status: unpaid ones dropped, closed-after-payment ones count as refunded
  refund_status  after-sales / refund status: a completed refund marks the order returned
  refund_amount  refunded amount: the whole order -> returned; part of it -> a reduced amount
  phone          the buyer's (often masked) phone: the customer key when there is no buyer id
A WeCom contact export has: customer_id, staff, added, lost, phone.

Each platform lists, per column, the headers tried in order (the first present wins). Headers are
compared after `normalise`: spaces (also full-width, also inside a header), byte-order marks and
zero-width characters removed, letters case-folded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ORDER_COLUMNS = ("customer_id", "date", "amount", "channel", "joined_pool", "returned")
SHAPING_COLUMNS = ("order_id", "sub_order_id", "paid_at", "status", "refund_status", "refund_amount", "phone")
CONTACT_COLUMNS = ("customer_id", "staff", "added", "lost", "phone")
REQUIRED = {"orders": ("customer_id", "date", "amount"), "contacts": ("customer_id", "added"),
            "touches": ("customer_id", "date", "kind")}
ALTERNATIVE = {"customer_id": "phone", "date": "paid_at"}    # a required column another can stand in for

# Order statuses (订单状态) that mean the order was never paid, or closed (cancelled, or refunded
# in full when it had been paid); refund statuses that mean money went back (whole or part).
UNPAID_STATUS = frozenset({"等待买家付款", "待付款", "待支付", "未付款", "未支付", "买家未付款", "待买家付款"})
CLOSED_STATUS = frozenset({"交易关闭", "已关闭", "已取消", "订单取消", "取消", "关闭", "交易取消"})
REFUNDED_STATUS = frozenset({"退款成功", "已退款", "退款完成", "全额退款", "售后完成", "退货退款成功"})

CHANNEL_NAMES = ("douyin", "xiaohongshu", "ecommerce", "other")      # the engine's acquisition channels
CHANNEL_VALUES = {"抖音": "douyin", "抖店": "douyin", "小红书": "xiaohongshu", "淘宝": "ecommerce",
                  "天猫": "ecommerce", "京东": "ecommerce", "拼多多": "ecommerce", "电商": "ecommerce",
                  "其他": "other", "其它": "other"}


@dataclass(frozen=True)
class Platform:
    """One kind of export: its name, what it holds, the channel its orders come through, the headers."""
    key: str
    label: str
    kind: str                      # "orders" or "contacts"
    channel: str | None            # every order's channel when the file has no channel column
    columns: dict                  # standard column -> headers tried in order


PLATFORMS = (
    Platform("taobao", "Taobao/Tmall (淘宝/天猫) order report", "orders", "ecommerce", {
        "order_id": ("订单编号", "主订单编号", "订单号"),
        "sub_order_id": ("子订单编号",),
        "customer_id": ("买家会员名", "买家昵称", "买家会员ID", "买家ID"),
        "paid_at": ("订单付款时间", "付款时间", "买家付款时间"),
        "date": ("订单创建时间", "创建时间", "下单时间"),
        "amount": ("买家实际支付金额", "实际支付金额", "实付金额", "实付款"),
        "status": ("订单状态",),
        "refund_status": ("退款状态",),
        "refund_amount": ("退款金额",),
        "phone": ("联系手机", "收货人手机号"),
    }),
    Platform("douyin", "Douyin shop (抖店) order export", "orders", "douyin", {
        "order_id": ("主订单编号", "订单编号", "订单号"),
        "sub_order_id": ("子订单编号",),
        "customer_id": ("买家ID", "用户ID", "抖音号", "买家昵称"),
        "paid_at": ("支付完成时间", "支付时间", "付款时间"),
        "date": ("订单提交时间", "下单时间", "订单创建时间"),
        "amount": ("订单应付金额", "应付金额", "实付金额", "支付金额"),
        "status": ("订单状态",),
        "refund_status": ("售后状态", "退款状态"),
        "refund_amount": ("退款金额", "售后金额"),
        "phone": ("收件人手机号", "收件人手机", "收件人电话", "手机号"),
    }),
    Platform("youzan", "Youzan (有赞) order export", "orders", None, {
        "order_id": ("订单号", "订单编号"),
        "customer_id": ("买家手机号", "会员手机号", "粉丝昵称", "买家昵称"),
        "paid_at": ("付款时间", "买家付款时间", "支付时间"),
        "date": ("下单时间", "订单创建时间", "创建时间"),
        "amount": ("实付金额", "订单实付金额", "买家实付金额", "应收订单金额"),
        "status": ("订单状态",),
        "refund_status": ("退款状态", "维权状态", "售后状态"),
        "refund_amount": ("退款金额", "已退款金额"),
        "phone": ("收货人手机号", "收货人/提货人手机号"),
    }),
    Platform("wecom", "WeCom (企业微信) customer contacts", "contacts", None, {
        "customer_id": ("外部联系人ID", "external_userid", "客户ID", "unionid", "客户名称", "客户昵称", "客户"),
        "staff": ("添加人", "所属员工", "跟进人", "归属员工", "所属成员", "添加人员", "员工"),
        "added": ("添加时间", "添加好友时间", "加好友时间"),
        "lost": ("流失时间", "删除时间", "被删除时间"),
        "phone": ("手机号", "客户手机号", "电话"),
    }),
    Platform("generic", "generic order table", "orders", None, {
        "customer_id": ("customer_id", "客户ID", "客户编号", "会员ID", "用户ID", "user_id", "buyer_id"),
        "date": ("date", "日期", "下单时间", "下单日期", "订单日期", "order_date"),
        "amount": ("amount", "金额", "实付金额", "订单金额", "支付金额"),
        "channel": ("channel", "渠道"),
        "joined_pool": ("joined_pool", "入池日期", "加入私域日期"),
        "returned": ("returned",),
        "order_id": ("order_id", "订单号", "订单编号"),
        "sub_order_id": ("sub_order_id",),
        "paid_at": ("paid_at",),
        "status": ("status", "订单状态"),
        "refund_status": ("refund_status", "退款状态"),
        "refund_amount": ("refund_amount", "退款金额"),
        "phone": ("phone",),
    }),
    Platform("generic_contacts", "generic contact table", "contacts", None, {
        "customer_id": ("customer_id",), "staff": ("staff",), "added": ("added",), "lost": ("lost",),
        "phone": ("phone",),
    }),
    Platform("generic_touches", "campaign log (touches)", "touches", None, {
        "customer_id": ("customer_id", "客户ID", "会员ID", "用户ID", "外部联系人ID", "客户"),
        "date": ("date", "触达时间", "发送时间", "触达日期", "发送日期", "日期"),
        "kind": ("kind", "触达类型", "类型", "触达方式", "touch"),
        "holdout": ("holdout", "对照组", "是否对照组", "control", "是否对照"),
        "phone": ("phone", "手机号"),
    }),
)
BY_KEY = {p.key: p for p in PLATFORMS}
GENERIC = {"orders": BY_KEY["generic"], "contacts": BY_KEY["generic_contacts"], "touches": BY_KEY["generic_touches"]}
# what a campaign log's kind of touch says, in the words exports use
TOUCH_KINDS = {"message": ("message", "msg", "消息", "群发", "私聊", "推送", "朋友圈", "社群消息", "短信"),
               "coupon": ("coupon", "优惠券", "券", "优惠", "折扣", "红包")}
HOLDOUT_WORDS = {True: ("1", "true", "yes", "是", "对照", "对照组", "holdout", "control"),
                 False: ("0", "false", "no", "否", "实验", "实验组", "触达", "treated", "")}
STRIP = " \t\r\n\u3000\ufeff\u200b\u00a0"
_SPACES = re.compile("[" + STRIP + "]+")


def normalise(header) -> str:
    """A header as compared: spaces (also full-width, and inside: 订单 编号), BOMs and zero-width spaces
    removed, case-folded."""
    return _SPACES.sub("", str(header)).casefold()


@dataclass
class Match:
    """How a header was read: the platform, and for each standard column the index of its header."""
    platform: Platform
    index: dict            # standard column -> position in the header
    given: frozenset       # columns mapped by --columns


def _find(norm: list[str], names) -> int | None:
    for name in names:
        n = normalise(name)
        if n in norm:
            return norm.index(n)
    return None


def _map(platform: Platform, norm: list[str]) -> dict:
    """Standard column -> header index under `platform`, the generic names filling what it lacks."""
    found = {c: i for c, names in platform.columns.items() if (i := _find(norm, names)) is not None}
    generic = GENERIC[platform.kind]
    for c, names in generic.columns.items():
        if c not in found and (i := _find(norm, names)) is not None:
            found[c] = i
    return found


def score(header: list[str]) -> int:
    """How many headers any table knows (to find the header line below a title line)."""
    known = {normalise(n) for p in PLATFORMS for names in p.columns.values() for n in names}
    return sum(normalise(h) in known for h in header)


def _weight(name: str, kind: str) -> float:
    """1 / the number of tables of `kind` that list header `name`: a header only one platform uses weighs most."""
    n = normalise(name)
    return 1.0 / sum(any(normalise(x) == n for names in p.columns.values() for x in names)
                     for p in PLATFORMS if p.kind == kind)


def match(header: list[str], columns: dict | None = None, kind: str = "orders") -> Match:
    """The platform whose table recognises `header` best (all required columns first, then the headers
    found weighted by how few tables list them; ties: the generic table, else the earlier), its mapping, and
    `columns` (standard name -> header, from --columns) on top. A name of `columns` absent from the
    header is left out here; the caller refuses it naming the closest header."""
    norm = [normalise(h) for h in header]
    best, best_key = None, None
    for p in PLATFORMS:
        if p.kind != kind:
            continue
        found = _map(p, norm)
        own = sum(_weight(header[i], kind) for c, i in found.items() if _find(norm, p.columns.get(c, ())) == i)
        complete = all(c in found or ALTERNATIVE.get(c) in found for c in REQUIRED[kind])
        key = (complete, own, p is GENERIC[kind])      # a platform must beat the generic table, not tie it
        if best_key is None or key > best_key:
            best, best_key = (p, found), key
    platform, index = best
    given = {name: i for name, h in (columns or {}).items() if (i := _find(norm, [h])) is not None}
    index = {c: i for c, i in index.items() if i not in given.values()}     # a header --columns claimed is its alone
    return Match(platform, {**index, **given}, frozenset(given))


def other_kind(header: list[str], kind: str) -> Platform | None:
    """The platform of the other kind (contacts for orders, and back) that recognises `header` well,
    when the file is plainly of that kind (all its required columns found), else None."""
    norm = [normalise(h) for h in header]
    other = {"orders": "contacts", "contacts": "orders", "touches": "orders"}[kind]
    for p in PLATFORMS:
        if p.kind == other and p.key not in ("generic", "generic_contacts", "generic_touches"):
            found = _map(p, norm)
            if all(c in found for c in REQUIRED[other]) and not all(c in _map(GENERIC[kind], norm)
                                                                     for c in REQUIRED[kind]):
                return p
    return None


def markdown() -> str:
    """The table of known headers per platform as Markdown (docs/data.md holds this text)."""
    out = []
    for p in PLATFORMS:
        out.append(f"**{p.label}** (`{p.key}`; {p.kind}" + (f"; every order's channel: `{p.channel}`" if p.channel else "")
                   + ")\n\n| column | headers tried, in order |\n|---|---|")
        out += [f"| `{c}` | {', '.join(names)} |" for c, names in p.columns.items()]
        out.append("")
    return "\n".join(out)
