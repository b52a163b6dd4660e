"""Every chart and chart helper under one name: `from sim.present import plots`.

Every function takes `lang="en"|"zh"` and returns a `matplotlib.figure.Figure` that is
not registered with pyplot (so a notebook shows it once, when it is the cell's value,
and nothing leaks when many are made). All visible words come from `labels.LABELS`; every
chart has a title and axis labels with units. `save(fig, out_dir, name)` exports it.

Where things live: `labels` (words, en/zh), `style` (palette, fonts, number formats, export),
`inputs` (results in any shape -> {name: [Result]}), `charts_time` (daily series, J-curve),
`charts_compare` (bars, LTV bridge), `charts_flows` (cohort retention, user flows),
`charts_grid` (lever heatmap, tornado), `charts_decide` (contribution waterfall, difference across
plausible worlds and its hinges, strategy search), `charts_cases` (the case library's verdicts). Several
seeds of one scenario are drawn as the mean
with a 5-95% band across seeds.
"""
from .charts_cases import case_verdicts  # noqa: F401
from .charts_compare import (  # noqa: F401
    BRIDGE_DRIVERS,
    NG,
    comparison_bars,
    ltv_bridge,
    ltv_bridge_parts,
)
from .charts_decide import search_chart, waterfall, worlds_chart  # noqa: F401
from .charts_flows import (  # noqa: F401
    FLOW_END,
    FLOW_GROUPS,
    cohort_retention,
    flow_table,
    retention_curves,
    user_flow,
    user_groups,
)
from .charts_grid import best_cell, heatmap, tornado_chart  # noqa: F401
from .charts_time import daily_series, j_curve, staff_quit_drops  # noqa: F401
from .formats import money_text  # noqa: F401
from .inputs import dip_of, figure_stats, payback_month, payback_of, runs_of  # noqa: F401
from .labels import (  # noqa: F401
    FIGURES,
    LABELS,
    LANGS,
    LEVERS,
    check_lang,
    fig_scale,
    figure_label,
    label,
    lever_label,
    register_titles,
    scenario_label,
    unit,
    with_unit,
)
from .style import (  # noqa: F401
    CJK_FONTS,
    FONT_HELP,
    PALETTE,
    STYLE,
    FontMissingError,
    cjk_font,
    font_family,
    money_axis,
    rc,
    save,
    to_png_bytes,
)
