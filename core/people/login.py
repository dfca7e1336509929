"""Who is signed in: the user behind a browser's login session, read once a request.

Every signed-in request runs this before its page does any work of its own, so
it is built for the page frame (issue 19). One statement reads the login, the
person and their team, their roles, the unread notifications, the teams they lead
and the regions they advise. Everything is read afresh on every request, so a
revoked role, a read notification or an ended session shows on the next request
to any worker; nothing is kept between requests.

Profiling the empty signed-in page (cProfile in-process, py-spy under gunicorn)
put this statement at about a third of the page: most of it in the ORM's row
processing (the joined role rows made every row unique-checked) and, on
PostgreSQL, in the three round trips of a transaction begun for one read. So:

- the statement selects plain columns, and the user (and team) are put in the
  session as a query would leave them, without the ORM's row processing; their
  other relationships load as before when a page reads them;
- the roles come as one aggregated column, not as role rows: `User.roles` answers
  from them until a page reads or changes the rows (`core.people.models`);
- a request that only reads (GET, HEAD) reads the login outside the request's
  transaction (one round trip on PostgreSQL), so a page that reads nothing
  else, such as the frame alone, begins none; a request that writes reads it
  inside its transaction, as before;
- that read goes straight through the driver (`core.prepared_read`): a py-spy
  profile of /bench/floor put SQLAlchemy's execution around the compiled
  statement at 15% of the page, the database's answer at 3.5%.
"""

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict, set_committed_value

from core.db import committed_first, db, reads_only, utcnow
from core.notifications.models import Notification
from core.notifications.services import UNREAD_KEY
from core.people.advisers import RegionAdviser
from core.people.models import (
    LOGIN_ROLES,
    LoginSession,
    OrgUnit,
    Role,
    UnitKind,
    User,
    UserRole,
)
from core.permissions import Link, link_counts
from core.prepared_read import PreparedRead


def _joined(column, *where) -> sa.ScalarSelect:
    """The values of `column` where `where` holds, comma-joined (None for none)."""
    return (
        sa.select(sa.func.aggregate_strings(sa.cast(column, sa.String), ","))
        .where(*where)
        .scalar_subquery()
    )


def _id_set(joined: str | None) -> frozenset[int]:
    return frozenset(int(i) for i in joined.split(",")) if joined else frozenset()


# The team under a name of its own: the teams led are read from org_units too.
_TEAM = OrgUnit.__table__.alias("team")
_USER_COLUMNS = tuple(User.__table__.columns)
_TEAM_COLUMNS = tuple(_TEAM.columns)
_USER_KEYS = tuple(column.key for column in _USER_COLUMNS)
_TEAM_KEYS = tuple(column.key for column in _TEAM_COLUMNS)
# Where each part of the row is: five values, then the user's and the team's.
_EXTRAS = 5  # expires_at, roles, unread, led, advised
_USER_PART = slice(_EXTRAS, _EXTRAS + len(_USER_KEYS))
_TEAM_PART = slice(_USER_PART.stop, None)

# Built once: every signed-in request runs it, and building a statement (and its
# cache key) costs about as much as SQLite takes to answer it.
_LOGIN = (
    sa.select(
        LoginSession.expires_at,
        # The enum's names, as the role column holds them.
        _joined(UserRole.role, UserRole.user_id == User.id),
        sa.select(sa.func.count(Notification.id))
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery(),
        _joined(
            OrgUnit.id,
            OrgUnit.kind == UnitKind.team,
            sa.or_(
                OrgUnit.manager_id == User.id,
                sa.and_(OrgUnit.deputy_id == User.id, OrgUnit.deputising.is_(True)),
            ),
        ),
        _joined(RegionAdviser.region_id, RegionAdviser.user_id == User.id),
        *_USER_COLUMNS,
        *_TEAM_COLUMNS,
    )
    .select_from(LoginSession)
    .join(User, LoginSession.user_id == User.id)
    .outerjoin(_TEAM, _TEAM.c.id == User.team_id)
    .where(LoginSession.token == sa.bindparam("token"))
)


def load_login_session(token: str) -> User | None:
    """The active user behind a session token, or None when it is unknown or expired."""
    if not token:
        return None
    row = _read(token)
    if row is None:
        return None
    expires_at, roles, unread, led, advised = row[:_EXTRAS]
    values = dict(zip(_USER_KEYS, row[_USER_PART], strict=True))
    if expires_at <= utcnow() or not values["active"]:
        return None
    team = team_values = None
    if values["team_id"] is not None:
        team_values = dict(zip(_TEAM_KEYS, row[_TEAM_PART], strict=True))
        team = _in_session(OrgUnit, team_values)
    user = _in_session(User, values, team=team)
    user.current_login_token = token
    # The same answers the lookups give (User.roles, unread_count,
    # managed_team_ids, advised_region_ids), read with the login; the links
    # count only while their role is held (link_counts), as there.
    names = roles.split(",") if roles else ()
    user.__dict__[LOGIN_ROLES] = frozenset(Role[name] for name in names)
    user.__dict__[_AS_READ] = (values, team, team_values, user.__dict__[LOGIN_ROLES])
    user.__dict__[UNREAD_KEY] = unread
    if link_counts(user, Link.team_manager) == link_counts(user, Link.team_deputy):
        leads = link_counts(user, Link.team_manager)
        user.__dict__["_managed_team_ids"] = _id_set(led) if leads else frozenset()
    if link_counts(user, Link.region_adviser):
        user.__dict__["_advised_regions"] = _id_set(advised)
    return user


# What the login read, kept on the user for the request: a rollback puts it back.
_AS_READ = "_login_as_read"


@sa.event.listens_for(Session, "after_soft_rollback")
def _as_read_after_rollback(session: Session, previous) -> None:
    """A rollback expires every object of the session, the signed-in person too,
    and the page shown next (an error page, a form again) would read them again,
    roles and all. A rollback leaves nothing the request changed, so the person
    is what the login read at the start of the request: put back as read, unless
    the request committed since (then they are read again when next used)."""
    if previous.nested or not has_request_context():
        return
    user = g.get("_login_user")
    read = getattr(user, "__dict__", {}).get(_AS_READ)
    if read is None or sa.inspect(user).session is not session:
        return
    values, team, team_values, roles = read
    if team is not None and sa.inspect(team).session is session:
        _put_back(team, team_values)
    _put_back(user, values | {"team": team})
    user.__dict__[LOGIN_ROLES] = roles


@sa.event.listens_for(Session, "after_commit")
def _read_again_after_commit(_session: Session) -> None:
    if has_request_context():
        user = g.get("_login_user")
        getattr(user, "__dict__", {}).pop(_AS_READ, None)


def _put_back(instance, values: dict) -> None:
    """`values` as the instance's loaded ones, no change recorded."""
    for key, value in values.items():
        set_committed_value(instance, key, value)


_LOGIN_READ = PreparedRead(_LOGIN, "token")


def _read(token: str) -> tuple | None:
    if reads_only():
        return committed_first(_LOGIN_READ, token=token)
    return db.session.connection().execute(_LOGIN, {"token": token}).first()


def _in_session(model, values: dict, **related):
    """The row as the session's instance of `model`, as a query would leave it:
    the one the session holds already (read earlier in this transaction), else
    one made from `values` (no change recorded: it is what the row holds), with
    its other relationships loading when read."""
    session = db.session()
    mapper = sa.inspect(model)
    found = session.identity_map.get(
        mapper.identity_key_from_primary_key([values["id"]])
    )
    if found is not None:
        return found
    instance = mapper.class_manager.new_instance()
    # As a query's row processing fills a new instance: no events, no history.
    instance_dict(instance).update(values, **related)
    make_transient_to_detached(instance)
    # What session.add does for a detached instance, without walking every
    # relationship for objects to cascade to (5.6% of the empty signed-in page
    # in a py-spy profile, half of it that walk): the only related object it
    # holds, the team, is in the session already (made first).
    session._update_impl(sa.inspect(instance))
    return instance
