"""Present: what a strategist or a boss sees. It renders the lab's typed findings (sim.lab.findings,
sim.lab.verdicts) and nothing else; `inputs.shown` is the one door from lab objects to a finding.

`labels` (every visible word, English and Simplified Chinese), `formats` (the one unit-aware number
formatter, `fmt`, and how a lever's setting is written), `tables` (the one comparison table and the text
tables of the decide tools), `phrases` (names inside a sentence), `conclusions` and `conclusions_lab` (the
stated conclusions, en/zh: a comparison's, with each verdict's hinge; the case library's and the decide
tools'), `style` (palette, fonts, money axes, export), chart families `charts_time`, `charts_compare`,
`charts_flows`, `charts_grid`, `charts_decide`, `charts_cases`, all gathered in `plots` (with the
report's charts, drawn once for the report and the deck); `report` and `report_text` (`make report`),
`deck` (`make deck`, python-pptx); `dashboard` (ipywidgets / Voila) with `refcache` (reference runs cached
on disk); `calibration_report` (the calibration's charts and files); `notebook_exec` (`make notebooks`).

May import: every layer below (core, data, mechanisms, engine, lab).
"""
