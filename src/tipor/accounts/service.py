"""Agency and user management; every write is audited in the same transaction.

Every public function takes the unit of work first (``ctx: Ctx``) and everything else by
keyword, and decides itself who may call it, so the web pages, the API, the CLI and the demo
seeding cannot disagree:

- agency writes need ``admin.agencies``; reading agencies needs no permission (every user
  needs their names to refer);
- listing, reading, creating, changing and unlocking users needs ``admin.users``, except that
  a user may read their own account and change their own password and language;
- a ``Ctx`` without a user (``user=None``) is the system and may do all of this: the first
  administrator (``tipor users create``), demo seeding, migrations and test factories run
  before anybody can sign in. Interfaces always pass the signed-in user.

A refusal raises ``PermissionDenied`` and keeps an audit entry (outcome ``denied``) through
``TiporError.keeping``: the unit of work rolls the request back and then writes the entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError as DBIntegrityError
from sqlalchemy.orm import Session

from tipor.accounts import throttle
from tipor.accounts.models import Agency, Role, User
from tipor.accounts.schemas import AgencyCreate, AgencyUpdate, UserCreate, UserUpdate
from tipor.accounts.sessions import NOBODY, Current, end_access
from tipor.audit.service import record
from tipor.context import Ctx
from tipor.db import utcnow
from tipor.exceptions import (
    AuthenticationFailed,
    Conflict,
    NotFound,
    PermissionDenied,
    Throttled,
    ValidationFailed,
)
from tipor.security.passwords import hash_password, password_problems, verify_password
from tipor.security.permissions import Permission, can
from tipor.settings import Settings
from tipor.versioning import check_version

#: What each administrative permission lets a person do, for refusal messages.
_WHAT = {Permission.ADMIN_AGENCIES: "create or change agencies",
         Permission.ADMIN_USERS: "see or manage other people's accounts"}


def _authorise(ctx: Ctx, permission: Permission, *, action: str, object_type: str,
               object_id: object = "") -> None:
    """Refuse unless the acting user's role grants ``permission``; the system (no user) may.

    The refusal is audited after the rollback, so it stays although the request fails."""
    user = ctx.user
    if user is None or can(user, permission):
        return
    actor = ctx.actor
    raise PermissionDenied(
        f"your role ({user.role.value}) may not {_WHAT[permission]} ({permission.value}); "
        "ask an administrator").keeping(lambda s: record(
            s, actor=actor, action=action, object_type=object_type, object_id=object_id,
            outcome="denied", detail={"permission": permission.value}))


def list_agencies(ctx: Ctx) -> Sequence[Agency]:
    """Every agency, by name (any user: names and kinds are needed to refer)."""
    return ctx.session.execute(select(Agency).order_by(Agency.name)).scalars().all()


def get_agency(ctx: Ctx, *, agency_id: int) -> Agency:
    """One agency, or NotFound (any user)."""
    return _agency(ctx.session, agency_id)


def _agency(session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id} does not exist")
    return agency


def create_agency(ctx: Ctx, *, data: AgencyCreate) -> Agency:
    """Create an agency (``admin.agencies``); a duplicate name is a Conflict."""
    _authorise(ctx, Permission.ADMIN_AGENCIES, action="agency.create", object_type="agency")
    session, actor = ctx.session, ctx.actor
    if session.execute(select(Agency.id).where(Agency.name == data.name)).first():
        raise Conflict(f"an agency named {data.name!r} already exists; choose another name",
                       {"name": data.name})
    prefix = data.case_prefix or _free_prefix(session, data.name)
    _check_prefix(session, prefix, None)
    agency = Agency(name=data.name, kind=data.kind, country=data.country, case_prefix=prefix)
    session.add(agency)
    session.flush()
    record(session, actor=actor, action="agency.create", object_type="agency",
           object_id=agency.id, detail={"name": agency.name, "kind": agency.kind.value})
    return agency


def _free_prefix(session: Session, name: str) -> str:
    """Initials of the name (e.g. 'Demo Survivors' NGO' → 'DSN'), numbered if taken."""
    letters = "".join(w[0] for w in name.split() if w[:1].isalnum()).upper()
    stem = "".join(c for c in letters if c.isascii() and c.isalnum())[:6] or "AG"
    stem = stem if len(stem) >= 2 else stem + "A"
    taken = set(session.execute(select(Agency.case_prefix)).scalars())
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem[:6]}{n}"
    return candidate


def _check_prefix(session: Session, prefix: str, agency_id: int | None) -> None:
    other = session.execute(select(Agency).where(Agency.case_prefix == prefix)).scalar_one_or_none()
    if other is not None and other.id != agency_id:
        raise Conflict(f"the case prefix {prefix!r} is used by {other.name!r}; case references "
                       "must stay unique, so choose another prefix", {"case_prefix": prefix})


def update_agency(ctx: Ctx, *, agency_id: int, data: AgencyUpdate) -> Agency:
    """Change an agency (``admin.agencies``) if ``data.version`` is current; else Conflict."""
    _authorise(ctx, Permission.ADMIN_AGENCIES, action="agency.update", object_type="agency",
               object_id=agency_id)
    session, actor = ctx.session, ctx.actor
    agency = _agency(session, agency_id)
    changes = data.model_dump(exclude={"version"}, exclude_none=True)
    check_version(agency, data.version, changes)
    if "country" in changes:
        changes["country"] = str(changes["country"]).upper()
    if "case_prefix" in changes:
        _check_prefix(session, str(changes["case_prefix"]), agency.id)
    deactivating = agency.is_active and changes.get("is_active") is False
    if deactivating and _holds_last_admins(session, agency.id):
        raise Conflict(f"{agency.name!r} holds every active administrator: deactivating it "
                       "would leave nobody able to manage accounts. Make a user of another "
                       "agency an administrator first.")
    for key, value in changes.items():
        setattr(agency, key, value)
    _flush_unique(session, "an agency with this name already exists")
    record(session, actor=actor, action="agency.update", object_type="agency",
           object_id=agency.id, detail={"fields": sorted(changes)})
    if deactivating:  # its people lose access now, not when their sessions expire
        members = [u.id for u in agency.users]
        end_access(session, user_ids=members, actor=actor, reason="agency_deactivated",
                   object_type="agency", object_id=agency.id)
    return agency


def _holds_last_admins(session: Session, agency_id: int) -> bool:
    """Whether the agency has active administrators and no other agency has any."""
    return (_active_admins(session, only_agency_id=agency_id) > 0
            and _active_admins(session, exclude_agency_id=agency_id) == 0)


def _active_admins(session: Session, *, exclude_user_id: int | None = None,
                   exclude_agency_id: int | None = None, only_agency_id: int | None = None) -> int:
    """Active administrators in active agencies, leaving some out.

    The rows are locked (PostgreSQL) so two administrators demoting each other at the same
    moment cannot both see the other as the one who remains."""
    query = select(User.id).join(Agency, Agency.id == User.agency_id).where(
        User.role == Role.ADMIN, User.is_active.is_(True), Agency.is_active.is_(True))
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    if exclude_agency_id is not None:
        query = query.where(User.agency_id != exclude_agency_id)
    if only_agency_id is not None:
        query = query.where(User.agency_id == only_agency_id)
    return len(session.execute(query.with_for_update(of=User)).all())


def _flush_unique(session: Session, message: str) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except DBIntegrityError as exc:
        raise Conflict(message) from exc


def list_users(ctx: Ctx, *, agency_id: int | None = None) -> Sequence[User]:
    """Users (``admin.users``), optionally of one agency, by username."""
    _authorise(ctx, Permission.ADMIN_USERS, action="user.list", object_type="user")
    query = select(User).order_by(User.username)
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    return ctx.session.execute(query).scalars().all()


def get_user(ctx: Ctx, *, user_id: int) -> User:
    """One user (``admin.users``, or one's own account), or NotFound."""
    if ctx.user is None or ctx.user.id != user_id:
        _authorise(ctx, Permission.ADMIN_USERS, action="user.read", object_type="user",
                   object_id=user_id)
    return _user(ctx.session, user_id)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def get_user_by_username(session: Session, username: str) -> User | None:
    """The user with this username (case-insensitive), if any.

    A lookup for signing in and for the CLI naming an account, before anyone acts: it
    takes a session, not a ``Ctx``, and shows nothing by itself."""
    return session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()


def _check_password(password: str, username: str) -> None:
    problems = password_problems(password, username=username)
    if problems:
        raise ValidationFailed("the password is too weak: " + "; ".join(problems),
                               [("password", p) for p in problems])


def create_user(ctx: Ctx, *, data: UserCreate) -> User:
    """Create a user (``admin.users``); a taken username is a Conflict, a weak password a
    ValidationFailed."""
    _authorise(ctx, Permission.ADMIN_USERS, action="user.create", object_type="user")
    session, actor = ctx.session, ctx.actor
    _agency(session, data.agency_id)
    if get_user_by_username(session, data.username) is not None:
        raise Conflict(f"the username {data.username!r} is taken; choose another",
                       {"username": data.username})
    _check_password(data.password, data.username)
    user = User(
        username=data.username, display_name=data.display_name, email=data.email,
        agency_id=data.agency_id, role=data.role, language=data.language,
        password_hash=hash_password(data.password),
    )
    session.add(user)
    session.flush()
    record(session, actor=actor, action="user.create", object_type="user", object_id=user.id,
           detail={"username": user.username, "role": user.role.value, "agency_id": user.agency_id})
    return user


def update_user(ctx: Ctx, *, user_id: int, data: UserUpdate, current: Current = NOBODY) -> User:
    """Change a user (``admin.users``) if ``data.version`` is current; a new password is
    strength-checked.

    Deactivating ends all the user's sessions and tokens; a new password, role or agency ends
    every one except ``current`` (the credential making this change). The last active
    administrator cannot be deactivated, demoted or moved to an inactive agency (Conflict).
    """
    _authorise(ctx, Permission.ADMIN_USERS, action="user.update", object_type="user",
               object_id=user_id)
    session, actor = ctx.session, ctx.actor
    user = _user(session, user_id)
    changes = data.model_dump(exclude={"version", "password"}, exclude_none=True)
    check_version(user, data.version, changes | ({"password": "***"} if data.password else {}))
    new_agency = _agency(session, int(changes["agency_id"])) if "agency_id" in changes else None
    _keep_an_admin(session, user, changes, new_agency)
    if data.password:
        _check_password(data.password, user.username)
        user.password_hash = hash_password(data.password)
    privilege = {k for k in ("role", "agency_id") if k in changes and changes[k] != getattr(user, k)}
    deactivated = user.is_active and changes.get("is_active") is False
    for key, value in changes.items():
        setattr(user, key, value)
    session.flush()
    fields = sorted(changes) + (["password"] if data.password else [])
    record(session, actor=actor, action="user.update", object_type="user", object_id=user.id,
           detail={"fields": fields})
    if deactivated:
        end_access(session, user_ids=[user.id], actor=actor, reason="user_deactivated")
    elif data.password or privilege:
        reason = "password_changed" if data.password else "role_changed"
        end_access(session, user_ids=[user.id], actor=actor, reason=reason, keep=current)
    return user


def _keep_an_admin(session: Session, user: User, changes: dict[str, object],
                   new_agency: Agency | None) -> None:
    """Conflict if the change would leave no active administrator."""
    if not (user.role == Role.ADMIN and user.is_active and user.agency.is_active):
        return
    stays = (changes.get("role", Role.ADMIN) == Role.ADMIN and changes.get("is_active", True)
             and (new_agency is None or new_agency.is_active))
    if not stays and _active_admins(session, exclude_user_id=user.id) == 0:
        raise Conflict(f"{user.username} is the last active administrator: deactivating or "
                       "demoting this account would leave nobody able to manage accounts. "
                       "Make another user an administrator first.")


def unlock_user(ctx: Ctx, *, user_id: int) -> User:
    """Clear a sign-in lock now (``admin.users``); failures before now no longer count."""
    _authorise(ctx, Permission.ADMIN_USERS, action="user.unlock", object_type="user",
               object_id=user_id)
    user = _user(ctx.session, user_id)
    user.unlocked_at = utcnow()
    ctx.session.flush()
    record(ctx.session, actor=ctx.actor, action="user.unlock", object_type="user",
           object_id=user.id, detail={"username": user.username})
    return user


def change_own_password(ctx: Ctx, *, current_password: str, new_password: str,
                        current: Current, settings: Settings) -> None:
    """The signed-in user replaces their own password; every other session and token ends.

    A wrong current password counts as a failed sign-in, so a left-open session cannot be
    used to guess it without limit."""
    session, actor, user = ctx.session, ctx.actor, ctx.require_user()
    try:
        throttle.check(session, settings, username=user.username, ip=actor.ip, user=user)
    except Throttled as exc:
        uid = user.id
        raise exc.keeping(lambda s: record(s, actor=actor, action="user.password",
                                           object_type="user", object_id=uid,
                                           outcome="throttled")) from None
    if not verify_password(user.password_hash, current_password):
        raise AuthenticationFailed("Your current password is not correct; nothing was changed."
                                   ).keeping(throttle.failure_step(
            settings, username=user.username, ip=actor.ip, user=user, actor=actor,
            action="user.password"))
    _check_password(new_password, user.username)
    user.password_hash = hash_password(new_password)
    session.flush()
    record(session, actor=actor, action="user.password", object_type="user", object_id=user.id)
    end_access(session, user_ids=[user.id], actor=actor, reason="password_changed", keep=current)


def set_language(ctx: Ctx, *, language: str) -> None:
    """Change the signed-in user's own interface language."""
    from tipor.accounts.schemas import LANGUAGES

    session, actor, user = ctx.session, ctx.actor, ctx.require_user()

    if language not in LANGUAGES:
        raise ValidationFailed(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}",
                               [("language", "unknown language")])
    user.language = language
    session.flush()
    record(session, actor=actor, action="user.language", object_type="user", object_id=user.id,
           detail={"language": language})
