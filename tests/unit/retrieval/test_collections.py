"""Each build goes into a collection of its own: a worker still searching the previous build
(a follower, until its next check of the shared stamp) keeps working while another rebuilds,
then switches; builds older than the previous one are deleted.

The corpora are the shipped one cut to a few dozen chunks, so that each build is quick."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import SearchUnavailable
from assistant.retrieval import store
from assistant.retrieval.corpus import Corpus
from assistant.retrieval.embeddings import FakeEmbeddings
from assistant.retrieval.index import BuildReport, IndexNotReady, RetrievalIndex, add_all
from assistant.retrieval.store import COLLECTION, chroma_client, our_collections
from tests.utils.retrieval import small_corpus

NEW_TEXT = "机构应提供量子通信咨询服务。"


def open_fake(client: Any, corpus: Corpus, **options: Any) -> tuple[RetrievalIndex, BuildReport]:
    return RetrievalIndex.open(corpus, client, FakeEmbeddings(), "fake", **options)


def top_clause(index: RetrievalIndex) -> str:
    return index.searcher.search("量子通信咨询", 1)[0].chunk.clause


@pytest.fixture(params=["embedded", "server"])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "embedded":
        return chroma_client(tmp_path / "chroma")
    server = chroma_client(tmp_path / "unused", request.getfixturevalue("chroma_server"))
    for name in our_collections(server):  # the server outlives one test
        server.delete_collection(name)
    return server


def test_a_follower_searches_its_build_during_a_reindex_then_switches(client: Any) -> None:
    leader, first = open_fake(client, small_corpus("one"))
    follower, reused = open_fake(client, small_corpus("one"), reuse_only=True)
    assert first.rebuilt and not reused.rebuilt
    assert follower.collection == leader.collection

    rebuilt, second = open_fake(client, small_corpus("two", NEW_TEXT))  # the admin's reindex

    assert second.rebuilt and rebuilt.collection != follower.collection
    assert top_clause(follower) != "9.5.99"  # its old build: still there, without the new text
    switched, report = open_fake(client, small_corpus("two", NEW_TEXT), reuse_only=True)
    assert not report.rebuilt and switched.collection == rebuilt.collection
    assert top_clause(switched) == "9.5.99"


def test_builds_older_than_the_previous_one_are_deleted(tmp_path: Path) -> None:
    client = chroma_client(tmp_path / "chroma")
    one = open_fake(client, small_corpus("one"))[0]
    two = open_fake(client, small_corpus("two"))[0]
    assert set(our_collections(client)) == {one.collection, two.collection}

    three = open_fake(client, small_corpus("three"))[0]

    assert set(our_collections(client)) == {two.collection, three.collection}
    with pytest.raises(SearchUnavailable):  # a worker two builds behind: a 503, not a 500
        one.searcher.search("服务", 3)
    assert two.searcher.search("服务", 3)


def test_a_build_chosen_again_counts_as_the_previous_one(tmp_path: Path) -> None:
    """Knowledge changed back (two → three → two): the next build keeps two, served last."""
    client = chroma_client(tmp_path / "chroma")
    two = open_fake(client, small_corpus("two"))[0]
    open_fake(client, small_corpus("three"))
    again, report = open_fake(client, small_corpus("two"))
    assert not report.rebuilt and again.collection == two.collection

    four = open_fake(client, small_corpus("four"))[0]

    assert set(our_collections(client)) == {two.collection, four.collection}


def test_a_forced_rebuild_goes_beside_the_build_in_use(tmp_path: Path) -> None:
    client = chroma_client(tmp_path / "chroma")
    serving = open_fake(client, small_corpus("one", NEW_TEXT))[0]

    forced, report = open_fake(client, small_corpus("one", NEW_TEXT), rebuild=True)

    assert report.rebuilt and forced.collection != serving.collection
    assert top_clause(serving) == "9.5.99"
    follower = open_fake(client, small_corpus("one", NEW_TEXT), reuse_only=True)[0]
    assert follower.collection == forced.collection  # the newest build of that content


def test_the_single_collection_of_earlier_versions_still_opens(tmp_path: Path) -> None:
    client = chroma_client(tmp_path / "chroma")
    corpus = small_corpus("legacy", NEW_TEXT)
    stamp = f"{corpus.content_hash}|fake"
    client.create_collection(COLLECTION, metadata={"stamp": stamp, "hnsw:space": "cosine"})
    add_all(store.ChromaVectorIndex(client, FakeEmbeddings(), COLLECTION), corpus.chunks, None)

    index, report = open_fake(client, corpus)

    assert not report.rebuilt and index.collection == COLLECTION
    assert top_clause(index) == "9.5.99"
    assert store.collection_metadata(client)["stamp"] == stamp  # what a backup records
    open_fake(client, small_corpus("two"))
    open_fake(client, small_corpus("three"))
    assert COLLECTION not in our_collections(client)


def test_a_build_under_way_is_left_alone_and_one_cut_short_long_ago_is_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = chroma_client(tmp_path / "chroma")
    store.begin_build(client, f"{COLLECTION}_elsewhere", "sha256:other|fake", "fake")
    open_fake(client, small_corpus("one"))
    assert f"{COLLECTION}_elsewhere" in our_collections(client)
    with pytest.raises(IndexNotReady):  # not finished: nobody serves it
        open_fake(
            client, replace(small_corpus("one"), content_hash="sha256:other"), reuse_only=True
        )

    monkeypatch.setattr(store, "STALE_BUILD_S", -1.0)
    open_fake(client, small_corpus("two"))

    assert f"{COLLECTION}_elsewhere" not in our_collections(client)
