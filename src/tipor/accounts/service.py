"""Agency and user management; every write is audited in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError as DBIntegrityError
from sqlalchemy.orm import Session

from tipor.accounts import throttle
from tipor.accounts.models import Agency, Role, User
from tipor.accounts.schemas import AgencyCreate, AgencyUpdate, UserCreate, UserUpdate
from tipor.accounts.sessions import NOBODY, Current, end_access
from tipor.audit.service import Actor, record
from tipor.exceptions import AuthenticationFailed, Conflict, NotFound, Throttled, ValidationFailed
from tipor.security.passwords import hash_password, password_problems, verify_password
from tipor.settings import Settings
from tipor.versioning import check_version


def list_agencies(session: Session) -> Sequence[Agency]:
    """Every agency, by name."""
    return session.execute(select(Agency).order_by(Agency.name)).scalars().all()


def get_agency(session: Session, agency_id: int) -> Agency:
    """One agency, or NotFound."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(f"agency {agency_id} does not exist")
    return agency


def create_agency(session: Session, *, data: AgencyCreate, actor: Actor) -> Agency:
    """Create an agency; a duplicate name is a Conflict."""
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


def update_agency(session: Session, *, agency_id: int, data: AgencyUpdate, actor: Actor) -> Agency:
    """Change an agency if ``data.version`` is current; else Conflict (409)."""
    agency = get_agency(session, agency_id)
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


def list_users(session: Session, *, agency_id: int | None = None) -> Sequence[User]:
    """Users, optionally of one agency, by username."""
    query = select(User).order_by(User.username)
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    return session.execute(query).scalars().all()


def get_user(session: Session, user_id: int) -> User:
    """One user, or NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def get_user_by_username(session: Session, username: str) -> User | None:
    """The user with this username (case-insensitive), if any."""
    return session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()


def _check_password(password: str, username: str) -> None:
    problems = password_problems(password, username=username)
    if problems:
        raise ValidationFailed("the password is too weak: " + "; ".join(problems),
                               [("password", p) for p in problems])


def create_user(session: Session, *, data: UserCreate, actor: Actor) -> User:
    """Create a user; a taken username is a Conflict, a weak password a ValidationFailed."""
    get_agency(session, data.agency_id)
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


def update_user(session: Session, *, user_id: int, data: UserUpdate, actor: Actor,
                current: Current = NOBODY) -> User:
    """Change a user if ``data.version`` is current; a new password is strength-checked.

    Deactivating ends all the user's sessions and tokens; a new password, role or agency ends
    every one except ``current`` (the credential making this change). The last active
    administrator cannot be deactivated, demoted or moved to an inactive agency (Conflict).
    """
    user = get_user(session, user_id)
    changes = data.model_dump(exclude={"version", "password"}, exclude_none=True)
    check_version(user, data.version, changes | ({"password": "***"} if data.password else {}))
    new_agency = get_agency(session, int(changes["agency_id"])) if "agency_id" in changes else None
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


def change_own_password(session: Session, *, user: User, current_password: str,
                        new_password: str, actor: Actor, current: Current,
                        settings: Settings) -> None:
    """A user replaces their own password; every other session and token of theirs ends.

    A wrong current password counts as a failed sign-in, so a left-open session cannot be
    used to guess it without limit."""
    try:
        throttle.check(session, settings, username=user.username, ip=actor.ip, user=user)
    except Throttled:
        record(session, actor=actor, action="user.password", object_type="user",
               object_id=user.id, outcome="throttled")
        session.commit()
        raise
    if not verify_password(user.password_hash, current_password):
        throttle.note_failure(session, settings, username=user.username, ip=actor.ip,
                              user=user, actor=actor)
        record(session, actor=actor, action="user.password", object_type="user",
               object_id=user.id, outcome="failure")
        session.commit()
        raise AuthenticationFailed("Your current password is not correct; nothing was changed.")
    _check_password(new_password, user.username)
    user.password_hash = hash_password(new_password)
    session.flush()
    record(session, actor=actor, action="user.password", object_type="user", object_id=user.id)
    end_access(session, user_ids=[user.id], actor=actor, reason="password_changed", keep=current)


def set_language(session: Session, *, user: User, language: str, actor: Actor) -> None:
    """Change a user's own interface language."""
    from tipor.accounts.schemas import LANGUAGES

    if language not in LANGUAGES:
        raise ValidationFailed(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}",
                               [("language", "unknown language")])
    user.language = language
    session.flush()
    record(session, actor=actor, action="user.language", object_type="user", object_id=user.id,
           detail={"language": language})
