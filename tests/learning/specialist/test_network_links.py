"""The area page links to the area's network for those who may open it (its
key persons and specialist staff), and the network page links back."""

import pytest

pytestmark = pytest.mark.usefixtures("app")

NETWORK = "/specialomraader/eures/netvaerk"


@pytest.mark.parametrize(
    ("who", "linked"),
    [
        ("key", True),
        ("staff", True),
        ("colleague", False),
        ("disability_key", False),  # another area's key person
        ("coordinator", False),
        ("admin", False),
    ],
)
def test_the_area_page_links_to_its_network_for_its_members(
    client, login_as, knowledge, who, linked
):
    login_as(knowledge.people[who])
    page = client.get("/specialomraader/eures/").get_data(as_text=True)
    assert (f'href="{NETWORK}"' in page) is linked
    assert ("Områdets netværk af nøglepersoner" in page) is linked
    # The link is offered exactly to those the network lets in.
    assert (client.get(NETWORK).status_code == 200) is linked


def test_the_network_page_links_back_to_the_area(client, login_as, knowledge):
    login_as(knowledge.people["key"])
    page = client.get(NETWORK).get_data(as_text=True)
    assert 'href="/specialomraader/eures/"' in page
    assert "Tilbage til områdesiden: EURES" in page
    # The link comes before the page's heading, so headings stay in order.
    assert page.index("Tilbage til områdesiden") < page.index("<h1")
