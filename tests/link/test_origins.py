"""link/origins.py: every appearance's ultimate origin, and independent origins counted honestly."""

from __future__ import annotations

import pytest

from storyline.link.origins import cited_outlets, count_origins, outlet_key, resolve_origin
from storyline.models import Attribution, Claim, ClaimAppearance, ClaimOrigin, ClaimRole, Span, TextAnnotations

IDS = {"Vladimir Putin": "person:vladimir-putin", "Dmitry Peskov": "person:dmitry-peskov", "Kremlin": "org:kremlin"}


def _att(source: str | None, kind: str, via: tuple[str, ...] = (), name: str | None = None, count: int | None = None) -> Attribution:
    return Attribution(Span("content", 0, 7), Span(source, 20, 20 + len(source)) if source else None, kind, count,
                       via=tuple(Span(v, 0, len(v)) for v in via), source_name=name)


@pytest.mark.parametrize(("att", "outlet", "cited", "key", "name", "flagged"), [
    # 1. a label resolved by the speaker resolution is the actor's own statement
    (_att("the dictator", "person", name="Vladimir Putin"), "Kyiv Post", (), "actor:person:vladimir-putin", "Vladimir Putin", False),
    (_att("He", "person", name="Vladimir Putin"), None, (), "actor:person:vladimir-putin", "Vladimir Putin", False),
    # a pronoun we could not resolve is no origin of its own
    (_att("He", "person"), "Kyiv Post", (), "unresolved:a1:20", "unresolved speaker “He”", True),
    # 2. an outlet, a report it published, a retelling
    (_att("Reuters", "outlet"), None, (), "outlet:reuters", "Reuters", False),
    (_att("a recent report in the New York Times", "document", via=("the New York Times",)), "Times of India", (),
     "outlet:new york times", "New York Times", False),
    # 3. unnamed sources: one origin per outlet that obtained them and description
    (_att("two former senior Russian officials", "anonymous", via=("The New York Times",), count=2), "Times of India", (),
     "anonymous:new york times:official:former+russia", "unnamed officials of New York Times", False),
    (_att("four sources in Russia", "anonymous", via=("Reuters",), count=4), None, (), "anonymous:reuters:source:russia",
     "unnamed sources of Reuters", False),
    (_att("sources", "anonymous"), None, (), "anonymous:article a1:source:", "unnamed sources of an unknown outlet (article a1…)", True),
    # 4. unattributed: the outlet's own, the one report an unknown outlet retells, or flagged
    (None, "Kyiv Post", (), "outlet:kyiv post", "Kyiv Post", False),
    (None, None, ("Reuters",), "outlet:reuters", "Reuters", False),
    (None, None, ("Reuters", "CNN"), "unknown:a1", "unknown outlet of article a1…", True),
])
def test_resolve_origin(att: Attribution | None, outlet: str | None, cited: tuple[str, ...], key: str, name: str, flagged: bool) -> None:
    origin = resolve_origin(att, article_id="a1", outlet=outlet, actor_ids=IDS, cited=cited)
    assert (origin.key, origin.name, origin.flagged) == (key, name, flagged), origin
    assert origin.evidence


def test_an_actor_that_says_or_does_something_in_public_is_the_origin_of_an_unattributed_claim() -> None:
    claim = Claim("Peskov announced that talks were possible", 0, 40, Span("x", 0, 1), verb="announce",
                  roles=(ClaimRole("agent", "Dmitry Peskov", "Peskov", 0, 6),))
    origin = resolve_origin(None, article_id="a1", outlet="Kyiv Post", actor_ids=IDS, claim=claim)
    assert (origin.key, origin.kind, origin.outlet) == ("actor:person:dmitry-peskov", "person", "Kyiv Post")
    ready = Claim("Peskov is ready", 0, 15, Span("x", 0, 1), verb="be", roles=(ClaimRole("agent", "Dmitry Peskov", "Peskov", 0, 6),))
    assert resolve_origin(None, article_id="a1", outlet="Kyiv Post", actor_ids=IDS, claim=ready).key == "outlet:kyiv post"


def test_cited_outlets_are_reports_not_where_a_speaker_spoke() -> None:
    ann = TextAnnotations(attributions=(
        _att("Reuters", "outlet"),
        _att("sources", "anonymous", via=("the New York Times",)),
        _att("He", "person", via=("Russian state TV",), name="Vladimir Putin"),  # "he told Russian state TV": no report retold
        _att("the agency", "outlet"),
    ))
    assert cited_outlets(ann, "Kyiv Post") == ("Reuters", "New York Times")
    assert cited_outlets(ann, "Reuters") == ("New York Times",)
    assert outlet_key("The New York Times") == outlet_key("New York Times") == "new york times"


def _app(cid: str, origin: ClaimOrigin, published: str | None = "2024-05-23") -> ClaimAppearance:
    return ClaimAppearance(cid, cid.split(":")[0], origin.outlet, published, "t", "t", 0, 1, origin=origin.name, resolved=origin)


def _origin(att: Attribution | None, outlet: str | None = "Kyiv Post", cited: tuple[str, ...] = (), aid: str = "a1") -> ClaimOrigin:
    return resolve_origin(att, article_id=aid, outlet=outlet, actor_ids=IDS, cited=cited)


def test_count_pools_one_outlets_unnamed_sources_and_folds_its_report_into_them() -> None:
    apps = [
        _app("a1:c0", _origin(_att("four sources in Russia", "anonymous", via=("Reuters",), count=4))),
        _app("a2:c0", _origin(_att("another senior Russian source", "anonymous", via=("Reuters",), count=1))),
        _app("a3:c0", _origin(_att("the agency's sources", "anonymous", via=("Reuters",)))),
        _app("a4:c0", _origin(None, None, ("Reuters",), "a4")),                    # retells Reuters' report
        _app("a5:c0", _origin(_att("the dictator", "person", name="Vladimir Putin"))),
        _app("a6:c0", _origin(_att("He", "person", name="Vladimir Putin"))),
        _app("a7:c0", _origin(None, None, ("Reuters", "CNN"), "a7")),              # unknown outlet: flagged
    ]
    rows, (low, high) = count_origins(apps)
    assert [(r.origin.name, r.claim_ids) for r in rows] == [
        ("unnamed sources of Reuters", ("a1:c0", "a2:c0", "a3:c0", "a4:c0")),
        ("Vladimir Putin", ("a5:c0", "a6:c0")),
        ("unknown outlet of article a7…", ("a7:c0",)),
    ]
    assert rows[0].origin.count == 4 and rows[0].why == "its own unnamed sources" and rows[1].why == "its own statement"
    assert (low, high) == (2, 3)


def test_unnamed_groups_of_one_description_told_by_two_outlets_days_apart_may_be_the_same() -> None:
    nyt = _origin(_att("senior officials", "anonymous", via=("The New York Times",)))
    wapo = _origin(_att("officials", "anonymous", via=("The Washington Post",)))
    rows, counted = count_origins([_app("a1:c0", nyt, "2024-05-23"), _app("a2:c0", wapo, "2024-05-24")])
    assert counted == (1, 2) and rows[0].maybe_same_as == (wapo.key,) and rows[1].maybe_same_as == (nyt.key,)
    _, apart = count_origins([_app("a1:c0", nyt, "2024-05-01"), _app("a2:c0", wapo, "2024-05-24")])
    assert apart == (2, 2)


def test_count_of_claims_linked_before_origins_were_kept() -> None:
    legacy = ClaimAppearance("a1:c0", "a1", None, None, "t", "t", 0, 1, origin="Reuters")
    rows, counted = count_origins([legacy])
    assert rows[0].origin.flagged and counted == (1, 1)


def test_an_articles_own_telling_of_a_claim_it_also_attributes_elsewhere_retells_that_origin() -> None:
    toi = "Times of India"
    retold = _origin(_att("the report", "document", via=("the New York Times",)), toi, ("New York Times",))
    own = _origin(None, toi, ("New York Times",))
    unknown = _origin(None, None, ("Reuters", "CNN"), "a3")
    apps = [_app("a1:c0", retold), _app("a1:c1", own), _app("a2:c0", _origin(None, toi, (), "a2")), _app("a3:c0", unknown)]
    apps[0] = ClaimAppearance("a1:c0", "a1", toi, "2024-05-23", "t", "t", 0, 1, origin=retold.name, resolved=retold)
    rows, counted = count_origins(apps)
    assert [(r.origin.name, r.claim_ids) for r in rows] == [
        ("New York Times", ("a1:c0", "a1:c1")),          # Times of India's own words beside "the report said"
        (toi, ("a2:c0",)),                               # another Times of India article on its own: its own reporting
        ("unknown outlet of article a3…", ("a3:c0",)),   # flagged, listed last
    ]
    assert "a1:c1 (Times of India's own words) retells it" in rows[0].origin.evidence, rows[0].origin.evidence
    assert counted == (2, 3)
