"""The report's business tables: where the orders happen (sales channels: share of orders, returns, margin per
order) and the entry points into the pool (people, add rate, LTV, cost per person joined), per strategy, when
the strategies book them (sales.enabled; entry points or stores). Numbers are the runs' pooled over the
simulated histories (Strategy.pooled: sim.lab.business.pooled_breakdown).

    business_tables(finding, "zh")    # [(title, how to read, header, rows)]: what the report shows
"""
from __future__ import annotations

from ..lab.findings import Finding
from .formats import fmt
from .labels import check_lang, label, scenario_label
from .phrases import cap

# breakdown -> (title key, how-to-read key, row label prefix, [(column, label key, unit)])
TABLES = {
    "sales_channel": ("rt.sales", "rt.sales_read", "sc.", [("order_share", "rt.order_share", "share"),
                                                          ("return_rate", "rt.return_rate", "share"),
                                                          ("margin_per_order", "rt.margin_per_order", "rmb_user")]),
    "entry": ("rt.entry", "rt.entry_read", "opt.entry.", [("people", "rt.people", "users"),
                                                         ("add_rate", "rt.add_rate", "share"),
                                                         ("ltv", "rt.ltv", "rmb_user"),
                                                         ("cost_per_joined", "rt.cost_per_joined", "rmb_user")]),
}


def business_tables(f: Finding, lang: str) -> list[tuple[str, str, list[str], list[list[str]]]]:
    """(title, how to read, header, rows) of each breakdown that every strategy of `f` books: one row per sales
    channel or entry point, each strategy's columns side by side (all rows '-' for a strategy that lacks it)."""
    check_lang(lang)
    out = []
    for by, (title, read, prefix, cols) in TABLES.items():
        tables = {n: f.strategies[n].pooled(by) for n in f.names}
        shown = [n for n, t in tables.items() if t is not None]
        if not shown:
            continue
        several = len(f.names) > 1
        head = [label("rt.row_" + by, lang)] + [
            (f"{scenario_label(n, lang)}: " if several and lang == "en" else
             f"{scenario_label(n, lang)}：" if several else "") + label(k, lang) for n in shown for _, k, _ in cols]
        rows = []
        for g in tables[shown[0]].index:
            name = label(prefix + g, lang)
            rows.append([cap(name)] + [fmt(tables[n].at[g, c], u, lang) for n in shown for c, _, u in cols])
        out.append((label(title, lang), label(read, lang), head, rows))
    return out


__all__ = ["TABLES", "business_tables"]
