"""The permission table: for every endpoint in `app.url_map`, who may use it.

Each entry says whether the endpoint is public, reached through a secret in its
address (a feed, a password link), or for people signed in; which roles open it
(`Who`, the roles of `core.people.models.Role` plus the links that act as roles:
a region's adviser, a key person); and for the objects named in its address or
in a hidden form field, whose objects each role reaches (`Scope`: their own,
their team's, their jobcentre's, their region's, their provider's, their
specialist area's, or any).

Where it lives, and why: here, in the tests, as data. The views state access
the way STYLE.md asks (`require(can_...)`, `role_required`); a second copy as a
decorator on every view would touch some thirty view modules other engineers
are editing, and would only be a claim the view could still contradict. Kept
apart, the table is a reviewable statement of intent in one file, and the tests
in this package hold the app to it from the outside, through HTTP: they fail
when an endpoint of the url_map has no entry (a new route cannot ship
unclassified), when an entry names an endpoint that no longer exists, and when
a route lets in someone the table does not name. Adding a route means adding
its line here, next to those it resembles.

Roles are those the person holds; a grant to `Who.employee` stands for the
jobcentre's staff (everyone with a team holds it in the demo), and admins are
listed where they are let in, never implied.
"""

from core.people.demo import DEMO_PASSWORD
from tests.access.vocabulary import (
    Access,
    Field,
    Kind,
    Scope,
    Who,
    allow,
    bearer,
    by_token,
    day,
    public,
    signed_in,
    this_year,
)

W, S, K = Who, Scope, Kind
ADMIN = {W.admin: S.any}
PROVIDERS = {W.provider_staff: S.provider, W.admin: S.any}
FRAMEWORK = {W.coordinator: S.any, W.admin: S.any}  # one framework for everyone
STAFF = {W.employee: S.any}  # people with a team: internal learning, sparring
MANAGERS = {W.manager: S.team, W.admin: S.any}
# A person, their manager, their jobcentre's coordinator and admins (can_view_person)
PERSON_VIEWERS = {
    W.anyone: S.own,
    W.manager: S.team,
    W.coordinator: S.jobcentre,
    W.admin: S.any,
}
# Person plans: the owner edits while draft or returned; the manager approves and
# the jobcentre's coordinator reads; completing is the owner's or the manager's.
PLAN_PARTIES = PERSON_VIEWERS
PLAN_EDITORS = {W.anyone: S.own}
PLAN_CLOSERS = {W.anyone: S.own, W.manager: S.team, W.admin: S.any}
# Unit plans: the jobcentre's coordinators, the region's advisers, the team's manager
UNIT_PLAN_PARTIES = {
    W.manager: S.team,
    W.coordinator: S.jobcentre,
    W.adviser: S.region,
    W.admin: S.any,
}
UNIT_PLAN_EDITORS = {W.coordinator: S.jobcentre, W.adviser: S.region, W.admin: S.any}
UNIT_PLAN_APPROVERS = {W.coordinator: S.jobcentre, W.admin: S.any}
BOOKING_VIEWERS = {
    W.anyone: S.own,
    W.manager: S.team,
    W.provider_staff: S.provider,
    W.admin: S.any,
}
PURCHASE_READERS = {W.coordinator: S.jobcentre, W.adviser: S.region, W.admin: S.any}
FMT = ("csv", "xlsx")
ONE = ("1",)  # an id in a bearer route's address: no cookie gets that far

# What people type into the forms (POST): valid, so a refusal is the route's.
NEW_PASSWORD = {"new": "Adgang-er-bevist-2027", "repeat": "Adgang-er-bevist-2027"}
ACCOUNT = {
    "name": "Adgang Testesen",
    "email": "adgang.testesen@jobcenter.demo.dk",
    "roles": "employee",
    "employer_kind": "municipal",
    "active": "y",
}
COURSE = {
    "title": "Samtaler med virksomheder",
    "audience": "both",
    "format": "in_person",
    "price_state": "0",
    "price_municipal": "1.250,50",
}
PROVIDER = {"key": "adgang", "name": "Adgang Kursus", "kind": "cok"}
COURSE_DAY = {"day": day(40), "start": "09:00", "end": "15:00", "place": "Lokale 2"}
SESSION = {"capacity": "20", "status": "open", "location": "København"}
REASON = {"reason": "Underviseren er syg"}
PERIOD = {"starts_on": day(1), "ends_on": day(200)}
UNIT_PLAN = {"title": "Rådgivningsforløb", "aims": "Flere aftaler", **PERIOD}
ITEM = {
    "kind": "guidance",
    "title": "Adgangsvejledning",
    "body": "Sådan gør du.",
    "competence_ids": K.competence,
}
CSV_IMPORT = {"fmt": "csv", "payload": "a29kZQ=="}


def _plans(grants, unit_grants=None, *, form=None, kinds=(K.plan, K.unit_plan), **p):
    """A plan route for person plans and, where it applies, unit plans."""
    person = allow(grants, plan_id=kinds[0], form=form, **p)
    if unit_grants is None:
        return person
    return (person, allow(unit_grants, plan_id=kinds[1], form=form, **p))


TABLE: dict[str, Access | tuple[Access, ...]] = {
    # core: the frame, sign-in, notifications, health
    "static": public(filename=("css/app.css",)),
    "core.dashboard": signed_in(),
    "core.healthz": public(),
    "core.status": public(),
    "core.login": public(
        form={
            "email": "mette.nielsen@jobcenter-koebenhavn.demo.dk",
            "password": DEMO_PASSWORD,
        }
    ),
    "core.logout": public(),
    "core.language": public(code=("da", "en"), form={"next": "/"}),
    "core.password": signed_in(form={"current": DEMO_PASSWORD, **NEW_PASSWORD}),
    "passwords.forgot_password": public(
        form={"email": "mette.nielsen@jobcenter-koebenhavn.demo.dk"}
    ),
    "passwords.set_password": by_token(
        "token", token=K.password_token, form=NEW_PASSWORD
    ),
    "core.notifications.index": signed_in(),
    "core.notifications.read": signed_in(S.own, notification_id=K.notification),
    "core.notifications.read_all": signed_in(),
    # core: personal data (GDPR): a copy of one's own; an admin's copy or erasure
    "core.personal_data.mine": signed_in(),
    "core.personal_data.copy_for": allow(
        {W.anyone: S.own, W.admin: S.any}, user_id=K.person
    ),
    "core.personal_data.erase": allow(
        ADMIN, user_id=K.person, form={"email": "jonas.kristensen@jobcenter.dk"}
    ),
    # core: the administrator's pages
    "admin.users": allow(ADMIN),
    "admin.new_user": allow(ADMIN, form=ACCOUNT),
    "admin.edit_user": allow(ADMIN, user_id=K.person, form=ACCOUNT),
    "admin.invite_user": allow(ADMIN, user_id=K.person),
    "admin.units": allow(ADMIN),
    "admin.edit_unit": allow(
        ADMIN, unit_id=K.unit, form={"kind": "team", "name": "Adgangsteamet"}
    ),
    "admin.key_persons": allow(
        ADMIN,
        form={"email": "mette.nielsen@jobcenter-koebenhavn.demo.dk", "area": "eures"},
    ),
    # core: key persons by jobcentre (issue 17): the jobcentre's own coordinator
    # appoints; its staff and the region's advisers see them and the gaps
    "core.key_persons.overview": allow({W.coordinator: S.jobcentre, W.admin: S.any}),
    "core.key_persons.jobcentre": allow(
        {W.anyone: S.jobcentre, W.adviser: S.region, W.admin: S.any},
        jobcentre_id=K.jobcentre,
    ),
    "core.key_persons.appoint": allow(
        {W.coordinator: S.jobcentre, W.admin: S.any},
        jobcentre_id=K.jobcentre,
        fields=[
            Field(
                "person_id",
                K.person,
                page="core.key_persons.jobcentre",
                sample={"area": "eures"},
            )
        ],
        form={"person_id": K.person, "area": "eures"},
    ),
    "core.key_persons.replace": allow(
        {W.coordinator: S.jobcentre, W.admin: S.any},
        key_person_id=K.key_person,
        fields=[Field("person_id", K.person, page="core.key_persons.replace")],
        form={"person_id": K.person},
    ),
    "core.key_persons.end": allow(
        {W.coordinator: S.jobcentre, W.admin: S.any}, key_person_id=K.key_person
    ),
    # The API (issue 20): the catalogue, its sessions and the document are public;
    # the rest answers bearer tokens only (what each token may read is tested in
    # tests/api). A person's own tokens, and the directory's made by admins.
    "api-docs.openapi_json": public(),
    "api_docs.index": public(),
    "catalogue_api.Providers": public(),
    "catalogue_api.Courses": public(),
    "catalogue_api.CourseDetail": public(course_id=K.course),
    "sessions_api.CourseSessions": public(course_id=K.course),
    "sessions_api.SessionDetail": public(course_session_id=K.course_session),
    "catalogue_api.ProviderCourses": bearer(),
    "sessions_api.ProviderSessions": bearer(course_id=ONE),
    "bookings_api.Participants": bearer(course_session_id=ONE),
    "bookings_api.MyBookings": bearer(),
    "bookings_api.CancelBooking": bearer(booking_id=ONE),
    "competences_api.Competences": bearer(),
    "competences_api.Profiles": bearer(),
    "competences_api.ProfileDetail": bearer(profile_id=ONE),
    "competences_api.ScaleView": bearer(),
    "matching_api.MyGaps": bearer(),
    "matching_api.MySuggestions": bearer(),
    "plans_api.MyPlans": bearer(),
    "plans_api.MyPlan": bearer(plan_id=ONE),
    "api_tokens.index": signed_in(),
    "api_tokens.revoke": allow({W.anyone: S.own}, token_id=K.api_token),
    # Provisioning from the organisation's directory (SCIM 2.0, issue 20)
    "scim_tokens.index": allow(ADMIN),
    "scim_tokens.revoke": allow(ADMIN, token_id=K.directory_token),
    "scim.all_schemas": bearer(),
    "scim.create_group": bearer(),
    "scim.create_user": bearer(),
    "scim.groups": bearer(),
    "scim.nothing_here": bearer(rest=("Ukendt",)),
    "scim.resource_types": bearer(),
    "scim.search_everything": bearer(),
    "scim.search_groups": bearer(),
    "scim.search_users": bearer(),
    "scim.service_provider_config": bearer(),
    "scim.users": bearer(),
    "scim.delete_group": bearer(group_id=ONE),
    "scim.delete_user": bearer(user_id=ONE),
    "scim.group": bearer(group_id=ONE),
    "scim.patch_group": bearer(group_id=ONE),
    "scim.patch_user": bearer(user_id=ONE),
    "scim.replace_group": bearer(group_id=ONE),
    "scim.replace_user": bearer(user_id=ONE),
    "scim.user": bearer(user_id=ONE),
    "scim.resource_type": bearer(name=("User",)),
    "scim.schema": bearer(schema_id=("urn:ietf:params:scim:schemas:core:2.0:User",)),
    # learning.specialist: the key-person network of an area (issue 17), its key
    # persons' and its functions' staff only (the demo key person's area)
    "learning.specialist.network.index": allow(
        {W.key_person: S.area}, slug=("etniske-minoriteter",)
    ),
    "learning.specialist.network.send": allow(
        {W.key_person: S.area},
        slug=("etniske-minoriteter",),
        form={"kind": "message", "subject": "Netværksmøde", "body": "Hej alle"},
    ),
    "audit.events": allow(ADMIN),
    "audit.export": allow(ADMIN, fmt=FMT),
    # courses.catalogue
    "courses.catalogue.index": signed_in(),
    "courses.catalogue.detail": signed_in(course_id=K.course),
    "courses.catalogue.provider": allow(PROVIDERS),
    "courses.catalogue.create": allow(PROVIDERS, provider_id=K.provider, form=COURSE),
    "courses.catalogue.edit": allow(PROVIDERS, course_id=K.course, form=COURSE),
    "courses.catalogue.archive": allow(PROVIDERS, course_id=K.course, form=REASON),
    "courses.catalogue.restore": allow(PROVIDERS, course_id=K.course),
    "courses.catalogue.preview": allow(PROVIDERS, course_id=K.course),
    "courses.catalogue.publish": allow(PROVIDERS, course_id=K.course),
    "courses.catalogue.provider_tokens": allow(PROVIDERS, provider_id=K.provider),
    "courses.catalogue.revoke_provider_token": allow(
        PROVIDERS, provider_id=K.provider, token_id=K.provider_token
    ),
    "courses.catalogue.providers": allow(ADMIN),
    "courses.catalogue.new_provider": allow(ADMIN, form=PROVIDER),
    "courses.catalogue.edit_provider": allow(
        ADMIN, provider_id=K.provider, form=PROVIDER
    ),
    "courses.catalogue.add_member": allow(
        ADMIN, provider_id=K.provider, form={"email": "peter.holm@star.demo.dk"}
    ),
    "courses.catalogue.remove_member": allow(
        ADMIN, provider_id=K.provider, user_id=K.person
    ),
    # courses.sessions: the provider's sessions and course days
    "courses.sessions.index": allow(PROVIDERS, course_id=K.course),
    "courses.sessions.create": allow(
        PROVIDERS, course_id=K.course, form={**SESSION, **COURSE_DAY}
    ),
    "courses.sessions.detail": allow(PROVIDERS, course_session_id=K.course_session),
    "courses.sessions.edit": allow(
        PROVIDERS, course_session_id=K.course_session, form=SESSION
    ),
    "courses.sessions.cancel": allow(
        PROVIDERS, course_session_id=K.course_session, form=REASON
    ),
    "courses.sessions.add_meeting": allow(
        PROVIDERS, course_session_id=K.course_session, form=COURSE_DAY
    ),
    "courses.sessions.edit_meeting": allow(
        PROVIDERS, meeting_id=K.meeting, form=COURSE_DAY
    ),
    "courses.sessions.cancel_meeting": allow(
        PROVIDERS, meeting_id=K.meeting, form=REASON
    ),
    # courses.diplomas
    "courses.diplomas.index": signed_in(),
    "courses.diplomas.detail": signed_in(diploma_id=K.diploma),
    "courses.diplomas.progress": allow(
        PERSON_VIEWERS, diploma_id=K.diploma, user_id=K.person
    ),
    "courses.diplomas.set_status": allow(
        PERSON_VIEWERS, module_id=K.module, user_id=K.person, form={"status": "planned"}
    ),
    "courses.diplomas.start": allow(
        PERSON_VIEWERS,
        diploma_id=K.diploma,
        user_id=K.person,
        form={"started_on": day(0)},
    ),
    # courses.bookings: booking, approval, participants, budgets, interest
    "courses.bookings.book": signed_in(
        course_session_id=K.course_session, form={"expect": "seat"}
    ),
    "courses.bookings.mine": signed_in(),
    "courses.bookings.act": allow(
        {W.anyone: S.own, W.manager: S.team, W.admin: S.any},
        booking_id=K.booking,
        form=REASON,
    ),
    # The pages that ask before giving a booking up: whoever may see the booking
    # (can_view_booking: the provider's staff too; only the POST is the party's).
    "courses.bookings.confirm_afmeld": allow(BOOKING_VIEWERS, booking_id=K.booking),
    "courses.bookings.confirm_afslaa": allow(BOOKING_VIEWERS, booking_id=K.booking),
    "courses.bookings.inbox": allow(MANAGERS),
    "courses.bookings.decide": allow(
        MANAGERS, booking_id=K.booking, form={"comment": "Det passer i planen"}
    ),
    "courses.bookings.waiver": allow(
        MANAGERS,
        fields=[
            Field(
                "person",
                K.person,
                page="courses.bookings.waiver",
                sample={"reason": "Har erfaring fra tidligere job"},
            )
        ],
        form={"person": K.person, "reason": "Har erfaring fra tidligere job"},
    ),
    "courses.bookings.participants": allow(
        PROVIDERS, course_session_id=K.course_session
    ),
    "courses.bookings.participants_file": allow(
        PROVIDERS, course_session_id=K.course_session, fmt=FMT
    ),
    "courses.bookings.attendance": allow(
        PROVIDERS, booking_id=K.booking, form={"outcome": "attended"}
    ),
    "courses.bookings.declare_interest": signed_in(course_id=K.course),
    "courses.bookings.interest_report": allow(
        {W.coordinator: S.jobcentre, W.provider_staff: S.provider, W.admin: S.any}
    ),
    "courses.bookings.budget_index": allow(
        {W.coordinator: S.jobcentre, W.admin: S.any},
        fields=[
            Field(
                "unit",
                K.unit,
                page="courses.bookings.budget_index",
                sample={"amount": "250.000"},
            )
        ],
        form={"unit": K.unit, "year": this_year, "amount": "250.000"},
    ),
    "courses.bookings.budget_unit": allow(
        {W.manager: S.team, W.coordinator: S.jobcentre, W.admin: S.any},
        unit_id=K.unit,
    ),
    # courses.calendars
    "courses.calendars.index": signed_in(),
    "courses.calendars.regenerate": signed_in(),
    "courses.calendars.revoke": signed_in(),
    "courses.calendars.personal_feed": by_token("secret", secret=K.feed_secret),
    "courses.calendars.provider_feed": public(provider_id=K.provider),
    "courses.calendars.booking": allow(
        {W.anyone: S.own, W.admin: S.any}, booking_id=K.booking
    ),
    "courses.calendars.providers": allow(PROVIDERS),
    "courses.calendars.provider": allow(PROVIDERS, provider_id=K.provider),
    "courses.calendars.preview": allow(
        PROVIDERS, provider_id=K.provider, import_id=K.calendar_import
    ),
    "courses.calendars.feed": allow(
        ADMIN, provider_id=K.provider, form={"feed_url": "https://udbyder.dk/hold.ics"}
    ),
    # learning.competences: the framework (coordinators and admins)
    "learning.competences.index": allow(FRAMEWORK),
    "learning.competences.area": allow(
        FRAMEWORK, area_id=K.competence_area, form={"code": "ADG", "title": "Adgang"}
    ),
    "learning.competences.competence": allow(
        FRAMEWORK,
        competence_id=K.competence,
        form={
            "code": "ADG-1",
            "title": "Kende reglerne",
            "area_id": K.competence_area,
            "kind": "knowledge",
            "layer": "basic",
        },
    ),
    "learning.competences.remove": allow(FRAMEWORK, competence_id=K.competence),
    "learning.competences.reinstate": allow(FRAMEWORK, competence_id=K.competence),
    "learning.competences.scale": allow(FRAMEWORK, form={"name": "Adgangsskala"}),
    "learning.competences.profile": allow(
        FRAMEWORK, profile_id=K.profile, form={"key": "adgang", "title": "Adgang"}
    ),
    "learning.competences.import_file": allow(FRAMEWORK),
    "learning.competences.apply_import": allow(FRAMEWORK, form=CSV_IMPORT),
    "learning.competences.export": allow(FRAMEWORK, fmt=(*FMT, "json")),
    "learning.competences.job_functions": allow(
        {W.coordinator: S.jobcentre, W.admin: S.any},
        person_id=K.person,
        form={"profiles": K.profile},
    ),
    # learning.assessments
    "learning.assessments.my_profile": signed_in(),
    "learning.assessments.self_assessment": signed_in(),
    "learning.assessments.profile": allow(PERSON_VIEWERS, person_id=K.person),
    "learning.assessments.assess": (
        allow({W.anyone: S.own}, person_id=K.person, source=("selv",)),
        allow({W.manager: S.team}, person_id=K.person, source=("leder", "aftalt")),
    ),
    "learning.assessments.team": allow(MANAGERS, query={"team": K.team}),
    "learning.assessments.jobcentre": allow(
        {W.coordinator: S.jobcentre, W.admin: S.any}, query={"jobcentre": K.jobcentre}
    ),
    # learning.course_links: which competences a course develops
    "learning.course_links.edit": allow(
        FRAMEWORK,
        course_id=K.course,
        form={"competence_id": K.competence, "level": "3"},
    ),
    "learning.course_links.remove": allow(
        FRAMEWORK, course_id=K.course, competence_id=K.competence
    ),
    "learning.course_links.import_file": allow(FRAMEWORK),
    "learning.course_links.apply_import": allow(FRAMEWORK, form=CSV_IMPORT),
    "learning.course_links.export": allow(FRAMEWORK, fmt=FMT),
    # learning.matching: suggestions
    "learning.matching.suggestions": signed_in(),
    "learning.matching.person": allow(
        {W.anyone: S.own, W.manager: S.team, W.admin: S.any}, person_id=K.person
    ),
    "learning.matching.team": allow(MANAGERS, query={"team": K.team}),
    # learning.internal: internal learning offers of the jobcentre's staff
    "learning.internal.index": allow(STAFF),
    "learning.internal.new": allow(
        STAFF,
        form={
            "kind": "job_shadowing",
            "title": "Følg en virksomhedskonsulent",
            "day_1": day(20),
            "start": "09:00",
            "end": "12:00",
            "capacity": "2",
            "competences": K.competence,
        },
    ),
    "learning.internal.detail": allow(
        {W.employee: S.any, W.admin: S.any}, offer_id=K.offer
    ),
    "learning.internal.cancel": allow(
        {W.employee: S.own, W.admin: S.any}, offer_id=K.offer
    ),
    "learning.internal.reflect": allow(
        {W.employee: S.own},
        booking_id=K.internal_booking,
        form={"reflection": "Jeg så, hvordan en god virksomhedssamtale åbnes."},
    ),
    "learning.internal.sign_off": allow(
        {W.employee: S.own}, booking_id=K.hosted_booking
    ),
    # learning.mentoring: sparring with colleagues
    "learning.mentoring.colleagues": allow(STAFF),
    "learning.mentoring.requests": allow(STAFF),
    "learning.mentoring.settings": allow(STAFF, form={"opted_out": "y"}),
    "learning.mentoring.ask": allow(
        STAFF,
        fields=[
            # Only a colleague suggested for the gap: one from another region is not.
            Field(
                "mentor_id",
                K.person,
                page="learning.mentoring.colleagues",
                scope=S.region,
            )
        ],
        form={"mentor_id": K.person, "competence_id": K.competence, "message": "Tid?"},
    ),
    "learning.mentoring.answer": allow(
        {W.employee: S.own}, request_id=K.mentor_request, form={"reply": "Gerne"}
    ),
    # learning.plans: development plans and unit plans
    # learning.reports: demand. Numbers reach a region's advisers; the names
    # behind them only the jobcentre's own coordinators.
    "learning.reports.jobcentre": allow(
        PURCHASE_READERS, query={"jobcentre": K.jobcentre}
    ),
    "learning.reports.jobcentre_export": allow(
        PURCHASE_READERS, fmt=FMT, query={"jobcentre": K.jobcentre}
    ),
    "learning.reports.people_behind": allow(
        {W.coordinator: S.jobcentre, W.admin: S.any},
        competence_id=K.competence,
        query={"jobcentre": K.jobcentre},
    ),
    "learning.reports.team": allow(MANAGERS, query={"team": K.team}),
    "learning.reports.team_export": allow(MANAGERS, fmt=FMT, query={"team": K.team}),
    "learning.reports.region": allow({W.adviser: S.region, W.admin: S.any}),
    "learning.reports.region_export": allow(
        {W.adviser: S.region, W.admin: S.any}, fmt=FMT
    ),
    # learning.reports: the purchase plan for a jobcentre (advisers and admins
    # read it; only the jobcentre's coordinator turns it into booking requests)
    "learning.reports.purchase.plan": allow(
        PURCHASE_READERS, query={"jobcentre": K.jobcentre}
    ),
    "learning.reports.purchase.export": allow(
        PURCHASE_READERS,
        fmt=FMT,
        query={"jobcentre": K.jobcentre, "budget": ("100.000",)},
    ),
    "learning.reports.purchase.request_seats": allow(
        {W.coordinator: S.jobcentre},
        query={"jobcentre": K.jobcentre},
        form={"budget": "100.000", "starts_on": day(1), "ends_on": day(300)},
    ),
    # learning.specialist (issue 17): everyone signed in reads published items;
    # an area's key persons write (the demo's: Ayse, ethnic minorities) and edit
    # their own; the area's staff, who edit all, are no demo role
    "learning.specialist.index": signed_in(),
    "learning.specialist.area": signed_in(),
    "learning.specialist.function": signed_in(function_id=K.specialist_function),
    "learning.specialist.feed": signed_in(),
    # a private feed address: anyone may make, replace or stop their own
    "learning.specialist.private_feed": by_token(
        "secret", slug=("eures",), secret=K.knowledge_feed_secret
    ),
    "learning.specialist.new_feed_address": signed_in(slug=("eures",)),
    "learning.specialist.stop_feed_address": signed_in(slug=("eures",)),
    "learning.specialist.item": signed_in(item_id=K.knowledge_item),
    "learning.specialist.document": signed_in(item_id=K.knowledge_document),
    "learning.specialist.add_to_plan": signed_in(item_id=K.knowledge_item),
    "learning.specialist.new_item": allow(
        {W.key_person: S.any}, slug=("etniske-minoriteter",), form=ITEM
    ),
    "learning.specialist.edit_item": allow(
        {W.key_person: S.own}, item_id=K.knowledge_item, form=ITEM
    ),
    "learning.specialist.change_status": allow(
        {W.key_person: S.own}, item_id=K.knowledge_item, action=("archive",)
    ),
    # the catalogue courses linked to an area: its specialist staff (no demo
    # role), coordinators and admins; key persons write items, not links
    "learning.specialist.courses": allow(
        FRAMEWORK, slug=("etniske-minoriteter",), form={"course_id": K.course}
    ),
    "learning.specialist.unlink_course": allow(
        FRAMEWORK, slug=("etniske-minoriteter",), course_id=K.area_course
    ),
    "learning.plans.index": signed_in(),
    "learning.plans.new": signed_in(form={"period": "next"}),
    "learning.plans.inbox": allow(MANAGERS),
    "learning.plans.team": allow(MANAGERS),
    "learning.plans.export": allow(MANAGERS),
    "learning.plans.units": allow(UNIT_PLAN_EDITORS),
    "learning.plans.new_unit_plan": allow(
        UNIT_PLAN_EDITORS,
        fields=[
            Field(
                "unit_id",
                K.unit,
                page="learning.plans.new_unit_plan",
                sample=UNIT_PLAN,
            )
        ],
        form={"unit_id": K.unit, **UNIT_PLAN},
    ),
    "learning.plans.detail": _plans(PLAN_PARTIES, UNIT_PLAN_PARTIES),
    "learning.plans.print_plan": _plans(PLAN_PARTIES, UNIT_PLAN_PARTIES),
    "learning.plans.prepare": _plans(
        PLAN_EDITORS, form={"wishes": "Mere om virksomhedsservice"}
    ),
    "learning.plans.talk": _plans(
        MANAGERS, form={"manager_note": "Godt forberedt", "talk_on": day(0)}
    ),
    "learning.plans.review": _plans(
        MANAGERS,
        UNIT_PLAN_APPROVERS,
        form={"approve": "y", "comment": "Fint"},
        kinds=(K.plan_to_decide, K.unit_plan_to_decide),
    ),
    "learning.plans.step": _plans(PLAN_CLOSERS, UNIT_PLAN_EDITORS),
    "learning.plans.add_goal": _plans(
        PLAN_EDITORS, UNIT_PLAN_EDITORS, form={"text": "Lede et virksomhedsmøde"}
    ),
    "learning.plans.goal_from_gap": _plans(
        PLAN_EDITORS, form={"competence_id": K.competence}
    ),
    "learning.plans.remove_goal": _plans(
        PLAN_EDITORS, UNIT_PLAN_EDITORS, goal_id=K.goal
    ),
    "learning.plans.add_activity": (
        allow(
            PLAN_EDITORS,
            plan_id=K.plan,
            fields=[
                Field(
                    "goal_id",
                    K.goal,
                    page="learning.plans.add_activities",
                    sample={"kind": "reading", "title": "Læs om jobrotation"},
                ),
                # Learning from a colleague: one of one's own jobcentre.
                Field(
                    "colleague_id",
                    K.person,
                    page="learning.plans.add_activities",
                    sample={"kind": "internal", "title": "Følordning"},
                    scope=S.region,
                ),
            ],
            form={"kind": "reading", "title": "Læs om jobrotation"},
        ),
        allow(
            UNIT_PLAN_EDITORS,
            plan_id=K.unit_plan,
            form={"kind": "seminar", "title": "Netværksmøde", "participants": "8"},
        ),
    ),
    # 'Tilføj aktiviteter': what the owner may add while the plan can change.
    "learning.plans.add_activities": _plans(
        PLAN_EDITORS, kinds=(K.plan_to_edit, K.unit_plan_to_edit)
    ),
    "learning.plans.add_session": _plans(
        PLAN_EDITORS, form={"course_session_id": K.course_session, "funding": "budget"}
    ),
    "learning.plans.remove_activity": _plans(
        PLAN_EDITORS,
        UNIT_PLAN_EDITORS,
        activity_id=K.activity,
        kinds=(K.plan_to_edit, K.unit_plan_to_edit),
    ),
    "learning.plans.activity_step": _plans(
        PLAN_CLOSERS,
        UNIT_PLAN_EDITORS,
        activity_id=K.activity,
        step=("fjern", "udfoert"),
    ),
    # Learning a colleague leads: only the colleague the activity names signs off.
    "learning.plans.led_by_me": signed_in(),
    "learning.plans.sign_off": allow(
        {W.anyone: S.own}, activity_id=K.led_activity, form={"note": "Godt gået"}
    ),
    "learning.plans.unit_texts": allow(
        UNIT_PLAN_EDITORS, plan_id=K.unit_plan, form=UNIT_PLAN
    ),
    "learning.plans.status_report": allow(
        UNIT_PLAN_EDITORS,
        plan_id=K.unit_plan,
        form={"status_report": "Målene er nået", "aims_met": "met"},
    ),
}


def entries(endpoint: str) -> tuple[Access, ...]:
    """The table's entry for `endpoint`, as a tuple of its variants."""
    entry = TABLE[endpoint]
    return entry if isinstance(entry, tuple) else (entry,)
