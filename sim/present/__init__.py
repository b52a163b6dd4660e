"""Present: what a strategist or a boss sees.

`labels` (every visible word, English and Simplified Chinese), `formats` (how a figure is
written: one function per rule), `readings` (best grid cell, interval side, the contribution
carrying a difference), `style` (palette, fonts, money axes, export), `inputs` (results in any
shape), chart families `charts_time`,
`charts_compare`, `charts_flows`, `charts_grid`, all gathered in `plots`; `conclusions` (the
stated conclusions, en/zh, from the numbers); `dashboard` (ipywidgets / Voila) with `refcache`
(reference runs cached on disk); `report` and `report_text` (`make report`), `deck`
(`make deck`, python-pptx); `notebook_exec` (`make notebooks`).

May import: every layer below (core, mechanisms, engine, lab).
"""
