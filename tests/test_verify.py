"""Tests for rag.verify (the offline claim verifier) and rag.nlp (its analyser).

Unit tests use the deterministic FakeEmbedder and the packaged spaCy model on real
seed sentences with their real offsets. Integration tests (``-m integration``) use
the real MiniLM embedder with a simple top-12 sentence retrieval over the seeds.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from rag.embeddings import FakeEmbedder
from rag.errors import InputError
from rag.nlp import are_antonyms, find_categories, load_default_nlp, words_match
from rag.types import Citation, Label, Relation
from rag.verify import RuleVerifier, split_citation

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@lru_cache(maxsize=1)
def _docs() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def cite(sentence: str) -> Citation:
    """A citation of ``sentence`` at its real offsets in the seed that contains it."""
    for name, text in _docs().items():
        if sentence in text:
            start = text.index(sentence)
            return Citation(f"c{start}", name, start, start + len(sentence), sentence, f"p_{start:020x}")
    raise AssertionError(f"not in the seeds: {sentence!r}")


_shared_nlp = lru_cache(maxsize=1)(load_default_nlp)


@pytest.fixture(scope="module")
def verifier() -> RuleVerifier:
    return RuleVerifier(FakeEmbedder(), nlp=_shared_nlp)


# Real seed sentences used as evidence.
CARAVANS = ("A week after their discussion, Mexico disbanded two migrant caravans heading toward the "
            "U.S. border, reportedly in response to Trump’s threat of tariffs on the Mexican economy.")
SPANISH = ("“In our conversation with President Trump, I explained to him the comprehensive strategy that "
           "Mexico has followed to address the migration phenomenon, respecting human rights,” Sheinbaum wrote in Spanish.")
AP = ("The Associated Press reported on a pivotal phone call between the two leaders, during which Trump "
      "emphasized the pressing issues at the U.S.-Mexico border.")
X_POST = ("In a post on X (formerly Twitter), she emphasized Mexico’s commitment to respecting human rights "
          "while managing migration.")
MILEI = ("Javier Milei, President of Argentina, has expressed his unwavering support for Trump, conveying his "
         "willingness to collaborate on initiatives undertaken by the forthcoming U.S. administration.")
BUKELE = ("The conversation between Trump and Nayib Bukele, President of El Salvador, involved Bukele "
          "congratulating Trump on his decisive electoral win.")
FLIGHTS = "The Biden administration has made progress in certain areas, such as facilitating repatriation flights to China."
CONSTRUCTIVE = ("Following his recent electoral victory, Trump has engaged in constructive conversations with the "
                "leaders of Mexico, El Salvador, and Argentina, expressing his eagerness to tackle shared challenges collaboratively.")
BRIDGES = ("“We reiterate that Mexico’s position is not to close borders but to build bridges between governments "
           "and between peoples,” she added.")
BUKELE_2019 = ("In contrast, Bukele, who rose to power in 2019, has implemented controversial measures to tackle "
               "crime in El Salvador, including a crackdown on gangs.")
CORDIAL = ("Claudia Sheinbaum, President of Mexico, revealed on social media that her exchange with Trump was "
           "\"very cordial,\" with both leaders discussing the prospects of maintaining a positive bilateral relationship.")
SAFE_THIRD = "However, Mexico has made it clear that it will not serve as a “safe third country” for migrants of other nationalities."
LEGALLY = "\"We want people to come, but they have to come legally,\" he said, indicating his openness to orderly and productive immigration."
BLOOMBERG = ("According to a statement from Mexico’s Foreign Affairs Ministry reported by Bloomberg, the Sheinbaum "
             "administration is prepared to work with federal, state, and local authorities to address potential mass deportations.")
HARRIS = ("Under Biden, Vice President Kamala Harris, dubbed the “border czar,” was widely criticized for failing "
          "to curb the influx of illegal migrants.")
FIRST_TERM = ("In his first term, Trump adopted a tough stance towards the region, employing various measures like "
              "sanctions, tariffs, and threats as part of efforts to address the issue of migration to the United States.")
SECOND_TERM = ("Now, as his second term approaches, the region remains central to the administration’s strategies to "
               "reduce migration flows and repatriate undocumented individuals residing in the US.")
VENEZUELA = ("Changing demographics and worsening conditions in the Western Hemisphere have contributed to record "
             "migration, particularly from countries like Venezuela.")
CONGRATS = ("Following President Donald Trump’s decisive victory in the 2024 U.S. presidential election, Mexican "
            "President Claudia Sheinbaum was among the first world leaders to extend congratulations.")
REINSTATE = ("Mexico is expected to play a significant role in controlling migration to the US, with plans to reinstate "
             "agreements that restrict migrants from seeking asylum in the US if they pass through certain countries.")
CONCERNS = ("During the call, President Trump raised concerns about the open border policies of the Biden "
            "administration and highlighted the need for stronger enforcement measures.")
WASHINGTON = ("Washington, DC – As the incoming administration of President-elect Donald Trump prepares to implement "
              "an aggressive strategy towards Latin America, sources close to the transition have revealed that this "
              "approach will be crucial in the plans to carry out large-scale deportations of migrants.")
DARIEN = ("Additionally, cooperation with Panama to prevent migrant flows through the Darien Gap is also a key "
          "component of the strategy.")
MILEI_SPOKE = "\"You know you can count on Argentina to make America great again,\" Milei assured Trump."
DISTRACTORS = (
    "Trump’s administration had previously taken a hardline stance on immigration, characterized by strict border "
    "policies and an emphasis on building a wall along the southern border.",
    "In the U.S., opinions diverge based on political affiliation.",
)


def ev(*sentences: str) -> list[Citation]:
    return [cite(s) for s in sentences] + [cite(s) for s in DISTRACTORS]


# (conflict type, refuted claim, supported twin, evidence sentence)
TWINS = [
    ("number", "Mexico disbanded three migrant caravans a week after the discussion.",
     "Mexico disbanded two migrant caravans a week after the discussion.", CARAVANS),
    ("duration", "A month after their discussion, Mexico disbanded two migrant caravans.",
     "A week after their discussion, Mexico disbanded two migrant caravans.", CARAVANS),
    ("language", "Sheinbaum wrote in English that Mexico's strategy addresses migration while respecting human rights.",
     "Sheinbaum wrote in Spanish that Mexico's strategy addresses migration while respecting human rights.", SPANISH),
    ("outlet", "Reuters reported on a phone call between the two leaders about the U.S.-Mexico border.",
     "The Associated Press reported on a phone call between the two leaders about the U.S.-Mexico border.", AP),
    ("platform", "In a post on Facebook, she emphasized Mexico's commitment to respecting human rights while managing migration.",
     "In a post on X, she emphasized Mexico's commitment to respecting human rights while managing migration.", X_POST),
    ("entity", "Javier Milei, President of Chile, expressed his unwavering support for Trump.",
     "Javier Milei, President of Argentina, expressed his unwavering support for Trump.", MILEI),
    ("role swap", "Trump congratulated Bukele on his decisive electoral win.",
     "Bukele congratulated Trump on his decisive electoral win.", BUKELE),
    ("negation", "The Biden administration made no progress on repatriation flights to China.",
     "The Biden administration has made progress on repatriation flights to China.", FLIGHTS),
    ("antonym", "Trump has engaged in confrontational conversations with the leaders of Mexico, El Salvador, and Argentina.",
     "Trump has engaged in constructive conversations with the leaders of Mexico, El Salvador, and Argentina.", CONSTRUCTIVE),
    ("quotation", "She added: \"Mexico's position is to close borders and not to build bridges.\"",
     "She added: \"Mexico's position is not to close borders but to build bridges.\"", BRIDGES),
    ("year", "Bukele rose to power in 2015 and has implemented controversial measures to tackle crime in El Salvador.",
     "Bukele rose to power in 2019 and has implemented controversial measures to tackle crime in El Salvador.", BUKELE_2019),
    ("antonym (cordial/hostile)", "Sheinbaum said her exchange with Trump was hostile.",
     "Sheinbaum said her exchange with Trump was very cordial.", CORDIAL),
    ("negation (will not serve)", "Mexico will serve as a safe third country for migrants of other nationalities.",
     "Mexico will not serve as a safe third country for migrants of other nationalities.", SAFE_THIRD),
    ("antonym (legally)", "Trump said people can come illegally.",
     "Trump said people have to come legally.", LEGALLY),
]

#: Sentences whose pronouns ("he") refer to a name in the sentence before them.
CONTEXT = {
    LEGALLY: "Additionally, Trump expressed a desire to attract businesses and individuals eager to "
             "contribute to the United States' growth legally.",
    BRIDGES: "Sheinbaum also reiterated Mexico’s stance on fostering cooperation rather than isolation.",
}


@pytest.mark.parametrize(("kind", "refuted", "supported", "sentence"), TWINS, ids=[t[0] for t in TWINS])
def test_conflict_refutes_and_twin_supports(verifier: RuleVerifier, kind: str, refuted: str,
                                            supported: str, sentence: str) -> None:
    evidence = ev(sentence, *([CONTEXT[sentence]] if sentence in CONTEXT else []))
    bad = verifier.verify(refuted, evidence)
    assert bad.label is Label.REFUTED, (kind, bad.explanation)
    assert bad.evidence[0].relation is Relation.REFUTES
    assert bad.evidence[0].citation.quote == sentence  # the contradicting passage comes first
    assert bad.explanation and "\n" not in bad.explanation
    good = verifier.verify(supported, evidence)
    assert good.label is Label.SUPPORTED, (kind, good.explanation)
    assert good.evidence[0].relation is Relation.SUPPORTS
    assert sentence in [e.citation.quote for e in good.evidence if e.relation is Relation.SUPPORTS]


NEI = [
    ("missing date", "Trump spoke with Milei on November 8.", MILEI_SPOKE),
    ("missing number", "The Biden administration facilitated twelve repatriation flights to China.", FLIGHTS),
    ("missing duration", "Sheinbaum's exchange with Trump lasted thirty minutes.", CORDIAL),
    ("missing entity", "Bloomberg reported that the Foreign Affairs Ministry met with the World Bank.", BLOOMBERG),
    ("missing content", "Milei invited Trump to visit Buenos Aires.", MILEI_SPOKE),
    ("missing quality", "Trump said he will go easy on border security and deportations.", CARAVANS),
]


@pytest.mark.parametrize(("kind", "claim", "sentence"), NEI, ids=[n[0] for n in NEI])
def test_on_topic_but_silent_is_not_enough_info(verifier: RuleVerifier, kind: str, claim: str,
                                                sentence: str) -> None:
    v = verifier.verify(claim, ev(sentence))
    assert v.label is Label.NOT_ENOUGH_INFO, (kind, v.explanation)
    assert v.explanation.startswith("no passage states") or "loosely" in v.explanation
    assert all(e.relation is Relation.RELATED for e in v.evidence)


# Rules added for loose paraphrase and premise checks: (claim, evidence sentences, label).
PARAPHRASES = [
    ("duration in other units", "About seven days after the discussion, Mexico broke up two migrant caravans.",
     (CARAVANS,), "SUPPORTED"),
    ("duration that differs", "Ten days after the discussion, Mexico disbanded two migrant caravans.",
     (CARAVANS,), "REFUTED"),
    ("rather than denies", "Sheinbaum said Mexico's position is to build bridges between governments and peoples "
     "rather than close borders.", (BRIDGES, CONTEXT[BRIDGES]), "SUPPORTED"),
    ("rather than, flipped", "Sheinbaum said Mexico's position is to close borders rather than build bridges.",
     (BRIDGES, CONTEXT[BRIDGES]), "REFUTED"),
    ("refuse = will not", "Mexico refuses to serve as a safe third country for migrants of other nationalities.",
     (SAFE_THIRD,), "SUPPORTED"),
    ("premise: agree to act", "Mexico agree to act as a safe third country", (SAFE_THIRD,), "REFUTED"),
    ("premise: decline to congratulate", "Bukele decline to congratulate Trump", (BUKELE,), "REFUTED"),
    ("premise: write in English", "Sheinbaum write her post about the Trump call in English", (SPANISH,), "REFUTED"),
    ("premise: true", "Mexico disband two migrant caravans", (CARAVANS,), "SUPPORTED"),
    ("withhold = not give", "Milei withheld his support from Trump.", (MILEI,), "REFUTED"),
    ("a role with no holder named", "Brazil's president congratulated Trump on his decisive electoral win.",
     (BUKELE,), "NOT_ENOUGH_INFO"),
    ("a list counts", "Trump has engaged in constructive conversations with the leaders of five countries.",
     (CONSTRUCTIVE,), "REFUTED"),
    ("a list counts, same number", "Trump has engaged in constructive conversations with the leaders of three countries.",
     (CONSTRUCTIVE,), "SUPPORTED"),
    ("lexicon: possible ~ potential", "Bloomberg reported that the Sheinbaum administration is ready to work with "
     "federal, state, and local authorities on possible mass deportations.", (BLOOMBERG,), "SUPPORTED"),
    ("negation scope: only the negated word flips", "Mexico made clear it will not act as a safe third country "
     "for migrants of other nationalities.", (SAFE_THIRD,), "SUPPORTED"),
    ("the one dubbed: same bearer", "Kamala Harris was the one dubbed the \"border czar.\"", (HARRIS,), "SUPPORTED"),
    ("the one dubbed: other bearer", "Joe Biden himself was the one dubbed the \"border czar.\"", (HARRIS,), "REFUTED"),
    # The seed's parse gives "Kamala Harris" to "dubbed", not to "was criticized": the main verb takes it.
    ("the one criticized: other bearer", "Biden was widely criticized for failing to curb the influx of illegal "
     "migrants.", (HARRIS,), "REFUTED"),
    ("the one criticized: same bearer", "Kamala Harris was widely criticized for failing to curb the influx of "
     "illegal migrants.", (HARRIS,), "SUPPORTED"),
    ("lexicon: voiced ~ expressed", "Javier Milei has voiced his unwavering support for Trump.", (MILEI,), "SUPPORTED"),
    ("lexicon: opposition vs support", "Javier Milei has expressed his opposition to Trump.", (MILEI,), "REFUTED"),
    ("opposites about different things", "Bukele's approval rating fell after the crackdown on gangs.",
     (BUKELE_2019,), "NOT_ENOUGH_INFO"),
    ("opposites about the same thing", "Trump adopted a soft stance towards the region in his first term.",
     (FIRST_TERM,), "REFUTED"),
    ("another instance states the value", "Trump's upcoming term will be his second.",
     (FIRST_TERM, SECOND_TERM), "NOT_ENOUGH_INFO"),
    ("the other instance fits worse", "Trump's first term is approaching as the region remains central to his strategy.",
     (FIRST_TERM, SECOND_TERM), "REFUTED"),
    ("framing passive, measure noun, degree adjective",
     "Venezuela is cited as a major contributor to record migration levels.", (VENEZUELA,), "SUPPORTED"),
    ("an unstated quality is still required", "Venezuela is cited as a hostile contributor to record migration.",
     (VENEZUELA,), "NOT_ENOUGH_INFO"),
    ("serve as is a copula", "Nayib Bukele serves as the President of El Salvador.", (BUKELE,), "SUPPORTED"),
    ("unknown adverb matches by form", "Harris faced wide criticism for failing to curb the influx of illegal migrants.",
     (HARRIS,), "SUPPORTED"),
    ("a sentence about someone else lends no name", "Sheinbaum congratulated Biden after he won the 2024 U.S. "
     "presidential election.", (CONGRATS, HARRIS), "NOT_ENOUGH_INFO"),
    ("lexicon: characterize ~ reveal", "Sheinbaum characterized her exchange with Trump as very cordial.",
     (CORDIAL,), "SUPPORTED"),
    ("lexicon: end vs reinstate", "Trump plans to end agreements that restrict migrants from seeking asylum in the US "
     "if they pass through certain countries.", (REINSTATE,), "REFUTED"),
    ("nothing that happened is stated", "Sheinbaum signed an agreement with Trump on human rights and migration.",
     (X_POST,), "NOT_ENOUGH_INFO"),
    # A time detail on an event the passage does not state times something else.
    ("a duration of an unstated event", "Their discussion lasted a month.", (CARAVANS,), "NOT_ENOUGH_INFO"),
    ("a duration of the stated event", "A month after their discussion, Mexico broke up two migrant caravans.",
     (CARAVANS,), "REFUTED"),
    ("a duration after the same event, other words", "Roughly a month after their discussion, Mexico scattered two "
     "migrant caravans heading toward the U.S. border.", (CARAVANS,), "REFUTED"),
    ("a year of another event", "Bukele was jailed in 2015.", (BUKELE_2019,), "NOT_ENOUGH_INFO"),
    ("a year of the same event, light verb", "Bukele came to power in 2015.", (BUKELE_2019,), "REFUTED"),
    # "the region" stands for a region an earlier sentence of the article names.
    ("the region: named before", "In his first term, Trump used sanctions, tariffs and threats on Latin America "
     "over migration.", (WASHINGTON, FIRST_TERM), "SUPPORTED"),
    ("the region: another region", "In his first term, Trump used sanctions, tariffs and threats on Central America "
     "over migration.", (WASHINGTON, FIRST_TERM), "NOT_ENOUGH_INFO"),
    ("the region: nothing named before", "In his first term, Trump used sanctions, tariffs and threats on Latin "
     "America over migration.", (FIRST_TERM,), "NOT_ENOUGH_INFO"),
    # "a single N" is a count of one.
    ("a single counts one", "Mexico disbanded a single migrant caravan a week after the discussion.",
     (CARAVANS,), "REFUTED"),
    ("a single counts one, no count stated", "Sheinbaum wrote a single post on X about migration.",
     (X_POST,), "NOT_ENOUGH_INFO"),
    # Pronouns inside a quotation stand for its speaker ("I explained to him", Sheinbaum wrote).
    ("quoted speaker: roles swapped", "Trump explained to Sheinbaum the comprehensive strategy that Mexico has followed.",
     (SPANISH,), "REFUTED"),
    ("quoted speaker: same roles", "Sheinbaum explained to Trump the comprehensive strategy that Mexico has followed.",
     (SPANISH,), "SUPPORTED"),
    # The alternative a claim rules out ("rather than China") is a different entity in its slot.
    ("rather than: the ruled-out one is stated", "The Biden administration facilitated repatriation flights to Cuba "
     "rather than China.", (FLIGHTS,), "REFUTED"),
    ("rather than: the claimed one is stated, the other is not", "The Biden administration facilitated repatriation "
     "flights to China rather than Cuba.", (FLIGHTS,), "NOT_ENOUGH_INFO"),
    # Two names hung on each other's noun.
    ("slot swap", "The strategy includes cooperation with the Darien Gap to prevent migrant flows through Panama.",
     (DARIEN,), "REFUTED"),
    ("slot swap: same slots", "The strategy includes cooperation with Panama to prevent migrant flows through the "
     "Darien Gap.", (DARIEN,), "SUPPORTED"),
]


@pytest.mark.parametrize(("kind", "claim", "sentences", "label"), PARAPHRASES, ids=[p[0] for p in PARAPHRASES])
def test_paraphrase_and_premise_rules(verifier: RuleVerifier, kind: str, claim: str,
                                      sentences: tuple[str, ...], label: str) -> None:
    v = verifier.verify(claim, ev(*sentences))
    assert v.label.value == label, (kind, v.explanation)
    if label == "REFUTED":
        assert v.evidence[0].citation.quote in sentences  # points at the contradicting passage


def test_acronym_matches_spelled_out_words() -> None:
    from rag.verify import _acronym_in

    assert _acronym_in("NGOs", "certain non-governmental organizations financed by")
    assert not _acronym_in("NGOs", "certain organizations financed by")
    assert not _acronym_in("Trump", "Trump really understands maps")  # not an acronym


@pytest.mark.parametrize(("a", "b", "same"), [
    ((7.0, "day"), (1.0, "week"), True), ((1.0, "month"), (4.0, "week"), True),
    ((10.0, "day"), (1.0, "week"), False), ((1.0, "month"), (1.0, "week"), False),
    ((-2.0, "day"), (1.0, "week"), None),
])
def test_same_duration(a: tuple[float, str], b: tuple[float, str], same: bool | None) -> None:
    from rag.nlp import same_duration

    assert same_duration(a, b) is same


def test_unrelated_number_elsewhere_does_not_refute(verifier: RuleVerifier) -> None:
    # "two" caravans in an unrelated sentence must not refute a claim about 2019.
    v = verifier.verify("Bukele rose to power in 2019.", ev(BUKELE_2019, CARAVANS))
    assert v.label is Label.SUPPORTED


def test_verdict_shape_and_bounds(verifier: RuleVerifier) -> None:
    v = verifier.verify("Bloomberg reported on a statement from Mexico's Foreign Affairs Ministry.", ev(BLOOMBERG))
    assert v.label is Label.SUPPORTED
    assert 0.0 <= v.confidence <= 1.0
    assert 1 <= len(v.evidence) <= 5
    d = v.to_dict()
    assert d["verdict"] == "SUPPORTED" and d["evidence"][0]["relation"] == "supports"


def test_no_evidence_is_not_enough_info(verifier: RuleVerifier) -> None:
    v = verifier.verify("Trump spoke with Milei.", [])
    assert v.label is Label.NOT_ENOUGH_INFO and v.evidence == ()


@pytest.mark.parametrize("claim", ["", "   "])
def test_empty_claim_is_an_input_error(verifier: RuleVerifier, claim: str) -> None:
    with pytest.raises(InputError):
        verifier.verify(claim, ev(CARAVANS))


def test_relate_one_span(verifier: RuleVerifier) -> None:
    rel, score, why = verifier.relate("Mexico disbanded three migrant caravans.", cite(CARAVANS))
    assert rel is Relation.REFUTES and 0 < score <= 1 and "three" in why
    rel, _, _ = verifier.relate("Mexico disbanded two migrant caravans.", cite(CARAVANS))
    assert rel is Relation.SUPPORTS
    rel, _, _ = verifier.relate("Mexico disbanded two migrant caravans.", cite(FLIGHTS))
    assert rel is Relation.RELATED


def test_multi_sentence_citation_is_split_with_exact_offsets(verifier: RuleVerifier) -> None:
    text = _docs()["003_625a3d29147f48c6.txt"]
    start = text.index("Sheinbaum also reiterated")
    end = text.index("Mexican economy.") + len("Mexican economy.")
    span = Citation("c1", "003_625a3d29147f48c6.txt", start, end, text[start:end], "p_" + "0" * 20)
    parts = split_citation(span)
    assert len(parts) == 4
    for p in parts:
        assert text[p.start:p.end] == p.quote
        assert p.passage_id == span.passage_id
    v = verifier.verify("Mexico disbanded three migrant caravans a week after the discussion.", [span])
    assert v.label is Label.REFUTED
    assert v.evidence[0].citation.quote.startswith("A week after their discussion")
    assert text[v.evidence[0].citation.start:v.evidence[0].citation.end] == v.evidence[0].citation.quote


def test_split_keeps_abbreviations_together() -> None:
    text = _docs()["003_625a3d29147f48c6.txt"]
    s = text.index("Following President Donald Trump")
    e = text.index("U.S.-Mexico border.") + len("U.S.-Mexico border.")
    parts = split_citation(Citation("c", "003_625a3d29147f48c6.txt", s, e, text[s:e], "p"))
    assert len(parts) == 2 and parts[0].quote.endswith("congratulations.")


def test_nothing_loads_at_construction() -> None:
    calls: list[int] = []

    def loader():  # noqa: ANN202
        calls.append(1)
        return _shared_nlp()

    v = RuleVerifier(FakeEmbedder(), nlp=loader)
    assert calls == []
    v.verify("Mexico disbanded two migrant caravans.", ev(CARAVANS))
    v.verify("Mexico disbanded three migrant caravans.", ev(CARAVANS))
    assert calls == [1]


def test_concurrent_calls_agree(verifier: RuleVerifier) -> None:
    claims = [t[1] for t in TWINS] + [t[2] for t in TWINS]
    evidence = {c: ev(t[3]) for t in TWINS for c in (t[1], t[2])}
    fresh = RuleVerifier(FakeEmbedder(), nlp=_shared_nlp)
    barrier = threading.Barrier(4)

    def run(c: str) -> str:
        try:
            barrier.wait(timeout=0.5)
        except threading.BrokenBarrierError:
            pass
        return fresh.verify(c, evidence[c]).label.value

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(run, claims * 2))
    expected = [verifier.verify(c, evidence[c]).label.value for c in claims] * 2
    assert got == expected


@pytest.mark.parametrize(("a", "b", "same"), [
    ("call", "conversation", True), ("deportation", "deport", True), ("election", "elect", True),
    ("cordial", "hostile", False), ("legal", "illegal", False), ("agree", "refuse", False),
    ("voice", "express", True), ("nickname", "dub", True),
    # General near-synonyms of the news register, matched on lemmas and their inflections.
    ("signaled", "indicated", True), ("widespread", "rampant", True), ("wide", "broad", True),
    ("continue", "ongoing", True), ("internal", "domestic", True), ("underlying", "root", True),
    ("consider", "explore", True), ("caution", "warn", True), ("encourage", "foster", True),
    ("mirror", "reflect", True), ("prompt", "raise", True), ("obstacle", "hurdle", True),
    ("precedent", "example", True), ("stance", "posture", True), ("monitor", "track", True),
    ("defence", "defense", True), ("internal", "foreign", False),
    ("foster", "hinder", False), ("sharp", "modest", False), ("adversary", "ally", False),
    ("prompt", "increase", False), ("previously", "prior", False),
    ("strained", "tense", True), ("strained", "cordial", False), ("unfounded", "baseless", True),
])
def test_word_matching(a: str, b: str, same: bool) -> None:
    assert words_match(a, b) is same


@pytest.mark.parametrize(("a", "b"), [("constructive", "confrontational"), ("cordial", "hostile"),
                                      ("increase", "decrease"), ("legally", "illegally"), ("accepted", "rejected"),
                                      ("support", "opposition"), ("internal", "foreign"), ("domestic", "external"),
                                      ("steep", "modest"), ("persist", "cease"), ("resist", "support"),
                                      ("shelve", "reinstate"), ("widen", "narrow"), ("cautious", "aggressive"),
                                      ("outdated", "innovative")])
def test_antonyms(a: str, b: str) -> None:
    assert are_antonyms(a, b) and are_antonyms(b, a)


@pytest.mark.parametrize(("text", "expected"), [
    # A post on a platform is also social media (the medium).
    ("In a post on X (formerly Twitter), she said", [("platform", "x"), ("medium", "social media")]),
    ("She wrote on Facebook", [("platform", "facebook"), ("medium", "social media")]),
    ("She said in a radio interview", [("medium", "radio")]),
    ("She revealed on social media", [("medium", "social media")]),
    ("The Associated Press reported", [("outlet", "associated press")]),
    ("reported by Bloomberg and Reuters", [("outlet", "bloomberg"), ("outlet", "reuters")]),
    ("Sheinbaum wrote in Spanish", [("language", "spanish")]),
    ("repatriation flights to China for Chinese nationals", []),
    ("the X factor", []),
])
def test_find_categories(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c, k) for c, k, _, _ in find_categories(text)] == expected


def _ana(text: str):  # noqa: ANN202
    from rag.nlp import analyze

    return analyze(_shared_nlp()(text))


def test_negation_target_is_the_word_the_cue_attaches_to() -> None:
    a = _ana("Mexico made clear it will not act as a safe third country for migrants.")
    by = {t.text: t for t in a.toks}
    assert by["act"].negated and by["act"].neg_target
    assert by["country"].neg_target  # "act as" is a copula: its predicate is what is denied
    assert by["migrants"].negated and not by["migrants"].neg_target  # in scope only
    assert not by["clear"].neg_target
    c = _ana("Panama will stop migrants crossing the Darien Gap.")
    assert not {t.text for t in c.toks if t.neg_target} & {"migrants"}  # "stop" denies no person
    d = _ana("Milei withheld his support from Trump.")
    assert {t.text for t in d.toks if t.neg_target} == {"support"}
    b = _ana("Mexico's position is not to close borders.")
    assert {t.text for t in b.toks if t.neg_target} >= {"close"}  # through the light copula


def test_framing_verbs_and_measure_nouns_carry_no_content() -> None:
    a = _ana("Venezuela is highlighted as a major contributor to record migration levels.")
    content = {a.toks[i].text for i in a.content}
    assert "highlighted" not in content and "levels" not in content
    assert {"contributor", "migration", "major"} <= content
    b = _ana("The Associated Press highlighted the call.")  # active, with its own subject: content
    assert "highlighted" in {b.toks[i].text for i in b.content}


def test_only_the_contradicting_sentence_of_a_pair_refutes(verifier: RuleVerifier) -> None:
    v = verifier.verify("Trump said people can come illegally.", ev(LEGALLY, CONTEXT[LEGALLY]))
    assert v.label is Label.REFUTED
    assert [e.citation.quote for e in v.evidence if e.relation is Relation.REFUTES] == [LEGALLY]


def test_both_sentences_of_a_supporting_pair_support(verifier: RuleVerifier) -> None:
    assisted = "“Thanks to this, migrants and caravans are assisted before they reach the border.”"
    v = verifier.verify("Sheinbaum wrote in Spanish that thanks to Mexico's strategy, migrants and caravans "
                        "are assisted before they reach the border.", ev(SPANISH, assisted))
    assert v.label is Label.SUPPORTED
    assert {e.citation.quote for e in v.evidence if e.relation is Relation.SUPPORTS} == {SPANISH, assisted}


def test_a_pair_sentence_that_adds_nothing_is_context() -> None:
    from rag.verify import _Match, _supporting_evidence, _Unit

    a, b = cite(BUKELE), cite(DISTRACTORS[0])

    def match(weight: float) -> _Match:
        return _Match(1.0, 1.0, [], [], [], 0.5, matched_weight=weight, total_weight=5.0)

    scored = [(_Unit((a,), (), 0.5), match(5.0)), (_Unit((b,), (), 0.3), match(1.0))]
    got = _supporting_evidence(_Unit((a, b), (), 0.5), match(5.0), scored, 0.9)
    assert [(e.citation.quote, e.relation) for e in got] == [(BUKELE, Relation.SUPPORTS),
                                                             (DISTRACTORS[0], Relation.RELATED)]


def test_the_one_is_a_pronoun_not_a_count() -> None:
    assert not [it for it in _ana("Biden was the one dubbed the border czar.").items if it.kind == "num"]
    assert [it.key for it in _ana("Mexico disbanded one caravan.").items if it.kind == "num"] == [1.0]


@pytest.mark.parametrize(("text", "expected"), [
    ("Joe Biden was the one dubbed the border czar.", ("dub", "pass", "joe biden")),
    ("Kamala Harris, dubbed the border czar, was criticized.", ("dub", "pass", "kamala harris")),
    ("Bukele, who rose to power in 2019, is popular.", ("rise", "act", "bukele")),
    ("Bukele congratulated Trump on his win.", ("congratulate", "act", "bukele")),
    # The agent of a passive does the act.
    ("Stricter border controls enforced by El Salvador", ("enforce", "act", "el salvador")),
    ("The controls would be enforced by the United States.", ("enforce", "act", "united states")),
    # The small model makes "Salvador" the conjunct and "Bukele" an apposition; Bukele forged.
    ("In an unexpected twist, former U.S. President Donald Trump and El Salvador’s President Nayib Bukele "
     "have forged a partnership.", ("forge", "act", "nayib bukele")),
])
def test_predications_name_who_a_verb_is_said_of(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _ana(text).predications


# ----------------------------------------------------------------------------- integration

#: Dev claims written for tuning (not taken from the gold set): claim, expected label.
DEV_CLAIMS = [
    ("Sheinbaum described her exchange with Trump as very cordial.", "SUPPORTED"),
    ("A week after their call, Mexico disbanded two migrant caravans heading to the U.S. border.", "SUPPORTED"),
    ("Bukele congratulated Trump on his decisive electoral win.", "SUPPORTED"),
    ("Javier Milei is the President of Argentina.", "SUPPORTED"),
    ("Bukele rose to power in 2019.", "SUPPORTED"),
    ("Mexico will not serve as a safe third country for migrants of other nationalities.", "SUPPORTED"),
    ("Roughly a week after the leaders talked, Mexico dispersed a pair of migrant caravans.", "SUPPORTED"),
    ("Milei told Trump that Argentina could be counted on to make America great again.", "SUPPORTED"),
    ("Harris, nicknamed the border czar, was widely criticized for not curbing illegal migration.", "SUPPORTED"),
    ("Mexico disbanded three migrant caravans a week after the call.", "REFUTED"),
    ("A month after their discussion, Mexico disbanded two migrant caravans.", "REFUTED"),
    ("Reuters reported on the phone call between Trump and Sheinbaum.", "REFUTED"),
    ("Javier Milei is the President of Chile.", "REFUTED"),
    ("Trump congratulated Bukele on his decisive electoral win.", "REFUTED"),
    ("The Biden administration made no progress on repatriation flights to China.", "REFUTED"),
    ("Sheinbaum said that Mexico's position is to close borders.", "REFUTED"),
    ("Sheinbaum's conversation with Trump was hostile.", "REFUTED"),
    ("Trump spoke with Milei on November 8.", "NOT_ENOUGH_INFO"),
    ("The Biden administration facilitated twelve repatriation flights to China.", "NOT_ENOUGH_INFO"),
    ("Bukele and Trump met at Mar-a-Lago.", "NOT_ENOUGH_INFO"),
    ("Milei invited Trump to visit Buenos Aires.", "NOT_ENOUGH_INFO"),
    ("Panama agreed to accept deportation flights from the United States.", "NOT_ENOUGH_INFO"),
    ("Trump threatened tariffs of 25 percent on Mexican goods.", "NOT_ENOUGH_INFO"),
]


@pytest.fixture(scope="module")
def real_setup():  # noqa: ANN201
    from rag.embeddings import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
    sents = []
    for name, text in _docs().items():
        body = text.split("See more BBC Express News")[0]  # trailing site boilerplate
        for s in split_citation(Citation("d", name, 0, len(body), body, "p")):
            if len(s.quote) > 15:
                sents.append(s)
    vecs = emb.embed_documents([s.quote for s in sents])
    return RuleVerifier(emb, nlp=_shared_nlp), emb, sents, vecs


def _top12(emb, sents, vecs, claim: str) -> list[Citation]:  # noqa: ANN001
    q = emb.embed_query(claim)
    return [sents[i] for i in np.argsort(-(vecs @ q))[:12]]


@pytest.mark.integration
@pytest.mark.parametrize(("claim", "label"), DEV_CLAIMS, ids=[c[:40] for c, _ in DEV_CLAIMS])
def test_dev_claims_with_real_models(real_setup, claim: str, label: str) -> None:  # noqa: ANN001
    ver, emb, sents, vecs = real_setup
    v = ver.verify(claim, _top12(emb, sents, vecs, claim))
    assert v.label.value == label, v.explanation


@pytest.mark.parametrize(("claim", "evidence", "supported"), [
    ("Trump said he wants no one to come to the United States.",
     "Trump said he wants people to come to the United States legally.", False),
    ("Trump never spoke with Sheinbaum.", "Trump spoke with Sheinbaum on Thursday.", False),
    ("Harris did not curb illegal migration.", "Harris was criticized for failing to curb illegal migration.", True),
    ("Mexico did not close its borders.", "Mexico did not close its borders, Sheinbaum said.", True),
    ("Sheinbaum did not accept the tariff offer.", "Sheinbaum denied accepting the tariff offer.", True),
])
def test_a_negated_claim_needs_negated_evidence(verifier: RuleVerifier, claim: str, evidence: str,
                                                supported: bool) -> None:
    span = Citation("x", "doc.txt", 0, len(evidence), evidence, "p_" + "0" * 20)  # not from the seeds
    label = verifier.verify(claim, [span]).label
    assert (label is Label.SUPPORTED) is supported, label


# A question the article asks states nothing: it neither supports nor refutes a claim.
ARTICLE_QUESTION = ("What does Bukele hope to achieve in this alliance, and how might it impact the broader "
                    "landscape of migration in the region?")


@pytest.mark.parametrize("claim", [
    "Bukele hopes to achieve something in this alliance.",
    "The alliance might impact migration in the region.",
])
def test_a_question_in_the_article_does_not_support_a_claim(verifier: RuleVerifier, claim: str) -> None:
    v = verifier.verify(claim, [cite(ARTICLE_QUESTION)])
    assert v.label is Label.NOT_ENOUGH_INFO, v.explanation
    assert "asks a question" in v.explanation
    assert all(e.relation is Relation.RELATED for e in v.evidence)


@pytest.mark.parametrize(("claim", "why"), [
    ("Migration.", "no verb"),
    ("Bukele.", "no verb"),
    ("Sheinbaum on X", "no verb"),
    ("Bukele congratulated Bukele.", "both the one who acts and the one acted on"),
    # A reporting verb with a stand-in for what was said: nothing to check.
    ("Trump said yes.", "does not say what Trump said"),
    ("Sheinbaum said no.", "does not say what Sheinbaum said"),
    ("Bukele said something.", "does not say what Bukele said"),
])
def test_a_claim_that_states_nothing_checkable_is_not_enough_info(verifier: RuleVerifier, claim: str,
                                                                  why: str) -> None:
    v = verifier.verify(claim, [cite(BUKELE), cite(X_POST), cite("- Migration Control: Potential policy shifts towards stricter migratory enforcement.")])
    assert v.label is Label.NOT_ENOUGH_INFO and why in v.explanation, v.explanation


@pytest.mark.parametrize(("claim", "label"), [
    ("It is not true that she did not post on X.", Label.SUPPORTED),
    ("It is false that she posted on X.", Label.REFUTED),
    ("It's not the case that she posted on Facebook.", Label.SUPPORTED),
    ("It is not true that Sheinbaum posted on X on a Tuesday.", Label.NOT_ENOUGH_INFO),
])
def test_a_denied_statement_is_judged_and_the_verdict_flipped(verifier: RuleVerifier, claim: str,
                                                              label: Label) -> None:
    v = verifier.verify(claim, [cite(X_POST)])
    assert v.label is label, v.explanation
    if label is not Label.NOT_ENOUGH_INFO:
        assert "the claim denies that" in v.explanation
        want = Relation.SUPPORTS if label is Label.SUPPORTED else Relation.REFUTES
        assert v.evidence[0].relation is want and v.evidence[0].citation.quote == X_POST


def test_a_reporting_verb_with_real_content_is_still_checked(verifier: RuleVerifier) -> None:
    v = verifier.verify("Sheinbaum said she emphasized Mexico’s commitment to respecting human rights.", [cite(X_POST)])
    assert "does not say what" not in v.explanation


@pytest.mark.parametrize("claim", ["Trump did not not win.", "Trump didn't not win.", "Trump didn’t not win."])
def test_a_double_negation_is_read_as_the_positive_statement(verifier: RuleVerifier, claim: str) -> None:
    v = verifier.verify(claim, [cite(BUKELE)])
    assert v.label is not Label.REFUTED, v.explanation
    assert v.label is verifier.verify("Trump did win.", [cite(BUKELE)]).label
    assert v.claim == claim and "negates twice" in v.explanation


@pytest.mark.parametrize(("claim", "claim_says"), [
    ("Mexico disbanded three migrant caravans.", "three migrant caravans"),
    ("Mexico disbanded three caravans.", "three caravans"),
])
def test_a_number_conflict_quotes_the_words_as_written(verifier: RuleVerifier, claim: str, claim_says: str) -> None:
    v = verifier.verify(claim, [cite(CARAVANS)])
    assert v.label is Label.REFUTED, v.explanation
    assert f"the claim says {claim_says}; the passage says two migrant caravans" in v.explanation
    assert v.evidence[0].relation is Relation.REFUTES and v.evidence[0].citation.quote == CARAVANS


def test_a_sentence_is_still_checked_when_it_is_the_cited_text_itself(verifier: RuleVerifier) -> None:
    # An answer's self-check quotes a verbless table or list row verbatim: it supports itself.
    row = "- Migration Control: Potential policy shifts towards stricter migratory enforcement."
    assert verifier.verify(row, [cite(row)]).label is Label.SUPPORTED
    assert verifier.verify("Bukele congratulated Trump.", [cite(BUKELE)]).label is Label.SUPPORTED


def test_a_claim_about_what_the_article_asks_may_cite_its_question(verifier: RuleVerifier) -> None:
    v = verifier.verify("The article asks what Bukele hopes to achieve in this alliance.", [cite(ARTICLE_QUESTION)])
    assert "asks a question" not in v.explanation


@pytest.mark.parametrize(("text", "expected"), [
    # A noun that acts for a named leader or country stands for it.
    ("Washington has been appealing to Bukele's government for aid.", ("united states", "appeal", "bukele")),
    # A participle clause without its own subject shares the main verb's.
    ("Bukele's administration has pursued reforms, appealing to the U.S. for aid.",
     ("bukele", "appeal", "united states")),
    # "It is X that ...": the cleft's focus is the subject, not "that".
    ("It is Washington that has been appealing to Bukele's government for aid.",
     ("united states", "appeal", "bukele")),
])
def test_triples_find_the_named_arguments(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in _ana(text).triples


@pytest.mark.parametrize(("text", "refers_back"), [
    ("In a post on X, she emphasized Mexico's commitment to human rights.", True),
    ("Officials from both nations discussed the plans.", True),
    ("\u201cMexico\u2019s position is to build bridges,\u201d she added.", True),
    # The pronoun comes after the sentence names its referent.
    ("President Sheinbaum announced that Mexico is ready to take back its nationals.", False),
    ("Trump spoke with the leaders of Mexico and Argentina.", False),
])
def test_anaphora_is_a_reference_back_before_any_name(text: str, refers_back: bool) -> None:
    assert _ana(text).has_anaphora is refers_back
