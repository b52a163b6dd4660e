"""The strategy dashboard: sliders for the main levers, rerun on release, table and charts.

    from sim.present.dashboard import build_dashboard
    dash = build_dashboard(["../scenarios/discount_only.yaml", "../scenarios/differentiated_service.yaml"])
    dash            # in a notebook or Voila: shows it

`build_dashboard` returns a `Dashboard`, which is an `ipywidgets.VBox` (display it as it
is) that also exposes what tests and notebooks need:

    dash.sliders    {dotted scenario key: widget}  (messages per week, group size, discount
                    depth and cadence, one-to-one hours, referral reward, container)
    dash.base       Dropdown: which scenario the sliders start from and change
    dash.result     list of Result (one per seed) for the current slider settings
    dash.reference  {scenario name: list of Result}: every given scenario, unchanged (read from the
                    disk cache of sim.present.refcache when there, so a new page opens fast)
    dash.table      HTML widget: LTV, churn, referral share, payback, profit per strategy (the one comparison
                    table, styled: tables.comparison_grid, styled.grid_html)
    dash.status     HTML widget: what ran and how long it took, or why a setting was refused
    dash.charts     {"j_curve": Image, "pool": Image}
    dash.error      the last refusal message, or None;  dash.last_seconds  time of the last rerun
    dash.overrides()  the dotted-key overrides the sliders stand for

Layout: controls and readouts sit side by side on a wide screen and wrap under each other when
narrow; sliders fill their column, so readouts are never cut off.
Sliders use continuous_update=False: the model reruns once, when a slider is released; the table and the
status line are updated first, then the two charts.
Every run uses seeds 0..seeds-1, the same seeds as the reference strategies (common
random numbers), so a change in the table is the lever's effect, not seed noise.
A setting the model refuses (sim.ScenarioError, e.g. a discount cadence shorter than a
discount event) is reported in `status` in one readable line; the last good table and
charts stay. Any other failure is reported the same way, without a traceback.
"""
from __future__ import annotations

import html
import time
from pathlib import Path

from ..core.errors import ScenarioError, UsageError
from ..core.extras import require
from ..core.population import sample_size
from ..core.scenario import Scenario, load_scenario
from ..engine.runner import resolve, run
from ..lab.findings import scenario_titles
from . import plots
from .inputs import shown
from .labels import check_lang
from .page import people
from .refcache import cached_runs
from .styled import grid_html
from .tables import comparison_grid

widgets = require("ipywidgets", "lab", "the dashboard")

# (dotted key, widget kind, min, max, step, readout format)
LEVER_SLIDERS = (
    ("messaging.per_week", "float", 0.0, 14.0, 0.5, ".1f"),
    ("groups.size", "int", 0, 500, 5, "d"),
    ("offers.discount_depth", "float", 0.0, 0.6, 0.05, ".0%"),
    ("offers.discount_every_days", "int", 0, 60, 1, "d"),
    ("service.one_to_one_hours_per_day", "float", 0.0, 40.0, 1.0, ".0f"),
    ("referral.incentive_rmb", "float", 0.0, 100.0, 5.0, ".0f"),
)
CONTAINER_KEY = "pool.container"
TABLE_FIGURES = ("ltv", "churn_rate_monthly", "referral_share", "payback_day", "profit")
YOURS = "your_settings"
_CACHE_SIZE = 32



def _t(key: str, lang: str, **fmt) -> str:
    return plots.label(key, lang, **fmt)


def _load(s) -> Scenario:
    return s if isinstance(s, Scenario) else load_scenario(s)


class Dashboard(widgets.VBox):
    """A dashboard widget; see the module docstring for the attributes tests and notebooks use."""

    def __init__(self, scenarios, users: int | None = None, days: int | None = 365, seeds: int = 1,
                 lang: str = "en", chart_dpi: int = 80):
        super().__init__()
        check_lang(lang)
        if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
            raise UsageError(f"build_dashboard: seeds = {seeds!r}: need a whole number >= 1")
        if isinstance(scenarios, (str, Path, Scenario)):
            scenarios = [scenarios]
        scs = [resolve(_load(s), users, days) for s in scenarios or [None]]
        names, seen = [], set()
        for sc in scs:
            n = sc.name
            i = 2
            while n in seen:
                n = f"{sc.name} ({i})"
                i += 1
            seen.add(n)
            names.append(n)
        self.lang, self.seeds, self.chart_dpi = lang, seeds, chart_dpi
        self.users, self.days = scs[0].market.users, scs[0].horizon_days
        self.agents = sample_size(scs[0].market)[0]
        self.scenarios = dict(zip(names, scs))
        plots.register_titles(scenario_titles(self.scenarios))
        self.reference = {n: cached_runs(sc, seeds) for n, sc in self.scenarios.items()}   # from disk when there
        warm_engine(scs[0])
        self.error: str | None = None
        self.last_seconds: float | None = None
        self._cache: dict = {}
        self._suspend = False

        # Responsive: the controls column and the readouts column share the width and wrap under
        # each other when narrow (JupyterLab with its sidebar open, small laptop screens); sliders
        # fill their column so readouts stay visible; the table wraps its headers instead of clipping.
        style = {"description_width": "52%"}
        lay = widgets.Layout(width="100%", max_width="560px")
        self.base = widgets.Dropdown(options=[(plots.scenario_label(n, lang), n) for n in names], value=names[0],
                                     description=_t("ui.base", lang), style=style, layout=lay)
        self.sliders: dict[str, widgets.Widget] = {}
        for key, kind, lo, hi, step, readout in LEVER_SLIDERS:
            cls = widgets.IntSlider if kind == "int" else widgets.FloatSlider
            self.sliders[key] = cls(value=lo, min=lo, max=hi, step=step, readout_format=readout, continuous_update=False,
                                    description=plots.lever_label(key, lang), style=style, layout=lay)
        self.sliders[CONTAINER_KEY] = widgets.ToggleButtons(
            options=[(plots.label("v.personal", lang), "personal"), (plots.label("v.wecom", lang), "wecom")],
            value="personal", description=plots.label("l.pool.container", lang),
            style={"description_width": "52%", "button_width": "auto"}, layout=lay)
        self.status = widgets.HTML(layout=widgets.Layout(min_height="2.5em"))
        self.table = widgets.HTML(layout=widgets.Layout(width="100%", margin="0"))
        self.table.add_class("siyu-dash-table")
        chart = widgets.Layout(flex="1 1 420px", min_width="0", max_width="100%", height="auto")
        self.charts = {"j_curve": widgets.Image(format="png", layout=chart),
                       "pool": widgets.Image(format="png", layout=chart)}
        title = widgets.HTML(f"<h3 style='margin:0.2em 0'>{html.escape(_t('ui.title', lang))}</h3>"
                             f"<div style='color:#444;max-width:60em'>{html.escape(_t('ui.help', lang))}</div>")
        controls = widgets.VBox([self.base] + list(self.sliders.values()),
                                layout=widgets.Layout(flex="1 1 460px", min_width="360px", max_width="580px"))
        # the readouts never narrower than the table (min-content): too little room beside the controls and they
        # wrap under them, so the change column stays in view (JupyterLab with its file browser open at 1,280 px)
        right = widgets.VBox([self.status, self.table],
                             layout=widgets.Layout(flex="1 1 420px", min_width="min-content", margin="0 0 0 1em"))
        self.children = [title, widgets.HBox([controls, right], layout=widgets.Layout(flex_flow="row wrap",
                                                                                        width="100%")),
                         widgets.HBox(list(self.charts.values()), layout=widgets.Layout(flex_flow="row wrap",
                                                                                         width="100%"))]
        self.add_class("siyu-dashboard")

        self._set_sliders(self.scenarios[names[0]])
        self.result = self.reference[names[0]]
        self._cache[self._key()] = self.result
        self._show(self.result, seconds=None)
        for w in self.sliders.values():
            w.observe(self._on_change, names="value")
        self.base.observe(self._on_base, names="value")

    # ------------------------------------------------------------- state

    def overrides(self) -> dict:
        """The dotted-key overrides the sliders currently stand for."""
        out = {}
        for key, w in self.sliders.items():
            v = w.value
            if isinstance(w, widgets.FloatSlider):
                v = round(float(v), 6)
            out[key] = v
        return out

    def _key(self):
        return (self.base.value, tuple(sorted(self.overrides().items())))

    def _run(self, sc: Scenario) -> list:
        return [run(sc, seed=s, progress=False) for s in range(self.seeds)]

    def _set_sliders(self, sc: Scenario) -> None:
        """Move the sliders to the scenario's values (widening a slider's range if needed), without rerunning."""
        self._suspend = True
        try:
            for key, w in self.sliders.items():
                v = sc.get(key)
                if hasattr(w, "max") and v > w.max:
                    w.max = v
                w.value = v
        finally:
            self._suspend = False

    # ------------------------------------------------------------- events

    def _on_base(self, change) -> None:
        self._set_sliders(self.scenarios[change["new"]])
        self.rerun()

    def _on_change(self, change) -> None:
        if not self._suspend:
            self.rerun()

    def rerun(self) -> bool:
        """Run the current slider settings (same seeds as the references). False if refused or failed."""
        lang = self.lang
        key = self._key()
        t0 = time.perf_counter()
        try:
            if key in self._cache:
                res = self._cache[key]
            else:
                sc = self.scenarios[self.base.value].with_overrides(self.overrides(), source="dashboard setting")
                res = self._run(sc)
                if len(self._cache) >= _CACHE_SIZE:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = res
        except (ScenarioError, UsageError) as exc:
            self._refuse(_t("ui.refused", lang), self._readable(exc))
            return False
        except Exception as exc:  # noqa: BLE001 - shown as one line, never as a traceback
            self._refuse(_t("ui.failed", lang), f"{type(exc).__name__}: {exc}")
            return False
        self.result = res
        self.error = None
        self.last_seconds = time.perf_counter() - t0
        self._show(res, self.last_seconds)
        return True

    def _readable(self, exc: Exception) -> str:
        text = str(exc)
        for key, w in self.sliders.items():
            text = text.replace(key, f"{w.description} [{key}]")
        return text

    def _refuse(self, head: str, detail: str) -> None:
        self.error = f"{head}: {detail}"
        self.status.value = (f"<div class='siyu-refused' style='color:#B00020;border-left:4px solid #B00020;"
                             f"padding:0.3em 0.6em;background:#FDECEA'><b>{html.escape(head)}</b>: "
                             f"{html.escape(detail)}<br>{html.escape(_t('ui.kept', self.lang))}</div>")

    # ------------------------------------------------------------- display

    def _show(self, res: list, seconds: float | None) -> None:
        """Show `res` (the current settings' runs) beside the references: one finding, the base first, so
        the table's change column is the paired difference from the base; the table and status first, then
        the charts of the same finding."""
        lang = self.lang
        base = self.base.value
        f = shown({base: self.reference[base], **{n: r for n, r in self.reference.items() if n != base},
                   YOURS: res})
        self.table.value = self._table_html(f)
        if seconds is not None:
            msg = _t("ui.ran", lang, h=self._histories(), users=people(self.users, lang), days=self.days, s=seconds)
        else:
            msg = _t("ui.seeds_note", lang, h=self._histories())
        self.status.value = f"<div class='siyu-status' style='color:#1b5e20'>{html.escape(msg)}</div>"
        self.charts["j_curve"].value = plots.to_png_bytes(plots.j_curve(f, lang), dpi=self.chart_dpi,
                                                          fixed_layout=True)
        self.charts["pool"].value = plots.to_png_bytes(plots.daily_series(f, lang, columns=("pool_users",)),
                                                       dpi=self.chart_dpi, fixed_layout=True)

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, and a still of it as text/html (title, status, table, charts, a line saying the
        sliders are loading): a front end with widgets shows the widget, a page shows the still until its widgets
        have loaded (the dashboard's Voila template, sim/present/jupyter/voila/templates/siyu)."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/html"] = self.still_html()
        return bundle

    def still_html(self) -> str:
        """What the dashboard shows now, as HTML without widgets (reads the title, status, table and charts)."""
        import base64
        pics = "".join(f"<img style='max-width:48%;flex:1 1 420px' alt='' src='data:image/png;base64,"
                       f"{base64.b64encode(c.value).decode()}'>" for c in self.charts.values() if c.value)
        return (f"<div class='siyu-dashboard-still'>{self.children[0].value}"
                f"<p style='color:#555'><i>{html.escape(_t('ui.loading', self.lang))}</i></p>"
                f"{self.status.value}<div class='siyu-dash-table'>{self.table.value}</div>"
                f"<div style='display:flex;flex-flow:row wrap'>{pics}</div></div>")

    def _histories(self) -> str:
        k = self.seeds
        return _t("ui.history_1", self.lang) if k == 1 else _t("ui.history_n", self.lang, k=k)

    def _table_html(self, f) -> str:
        """The one comparison table of TABLE_FIGURES (styled): each reference, your settings, and your change
        from the strategy you started from; columns in the reference order, whatever the base."""
        lang = self.lang
        head, rows = comparison_grid(f, lang, TABLE_FIGURES, "table", diffs=(YOURS,), styled=True)
        order = [f.names.index(n) for n in [*self.reference, YOURS]] + [len(f.names)]
        head = [head[0]] + [head[1 + i] for i in order[:-1]] + [_t("ui.change", lang, name=plots.scenario_label(f.first, lang))]
        rows = [[r[0]] + [r[1 + i] for i in order] for r in rows]
        return grid_html(head, rows, diff_from=len(f.names), css_id="siyudash")


def warm_engine(sc: Scenario) -> None:
    """Run a tiny version of `sc` once, so the engine's compiled code is loaded before the first slider move."""
    run(sc.with_overrides({"market.users": 200}, source="dashboard warm-up"), days=3, seed=0, progress=False)


def build_dashboard(scenarios=None, users: int | None = None, days: int | None = 365, seeds: int = 1,
                    lang: str = "en", chart_dpi: int = 80) -> Dashboard:
    """The shared strategy dashboard (an ipywidgets.VBox); see the module docstring.

    scenarios  scenario files or Scenario objects; each is a reference column in the table
               and a starting point in the "Start from" list (default: built-in defaults)
    users, days  market size and horizon of every run (None keeps each scenario's own, so the
               dashboard shows the numbers the notebooks, the report and `sim compare` show)
    seeds      seeds 0..seeds-1 per run; one run of 20,000 agents x 365 days takes about half
               a second, so keep this small for a responsive dashboard
    """
    return Dashboard(scenarios, users=users, days=days, seeds=seeds, lang=lang, chart_dpi=chart_dpi)
