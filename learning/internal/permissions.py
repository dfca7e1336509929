"""Who may offer, sign off and ask for sparring; pure predicates for templates."""

from learning.internal.models import InternalOffer, MentorRequest


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_use_internal_learning(user) -> bool:
    """Jobcentre staff (people with a team) offer, book and ask colleagues."""
    return _signed_in(user) and getattr(user, "team_id", None) is not None


def can_manage_offer(user, offer: InternalOffer) -> bool:
    """The host sees the participants and calls the offer off; admins too."""
    return _signed_in(user) and (user.is_admin or user.id == offer.host_id)


def can_sign_off(user, offer: InternalOffer) -> bool:
    """Only the host signs off a completion: they saw the learner at work."""
    return _signed_in(user) and user.id == offer.host_id


def can_reflect(user, booking) -> bool:
    """The learner writes their own reflection."""
    return _signed_in(user) and user.id == booking.user_id


def can_view_request(user, request_: MentorRequest) -> bool:
    """The person who asked and the colleague asked."""
    return _signed_in(user) and user.id in (request_.requester_id, request_.mentor_id)
