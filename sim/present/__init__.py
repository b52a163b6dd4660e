"""Present: what a strategist or a boss sees.

`labels` (every visible word, English and Simplified Chinese), `style` (palette, fonts,
number formats, export), `inputs` (results in any shape), chart families `charts_time`,
`charts_compare`, `charts_flows`, `charts_grid`, all gathered in `plots`; `dashboard`
(ipywidgets / Voila), `report` (`make report`), `notebook_exec` (`make notebooks`).

May import: every layer below (core, mechanisms, engine, lab).
"""
