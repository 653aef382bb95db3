"""The default answerer: extractive, offline, with a citation on every sentence.

It never writes a word the corpus does not contain: an answer is one or more
sentences quoted from the retrieved passages, each cited by its exact span. It
abstains with :data:`NOT_IN_CORPUS` when no sentence answers the question (also
when passages are on topic but lack the asked number, share, date, outlet or name,
or the specific instances a "which specific ...s" question asks for, or the question
names someone the corpus never mentions), and it corrects a false premise with the
sentence that contradicts it ("Why did she refuse to take the call?": the sentence
saying she took it).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from rag.embeddings import Embedder
from rag.lexical import STOPWORDS, BM25Index, synonyms, tokenize
from rag.nlp import (ALIASES, CAPITALS, CATEGORIES, DISENGAGE_VERBS, PLACES, REGION_MEMBERS, canonical_name,
                     find_categories)
from rag.text import heading_asked, norm_quote
from rag.types import (
    Answer,
    AnswerSentence,
    Citation,
    Label,
    Passage,
    ScoredPassage,
    Sentence,
)

log = logging.getLogger(__name__)

#: The fixed abstention. Tests and clients may compare against it.
NOT_IN_CORPUS = "The corpus does not say."
#: Opening of an answer that corrects the question's premise.
PREMISE_CORRECTION = "The corpus does not support the question's premise."

# ----------------------------------------------------------------------- lexicons
NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred thousand million "
    "billion dozen dozens half percent"
).split()
MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
OUTLETS = ("associated press", "ap", "bloomberg", "reuters", "bbc", "cnn", "fox news", "new york times",
           "washington post", "wall street journal", "politico", "axios", "al jazeera", "npr", "nbc",
           "abc news", "cbs", "guardian", "financial times", "el país", "el pais", "afp", "univision",
           "telemundo", "la jornada", "el universal", "clarín", "clarin", "express news")
LANGUAGES = ("spanish english portuguese french german italian chinese mandarin arabic russian "
             "japanese korean hindi nahuatl").split()
PLATFORMS = ("x", "twitter", "facebook", "instagram", "tiktok", "youtube", "telegram", "whatsapp",
             "truth social", "threads", "social media", "press conference", "phone call", "call")

_NUM_RE = re.compile(r"\b\d+(?:[.,]\d+)*\b|\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.I)
#: "May" is a month only as a month is written: capitalised and next to a day number or a
#: year ("May 5", "5 May", "May 2025"), or after a time preposition ("in May", "mid-May");
#: otherwise it is the verb ("Trump may visit", "May I ask").
#: The same holds for "March" (the verb or noun "march") and its abbreviation "Mar" ("mar the talks").
_AMBIGUOUS_MONTHS = ("may", "march", "mar")
_MONTH_WORD = r"(?-i:May|March|Mar\.?)"
_MAY_MONTH = (r"(?-i:\b(?:May|March|Mar\.?))(?=\s+\d|,?\s+(?:1[89]|20)\d\d\b)|(?<=\d )" + _MONTH_WORD + r"(?!\w)|"
              r"\b(?:in|since|until|till|by|from|through|during|early|late|mid|last|next|this|of)[\s-]+"
              + _MONTH_WORD + r"(?!\w)")
_DATE_RE = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b(?:" + "|".join(m for m in MONTHS + WEEKDAYS if m not in _AMBIGUOUS_MONTHS) + r")\b|"
    + _MAY_MONTH + "|"
    r"\b(?:days?|weeks?|months?|years?) (?:later|after|before|ago|earlier)\b|"
    r"\b(?:a|one|two|three) (?:days?|weeks?|months?|years?) (?:later|after|before)\b|"
    r"\b(?:yesterday|today|tomorrow|first day|day one)\b",
    re.I,
)


#: A question about a table's columns, answered by its header row.
_TABLE_Q_RE = re.compile(r"\b(?:tables?|tabulat\w*|rows?|listed|lists?)\b", re.I)
_COLUMNS_RE = re.compile(r"\b(?:columns?|column headings?|headings?|headers?|header row)\b", re.I)


#: A sentence that is itself a question (possibly inside closing quotes or brackets).
_ASKS_RE = re.compile(r"\?[\s\"”’')\]]*$")
#: "Who said “...”?": a question for the speaker of a quotation it gives (two words or more).
_WHO_QUOTE_RE = re.compile(r"^\s*who(?:m)?\b.*?[\"“‘'](?P<quote>[^\"”“’']*?\w[^\"”“’']*?\s\w[^\"”“’']*?)[\"”’']", re.I)
_QUOTE_NORM_RE = re.compile(r"[^\w]+")


#: A phrase in double or single quotation marks (not an apostrophe inside a word).
_QUOTED_PHRASE_RE = re.compile(r"[\"“”]([^\"“”]{3,80})[\"“”]|(?<![\w’'])['‘]([^'‘’]{3,80})['’](?![\w’'])")


def quoted_phrases(question: str) -> list[str]:
    """The phrases a question quotes ("the 'Economic Assistance' point", “border czar”),
    normalised as :func:`rag.text.norm_quote` does."""
    out = []
    for m in _QUOTED_PHRASE_RE.finditer(question):
        norm = norm_quote(m.group(1) or m.group(2))
        if len(norm) >= 3:
            out.append(norm)
    return out


def asked_quote(question: str) -> str | None:
    """The quotation a "who said/wrote ...?" question gives, normalised, or None."""
    m = _WHO_QUOTE_RE.search(question)
    if not m:
        return None
    norm = _QUOTE_NORM_RE.sub(" ", m.group("quote").lower()).strip()
    return norm if len(norm.split()) >= 2 else None


_ARTICLE = r"(?:article|piece|story|report|column|op-ed|text)s?"
#: "According to the conclusion of the article", "in its opening lines": where in an
#: article the asked sentence stands.
_POSITION_RES = {
    "end": re.compile(
        rf"\b(?:conclusion|wrap-?up|ending|end|close|closing|last part|final part) of (?:the|this|that|its|each|both)\b"
        rf"(?: [\w’'-]+){{0,5}}? {_ARTICLE}\b|\b{_ARTICLE}(?:’s|'s)? (?:conclusion|ending|closing|final|last)\b|"
        rf"\b{_ARTICLE} (?:conclude|concludes|ends|closes|wraps up)\b|"
        r"\b(?:final|last|closing|concluding) (?:paragraphs?|lines?|sentences?|section|words|thoughts)\b|"
        r"\bin (?:its|the|their) (?:conclusion|wrap-?up|closing)\b|"
        rf"\bhow do(?:es)? (?:the|this|that|each|both)(?: [\w’'-]+){{0,6}}? {_ARTICLE}(?: [\w’'-]+){{0,6}}? "
        r"(?:end|conclude|close|wrap up|finish)\b", re.I),
    "start": re.compile(
        rf"\b(?:opening|beginning|start|top|lede|lead|introduction|intro) of (?:the|this|that|its|each|both)\b"
        rf"(?: [\w’'-]+){{0,5}}? {_ARTICLE}\b|\b{_ARTICLE}(?:’s|'s)? (?:opening|lede|introduction|first)\b|"
        rf"\b{_ARTICLE} (?:opens?|begins?|starts?)\b|"
        r"\b(?:first|opening|introductory) (?:paragraphs?|lines?|sentences?|words)\b|"
        r"\bin (?:its|the|their) (?:opening|lede|introduction)\b|"
        rf"\bhow do(?:es)? (?:the|this|that|each|both)(?: [\w’'-]+){{0,6}}? {_ARTICLE}(?: [\w’'-]+){{0,6}}? "
        r"(?:open|begin|start)\b", re.I),
}
#: Paragraphs at each end of an article that count as its opening or its conclusion.
POSITION_PARAGRAPHS = {"start": 1, "end": 2}
#: A section heading that introduces an article's conclusion.
_CONCLUSION_HEADING_RE = re.compile(r"\b(?:conclusions?|concluding|wrap(?:ping)? it up|to wrap up|in summary|summary|"
                                    r"final thoughts|the bottom line|bottom line|takeaways?|looking ahead|"
                                    r"the road ahead|in closing)\b", re.I)


def in_position(where: str, paragraph: int, count: int, context: str = "") -> bool:
    """True when paragraph ``paragraph`` of ``count`` (or a section headed like a
    conclusion, for "end") is the article's opening or conclusion."""
    if paragraph < 0:
        return False
    if where == "end":
        return paragraph >= count - POSITION_PARAGRAPHS["end"] or bool(_CONCLUSION_HEADING_RE.search(context))
    return paragraph < POSITION_PARAGRAPHS["start"]


def position_asked(question: str) -> str | None:
    """"end" or "start" when the question asks about an article's conclusion or opening."""
    for where, rx in _POSITION_RES.items():
        if rx.search(question):
            return where
    return None


#: A question about an article's headline, which its title passage answers.
_TITLE_Q_RE = re.compile(r"\b(?:titles?|titled|entitled|headlines?|headlined|called|named|name of)\b", re.I)
#: Words of a typed question that say what kind of answer it wants, not what it is about.
_TYPE_WORDS = frozenset(tokenize(
    "year date day month time when long soon many much number amount sum percent percentage share "
    "proportion fraction portion rate rating old age exact exactly specific total figure deadline timeframe "
    "timetable"))


#: ", and why?" after a yes/no question's statement.
_AND_WH_TAIL_RE = re.compile(r",?\s+and\s+(?:why|how|what|when|where|who|whom|which)\b.*$", re.I)
#: A question about the questions an article raises, which such sentences answer.
_QUESTIONS_RE = re.compile(r"\bquestions?\b|\bask(?:s|ed)?\b|\bwonder(?:s|ed)?\b", re.I)


def _lexicon_re(words: Sequence[str]) -> re.Pattern[str]:
    alts = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])", re.I)


_OUTLET_RE = _lexicon_re(OUTLETS)
_LANG_RE = _lexicon_re(LANGUAGES)
_PLATFORM_RE = re.compile(r"(?<![\w])(?:X|Twitter|Facebook|Instagram|TikTok|YouTube|Telegram|WhatsApp|"
                          r"Truth Social|Threads|social media)(?![\w])")

# A name: a capitalised word that does not open the sentence (or two capitalised words anywhere).
_NAME_RE = re.compile(r"(?<=[\w,;:)”\"’] )[A-Z][\w’'-]+|\b[A-Z][\w’'-]+ [A-Z][\w’'-]+")

#: Nouns naming people by role; "which <qualifier> <noun>" asks for a person.
_PERSON_NOUNS = (r"leaders?|presidents?|persons?|people|officials?|politicians?|entrepreneurs?|businessm[ae]n|"
                 r"ministers?|journalists?|analysts?|experts?|heads? of state|executives?|advisers?|advisors?|"
                 r"members?|lawmakers?|senators?|diplomats?|spokesm[ae]n|spokespersons?")

#: Nouns of degree, not quantity: "how much backing / influence" asks how strong, not a number
#: (unlike "how much aid / money / time").
_DEGREE_NOUNS = (r"support|backing|influence|attention|emphasis|pressure|progress|confidence|trust|"
                 r"credit|interest|power|impact|control|leverage|sympathy|enthusiasm|importance|weight|"
                 r"priority|popularity|praise|criticism|concern|resistance|opposition|goodwill|say|"
                 r"sway|clout|faith|hope|respect|scrutiny|change|cooperation|effort|freedom")

#: A number that is a year ("rose to power in 2019") does not say how many.
_YEAR_RE = re.compile(r"^(?:1[89]|20)\d\d$")

# Question type -> (question pattern, sentence pattern the answer must contain or None)
#: A nationality: a demonym ("Guatemalan migrants") or "nationals / citizens of <Country>".
_NATIONALITY_RE = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(w) for w, place in ALIASES.items()
                                if w != place and "." not in w and " " not in w and w not in PLACES
                                and w not in ("us", "usa", "uk", "washington", "britain")), key=len, reverse=True))
    + r")s?\b|\b(?:nationals|citizens) of (?:the )?[A-Z]", re.I)
_QTYPES: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]] = [
    ("percent", re.compile(r"\bpercent(?:age)?\b|\brate\b|\b(?:approval|popularity|favou?rability) ratings?\b|"
                           r"\bpoll(?:ing)? numbers\b|%", re.I),
     re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|percent\b|per cent\b)", re.I)),
    # "What share of the vote ...?": a percentage or a fraction ("half", "a majority").
    ("share", re.compile(r"\bwhat (?:share|proportion|fraction|portion)\b|"
                         r"\bhow (?:large|big) (?:a )?(?:share|proportion|fraction|portion)\b", re.I),
     re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|percent\b|per cent\b)|\b(?:half|a third|two-thirds|a quarter|"
                r"three-quarters|a majority|a minority)\b", re.I)),
    # "How old is she?": an age ("52-year-old", "aged 52", "at the age of 52"), not any number.
    ("age", re.compile(r"\bhow old\b|\b(?:what|which) age\b", re.I),
     re.compile(r"\b\d+[- ]years?[- ]old\b|\baged \d+\b|\bage (?:of )?\d+\b|\b\d+(?:st|nd|rd|th) birthday\b", re.I)),
    ("number", re.compile(r"\bhow many\b|\bhow much\b(?! (?:of )?(?:the |their |his |her |its )?(?:"
                          + _DEGREE_NOUNS + r")\b)|\bnumber of\b|\bwhat (?:amount|sum)\b|"
                          r"\bhow (?:large|big)\b", re.I), _NUM_RE),
    # "What deadline did he give them?": a limit in time ("within 45 days", "by January 20"),
    # not the date of another event ("a week after their call").
    ("deadline", re.compile(r"\b(?:what|which) (?:[\w’'-]+ ){0,2}(?:deadlines?|time ?frames?|timetables?)\b|"
                            r"\bby when\b|\bhow (?:long|much time) (?:did|does|do|will|would) \w+ (?:give|allow)\b", re.I),
     re.compile(r"\b(?:deadlines?|ultimatums?|no later than|within (?:\d+|a|one|two|three|four|five|six|seven|"
                r"ten|thirty|ninety|the next) (?:hours?|days?|weeks?|months?|years?)|"
                r"(?:\d+|one|two|three|four|five|six|seven|ten|thirty|ninety)[- ](?:hours?|days?|weeks?|months?)"
                r" (?:to|before|in which)|by (?:the end of |mid-?)?(?:" + "|".join(m.title() for m in MONTHS) + r"|"
                r"(?:1[89]|20)\d\d|next (?:week|month|year))|until (?:" + "|".join(m.title() for m in MONTHS)
                + r"|(?:1[89]|20)\d\d))\b", re.I)),
    # "How long has the problem weighed on them?": a span up to now ("for years", "has long
    # plagued", "long-standing", "since 2019") or the date it started ("rose to power in 2019").
    ("duration", re.compile(r"\bhow long,?(?: [^?]*?,)? (?:has|have|had)\b|\bfor how long\b", re.I),
     re.compile(_DATE_RE.pattern + r"|\bfor (?:(?:\d+|many|several|a few|two|three|four|five|six|seven|eight|"
                r"nine|ten|twenty|fifty|a hundred) )?(?:hours|days|weeks|months|years|decades|generations|centuries)\b|"
                r"\b(?:has|have|had)(?: \w+)? long \w+|\blong-(?:standing|running|time|term)\b|\blong since\b|"
                r"\b(?:decades|years|months)-long\b|\bsince (?:(?:1[89]|20)\d\d|the \d{4}s)\b|"
                r"\b(?:for|over) (?:the )?(?:past|last) (?:\d+ |few |several |two |three )?"
                r"(?:days|weeks|months|years|decades)\b|\bfor (?:a )?(?:long|some) time\b", re.I)),
    # "Which day of the week ...?" is answered by a weekday, not by "days later".
    ("weekday", re.compile(r"\bday of the week\b|\bweekday\b", re.I),
     re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\b")),
    # "When he called her, what did they discuss?" asks what, not when.
    ("date", re.compile(r"^\s*(?:when|since when)\b(?![^?]*,\s*(?:what|which|who|whom|how|why|where|did|does|do|"
                        r"is|are|was|were)\b)|\b(?:what|which) (?:year|date|day|month|time)\b|"
                        r"\bon what (?:date|day)\b|\bhow (?:long|soon) (?:after|before|later)\b|"

                        r"\bhow long\b", re.I), _DATE_RE),
    ("outlet", re.compile(r"\b(?:which|what) (?:(?:two|three|several|other|major) )?(?:news ?)?(?:outlets?|"
                          r"agency|agencies|newspapers?|media|publications?|wire services?|news organi[sz]ations?|"
                          r"networks?)\b|\bwho reported\b|"
                          r"\breported by (?:whom|which|what)\b", re.I), _OUTLET_RE),
    ("language", re.compile(r"\b(?:which|what) (?:languages?|tongues?)\b|\bin what (?:language|tongue)\b", re.I),
     _LANG_RE),
    ("platform", re.compile(r"\b(?:which|what) (?:social[- ]media )?(?:platforms?|sites?|networks?|apps?)\b|"
                            r"\bwhere did \w+ post\b", re.I), _PLATFORM_RE),
    # "Who wrote the article?": a byline ("By Jane Doe"), not any person the article names.
    ("author", re.compile(r"^\s*who (?:wrote|authored|penned)\b(?=[^?]*\b(?:article|piece|story|report|"
                          r"column|op-ed)\b)|\b(?:author|writer|byline)s? of\b|\bwho is the (?:author|writer)\b|"
                          # "Which AP reporter wrote the story?" asks for the byline too.
                          r"\b(?:which|what) (?:[\w.-]+ ){0,3}(?:reporters?|journalists?|correspondents?|writers?|"
                          r"authors?)\b(?=[^?]*\b(?:wrote|authored|penned|filed)\b)", re.I),
     re.compile(r"(?:^|\n|\s)(?:[Bb]y|[Ww]ritten by|[Rr]eporting by|[Aa]uthor:)\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'.-]+)+")),
    # "What is the article's dateline?": the place that opens a news report ("Washington, DC –").
    ("dateline", re.compile(r"\bdatelines?\b|\bdatelined\b(?=[^?]*\b(?:where|which|what) (?:city|place)\b)", re.I),
     re.compile(r"^\s*[A-Z][\w.’'-]*(?:,?\s+[A-Z][\w.’'-]*){0,3}\s*(?:\([A-Z][\w ]*\)\s*)?[–—]\s", re.M)),
    # "Which party does she belong to?": a named party ("the Morena party", "Democrats"), not the word.
    ("party", re.compile(r"\b(?:which|what) (?:political )?(?:party|parties)\b|\bparty (?:affiliation|membership)\b|"
                         r"\bwhose party\b", re.I),
     re.compile(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*(?=\s+[Pp]arty\b)|\b(?:Democrats?|Democratic|Republicans?|GOP|"
                r"Labour|Tories|Tory|Conservatives|Liberals|Greens|Morena|Nuevas Ideas|La Libertad Avanza)\b")),
    # "What nationality were the migrants?": a nationality of the people asked about, not a country.
    ("nationality", re.compile(r"\b(?:what|which) nationalit(?:y|ies)\b|\bnationalit(?:y|ies) of\b", re.I),
     _NATIONALITY_RE),
    ("person", re.compile(r"^\s*who(?:m|se)?\b|\bwhich (?:[\w.-]+ ){0,2}(?:" + _PERSON_NOUNS + r")\b|"
                          r"\bnames? of\b", re.I), _NAME_RE),
    # "Which human rights organizations ...?": a named organisation, not the category word.
    ("organisation", re.compile(r"\b(?:which|what) (?:[\w.’'-]+ ){0,3}(?:organi[sz]ations?|NGOs?|non-?profits?|"
                                r"charities|charity|think[- ]tanks?|companies|corporations|firms|institutions|"
                                r"agencies|agency)\b", re.I), _NAME_RE),
    ("place", re.compile(r"^\s*where\b|\bwhich (?:[\w.’'-]+ ){0,2}(?:country|countries|nation|nations|city|cities|"
                         r"region|regions|state|states|province|provinces|gap)\b", re.I), _NAME_RE),
]

_QWORDS_RAW = """what which who whom whose when where why how did does do is are was were can could would should
    will has have had according corpus article articles say says said tell mention mentioned report
    reported state stated per much many piece""".split()
#: Question and meta words, as written and as :func:`rag.lexical.tokenize` stems a few of them
#: ("according" -> "accord"; not "stat", which "United States" also gives).
_QWORDS = frozenset(_QWORDS_RAW) | frozenset({"accord", "articl", "piec", "mention"})
#: Auxiliary verbs that follow a question word ("what did", "how has").
_AUX = r"(?:did|does|do|has|have|had|will|would|could|can|should|must|might|may|is|are|was|were)"
_YESNO_RE = re.compile(r"^\s*(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would)\b", re.I)
_PREMISE_RE = re.compile(
    r"^\s*(?:why|how|when|where)\s+(?:did|does|do|is|are|was|were|has|have|had)\s+(?P<rest>.+?)\??\s*$", re.I
)
#: A question that presupposes a clause before asking: "Now that Sheinbaum has refused to
#: talk to Trump, what will Mexico do?" The clause is a premise like "Why did ..."'s.
_PRESUPPOSING_RE = re.compile(
    r"^\s*(?:now\s+that|given\s+that|considering\s+that|seeing\s+that|since)\s+(?P<rest>[^,?;]{12,}?)\s*,\s*"
    r"(?:(?:so|then)\s+)?(?:why|how|what|when|where|who|whom|which|whose|is|are|was|were|did|does|do|will|would|can|could)\b",
    re.I,
)
_PROPER_RE = re.compile(r"(?<![\w’'])([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)")


#: A list item as the chunker keeps it ("- Joint programs ...", "1. Stricter ...").
_LIST_ITEM_RE = re.compile(r"\s*(?:[-*•–]|\d+[.)])\s+")

#: A sentence that names its people only by a phrase for them ("Both leaders reiterated ...").
_PEOPLE_ANAPHOR_RE = re.compile(r"\W*(?:(?:both|the two) (?:leaders|presidents|men|women|heads of state|sides)|"
                                r"both|they)\b", re.I)

#: A question asking who or what came first ("the first to congratulate", "take first"), not
#: about a first term, day or time, nor about those "among the first".
_ASKS_FIRST_RE = re.compile(r"(?<!among the )(?<!one of the )\bfirst\b(?!\s+(?:term|terms|day|days|time|times|"
                            r"week|month|year|stint|section|sentence|paragraph|lines?|heading|half|quarter|"
                            r"step|steps|lady|name|place|hand))", re.I)
#: "Among the first", "one of the first": a group, not the first one.
_AMONG_FIRST_RE = re.compile(r"\b(?:among|one of) the (?:very )?first\b", re.I)


def _only_among_first(question: str, ans: Answer) -> bool:
    """Whether a question asks who or what came first and every answer sentence that says
    "first" says only "among the first" / "one of the first"."""
    if not _ASKS_FIRST_RE.search(question) or _AMONG_FIRST_RE.search(question):
        return False
    firsts = [s.text for s in ans.sentences if re.search(r"\bfirst\b", s.text, re.I)]
    return bool(firsts) and not any(re.search(r"\bfirst\b", _AMONG_FIRST_RE.sub(" ", t), re.I) for t in firsts)


#: How many of the best sentences a question about the heading over a topic may look under.
_HEADING_LEADS = 3


@dataclass(frozen=True)
class AnswerConfig:
    """Thresholds of the extractive answerer (chosen on the gold set; see README)."""

    min_score: float = 0.35
    min_relevance: float = 0.30
    extra_ratio: float = 0.86
    max_sentences: int = 3
    candidate_passages: int = 8
    premise_confidence: float = 0.6
    typed_ratio: float = 0.65
    typed_bonus: float = 0.08
    min_dense: float = 0.40
    min_best_dense: float = 0.25
    multi_ratio: float = 0.6
    min_part_score: float = 0.35
    synonym_credit: float = 0.6
    focus_bonus: float = 0.08
    #: Weight of the passage's standing in retrieval (its fused score against the other
    #: retrieved passages, -1 .. 1) in a sentence's score.
    retrieval_weight: float = 0.05
    #: A sentence naming another of the people or places a list question asks for joins the
    #: answer when it scores at least this share of the best sentence.
    list_ratio: float = 0.45
    #: Taken off a table row's score when the question does not ask about a table: a bare
    #: row ("| Investment | Cooperation |") states less than a sentence on the same topic.
    table_penalty: float = 0.05
    #: Added to a sentence in an article's first or last passages when the question asks
    #: about its opening or its conclusion.
    position_bonus: float = 0.1
    #: Added to a sentence that holds, word for word, a phrase the question puts in
    #: quotation marks ("In the preview's 'Economic Assistance' point, ...").
    quoted_bonus: float = 0.1


@dataclass(frozen=True)
class _Asked:
    """What a typed answer must state besides its kind: the act whose doer a "Who …?"
    question asks ("Who leads the team?": lead), the office of "Who is X's foreign
    minister?", the noun a "How many …?" question counts, the act a "Where …?" question
    asks the place of."""

    acts: frozenset[str] = frozenset()
    office: str | None = None
    counted: str | None = None
    place_acts: frozenset[str] = frozenset()
    #: "Who is Mexico's president?": the surnames the corpus gives that office (those the
    #: question names left out: "… before Claudia Sheinbaum?"); None when not asked or unknown.
    holders: frozenset[str] | None = None
    #: "What nationality were the migrants?": the people whose nationality is asked.
    nationals: str | None = None


_NOTHING_ASKED = _Asked()
#: The people a nationality question asks about ("... were most of the migrants in ...").
_NATIONALS_RE = re.compile(r"\bnationalit(?:y|ies)\b(?: of)?(?: (?:were|was|are|is))?"
                           r"(?: (?:most|all|many|some|of|the|these|those|each|a|an|two|three))*"
                           r" (?P<noun>[a-z][\w-]*)", re.I)


def of_nationality(sentence: str, noun: str) -> bool:
    """Whether ``sentence`` gives ``noun`` a nationality: a demonym up to two words before it
    ("Guatemalan asylum seekers") or "<noun> from / of <Country>" ("migrants from Honduras")."""
    stems = set(tokenize(noun))
    words = re.findall(r"[\w’'-]+", sentence)
    for k, w in enumerate(words):
        if not stems & set(tokenize(w)):
            continue
        before = " ".join(words[max(0, k - 2):k])
        after = " ".join(words[k + 1:k + 4])
        if _NATIONALITY_RE.search(before) or re.match(r"(?:(?:were|are|was|is|came|come) )?(?:from|of) (?:the )?[A-Z]",
                                                      after):
            return True
    return False


def nationals_asked(question: str) -> str | None:
    """The noun whose nationality a question asks ("migrants"), or None."""
    m = _NATIONALS_RE.search(question)
    return m.group("noun").lower() if m else None


@dataclass
class _Candidate:
    passage: Passage
    sentence: Sentence
    rank: int
    dense: float = 0.0
    lexical: float = 0.0
    score: float = 0.0
    terms: frozenset[str] = frozenset()
    vector: np.ndarray | None = field(default=None, repr=False)


def _as_candidate(p: Passage, cands: list[_Candidate]) -> _Candidate:
    """Passage ``p`` as one of ``cands`` when it is one (with its score), else as a new
    candidate of its first sentence."""
    return next((c for c in cands if c.passage.id == p.id), None) or _Candidate(p, p.sentences[0], 0)


def question_words(question: str) -> set[str]:
    """The question's lower-cased words, and the parts of its hyphenated compounds: the
    "Trump-Sheinbaum phone call" names Trump and Sheinbaum."""
    words = set(re.findall(r"[\w’'-]+", question.lower()))
    return words | {part for w in words if "-" in w for part in w.split("-") if part}


def _new_match(pattern: re.Pattern[str], sentence: str, question: str) -> bool:
    """True when ``sentence`` holds a match of ``pattern`` the question does not already name.

    "How many migrants were in the two caravans?" is not answered by "two caravans",
    and "Who is Trump's ally?" is not answered by "Donald Trump".
    """
    q_words = question_words(question)
    for m in pattern.finditer(sentence):
        words = re.findall(r"[\w’'-]+", m.group(0))
        lower = [w.lower() for w in words]
        if not words or all(w in q_words for w in lower):
            continue
        if pattern is _NUM_RE and _YEAR_RE.match(m.group(0)):
            continue  # a year is a date, not a count
        if len(words) > 1 and any(w[:1].isupper() and w.lower() in q_words and w.lower() not in STOPWORDS
                                  for w in words):
            continue  # a longer form of a name the question already gives ("For years" is none)
        return True
    return False


#: Title and role words that precede a name ("President-elect Donald Trump"); not names themselves.
_TITLES = frozenset(
    """president president-elect vice prime minister secretary senator governor mayor ambassador
    chancellor mr mrs ms dr former foreign interior general chief spokesman spokeswoman""".split()
)
_CAPS_RUN_RE = re.compile(r"(?<![\w’'])[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*")


def _is_person_like(words: Sequence[str]) -> bool:
    """True unless the capitalised words are a place, a nationality, a date word or an acronym."""
    if canonical_name(" ".join(words)) in PLACES:
        return False
    for w in words:
        low = w.lower()
        if not (canonical_name(w) in PLACES or _is_demonym(w) or low in MONTHS or low in WEEKDAYS
                or w.isupper() or len(w) < 2):
            return True
    return False


def _new_person(sentence: str, question: str) -> bool:
    """True when ``sentence`` names someone (not a place, title or date) the question does not.

    "Which business leaders ...?" is not answered by "the governments of Mexico and El
    Salvador", and "Who are the sources close to Trump?" not by "President-elect Donald Trump".
    """
    return bool(_new_people(sentence, question))


def _new_people(sentence: str, question: str) -> list[str]:
    """The people ``sentence`` names that the question does not (see :func:`_new_person`)."""
    if "|" in sentence:  # a table row: each cell on its own ("| Political Validation | … |")
        return [p for cell in sentence.split("|") if cell.strip() for p in _new_people(cell.strip(), question)]
    words_all = re.findall(r"[^\W\d_][\w’'-]*", sentence)
    if words_all and sum(w[:1].isupper() for w in words_all) >= 0.6 * len(words_all):
        return []  # a title-cased headline: its capitals do not mark names
    q_words = question_words(question)
    found = []
    for m in _CAPS_RUN_RE.finditer(sentence):
        words = [w for w in m.group(0).split() if w.lower() not in _TITLES and w.lower() not in STOPWORDS]
        if not words:
            continue
        opens = not sentence[: m.start()].strip(" \"“‘'([–-")
        if opens and len(m.group(0).split()) == 1:
            continue  # a lone capitalised first word is most often just the sentence's start
        if any(w.lower() in q_words or re.sub(r"[’']s$", "", w).lower() in q_words for w in words):
            continue  # the question's own name ("Bukele’s" too), or a longer form of it
        if _is_person_like(words):
            found.append(words[-1])
    return found


#: A specific member of a category, as opposed to the generic mention ("on social media").
_SPECIFIC: dict[str, re.Pattern[str]] = {
    "platform": re.compile(r"(?<![\w])(?:X|Twitter|Facebook|Instagram|TikTok|YouTube|Telegram|WhatsApp|"
                           r"Truth Social|Threads)(?![\w])"),
}


#: Cities among :data:`rag.nlp.PLACES`; the other entries are countries, states and regions.
_CITIES = frozenset({
    "buenos aires", "mexico city", "san salvador", "santiago", "brasilia", "bogota", "caracas", "havana",
    "lima", "ottawa", "beijing", "moscow", "kyiv", "london", "paris", "madrid", "berlin", "rome", "tokyo",
    "new york", "mar-a-lago", "washington, dc", "washington, d.c.", "washington dc",
})
_CITY_Q_RE = re.compile(r"\b(?:city|cities|town|towns|capital)\b", re.I)
_COUNTRY_Q_RE = re.compile(r"\b(?:country|countries|nation|nations)\b", re.I)
#: Countries the corpus vocabulary knows (members of the world regions).
_COUNTRIES = (frozenset(c for members in REGION_MEMBERS.values() for c in members)
              | {"united states", "u.s.", "us", "usa"})
#: "Which U.S. states ...": a country or a world region is no state or province.
_STATE_Q_RE = re.compile(r"\bwhich (?:[\w.’'-]+ ){0,2}(?:states|state|provinces|province)\b", re.I)

_REGION_RE = re.compile(r"\b(south|central|north|latin)[ -]americ(?:a|an|ans)\b|\b(caribbean)\b", re.I)


def regions_named(text: str) -> list[str]:
    """The :data:`rag.nlp.REGION_MEMBERS` a text names ("South American" -> "south america")."""
    out = []
    for m in _REGION_RE.finditer(text):
        key = f"{m.group(1).lower()} america" if m.group(1) else "caribbean"
        if key not in out:
            out.append(key)
    return out


#: ``places(text)``: the places a text names, as (canonical name, spaCy label) pairs.
PlaceFinder = Callable[[str], Sequence[tuple[str, str]]]

#: spaCy components that place-finding does not need (NER runs on tok2vec alone).
_NER_ONLY_DISABLE = ("tagger", "parser", "attribute_ruler", "lemmatizer")


class SpacyPlaces:
    """A :data:`PlaceFinder` over a spaCy pipeline holder (``LazyNLP``): GPE / LOC / FAC
    entities and the known places of :data:`rag.nlp.PLACES`, cached per text.

    :meth:`prefetch` tags many texts in one NER-only batch (~4 ms a sentence on 2 cores,
    several times faster than one by one); :meth:`__call__` tags a text not seen yet alone.
    """

    def __init__(self, nlp: Any, cache_size: int = 20_000) -> None:
        self.nlp = nlp
        self._cache: OrderedDict[str, tuple[tuple[str, str], ...]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def __call__(self, text: str) -> Sequence[tuple[str, str]]:
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        self.prefetch([text])
        with self._lock:
            return self._cache.get(text) or ()

    def prefetch(self, texts: Sequence[str]) -> None:
        """Tag every text not cached yet, in one batch."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if not missing:
            return
        docs = self.nlp.pipe(missing, disable=_NER_ONLY_DISABLE)
        with self._lock:
            for text, doc in zip(missing, docs, strict=True):
                self._cache[text] = _places_of(text, doc)
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)

    def __len__(self) -> int:
        return len(self._cache)


#: Any of the known places, as a whole word or phrase (longest first).
_PLACES_RE = _lexicon_re(sorted(PLACES))


def _places_of(text: str, doc: Any) -> tuple[tuple[str, str], ...]:
    found = [(canonical_name(e.text), e.label_) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC", "ORG")]
    found += [(m.group(0).lower(), "KNOWN") for m in _PLACES_RE.finditer(text)]
    return tuple(dict.fromkeys(found))


def _new_place(sentence: str, question: str, places: PlaceFinder) -> bool:
    """True when ``sentence`` names a place the question does not ("which city": a city,
    not a country or region)."""
    return bool(_new_places(sentence, question, places))


def _new_places(sentence: str, question: str, places: PlaceFinder) -> list[str]:
    """The places ``sentence`` names that the question does not (see :func:`_new_place`)."""
    found = []
    q = question.lower()
    city = bool(_CITY_Q_RE.search(question))
    country = bool(_COUNTRY_Q_RE.search(question))
    state = bool(_STATE_Q_RE.search(question))
    regions = regions_named(question)
    for name, label in places(sentence):
        if label == "ORG" or _OUTLET_RE.fullmatch(name):
            continue  # organisations ride along in the same tagging pass (see _new_organisations);
            # a news outlet the small model tags as a place ("Bloomberg") is none
        if not name or name in q or any(w in q.split() for w in name.split() if len(w) > 3):
            continue  # the question's own place, or a longer form of it
        if city and name in PLACES and name not in _CITIES:
            continue  # a country or a region does not say which city
        if country and (name in _CITIES or name in CAPITALS
                        or (len(name.replace(".", "")) <= 3 and name not in _COUNTRIES)):
            continue  # nor a city which country ("Washington, DC" for "which countries", "DC" alone)
        if state and (name in _COUNTRIES or name in REGION_MEMBERS or name in _CITIES):
            continue  # nor which state or province
        if regions and name in PLACES and name not in _CITIES \
                and not any(name in REGION_MEMBERS[r] for r in regions):
            continue  # "which South American nation": a country elsewhere is no answer
        found.append(name)
    return found


def _new_organisations(sentence: str, question: str, places: PlaceFinder) -> list[str]:
    """The organisations (spaCy ORG entities) ``sentence`` names that the question does not.

    Only the sentence's own line is tagged: a title-case heading kept as its context
    ("Bukele's Leverage in the Partnership") reads as an organisation to the small model.
    """
    q = question.lower()
    words = set(re.findall(r"[\w’'-]+", q))
    own = sentence.rsplit("\n", 1)[-1]
    return [name for name, label in places(own)
            if label == "ORG" and name and name not in q and name not in _COUNTRIES and name not in PLACES
            and not _OUTLET_RE.fullmatch(name)
            and not any(w in words for w in re.findall(r"[\w’'-]+", name) if len(w) > 3)]


#: "Who are the three presidents ...", "Which countries ...": the answer is several people or places.
_PLURAL_ASK_RE = re.compile(r"^\s*who (?:are|were)\b|\b(?:two|three|four|five|six|several|all)\b|"
                            r"\b(?:which|what) (?:[\w-]+ ){0,2}(?:countries|nations|cities|regions|states|"
                            r"leaders|presidents|people|persons|officials|politicians|figures)\b", re.I)


def instances_named(question: str, sentence: str, places: PlaceFinder | None) -> set[str]:
    """The people (for a "who" question) or places (for a "where / which countries" question)
    ``sentence`` names that the question does not; empty for other questions."""
    qtype = question_type(question)[0]
    if qtype == "person":
        return {canonical_name(n) for n in _new_people(sentence, question)}
    if qtype == "place" and places is not None:
        return set(_new_places(sentence, question, places))
    return set()


#: People named by their group, not their names ("some analysts speculate …").
_GROUP_RE = re.compile(r"\b(?P<noun>analysts|experts|observers|critics|officials|sources|supporters|opponents|"
                       r"lawmakers|legislators|residents|citizens|advocates|activists|diplomats|economists|"
                       r"researchers|commentators|insiders|scholars|voters|protesters)\b(?P<after>(?:\s+[\w’'-]+){1,2})",
                       re.I)


def _group_acts(sentence: str, question: str) -> bool:
    """Whether a "Who …?" question's act is done in ``sentence`` by a group the question does
    not name: "Who speculates that the situation may shift?" -- "some analysts speculate that
    …". A generic answer (strength 1): a named person is preferred when one does it."""
    if not re.match(r"\s*who\b", question, re.I):
        return False
    q_words = question_words(question)
    acts = set(content_terms(question)) - _GENERIC_TERMS
    for m in _GROUP_RE.finditer(sentence):
        if m.group("noun").lower() in q_words:
            continue
        if acts & set(tokenize(m.group("after"))):
            return True
    return False


def answer_strength(question: str, sentence: str, places: PlaceFinder | None = None) -> int:
    """How well ``sentence`` states the kind of answer ``question`` asks for.

    0: not at all (no new number for "how many", no new person for "who" ...); 1: only
    generically ("on social media" for "which platform"); 2: it names one. Questions
    without an answer type score 2 for every sentence. With ``places``, a "where / which
    country / which city" question needs a place entity, not just any capitalised word.
    """
    qtype, pattern = question_type(question)
    if pattern is None:
        return 2
    if qtype == "person":
        if _new_person(sentence, question):
            return 2
        return 1 if _group_acts(sentence, question) else 0
    if qtype == "place" and places is not None:
        return 2 if _new_place(sentence, question, places) else 0
    if qtype == "organisation":
        if places is None:
            return 2 if _new_match(pattern, sentence, question) else 0
        return 2 if _new_organisations(sentence, question, places) else 0
    if not _new_match(pattern, sentence, question):
        return 0
    specific = _SPECIFIC.get(qtype)
    return 1 if specific is not None and not _new_match(specific, sentence, question) else 2


_ROLE_RE = re.compile(r"\bwhich (?P<q>(?:[\w-]+ ){1,2})(?P<noun>" + _PERSON_NOUNS
                      + r"|(?P<org>organi[sz]ations?|groups?|NGOs?|non-?profits?|charit(?:y|ies)))\b", re.I)


def role_qualifiers(question: str, organisations: bool = True) -> list[str]:
    """Tokens of the lower-case qualifier in "which <qualifier> <people or organisation noun>"
    ("business" leaders, "human rights" organisations).

    The qualifier is the detail asked for: a sentence about leaders in general does not
    say which *business* leaders took part, and one naming an NGO does not say which *human
    rights* groups criticised something. Capitalised qualifiers ("Latin American") are
    left to the name checks. ``organisations=False`` reads only people nouns (for a
    question typed as outlets, "which news organizations" names a category).
    """
    m = _ROLE_RE.search(question)
    if not m or (m.group("org") and not organisations):
        return []
    words = [w for w in m.group("q").split() if w[:1].islower() and w.lower() not in _QWORDS]
    return [t for w in words for t in tokenize(w)]


# "What is the population of X?", "Who is Mexico's foreign minister?": the attribute asked
# for must itself be stated, not just its entity.
#: Offices held towards a place or body ("ambassador to Mexico", "envoy for the region").
_OFFICE_NOUNS = (r"ambassador|envoy|minister|secretary|governor|mayor|senator|representative|delegate|"
                 r"spokes(?:man|woman|person)|adviser|advisor|czar|chief|director|coordinator|commissioner")
_ATTRIBUTE_RE = re.compile(
    r"^\s*(?:what|who|which) (?:is|are|was|were) (?:the |an? )?(?:[\w’'-]+ ){0,2}?(?P<a>[a-z][\w-]+) of\b|"
    # "Who is the U.S. ambassador to Mexico?": an office held towards a place or body.
    r"^\s*who (?:is|was) (?:the |an? )?(?:[\w.’'-]+ ){0,3}?(?P<c>" + _OFFICE_NOUNS + r") (?:to|for|at|in)\b|"
    r"^\s*(?:what|who) (?:is|are|was|were) (?:[\w ]+?)['’]s (?:[\w-]+ ){0,3}?(?P<b>[\w-]+)\s*\?*\s*$",
    re.I,
)
_GENERIC_ATTRIBUTES = frozenset(
    "name names role part kind type sort view position stance opinion goal aim purpose reason cause "
    "result effect impact meaning significance focus nature content message point idea description".split()
)


#: "Which specific joint economic projects ...?": the answer must name the projects.
_SPECIFIC_RE = re.compile(r"\b(?:which|what)\s+(?:specific|particular|exact|concrete|individual)\s+"
                          r"(?P<np>(?:[\w-]+\s+){0,3}?[\w-]+s)\b(?=\s+(?:" + _AUX + r"|that|which|were|are)\b)",
                          re.I)
#: After the noun: an enumeration or a name ("projects such as", "projects: ", "projects like").
_INSTANCE_AFTER_RE = re.compile(r"\s*(?:,\s*)?(?:such as|including|like|namely|e\.g\.|:|–|—|\(|called|named|"
                                r"known as)\s*", re.I)
#: Before the noun: a proper name or a quoted title ("the “Remain in Mexico” program").
_NAME_BEFORE_RE = re.compile(r"(?:[”\"’]|(?<!^)\b[A-Z][\w-]+)\s*$")


def specific_asked(question: str) -> str | None:
    """The plural noun of a "which specific <noun>s" question ("projects"), or None."""
    m = _SPECIFIC_RE.search(question)
    return m.group("np").split()[-1].lower() if m else None


#: "Which technological solutions has … adopted?": a qualified category (lower-case words
#: before a plural noun, then the verb phrase).
_CATEGORY_RE = re.compile(r"^\s*(?:which|what)\s+(?P<np>(?:[a-z][\w-]*\s+){1,3}?[a-z][\w-]*s)\s+(?=(?:"
                          + _AUX + r")\b)", re.I)
#: Anywhere after the category: a list or examples ("measures …, including a crackdown").
_INSTANCES_LATER_RE = re.compile(r"\b(?:such as|including|like|namely|e\.g\.)\b|:", re.I)


def category_asked(question: str) -> str | None:
    """The qualified plural noun phrase of a "Which <qualifier> <noun>s …?" question
    ("technological solutions"), or None (no qualifier, or a question word after "which")."""
    m = _CATEGORY_RE.match(question)
    if not m:
        return None
    words = m.group("np").split()
    if any(w.lower() in _QWORDS or re.fullmatch(_AUX, w, re.I) for w in words):
        return None
    return " ".join(w.lower() for w in words)


def restates_category(sentence: str, phrase: str) -> bool:
    """Whether ``sentence`` names the asked category itself ("prioritizing technological
    solutions to tackle …") without a list or an example of it after it."""
    m = re.search(r"\b" + re.escape(phrase).replace(r"\ ", r"\s+") + r"\b", sentence, re.I)
    return m is not None and not _INSTANCES_LATER_RE.search(sentence[m.end():])


#: "What is the tallest building in ...?": the superlative is the attribute asked for; a
#: sentence about a building that never says it is the tallest does not answer.
_SUPERLATIVE_Q_RE = re.compile(r"^\s*(?:what|which|who|where) (?:is|are|was|were) (?:the )?(?P<s>[a-z]{2,}est)\b", re.I)
_NOT_SUPERLATIVES = frozenset("interest request protest guest forest west test rest contest arrest harvest "
                              "honest modest manifest latest".split())


def attribute_asked(question: str) -> str | None:
    """The attribute an "X of Y" question asks for ("population"), or the superlative of
    "What is the tallest ...?" ("tallest"), or None."""
    m = _ATTRIBUTE_RE.match(question)
    if not m:
        sup = _SUPERLATIVE_Q_RE.match(question)
        word = sup.group("s").lower() if sup else ""
        return word if word and word not in _NOT_SUPERLATIVES else None
    attr = (m.group("a") or m.group("b") or m.group("c") or "").lower()
    return None if not attr or attr in _GENERIC_ATTRIBUTES else attr


_MULTI_PART_RE = re.compile(
    r"\b(?:two|three|several|both|each|all)\b.*\b(?:things|ways|points|facts|sources|organi[sz]ations|"
    r"countries|leaders|articles|reports)\b|,\s*and\s+(?:what|which|who|how|when|where|why)\b|"
    r"\band\s+(?:what|which|who|how|when|where|why)\b|\bacross the (?:corpus|articles)\b|\bcontrast\b|"
    r"\bcompare\b|\brespectively\b",
    re.I,
)


_PART_SPLIT_RE = re.compile(r",?\s*(?:;|\band\b)\s+(?=(?:(?:on|in|at|to|from|with|by|for|of)\s+)?(?:what|which|who|whom|how|when|where|why|did|does|is)\b)",
                            re.I)


_CONTRAST_RE = re.compile(r"\b(?:contrast|compare|differ(?:ence)?s? between)\s+(?P<rest>.+?)\s*[?.!]*\s*$", re.I)
#: Where "contrast X with Y" splits, most telling first ("to" also occurs inside X: "approach to migrants").
_CONTRAST_SEPARATORS = (" with ", " versus ", " vs. ", " vs ", " against ", " and ", " to ")


_NP_START_RE = re.compile(r"(?:the|a|an|his|her|its|their|this|that|these|those|what|how)\b", re.I)


def question_parts(question: str) -> list[str]:
    """Split "..., and what ...?" into its sub-questions (the first part first); "How do
    the articles contrast X with Y?" into the question, X and Y."""
    m = _CONTRAST_RE.search(question)
    if m:
        rest = m.group("rest")
        for sep in _CONTRAST_SEPARATORS:
            cuts = [i for i in range(len(rest)) if rest.startswith(sep, i)]
            # "contrast the tone of his talks with leaders with the approach ...": when the
            # separator occurs more than once, the one that opens a noun phrase splits.
            opening = [i for i in cuts if _NP_START_RE.match(rest, i + len(sep))]
            for i in (opening or cuts)[:1]:
                a, b = rest[:i], rest[i + len(sep):]
                if a.strip() and b.strip():
                    return [question.strip(" ,;?"), a.strip(" ,;?"), b.strip(" ,;?.")]
    parts = [p.strip(" ,;?") for p in _PART_SPLIT_RE.split(question)]
    return [p for p in parts if p]


def _is_multi_part(question: str) -> bool:
    """A question that asks for several facts ("..., and what ...?")."""
    return bool(_MULTI_PART_RE.search(question)) or len(question_parts(question)) > 1


_DEMONYM_SUFFIX = re.compile(r"(?:ian|ean|ese|ish|ans|ians)$")


def _is_demonym(word: str) -> bool:
    """A nationality or regional adjective ("Mexican", "Asian", "South American")."""
    low = word.lower()
    if low in ALIASES and ALIASES[low] != low:
        return True
    return bool(_DEMONYM_SUFFIX.search(low)) and len(low) > 4


def naming_words(name: str) -> list[str]:
    """The words of a capitalised run that name something: without language, nationality
    and region words ("Canadian Prime Minister Justin Trudeau" -> "Prime Minister Justin
    Trudeau", "South American" -> none)."""
    return [w for w in _REGION_RE.sub(" ", name).split() if not (w.lower() in LANGUAGES or _is_demonym(w))]


def _stem_in(word: str, terms: frozenset[str]) -> bool:
    toks = tokenize(word)
    return bool(toks) and all(t in terms for t in toks)


#: Words that name the members of a closed answer category, added to the lexical query of a
#: question asking for one ("In what language ...?" also searches "Spanish English ...").
CATEGORY_WORDS: dict[str, str] = {
    "language": " ".join(LANGUAGES),
    "platform": "X Twitter Facebook Instagram TikTok YouTube Telegram WhatsApp post posted",
    "outlet": "reported Associated Press Bloomberg Reuters BBC CNN",
}


#: The nouns that name a closed category in a question ("news organizations", "platform"), as
#: index terms: a question made of these and generic words asks for every member the corpus names.
_CATEGORY_NOUNS: dict[str, frozenset[str]] = {
    "language": frozenset(tokenize("language languages tongue tongues")),
    "platform": frozenset(tokenize("platform platforms social media site sites network networks app apps")),
    "outlet": frozenset(tokenize("news outlet outlets agency agencies newspaper newspapers media publication "
                                 "publications wire service services organization organizations organisation "
                                 "organisations network networks source sources cited cite quoted")),
}


#: Verbs that only say a text contains something ("which languages appear / are used").
_PRESENCE_TERMS = frozenset(tokenize("appear appears use used mention mentions name names feature featured "
                                     "cite cites refer referred quote quoted come up occur"))


def category_only(question: str, qtype: str) -> bool:
    """True when ``question`` asks only for the members of a closed category the corpus names
    ("Which two news organizations are cited as sources?"): every content word is the
    category's noun or a generic word, so no sentence can be more on topic than another."""
    nouns = _CATEGORY_NOUNS.get(qtype)
    if nouns is None:
        return False
    terms = [t for t in content_terms(question) if not t.isdigit() and t not in NUMBER_WORDS]
    return bool(terms) and all(t in nouns or t in _GENERIC_TERMS or t in _PRESENCE_TERMS for t in terms)


#: Members of the closed categories, to notice a text that names one ("... in English").
_MENTIONS: dict[str, re.Pattern[str]] = {"language": _LANG_RE, "platform": _SPECIFIC["platform"],
                                         "outlet": _OUTLET_RE}


def _phrase_pattern(phrase: str) -> str:
    """A regular pattern for a verb phrase in any regular inflection ("ease up" matches
    "easing up" and "eased up"; "scale back" matches "scaled back")."""
    head, *rest = phrase.split()
    stem = head[:-1] if head.endswith(("e", "y")) or len(head) > 5 else head
    return r"\b" + re.escape(stem) + r"\w*" + "".join(r"\s+" + re.escape(w) for w in rest) + r"\b"


#: A verb of pulling back ("easing up on", "scaled back", "pulls out of") in a question or claim.
_PULLING_BACK_RE = re.compile("|".join(_phrase_pattern(p) for p in sorted(DISENGAGE_VERBS)), re.I)
#: Words of stepping up, searched for too when a text says someone pulls back.
_STEPPING_UP_WORDS = "intensify intensifies ramps ramp step stepping crackdown escalate bolster expand"


def expansion_query(question: str) -> str | None:
    """The question plus the member words of its answer category, or of a category it names
    a member of, and the countries of a region it names; None when there are none.

    "In what language ...?" searches "Spanish English ..." too; so does "Why did she write in
    English?", whose contradicting passage names another language ("she wrote in Spanish").
    """
    qtype, _ = question_type(question)
    cats = [qtype] if qtype in CATEGORY_WORDS else []
    cats += [c for c, pattern in _MENTIONS.items() if c not in cats and pattern.search(question)]
    words = [CATEGORY_WORDS[c] for c in cats]
    words += [" ".join(sorted(REGION_MEMBERS[r])) for r in regions_named(question)]
    if _PULLING_BACK_RE.search(question):
        # "Is Trump easing up on immigration?": the passage that contradicts says he steps it up.
        words.append(_STEPPING_UP_WORDS)
    extra = " ".join(w for w in words if w)
    return f"{question} {extra}" if extra else None


#: "In what year ...?", "In which month ...?", "On what date / day ...?": the calendar unit
#: asked for, and what states it. A relative time ("a week after the call") says when, but
#: not on what date; a month says neither the year nor the day.
#: Month and weekday names as written in running text (title case, so the verb "may" is none).
_CALENDAR_NAMES = r"\b(?:" + "|".join(w.title() for w in MONTHS + WEEKDAYS if len(w) > 3 or w == "may") + r")\b"
_CALENDAR_ASKS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\b(?:what|which) year\b", re.I), re.compile(r"\b(?:1[89]|20)\d\d\b")),
    (re.compile(r"\b(?:what|which) month\b", re.I),
     re.compile(r"\b(?:" + "|".join(w.title() for w in MONTHS if len(w) > 3 or w == "may") + r")\b")),
    (re.compile(r"\b(?:what|which) date\b|\bon what day\b", re.I),
     re.compile(r"\b(?:1[89]|20)\d\d\b|" + _CALENDAR_NAMES + r"|\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b")),
)


def question_type(question: str) -> tuple[str, re.Pattern[str] | None]:
    """The kind of answer a question asks for (number, date, outlet, ...) and its pattern."""
    for name, qpat, spat in _QTYPES:
        if qpat.search(question):
            if name == "date":
                spat = next((s for q, s in _CALENDAR_ASKS if q.search(question)), spat)
            return name, spat
    return "other", None


#: The first word of a sentence: at the start of the text, or after a Spanish "¿" or "¡"
#: ("¿Quién es Sheinbaum?": "Quién" is capitalised because it starts the question).
_INITIAL_WORD_RE = re.compile(r"(?:^|[¿¡])\s*([\w’'-]+)")


#: A question about two articles: "both articles", "each piece", "the article on X ... the
#: preview also", "the alliance article and the meeting preview".
_TWO_ARTICLES_RE = re.compile(r"\b(?:both|each|two|other)\b[^?]*?\b(?:articles?|pieces?|reports?|previews?|stories)\b",
                              re.I)
_TEXT_NOUN_RE = re.compile(r"\b(?:articles?|pieces?|reports?|previews?|stor(?:y|ies))\b", re.I)


def spans_articles(question: str) -> bool:
    """Whether a question asks about two articles at once ("both articles", "the article on
    Mexico's response ... the meeting preview also ...")."""
    return _TWO_ARTICLES_RE.search(question) is not None or len(_TEXT_NOUN_RE.findall(question)) >= 2


def proper_nouns(question: str) -> list[str]:
    """Capitalised names in the question, skipping each sentence's first word and question words."""
    text = question.strip()
    initial = [m.span(1) for m in _INITIAL_WORD_RE.finditer(text)]
    names = []
    for m in _PROPER_RE.finditer(text):
        name = m.group(1)
        if any(start <= m.start() < end for start, end in initial):
            rest = name.split(None, 1)
            if len(rest) < 2:
                continue
            name = rest[1]
        words = [w for w in name.split() if w.lower() not in _QWORDS]
        if words:
            names.append(" ".join(words))
    return names


#: "What commitment did Trump and Bukele reiterate ...", "How did Sheinbaum respond ...": the verb
#: after the auxiliary and its subject (names, possessives, determiners, role nouns).
_FOCUS_RE = re.compile(r"\b(?:what|which|how|why|who|whom)\b(?: [\w’'-]+){0,3}? " + _AUX + r" (?P<rest>.+)", re.I)
_SUBJECT_WORDS = frozenset(
    """the a an and his her its their this that these those both each two three all of u.s. us
    president president-elect leader leaders government administration officials official minister
    ministry country countries nation article piece report author critics analysts""".split()
)
#: Generic words of a question (determiners, role nouns), as index terms.
_GENERIC_TERMS = frozenset(t for w in _SUBJECT_WORDS for t in tokenize(w)) | frozenset(
    tokenize("corpus named mentioned according say said state stated report reported"))
#: Typed questions whose answer (a number, a date) must be the one of what is asked.
_COUNTED_TYPES = frozenset({"date", "weekday", "duration", "deadline", "number", "percent", "share", "age"})
#: "How many gang members has …?": the noun a count question counts (its last word).
_HOW_MANY_RE = re.compile(r"\bhow many (?P<np>(?:[\w’'-]+ ){0,3}?[a-z][\w’'-]*?)\s+(?=(?:" + _AUX
                          + r"|of|in|on|at|from|to|for|across|under)\b)", re.I)
#: The words after a number that say what it counts ("two pressing issues").
_COUNTED_AFTER = 3


def counted_noun(question: str) -> str | None:
    """The noun a "How many …?" question counts ("members" in "How many gang members has
    El Salvador jailed?"), or None when the question does not name one."""
    m = _HOW_MANY_RE.search(question)
    if not m or re.match(_AUX + r"\b", m.group("np"), re.I):
        return None  # "How many did they jail?" names no noun
    return m.group("np").split()[-1].lower()


#: Reporting verbs: what they report ("say about <topic>"), not the verb, is asked about.
_REPORTING_VERBS = frozenset("say tell state mention report write note claim".split())
#: Light verbs carry no focus of their own.
_LIGHT_VERBS = frozenset("think believe be been being have get make do go come take give see".split())
#: "... say about (how much) <noun>": the topic of a reporting verb.
_ABOUT_RE = re.compile(r"\babout (?:how (?:much|many) |the |his |her |its |their |a |an )*(?P<noun>[a-z][\w-]+)")

#: Offices a country's leader holds; "El Salvador's president" and "the Salvadoran leader"
#: name the same person.
_ROLES = r"(?:president|president-elect|leader|head of state|prime minister)"
_CAP = r"[A-Z][\w’'-]+"
_PLACE = rf"(?:{_CAP} ){{0,2}}{_CAP}"
#: Sentences that say who holds a role: "Nayib Bukele, President of El Salvador", "El
#: Salvador's President Nayib Bukele", "Mexican President Claudia Sheinbaum".
#: Words before a role that keep its holder ("the former president", "the incoming leader").
_ROLE_MODS = r"(?:(?:current|new|incoming|outgoing|former) )?"
_HOLDER_RES = (
    re.compile(rf"(?P<name>(?:{_CAP} ){{0,2}}{_CAP}), (?:the )?(?P<role>{_ROLES}) of (?:the )?(?P<place>{_PLACE})",
               re.I),
    re.compile(rf"(?P<place>{_PLACE})[’']s {_ROLE_MODS}(?P<role>(?i:{_ROLES})),? (?P<name>(?:{_CAP} ){{0,2}}"
               rf"{_CAP})"),
    re.compile(rf"(?P<place>{_CAP}|U\.S\.) (?P<role>President|Leader|Prime Minister) "
               rf"(?P<name>(?:{_CAP} ){{0,2}}{_CAP})"),
)
#: A question that names someone by role: "El Salvador's president", "the president of
#: Mexico", "the Salvadoran leader", "the former American president".
_ROLE_Q_RES = (
    re.compile(rf"(?P<place>{_PLACE})[’']s {_ROLE_MODS}(?P<role>{_ROLES})\b"),
    re.compile(rf"\bthe {_ROLE_MODS}(?P<role>{_ROLES}) of (?:the )?(?P<place>{_PLACE})"),
    re.compile(rf"\bthe {_ROLE_MODS}(?P<place>{_CAP}) (?P<role>{_ROLES})\b"),
)


def roles_asked(question: str) -> list[tuple[str, str]]:
    """(country, words of the phrase) for each person the question names by role
    ("El Salvador's president" -> ("el salvador", "El Salvador's president"))."""
    out = []
    for rx in _ROLE_Q_RES:
        for m in rx.finditer(question):
            country = canonical_name(m.group("place"))
            country = CAPITALS.get(country) or country  # "San Salvador's leader" leads El Salvador
            if country in PLACES:
                out.append((country, m.group(0)))
    return out


def role_holders(texts: Sequence[str]) -> dict[str, set[str]]:
    """Country -> surname tokens of the people the texts name as its president or leader."""
    out: dict[str, set[str]] = {}
    for text in texts:
        for rx in _HOLDER_RES:
            for m in rx.finditer(text):
                country = canonical_name(m.group("place"))
                names = [w for w in m.group("name").split() if w.lower() not in _TITLES]
                if country in PLACES and names and canonical_name(names[-1]) not in PLACES:
                    out.setdefault(country, set()).update(tokenize(names[-1]))
    return out


def question_focus(question: str) -> tuple[list[str], list[str]]:
    """(focus tokens, subject tokens) of a question: its main verb ("reiterate", "respond")
    and the names before it ("Trump", "Bukele"). For a reporting verb ("What did X say
    about how much backing ...?") the focus is the noun of its "about" phrase ("backing").

    Both are empty when no focus is found.
    """
    m = _FOCUS_RE.search(question)
    if not m:
        return [], []
    subject: list[str] = []
    rest = m.group("rest")
    for word in re.findall(r"[\w’'.-]+", rest):
        low = word.lower().rstrip(".")
        if word[:1].isupper() or low.endswith(("'s", "’s")) or low in _SUBJECT_WORDS:
            if word[:1].isupper():
                subject += [t for t in tokenize(word) if t not in _QWORDS]
            continue
        if low in _REPORTING_VERBS:
            about = _ABOUT_RE.search(rest)
            if about:
                return [t for t in tokenize(about.group("noun")) if t not in _QWORDS], subject
            return [], subject
        if low in _LIGHT_VERBS or low in STOPWORDS:
            return [], subject
        return [t for t in tokenize(low) if t not in _QWORDS], subject
    return [], subject


@lru_cache(maxsize=20_000)
def _people_terms(text: str) -> frozenset[str]:
    """The index terms of the surnames of the people ``text`` names (cached: the sentence
    before a candidate is looked at again for every question that retrieves it)."""
    return frozenset(t for name in _new_people(text, "") for t in tokenize(name))


#: A third-person singular pronoun, which stands for someone the text named before.
_PERSONAL_PRONOUN_RE = re.compile(r"\b(?:he|she|him|his|her|hers|himself|herself)\b", re.I)
#: "refuse to take", "fail to arrange": the premise denies the action that follows.
_NEG_IMPLICATIVE_RE = re.compile(r"^(?P<subj>.+?)\s+(?:refuse[ds]?|decline[ds]?|fail(?:ed|s)?|neglect(?:ed|s)?)"
                                 r"\s+to\s+(?P<rest>.+)$", re.I)


#: Phrasal and transitive refusals of a thing: "turn down a meeting", "reject the offer".
_NEG_OBJECT_RE = re.compile(r"^(?P<subj>.+?)\s+(?:(?:turn(?:ed|s)?|turning)\s+down|reject(?:ed|s)?|rebuff(?:ed|s)?|"
                            r"snub(?:bed|s)?|spurn(?:ed|s)?|refuse[ds]?|decline[ds]?)\s+(?P<obj>(?:an?|the|his|her|"
                            r"its|their|\w+['’]s)\b.+)$", re.I)
#: Things one has rather than accepts: "turn down a meeting" is denied by "they will meet".
_EVENT_NOUNS_RE = re.compile(r"^(?:an?|the|his|her|its|their|\w+['’]s)\s+(?:[\w-]+\s+)?(?:meeting|call|talks?|"
                             r"conversation|summit|visit|interview|discussion)s?\b", re.I)


def positive_complement(statement: str) -> str | None:
    """The statement without its negative implicative ("X refuse to take Y" -> "X take Y",
    "X turn down a meeting with Y" -> "X had a meeting with Y", "X reject the offer" ->
    "X accepted the offer"), or None when it has none."""
    text = statement.strip()
    m = _NEG_IMPLICATIVE_RE.match(text)
    if m:
        return f"{_no_do(m.group('subj'))} {m.group('rest')}"
    m = _NEG_OBJECT_RE.match(text)
    if m:
        verb = "had" if _EVENT_NOUNS_RE.match(m.group("obj")) else "accepted"
        return f"{_no_do(m.group('subj'))} {verb} {m.group('obj')}"
    return None


def _no_do(subject: str) -> str:
    """A subject without the "did" a question's premise put after it ("Bukele did")."""
    return re.sub(r"\s+(?:did|does|do)$", "", subject, flags=re.I)


#: "What has Milei said about Soros?": what one named person said about another named one.
_SAID_ABOUT_RE = re.compile(r"^\s*(?i:what (?:did|does|do|has|have|had)) (?P<a>[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*) "
                            r"(?i:say|said|write|written|wrote|post|posted|state|stated|tell|told \w+) about "
                            r"(?P<b>[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*)\s*\?*\s*$")


def said_about(question: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(speaker terms, subject terms) of a "What did <name> say about <name>?" question, or None."""
    m = _SAID_ABOUT_RE.match(question)
    if not m:
        return None
    speaker, topic = frozenset(tokenize(m.group("a"))), frozenset(tokenize(m.group("b")))
    return (speaker, topic) if speaker and topic and not speaker & topic else None


#: "How did Honduras respond to X?", "What did Milei say about X?", "What was Venezuela's
#: reaction to X?": someone's word on a topic. ("Respond on the call" names an occasion, not
#: a topic, and is left alone.)
_REACTION_VERB_RE = re.compile(
    r"^\s*(?:what|how)\s+(?:did|does|do|has|have|had)\s+(?P<actor>[\w’'.-]+(?:\s+[\w’'.-]+){0,5}?)\s+"
    r"(?:(?:respond(?:ed)?|react(?:ed)?|repl(?:y|ied)|object(?:ed)?)\s+to|"
    r"(?:say|said|comment(?:ed)?|think|thought|feel|felt)\s+(?:about|of|regarding)|"
    r"(?:say|said|do|did)\s+in\s+(?:response|reply|reaction)\s+to|(?:say|said)\s+to|"
    # "How did Trump reply when Milei told him …?": the occasion is what was replied to.
    r"(?:respond(?:ed)?|react(?:ed)?|repl(?:y|ied))\s+when)\s+(?P<topic>.+?)[?.!\s]*$",
    re.I)
_REACTION_NOUN_RE = re.compile(
    r"^\s*what\s+(?:was|is|were|has\s+been)\s+(?P<actor>[\w’'.-]+(?:\s+[\w’'.-]+){0,5}?)['’]s?\s+"
    r"(?:reaction|response|reply|answer|view|position|stance)s?\s+(?:to|on|about|regarding|toward|towards)\s+"
    r"(?P<topic>.+?)[?.!\s]*$", re.I)


def reaction_asked(question: str) -> tuple[frozenset[str], list[str]] | None:
    """(actor's name terms, topic terms) of a question asking what a named actor said about,
    or how they reacted to, a topic; None for other questions, and for actors without a name
    ("How did officials respond …"), and when actor and topic share every term."""
    m = _REACTION_VERB_RE.match(question) or _REACTION_NOUN_RE.match(question)
    if not m:
        return None
    names = [w for w in re.findall(r"[\w’'.-]+", m.group("actor")) if w[:1].isupper()]
    actor = frozenset(t for w in names for t in tokenize(w) if t not in _GENERIC_TERMS and t not in _QWORDS)
    topic = [t for t in dict.fromkeys(content_terms(m.group("topic")))
             if t not in actor and t not in _GENERIC_TERMS and t not in _SUPPORT_VERBS]
    if not actor or not topic:
        return None
    return actor, topic


#: Words that date a role without saying who holds it ("the ex-president", "the outgoing team").
_TIME_OF_ROLE = frozenset({"ex", "former", "incom", "outgo", "current", "new", "then", "late", "futur", "past",
                           "previou", "sitt"})


def _in_corpus(term: str, vocab: Any) -> bool:
    """Whether the corpus uses an index term or one of its synonyms."""
    return term in vocab or any(x in vocab for x in synonyms(term))


def unknown_actor_words(question: str, vocab: Any) -> list[str]:
    """The words of a reaction question's actor that the corpus never uses, nor any synonym
    of them: "How have El Salvador's opposition parties reacted to …?" is about parties no
    article mentions, however much the passages say of El Salvador."""
    m = _REACTION_VERB_RE.match(question) or _REACTION_NOUN_RE.match(question)
    if not m:
        return []
    out = []
    for w in re.findall(r"[\w’'-]+", m.group("actor")):
        if w[:1].isupper():
            continue  # names are the corpus gate's
        terms = [t for t in tokenize(w) if t not in _GENERIC_TERMS and t not in _QWORDS and t not in _TIME_OF_ROLE
                 and len(t) > 2]
        if terms and not any(_in_corpus(t, vocab) for t in terms):
            out.append(w)
    return out


#: Dependencies through which a name stays part of its phrase ("the government of Honduras",
#: "Guatemala and Honduras", "Honduras's president").
_PHRASE_DEPS = frozenset({"compound", "poss", "conj", "appos", "pobj", "prep", "amod", "nmod", "cc", "case"})


#: "What did Bukele say to Trump …?": a question for someone's words to someone.
_SAY_TO_RE = re.compile(r"^\s*what\s+(?:did|does|do|has|have|had)\s+.+?\s+(?:(?:say|said)\s+to|tell|told)\s+\w", re.I)
#: What reports words: a quotation mark or a verb of saying.
_SPEECH_RE = re.compile(r"[\"“”]|\b(?:say|says|said|stated?|told|tells?|wrote|writes?|assured|added|emphasi[sz]ed|"
                        r"stressed|noted|explained|argued|insisted|declared|announced|revealed|warned|highlighted|"
                        r"affirmed|reiterated|posted|tweeted|urged|promised|vowed|pledged|thanked|congratulat\w*)\b",
                        re.I)
#: "Who is / was …?": a question for who holds something.
_WHO_IS_RE = re.compile(r"^\s*who\s+(?:is|was|are|were)\b", re.I)
#: A sentence that opens by saying it answers what came before.
_RESPONSE_OPENER_RE = re.compile(r"\s*(?:in (?:response|reply|return|turn)|responding|replying|in a (?:response|reply))\b",
                                 re.I)
#: Prepositions whose object is a partner or a target inside a phrase, not its doer
#: ("cooperation with Panama", "pressure on Mexico", "aid to Honduras").
_PARTNER_PREPS = frozenset("with to toward towards against on upon for into onto over through like".split())


def asked_acts(question_doc: Any) -> frozenset[str]:
    """The lemmas of the verbs a "Who …?" question asks the doer of ("Who criticized Harris?":
    criticize); empty for other questions."""
    return frozenset(t.lemma_.lower() for t in question_doc if t.pos_ == "VERB" and any(
        c.dep_ == "nsubj" and c.lower_ in ("who", "whom") for c in t.children))


#: Prepositions of place ("meet in Mexico City", "heading toward the border").
_LOCATIVE_PREPS = frozenset("in at to toward towards into across through near inside outside from on onto "
                            "within along via".split())
#: The dependents of a verb that can say where it happens.
_PLACE_DEPS = frozenset({"prep", "dobj", "npadvmod", "advmod", "dative", "attr", "oprd", "agent"})


def located_acts(question_doc: Any) -> frozenset[str]:
    """The lemmas of the main verbs of a "Where …?" question other than light ones ("Where
    did they meet?": meet); empty when it asks where something *is*."""
    return frozenset(t.lemma_.lower() for t in question_doc if t.pos_ == "VERB" and t.dep_ in ("ROOT", "conj")
                     and t.lemma_.lower() not in _LIGHT_VERBS)


def _agentless_passive(doc: Any, acts: frozenset[str]) -> bool:
    """Whether a sentence says an act the question asks the doer of only in the passive, with
    no "by …": "Harris … was widely criticized" does not say who criticized her."""
    return any(t.lemma_.lower() in acts and any(c.dep_ == "auxpass" for c in t.children)
               and not any(c.dep_ == "agent" for c in t.children) for t in doc)


def _hypothetical(verb: Any) -> bool:
    """Whether a clause is a condition ("if …", "unless …", "whether …"), itself or inside one."""
    cur = verb
    for _ in range(12):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in cur.children):
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _actor_acts(doc: Any, actor: frozenset[str]) -> bool:
    """Whether a sentence names the actor of a reaction question as someone acting: in a
    subject ("Honduras's government rejected …"), as the agent of a passive ("… was rejected by
    Honduras") or in a sentence with no clause around the name (a headline). A name only inside
    an object ("securing commitments from countries like Guatemala and Honduras") is not.
    Nor is a name inside a condition ("if Bukele's methods continue …"). A sentence that
    names the actor only as "he" or "she" (an antecedent from the sentence before) is not
    judged here."""
    mentions = [t for t in doc if actor & set(tokenize(t.text))]
    if not mentions:
        return True
    for tok in mentions:
        cur = tok
        adverbial = False  # reached through a prepositional phrase on the way up
        for _ in range(12):
            if cur.dep_ == "pobj" and cur.head.lower_ in _PARTNER_PREPS:
                break  # "cooperation with Panama … is a key component": Panama does not act
            if cur.dep_ in ("nsubj", "csubj", "agent", "expl") or (cur.dep_ == "pobj" and cur.head.lower_ == "by"):
                if _hypothetical(cur.head):
                    break  # "critics argue … if Bukele's methods continue": no act reported
                return True
            if cur.head.i == cur.i:
                # The name heads the sentence (a headline, a fragment), unless it only sits in
                # a phrase on the main verb ("Under Lind, Vice Mayor Okafor, dubbed …, was
                # criticized", as the small model reads it).
                if not adverbial:
                    return True
                break
            if cur.dep_ not in _PHRASE_DEPS:
                break  # an object, a complement or a modifier clause: not the one acting
            adverbial = adverbial or (cur.dep_ == "prep" and cur.head.pos_ in ("VERB", "AUX"))
            cur = cur.head
    return False


#: Verbs by which a subject undergoes or holds something rather than acts on it: "his
#: government has faced criticism" says nothing of how it responded to the criticism.
_UNDERGO_VERBS = frozenset("face receive draw attract endure suffer encounter incur weather enjoy earn garner".split())
#: Pronouns that stand for the actor named in the sentence before.
_ACTOR_PRONOUNS = frozenset("he she it they his her its their him them".split())


def _only_undergoes(doc: Any, actor: frozenset[str]) -> bool:
    """Whether every clause of a sentence that has the actor (or a pronoun standing for
    them) as its subject only has them undergo something: "His administration ... has faced
    criticism for human rights abuses" is no response to that criticism, nor is a passive
    ("he was criticized"). False when no such clause is found (nothing to judge)."""
    mentions = [t for t in doc if actor & set(tokenize(t.text))]
    if not mentions:
        mentions = [t for t in doc if t.lower_ in _ACTOR_PRONOUNS]
    verbs: list[tuple[Any, bool]] = []
    for tok in mentions:
        cur = tok
        for _ in range(12):
            if cur.dep_ in ("nsubj", "nsubjpass"):
                verb = cur.head
                # A bare past participle is passive, whatever the parse ("Harris, dubbed the
                # border czar, was widely criticized": the small model makes Harris the subject
                # of "dubbed"); the clause it hangs on, left without a subject, is hers too.
                main = verb.head
                bare = (verb.dep_ in ("advcl", "acl") and verb.tag_ in ("VBN", "VBD") and main.i != verb.i
                        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
                        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in main.children))
                verbs.append((verb, cur.dep_ == "nsubjpass" or bare))
                if bare:
                    verbs.append((main, any(c.dep_ == "auxpass" for c in main.children)))
                break
            if cur.dep_ not in _PHRASE_DEPS or cur.head.i == cur.i:
                break
            cur = cur.head
    if not verbs:
        return False
    for verb, passive in list(verbs):  # "faced criticism and responded by ..." shares the subject
        verbs += [(c, passive) for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                  and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)]
    return all(passive or verb.lemma_.lower() in _UNDERGO_VERBS for verb, passive in verbs)


#: A question asking for a reason: "Why did X …?", "For what reason …?", "What prompted X to …?"
_WHY_RE = re.compile(r"^\s*(?:why\b|for what reasons?\b|what (?:is|was|were|are) the reasons?\b|how come\b|"
                     r"what (?:prompted|drove|led|motivated|caused|pushed)\b)", re.I)
#: Words that give a reason, a cause or a purpose.
_REASON_RE = re.compile(
    r"\b(?:because|due to|owing to|thanks to|as a result|result(?:ed|s|ing)? (?:of|from)|in order to|"
    r"so (?:that|as to)|aim(?:s|ed|ing)? (?:at|to)|in (?:response|reaction|an effort|a bid|an attempt|the hope) to|"
    r"(?:seek|seeks|sought|seeking|hop(?:e|es|ed|ing)|intend(?:s|ed|ing)?) to|driven by|motivat\w+|prompt(?:s|ed|ing)|"
    r"spurr?(?:ed|s)?|fuel(?:l?ed)? by|(?:led|leads|leading) to|caus(?:e|es|ed|ing)|stem(?:s|med|ming)? from|"
    r"reasons?|amid|citing|given (?:that|the)|in light of|for fear|fear(?:s|ed|ing)? (?:of|that)|"
    r"concerns? (?:about|over|that)|since|as part of|therefore|thus|hence|consequently|under pressure|"
    r"pressure from|after (?:[\w’'-]+ ){0,3}(?:threats?|pressure|criticism|demands?))\b", re.I)


def gives_reason(text: str, doc: Any = None) -> bool:
    """Whether a sentence gives a reason or a purpose: a causal phrase ("because", "due to",
    "in response to", "aimed at") or, with its parse ``doc``, a purpose infinitive ("met him
    to discuss ...", "policies to dismantle gang violence")."""
    if _REASON_RE.search(text):
        return True
    return doc is not None and any(t.lower_ == "to" and t.dep_ == "aux" and t.head.dep_ in ("advcl", "acl")
                                   for t in doc)


def statement_coverage(statement: str, sentence: str) -> float:
    """Share of the statement's terms the sentence states, itself or in a paraphrase group's
    words ("call" ~ "exchange"); light verbs ("take a call") and question words do not count."""
    terms = [t for t in dict.fromkeys(content_terms(statement)) if t not in _SUPPORT_VERBS]
    if not terms:
        return 0.0
    words = set(tokenize(sentence))
    return sum(1 for t in terms if t in words or synonyms(t) & words) / len(terms)


def _premise_statement(rest: str) -> str:
    """The statement a question presupposes, from its clause after the question word
    ("Did she turn it down, and why?": the first clause only)."""
    return _AND_WH_TAIL_RE.sub("", rest.strip().rstrip("?")).strip()


def declarative_premise(doc: Any) -> str | None:
    """A "why/how/when/where + auxiliary" or yes/no question's premise as a sentence, from its
    parse: the auxiliary goes back after the subject ("Why did Nayib Bukele only come to power
    after the vote?" -> "Nayib Bukele did only come to power after the vote"; "Is Trump against
    immigration?" -> "Trump is against immigration"). None when the question has no such shape."""
    toks = [t for t in doc if not t.is_punct or t.i < len(doc) - 1]
    wh = 1 if toks and toks[0].lower_ in ("why", "how", "when", "where") else 0
    if len(toks) < 3 + wh:
        return None
    aux = toks[wh]
    if aux.lower_ not in _PREMISE_AUX:
        return None
    # The subject right after the auxiliary, whatever the parser hung it from ("is" is at
    # times read as the main verb of "Why is Mayor Lind easing up ...?").
    subjects = [t for t in toks if t.dep_ in ("nsubj", "nsubjpass") and t.left_edge.i == aux.i + 1]
    end = max(t.right_edge.i for t in subjects) + 1 if subjects else 0
    if end == 0 or end >= len(toks):
        # No subject, or one that swallowed the rest ("Is Trump against immigration?" parses
        # "Trump" as a complement; "Was Milei the first to call?" hangs all on "Milei"): a
        # name (capitalised words) right after the auxiliary is the subject.
        end = aux.i + 1
        while end < len(toks) and (toks[end].pos_ == "PROPN" or toks[end].text[:1].isupper()):
            end += 1
        if end == aux.i + 1 or end >= len(toks):
            return None
    rest = doc[end : toks[-1].i + 1].text
    return _premise_statement(f"{doc[aux.i + 1 : end].text} {aux.lower_} {rest}")


def _first_question(text: str) -> str:
    """The first of several questions ("Is X so? What is Y?" -> "Is X so?"), or the text."""
    m = re.match(r"\s*[^?]*\?", text)
    return m.group(0).strip() if m and text[m.end():].strip() else text.strip()


#: The auxiliaries :data:`_PREMISE_RE` accepts after its question word.
_PREMISE_AUX = frozenset({"did", "does", "do", "is", "are", "was", "were", "has", "have", "had"})


def _premise_evidence(cands: Sequence[_Candidate]) -> list[Citation]:
    """The best candidate sentences, as citations the verifier judges a premise against."""
    return [make_citation(c.passage, c.sentence.start, c.sentence.end) for c in cands[:12]]


def _most_covering(statement: str, cands: Sequence[_Candidate]) -> _Candidate:
    """The candidate stating most of ``statement`` in one sentence; ties keep the ranking
    (a premise correction quotes the sentence saying what happened, not one sharing a name)."""
    ranked = [(round(statement_coverage(statement, c.sentence.text), 6), -i) for i, c in enumerate(cands)]
    return cands[-max(ranked)[1]]


#: Support verbs, no content of their own: "take a call", "make a visit", "have a meeting"
#: (not :data:`_LIGHT_VERBS`, the question-focus list).
_SUPPORT_VERBS = frozenset({"take", "make", "have", "get", "give", "hold", "do", "pay"})


def content_terms(question: str) -> list[str]:
    """Tokenized question terms without question words."""
    return [t for t in tokenize(question) if t not in _QWORDS]


def _retrieval_standing(hits: Sequence[ScoredPassage]) -> dict[str, float]:
    """Passage id -> its retrieval score in standard deviations from the mean of ``hits``,
    clipped to +-2 and halved (so -1 .. 1); empty when the scores do not differ."""
    scores = np.array([h.score for h in hits], dtype=float)
    if len(scores) < 2 or scores.std() <= 1e-12:
        return {}
    z = np.clip((scores - scores.mean()) / scores.std(), -2.0, 2.0) / 2.0
    return {h.passage.id: float(v) for h, v in zip(hits, z, strict=True)}


def make_citation(passage: Passage, start: int, end: int) -> Citation:
    """A citation of ``passage`` narrowed to ``[start, end)`` (document offsets)."""
    if not passage.start <= start < end <= passage.end:
        raise ValueError(f"span {start}-{end} is outside passage {passage.id}")
    quote = passage.text[start - passage.start : end - passage.start]
    return Citation(id=f"{passage.id}#{start}-{end}", doc=passage.doc, start=start, end=end,
                    quote=quote, passage_id=passage.id)


def _first_match(name: str) -> re.Pattern[str] | None:
    """The platform, outlet or language lexicon that ``name`` is an entry of, or None."""
    return next((rx for rx in (_PLATFORM_RE, _OUTLET_RE, _LANG_RE) if rx.fullmatch(name)), None)


_QUESTION_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


_HEADING_WORDS = frozenset(tokenize("heading headings subheading section sections title cover covered discuss "
                                     "discussed set out"))


def _unknown_topic_terms(question: str, lexical: BM25Index) -> list[str]:
    """The words of what a question is about that the corpus never uses, nor any synonym of
    them, when they are at least half of those words (one paraphrase may be unknown)."""
    terms = [t for t in dict.fromkeys(content_terms(question))
             if t not in _QWORDS and t not in _GENERIC_TERMS and t not in _HEADING_WORDS]
    unknown = [t for t in terms if not _in_corpus(t, lexical.vocab)]
    if not terms or len(unknown) * 2 < len(terms):
        return []
    words = re.findall(r"[\w’'-]+", question)
    return [next((w for w in words if t in tokenize(w)), t) for t in unknown]


def other_names(name: str) -> list[list[str]]:
    """The index terms of the other names of an outlet, platform or language ("the AP":
    Associated Press, AP News); empty for other names."""
    out = []
    for cat, canon, _, _ in find_categories(name) + find_categories(f"the {name}"):
        out += [tokenize(f) for f in (canon, *CATEGORIES[cat][canon])]
    return out


def corpus_gate(question: str, lexical: BM25Index) -> str | None:
    """Why the corpus cannot answer ``question`` whatever is retrieved, or None: a name
    the corpus never mentions, or not one content word of the question in it. Checked
    before any sentence is scored (or any chat model is called)."""
    unknown = [n for n in proper_nouns(question) if not ExtractiveAnswerer._known(n, lexical)]
    # A year no article mentions: nothing in the corpus happened then ("How many caravans did
    # Mexico disband in 2023?"). A yes/no or "why / when did" question may rest on a wrong year
    # that a passage corrects ("Did Bukele rise to power in 2017?" - no, in 2019).
    if not _YESNO_RE.match(question) and not _PREMISE_RE.match(question):
        unknown += [y for y in _QUESTION_YEAR_RE.findall(question) if y not in lexical.vocab]
    if unknown:
        return f"the corpus never mentions {', '.join(unknown)}"
    terms = content_terms(question)
    if terms and not any(t in lexical.vocab for t in terms) and not category_only(question, question_type(question)[0]):
        return "no word of the question occurs in the corpus"
    return None


class ExtractiveAnswerer:
    """Selects the sentences that answer a question and cites each one."""

    def __init__(self, embedder: Embedder, config: AnswerConfig | None = None,
                 verifier: object | None = None, places: PlaceFinder | None = None) -> None:
        self.embedder = embedder
        self.config = config or AnswerConfig()
        self.verifier = verifier
        #: Finds the places a sentence names (spaCy NER); without it, any name counts as a place.
        self.places = places
        #: The passage before a passage in its document, or None (set by the pipeline from the
        #: index); lets a quotation said by "he" be attributed from the sentence before.
        self.previous_passage: Callable[[Passage], Passage | None] | None = None
        #: (paragraph, paragraph count) of a passage in its document (set by the pipeline);
        #: "the conclusion of the article" prefers its last paragraphs.
        self.position_of: Callable[[Passage], tuple[int, int]] | None = None
        #: The index terms of a document (set by the pipeline): a name the question gives must
        #: be in the article an answer quotes.
        self.doc_terms: Callable[[str], frozenset[str]] | None = None
        #: Country -> surnames of the people the whole corpus names as its president or leader
        #: (set by the pipeline; see :func:`role_holders`).
        self.corpus_role_holders: Callable[[], dict[str, set[str]]] | None = None
        #: The passages of a document in text order (set by the pipeline); lets a question about
        #: an article's section headings be answered from all of them.
        self.doc_passages: Callable[[str], list[Passage]] | None = None
        #: Dependency-parses a text (spaCy ``Doc``; set by the pipeline); lets a reaction
        #: question require its actor to act in the answer, not be an object of it.
        self.parse: Callable[[str], Any] | None = None
        self._declaratives: dict[str, str | None] = {}

    # ----------------------------------------------------------------- public
    def answer(self, question: str, hits: Sequence[ScoredPassage], lexical: BM25Index) -> Answer:
        """Answer ``question`` from ``hits`` (best first); abstain when they do not answer it."""
        ans = self._answer(question, hits, lexical)
        if not ans.abstained and not ans.premise_corrected and _only_among_first(question, ans):
            # "Which leader was the first to congratulate Trump?" is not answered by "Sheinbaum
            # was among the first leaders to extend congratulations".
            return self._abstain(question, "the corpus says only who was among the first")
        return ans

    def _answer(self, question: str, hits: Sequence[ScoredPassage], lexical: BM25Index) -> Answer:
        cfg = self.config
        hits = list(hits)[: cfg.candidate_passages + 6]
        if not hits:
            return self._abstain(question, "nothing was retrieved")

        gate = corpus_gate(question, lexical)
        if gate is not None:
            unknown = [n for n in proper_nouns(question) if not self._known(n, lexical)]
            categorical = bool(unknown) and all(_first_match(n) is not None for n in unknown)
            if categorical and (_PREMISE_RE.match(question) or _PRESUPPOSING_RE.match(question)
                                or _YESNO_RE.match(question)):
                # "Did she post it on Facebook?": the corpus never names Facebook, but it says
                # where she posted; a premise the passages contradict is corrected, not ignored.
                # Only for platforms, outlets and languages (one excludes another for one act):
                # an unknown person is never "contradicted" by a known one.
                cands = self._score(question, content_terms(question), hits, lexical)
                premise = self._check_premise(question, cands, hits, lexical) if cands else None
                if premise is not None and (premise.premise_corrected or premise.answer.startswith("No.")):
                    return premise
            return self._abstain(question, gate)

        terms = content_terms(question)

        lost = self._lost_list(question, hits)
        if lost is not None:
            return self._abstain(question, f"the list that “{lost}” introduces is missing from its article")

        cands = self._score(question, terms, hits, lexical)
        if not cands:
            return self._abstain(question, "no candidate sentence")

        premise = self._check_premise(question, cands, hits, lexical)
        if premise is not None:
            return premise

        asked_heading = heading_asked(question)
        if asked_heading is not None and self.doc_passages is not None:
            unknown = _unknown_topic_terms(question, lexical) if asked_heading[0] == "of" else []
            if unknown:
                # "Under which heading does the report discuss Milei's tango lessons?": no
                # section covers what the corpus never mentions, whatever heading is nearest.
                return self._abstain(question, f"the corpus never mentions {', '.join(unknown)}")
            headed = self._heading_answer(asked_heading, cands)
            if headed:
                return self._build(question, headed)

        qtype, pattern = question_type(question)
        best = cands[0]
        if qtype == "person":
            attributed = self._attribute_quote(question, cands) or self._people_anaphor(question, cands)
            if attributed is not None:
                return self._build(question, attributed)
        if pattern is not None:
            best_or_reason = self._typed_best(question, qtype, cands)
            if isinstance(best_or_reason, str):
                return self._abstain(question, best_or_reason)
            best = best_or_reason
            if qtype in _COUNTED_TYPES:
                about = self._predicate_terms(question)
                if about and not any(self._term_match(t, best.terms) for t in about):
                    # "When did she take office?" is not answered by the year of another event.
                    return self._abstain(question, f"no passage states the {qtype} of what is asked "
                                                   f"(none of {', '.join(about[:4])})")
            open_category = category_only(question, qtype)
            if best.dense < cfg.min_best_dense and not open_category:
                return self._abstain(question, f"no sentence is semantically close (best {best.dense:.2f})")
            if best.score + cfg.typed_bonus < cfg.min_score and not open_category:
                return self._abstain(question, f"best sentence scores {best.score:.2f}, below {cfg.min_score}")
            chosen = self._compose(question, terms, best, cands, pattern)
            elsewhere = self._names_elsewhere(question, chosen)
            if elsewhere:
                return self._abstain(question, f"the passages that state a {qtype} are from articles that never "
                                               f"mention {', '.join(elsewhere)}")
            return self._build(question, chosen)
        pair = said_about(question)
        if pair is not None:
            # "What has Milei said about Soros?": a sentence about Soros that is not about
            # Milei (nor says "he" after naming him) is someone else's word on Soros.
            speaker, topic = pair
            both = [c for c in cands if speaker & c.terms and topic & c.terms]
            if not both:
                return self._abstain(question, "no passage names both the speaker and the subject asked about")
            best = both[0]
        unknown_actor = unknown_actor_words(question, lexical.vocab)
        if unknown_actor:
            return self._abstain(question, f"the corpus never mentions the {' '.join(unknown_actor)} asked about")
        reaction = reaction_asked(question) if pair is None else None
        if reaction is not None:
            # "What was Milei's reaction to the mass deportations?" is not answered by his
            # support for Trump, nor by what "some countries" did: the sentence names the
            # actor (or says "he" after naming them) and states the topic, itself or in the
            # sentence before it ("In response, Sheinbaum …").
            fitting = [c for c in cands if self._answers_reaction(c, *reaction)]
            if _SAY_TO_RE.match(question):
                # "What did Bukele say to Trump?" asks for words: a quotation or a verb of saying.
                fitting = [c for c in fitting if _SPEECH_RE.search(c.sentence.text)]
            if not fitting:
                return self._abstain(question, "no passage reports what was asked of the one it names")
            best = fitting[0]
        if best.dense < cfg.min_best_dense:
            return self._abstain(question, f"no sentence is semantically close (best {best.dense:.2f})")
        if best.score < cfg.min_score:
            return self._abstain(question, f"best sentence scores {best.score:.2f}, below {cfg.min_score}")
        if best.lexical < cfg.min_relevance * 0.5:
            return self._abstain(question, f"the best sentence shares too few of the question's words "
                                           f"({best.lexical:.2f})")

        chosen = self._compose(question, terms, best, cands, pattern)
        if pair is not None:
            chosen = [c for c in chosen if pair[0] & c.terms and pair[1] & c.terms]
        if reaction is not None:
            chosen = [c for c in chosen if self._answers_reaction(c, *reaction)] or [best]
        if _WHY_RE.match(question) and not any(
                gives_reason(c.sentence.text, self.parse(self._embed_text(c)) if self.parse else None)
                for c in chosen) and self._premise_stated(question, cands):
            # "Why did she avoid the details?" is not answered by the sentence saying she did.
            # (When the premise itself is not stated, the sentences on it may well be what
            # the reader needs: the question can rest on a premise the text contradicts.)
            return self._abstain(question, "the passages state what the question says happened, but not why")
        elsewhere = self._names_elsewhere(question, chosen)
        if elsewhere and spans_articles(question):
            # "Which adjective does the article on Mexico's response use that the meeting
            # preview also uses for the Trump-Bukele meeting?": the rest of the answer is in
            # another article, the one that names what this one does not.
            chosen = chosen + self._from_other_articles(question, elsewhere, chosen, cands)
            elsewhere = self._names_elsewhere(question, chosen)
        if elsewhere:
            return self._abstain(question, f"the closest passages are from articles that never mention "
                                           f"{', '.join(elsewhere)}")
        attribute = attribute_asked(question)
        if attribute is not None and not any(_stem_in(attribute, c.terms) or (
                c.passage.kind == "title" and _TITLE_Q_RE.search(attribute)) for c in chosen):
            return self._abstain(question, f"no passage states the {attribute} asked for")
        specific = specific_asked(question)
        if specific is not None and not any(self._names_instances(c.sentence.text, specific) for c in chosen):
            return self._abstain(question, f"no passage names the specific {specific} asked for")
        category = category_asked(question)
        if category is not None and chosen and all(restates_category(c.sentence.text, category) for c in chosen):
            # "Which technological solutions has Bukele's administration adopted?" is not
            # answered by "prioritizing technological solutions": the category, no member of it.
            return self._abstain(question, f"the passages mention {category} but name none")
        return self._build(question, chosen)

    def _from_other_articles(self, question: str, names: Sequence[str], chosen: Sequence[_Candidate],
                             cands: Sequence[_Candidate]) -> list[_Candidate]:
        """The best candidate sentence of another article than the chosen ones whose article
        names one of ``names`` (at most one per missing name)."""
        if self.doc_terms is None:
            return []
        docs = {c.passage.doc for c in chosen}
        out: list[_Candidate] = []
        for name in names:
            toks = [t for t in tokenize(name) if t not in _GENERIC_TERMS]
            pick = next((c for c in cands if c.passage.doc not in docs and c not in out
                         and toks and any(t in self.doc_terms(c.passage.doc) for t in toks)), None)
            if pick is not None:
                out.append(pick)
                docs.add(pick.passage.doc)
        return out

    def _names_elsewhere(self, question: str, chosen: Sequence[_Candidate]) -> list[str]:
        """The question's names (people, places, organisations; not nationality or language
        words, not capitals) that no article of the chosen sentences mentions: "When Trump
        called Guatemala's president, what did they discuss?" is not answered from an article
        that never names Guatemala."""
        if self.doc_terms is None or not chosen:
            return []
        terms = frozenset().union(*(self.doc_terms(c.passage.doc) for c in chosen))
        missing = []
        for name in proper_nouns(question):
            words = [w for w in naming_words(name) if not re.fullmatch(r"[A-Z]{2,}s", w)]
            if not words or CAPITALS.get(canonical_name(" ".join(words))) is not None:
                continue
            toks = [t for t in tokenize(" ".join(words)) if t not in _GENERIC_TERMS]
            if toks and not any(t in terms for t in toks) \
                    and not any(other and all(t in terms for t in other) for other in other_names(name)):
                missing.append(re.sub(r"[’']s$", "", name))
        return missing

    @staticmethod
    def _predicate_terms(question: str) -> list[str]:
        """The question's terms other than names, generic words and words of the answer type:
        what a typed question asks the number or date *of*."""
        names = {t for n in proper_nouns(question) for t in tokenize(n)}
        return [t for t in dict.fromkeys(content_terms(question))
                if t not in names and t not in _GENERIC_TERMS and t not in _TYPE_WORDS]

    def _attribute_quote(self, question: str, cands: list[_Candidate]) -> list[_Candidate] | None:
        """"Who said “X”?": the sentence with the quotation, led by the nearest earlier
        sentence (at most three back) that names a person when the quotation's own
        sentence does not ("“X,” he stated"; a second quoted sentence after "... Sheinbaum
        wrote."). None when no retrieved sentence has the quotation or nobody is named."""
        quote = asked_quote(question)
        if quote is None:
            return None
        host = next((c for c in cands if quote in _QUOTE_NORM_RE.sub(" ", c.sentence.text.lower())), None)
        if host is None:
            return None
        if answer_strength(question, host.sentence.text, self.places):
            return [host]
        speaker = self._named_before(question, host, 3)
        return [speaker, host] if speaker is not None else None

    def _people_anaphor(self, question: str, cands: list[_Candidate]) -> list[_Candidate] | None:
        """"Which two leaders reiterated ...?" answered by "Both leaders reiterated ...": the
        best sentence, when it names its people only as "both leaders" / "the two leaders" /
        "they", led by the sentence before it that names them. None otherwise."""
        host = cands[0] if cands else None
        if host is None or not _PEOPLE_ANAPHOR_RE.match(host.sentence.text) \
                or answer_strength(question, host.sentence.text, self.places):
            return None
        named = self._named_before(question, host, 2)
        return [named, host] if named is not None else None

    def _named_before(self, question: str, host: _Candidate, back: int) -> _Candidate | None:
        """The nearest of the ``back`` sentences before ``host`` (in its passage, then the
        text passage before it) that states the person asked for."""
        earlier = [sent for sent in host.passage.sentences if sent.end <= host.sentence.start]
        pairs = [(host.passage, sent) for sent in reversed(earlier)]
        prev = self.previous_passage(host.passage) if self.previous_passage is not None else None
        if prev is not None and prev.kind == host.passage.kind == "text":
            pairs += [(prev, sent) for sent in reversed(prev.sentences)]
        for passage, sent in pairs[:back]:
            if answer_strength(question, sent.text, self.places):
                return _Candidate(passage, sent, host.rank, score=host.score)
        return None

    def _names_instances(self, sentence: str, noun: str) -> bool:
        """True when ``sentence`` names members of ``noun`` ("projects such as ...", "two
        projects: ...", "the Remain in Mexico program"), not just the noun in general."""
        stems = tokenize(noun)
        if not stems:
            return False
        for m in re.finditer(r"[\w’'-]+", sentence):
            toks = tokenize(m.group(0))
            if not toks or not self._term_match(stems[-1], frozenset(toks)):
                continue
            after = sentence[m.end(): m.end() + 40]
            before = sentence[max(0, m.start() - 40): m.start()]
            if _INSTANCE_AFTER_RE.match(after) or _NAME_BEFORE_RE.search(before):
                return True
        return False

    # ---------------------------------------------------------------- helpers
    def _typed_best(self, question: str, qtype: str, cands: list[_Candidate]) -> _Candidate | str:
        """The best candidate that states the asked kind of answer, or why there is none.

        A specific answer ("on X") beats a generic one ("on social media") that scores
        about as well; "which <qualifier> leaders" needs a sentence that says the qualifier.
        """
        cfg = self.config
        floor = max(cfg.min_score, cfg.typed_ratio * cands[0].score)
        if qtype in ("place", "organisation"):
            self._prefetch_places([c for c in cands if c.score + cfg.typed_bonus >= floor])
        # "Which news organizations are cited?" names nothing but the category: any sentence
        # that names a member answers it, however little else it shares with the question.
        open_category = category_only(question, qtype)
        passing: list[tuple[int, _Candidate]] = []
        # "Who criticized Harris?": the acts whose doer is asked, from one parse of the question.
        acts = asked_acts(self.parse(question)) if qtype == "person" and self.parse is not None else frozenset()
        asked = self._asked_of(question, qtype)
        for c in cands:
            if open_category:
                if answer_strength(question, self._embed_text(c), self.places) == 2:
                    passing.append((2, c))
                continue
            if c.score + cfg.typed_bonus < floor:
                break
            if c.lexical < cfg.min_relevance and c.dense < cfg.min_dense:
                continue
            # A table row's cells, not the headings above them, name who did something.
            text = c.sentence.text if qtype == "person" and c.passage.kind == "table_row" else self._embed_text(c)
            strength = answer_strength(question, text, self.places)
            if strength and acts and _agentless_passive(self.parse(self._embed_text(c)), acts):  # type: ignore[misc]
                strength = 0  # "Harris was widely criticized" names nobody who criticized her
            if strength and not self._answers_asked(question, asked, c):
                strength = 0
            if strength and qtype == "organisation" and self.places is not None and not self._organisations(
                    question, text):
                strength = 0
            if strength:
                passing.append((strength, c))
        if not passing:
            return f"no passage states the {qtype} asked for"
        # "Which news organizations ...?" asks for outlets: "news" is the category, not a detail.
        qualifiers = role_qualifiers(question, organisations=qtype == "organisation")
        if qualifiers:
            passing = [(s, c) for s, c in passing if any(self._term_match(q, c.terms) for q in qualifiers)]
            if not passing:
                m = _ROLE_RE.search(question)
                noun = m.group("noun").lower() if m and qtype == "organisation" else "people"
                words = m.group("q").strip() if m else " ".join(qualifiers)
                return f"no passage names the {words} {noun} asked for"
        top = max(s for s, _ in passing)
        return next(c for s, c in passing if s == top)

    def _heading_answer(self, asked: tuple[str, int], cands: list[_Candidate]) -> list[_Candidate]:
        """The heading sentences that answer a question about section headings, in the article
        of the best candidate: every heading, the n-th (with the best sentence under it), or
        the one over the best sentence that is not itself a heading (that sentence after it).
        Empty when the article has no such heading."""
        assert self.doc_passages is not None
        kind, n = asked
        body = [c for c in cands if c.passage.kind not in ("heading", "title")]
        if not cands or (kind == "of" and not body):
            return []
        if kind == "of":
            # The best sentence that stands under a heading: a question about the heading over
            # a topic is about an article that has headings.
            return next((found for c in body[:_HEADING_LEADS] if (found := self._heading_over(c, cands))), [])
        lead = cands[0]
        headings = [p for p in self.doc_passages(lead.passage.doc) if p.kind == "heading"]
        if not headings:
            return []

        def under(h: Passage) -> list[_Candidate]:
            name = h.text.lstrip("#").strip()
            return [c for c in body if c.passage.doc == h.doc and c.passage.context.split("\n")[0] == name][:1]

        if kind == "all":
            return [_as_candidate(h, cands) for h in headings]
        if kind == "nth":
            if not -len(headings) <= (n - 1 if n > 0 else n) < len(headings):
                return []
            h = headings[n - 1 if n > 0 else n]
            return [_as_candidate(h, cands), *under(h)]
        return []

    def _lost_list(self, question: str, hits: list[ScoredPassage]) -> str | None:
        """The list lead-in a question quotes ("... 'have expressed a commitment to' certain
        goals. What are they?") when its list was lost from the article: the sentence ends in
        a colon and no list item follows it. None when the question quotes nothing, or the
        quoted words stand anywhere else in the retrieved passages."""
        quoted = quoted_phrases(question)
        if not quoted or self.doc_passages is None:
            return None
        found: list[tuple[Passage, str]] = []
        for h in hits:
            for sent in h.passage.sentences:
                norm = f" {norm_quote(sent.text)} "
                if any(f" {q} " in norm for q in quoted):
                    found.append((h.passage, sent.text.strip()))
        if not found or not all(text.endswith(":") for _, text in found):
            return None
        for passage, _text in found:
            after = [p for p in self.doc_passages(passage.doc) if p.start >= passage.end]
            if after and _LIST_ITEM_RE.match(after[0].text):
                return None  # the list is there, as the passages after the lead-in
        return found[0][1]

    def _heading_over(self, lead: _Candidate, cands: list[_Candidate]) -> list[_Candidate]:
        """The heading over candidate ``lead``'s section (as one of ``cands`` when it is) and
        ``lead`` itself; empty when it stands under none."""
        assert self.doc_passages is not None
        name = lead.passage.context.split("\n")[0]
        h = next((p for p in self.doc_passages(lead.passage.doc) if p.kind == "heading"
                  and p.text.lstrip("#").strip() == name), None)
        return [_as_candidate(h, cands), lead] if h is not None else []

    def _organisations(self, question: str, text: str) -> list[str]:
        """:func:`_new_organisations` without the people the corpus names as a country's leader:
        the small model tags a speaker's surname as an organisation ("…," stated Sheinbaum)."""
        assert self.places is not None
        orgs = _new_organisations(text, question, self.places)
        if self.corpus_role_holders is None:
            return orgs
        people = {t for names in self.corpus_role_holders().values() for t in names}
        return [o for o in orgs if not (len(o.split()) == 1 and set(tokenize(o)) <= people)]

    def _asked_of(self, question: str, qtype: str) -> _Asked:
        """What a typed answer must state besides its kind (see :class:`_Asked`)."""
        parsed = self.parse(question) if self.parse is not None and qtype in ("person", "place") else None
        acts = asked_acts(parsed) if parsed is not None and qtype == "person" else frozenset()
        holders = None
        if qtype == "person" and self.corpus_role_holders is not None and _WHO_IS_RE.match(question):
            countries = {country for country, _ in roles_asked(question)}
            if countries:
                known = self.corpus_role_holders()
                named = {t for n in proper_nouns(question) for t in tokenize(n)}
                holders = frozenset(t for country in countries for t in known.get(country, ())) - named
        return _Asked(
            acts=frozenset(acts - _REPORTING_VERBS - _LIGHT_VERBS),
            office=attribute_asked(question) if qtype == "person" else None,
            counted=counted_noun(question) if qtype == "number" else None,
            place_acts=(located_acts(parsed) if parsed is not None and qtype == "place"
                        and re.match(r"\s*where\b", question, re.I) else frozenset()),
            holders=holders,
            nationals=nationals_asked(question) if qtype == "nationality" else None)

    def _answers_asked(self, question: str, asked: _Asked, c: _Candidate) -> bool:
        """Whether candidate ``c`` states what ``asked`` requires of a typed answer."""
        if asked.acts and not self._states_act(asked.acts, c):
            return False
        if asked.office is not None and asked.office not in tokenize(c.sentence.text):
            return False
        if asked.counted is not None and not self._counts(c.sentence.text, asked.counted):
            return False
        if asked.holders is not None and not asked.holders & set(tokenize(c.sentence.text)):
            return False  # names someone, but not one the corpus gives the office
        if asked.nationals is not None and not of_nationality(c.sentence.text, asked.nationals):
            return False  # "tariffs on the Mexican economy" gives no migrant a nationality
        return not asked.place_acts or self._placed_act(question, c, asked.place_acts)

    def _placed_act(self, question: str, c: _Candidate, acts: frozenset[str]) -> bool:
        """Whether the sentence of ``c`` names a new place inside the phrase of an asked act
        ("meet in Mexico City"), or states the act only by a synonym (then the place may
        still be where it happens: "the talks at Mar-a-Lago")."""
        doc = self.parse(c.sentence.text)  # type: ignore[misc]
        stems = {st for a in acts for st in tokenize(a)}
        # The act as a verb or as its noun ("the meeting between Trump and Bukele").
        verbs = [t for t in doc if t.lemma_.lower() in acts or (t.pos_ == "NOUN" and stems & set(tokenize(t.text)))]
        if not verbs:
            # A synonym of the act ("talks" for "meet") leaves the place's role open; a
            # sentence without the act does not say where it happened.
            return any(synonyms(st) & c.terms for st in stems)
        new = _new_places(c.sentence.text, question, self.places) if self.places is not None else []
        for v in verbs:
            # The verb's own phrases, not its subject nor a clause hung on it ("… as both
            # leaders navigate … across the Americas").
            heads = [t for child in v.children if child.dep_ in _PLACE_DEPS for t in child.subtree
                     if (t.dep_ == "pobj" and t.head.lower_ in _LOCATIVE_PREPS and t.head.head.i == v.i)
                     or (t.dep_ in ("dobj", "npadvmod") and t.head.i == v.i)]
            # The place itself, not a possessor in it ("with El Salvador's president").
            raw = " ".join(w.text for h in heads for w in h.subtree
                           if not any(a.dep_ == "poss" and a.head.i == h.i for a in [w, *w.ancestors]))
            phrase = raw.lower()
            # A place, or the medium where something was said ("revealed on social media").
            if any(name in phrase for name in new) or _PLATFORM_RE.search(raw):
                return True
        return False

    def _states_act(self, acts: frozenset[str], c: _Candidate) -> bool:
        """Whether a candidate states one of the asked acts: the verb itself (in any form:
        "led" for "lead"), or a synonym, but not a title ("President-elect" does not say who
        leads something)."""
        for act in acts:
            for term in tokenize(act):
                if term in c.terms or (synonyms(term) - _TITLES) & c.terms:
                    return True
        if self.parse is None:
            return False
        return any(t.lemma_.lower() in acts for t in self.parse(c.sentence.text))

    def _counts(self, sentence: str, noun: str) -> bool:
        """Whether a number in ``sentence`` (not a year) counts ``noun`` or a synonym of it:
        one of the few words after it is that noun ("two migrant caravans")."""
        want = tokenize(noun)
        doc = self.parse(sentence) if self.parse is not None else None
        for m in _NUM_RE.finditer(sentence):
            if _YEAR_RE.match(m.group(0)):
                continue
            after = frozenset(tokenize(" ".join(sentence[m.end():].split()[:_COUNTED_AFTER])))
            if doc is not None:
                # The noun the number counts is its head ("two migrant caravans": caravans, not
                # migrants), or the object of its "of" ("two of the migrants").
                num = next((t for t in doc if t.idx <= m.start() < t.idx + len(t.text)), None)
                if num is not None:
                    heads = [num.head] if num.dep_ == "nummod" else [
                        g for c in num.children if c.dep_ == "prep" and c.lower_ == "of"
                        for g in c.children if g.dep_ == "pobj"]
                    after = frozenset(tokenize(" ".join(h.text for h in heads))) or after
            if any(self._term_match(t, after) for t in want):
                return True
        return False

    def _prefetch_places(self, cands: Sequence[_Candidate]) -> None:
        self.prefetch_places([(c.passage, c.sentence) for c in cands])

    def prefetch_places(self, sentences: Sequence[tuple[Passage, Sentence]]) -> None:
        """Tag, in one batch, the places of the texts the type checks will look at for these
        sentences (the sentence, and a table row or list item with its header)."""
        prefetch = getattr(self.places, "prefetch", None)
        if prefetch is not None and sentences:
            prefetch([p.sentence_text(s) for p, s in sentences] + [s.text for _, s in sentences])

    @staticmethod
    def _known(name: str, lexical: BM25Index) -> bool:
        country = CAPITALS.get(canonical_name(name))
        if country is not None:
            # A capital stands for its government ("Washington and San Salvador team up"):
            # known when the corpus names the country.
            name = country
        words = name.split()
        if any(re.fullmatch(r"[A-Z]{2,}s", w) or re.search(r"-[a-z]", w) for w in words):
            # Plural acronyms ("NGOs") and compounds like "Mexico-related" describe rather
            # than name; the other checks judge them.
            return True
        # Language, nationality and region words ("English", "Canadian", "South American")
        # describe; the rest of the run must be known ("Canadian Prime Minister Justin Trudeau").
        rest = naming_words(name)
        if not rest:
            return True
        toks = tokenize(" ".join(rest))
        # A name is known when every one of its tokens occurs in the corpus ("World Cup" is not).
        if not toks or all(t in lexical.vocab for t in toks):
            return True
        # An outlet, platform or language by another of its names: "the AP" is known when the
        # corpus names the Associated Press.
        return any(toks and all(t in lexical.vocab for t in toks) for toks in other_names(name))

    def _score(self, question: str, terms: list[str], hits: list[ScoredPassage],
               lexical: BM25Index) -> list[_Candidate]:
        cands: list[_Candidate] = []
        asks_columns = _COLUMNS_RE.search(question) is not None
        asks_table = asks_columns or _TABLE_Q_RE.search(question) is not None
        where = position_asked(question) if self.position_of is not None else None
        asks_questions = _QUESTIONS_RE.search(question) is not None
        asks_title = _TITLE_Q_RE.search(question) is not None
        asks_heading = heading_asked(question) is not None
        # A quoted cell or heading only locates what a column or heading question asks for.
        quoted = quoted_phrases(question) if not (asks_columns or asks_heading) else []
        for rank, hit in enumerate(hits):
            if hit.passage.kind == "table_header" and not asks_columns:
                continue  # a header row names the columns; the rows state the facts
            if hit.passage.kind == "title" and (where is not None or not asks_title):
                continue  # a headline names an article; it answers only a question about the headline
            if hit.passage.kind == "heading" and not asks_heading:
                continue  # a section heading names a section; it answers only a question about headings
            for sent in hit.passage.sentences:
                text = sent.text.strip()
                if len(text) < 12 or (text.endswith(":") and hit.passage.kind == "text"):
                    continue  # fragments and list lead-ins whose list is elsewhere (or lost)
                if _ASKS_RE.search(text) and not asks_questions:
                    continue  # a question the article asks states nothing ("What does he hope to achieve?")
                cands.append(_Candidate(hit.passage, sent, rank))
        if not cands:
            return []
        retrieval = _retrieval_standing(hits[: self.config.candidate_passages])
        floor = -1.0 if retrieval else 0.0  # passages found for a part of the question, or none
        texts = [self._embed_text(c) for c in cands]
        embed = getattr(self.embedder, "embed_many_cached", None)
        vecs = embed([question, *texts]) if embed else self.embedder.embed_documents([question, *texts])
        qv, sv = vecs[0], vecs[1:]
        sims = sv @ qv
        weights = {t: max(lexical.idf(t), 0.1) for t in set(terms)}
        focus_list, subject_list = question_focus(question)
        focus, subject = set(focus_list) & weights.keys(), set(subject_list)
        total = sum(weights.values()) or 1.0
        # "South American" is stated by a sentence naming a South American country.
        region_terms: set[str] = set()
        members: set[str] = set()
        for r in regions_named(question):
            region_terms |= set(tokenize(r)) | set(tokenize(r + "n"))
            members |= {t for country in REGION_MEMBERS[r] for t in tokenize(country)}
        # "El Salvador's president" is stated by a sentence naming Bukele, whom another
        # retrieved sentence calls "President of El Salvador".
        role_stand_ins: list[tuple[set[str], frozenset[str]]] = []
        asked = roles_asked(question)
        if asked:
            holders = role_holders([c.sentence.text for c in cands])
            if self.corpus_role_holders is not None:
                # The sentence that says who holds the role need not have been retrieved.
                for country, names in self.corpus_role_holders().items():
                    holders.setdefault(country, set()).update(names)
            for country, phrase in asked:
                if holders.get(country):
                    role_stand_ins.append((holders[country], frozenset(tokenize(phrase))))
        for c, vec in zip(cands, sv, strict=True):
            c.vector = vec
        for c, sim in zip(cands, sims, strict=True):
            sent_terms = frozenset(tokenize(self._embed_text(c))) | self._antecedent_terms(c)
            for surnames, phrase_terms in role_stand_ins:
                if surnames & sent_terms:
                    sent_terms |= phrase_terms
            in_region = bool(members & sent_terms)
            covered = sum(w * (max(self._term_match(t, sent_terms), self.config.synonym_credit)
                               if in_region and t in region_terms else self._term_match(t, sent_terms))
                          for t, w in weights.items())
            c.terms = sent_terms
            c.dense = float(sim)
            c.lexical = covered / total if terms else 0.0
            c.score = 0.6 * c.dense + 0.4 * c.lexical + self.config.retrieval_weight * retrieval.get(c.passage.id, floor)
            if c.passage.kind == "table_row" and not asks_table:
                c.score -= self.config.table_penalty
            if where is not None and self.position_of is not None:
                if in_position(where, *self.position_of(c.passage), c.passage.context):
                    c.score += self.config.position_bonus
            if quoted and any(f" {q} " in f" {norm_quote(c.sentence.text)} " for q in quoted):
                c.score += self.config.quoted_bonus
            if focus and subject <= sent_terms:
                # The question's main verb ("reiterate", "respond") said of its subject marks
                # the sentence that answers it among those that share only its setting.
                c.score += self.config.focus_bonus * max(self._term_match(t, sent_terms) for t in focus)
        cands.sort(key=lambda c: (-c.score, c.passage.doc, c.sentence.start))
        return cands

    def _antecedent_terms(self, c: _Candidate) -> frozenset[str]:
        """The surnames a sentence's "he" or "she" may stand for: the people the sentence
        before it names (in its passage, or the passage before). "In a post, she thanked
        him" is about the Sheinbaum of the sentence before as much as "Sheinbaum thanked
        him" is, so her name counts among the words the sentence shares with a question."""
        if not _PERSONAL_PRONOUN_RE.search(c.sentence.text):
            return frozenset()
        before = self._sentence_before(c)
        return _people_terms(before) if before is not None else frozenset()

    def _sentence_before(self, c: _Candidate) -> str | None:
        """The sentence before a candidate's: in its passage, or closing the text passage before."""
        earlier = [s for s in c.passage.sentences if s.end <= c.sentence.start]
        if earlier:
            return earlier[-1].text
        prev = self.previous_passage(c.passage) if self.previous_passage is not None else None
        if prev is None or prev.kind != "text" or c.passage.kind != "text" or not prev.sentences:
            return None
        return prev.sentences[-1].text

    def _answers_reaction(self, c: _Candidate, actor: frozenset[str], topic: Sequence[str]) -> bool:
        """Whether a candidate names the actor of a reaction question and states at least
        half its topic (in the sentence or the one before it in its passage). A table row
        (a cell under a heading naming the actor) reports no act."""
        if not actor & c.terms or c.passage.kind.startswith("table"):
            return False
        words = set(c.terms)
        # The sentence before states the topic too; across a paragraph break only when this
        # one says it answers it ("… raised concerns about the border." / "In response,
        # Sheinbaum acknowledged the challenges …").
        before = self._sentence_before(c)
        if before is not None and (any(s.end <= c.sentence.start for s in c.passage.sentences)
                                   or _RESPONSE_OPENER_RE.match(c.sentence.text)):
            words |= set(tokenize(before))
        stated = sum(1 for t in topic if self._term_match(t, frozenset(words)) > 0)
        if stated * 2 < len(topic):
            return False
        # Parsed last, and only for the sentences the word checks leave.
        if self.parse is None:
            return True
        if before is not None and not actor & frozenset(tokenize(self._embed_text(c))):
            # Named only as "he": the actor must be the one acting in the sentence before
            # ("Milei assured Trump. He emphasized …" is Milei speaking, not Trump replying).
            if not _actor_acts(self.parse(before), actor) or _only_undergoes(self.parse(before), actor):
                return False
        doc = self.parse(self._embed_text(c))
        return _actor_acts(doc, actor) and not _only_undergoes(doc, actor)

    def _term_match(self, term: str, sent_terms: frozenset[str]) -> float:
        """1 when the sentence has the question's term, ``synonym_credit`` for a synonym, else 0."""
        if term in sent_terms:
            return 1.0
        return self.config.synonym_credit if synonyms(term) & sent_terms else 0.0

    @staticmethod
    def _embed_text(c: _Candidate) -> str:
        return c.passage.sentence_text(c.sentence)

    def _compose(self, question: str, terms: list[str], best: _Candidate, cands: list[_Candidate],
                 pattern: re.Pattern[str] | None) -> list[_Candidate]:
        cfg = self.config
        chosen = [best]
        # A list item or table row answers together with its siblings.
        if best.passage.kind in ("list_item", "table_row"):
            siblings = [c for c in cands if c.passage.kind == best.passage.kind
                        and c.passage.doc == best.passage.doc and c.passage.context.split("\n")[:2]
                        == best.passage.context.split("\n")[:2] and c is not best]
            siblings.sort(key=lambda c: c.sentence.start)
            chosen += [c for c in siblings if c.score >= 0.75 * best.score][:4]
            return sorted(chosen, key=lambda c: (c.passage.doc, c.sentence.start))
        qtype = question_type(question)[0]
        if pattern is not None and category_only(question, qtype):
            # "Which news organizations are cited?": every sentence that names another member.
            named = {m.group(0).lower() for m in pattern.finditer(self._embed_text(best))}
            for c in cands:
                if len(chosen) >= cfg.max_sentences:
                    break
                found = {m.group(0).lower() for m in pattern.finditer(self._embed_text(c))}
                if c is not best and found - named and answer_strength(question, self._embed_text(c), self.places) == 2:
                    chosen.append(c)
                    named |= found
            return chosen
        if qtype in ("person", "place") and _PLURAL_ASK_RE.search(question):
            # "Who are the three presidents ...?": each sentence names someone new, up to one
            # sentence more than other answers get.
            floor = cfg.list_ratio * best.score
            if qtype == "place":
                self._prefetch_places([c for c in cands if c.score >= floor])
            chosen, named = [], set()
            for c in cands:
                if len(chosen) > cfg.max_sentences or c.score < floor:
                    break
                found = instances_named(question, self._embed_text(c), self.places)
                if found - named and (c is best or c.lexical >= cfg.min_relevance or c.dense >= cfg.min_dense):
                    chosen.append(c)
                    named |= found
            return chosen or [best]
        covered = set(best.terms)
        multi = _is_multi_part(question)
        for part in question_parts(question)[1:] if multi else []:
            # "How did she describe it, and on which platform did she post?": the best
            # sentence for each part joins the answer.
            pick, part_score = self._best_for(part, cands, chosen)
            if pick is not None and part_score >= cfg.min_part_score and len(chosen) < cfg.max_sentences:
                chosen.append(pick)
                covered |= pick.terms
        ratio = cfg.multi_ratio if multi else cfg.extra_ratio
        asked = self._asked_of(question, qtype) if pattern is not None and not multi else _NOTHING_ASKED
        for c in cands:
            if len(chosen) >= cfg.max_sentences:
                break
            if c.score < ratio * best.score:
                break
            if any(c.sentence.start == x.sentence.start and c.passage.doc == x.passage.doc for x in chosen):
                continue
            if pattern is not None and not multi and not (answer_strength(question, c.sentence.text, self.places)
                                                          and self._answers_asked(question, asked, c)):
                continue
            new_terms = (set(terms) & c.terms) - covered
            # A multi-part question may be answered across articles: a relevant sentence
            # from an article not quoted yet adds a new source even with no new word.
            new_doc = multi and bool(set(terms) & c.terms) and all(c.passage.doc != x.passage.doc for x in chosen)
            if new_terms or new_doc:
                chosen.append(c)
                covered |= c.terms
        return chosen

    def _best_for(self, part: str, cands: list[_Candidate],
                  chosen: list[_Candidate]) -> tuple[_Candidate | None, float]:
        """The candidate that best answers one part of a multi-part question."""
        terms = set(content_terms(part))
        if not terms:
            return None, 0.0
        embed = getattr(self.embedder, "embed_many_cached", None)
        pv = (embed([part]) if embed else self.embedder.embed_documents([part]))[0]
        best, best_score = None, -1.0
        if question_type(part)[0] == "place":
            self._prefetch_places(cands)
        for c in cands:
            if c in chosen or c.vector is None:
                continue
            strength = answer_strength(part, self._embed_text(c), self.places)
            if not strength:
                continue
            # A part asking for a kind of answer prefers a sentence that names one ("on X")
            # over one that only mentions the kind ("on social media").
            score = 0.6 * float(c.vector @ pv) + 0.4 * len(terms & c.terms) / len(terms) + 0.05 * (strength - 1)
            if score > best_score:
                best, best_score = c, score
        return best, best_score

    def _check_premise(self, question: str, cands: list[_Candidate], hits: Sequence[ScoredPassage] = (),
                       lexical: BM25Index | None = None) -> Answer | None:
        """Correct a false premise ("Why did X refuse ...?") from the text, or None."""
        if self.verifier is None:
            return None
        # Of several questions ("Is Trump simply against immigration? What is he ...?") the
        # premise is the first one's; a bare "Yes." would leave the others unanswered.
        first = _first_question(question)
        more = first != question.strip()
        presupposed = _PRESUPPOSING_RE.match(first)
        m = _PREMISE_RE.match(first) or presupposed
        yesno = _YESNO_RE.match(first) is not None and not presupposed
        if not m and not yesno:
            return None
        statement = self._premise_of(first, m) if m else self._yesno_statement(first)
        evidence = _premise_evidence(cands)
        verdict = self.verifier.verify(statement, evidence)  # type: ignore[attr-defined]
        positive = positive_complement(statement)
        if positive is not None and lexical is not None and hits:
            # "Why did she refuse to take his call?": the correction is the sentence that says
            # she took it, the best answer to the statement without the refusal, once the
            # verifier finds the refusal refuted or the positive statement supported.
            refuted = verdict.label is Label.REFUTED and verdict.confidence >= self.config.premise_confidence
            if not refuted:
                pos = self.verifier.verify(positive, evidence)  # type: ignore[attr-defined]
                refuted = pos.label is Label.SUPPORTED and pos.confidence >= self.config.premise_confidence
            if refuted:
                pos_cands = self._score(positive, content_terms(positive), list(hits), lexical)
                pos_cands = [c for c in pos_cands if c.score >= self.config.min_score]
                if pos_cands:
                    best = _most_covering(positive, pos_cands[:8])
                    if yesno:  # "Did he turn down the meeting?" -- "No." and the sentence that says they meet
                        return self._build(question, [best], lead=AnswerSentence("No.", (0,)))
                    lead = AnswerSentence(PREMISE_CORRECTION, (0,))
                    return self._build(question, [best], lead=lead, premise_corrected=True)
        if verdict.label is Label.REFUTED and verdict.confidence >= self.config.premise_confidence:
            cite = verdict.evidence[0].citation
            cand = next((c for c in cands if c.sentence.start == cite.start and c.passage.doc == cite.doc), None)
            if cand is None:
                return None
            if yesno:
                lead = AnswerSentence("No.", (0,))
                ans = self._build(question, [cand], lead=lead)
            else:
                lead = AnswerSentence(PREMISE_CORRECTION, (0,))
                # The contradicting sentence, then what the corpus says on the question's topic.
                context = next((c for c in cands if c is not cand), None)
                chosen = [cand] + ([context] if context is not None else [])
                ans = self._build(question, chosen, lead=lead, premise_corrected=True)
            return ans
        if yesno and not more and verdict.label is Label.SUPPORTED and verdict.evidence:
            cite = verdict.evidence[0].citation
            cand = next((c for c in cands if c.sentence.start == cite.start and c.passage.doc == cite.doc), None)
            if cand is not None:
                return self._build(question, [cand], lead=AnswerSentence("Yes.", (0,)))
        return None

    def _premise_of(self, question: str, m: re.Match[str]) -> str:
        """The statement a premise question presupposes: a sentence with its auxiliary when
        the question parses as one ("Trump is easing up on immigration"), else the clause
        after the auxiliary ("Trump easing up on immigration")."""
        statement = self._declarative(question) if m.re is _PREMISE_RE else None
        return statement or _premise_statement(m.group("rest"))

    def _yesno_statement(self, question: str) -> str:
        """What a yes/no question asks to confirm, as a sentence when it parses as one ("Is
        Trump against immigration?" -> "Trump is against immigration"), else the words after
        its auxiliary."""
        return self._declarative(question) or _premise_statement(_YESNO_RE.sub("", question, count=1))

    def _declarative(self, question: str) -> str | None:
        """:func:`declarative_premise` of a question, parsed once per question (the premise
        check and the stated-premise check of one answer both ask)."""
        if self.parse is None:
            return None
        key = question.strip()
        if key not in self._declaratives:
            if len(self._declaratives) >= 256:
                self._declaratives.clear()
            self._declaratives[key] = declarative_premise(self.parse(key))
        return self._declaratives[key]

    def _premise_stated(self, question: str, cands: list[_Candidate]) -> bool:
        """Whether the verifier finds a "Why did X …?" question's premise ("X …") stated by
        the best candidate sentences."""
        m = _PREMISE_RE.match(question)
        if self.verifier is None or not m:
            return False
        statement = self._premise_of(question, m)
        verdict = self.verifier.verify(statement, _premise_evidence(cands))  # type: ignore[attr-defined]
        return verdict.label is Label.SUPPORTED

    def _build(self, question: str, chosen: list[_Candidate], lead: AnswerSentence | None = None,
               premise_corrected: bool = False) -> Answer:
        citations: list[Citation] = []
        sentences: list[AnswerSentence] = [lead] if lead else []
        for c in chosen:
            cite = make_citation(c.passage, c.sentence.start, c.sentence.end)
            citations.append(cite)
            sentences.append(AnswerSentence(c.sentence.text, (len(citations) - 1,)))
        text = " ".join(s.text for s in sentences)
        return Answer(question=question, answer=text, abstained=False, sentences=tuple(sentences),
                      citations=tuple(citations), premise_corrected=premise_corrected)

    @staticmethod
    def _abstain(question: str, reason: str) -> Answer:
        log.debug("abstaining on %r: %s", question, reason)
        return Answer(question=question, answer=NOT_IN_CORPUS, abstained=True, reason=reason)
