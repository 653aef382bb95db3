"""The evaluation as a regression gate, plus a fast smoke test of its machinery.

- ``TestGate`` (integration, slow): evaluates the real pipeline (real MiniLM, spaCy
  verifier, embedded Chroma) on the project's gold sets and fails below the targets.
- The other tests run :func:`rag.eval.run.evaluate` and the report writers on the
  fake embedder and a stub verifier over a few cases, so the machinery is checked
  in seconds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from rag.eval.gold import load_claims, load_qa
from rag.eval.run import evaluate, render_markdown, write_report
from rag.types import Citation, Label, Verdict

#: The issues' targets (answer correctness, abstention, claim accuracy 0.9; faithfulness 100 %).
#: Not all are met yet (see README, "Figures"); the gate below holds the line at what the
#: pipeline measurably reaches today, so any regression fails CI, and is raised as it improves.
TARGET_ANSWER_CORRECTNESS = 0.9
TARGET_ABSTENTION_RECALL = 0.9
TARGET_CLAIM_ACCURACY = 0.9

#: Regression floors (measured 2026-11-23: 0.768 / 0.864 / 1.000 / 0.858; after the
#: synonym-aware retrieval and typed-answer checks: 0.828 / 0.955 / 1.000 / 0.850; after the
#: third session's answerer and verifier work: 0.889 / 1.000 / 1.000 / 0.912; fourth session
#: (score fusion, answerer focus and answer-type checks, paraphrase support and conflict rules):
#: 0.899 / 1.000 / 1.000 / 0.929; fifth session: 0.899 / 1.000 / 1.000 / 0.947; seventh:
#: 0.929 / 1.000 / 1.000 / 0.947 (floors one case below, so a borderline case flipping on
#: another CPU does not fail CI on its own).
MIN_ANSWER_CORRECTNESS = 0.91
MIN_ABSTENTION_RECALL = 0.95
MIN_CITATION_FAITHFULNESS = 1.0
MIN_CLAIM_ACCURACY = 0.93


def _failed(report: dict[str, Any], kind: str) -> str:
    items = report["failures"][kind]
    return "\n".join(f"  {f['id']}: {f['why']}" for f in items) or "  (none)"


@pytest.mark.integration
@pytest.mark.slow
class TestGate:
    """Real models, default gold sets, our system only (no baselines). Not timed."""

    @pytest.fixture(scope="class")
    def report(self, real_pipeline: Any) -> dict[str, Any]:
        return evaluate(real_pipeline, load_qa(), load_claims(), baselines=False)

    def test_answer_correctness(self, report: dict[str, Any]) -> None:
        value = report["systems"]["ours"]["metrics"]["answer_correctness"]
        assert value >= MIN_ANSWER_CORRECTNESS, (
            f"answer correctness {value:.3f} < {MIN_ANSWER_CORRECTNESS}; failing questions:\n"
            + _failed(report, "qa"))

    def test_abstention_recall(self, report: dict[str, Any]) -> None:
        value = report["systems"]["ours"]["metrics"]["abstention_recall"]
        answered = [r["id"] for r in report["cases"]["qa"] if not r["answerable"] and not r["abstained"]]
        assert value >= MIN_ABSTENTION_RECALL, (
            f"abstention recall {value:.3f} < {MIN_ABSTENTION_RECALL}; answered unanswerable: {answered}")

    def test_citation_faithfulness(self, report: dict[str, Any]) -> None:
        value = report["systems"]["ours"]["metrics"]["citation_faithfulness"]
        bad = [(r["id"], c["doc"], c["start"], c["end"]) for r in report["cases"]["qa"]
               for c in r["citations"] if not c["faithful"]]
        assert value is not None, "no answer carried a citation"
        assert value >= MIN_CITATION_FAITHFULNESS, f"citations whose quote differs from the seed text: {bad}"

    def test_claim_accuracy(self, report: dict[str, Any]) -> None:
        value = report["claims"]["accuracy"]
        assert value >= MIN_CLAIM_ACCURACY, (
            f"claim accuracy {value:.3f} < {MIN_CLAIM_ACCURACY}; wrong verdicts:\n" + _failed(report, "claims"))


#: Floors on the blind held-out sets (rag/eval/data/*_blind.jsonl, written from the articles
#: alone before any tuning against them; see rag/eval/data/README.md). They only guard
#: against regressions: nothing may be tuned on these sets.
#: Measured 2026-11-23 (end of the third session): 0.692 / 0.667 / 0.583. Round 1 was opened
#: for error analysis on 2026-12-01 and is a development set since (no longer blind):
#: 0.821 / 1.000 / 0.792 at the end of the fourth session, 0.846 / 1.000 / 0.833 at the end
#: of the fifth, 0.846 / 1.000 / 0.854 at the end of the seventh, 0.846 / 1.000 / 0.896 at the
#: end of the eighth.
BLIND_MIN_ANSWER_CORRECTNESS = 0.82
BLIND_MIN_ABSTENTION_RECALL = 0.88
BLIND_MIN_CLAIM_ACCURACY = 0.87
#: Floors on the second blind round (qa_blind2.jsonl, claims_blind2.jsonl, written on
#: 2026-12-01 by someone who neither ran the system nor read its code): measured once at the
#: end of the fourth session, after all its changes (0.587 / 0.571 / 0.567; 0.457 / 0.571 /
#: 0.550 at its start), never tuned on; floors one case below. Scored again at the end of the
#: fifth session (0.609 / 0.786 / 0.567), still never tuned on or looked into; end of the
#: seventh: 0.609 / 0.786 / 0.633; eighth: 0.609 / 0.786 / 0.650.
BLIND2_MIN_ANSWER_CORRECTNESS = 0.58
BLIND2_MIN_ABSTENTION_RECALL = 0.78  # 0.857 at the end of the ninth session
BLIND2_MIN_CLAIM_ACCURACY = 0.63
#: The third blind round (qa_blind3.jsonl, claims_blind3.jsonl, written in the fifth session
#: by a helper that neither ran the system nor read its code), scored once at the end of that
#: session (0.543 / 0.571 / 0.600); end of the seventh 0.565 / 0.786 / 0.667, of the eighth
#: 0.565 / 0.786 / 0.650 (one REFUTED claim lost); floors one case below the seventh's.
BLIND3_MIN_ANSWER_CORRECTNESS = 0.58  # 0.609 at the end of the eighteenth session
BLIND3_MIN_ABSTENTION_RECALL = 0.78  # 0.857 at the end of the sixteenth session
BLIND3_MIN_CLAIM_ACCURACY = 0.71  # 0.733 at the end of the seventeenth session
#: Development round 3 (qa_dev3.jsonl, claims_dev3.jsonl): written blind in the fifth session,
#: scored once untouched (0.565 / 0.571 / 0.500), then used for error analysis; at the end of
#: that session 0.630 / 0.857 / 0.683; end of the seventh 0.696 / 1.000 / 0.750, of the eighth 0.696 / 1.000 / 0.767.
#: Floors one case below.
DEV3_MIN_ANSWER_CORRECTNESS = 0.67
DEV3_MIN_ABSTENTION_RECALL = 0.92
DEV3_MIN_CLAIM_ACCURACY = 0.74
#: The fourth blind round (qa_blind4.jsonl, claims_blind4.jsonl, written in the sixth session
#: by a helper that neither ran the system nor read its code), scored once at the end of that
#: session (0.435 / 0.714 / 0.450; 20 of 46, 10 of 14, 27 of 60), end of the seventh
#: 0.435 / 0.714 / 0.467, of the eighth 0.435 / 0.714 / 0.483; floors one case below.
BLIND4_MIN_ANSWER_CORRECTNESS = 0.49  # 0.522 at the end of the eighteenth session
BLIND4_MIN_ABSTENTION_RECALL = 0.71  # 0.786 at the end of the sixteenth session
BLIND4_MIN_CLAIM_ACCURACY = 0.53  # 0.550 at the end of the nineteenth session
#: The fifth blind round (qa_blind5.jsonl, claims_blind5.jsonl, written in the seventh session
#: by a helper that neither ran the system nor read its code), scored at the start and the end
#: of that session (0.457 / 0.786 / 0.500 both times; the same at the end of the eighth);
#: floors one case below.
BLIND5_MIN_ANSWER_CORRECTNESS = 0.52  # 0.543 at the end of the eighteenth session
BLIND5_MIN_ABSTENTION_RECALL = 0.71
BLIND5_MIN_CLAIM_ACCURACY = 0.51  # 0.533 at the end of the seventeenth session
#: Development round 5 (qa_dev5.jsonl, claims_dev5.jsonl), the validation set: scored at the
#: start and the end of the sixth session, no item read (0.575 / 0.700 / 0.533; 23 of 40, 7 of
#: 10, 32 of 60); end of the seventh 0.575 / 0.700 / 0.617 (the same at the end of the
#: eighth); twelfth 0.575 / 0.900 / 0.617 (reasons for "why", reactions that are no response);
#: floors one case below.
DEV5_MIN_ANSWER_CORRECTNESS = 0.59  # 0.625 at the end of the eighteenth session
DEV5_MIN_ABSTENTION_RECALL = 0.8
DEV5_MIN_CLAIM_ACCURACY = 0.61  # 0.633 at the end of the nineteenth session
#: Development round 6 (qa_dev6.jsonl, claims_dev6.jsonl), written in the seventh session to
#: probe false SUPPORTED verdicts and read from the start: 0.727 / 0.286 / 0.550 untouched,
#: 0.727 / 1.000 / 0.750 at the end of that session, 0.727 / 1.000 / 0.767 at the end of the
#: eighth; floors one case below.
DEV6_MIN_ANSWER_CORRECTNESS = 0.69
DEV6_MIN_ABSTENTION_RECALL = 0.85
DEV6_MIN_CLAIM_ACCURACY = 0.76  # 0.783 at the end of the eighteenth session
#: The sixth blind round (qa_blind6.jsonl, claims_blind6.jsonl, written in the ninth session by
#: a helper that neither ran the system nor read its code): 0.478 / 0.714 / 0.517 untouched at
#: the start of that session, 0.478 / 0.714 / 0.533 at its end; floors one case below.
BLIND6_MIN_ANSWER_CORRECTNESS = 0.54  # 0.565 at the end of the eighteenth session
BLIND6_MIN_ABSTENTION_RECALL = 0.64
BLIND6_MIN_CLAIM_ACCURACY = 0.55  # 0.567 at the end of the seventeenth session
#: Development round 7 (qa_dev7.jsonl, claims_dev7.jsonl), written in the ninth session and read
#: after an untouched first score (0.600 / 0.500 / 0.400); end of that session 0.600 / 0.600 /
#: 0.417; tenth session abstention 0.900 (reaction and "which human rights organizations"
#: questions); eleventh session abstention 1.000 (a reaction's actor must act), claims 0.450;
#: floors one case below.
DEV7_MIN_ANSWER_CORRECTNESS = 0.69  # 0.725 at the end of the eighteenth session
DEV7_MIN_ABSTENTION_RECALL = 0.9
DEV7_MIN_CLAIM_ACCURACY = 0.58  # 0.600 at the end of the eighteenth session
#: The seventh blind round (qa_blind7.jsonl, claims_blind7.jsonl, written in the tenth session by
#: a helper that neither ran the system nor read its code), scored once with the code of the end
#: of that session, aggregates only (0.717 / 0.571 / 0.533: 33 of 46, 8 of 14, 32 of 60); end of
#: the twelfth 0.717 / 0.643 / 0.533 (9 of 14 abstained); floors one case below.
BLIND7_MIN_ANSWER_CORRECTNESS = 0.71  # 0.739 at the end of the eighteenth session
BLIND7_MIN_ABSTENTION_RECALL = 0.64  # 0.714 at the end of the sixteenth session
BLIND7_MIN_CLAIM_ACCURACY = 0.56  # 0.583 at the end of the seventeenth session
#: Development round 8 (qa_dev8.jsonl, claims_dev8.jsonl), written in the twelfth session and read
#: after an untouched first score (0.600 / 0.500 / 0.433); end of that session 0.625 / 0.900 /
#: 0.433 (reasons for "why", deadlines, ratings, reactions that are no response); floors one
#: case below.
DEV8_MIN_ANSWER_CORRECTNESS = 0.6
DEV8_MIN_ABSTENTION_RECALL = 0.8
DEV8_MIN_CLAIM_ACCURACY = 0.53  # 0.550 at the end of the nineteenth session
#: Development round 9 (qa_dev9.jsonl, claims_dev9.jsonl), written in the sixteenth session and
#: read after an untouched first score on that session's start code (0.675 / 0.600 / 0.417);
#: end of that session 0.700 / 1.000 / 0.517; floors one case below.
DEV9_MIN_ANSWER_CORRECTNESS = 0.72  # 0.750 at the end of the nineteenth session
DEV9_MIN_ABSTENTION_RECALL = 0.9
DEV9_MIN_CLAIM_ACCURACY = 0.54  # 0.567 at the end of the nineteenth session
#: Development round 10 (qa_dev10.jsonl, claims_dev10.jsonl), written in the seventeenth session
#: and read after an untouched first score on that session's start code (0.625 / 0.800 / 0.550);
#: end of that session 0.650 / 0.900 / 0.650; floors one case below.
DEV10_MIN_ANSWER_CORRECTNESS = 0.67  # 0.700 at the end of the eighteenth session
DEV10_MIN_ABSTENTION_RECALL = 0.8
DEV10_MIN_CLAIM_ACCURACY = 0.68  # 0.700 at the end of the nineteenth session
#: Development round 11 (qa_dev11.jsonl, claims_dev11.jsonl), written in the eighteenth session
#: and read after an untouched first score on that session's start code (0.625 / 0.700 / 0.550);
#: end of that session 0.750 / 0.900 / 0.583; floors one case below.
DEV11_MIN_ANSWER_CORRECTNESS = 0.72
DEV11_MIN_ABSTENTION_RECALL = 0.8
DEV11_MIN_CLAIM_ACCURACY = 0.59  # 0.617 at the end of the nineteenth session
#: Development round 12 (qa_dev12.jsonl, claims_dev12.jsonl), written in the nineteenth session
#: and read after an untouched first score on that session's start code (0.375 / 0.700 / 0.500);
#: end of that session 0.500 / 0.900 / 0.567; floors one case below.
DEV12_MIN_ANSWER_CORRECTNESS = 0.47
DEV12_MIN_ABSTENTION_RECALL = 0.8
DEV12_MIN_CLAIM_ACCURACY = 0.54


@pytest.mark.integration
@pytest.mark.slow
class TestBlindGate:
    """The same pipeline on the blind held-out sets: the honest figure for unseen cases
    (round 1 is a development set since the fourth session, dev3 one from the start, dev5 the
    validation set whose items are never read, dev6 to dev12 ones from the start; rounds 2 to 7 are still
    blind)."""

    ROUNDS = {
        "round1": ("qa_blind.jsonl", "claims_blind.jsonl",
                   (BLIND_MIN_ANSWER_CORRECTNESS, BLIND_MIN_ABSTENTION_RECALL, BLIND_MIN_CLAIM_ACCURACY)),
        "round2": ("qa_blind2.jsonl", "claims_blind2.jsonl",
                   (BLIND2_MIN_ANSWER_CORRECTNESS, BLIND2_MIN_ABSTENTION_RECALL, BLIND2_MIN_CLAIM_ACCURACY)),
        "round3": ("qa_blind3.jsonl", "claims_blind3.jsonl",
                   (BLIND3_MIN_ANSWER_CORRECTNESS, BLIND3_MIN_ABSTENTION_RECALL, BLIND3_MIN_CLAIM_ACCURACY)),
        "round4": ("qa_blind4.jsonl", "claims_blind4.jsonl",
                   (BLIND4_MIN_ANSWER_CORRECTNESS, BLIND4_MIN_ABSTENTION_RECALL, BLIND4_MIN_CLAIM_ACCURACY)),
        "round5": ("qa_blind5.jsonl", "claims_blind5.jsonl",
                   (BLIND5_MIN_ANSWER_CORRECTNESS, BLIND5_MIN_ABSTENTION_RECALL, BLIND5_MIN_CLAIM_ACCURACY)),
        "dev3": ("qa_dev3.jsonl", "claims_dev3.jsonl",
                 (DEV3_MIN_ANSWER_CORRECTNESS, DEV3_MIN_ABSTENTION_RECALL, DEV3_MIN_CLAIM_ACCURACY)),
        "dev5": ("qa_dev5.jsonl", "claims_dev5.jsonl",
                 (DEV5_MIN_ANSWER_CORRECTNESS, DEV5_MIN_ABSTENTION_RECALL, DEV5_MIN_CLAIM_ACCURACY)),
        "dev6": ("qa_dev6.jsonl", "claims_dev6.jsonl",
                 (DEV6_MIN_ANSWER_CORRECTNESS, DEV6_MIN_ABSTENTION_RECALL, DEV6_MIN_CLAIM_ACCURACY)),
        "round6": ("qa_blind6.jsonl", "claims_blind6.jsonl",
                   (BLIND6_MIN_ANSWER_CORRECTNESS, BLIND6_MIN_ABSTENTION_RECALL, BLIND6_MIN_CLAIM_ACCURACY)),
        "dev7": ("qa_dev7.jsonl", "claims_dev7.jsonl",
                 (DEV7_MIN_ANSWER_CORRECTNESS, DEV7_MIN_ABSTENTION_RECALL, DEV7_MIN_CLAIM_ACCURACY)),
        "round7": ("qa_blind7.jsonl", "claims_blind7.jsonl",
                   (BLIND7_MIN_ANSWER_CORRECTNESS, BLIND7_MIN_ABSTENTION_RECALL, BLIND7_MIN_CLAIM_ACCURACY)),
        "dev8": ("qa_dev8.jsonl", "claims_dev8.jsonl",
                 (DEV8_MIN_ANSWER_CORRECTNESS, DEV8_MIN_ABSTENTION_RECALL, DEV8_MIN_CLAIM_ACCURACY)),
        "dev9": ("qa_dev9.jsonl", "claims_dev9.jsonl",
                 (DEV9_MIN_ANSWER_CORRECTNESS, DEV9_MIN_ABSTENTION_RECALL, DEV9_MIN_CLAIM_ACCURACY)),
        "dev10": ("qa_dev10.jsonl", "claims_dev10.jsonl",
                  (DEV10_MIN_ANSWER_CORRECTNESS, DEV10_MIN_ABSTENTION_RECALL, DEV10_MIN_CLAIM_ACCURACY)),
        "dev11": ("qa_dev11.jsonl", "claims_dev11.jsonl",
                  (DEV11_MIN_ANSWER_CORRECTNESS, DEV11_MIN_ABSTENTION_RECALL, DEV11_MIN_CLAIM_ACCURACY)),
        "dev12": ("qa_dev12.jsonl", "claims_dev12.jsonl",
                  (DEV12_MIN_ANSWER_CORRECTNESS, DEV12_MIN_ABSTENTION_RECALL, DEV12_MIN_CLAIM_ACCURACY)),
    }

    #: Rounds whose items are read for error analysis: only these list their failed items
    #: when a floor is missed. A blind round (and dev5) reports aggregates only, so that a
    #: failing gate does not show its items' ids and labels.
    READ_ROUNDS = frozenset({"round1", "dev3", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12"})

    @pytest.fixture(scope="class", params=sorted(ROUNDS))
    def round_report(self, request: pytest.FixtureRequest, real_pipeline: Any) -> tuple[dict[str, Any], tuple, str]:
        from rag.eval.gold import DEFAULT_CLAIMS_PATH, DEFAULT_QA_PATH

        qa, claims, floors = self.ROUNDS[request.param]
        report = evaluate(real_pipeline, load_qa(DEFAULT_QA_PATH.with_name(qa)),
                          load_claims(DEFAULT_CLAIMS_PATH.with_name(claims)), baselines=False)
        return report, floors, request.param

    def test_floors(self, round_report: tuple[dict[str, Any], tuple, str]) -> None:
        report, floors, name = round_report
        m = report["systems"]["ours"]["metrics"]
        got = (m["answer_correctness"], m["abstention_recall"], report["claims"]["accuracy"],
               m["citation_faithfulness"])
        want = (*floors, MIN_CITATION_FAITHFULNESS)
        items = (_failed(report, "qa") + "\n" + _failed(report, "claims") if name in self.READ_ROUNDS
                 else "  (a held-out round: its failed items are not listed)")
        assert all(g is not None and g >= w for g, w in zip(got, want, strict=True)), (
            f"{name} figures (correctness, abstention, claims, faithfulness) {got} below {want}:\n" + items)


# ------------------------------------------------------------------ machinery
class StubVerifier:
    """SUPPORTED when the claim is a substring of the evidence, else NOT_ENOUGH_INFO."""

    def verify(self, claim: str, evidence: Sequence[Citation]) -> Verdict:
        for c in evidence:
            if claim.strip() and claim in c.quote:
                from rag.types import Evidence, Relation

                return Verdict(claim, Label.SUPPORTED, 0.9, (Evidence(c, Relation.SUPPORTS, 1.0),), "verbatim")
        return Verdict(claim, Label.NOT_ENOUGH_INFO, 0.5, (), "stub")


@pytest.fixture
def stub_pipeline(fake_settings: Any) -> Any:
    from rag.embeddings import FakeEmbedder
    from rag.pipeline import Pipeline

    pipe = Pipeline(fake_settings, embedder=FakeEmbedder(), verifier=StubVerifier())
    pipe.build_index()
    return pipe


@pytest.fixture
def small_report(stub_pipeline: Any) -> dict[str, Any]:
    from rag.embeddings import FakeEmbedder
    from rag.eval.baselines import make_baselines

    qa = load_qa()
    cases = [c for c in qa if c.type in ("single_fact", "list")][:3] + [c for c in qa if not c.answerable][:2]
    claims = load_claims()[:4]
    systems = make_baselines(stub_pipeline, embedder=FakeEmbedder())
    return evaluate(stub_pipeline, cases, claims, baseline_systems=systems)


def test_report_has_every_system_metric_and_case(small_report: dict[str, Any]) -> None:
    assert set(small_report["systems"]) == {"ours", "vanilla", "bm25", "dense"}
    ours = small_report["systems"]["ours"]["metrics"]
    for key in ("recall@1", "recall@10", "mrr", "evidence_share@5", "answer_correctness", "abstention_recall",
                "citation_faithfulness", "citation_precision", "alce_recall", "alce_precision",
                "cited_evidence_share"):
        assert key in ours
    assert len(small_report["cases"]["qa"]) == 5
    assert len(small_report["cases"]["claims"]) == 4
    for name in ("vanilla", "bm25", "dense"):
        m = small_report["systems"][name]["metrics"]
        assert m["abstention_recall"] == 0.0  # baselines never abstain
        assert 0.0 <= m["recall@10"] <= 1.0
        assert m["recall@1"] <= m["recall@3"] <= m["recall@5"] <= m["recall@10"]
    cc = small_report["claims"]["citation_check"]
    assert set(cc) == {"pairs", "told_apart", "right_supported", "wrong_not_supported"}
    assert cc["pairs"] == 0 or 0.0 <= cc["told_apart"] <= cc["right_supported"] <= 1.0
    conf = small_report["claims"]["confusion"]
    assert sum(map(sum, conf)) == 4


def test_our_citations_are_checked_against_the_seed_files(small_report: dict[str, Any]) -> None:
    cites = [c for r in small_report["cases"]["qa"] for c in r["citations"]]
    assert all(c["faithful"] for c in cites)
    if cites:
        assert small_report["systems"]["ours"]["metrics"]["citation_faithfulness"] == 1.0


def test_vanilla_chunks_carry_exact_offsets(stub_pipeline: Any) -> None:
    from rag.embeddings import FakeEmbedder
    from rag.eval.baselines import VanillaLangChainBaseline

    vanilla = VanillaLangChainBaseline(stub_pipeline.settings.seeds_dir, FakeEmbedder())
    hits = vanilla.split()
    assert hits and all(len(h.text) <= 1000 for h in hits)
    for h in hits:
        text = (stub_pipeline.settings.seeds_dir / h.doc).read_text(encoding="utf-8")
        assert text[h.start : h.end] == h.text
    assert len(vanilla.retrieve("Sheinbaum Trump call", 4)) == 4


def test_write_report_creates_json_markdown_and_plots(small_report: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "eval"
    paths = write_report(small_report, out)
    names = {p.name for p in paths}
    assert names == {"report.json", "report.md", "recall_at_k.png", "claims_confusion.png", "latency.png"}
    for p in paths:
        assert p.stat().st_size > 0
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["cases"]["qa"][0]["id"]
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| metric | ours | vanilla | bm25 | dense |" in md
    assert "evidence recall@5" in md


@pytest.mark.slow
def test_time_index_build_runs_a_fresh_build(fake_settings: Any) -> None:
    from rag.eval.run import time_index_build

    result = time_index_build(fake_settings)
    assert "error" not in result, result
    assert result["passages"] > 0 and result["wall_seconds"] > 0
    assert not (fake_settings.index_dir / "CURRENT").exists()  # the real index folder is untouched


def test_generative_variant_is_scored_side_by_side(stub_pipeline: Any) -> None:
    """A scripted chat model as a variant: its own row, first-token latency, and the
    share of written sentences the citation check removed."""
    from conftest import prompt_passages, scripted_chat_model

    from rag.pipeline import Pipeline

    def script(prompt: str) -> str:
        first_id, first_text = next(iter(prompt_passages(prompt).items()))
        return f"{first_text} [{first_id}]. The moon is made of cheese [{first_id}]."

    variant = Pipeline(stub_pipeline.settings.with_(generator="ollama"), embedder=stub_pipeline.embedder,
                       verifier=stub_pipeline.verifier, chat_model=scripted_chat_model(script))
    qa = [c for c in load_qa() if c.type == "single_fact"][:3]
    report = evaluate(stub_pipeline, qa, [], variants={"ours (scripted)": variant})
    assert report["meta"]["systems"] == ["ours", "ours (scripted)"]
    m = report["systems"]["ours (scripted)"]["metrics"]
    assert m["sentences_dropped_share"] >= 0.5  # every cheese sentence removed
    assert report["systems"]["ours"]["metrics"]["sentences_dropped_share"] == 0.0
    assert m["citation_faithfulness"] in (1.0, None)
    lat = report["latency"]["ours (scripted)"]
    assert lat["ask_first_token"]["n"] == 3 and lat["ask_first_token"]["p50_ms"] <= lat["ask"]["p50_ms"]
    row = next(r for r in report["comparison"] if r["metric"] == "answer_correctness")
    assert row["best_baseline"] is None  # a variant is not a baseline
    assert "ours (scripted): ask_first_token" in render_markdown(report)
