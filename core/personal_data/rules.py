"""How the kernel's own tables hold personal data (see core.registry.PersonalData).

`left_out` is the explicit exclusion list: what never leaves the database, not
even in a person's copy of their own data, each with the reason.
"""

from flask_babel import lazy_gettext as _l

from core.registry import PersonalData

CORE_RULES = (
    PersonalData(
        "users",
        _l("Your account: name, e-mail, employer, team and language."),
        subject="id",
        # Replaced by the erasure itself (with "Deleted user" and an address
        # that cannot receive mail), not emptied like free text.
        plain=("email", "name", "language"),
        left_out={
            "password_hash": "a secret: with it anyone could test passwords "
            "offline; it says nothing about the person",
        },
    ),
    PersonalData(
        "user_roles",
        _l("Your roles."),
        subject="user_id",
        on_erase="delete",
    ),
    PersonalData(
        "key_persons",
        _l("Your appointments as key person for a specialist area."),
        subject="user_id",
        on_erase="delete",
    ),
    PersonalData(
        "region_advisers",
        _l("The employment regions you advise."),
        subject="user_id",
        on_erase="delete",
    ),
    PersonalData(
        "specialist_staff",
        _l("The regional specialist functions you work in."),
        subject="user_id",
        on_erase="delete",
    ),
    PersonalData(
        "org_units",
        _l("The teams you lead, or deputise for."),
        unlink=("manager_id", "deputy_id"),
        plain=("name",),
    ),
    PersonalData(
        "login_sessions",
        _l("The browsers you are signed in on, and until when."),
        subject="user_id",
        left_out={"token": "a secret: it signs a browser in as the person"},
        on_erase="delete",
    ),
    PersonalData(
        "login_attempts",
        _l(
            "Failed sign-ins and password links asked for with your e-mail, "
            "with the address they came from."
        ),
        email_column="email",
        plain=("kind", "address"),
        on_erase="delete",
    ),
    PersonalData(
        "password_tokens",
        _l("Links sent to you to choose a password."),
        subject="user_id",
        left_out={
            "token_hash": "a secret: the hash of a link that may still set the "
            "person's password"
        },
        on_erase="delete",
    ),
    PersonalData(
        "api_tokens",
        _l("Your access tokens for the API: their names, scopes and use."),
        subject="user_id",
        free_text=("name",),
        plain=("scopes", "prefix"),
        left_out={
            "token_hash": "a secret: the hash of a token that may still act as "
            "the person"
        },
        on_erase="delete",
    ),
    PersonalData(
        "notifications",
        _l("Your notifications."),
        subject="user_id",
        free_text=("subject", "body"),
        plain=("link",),
        on_erase="delete",
    ),
    PersonalData(
        "outbox_mails",
        _l("E-mails to you, sent or waiting."),
        email_column="to_address",
        free_text=("subject", "body", "ics"),
        plain=("ics_method", "last_error"),
        on_erase="delete",
    ),
    PersonalData(
        "audit_events",
        _l("The audit trail: what you did, and what was done to your data."),
        actors=("actor_id",),
        free_text=("reason",),
        # The details show only in the copy of the person the event is about
        # (core.personal_data.export); the erasure anonymises names in them.
        plain=("action", "object_type", "before", "after"),
    ),
)
