"""The app starts and the health check reads the database."""


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_the_footers_system_status_opens_a_page_for_people(client):
    home = client.get("/log-ind").text
    footer = home[home.index("<footer") :]
    assert 'href="/driftsstatus"' in footer
    assert 'href="/healthz"' not in footer
    response = client.get("/driftsstatus")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<h1>Driftsstatus</h1>" in response.text
    assert "Alt virker" in response.text


def test_every_page_names_a_favicon_that_is_served(client):
    page = client.get("/log-ind").text
    assert 'rel="icon" href="/static/favicon.svg?v=' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert b"<svg" in icon.data
