"""The session cookie's serializer is kept per key (core.cookie_session): a
changed secret key still decides which cookies are good, on the next request."""


def test_a_changed_secret_key_keeps_a_fallback_and_otherwise_signs_out(
    app, client, login_as, monkeypatch
):
    login_as("employee")
    assert client.get("/tilmeldinger/").status_code == 200

    old = app.config["SECRET_KEY"]
    monkeypatch.setitem(app.config, "SECRET_KEY", "another secret key " * 3)
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old])
    assert client.get("/tilmeldinger/").status_code == 200  # the old key still good

    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    answer = client.get("/tilmeldinger/")  # the cookie signed with the old key
    assert answer.status_code == 302
    assert "/tilmeldinger/" not in answer.headers["Location"].split("?")[0]
