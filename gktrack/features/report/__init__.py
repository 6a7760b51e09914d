"""The annual report: how a year's 工作要点 was carried out, from the repository's history.

``build_report`` reads the repository and returns plain data (``data.Report``);
``iter_markdown`` and ``report_json`` turn that data into text. Nothing reads
the clock, so the same repository and arguments give the same bytes.

One job a module:

* ``build``: the cut-off commit, its plan files (through the index), which tasks are reported;
* ``standing``: a task's standing at the cut-off, by the one rule (``domain.deadlines.assess``);
* ``walk``: one pass over the history: closing commits, closes and reopens, hand edits, and
  what the audit counts of each commit of the period;
* ``count``: the figures per plan, section and unit, and the audit's counts;
* ``markdown`` and ``jsondata``: the two outputs; ``data``: the records between them.
"""

from gktrack.features.report.build import build_report
from gktrack.features.report.jsondata import report_json
from gktrack.features.report.markdown import iter_markdown, misdated_warnings

__all__ = ["build_report", "iter_markdown", "misdated_warnings", "report_json"]
