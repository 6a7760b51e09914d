"""The report's data for scripts (``report --json``): the numbers behind every section of the
Markdown, and each task with its standing (category and level, as ``status --json`` gives them
for the day after the cut-off)."""

from __future__ import annotations

from gktrack.domain.model import to_data
from gktrack.features.report.data import PlanReport, Report, TaskReport
from gktrack.features.report.standing import days_late
from gktrack.features.views import part_json


def report_json(report: Report) -> dict:
    c = report.commit
    return {
        "year": report.year,
        "as_of": report.as_of.isoformat(),
        "cutoff": report.cutoff.isoformat(),
        "rev": report.rev,
        "head": report.head,
        "commit": c.to_json() if c else None,
        "scope": {"plan": report.plan_filter, "unit": report.unit_filter},
        "reconstructed": report.reconstructed,
        "unrecorded": report.unrecorded,
        "summary": report.counts.to_json(),
        "plans": [_plan_json(p, report) for p in report.plans],
        "units": [{"rank": rank, **u.to_json()} for rank, u in enumerate(report.units, start=1)],
        "audit": {
            "commits": report.audit.commits,
            "gktrack": report.audit.tool,
            "hand_edits_unchecked": report.audit.hand_unchecked,
            "hand_edits_checked": report.audit.hand_checked,
            "hand_edits_mismatched": report.audit.hand_mismatched,
            "by_month": [m.to_json() for m in report.audit.months],
            "closed_before_period": report.audit.closed_before,
            "by_person": [p.to_json() for p in report.audit.people],
            "hand_edits": [h.to_json() for h in report.audit.hand_edits],
        },
        "unreadable": [{"path": u.where, "message": u.message} for u in report.unreadable],
        "misdated": [m.to_json() for m in report.misdated],
    }


def _plan_json(p: PlanReport, report: Report) -> dict:
    plan = p.plan
    return {
        "id": plan.id, "year": plan.year, "title": plan.title, "issuer": plan.issuer,
        "doc_number": plan.doc_number, "carried_over": p.carried_over,
        "summary": p.counts.to_json(),
        "sections": [{"key": s.key, "heading": s.heading, **s.counts.to_json()} for s in p.sections],
        "tasks": [_task_json(t, report) for t in p.tasks],
    }


def _task_json(t: TaskReport, report: Report) -> dict:
    task = t.task
    return {
        "id": t.ref, "plan": t.plan.id, "number": task.number, "text": task.text,
        "section": [s.heading for s in t.plan.section_path(task.section)],
        "units": [u.to_json() for u in t.units],
        "deadline": task.deadline_text,
        "deadlines": [d.to_json() for d in t.deadlines],
        "due": t.due.isoformat() if t.due else None,
        "state": task.state,
        "category": t.category,
        "level": t.assessment.level,
        "days_late": t.days_late,
        "closed": t.closed.isoformat() if t.closed else None,
        "note": task.note,
        "evidence": list(task.evidence),
        "missed_periods": [m.to_json() for m in t.missed_periods],
        "progress": [to_data(p) for p in t.progress],
        "closing_commit": t.closing.to_json() if t.closing else None,
        "added_commit": t.added.to_json() if t.added else None,
        "dated_before_added": [e.to_json() for e in t.early],
        "events": [e.to_json() for e in t.events],
        "carried_over": t.carried_over,
        "supporting": t.supporting,
        # each unit's part, as status --json gives it; days late counted to the cut-off, as the task's;
        # the periods the part has no progress in, which the Markdown names the units of
        "parts": [{**part_json(r), "days_late": days_late(r.assessment, report.as_of),
                   "missed_periods": [m.to_json() for m in r.assessment.missed_periods]}
                  for r in t.parts if r.part is not None],
    }
