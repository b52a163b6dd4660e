"""The consulting storyline of a comparison: what the deck's slides say, answer first (the pyramid), and the
report's recommendation. Everything is read from the finding (sim.lab.findings) and its recommendation
(sim.lab.recommend); the words are story_text's; numbers go through formats.fmt.

    slides = storyline(f, "zh")            # [Slide, ...]: sim.present.deck renders them
    lines = recommendation_lines(f, "en")   # [(heading, text), ...]: the recommendation slide and the report

The slides, in order:
  title           the question; what was run (and a what-if's settings)
  summary         its title is the answer; what to do, what it is worth, payback, how sure, what to test
  recommendation  what to do; what it is worth with its interval; how sure ("better in X% of plausible
                  worlds", reconciled with the seeds' interval in one sentence); the condition it hinges on;
                  for a pilot, what it risks
  findings        one slide per supporting finding, its message title carrying its figure, with its chart:
                  payback (J-curve), the LTV gap's drivers, the lever carrying it (when explained), retention,
                  where users go, the verdict across plausible worlds (when checked)
  risks           what to test first: the hinge assumptions as a pilot plan (what to measure, how, the value
                  that changes the decision)
  appendix        key figures, method, assumptions and their sources, terms
Every slide has speaker notes with the detail and the caveats.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..lab.findings import Finding
from ..lab.recommend import PILOT_CUSTOMERS, Recommendation, Test, recommend
from . import plots
from .conclusions import VERDICT_FIGURES, conclusions
from .conclusions_lab import verdict_sentence
from .formats import fmt, lever_name, setting_words
from .inputs import shown
from .key_labels import MEASURE_ANY, MEASURE_FITTED
from .labels import LABELS, check_lang, label
from .phrases import assumption_words, cap, lever_words, who
from .report_text import assumptions, how_to_read, sources
from .story_text import say, words
from .tables import comparison_rows


@dataclass
class Slide:
    """One slide as the deck lays it out: `kind`, the title, bullet paragraphs (`body`) or headed sections
    (`sections`: [(heading, text)]), a report chart key (`chart`) with a one-line `caption`, a table
    (`table`: (head, rows)), and the speaker notes."""
    kind: str
    title: str
    body: list[str] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)
    chart: str | None = None
    caption: str = ""
    table: tuple | None = None
    notes: list[str] = field(default_factory=list)


def _sep(lang: str) -> str:
    return ", " if lang == "en" else "，"


def _and(items: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _money(v: float, lang: str, form: str = "level") -> str:
    return fmt(v, "rmb", lang, form, "sentence")


def _per_user(v: float, lang: str, form: str = "level") -> str:
    return fmt(v, "rmb_user", lang, form, "sentence", units=False)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _name(key: str, lang: str, inside: bool = False) -> str:
    """An assumption or lever by its display name: at the start of a sentence or item as it is, inside an
    English sentence in lower case after 'the' (the share of ...), inside a Chinese one spaced from Latin."""
    if not inside:
        return lever_name(key, lang)
    words = assumption_words(key, "", lang)
    return f"the {words}" if lang == "en" and not words.startswith("the ") else words


def _setup(f: Finding, lang: str) -> str:
    users = setting_words("market.users", f.users, lang)
    key = "setup" if f.world_count else "setup_unchecked"
    return say(key, lang, users=users, days=f.days, k=len(f.seeds), n=f.world_count, today=date.today().isoformat())


def what_if_line(f: Finding, lang: str) -> str:
    """'What-if: ...' naming each setting the user made for this run, '' when there is none."""
    p = f.inputs[f.first]
    items = [say("what_if_item", lang, name=lever_words(k, lang).strip(), value=setting_words(k, v, lang),
                 default=setting_words(k, p[k].default, lang)) for k, v in f.what_if.items()]
    return say("what_if", lang, settings=("; " if lang == "en" else "；").join(items)) if items else ""


# ----------------------------------------------------------------- the recommendation

def _cond(rec: Recommendation, lang: str) -> tuple[str, str, str]:
    """(assumption name, 'at least' / 'at most', value) of a conditional recommendation."""
    h = rec.condition
    return (_name(h.key, lang, inside=True), say(f"bound.{h.holds_side}", lang),
            setting_words(h.key, h.flip_value, lang, h.unit))


def _how(t: Test, lang: str) -> str:
    key = f"m.{t.key}"
    if key in LABELS:
        return label(key, lang)
    return (MEASURE_FITTED if t.fitted else MEASURE_ANY)[check_lang(lang)]


def _sure(f: Finding, rec: Recommendation, lang: str) -> str:
    """The seeds' interval and the worlds' share, reconciled in one sentence."""
    d = rec.worth[rec.figure]
    lo, hi = (fmt(x, "rmb" if rec.figure == "profit" else "rmb_user", lang, "diff", "sentence") for x in (d.lo, d.hi))
    if not rec.worlds:
        return say("sure_unchecked", lang, k=len(f.seeds), lo=lo, hi=hi)
    kind = rec.verdict.kind
    reading = say(f"reading.{kind if kind in ('finding', 'conditional') else 'open'}", lang,
                  hinge=_cond(rec, lang)[0] if kind == "conditional" else "")
    return say("sure", lang, k=len(f.seeds), lo=lo, hi=hi, C=who(rec.choice, lang), w=rec.wins, n=rec.worlds,
               p=_pct(rec.share), reading=reading)


def _worth(f: Finding, rec: Recommendation, lang: str) -> str:
    ltv, profit = rec.worth["ltv"], rec.worth["profit"]
    return say("worth", lang, C=who(rec.choice, lang), O=who(rec.other, lang), ltv=_per_user(ltv.mean, lang, "size"),
               more=say("more" if ltv.mean >= 0 else "less", lang), ltv_lo=_per_user(ltv.lo, lang, "diff"),
               ltv_hi=_per_user(ltv.hi, lang, "diff"), days=f.days, profit=_money(profit.mean, lang, "size"),
               higher=say("higher" if profit.mean >= 0 else "lower", lang), lo=_money(profit.lo, lang, "diff"),
               hi=_money(profit.hi, lang, "diff"))


def _hinge_text(t: Test | None, leader: str | None, lang: str) -> str:
    """What the verdict hinges on; when the seeds' leader (`leader`) is not the one the hinge favours at the
    scenarios' own value, the sentence says that the hinge is not all that decides."""
    if t is None:
        return say("hinge.none", lang)
    name, here = _name(t.key, lang), setting_words(t.key, t.value, lang, t.unit)
    if t.flip_value is None:
        return say("hinge.moves", lang, name=name, v_here=here)
    text = say("hinge.flip", lang, name=name, v_here=here, flip=setting_words(t.key, t.flip_value, lang, t.unit),
               X=who(t.above, lang), Y=who(t.below, lang))
    if leader and isinstance(t.value, (int, float)) and not isinstance(t.value, bool):
        favoured = t.above if t.value >= t.flip_value else t.below
        if favoured != leader:
            text += say("hinge.not_alone", lang, L=who(leader, lang), v_here=here)
    return text


def _do(rec: Recommendation, lang: str) -> str:
    C, O = who(rec.choice, lang), who(rec.other, lang)
    if rec.action == "adopt":
        watch = [_name(t.key, lang, inside=True) for t in rec.tests[:1]]
        return say("do.adopt", lang, C=C, watch=watch[0]) if watch else say("do.adopt_nowatch", lang, C=C)
    if rec.action == "adopt_if":
        name, bound, v = _cond(rec, lang)
        test = next((t for t in rec.tests if t.key == rec.condition.key), None)
        how = _how(test, lang) if test else MEASURE_ANY[check_lang(lang)]
        return say("do.adopt_if", lang, hinge=name, how=how, bound=bound, v=v, C=C, O=O)
    if rec.action == "pilot":
        clear = [t for t in rec.tests if t.clear] or list(rec.tests[:1])    # leads stay on the risks slide
        tests = [_name(t.key, lang, inside=True) for t in clear] or [say("hinge.none", lang)]
        key = "do.pilot_keep" if rec.choice == rec.a else "do.pilot"      # the control group leads: keep it
        return say(key, lang, A=who(rec.a, lang), B=who(rec.b, lang), N=f"{PILOT_CUSTOMERS:,}",
                   tests=_and(tests, lang))
    return say("do.unchecked", lang, C=C)


def recommendation_lines(obj, lang: str = "en", rec: Recommendation | None = None) -> list[tuple[str, str]]:
    """[(heading, text)]: what to do, what it is worth, how sure, what it hinges on and (for a pilot or a
    condition) what the pilot risks; the recommendation slide and the report's opening section."""
    check_lang(lang)
    f = shown(obj)
    rec = rec or recommend(f)
    hinge = next((t for t in rec.tests if rec.condition is not None and t.key == rec.condition.key),
                 rec.tests[0] if rec.tests else None)
    out = [(say("do", lang), _do(rec, lang)), (say("worth_head", lang), _worth(f, rec, lang)),
           (say("sure_head", lang), _sure(f, rec, lang))]
    if rec.worlds:
        out.append((say("hinge_head", lang), _hinge_text(hinge, rec.verdict.leader, lang)))
    if rec.action in ("pilot", "adopt_if"):
        s = rec.stake
        out.append((say("cost_head", lang), say(
            "stake", lang, N=f"{PILOT_CUSTOMERS:,}", B=who(rec.b, lang), A=who(rec.a, lang),
            stake=_money(s.mean, lang, "size"), more=say("more" if s.mean >= 0 else "less", lang),
            lo=_money(s.lo, lang, "diff"), hi=_money(s.hi, lang, "diff"))))
    return out


def _rec_title(f: Finding, rec: Recommendation, lang: str) -> str:
    C = who(rec.choice, lang)
    if rec.action == "adopt_if":
        name, bound, v = _cond(rec, lang)
        return say("rec_title.adopt_if", lang, hinge=name, bound=bound, v=v, C=C)
    return say(f"rec_title.{rec.action}", lang, C=C, p=_pct(rec.share or 0), N=f"{PILOT_CUSTOMERS:,}",
               profit=_money(rec.worth["profit"].mean, lang, "size"))


def _answer(f: Finding, rec: Recommendation, lang: str) -> str:
    C = who(rec.choice, lang)
    if rec.action == "adopt_if":
        name, bound, v = _cond(rec, lang)
        cond = f"{name} is {bound} {v}" if lang == "en" else f"{name}{bound} {v} "
        return say("answer.adopt_if", lang, C=C, cond=cond)
    return say(f"answer.{rec.action}", lang, C=C, p=_pct(rec.share or 0), n=rec.worlds, days=f.days,
               profit=_money(rec.worth["profit"].mean, lang, "size"))


# ----------------------------------------------------------------- supporting findings

def _payback_title(f: Finding, lang: str) -> str:
    """The J-curve's message: who pays back in which month (earlier first)."""
    st = [f.strategies[n] for n in f.names]
    dips = [_money(s.dip, lang) for s in st]
    if len(st) > 2 and all(s.payback is None for s in st):
        return say("t.j_curve.none_all", lang, days=st[0].days)
    if len(st) > 2:
        items = [say("pb_item", lang, X=who(s.name, lang), m=s.payback_month) if s.payback is not None else
                 say("pb_none", lang, X=who(s.name, lang), days=s.days) for s in st]
        return say("t.j_curve.many", lang, items=_sep(lang).join(items))
    x, y = sorted(st, key=lambda s: (s.payback is None, s.payback or 0))
    if x.payback is None:
        return say("t.j_curve.none", lang, days=x.days, dx=dips[0], dy=dips[1])
    if y.payback is None:
        return say("t.j_curve.one", lang, X=who(x.name, lang), mx=x.payback_month, Y=who(y.name, lang), days=y.days)
    if x.payback_month == y.payback_month:
        return say("t.j_curve.same", lang, m=x.payback_month, dx=dips[0], dy=dips[1])
    return say("t.j_curve.pair", lang, X=who(x.name, lang), mx=x.payback_month, Y=who(y.name, lang),
               my=y.payback_month)


def _payback_caption(f: Finding, lang: str) -> str:
    items = [say("item", lang, X=who(n, lang), v=_money(f.strategies[n].dip, lang, "size")) for n in f.names]
    text = say("cap.j_curve", lang, items=_sep(lang).join(items))
    for n in f.names:
        s = f.strategies[n]
        if s.payback is not None and s.paid_back < s.histories:
            text += say("cap.some_paid", lang, X=who(n, lang), p=s.paid_back, k=s.histories)
    return text


def _bridge_title(f: Finding, b: str, lang: str) -> str:
    br = f.bridge(b)
    fields = dict(B=who(b, lang), A=who(f.first, lang), d=_per_user(br.gap, lang, "size"),
                  more=say("more" if br.gap >= 0 else "less", lang))
    if not br.driver:
        return say("t.ltv_bridge_plain", lang, **fields)
    return say("t.ltv_bridge", lang, driver=label("d." + br.driver, lang), **fields)


def _bridge_caption(f: Finding, b: str, lang: str) -> str:
    br = f.bridge(b)
    parts = [d for d in (br.driver, br.offset) if d]
    return "".join(say("cap.driver", lang, driver=cap(label("d." + d, lang)), v=_per_user(br.parts[d], lang, "diff"))
                   for d in parts) + say("cap.bridge", lang)


def _levers_title(f: Finding, lang: str) -> str | None:
    c = f.levers.get("ltv")
    if c is None or c.carrier is None:
        return None
    lever = lever_words(c.carrier, lang)
    return say("t.levers", lang, lever=lever if lang == "zh" else lever.lower(),
               v=_per_user(c.share(c.carrier).contribution.mean, lang, "diff"))


def _share_items(f: Finding, value, lang: str) -> str:
    return _sep(lang).join(say("item", lang, X=who(n, lang), v=fmt(value(n), "share", lang, place="sentence"))
                           for n in f.names)


def _in_pool(f: Finding, n: str) -> float:
    """Share of acquired users in the pool at the end (active or muted), as the flows chart stacks it."""
    t = f.strategies[n].flows
    end = t[(t["stage"] == "end") & t["category"].isin(["pool_active", "pool_muted"])]
    return float(end["share"].sum()) / 100


def _worlds_title(f: Finding, b: str, lang: str) -> str:
    w = f.worlds[b]["ltv"]
    na, nb = w.better_in(w.a), w.better_in(w.b)
    if na == nb:
        return say("t.worlds_tie", lang, n=w.worlds)
    x = w.a if na > nb else w.b
    return say("t.worlds", lang, w=max(na, nb), n=w.worlds, X=who(x, lang))


def _finding_slides(f: Finding, lang: str) -> list[Slide]:
    """One slide per supporting finding with its chart, in the storyline's order."""
    keys = plots.report_chart_keys(f)
    out = []
    if "j_curve" in keys:
        out.append(Slide("finding", _payback_title(f, lang), chart="j_curve", caption=_payback_caption(f, lang),
                         notes=[how_to_read("j_curve", lang)[1]]))
    for key in keys:
        if plots.chart_kind(key) == "ltv_bridge":
            b = plots.chart_strategy(f, key)
            out.append(Slide("finding", _bridge_title(f, b, lang), chart=key, caption=_bridge_caption(f, b, lang),
                             notes=[how_to_read("ltv_bridge", lang)[1]]))
    title = _levers_title(f, lang) if "levers" in keys else None
    if title:
        out.append(Slide("finding", title, chart="levers", caption=say("cap.levers", lang),
                         notes=[how_to_read("levers", lang)[1]]))
    if "retention" in keys and "retention_90d" in f.figures:
        g = f.figures["retention_90d"]
        noise = all(not g.diffs[b].side for b in f.others) and len(f.seeds) > 1
        title = say("t.retention", lang, items=_share_items(f, lambda n: g.values[n].mean, lang)) + \
            (say("within_noise", lang) if noise else "")
        out.append(Slide("finding", title,
                         chart="retention", caption=say("cap.retention", lang), notes=[how_to_read("retention", lang)[1]]))
    if "flows" in keys:
        out.append(Slide("finding", say("t.flows", lang, items=_share_items(f, lambda n: _in_pool(f, n), lang)),
                         chart="flows", caption=say("cap.flows", lang), notes=[how_to_read("flows", lang)[1]]))
    for key in keys:
        if plots.chart_kind(key) == "worlds":
            b = plots.chart_strategy(f, key)
            out.append(Slide("finding", _worlds_title(f, b, lang), chart=key, caption=say("cap.worlds", lang),
                             notes=[how_to_read("worlds", lang)[1]] + [verdict_sentence(f.verdict(g, b), lang)
                                                                       for g in VERDICT_FIGURES]))
    return out


# ----------------------------------------------------------------- risks, appendix

def _risks(f: Finding, rec: Recommendation, lang: str) -> Slide:
    tests = rec.tests
    if not rec.worlds:
        title = say("t.risks.unchecked", lang, k=len(f.seeds))
    elif not tests:
        title = say("t.risks.none", lang, n=rec.worlds)
    else:
        t = tests[0]
        name = _name(t.key, lang, inside=True)
        title = (say("t.risks.flip", lang, name=name, v=setting_words(t.key, t.flip_value, lang, t.unit))
                 if t.flip_value is not None else
                 say("t.risks.moves", lang, name=name, v=setting_words(t.key, t.value, lang, t.unit)))
    sections, risks = [], []
    for t in tests:
        decision = (say("decision.flip", lang, flip=setting_words(t.key, t.flip_value, lang, t.unit),
                        X=who(t.above, lang), Y=who(t.below, lang)) if t.flip_value is not None else
                    say("decision.moves" if t.clear else "decision.lead", lang))
        rng = [setting_words(t.key, x, lang, t.unit) if x is not None else "-" for x in (t.low, t.high)]
        sections.append((_name(t.key, lang), say("test", lang, how=_how(t, lang), low=rng[0], high=rng[1],
                                                 v_here=setting_words(t.key, t.value, lang, t.unit), decision=decision)))
    for n in f.names:
        s = f.strategies[n]
        if s.payback is not None and s.paid_back < s.histories:
            risks.append(say("risk.payback", lang, X=who(n, lang), p=s.paid_back, k=s.histories))
    risks.append(say("risk.assumed", lang))
    notes = [say("notes.worlds", lang)] + [verdict_sentence(f.verdict(g, b), lang) for b in f.others
                                            for g in VERDICT_FIGURES if b in f.worlds]
    return Slide("risks", title, sections=sections + [(say("other_risks", lang), " ".join(risks))], notes=notes)


def _appendix(f: Finding, lang: str) -> list[Slide]:
    head, rows = comparison_rows(f, lang)
    users = setting_words("market.users", f.users, lang)
    method = [x.format(users=users, days=f.days, k=len(f.seeds), n=f.world_count) for x in words("method", lang)]
    if not f.world_count:
        method = method[:2] + [say("method_unchecked", lang)]
    yours, changed, shared = assumptions(f, lang, limit=12)
    sections = ([(say("your", lang), "\n".join(yours))] if yours else []) + \
        ([(say("differs", lang), "\n".join(changed))] if changed else []) + [(say("shared", lang), "\n".join(shared))]
    glossary = [f"{term}: {meaning}" if lang == "en" else f"{term}：{meaning}" for term, meaning in words("glossary", lang)]
    return [Slide("table", say("t.table", lang), table=(head, rows), notes=[how_to_read("comparison", lang)[1]]),
            Slide("method", say("t.method", lang), body=method, notes=[say("notes.figure_names", lang)]),
            Slide("assumptions", say("t.assumptions", lang), sections=sections, notes=sources(f, lang)),
            Slide("glossary", say("t.glossary", lang), body=glossary, notes=[say("notes.glossary", lang)])]


def storyline(obj, lang: str = "en") -> list[Slide]:
    """The deck's slides of a finding (module docstring); a single strategy gets no recommendation."""
    check_lang(lang)
    f = shown(obj)
    names = [who(n, lang) for n in f.names]
    title = Slide("title", say("question", lang, A=names[0], B=_and(names[1:], lang)) if len(names) > 1 else names[0],
                  body=[_setup(f, lang)] + ([what_if_line(f, lang)] if f.what_if else []),
                  notes=[say("notes.title", lang)])
    if len(f.names) < 2:
        return [title] + _finding_slides(f, lang) + _appendix(f, lang)
    rec = recommend(f)
    lines = recommendation_lines(f, lang, rec)
    text = dict(lines)
    summary = [text[say("do", lang)], text[say("worth_head", lang)], _payback_title(f, lang),
               text[say("sure_head", lang)]]
    summary = [s if s.endswith((".", "。")) else s + ("." if lang == "en" else "。") for s in summary]
    slides = [title,
              Slide("summary", _answer(f, rec, lang), body=summary, notes=conclusions(f, lang)),
              Slide("recommendation", _rec_title(f, rec, lang), sections=lines,
                    notes=[verdict_sentence(f.verdict(g, rec.b), lang) for g in ("profit", "ltv") if g in f.figures]
                    + [say("notes.figure_names", lang)])]
    return slides + _finding_slides(f, lang) + [_risks(f, rec, lang)] + _appendix(f, lang)


__all__ = ["Slide", "recommendation_lines", "storyline", "what_if_line"]
