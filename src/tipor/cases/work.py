"""Tasks, notes and indicator observations inside a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from tipor.accounts.models import User
from tipor.audit.service import record
from tipor.cases import privacy
from tipor.cases.access import CaseView
from tipor.cases.enums import TaskStatus
from tipor.cases.models import Case, Note, Observation, Task
from tipor.cases.schemas import NoteCreate, ObservationSet, TaskCreate
from tipor.context import Ctx
from tipor.exceptions import NotFound, UnknownValue, ValidationFailed
from tipor.security.permissions import Section
from tipor.versioning import check_version


def add_task(ctx: Ctx, view: CaseView, data: TaskCreate) -> Task:
    """A task for someone in an agency that works the case (notes section)."""
    view.require(Section.NOTES, "write")
    if data.owner_id is not None:
        owner = ctx.session.get(User, data.owner_id)
        if owner is None or not owner.is_active:
            raise ValidationFailed(f"owner_id: user {data.owner_id} does not exist or is inactive",
                                   [("owner_id", "unknown user")])
    task = Task(case_id=view.case.id, title=data.title, owner_id=data.owner_id, due=data.due)
    ctx.session.add(task)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="task.create", object_type="task",
           object_id=task.id, detail={"case_id": view.case.id})
    return task


def set_task_status(ctx: Ctx, view: CaseView, task_id: int, status: TaskStatus, version: int) -> Task:
    """Mark a task done or open again."""
    view.require(Section.NOTES, "write")
    task = ctx.session.get(Task, task_id)
    if task is None or task.case_id != view.case.id:
        raise NotFound(f"task {task_id} is not part of this case")
    check_version(task, version, {"status": status})
    task.status = status
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="task.status", object_type="task",
           object_id=task.id, detail={"status": status.value})
    return task


def list_tasks(ctx: Ctx, view: CaseView) -> Sequence[Task]:
    """Tasks of the case (notes section)."""
    if not view.can(Section.NOTES):
        return []
    return ctx.session.execute(select(Task).where(Task.case_id == view.case.id)
                               .order_by(Task.status, Task.due, Task.id)).scalars().all()


@dataclass(frozen=True)
class MyTask:
    """A task on a user's dashboard."""

    task: Task
    case_reference: str
    overdue: bool


def my_tasks(ctx: Ctx, today: dt.date) -> list[MyTask]:
    """Open tasks owned by the signed-in user, earliest deadline first."""
    user = ctx.require_user()
    rows = ctx.session.execute(
        select(Task, Case.reference).join(Case, Case.id == Task.case_id)
        .where(Task.owner_id == user.id, Task.status == TaskStatus.OPEN)
        .order_by(Task.due.is_(None), Task.due)).all()
    return [MyTask(t, ref, t.due is not None and t.due < today) for t, ref in rows]


def add_note(ctx: Ctx, view: CaseView, data: NoteCreate) -> Note:
    """A note, encrypted, in the section it concerns."""
    view.require(Section(data.section), "write")
    note = Note(case_id=view.case.id, section=data.section, author_id=ctx.actor.user_id,
                body_enc=privacy.seal(ctx.keyring, data.body, privacy.NOTE_BODY))
    ctx.session.add(note)
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="note.create", object_type="note",
           object_id=note.id, detail={"case_id": view.case.id, "section": data.section})
    return note


def read_notes(ctx: Ctx, view: CaseView) -> list[tuple[Note, str]]:
    """Notes in sections this user may read, decrypted."""
    rows = ctx.session.execute(select(Note).where(Note.case_id == view.case.id)
                               .order_by(Note.id.desc())).scalars().all()
    return [(n, privacy.unseal(ctx.keyring, n.body_enc, privacy.NOTE_BODY) or "")
            for n in rows if view.can(Section(n.section))]


def set_observation(ctx: Ctx, view: CaseView, data: ObservationSet,
                    known: Callable[[], Sequence[str]]) -> Observation:
    """Record (or change) an indicator observation; the id must exist in the catalogue."""
    view.require(Section.LEGAL, "write")
    valid = known()
    if data.indicator_id not in valid:
        raise UnknownValue("indicator", data.indicator_id, list(valid), path="indicator_id")
    # Lock the case row first: two people recording the same indicator at once must not both
    # insert (the second would hit the unique constraint); the second waits and updates.
    ctx.session.execute(select(Case.id).where(Case.id == view.case.id).with_for_update())
    obs = ctx.session.execute(select(Observation).where(
        Observation.case_id == view.case.id, Observation.indicator_id == data.indicator_id)
    ).scalar_one_or_none()
    if obs is None:
        obs = Observation(case_id=view.case.id, indicator_id=data.indicator_id)
        ctx.session.add(obs)
    obs.answer, obs.note, obs.source = data.answer, data.note, data.source
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="observation.set", object_type="observation",
           object_id=obs.id, detail={"case_id": view.case.id, "indicator": data.indicator_id,
                                     "answer": data.answer})
    return obs


def list_observations(ctx: Ctx, view: CaseView) -> Sequence[Observation]:
    """Indicator observations (legal section)."""
    if not view.can(Section.LEGAL):
        return []
    return ctx.session.execute(select(Observation).where(Observation.case_id == view.case.id)
                               .order_by(Observation.indicator_id)).scalars().all()
