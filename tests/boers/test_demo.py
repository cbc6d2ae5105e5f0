"""Demo content: the page at /frivillig/boers/ with a few dozen posts of every kind;
running it again changes nothing."""

import io

from boers import demo
from boers.models import Kind, Post, Side


def test_demo_content_is_there_once(client, site_tree):
    demo.seed(io.StringIO())
    count = Post.objects.count()
    demo.seed(io.StringIO())
    assert Post.objects.count() == count >= 30
    visible = Post.objects.visible()
    assert {p.kind for p in visible} == set(Kind.values)
    assert {p.side for p in visible} == set(Side.values)
    response = client.get("/frivillig/boers/")
    assert response.status_code == 200
    assert "Gåmakker tirsdage" in response.content.decode()
    response = client.get("/frivillig/boers/", {"kind": "generations"})
    assert "Reservebedstemor til to drenge" in response.content.decode()
