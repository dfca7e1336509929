"""Rich text is cleaned by an allow-list (nh3): the classic filter-evasion
vectors, posted as an item's text, reach neither the database nor a reader's
browser as anything that runs."""

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from core.db import db
from learning.specialist import richtext
from learning.specialist.models import KnowledgeItem

pytestmark = pytest.mark.usefixtures("app")

# Our own list of the vectors the OWASP XSS filter-evasion cheat sheet describes.
VECTORS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    "<img src=x onerror=alert(1)//",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65"
    "&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="jav&#x0A;ascript:alert(1)">newline</a>',
    '<a href=" &#14;  javascript:alert(1)">spaces</a>',
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JAVASCRIPT:alert(1)">klik</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "<svg onload=alert(1)>",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<IFRAME SRC="https://xss.example/"></IFRAME>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2Zz4=">',
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<STYLE>@import'https://xss.example/xss.css';</STYLE>",
    '<p style="behavior: url(xss.htc)">stil</p>',
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<form action="javascript:alert(1)"><button>Send</button></form>',
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="https://ok.example/" onmouseover="alert(1)">mus</a>',
    '<a href="https://ok.example/" target="_blank" style="color:red">stil</a>',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<script\x00>alert(1)</script>",
]
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class Fragment(HTMLParser):
    """Every element and attribute in a piece of HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def dangers(text: str) -> list[str]:
    """What in `text` would run in a browser, were it put in a page."""
    fragment = Fragment()
    fragment.feed(text)
    found = [t for t in fragment.tags if t not in richtext.TAGS]
    for tag, name, value in fragment.attributes:
        # rel="noopener noreferrer nofollow" is the cleaner's own, on every link.
        if name not in richtext.ATTRIBUTES.get(tag, ()) and (tag, name) != ("a", "rel"):
            found.append(f"{tag} {name}")
        if name == "href" and not value.strip().lower().startswith(SAFE_SCHEMES):
            found.append(f"href {value!r}")
    return found


@pytest.mark.parametrize("vector", VECTORS)
def test_a_vector_is_cleaned(vector):
    assert dangers(richtext.clean(vector)) == []


def test_none_survives_posting_reading_and_the_feed(client, login_as, knowledge):
    login_as(knowledge.people["key"])
    body = "<p>Indledning</p>" + "\n".join(VECTORS)
    answer = client.post(
        "/specialomraader/eures/ny",
        data={
            "kind": "guidance",
            "title": "<script>alert('titel')</script>",
            "summary": "<img src=x onerror=alert(1)>",
            "body": body,
            "competence_ids": [str(knowledge.competences[0].id)],
        },
    )
    assert answer.status_code == 302
    item = db.session.scalar(sa.select(KnowledgeItem))
    assert dangers(item.body) == []
    assert "Indledning" in item.body
    client.post(f"/specialomraader/viden/{item.id}/publish")
    login_as(knowledge.people["colleague"])
    page = client.get(f"/specialomraader/viden/{item.id}").get_data(as_text=True)
    text = page.split('<div class="knowledge-text">', 1)[1].split("</div>", 1)[0]
    assert dangers(text) == []
    # Title and summary are text: shown escaped, never as markup.
    assert "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    feed = client.get("/specialomraader/eures/feed.atom").get_data(as_text=True)
    # In the feed they are text too, escaped by the XML writer.
    assert "<script" not in feed
    assert "<img" not in feed
    assert "&lt;img src=x onerror=alert(1)&gt;" in feed


def test_links_keep_working_and_get_rel(client, login_as, knowledge):
    cleaned = richtext.clean('<p>Se <a href="https://eures.europa.eu/">EURES</a></p>')
    assert 'href="https://eures.europa.eu/"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


def test_plain_text_becomes_paragraphs():
    assert richtext.clean("Første afsnit\n\nAndet: 3 < 5 & æøå") == (
        "<p>Første afsnit</p><p>Andet: 3 &lt; 5 &amp; æøå</p>"
    )
