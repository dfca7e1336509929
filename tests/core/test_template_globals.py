"""Templates read the app's globals themselves (core.templating.
SharedGlobalsEnvironment, issue 19): a render copies one dict instead of a
ChainMap key by key, and a global added after a template was loaded is still
seen by it, as with Jinja's own ChainMap."""

import pytest


def test_a_global_added_after_a_render_is_seen_by_the_same_template(app):
    env = app.jinja_env
    template = env.from_string("{{ greeting | default('none') }}")
    with app.test_request_context():
        assert template.render() == "none"
        env.globals["greeting"] = "Hej"
        try:
            assert template.render() == "Hej"
            assert env.get_template("base.html").globals is env.globals
        finally:
            del env.globals["greeting"]


def test_a_template_with_globals_of_its_own_keeps_them_to_itself(app):
    env = app.jinja_env
    own = env.from_string("{{ greeting }}", globals={"greeting": "Hej"})
    with app.test_request_context():
        assert own.render() == "Hej"
    assert "greeting" not in env.globals


def test_globals_for_a_loaded_template_are_refused_not_written_into_the_app(app):
    env = app.jinja_env
    with pytest.raises(TypeError):
        env.get_template("base.html", globals={"greeting": "Hej"})
    with pytest.raises(TypeError):
        env.select_template(["base.html"], globals={"greeting": "Hej"})
    assert "greeting" not in env.globals


def test_pages_render_with_the_app_globals(client, login_as):
    login_as("employee")
    page = client.get("/adgangskode").get_data(as_text=True)
    assert 'name="csrf_token"' in page
