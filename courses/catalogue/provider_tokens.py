"""A provider's API access tokens: the tokens any of its staff made with the
provider scope, which every colleague (and an administrator) sees on the
provider's token page (provider_token_views) and may revoke. The tokens
themselves are core's (core.tokens); courses only reads and revokes them.

A token is its maker's: it acts as them and reads the providers they work for.
So it stops working for the provider scope as soon as its maker no longer works
for any provider (core.api.auth.may_hold, with the rule added in __init__), and
removing someone from their last provider revokes it too, so a colleague leaving
shows on this page instead of the course system failing silently."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.db import db, utcnow
from core.people.models import User
from core.tokens import services as tokens
from core.tokens.models import ApiToken
from courses.catalogue.models import Provider, ProviderMember

PROVIDER_SCOPE = "provider:read"


def _provider_tokens():
    return (
        sa.select(ApiToken)
        .where(ApiToken.holds(PROVIDER_SCOPE))
        .options(joinedload(ApiToken.owner))
    )


def tokens_of(provider: Provider) -> list[ApiToken]:
    """Every provider-scope token made by someone who works for `provider`, the
    newest first (revoked and expired ones too, so a stopped one shows)."""
    members = sa.select(ProviderMember.user_id).where(
        ProviderMember.provider_id == provider.id
    )
    return list(
        db.session.scalars(
            _provider_tokens()
            .where(ApiToken.user_id.in_(members))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_on_leaving(actor: User | None, user: User) -> int:
    """Revoke `user`'s provider-scope tokens if they no longer work for any
    provider; how many were still active."""
    if db.session.scalar(
        sa.select(ProviderMember.provider_id).where(ProviderMember.user_id == user.id)
    ):
        return 0  # still staff elsewhere: the token reads only that provider now
    now = utcnow()
    count = 0
    for token in db.session.scalars(
        _provider_tokens().where(ApiToken.user_id == user.id)
    ):
        if token.is_active(now):
            tokens.revoke(token, by=actor)
            count += 1
    return count
