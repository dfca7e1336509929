"""Private feed addresses: a person's secret that lets a feed reader, which
cannot sign in, read the areas' published items. What it opens is what every
signed-in person reads anyway (published items, nothing about the person), so a
leaked address gives away no one's data; the owner replaces or stops it, and it
stops with the account. The acting user is an argument; these flush."""

import sqlalchemy as sa

from core.audit import record
from core.db import db
from core.people.models import User
from learning.specialist.models import KnowledgeFeedToken, new_feed_secret

SECRET_MAX = 64


def token_of(user: User) -> KnowledgeFeedToken | None:
    return db.session.scalar(
        sa.select(KnowledgeFeedToken).where(KnowledgeFeedToken.user_id == user.id)
    )


def new_address(actor: User) -> KnowledgeFeedToken:
    """Give the actor a new secret; an address made before stops working."""
    token = token_of(actor)
    if token is None:
        token = KnowledgeFeedToken(user=actor)
        db.session.add(token)
    else:
        token.secret = new_feed_secret()
    db.session.flush()
    record(actor, "knowledge_feed.new_address", token)
    return token


def stop_address(actor: User) -> None:
    """Remove the actor's secret: their private addresses answer 404 from now."""
    token = token_of(actor)
    if token is not None:
        record(actor, "knowledge_feed.stop_address", token)
        db.session.delete(token)
        db.session.flush()


def reader_of(secret: str) -> User | None:
    """The active person whose secret this is, or None."""
    if not secret or len(secret) > SECRET_MAX:
        return None
    return db.session.scalar(
        sa.select(User)
        .join(KnowledgeFeedToken, KnowledgeFeedToken.user_id == User.id)
        .where(KnowledgeFeedToken.secret == secret, User.active.is_(True))
    )
