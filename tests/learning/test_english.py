"""The English switch reaches the framework's own words: the default scale's level
names and descriptions (stored in Danish) on the pages and in the profile chart."""

import re


def _switch_to_english(client):
    assert client.post("/sprog/en", data={"next": "/"}).status_code == 302


def test_the_profile_chart_and_its_scale_read_in_english(
    client, login_as, small_framework
):
    login_as("employee")
    _switch_to_english(client)
    page = client.get("/kompetencer/vurdering/profil").text
    chart = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert "4 Expert" in chart
    assert "1 Knows of" in chart
    assert "Ekspert" not in chart
    assert "Competence profile of" in chart


def test_the_self_assessment_names_the_levels_in_english(
    client, login_as, small_framework
):
    login_as("employee")
    _switch_to_english(client)
    page = client.get("/kompetencer/vurdering/selv", follow_redirects=True).text
    assert "Masters" in page
    assert "Can use the competence in ordinary tasks, with support." in page
    assert "Behersker kompetencen selvstændigt" not in page


def test_danish_pages_keep_the_scale_as_stored(client, login_as, small_framework):
    login_as("employee")
    page = client.get("/kompetencer/vurdering/profil").text
    assert "4 Ekspert" in page
