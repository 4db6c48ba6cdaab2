"""投诉处理进度: record the next step of an open complaint (responded, first solution offered,
resolved, satisfaction checked, closed), a severity change, or — for a manager — an approved
extension of the working-day limit (003 问题处理; 001 §2 第十一条). Each is a new ``complaint``
record naming the case in ``refers_to``; opened from 今日待跟进."""

from __future__ import annotations

from .forms import RecordFormScreen

STEPS = ("responded", "solution_offered", "resolved", "satisfaction_checked", "closed")
SATISFACTION = ("satisfied", "neutral", "dissatisfied")
EXTENSIONS = (5, 6, 7)


class ComplaintStepScreen(RecordFormScreen):
    saved_key = "step.saved"
    record_type = "complaint"
    field_ids = {"data.satisfaction": "note", "data.note": "note", "data.refers_to": "note"}
    choice_fields = ("data.satisfaction",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.case = None  # shared.complaints.ComplaintCase being updated

    def open_case(self, case) -> None:
        """Show ``case`` (a ``ComplaintCase``) and preselect its next step."""
        self.case = case
        nxt = case.next_deadline()
        following = {"respond": "responded", "first_solution": "solution_offered", "result": "resolved",
                     "close": "resolved", "satisfaction": "satisfaction_checked"}
        chosen = following.get(nxt.step if nxt else "", "closed")
        for step in STEPS:
            self.ids["step_" + step].state = "down" if step == chosen else "normal"
        for answer in SATISFACTION:  # the customer's answer is asked each time, never preselected
            self.ids["sat_" + answer].state = "normal"
        self.ids.summary.text = self.t("step.summary", name=case.customer_name, content=case.content,
                                       severity=self.t("complaint." + case.severity), limit=case.limit_days)
        manager = (self.app.user or {}).get("role") == "manager"
        self.ids.extension_row.opacity, self.ids.extension_row.disabled = (1, False) if manager else (0, True)

    def _save(self, data: dict, missing=None) -> None:
        if self.case is None or self.second_tap():
            return
        self.save_record("complaint", name=self.case.customer_name, phone=self.case.customer_phone,
                         rep=None, data={"refers_to": self.case.id, **data}, after=lambda _wire: self.app.go_back(),
                         missing=missing)

    def submit(self) -> None:
        """Save the chosen step (with the satisfaction for a satisfaction check) and the note."""
        step = next((s for s in STEPS if self.ids["step_" + s].state == "down"), "responded")
        data = {"status": step, "note": self.ids.note.text.strip()}
        missing = []
        if step == "satisfaction_checked":  # what the customer said: never taken as 满意 (issue 14 F6)
            satisfaction = next((s for s in SATISFACTION if self.ids["sat_" + s].state == "down"), None)
            missing = self.unanswered(satisfaction=satisfaction)
            if satisfaction:
                data["satisfaction"] = satisfaction
        self._save(data, missing)

    def change_severity(self) -> None:
        """Record a severity change (general ⇄ major): the working-day limit follows (1 or 3)."""
        if self.case is not None:
            other = "general" if self.case.severity == "major" else "major"
            self._save({"status": "severity_changed", "severity": other, "note": self.ids.note.text.strip()})

    def approve_extension(self, days: int) -> None:
        """A manager approves a limit of ``days`` working days (at most 7, 001 §2 第十一条)."""
        user = self.app.user or {}
        if self.case is not None and user.get("role") == "manager" and days in EXTENSIONS:
            self._save({"status": "extension_approved", "limit_days": days,
                        "approved_by": user.get("name") or user.get("username", ""),
                        "note": self.ids.note.text.strip()})
