"""The analysts' tables of notebooks 07-09 read in the page's language (sim/present/tool_tables.py): in
Chinese no English word is left (model names such as BG/NBD, file names and the export's own headers aside),
in English they carry the CLI's words; the numbers are the same in both."""
from __future__ import annotations

import re

import pandas as pd
import pytest

import sim
from sim.lab.synthetic import synthetic_brand
from sim.present.calibration_report import pattern_name
from sim.present.report import scenario_path
from sim.present.tool_tables import import_report, levers_table, search_table, worlds_table

KEEP = r"BG/NBD|Pareto/NBD|LTV|GB18030|GBK|CRLF|LF|taobao_orders\.csv|“[^”]*”"


def _english(text: str) -> list[str]:
    """English words left in a Chinese text (two letters or more), once proper names are set aside."""
    return re.findall(r"[A-Za-z]{2,}", re.sub(KEEP, "", text))


@pytest.fixture(scope="module")
def decided():
    a, b = scenario_path("discount_only"), scenario_path("differentiated_service")
    small = dict(agents=500, days=90)
    ex = sim.explain(a, b, seeds=2, figures=("ltv", "profit"), by="section", **small)
    rob = sim.robustness(a, b, draws=6, seeds=1, figures=("profit", "churn_rate_monthly"), **small)
    opt = sim.optimise(b, levers={"messaging.per_week": (0.5, 6)}, objective="profit",
                       constraints={"churn_rate_monthly": ("<=", 0.5)}, trials=3, seeds=1, **small)
    return ex, rob, opt


def test_the_decide_tables_read_in_chinese(decided):
    ex, rob, opt = decided
    for zh, en in ((levers_table(ex, "zh"), levers_table(ex, "en")), (worlds_table(rob, "zh"), worlds_table(rob, "en")),
                   (search_table(opt, "zh"), search_table(opt, "en"))):
        shown = re.sub(r"<[^>]+>", "", re.sub(r"(?s)<style.*?</style>", "", zh.html))
        assert not _english(zh.text) and not _english(shown), (_english(zh.text), _english(shown))
        assert "[90%]" in en.text and "siyu-table" in en.html
    assert "万" in levers_table(ex, "zh").text          # money in 万, as every Chinese table writes it


def test_the_import_report_reads_in_chinese(tmp_path):
    o = synthetic_brand({"market.purchase_cycle_days": 60.0}, customers=300, seed=1)["orders"]
    pd.DataFrame({"订单编号": [f"T{i:08d}" for i in range(len(o))], "买家会员名": o["customer_id"],
                  "订单创建时间": o["date"] + " 10:00:00", "订单付款时间": o["date"] + " 10:01:00",
                  "买家实际支付金额": o["amount"].map(lambda v: f"{v:.2f}"), "订单状态": "交易成功"}
                 ).to_csv(tmp_path / "taobao_orders.csv", index=False, encoding="gb18030", lineterminator="\r\n")
    zh = import_report(tmp_path / "taobao_orders.csv", "zh").text
    assert not _english(zh), _english(zh)
    assert "淘宝/天猫订单报表" in zh and "逗号分隔" in zh and f"{len(o):,}" in zh
    assert "Taobao/Tmall" in import_report(tmp_path / "taobao_orders.csv", "en").text


def test_buying_patterns_are_named_in_chinese():
    for name in ("BG/NBD + burst", "Pareto/NBD + after-purchase burst + calendar trend + pool lift"):
        zh = pattern_name(name, "zh")
        assert not _english(zh) and zh.startswith(name.split(" + ")[0]), zh
    assert pattern_name("BG/NBD + burst", "en") == "BG/NBD + burst"
