"""Table tests for the verifier's conflict and support rules, on made-up sentences.

Each rule has its REFUTED case, a SUPPORTED twin and a NOT_ENOUGH_INFO case, so a rule
that fires too eagerly fails as surely as one that never fires. The sentences are
invented (not from the seeds): the rules must hold for text nobody tuned them on.

The unit table runs on the deterministic FakeEmbedder; the paraphrase table needs the
real MiniLM sentence embedder (``integration``), because a paraphrase is judged by it.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from rag.embeddings import FakeEmbedder
from rag.types import Citation, Label, Relation
from rag.verify import RuleVerifier
from tests.test_verify import _shared_nlp

S, R, N = Label.SUPPORTED, Label.REFUTED, Label.NOT_ENOUGH_INFO


def made_up(*sentences: str) -> list[Citation]:
    """Citations of invented sentences, laid end to end in one made-up article."""
    out, pos = [], 0
    for k, s in enumerate(sentences):
        out.append(Citation(f"m{k}", "made_up.txt", pos, pos + len(s), s, f"p_made_up_{k}"))
        pos += len(s) + 1
    return out


@lru_cache(maxsize=1)
def _fake_verifier() -> RuleVerifier:
    return RuleVerifier(FakeEmbedder(), nlp=_shared_nlp)


PRIORITY = ("Critics argue the plan could hurt small farms, particularly if the ministry continues to prioritize "
            "exports over local markets.")
MINISTRY = "In a statement, Norland's Foreign Affairs Ministry said the Okafor government is prepared to reopen the port."
AGREED = "In a surprising shift, Mayor Okafor and Governor Lind have agreed to reopen the old port."
SPECULATE = ("Observers speculate that Norland may intensify its immigration checks and work more closely with Vesta "
             "authorities at the border.", "President Okafor later elaborated on the conversation, offering a nuanced "
             "view of Norland's approach to migration.")
CARRIED = "A statement from the port ministry, reported by Reuters, said the Okafor government is prepared to reopen the port."
CHALLENGES = "However, challenges remain in securing commitments to the plan from ports like Dunmore and Kerr."
CULTURE = "Analysts argue that such deals could foster a culture of secrecy in the council."
MORE_OPEN = "On one hand, the merger could signal a shift towards more open trade in the region."
BRACING = "However, ferry operators are bracing for the tough approach the Lind administration is expected to take."
RANK = "Governor Alvarez called the flood the largest disaster in Ohio's history."
RANK_2 = "Governor Alvarez called the flood the second-largest disaster in Ohio's history."
AIRLINES = "Some airlines have briefly resumed flights to the island, though regulators remain cautious."
PENALTIES = "The mayor promised tougher penalties for offenders like vandals and burglars."
HEARING = "At the hearing, Okafor stressed the need for stricter safety rules."
PORTS = "Norland may intensify its port inspections and collaborate more closely with Vesta's customs agency."
FRENCH = "After the meeting, Moreau wrote in French that the talks with Lind had been productive."
FIRST_DAY = "Minister Okafor promised to act on her first day in office."
AMONG_FIRST = "Okafor was among the first leaders to call Lind."
DAYS = "Days later, the council approved the budget."
OBSERVERS = "Observers say the merger raises questions about its effect on local jobs."
CONCERNS = "At the hearing, the mayor raised concerns about the new harbor plan."
PRIORITIES = "Days later, the mayor said the city is ready to review its budget in line with the governor's priorities."
BALANCING = "Balancing safety and cost will be crucial for the council as it seeks to address the flooding."
PAVE = "With steady effort, Okafor and Lind could pave the way for a new bridge."
COMMITTED = "Both mayors reaffirmed their commitment to jointly rebuild the old bridge."
HALL = ("During the long budget meeting at the city hall, the mayor raised serious concerns about the annual budget "
        "of the port authority and highlighted the need for stronger safety rules at the docks.")
CHOSE = "The harbor council chose open trade rather than tariffs."
TWO_WORDS = 'Okafor said in a post that her talks with Lind were "very cordial," and thanked her.'
RISKS = "The council report warns that the risks of floods, droughts, and wildfires loom large over the valley."
TIERS = "The port plan involves the city, county, and state governments in the dredging."
TOOLS = "The council has used various tools against the floods, like dikes, levies, and pumps."
HOURS_AFTER = "Hours after the call, Moreau posted on X that the talks had been productive."
SAME_DAY = "The same day, Moreau posted on X that the talks had been productive."
AVOIDED = "At the summit, Okafor avoided discussing the details of the budget with Lind."
GROWING = "Analysts describe the party's growing influence among young voters."
JOIN = "The mayor confirmed the city's willingness to collaborate on projects led by the regional council."
STEP_UP = "Analysts expect that Norland may intensify its customs inspections at the port."
SWAP = ("Under the deal, Norland stands to gain new markets for its grain, while Vesta may benefit "
        "from cheaper fuel.")
SWAP_2 = ("Under the deal, Vesta stands to gain new markets for its grain.",
          "In return, Norland may benefit from cheaper fuel.")
PROGRESS = "The ministry has made progress in certain areas, such as organising repatriation flights to Lisbon."
CALL_BORDER = ("The Daily Courier reported on a tense phone call, during which Okafor emphasized the pressing "
               "issues at the U.S.-Norland border.")
BRIDGE = "At the summit, the two mayors discussed the prospects of reopening the old bridge to traffic."
PRESSURE = ("Despite this, Okafor's cabinet faced sudden pressure from Lind's harsh stance.",
            "A week later, Lind's aides met the cabinet.")
DAY_AFTER = "The council approved the budget the day after the vote, Okafor said."
CALL = "Okafor and Lind held a long conversation about the budget."
SPLIT_QUOTE = ('"We have a plan for the city.', 'If problems appear, we will solve them," the mayor said.')

TAX = "The minister defended the new tax on Friday, citing pressure on the budget."
EXPLOIT = ("By forging closer ties with Okafor, Lind seeks to exploit the port of Dunmore and leverage Okafor's "
           "growing influence among the northern towns.")
PORTS_READY = "Norland is prepared to open its ports to Vesta's ships."
CROSSING = "Vesta may close the border crossing at Dunmore."
POSTPONED = "The mayor postponed the vote on the harbor plan."
RUN_OFF = "Lind congratulated Okafor on the narrow win she achieved in the run-off."
SCHOOLS = "The governor's approval rating rose thanks to her push to improve schools."
TARIFF = ("Farmers welcome the new tariff as overdue protection, while importers condemn it as a tax on "
          "shoppers.")
HARBOUR = ("However, ferry operators are bracing for the tough approach that the Lind administration is expected "
           "to take towards the port.", "As plans are finalized for the return of programs like the \u201charbour "
           "pass\u201d and new port rules, ferry operators wait.")
UNDER = ("Under Mayor Tom Lind, Deputy Mayor Ada Okafor, dubbed the \u201cport czar,\u201d was widely criticized "
         "for the delays.")
POSTED = "In a post on Monday, the mayor described the flooded road near the Kerr bridge."
POSTED_2 = "\u201cWe will rebuild the road within a month,\u201d the mayor wrote."
HUB = "However, Vesta has made it clear that it will not serve as a transit hub for grain from other countries."
CLOSED = "A week after the storm, the port authority closed the ferry line to the Kerr islands."
STANCES = ("Supporters of Okafor view the partnership with Lind as a necessary step, while detractors criticize "
           "it as an opportunistic alliance.")
FERRY = "The shipping group has reportedly engaged with the governments of Chile and Peru about the new ferry line."
HIRED = "The city hired more than 30 engineers for the Kerr dam last year."
DAMS = "Engineers warned that two dams on the Kerr river could fail this spring."
MILL = "The Kerr mill, which closed in 2018, was the town's largest employer."
OPENNESS = ("\"We want goods to come in, but fairly,\" Mayor Lind said, indicating her openness to fair and "
            "lawful trade.")
MAIN_REASON = "In Norland, Mayor Lind's approval remains high, mainly because of her push to improve the roads."
# "Trump" is the name the small model misreads: "intensifies" / "ramps" come out plural nouns.
INTENSIFIES = "As Trump intensifies his crackdown on smuggling, Okafor's aims will face scrutiny."
RAMPS = "As Trump ramps up his focus on restricting smuggling, Okafor's aims will face scrutiny."
ROSE = "In contrast, Okafor, who rose to power in 2019, has cut spending on roads in Norland."
POPULARITY = "Her government has enjoyed considerable popularity thanks to the mayor's housing plan."
READINESS = "The mayor confirmed the city's readiness to share its data with the region."
FEES_TABLE = ("| Lower fees | More visitors |", "| New bridge | Shorter commutes |")

# (rule, claim, evidence sentences, label, words the explanation must contain): details a
# near-paraphrase adds, each with the twin it must not break.
ADDED = [
    # A circumstance of the event whose noun the article never states.
    ("circumstance: added", "The minister defended the new tax at a rally on Friday, citing pressure on the "
     "budget.", (TAX,), N, "the claim adds 'at a rally on Friday'; the passage does not mention 'rally'"),
    ("circumstance: stated in the next sentence", "The minister defended the new tax at a rally on Friday, citing "
     "pressure on the budget.", (TAX, "The rally drew a large crowd."), S, ""),
    ("circumstance: a vague noun", "Okafor said migrants must enter the country through legal means.",
     ("Okafor said migrants must enter the country legally.",), S, ""),
    ("circumstance: placed by a stated name", "Lind was named harbor commissioner during the Okafor government.",
     ("Under Okafor, Lind was named harbor commissioner.",), S, ""),
    ("circumstance: a complex preposition", "On Friday, lawmakers voted in favor of the budget.",
     ("Lawmakers voted for the budget on Friday.",), S, ""),
    ("circumstance: an added recipient", "The army sold weapons to militias last year.",
     ("The army sold weapons last year.",), N, "the claim adds 'to militias'"),
    ("circumstance: the same occasion in other words", "In a televised speech on Sunday, the president announced "
     "the sanctions.", ("The president announced the sanctions in a televised address on Sunday.",), S, ""),
    ("circumstance: another occasion", "At a fundraising dinner on Monday, the governor said the state would "
     "expand its flood defenses.", ("During a news conference on Monday, the governor said the state would "
                                    "expand its flood defenses.",), N, "the passage does not mention 'dinner'"),
    # A main act the passage does not report, unless a verb in its slot may say it in other words.
    ("act: added outcome", "After Norland closed the crossings in response to her tariff threat, Okafor withdrew "
     "the threat.", ("A week later, Norland closed the crossings, reportedly in response to Okafor's threat of "
                     "tariffs.",), N,
     "the claim says 'Okafor withdrew the threat'; the passage does not say 'withdrew'"),
    ("act: the outcome stated", "After Norland closed the crossings in response to her tariff threat, Okafor "
     "renewed the threat.", ("After Norland closed the crossings in response to her tariff threat, Okafor renewed "
                             "the threat, aides said.",), S, ""),
    ("act: another verb in its slot", "Okafor pointed to the strong support she received from voters.",
     ("Okafor highlighted the strong support she received from voters.",), S, ""),
    # How an act was done, unless the adverb only frames or times it.
    ("manner: added", "The court unanimously rejected the appeal.", ("The court rejected the appeal.",), N,
     "the claim says 'unanimously rejected'; the passage does not say 'unanimously'"),
    ("manner: stated as a quality", "The judges unanimously rejected the appeal.",
     ("In a unanimous decision, the judges rejected the appeal.",), S, ""),
    ("manner: a frame adverb", "The court recently rejected the appeal.", ("The court rejected the appeal.",), S, ""),
    # "every" / "all" where the passage quantifies nothing.
    ("universal: added", "The mayor promised to review every project proposed by the harbor board.",
     ("The mayor promised to review projects proposed by the harbor board.",), N,
     "the claim says 'every project'; the passage does not say every"),
    ("universal: every ~ all", "The mayor promised to review all projects proposed by the harbor board.",
     ("The mayor promised to review every project proposed by the harbor board.",), S, ""),
    ("universal: every one of", "Every one of the mayor's supporters views the bridge as a necessary step.",
     ("Supporters of the mayor view the bridge as a necessary step.",), N,
     "the claim says 'Every one of the mayor 's supporters'; the passage does not say every"),
    ("universal: every one of ~ all of", "Every one of the mayor's supporters views the bridge as a necessary "
     "step.", ("All of the mayor's supporters view the bridge as a necessary step.",), S, ""),
    ("universal: all of, second of a pair", "The talks between the governor and all of the valley's mayors mark "
     "a new start.", ("The talks between the governor and the mayors of the valley mark a new start.",), N,
     "the passage does not say all"),
    ("universal: each of", "Each of the mayor's supporters views the bridge as a necessary step.",
     ("Supporters of the mayor view the bridge as a necessary step.",), N, "the passage does not say each"),
    ("universal: each distributes", "The council studied each district's needs and budget.",
     ("The council studied the needs and budget of the districts.",), S, ""),
    ("universal: always vs often", "The council always approves the budget in March.",
     ("The council often approves the budget in March.",), N,
     "the claim says 'always approves'; the passage does not say always"),
    ("universal: always ~ invariably", "The council always approves the budget in March.",
     ("The council invariably approves the budget in March.",), S, ""),
    # A firmer commitment than the passage's: agreed > prepared, will > may, secured > the prospect of.
    ("modality: agreed vs prepared", "Norland has agreed to open its ports to Vesta's ships.", (PORTS_READY,), N,
     "the passage only says 'prepared … open'"),
    ("modality: ready ~ prepared", "Norland is ready to open its ports to Vesta's ships.", (PORTS_READY,), S, ""),
    ("modality: will vs may", "Vesta will close the border crossing at Dunmore.", (CROSSING,), N,
     "the claim states 'close' as a fact; the passage only says 'may … close'"),
    ("modality: could ~ may", "Vesta could close the border crossing at Dunmore.", (CROSSING,), S, ""),
    ("modality: secured vs the prospect of", "Norland has secured grain aid from Vesta.",
     ("The prospect of grain aid from Vesta gives Norland a strong hand.",), N, "'prospect … grain'"),
    ("modality: an open question ~ an ability", "The success of the merger hinges on whether both mayors listen "
     "to their voters.", ("Ultimately, the success of the merger hinges on the ability of both mayors to listen to "
                          "their voters.",), S, ""),
    ("reason: a bare infinitive of purpose", "To keep a campaign promise, the mayor has vowed to rebuild the old "
     "bridge.", ("The mayor vowed to rebuild the old bridge.",), N, "the claim gives a reason ('to keep a campaign"),
    ("reason: a bare infinitive of purpose the passage states", "To keep a campaign promise, the mayor has vowed to "
     "rebuild the old bridge.", ("To keep a campaign promise, the mayor vowed to rebuild the old bridge.",), S, ""),
    ("modality: a condition ~ an ability", "The merger will succeed if both mayors listen to their voters.",
     ("Ultimately, the success of the merger hinges on the ability of both mayors to listen to their voters.",),
     S, ""),
    ("modality: a condition is no fact", "Both mayors listen to their voters.",
     ("The merger will succeed if both mayors listen to their voters.",), N, "the passage only says 'if … listen'"),
    ("modality: what a thing is key to doing is an aim", "Balancing the budget and the schools will be key to "
     "addressing the housing shortage.", ("Balancing the budget and the schools will be crucial for the council as "
                                          "it seeks to address the housing shortage.",), S, ""),
    ("modality: slated is expected", "Norland reinstated the old treaty with Vesta.",
     ("Norland is slated to reinstate the old treaty with Vesta.",), N, "the passage only says 'slated … reinstate'"),
    ("modality: an appetite is no fact", "Norland reinstated the old treaty with Vesta.",
     ("Norland has shown an appetite for reinstating the old treaty with Vesta.",), N,
     "the passage only says 'appetite … reinstating'"),
    ("modality: an ability is no fact", "Both mayors listen to their voters.", (
        "Ultimately, the success of the merger hinges on the ability of both mayors to listen to their voters.",), N,
     "the claim states 'listen' as a fact"),
    ("modality: a commitment to ~ a commitment to", "The mayors reaffirmed their commitment to jointly rebuild "
     "the old bridge.", (COMMITTED,), S, ""),
    ("modality: a commitment is no fact", "The mayors jointly rebuilt the old bridge.", (COMMITTED,), N,
     "the passage only says 'commitment … rebuild'"),
    ("modality: a vow is no fact", "The mayor rebuilt the old bridge.", ("The mayor vowed to rebuild the old bridge.",),
     N, "the passage only says 'vowed … rebuild'"),
    ("modality: a promise ~ a vow", "The mayor promised to rebuild the old bridge.",
     ("The mayor vowed to rebuild the old bridge.",), S, ""),
    ("modality: inside the same frame, will vs could", "Analysts argue that such deals will foster a culture of "
     "secrecy in the council.", (CULTURE,), N, "the passage only says 'could … foster'"),
    ("modality: inside the same frame, might ~ could", "Analysts argue that such deals might foster a culture of "
     "secrecy in the council.", (CULTURE,), S, ""),
    ("modality: inside the same frame, will ~ can", "The council believes that hiring more staff will let it "
     "cut waiting times.", ("The council believes that by hiring more staff it can cut waiting times.",), S, ""),
    ("modality: a hedged subject is no hedge", "Winning support from farmers will be essential for the reform.",
     ("Efforts to win support from farmers will be essential for the reform.",), S, ""),
    # A reason the passage does not give.
    ("reason: added", "The mayor postponed the vote on the harbor plan because her aides feared a defeat.",
     (POSTPONED,), N, "the claim gives a reason ('because her aides feared a defeat'); the passage does not state it"),
    ("reason: stated in other words", "The mayor postponed the vote on the harbor plan because of her fear of a "
     "defeat.", ("Fearing a defeat, the mayor postponed the vote on the harbor plan.",), S, ""),
    # A clause none of whose words the passage states, unless a verb of the passage fills its slot.
    ("clause: added", "Lind congratulated Okafor on her narrow win, which surprised the pollsters.",
     ("Lind congratulated Okafor on her narrow win in the run-off.",), N,
     "the claim adds 'which surprised the pollsters'"),
    ("clause: its verb in other words", "Lind congratulated Okafor on the narrow win she earned in the run-off.",
     (RUN_OFF,), S, ""),
    # Another object of the same verb.
    ("object: another one", "The governor's approval rating rose thanks to her push to improve roads.", (SCHOOLS,),
     N, "the claim says 'improve … roads'; the passage says 'improve … schools'"),
    ("object: the same one, more words", "The governor's approval rating rose thanks to her push to improve the "
     "quality of schools.", (SCHOOLS,), S, ""),
    # A verb said of one group that the passage says of another, which it has doing something else.
    ("bearer: another group", "Farmers condemn the new tariff as a tax on shoppers.", (TARIFF,), R,
     "the claim says 'Farmers' condemn; the passage says 'importers' condemn"),
    ("bearer: the same group", "Importers condemn the new tariff as a tax on shoppers.", (TARIFF,), S, ""),
    # Near-synonyms of opposite sense.
    ("antonym: reluctance vs readiness", "The mayor confirmed the city's reluctance to share its data with the "
     "region.", (READINESS,), R, "the claim says 'reluctance'; the passage says 'readiness'"),
    ("antonym: willingness ~ readiness", "The mayor confirmed the city's willingness to share its data with the "
     "region.", (READINESS,), S, ""),
    ("antonym: escaped vs faced", "The mayor's office has escaped criticism for the port closures.",
     ("The mayor's office is popular, yet it has faced criticism for the port closures.",), R,
     "the claim says 'escaped'; the passage says 'faced'"),
    ("antonym: faced ~ faced", "The mayor's office has faced criticism for the port closures.",
     ("The mayor's office is popular, yet it has faced criticism for the port closures.",), S, ""),
    ("antonym: dismissed vs acknowledged", "The mayor dismissed the challenges at the port.",
     ("In response, the mayor acknowledged the challenges at the port.",), R,
     "the claim says 'dismissed'; the passage says 'acknowledged'"),
    ("antonym: simplistic vs nuanced", "The mayor offered a simplistic view of the city's approach to parking.",
     ("The mayor offered a nuanced view of the city's approach to parking.",), R,
     "the claim says 'simplistic'; the passage says 'nuanced'"),
    ("antonym: routine vs pivotal", "The paper reported on a routine vote in the council.",
     ("The paper reported on a pivotal vote in the council.",), R,
     "the claim says 'routine'; the passage says 'pivotal'"),
    ("antonym: relaxed vs stricter", "The council is weighing a shift towards more relaxed parking enforcement.",
     ("The council is weighing a shift towards stricter parking enforcement.",), R,
     "the claim says 'relaxed'; the passage says 'stricter'"),
    # Opposites as words, not through their synonyms: "stepping up a crackdown" (a synonym of
    # "expand") is no opposite of "restricting parking"; "expand access" is of "restrict access".
    ("antonym: stepping up is not restricting", "With the council stepping up its parking crackdown, shop "
     "owners' interests will face scrutiny.", ("As the council sharpens its focus on restricting parking in the "
                                               "old town, shop owners' interests will be under scrutiny.",), N, ""),
    ("antonym: expand vs restrict", "The council will expand access to the archive.",
     ("The council will restrict access to the archive.",), R, "the claim says 'expand'; the passage says 'restrict'"),
    # Opposite verbs said of two different groups are two stances, not a contradiction.
    ("antonym: another group's stance", "Supporters praised the partnership with Lind.", (STANCES,), N, ""),
    ("antonym: an unnamed group's stance", "Farmers praised the partnership with Lind.", (STANCES,), N, ""),
    ("antonym: the same group's stance", "Detractors praised the partnership with Lind.", (STANCES,), R,
     "the claim says 'praised'; the passage says 'criticize'"),
    # A negative prefix flips a word across word classes: "unpopular" (adjective) / "popularity" (noun).
    ("antonym: unpopular vs popularity", "The mayor's housing plan made her government unpopular.",
     (POPULARITY,), R, "the claim says 'unpopular'; the passage says 'popularity'"),
    ("antonym: popular ~ popularity", "The mayor's housing plan made her government popular.",
     (POPULARITY,), S, ""),
    ("antonym: unstable vs stability", "Okafor says the new port left the region unstable.",
     ("Okafor says the new port has brought stability to the region.",), R,
     "the claim says 'unstable'; the passage says 'stability'"),
    # Two rows of a table are two records, never one statement.
    ("table: cells of two rows", "In the table, lower fees come with shorter commutes.", FEES_TABLE, N,
     "the claim pairs 'Lower fees' with 'Shorter commutes'; the table has them in different rows"),
    ("table: one column of two rows", "Lower fees and a new bridge are both in the table.", FEES_TABLE, S, ""),
]

# (rule, claim, evidence sentences, label)
CONGRATULATED = ("Trump arrived in Norland on Monday.",
                 "The call between Trump and Governor Okafor involved Okafor congratulating Trump on his win.")
TALKS = ("The conversation between Lind and Governor Okafor covered trade and fishing rights.",
         "Separately, Lind spoke with Moreau, who offered to help.")

RULES = [
    # "has" (have) is no form of "haven": the negated "haven" is the only counterpart.
    ("negation: a denied role inside 'made it clear that'", "Norland will serve as a safe haven for migrants.",
     ("Norland has made it clear that it will not serve as a safe haven for migrants.",), R),
    # "take in" is a verb of its own (not the stop word "take"): unstated, it is no support.
    ("phrasal verb: take in is content", "Norland will take in deported migrants of other nationalities.",
     ("The ministry is prepared to work with local authorities to address potential mass deportations.",
      "However, Norland has made it clear that it will not serve as a safe haven for migrants of other "
      "nationalities."), N),
    ("phrasal verb: take in ~ accept", "Norland will take in migrants from Vesta.",
     ("Norland will accept migrants from Vesta.",), S),
    # An infinitive's bearer is its verb's subject, and two people named in each other's places
    # swap roles ("Bukele looks to exploit ... Trump's influence" / "Trump seeks to exploit ...
    # Bukele's influence").
    ("bearer: swapped through an infinitive", "Okafor is looking to exploit the port of Dunmore and to leverage "
     "Lind's growing influence among the northern towns.", (EXPLOIT,), R),
    ("bearer: the same bearers through an infinitive", "Lind seeks to exploit the port of Dunmore and to leverage "
     "Okafor's growing influence among the northern towns.", (EXPLOIT,), S),
    ("bearer: a mutual verb swaps nobody", "Okafor met Lind in Dunmore to discuss the port.",
     ("Lind met Okafor in Dunmore to discuss the port.",), S),
    # An ordinal on a superlative is a rank: "second-largest" is not "largest".
    ("rank: other ordinal", "Governor Alvarez called the flood the third-largest disaster in Ohio's history.",
     (RANK,), R),
    ("rank: plain superlative vs second", RANK, (RANK_2,), R),
    ("rank: same", RANK, (RANK,), S),
    ("rank: 'one of the largest' states no rank", "Governor Alvarez called the flood one of the largest "
     "disasters in Ohio's history.", (RANK_2,), S),
    ("rank: unstated detail", "Governor Alvarez called the flood the largest disaster in Ohio's history in 2019.",
     (RANK,), N),
    # "no X" vs "some X" with the same verb.
    ("quantifier: no vs some", "No airline has resumed flights to the island, even briefly.", (AIRLINES,), R),
    ("quantifier: some vs some", "Some airlines have briefly resumed flights to the island.", (AIRLINES,), S),
    ("quantifier: another act", "No airline has cancelled its contracts with the island's hotels.", (AIRLINES,), N),
    # Other examples in the same slot.
    ("members: other examples", "The offenders the mayor singled out for tougher penalties were arsonists and "
     "smugglers.", (PENALTIES,), R),
    ("members: same examples", "The mayor promised tougher penalties for offenders such as vandals and burglars.",
     (PENALTIES,), S),
    ("members: unstated detail", "The mayor promised tougher penalties for offenders like vandals and burglars "
     "in 2021.", (PENALTIES,), N),
    # "It was X who ...": X, not the other person the claim names, did it.
    ("cleft: other person", "At the hearing, it was Lind who stressed to Okafor the need for stricter safety "
     "rules.", (HEARING,), R),
    ("cleft: same person", "At the hearing, it was Okafor who stressed the need for stricter safety rules.",
     (HEARING,), S),
    ("cleft: unstated detail", "At the hearing, it was Okafor who stressed the need for stricter safety rules "
     "in 2020.", (HEARING,), N),
    ("cleft with 'that': other place", "A week after the talks, it was Vesta that closed two border crossings "
     "near the coast.", ("A week after the talks, Norland closed two border crossings near the coast.",), R),
    ("cleft with 'that': same place", "A week after the talks, it was Norland that closed two border crossings "
     "near the coast.", ("A week after the talks, Norland closed two border crossings near the coast.",), S),
    # "The article says ..." / "According to the report, ...": the frame names the text, not what it states.
    ("frame: the article says, denied", "The harbor article says the council raised no objections to the new "
     "bridge.", ("The council raised objections to the new bridge.",), R),
    ("frame: the article says, stated", "The harbor article says the council raised objections to the new bridge.",
     ("The council raised objections to the new bridge.",), S),
    ("frame: the article says, unstated", "The harbor article says the council approved a new tunnel under the "
     "river.", ("The council raised objections to the new bridge.",), N),
    ("frame: according to the report, stated", "According to the flood report, the levees failed in three "
     "places.", ("The levees failed in three places.",), S),
    ("frame: according to the report, another number", "According to the flood report, the levees failed in two "
     "places.", ("The levees failed in three places.",), R),
    ("frame: set off inside the sentence", "On the whole, the harbor article says, the council raised objections "
     "to the new bridge.", ("The council raised objections to the new bridge.",), S),
    ("frame: set off inside the sentence, unstated", "On the whole, the harbor article says, the council approved a "
     "new tunnel under the river.", ("The council raised objections to the new bridge.",), N),
    ("frame: a person saying is no frame", "The mayor says the council raised objections to the new bridge.",
     ("The council raised objections to the new bridge.",), N),
    # A language belongs to its act: writing in French says nothing of what was spoken.
    ("language: same act, other language", "Moreau wrote in German that the talks with Lind had been "
     "productive.", (FRENCH,), R),
    ("language: same act, same language", "Moreau wrote in French that the talks with Lind had been productive.",
     (FRENCH,), S),
    ("language: another act", "Moreau and Lind spoke in English during their meeting.", (FRENCH,), N),
    # Phrasal verbs are words of their own: "step up" ~ "intensify", "work with" ~ "collaborate".
    ("phrasal: step up ~ intensify, work with ~ collaborate", "Norland may step up its port inspections and "
     "work more closely with Vesta's customs agency.", (PORTS,), S),
    ("phrasal: cut vs step up", "Norland may cut its port inspections.",
     ("Norland may step up its port inspections.",), R),
    ("phrasal: plus a new detail", "Norland may step up its port inspections and work more closely with "
     "Vesta's customs agency in 2031.", (PORTS,), N),
    # A comparative of more is stated by a verb of increase on the same noun, not one of decrease.
    ("comparative: closer ~ enhance", "Moreau stressed the need for closer regional cooperation.",
     ("Moreau stressed the need to enhance regional cooperation.",), S),
    ("comparative: closer vs weaken", "Moreau stressed the need for closer regional cooperation.",
     ("Moreau stressed the need to weaken regional cooperation.",), N),
    ("comparative: another noun", "Moreau stressed the need for closer regional cooperation.",
     ("Moreau stressed the need to enhance regional security and cooperation talks.",), N),
    # A platform belongs to one act by one actor: Lind's post on X says nothing of where Moreau
    # announced the levy.
    ("platform: same act, other platform", "Moreau announced the grain levy against Norland in a post on "
     "Truth Social.", ("Moreau announced the grain levy against Norland in a post on X.",), R),
    ("platform: same act, same platform", "Moreau announced the grain levy against Norland in a post on X.",
     ("Moreau announced the grain levy against Norland in a post on X.",), S),
    ("platform: another act by another actor", "Moreau made his grain levy threat against Norland in a post "
     "on Truth Social.", ("Moreau threatened Norland with a grain levy. In a post on X, Lind stressed "
                         "Norland's commitment to open trade.",), N),
    # "the very first day" is "the first day"; "among the first" is no "very first".
    ("very first: plain first", "Minister Okafor promised to act on her very first day in office.", (FIRST_DAY,), S),
    ("very first: among the first", "Okafor was the very first leader to call Lind.", (AMONG_FIRST,), N),
    # Unspecified counts of different units: days are not months.
    ("duration: days vs months", "Several months later, the council approved the budget.", (DAYS,), R),
    ("duration: a few days vs days", "A few days later, the council approved the budget.", (DAYS,), S),
    ("duration: unstated year", "The council approved the budget in 2019.", (DAYS,), N),
    # "The same day" / "the next day" place an event relative to another: a detail to state.
    ("relative day: unstated", "The same day, Moreau posted on X that the talks had been productive.",
     (HOURS_AFTER,), N),
    ("relative day: same", "The same day, Moreau posted on X that the talks had been productive.",
     (SAME_DAY,), S),
    ("relative day: next vs same", "The next day, Moreau posted on X that the talks had been productive.",
     (SAME_DAY,), R),
    ("relative day: none claimed", "Moreau posted on X that the talks had been productive.", (SAME_DAY,), S),
    # What a claim denies must be stated; names alone support nothing.
    ("denial: another denied act", "Okafor refused to take Lind's call.", (AVOIDED,), N),
    ("denial: the same denial", "Okafor refused to discuss the details of the budget with Lind.", (AVOIDED,), S),
    # Phrasal and other negative implicatives act like "refused": what they turn down did not happen.
    ("denial: turned down vs accepted", "Norland accepted Vesta's offer of a trade deal.",
     ("Norland turned down Vesta's offer of a trade deal.",), R),
    ("denial: turned down ~ rejected", "Norland turned down Vesta's offer of a trade deal.",
     ("Norland rejected Vesta's offer of a trade deal.",), S),
    ("denial: brushed off vs accepted", "Norland accepted the invitation to the summit.",
     ("Norland brushed off the invitation to the summit.",), R),
    ("denial: snubbed vs signed", "Norland signed the trade deal with Vesta.",
     ("Norland snubbed the trade deal with Vesta.",), R),
    ("denial: a rebuffed invitation vs the act", "Norland joined the talks on the fishing quota.",
     ("Norland rebuffed an invitation to join the talks on the fishing quota.",), R),
    ("denial: a rebuffed invitation ~ refused to", "Norland refused to join the talks on the fishing quota.",
     ("Norland rebuffed an invitation to join the talks on the fishing quota.",), S),
    # General opposites, matched on the word form too ("waning" whatever its lemma).
    ("antonym: cautious vs aggressive", "The party owes its popularity to a cautious approach to crime.",
     ("The party has enjoyed popularity due to its aggressive approach to crime.",), R),
    ("antonym: outdated vs innovative", "The council has been drawing attention with its outdated policies.",
     ("The council has been drawing attention with its innovative policies.",), R),
    ("antonym: waning vs growing", "Analysts describe the party's waning influence among young voters.",
     (GROWING,), R),
    ("antonym: rising ~ growing", "Analysts describe the party's rising influence among young voters.",
     (GROWING,), S),
    ("antonym: older vs young", "Analysts describe the party's growing influence among older voters.",
     (GROWING,), R),
    ("antonym: unstated quality", "Analysts describe the party's growing influence among rural voters.",
     (GROWING,), N),
    # Opposites of common news verbs and nouns, each with its synonym twin.
    ("antonym: downplays vs underscores", "The flood downplays the importance of better levees.",
     ("The flood underscores the importance of better levees.",), R),
    ("antonym: highlights ~ underscores", "The flood highlights the importance of better levees.",
     ("The flood underscores the importance of better levees.",), S),
    ("antonym: eased vs exacerbated", "The shortage was often eased by the strike at the port.",
     ("The shortage was often exacerbated by the strike at the port.",), R),
    ("antonym: worsened ~ exacerbated", "The shortage was often worsened by the strike at the port.",
     ("The shortage was often exacerbated by the strike at the port.",), S),
    ("antonym: mitigate ~ ease", "The new ferry should help mitigate congestion on the bridge.",
     ("The new ferry should help ease congestion on the bridge.",), S),
    ("antonym: end vs commencement", "The treaty marks the end of regular talks between the two ports.",
     ("The treaty marks the commencement of regular talks between the two ports.",), R),
    ("antonym: start ~ commencement", "The treaty marks the start of regular talks between the two ports.",
     ("The treaty marks the commencement of regular talks between the two ports.",), S),
    ("antonym: hampered vs boosted", "The new rules hampered exports of grain.",
     ("The new rules boosted exports of grain.",), R),
    ("antonym: impeded ~ hampered", "The new rules impeded exports of grain.",
     ("The new rules hampered exports of grain.",), S),
    # "continue" is the opposite of "stop", not of "block" ("keeps blocking" / "continue to hinder").
    ("antonym: stop vs continue", "The strike at the port will stop next week.",
     ("The strike at the port will continue next week.",), R),
    ("antonym: block is no opposite of continue", "The old dispute keeps blocking progress on the bridge.",
     ("The old dispute will continue to hinder progress on the bridge.",), N),
    ("antonym: minor vs primary", "Analysts call the drought a minor driver of food prices.",
     ("Analysts call the drought a primary driver of food prices.",), R),
    ("antonym: major as stated", "Analysts call the drought a major driver of food prices.",
     ("Analysts call the drought a major driver of food prices, as before.",), S),
    ("antonym: positive vs mixed", "The new tax has drawn uniformly positive reactions from shop owners.",
     ("The new tax has drawn mixed reactions from shop owners.",), R),
    ("antonym: mixed as stated", "The new tax has drawn mixed reactions from shop owners.",
     ("The new tax has drawn mixed reactions from shop owners, the survey found.",), S),
    ("antonym: gentle vs fierce", "Farmers expect the ministry to take a gentle approach to water quotas.",
     ("Farmers are bracing for the fierce approach the ministry is expected to take to water quotas.",), R),
    ("synonym: bracing ~ preparing", "Coastal towns are preparing for a long and costly flood season.",
     ("Coastal towns are bracing for a long and costly flood season.",), S),
    # "based on" is "depends on": denying it refutes.
    ("negation: does not depend vs based on", "Support for the levy does not depend on income.",
     ("In the city, support for the levy varies based on income.",), R),
    ("negation: depends ~ based on", "Support for the levy depends on income.",
     ("In the city, support for the levy varies based on income.",), S),
    # An opposite the claim states in other words is no conflict: "restricting" is the claim's
    # "limit", not the opposite of "steps up".
    ("antonym: opposite already the claim's word", "Okafor intensified her efforts to limit imports of steel.",
     ("Okafor redoubled her efforts to restrict imports of steel.",), S),
    ("antonym: opposite of no other claim word", "Okafor intensified her efforts to limit imports of steel.",
     ("Okafor curtailed her efforts to limit imports of steel.",), R),
    # People are no quality: "officials" (a noun) is not the opposite of "informal".
    ("antonym: a noun is no opposite of an adjective", "Okafor met officials of the port through informal "
     "channels.", ("Okafor met port staff through informal channels.",), N),
    ("antonym: official vs informal", "Okafor met port staff through official channels.",
     ("Okafor met port staff through informal channels.",), R),
    # Pulling away vs taking part in the same slot: opposite actions.
    ("direction: stay out vs collaborate", "The mayor said the city would stay out of projects led by the "
     "regional council.", (JOIN,), R),
    ("direction: join ~ collaborate", "The mayor said the city would collaborate on projects led by the "
     "regional council.", (JOIN,), S),
    ("direction: scale back vs intensify", "Analysts expect that Norland may scale back its customs "
     "inspections at the port.", (STEP_UP,), R),
    ("direction: intensify vs scale back", "Analysts expect that Norland may intensify its customs "
     "inspections at the port.", ("Analysts expect that Norland may scale back its customs inspections at "
                                  "the port.",), R),
    ("direction: another slot", "Analysts expect that Norland may scale back its fishing quotas in 2025.",
     (STEP_UP,), N),
    # Two bearers given each other's predicates, in one sentence or two.
    ("swap: bearers exchanged", SWAP, SWAP_2, R),
    ("swap: bearers kept", "Under the deal, Vesta stands to gain new markets for its grain, while Norland "
     "may benefit from cheaper fuel.", SWAP_2, S),
    # Two common nouns in each other's places refute; around a mutual verb they do not.
    ("argument swap: nouns exchanged", "Analysts say powerful nations are often favored for their ability to "
     "meet the interests of their allies.", ("Analysts say allies are often favored for their ability to meet "
                                             "the interests of powerful nations.",), R),
    ("argument swap: nouns kept", "Analysts say allies are often favored for their ability to meet the "
     "interests of powerful nations.", ("Analysts say allies are often favored for their ability to meet the "
                                        "interests of powerful nations, as before.",), S),
    ("argument swap: subject and object", "The farmers blamed the traders for the losses.",
     ("The traders blamed the farmers for the losses.",), R),
    ("argument swap: a mutual verb", "The farmers met the traders in March.",
     ("The traders met the farmers in March.",), S),
    ("argument swap: possessors exchanged", "The farmers' union criticized the traders' prices.",
     ("The traders' union criticized the farmers' prices.",), R),
    # A possessor swap in one sentence is not undone by a neighbouring sentence naming one of them again.
    ("possessor swap over a pair", "It was Lind's cabinet that faced sudden pressure from Okafor's harsh "
     "stance.", PRESSURE, R),
    ("possessor kept over a pair", "Okafor's cabinet faced sudden pressure from Lind's harsh stance.",
     PRESSURE, S),
    # "Go after" someone pursues them: no time link to state.
    ("time link: go after is no time", "As the mayor goes after the smugglers, the council has asked the region "
     "for money.", ("As the mayor goes at the smugglers, the council has asked the region for money.",), S),
    ("time link: after an event", "After the mayor met the smugglers, the council asked the region for money.",
     ("As the mayor met the smugglers, the council asked the region for money.",), N),
    # "For years" may be decades: it leaves "two decades" unstated, but not "two weeks".
    ("vague years: decades may be years", "For two decades, the valley has struggled with drought.",
     ("For years, the valley has struggled with drought.",), N),
    ("vague years: weeks are not years", "For two weeks, the valley has struggled with drought.",
     ("For years, the valley has struggled with drought.",), R),
    # "The Okafor years" name an era, not a length of time.
    ("era: the X years is no length", "In the Okafor years, the council approved the budget.", (DAYS,), N),
    # A list set apart from the rest of a group ("besides ...") does not count the group.
    ("set apart: besides a list", "Besides the mayors of Mexico and Chile, Okafor also met the mayor of Peru at "
     "the summit.", ("At the summit, Okafor met the mayors of Mexico, Chile, and Peru.",), S),
    ("set apart: the list itself", "At the summit, Okafor met the mayors of Mexico and Chile.",
     ("At the summit, Okafor met the mayors of Mexico, Chile, and Peru.",), R),
    # "The day after" is "the next day": a relative time the passage must state.
    ("relative day: the day after, unstated", "The council approved the budget the day after the vote.",
     ("The council approved the budget after the vote, Okafor said.",), N),
    ("relative day: the day after ~ the next day", "The council approved the budget the next day after the "
     "vote.", (DAY_AFTER,), S),
    ("relative day: the day after vs the same day", "The council approved the budget the day after the vote.",
     ("The council approved the budget the same day as the vote.",), R),
    # "The week before the vote" and "a week after the vote" put it on either side of the same event.
    ("relative week vs a week after: the other side", "The council approved the budget in the week before the "
     "vote.", ("A week after the vote, the council approved the budget.",), R),
    ("relative week vs a week after: the same side", "The council approved the budget in the week after the "
     "vote.", ("A week after the vote, the council approved the budget.",), S),
    ("relative week vs a week after: another event", "The council approved the budget in the week before the "
     "storm.", ("A week after the vote, the council approved the budget.",), N),
    # Two relative times for the same event, in different units, conflict ("months after" / "days after").
    ("relative duration: months after vs days after", "Only several months after the vote did Okafor present "
     "the new budget to the council.", ("Days after the vote, Okafor presented the new budget to the council.",), R),
    ("relative duration: a few days after ~ days after", "A few days after the vote, Okafor presented the new "
     "budget to the council.", ("Days after the vote, Okafor presented the new budget to the council.",), S),
    ("relative duration: unstated year", "Okafor presented the new budget to the council in 2019.",
     ("Days after the vote, Okafor presented the new budget to the council.",), N),
    # As long, but on the other side of the event: "days before" vs "days later".
    ("relative duration: days before vs days later", "Days before the vote, the council approved the budget.",
     (DAYS,), R),
    ("relative duration: days after ~ days later", "Days after the vote, the council approved the budget.",
     ("The council held a vote on Monday.", DAYS), S),
    # An event placed before another that the passage places after it.
    ("event relation: before vs following", "In the weeks before the election, Okafor held talks with the "
     "leaders of Norland and Vesta.", ("Following her electoral victory, Okafor held talks with the leaders of "
                                       "Norland and Vesta.",), R),
    ("event relation: after ~ following", "After her electoral victory, Okafor held talks with the leaders of "
     "Norland and Vesta.", ("Following her electoral victory, Okafor held talks with the leaders of Norland "
                            "and Vesta.",), S),
    ("event relation: ahead of vs after", "Ahead of the summit, Okafor held talks with Lind.",
     ("After the summit, Okafor held talks with Lind.",), R),
    ("event relation: both ways stated", "Before the summit, Okafor held talks with Lind.",
     ("Before the summit, Okafor held talks with Lind, and after the summit she flew home.",), S),
    ("event relation: another event", "Before the summit, Okafor held talks with Lind.",
     ("After the vote, Okafor held talks with Lind.",), N),
    # The medium of an exchange is a detail.
    ("medium: video call unstated", "Okafor and Lind held a long conversation about the budget over a video call.",
     (CALL,), N),
    ("medium: stated", "Okafor and Lind held a long video call about the budget.",
     ("Okafor and Lind held a long video call about the budget, aides said.",), S),
    # A quotation split over two sentences is still a quotation.
    ("quote: changed word", 'The mayor said: "If problems appear, we will ignore them."', SPLIT_QUOTE, R),
    ("quote: same words", 'The mayor said: "If problems appear, we will solve them."', SPLIT_QUOTE, S),
    ("quote: another quotation", 'The mayor said: "We will build a new bridge next spring."', SPLIT_QUOTE, N),
    # Two quoted words are checked word for word too.
    ("quote: two words changed", 'Okafor called her talks with Lind "very productive."', (TWO_WORDS,), R),
    ("quote: two words the same", 'Okafor called her talks with Lind "very cordial."', (TWO_WORDS,), S),
    # A word of one name is no part of another that shares it ("United States" / "United Nations").
    ("name: a shared word of another name", "Diplomats from the United Nations are watching the harbor talks "
     "closely.", ("Diplomats from the United States are watching the harbor talks closely.",), N),
    ("name: a surname names its bearer", "Nadia Okafor is watching the harbor talks closely.",
     ("Okafor is watching the harbor talks closely.",), S),
    # A near-paraphrase that adds one detail says more than the passage (see ADDED below).
    *[(what, claim, sentences, label) for what, claim, sentences, label, _ in ADDED],
    # A sentence-initial name the tagger reads as a word ("Trump" the verb) keeps its role.
    ("misread name: roles swapped", "Trump congratulated Okafor.", CONGRATULATED, R),
    ("misread name: roles kept", "Okafor congratulated Trump.", CONGRATULATED, S),
    # Another party to a conversation is no contradiction when the article reports this one too.
    ("other party: also reported", "Lind talked to Moreau.", TALKS, S),
    ("mutual act: parties either way", "Moreau spoke with Lind.", TALKS, S),
    ("mutual act: one-way act swapped", "Moreau thanked Lind.", ("Lind thanked Moreau for the offer.",), R),
    ("other party: not reported", "Lind spoke with Moreau.", TALKS[:1], N),
    # "No longer" denies that a state still holds.
    ("no longer: denied stance", "Openness to trade is no longer Norland's position.",
     ("Okafor restated Norland's position on openness to trade.",), R),
    ("no longer: denied act", "Vesta no longer buys grain from Norland.",
     ("Vesta buys grain from Norland, officials said.",), R),
    ("no longer: stated", "Vesta no longer buys grain from Norland.",
     ("Vesta no longer buys grain from Norland, officials said.",), S),
    ("no longer: other act", "Vesta no longer sells fuel to Norland.",
     ("Vesta buys grain from Norland, officials said.",), N),
    # A phrase the parser hangs off the noun in one text and off its verb in the other.
    ("entity: attached to verb or noun", "The ministry organised repatriation flights to Oslo.",
     (PROGRESS,), R),
    ("entity: attached to verb or noun, same place", "The ministry organised repatriation flights to Lisbon.",
     (PROGRESS,), S),
    # A topic of discussion is no fact, in the claim as in the passage.
    ("modality: topic of discussion", "At the summit, the two mayors talked about reopening the old bridge to "
     "traffic.", (BRIDGE,), S),
    ("modality: the topic as a fact", "At the summit, the two mayors reopened the old bridge to traffic.",
     (BRIDGE,), N),
    # A hyphenated pair with one part swapped is another pair, in the very same slot.
    ("entity: hyphenated pair swapped", "In the call the Courier wrote about, Okafor zeroed in on the urgent "
     "problems along the U.S.-Vesta border.", (CALL_BORDER,), R),
    # The same pair in other words is no swap ("urgent problems" for "pressing issues").
    ("entity: hyphenated pair reworded", "In the call the Courier wrote about, Okafor zeroed in on the urgent "
     "problems along the U.S.-Norland border.", (CALL_BORDER,), S),
    ("entity: hyphenated pair stated", "During the call, Okafor emphasized the pressing issues at the "
     "U.S.-Norland border.", (CALL_BORDER,), S),
    ("entity: part of a hyphenated pair is not the pair", "During the call, Okafor emphasized the pressing "
     "issues at the Norland-Corvia border.", (CALL_BORDER.replace("U.S.-Norland", "Norland-Vesta"),), R),
    # Places named alike are different places.
    ("entity: sibling places", "Okafor wants to widen her influence among South American nations.",
     ("Okafor wants to widen her influence among Central American nations.",), R),
    ("entity: sibling places, same", "Okafor wants to widen her influence among Central American nations.",
     ("Okafor wants to widen her influence among Central American nations.",), S),
    # A negation in a sentence that shares nothing with the claim does not carry it.
    ("negation: borrowed from an unrelated sentence", "Okafor said he wants no one to settle in Norland.",
     ('"We have no choice," Okafor stated on Thursday.',
      "Okafor said he wants workers to settle in Norland legally."), N),
    # "he said" after a sentence naming one person: the quotation is that person's.
    ("quote: pronoun speaker is someone else", '"We will build the bridge over the river," Okafor said.',
     ("Okafor met the press on Monday.", "Lind promised new roads for the region.",
      '"We will build the bridge over the river," he said, pointing at the map.'), R),
    ("quote: pronoun speaker is the claimed one", '"We will build the bridge over the river," Lind said.',
     ("Okafor met the press on Monday.", "Lind promised new roads for the region.",
      '"We will build the bridge over the river," he said, pointing at the map.'), S),
    # "X and Y's President Z have forged": Z forged, not the place before him (a parse the
    # small model makes for these names).
    ("bearer: possessive place before a name", "Trump and Bukele formed a partnership.",
     ("In an unexpected twist in international relations, former U.S. President Donald Trump and El "
      "Salvador’s President Nayib Bukele have forged a partnership aimed at addressing two pressing issues.",), S),
    # Two sentences that each state one event say nothing of their order.
    ("time link: during, unstated", "Okafor threatened tariffs during her call with Lind.",
     ("Okafor spoke with Lind by phone on Monday.", "A week after their call, Okafor threatened tariffs on Vesta."), N),
    ("time link: during, stated", "Okafor threatened tariffs during her call with Lind.",
     ("During her call with Lind, Okafor threatened tariffs.",), S),
    ("time link: before, unstated", "Okafor posted the video before her meeting with Lind.",
     ("Okafor met Lind on Monday.", "Okafor posted the video on X."), N),
    ("time link: before, in other words", "Okafor posted the video before her meeting with Lind.",
     ("Ahead of her meeting with Lind, Okafor posted the video.",), S),
    ("time link: a period is no event", "Okafor was given the nickname \"iron lady\" during the Moreau "
     "administration.", ("Under Moreau, Minister Okafor, dubbed the \"iron lady,\" was widely praised.",), S),
    ("time link: after, in other words", "Okafor posted the video after her meeting with Lind.",
     ("Following her meeting with Lind, Okafor posted the video.",), S),
    # The medium a statement came through: a post on a platform is social media.
    ("medium: radio vs social media", "In a radio interview, Okafor said the talks had been productive.",
     ("On social media, Okafor said the talks had been productive.",), R),
    ("medium: press conference vs a post", "At a press conference, Okafor said the talks had been productive.",
     ("In a post on X, Okafor said the talks had been productive.",), R),
    ("medium: a post on X is social media", "On social media, Okafor said the talks had been productive.",
     ("In a post on X, Okafor said the talks had been productive.",), S),
    ("medium: same", "In a radio interview, Okafor said the talks had been productive.",
     ("In a radio interview, Okafor said the talks had been productive.",), S),
    # A surname the article gives in full elsewhere is named there ("Okafor" / "Ada Okafor").
    ("name: surname named in full elsewhere", "Okafor's strategy includes help from Vesta to protect the port.",
     ("Officials say Ada Okafor unveiled a new strategy for the region on Monday.", "The weather was cold.",
      "Additionally, help from Vesta to protect the port is included in the strategy."), S),
    # Who appeals to whom, when one side is named through the government acting for it.
    ("role: possessed government swapped", "Vesta has been appealing to Okafor's government for loans.",
     ("Okafor's administration has pursued reforms, appealing to Vesta for loans.",), R),
    ("role: possessed government kept", "Okafor's government has been appealing to Vesta for loans.",
     ("Okafor's administration has pursued reforms, appealing to Vesta for loans.",), S),
    ("role: cleft subject swapped", "It is Vesta that has been appealing to Okafor's government for loans.",
     ("Okafor's administration has pursued reforms, appealing to Vesta for loans.",), R),
    # A year after "after", "before" or "by" is a bound, not a date: any year inside it states it.
    ("year bound: after, inside", "The Kerr mill closed after 2015.", (MILL,), S),
    ("year bound: after, outside", "The Kerr mill closed after 2019.", (MILL,), R),
    ("year bound: before, inside", "The Kerr mill closed before 2020.", (MILL,), S),
    ("year bound: before, outside", "The Kerr mill closed before 2016.", (MILL,), R),
    ("year bound: by, the year itself", "The Kerr mill closed by 2018.", (MILL,), S),
    ("year bound: by, outside", "The Kerr mill closed by 2017.", (MILL,), R),
    ("year bound: through a dated event", "The Kerr mill closed after the 2020 flood.", (MILL,), R),
    # The event a bounding year dates is the bound's wording: a year outside the bound refutes
    # whatever it dates, but support needs the event stated too.
    # A name's verb the small model reads as a plural noun ("As Trump intensifies his crackdown")
    # is parsed again as a verb, so who does what is kept.
    ("misread verb: another doer", "Okafor is intensifying his crackdown on smuggling.", (INTENSIFIES,), R),
    ("misread verb: the opposite act", "Trump is easing his crackdown on smuggling.", (INTENSIFIES,), R),
    ("misread verb: roles kept", "Trump is intensifying his crackdown on smuggling.", (INTENSIFIES,), S),
    # More of a restriction is less of the thing: no plain opposite of "scaling back" it.
    ("direction: restriction on one side", "Trump is scaling back smuggling.", (RAMPS,), N),
    ("direction: restriction on both sides", "Trump is scaling back his crackdown on smuggling.", (INTENSIFIES,), R),
    # "Ease up on X" says how hard one acts on X, as a crackdown on X does: the two oppose.
    ("direction: severity on a target", "Trump is easing up on smuggling.", (INTENSIFIES,), R),
    # "Let up" is its own verb, not the light "let" (it was SUPPORTED on the names alone).
    ("direction: let up", "Trump is letting up on smuggling.", (INTENSIFIES,), R),
    ("direction: less of the thing itself", "Trump is scaling back smuggling.", (INTENSIFIES,), N),
    # Opposite verbs on different things are no contradiction.
    ("antonym: another object", "The crackdown has cut the number of smugglers.", (INTENSIFIES,), N),
    # An evidence verb the claim states as itself is no synonym of another claim word.
    ("antonym: verb taken by its twin", "As Trump ramps up his focus on expanding trade, Okafor waits.",
     ("As Trump ramps up his focus on restricting trade, Okafor waits.",), R),
    # "Open to" is a disposition, as "openness to" is; "opened" the border is an act.
    ("open to: the same disposition", "Mayor Lind said she is open to trade that is fair and lawful.",
     (OPENNESS,), S),
    ("opened: an act, not the disposition", "Mayor Lind has opened the port to fair trade.", (OPENNESS,), N),
    # Two reasons may both hold; two main ones may not.
    ("main reason: swapped", "Mayor Lind's approval remains high, mainly because of her push to improve the schools.",
     (MAIN_REASON,), R),
    ("main reason: the same", "Mayor Lind's approval remains high, mainly because of her push to improve the roads.",
     (MAIN_REASON,), S),
    ("main reason: a reason, not the main one",
     "Mayor Lind's approval remains high because of her push to improve the schools.", (MAIN_REASON,), N),
    # What a plan is made for has not happened: "plans are drawn up for the reopening".
    ("planned for: not yet done", "The Kerr bridge has reopened.",
     ("As plans are drawn up for the reopening of the Kerr bridge, engineers remain cautious.",), N),
    ("planned for: the plan stated", "Plans are being drawn up for the reopening of the Kerr bridge.",
     ("As plans are drawn up for the reopening of the Kerr bridge, engineers remain cautious.",), S),
    # A verb inside a quoted name ('stay in Norland') is no act: the claim's own verb must be stated.
    ("quoted name: the act unstated", "The 'remain in Canada' scheme was scrapped.",
     ("As plans are finalized for the return of schemes like “remain in Canada”, challenges remain in "
      "securing commitments from Vesta.",), N),
    ("quoted name: the act stated", "Plans are finalized for the return of the 'remain in Canada' scheme.",
     ("As plans are finalized for the return of schemes like “remain in Canada”, challenges remain in "
      "securing commitments from Vesta.",), S),
    ("praised for: done", "The Kerr bridge has reopened.",
     ("As crews were praised for the reopening of the Kerr bridge, engineers remained cautious.",), S),
    ("year bound: a named event, outside", "The Kerr mill closed after Mayor Lind's 2020 election victory.",
     (MILL,), R),
    ("year bound: a named event, inside but unstated",
     "The Kerr mill closed before Mayor Lind's 2020 election victory.", (MILL,), N),
    # "Only" makes a claim stronger: unstated, it blocks support, never a contradiction.
    ("year bound: only after, outside", "Okafor only came to power after 2024.", (ROSE,), R),
    ("year bound: came only after, outside", "Okafor came to power only after 2024.", (ROSE,), R),
    # "Simply", "merely", "purely" make a claim exclusive as "only" does.
    ("exclusive: merely unstated", "Okafor has cut spending merely on roads in Norland.", (ROSE,), N),
    ("exclusive: none", "Okafor has cut spending on roads in Norland.", (ROSE,), S),
    ("year bound: only, inside but unstated", "Okafor only came to power in 2019.", (ROSE,), N),
    ("year bound: no only, inside", "Okafor rose to power before 2020.", (ROSE,), S),
    # A coordinated clause mostly new (its verbs and two thirds of its words unstated) is added.
    ("clause: mostly new", "During the long budget meeting at the city hall, the mayor raised serious concerns "
     "about the annual budget of the port authority and demanded that auditors review the port payroll.",
     (HALL,), N),
    ("clause: stated in other words", "During the long budget meeting at the city hall, the mayor raised serious "
     "concerns about the annual budget of the port authority and highlighted the need for stronger safety rules "
     "at the docks.", (HALL,), S),
    # What a choice passes over ("X over Y") is what "X rather than Y" denies.
    ("choice: over ~ rather than", "The harbor council chose open trade over tariffs.", (CHOSE,), S),
    ("choice: rather than ~ over", "The harbor council chose open trade rather than tariffs.",
     ("The harbor council chose open trade over tariffs.",), S),
    ("choice: the other way round", "The harbor council chose tariffs over open trade.", (CHOSE,), R),
    # A hyphenated pair of places names each place ("U.S.-Canada trade" / "the U.S. and Canada").
    ("hyphenated places: the pair spelt out", "The treaty raises questions about its impact on trade between the "
     "U.S. and Canada.", ("The treaty raises questions about its impact on U.S.-Canada trade.",), S),
    ("hyphenated places: the pair joined", "The treaty raises questions about its impact on U.S.-Canada trade.",
     ("The treaty raises questions about its impact on trade between the United States and Canada.",), S),
    ("hyphenated places: another place", "The treaty raises questions about its impact on trade between the "
     "U.S. and Brazil.", ("The treaty raises questions about its impact on U.S.-Canada trade.",), N),
    # A list of people counts them: "Okafor and Lind" are two leaders. It contradicts no other
    # count: the leaders a claim counts need not be the people the sentence lists.
    ("people listed: as many", "With steady effort, the two leaders could pave the way for a new bridge.",
     (PAVE,), S),
    ("people listed: another count", "With steady effort, the three leaders could pave the way for a new "
     "bridge.", (PAVE,), N),
    # Standing up for a thing against standing against the same thing.
    ("stance: praised vs raised concerns", "At the hearing, the mayor praised the new harbor plan.", (CONCERNS,), R),
    ("stance: another thing", "At the hearing, the mayor praised the new bridge plan.", (CONCERNS,), N),
    ("stance: relax vs intensify", "Norland may relax its port inspections.", ("Norland may intensify its port "
                                                                              "inspections.",), R),
    ("opposites: minor vs pivotal", "The agency reported on a minor meeting between the two mayors.",
     ("The agency reported on a pivotal meeting between the two mayors.",), R),
    ("opposites: formally vs informal", "The council has formally engaged with the unions.",
     ("The council has engaged with the unions through informal channels.",), R),
    # "According to" people names a source to be stated; "according to" a text is a frame.
    ("source: added", "The merger raises questions about its effect on local jobs, according to union leaders.",
     (OBSERVERS,), N),
    ("source: stated", "According to observers, the merger raises questions about its effect on local jobs.",
     (OBSERVERS,), S),
    ("source: a text", "According to the harbor article, the merger raises questions about its effect on local "
     "jobs.", (OBSERVERS,), S),
    # A phrase hung on a stated noun adds a detail when the article never states its noun.
    ("noun modifier: added", "Days later, the mayor said the city is ready to review its budget in line with the "
     "governor's priorities on housing.", (PRIORITIES,), N),
    ("noun modifier: none", "Days later, the mayor said the city is ready to review its budget in line with the "
     "governor's priorities.", (PRIORITIES,), S),
    # "In all areas" is a universal; "in all" alone is a total.
    ("universal: in all areas", "The council has made progress in all areas, such as repairing the docks.",
     ("The council has made progress in certain areas, such as repairing the docks.",), N),
    ("universal: in all, a total", "In all, the council has made progress in certain areas, such as repairing the "
     "docks.", ("The council has made progress in certain areas, such as repairing the docks.",), S),
    # An adjective that looks like a verb form is read as the adjective ("pressing" ~ "urgent").
    ("participle adjective: pressing ~ urgent", "Both mayors face the complex and urgent issue of flooding.",
     ("Both mayors face the complex and pressing issue of flooding.",), S),
    # "Strike a balance" is balancing; "handle" a problem is addressing it.
    ("light verb: strike a balance", "The council will have to strike a balance between safety and cost to handle "
     "the flooding.", (BALANCING,), S),
    ("light verb: strike a balance, another member", "The council will have to strike a balance between safety "
     "and speed to handle the flooding.", (BALANCING,), N),
    # "For instance" introduces an example; it is no detail of its own.
    ("example marker: for instance ~ such as", "The council has made progress in some areas, for instance by "
     "repairing the ferry docks.", ("The council has made progress in some areas, such as repairing the ferry "
                                     "docks.",), S),
    ("example marker: another example", "The council has made progress in some areas, for instance by "
     "dredging the harbor.", ("The council has made progress in some areas, such as repairing the ferry docks.",), N),
    # A count the claim spells out as a list is counted in the passage's list of the same members.
    ("listed count: as many as listed", "The council report warns that three risks loom over the valley: floods, "
     "droughts and wildfires.", (RISKS,), S),
    ("listed count: fewer than listed", "The council report warns that two risks loom over the valley: floods and "
     "droughts.", (RISKS,), R),
    ("listed count: a member not listed", "The council report warns that three risks loom over the valley: floods, "
     "droughts and earthquakes.", (RISKS,), N),
    # "The report's closing line says" only frames the claim, like "the report says".
    ("frame: a closing line says", "The report's closing line says the risks worth watching are just two: "
     "floods and droughts.", (RISKS,), R),
    # ... when the claim names the later members of a serial list ("two: droughts and wildfires" of three).
    ("listed count: later members of a serial list", "The council report warns that two risks loom over the "
     "valley: droughts and wildfires.", (RISKS,), R),
    # A count of one is a list of one only when it is exclusive ("a single", "only one").
    ("listed count: a single member", "The council report warns that a single risk looms over the valley: "
     "droughts.", (RISKS,), R),
    ("listed count: only one member", "The council report warns that only one risk looms over the valley: "
     "wildfires.", (RISKS,), R),
    ("listed count: one member, not exclusive", "The council report warns that one risk looms over the valley: "
     "droughts.", (RISKS,), S),
    # A list set off by commas after the counted noun's phrase counts the same way.
    ("listed count: set off by commas, fewer", "The port plan involves only two tiers of government, city and "
     "county, in the dredging.", (TIERS,), R),
    ("listed count: set off by commas, as many", "The port plan involves three tiers of government, city, county "
     "and state, in the dredging.", (TIERS,), S),
    ("listed count: the list's lead-in holds its first member", "The council used a single tool against the "
     "floods: levies.", (TOOLS,), R),
    ("listed count: the list's lead-in, as many", "The council used three tools against the floods: dikes, levies "
     "and pumps.", (TOOLS,), S),
    # "More than", "at least", "fewer than", "at most" before a count make it a bound.
    ("count bound: more than, met", "Engineers warned that more than one dam on the Kerr river could fail this "
     "spring.", (DAMS,), S),
    ("count bound: fewer than, met", "Engineers warned that fewer than three dams on the Kerr river could fail "
     "this spring.", (DAMS,), S),
    ("count bound: at least, not met", "Engineers warned that at least three dams on the Kerr river could fail "
     "this spring.", (DAMS,), R),
    ("count bound: fewer than, not met", "Engineers warned that fewer than two dams on the Kerr river could fail "
     "this spring.", (DAMS,), R),
    ("count bound in the passage: a count inside it", "The city hired 40 engineers for the Kerr dam last year.",
     (HIRED,), N),
    ("count bound in the passage: a count outside it", "The city hired 20 engineers for the Kerr dam last year.",
     (HIRED,), R),
    ("count bound in the passage: the limit itself", "The city hired 30 engineers for the Kerr dam last year.",
     (HIRED,), R),
    ("count bounds: one entails the other", "The city hired at least 25 engineers for the Kerr dam last year.",
     (HIRED,), S),
    ("count bounds: they clash", "The city hired fewer than 20 engineers for the Kerr dam last year.",
     (HIRED,), R),
    # "Two of the three governments": the three are the whole set, the passage's list a part of it.
    ("partitive: the whole set", "The shipping group reportedly engaged with two of the three governments about "
     "the new ferry line.", (FERRY,), N),
    ("partitive: no partitive", "The shipping group reportedly engaged with three governments about the new "
     "ferry line.", (FERRY,), R),
    # A duration counts from an event: "a week after the vote" is not "a week after the storm".
    ("duration: from another event, within", "The port authority closed the ferry line to the Kerr islands, doing "
     "so within hours of the vote being counted.", (CLOSED,), N),
    ("duration: from another event, after", "The port authority closed the ferry line to the Kerr islands a month "
     "after the vote.", (CLOSED,), N),
    ("duration: from the same event", "The port authority closed the ferry line to the Kerr islands a week after "
     "the storm.", (CLOSED,), S),
    ("duration: from the same event, other length", "The port authority closed the ferry line to the Kerr islands "
     "a month after the storm.", (CLOSED,), R),
    # A noun of refusal or failure denies its infinitive as the verb does ("refusal to serve").
    ("denial: refusal to", "Vesta's refusal to serve as a transit hub for grain from other countries.",
     (HUB,), S),
    ("denial: willingness to", "Vesta's willingness to serve as a transit hub for grain from other countries.",
     (HUB,), R),
    ("denial: failure to vs failing to", "Okafor was criticized for her failure to curb the delays at the port.",
     ("Under Lind, Okafor was widely criticized for failing to curb the delays at the port.",), N),
    # With "include", "contain", "feature", the object is the whole claim: it must be stated.
    ("containing verb: object unstated", "The mayor's post about the flooded road near the Kerr bridge included a "
     "photo of the damage.", (POSTED, POSTED_2), N),
    ("containing verb: object stated", "The mayor's post included a description of the flooded road near the Kerr "
     "bridge.", (POSTED, POSTED_2), S),
    # "Under X, Y, dubbed Z, was criticized": Y is the subject, however the small model attaches it.
    ("fronted phrase: the one criticized", "Ada Okafor was widely criticized for the delays.", (UNDER,), S),
    ("fronted phrase: not the one criticized", "Tom Lind was widely criticized for the delays.", (UNDER,), R),
    ("fronted phrase: not the one dubbed", "Tom Lind was the one dubbed the \"port czar.\"", (UNDER,), R),
    # Another name in the slot of an act the passage does not state is another act, not a swap;
    # in the slot of a stated act it is one.
    ("entity: the act unstated", "The \"harbour pass\" program was ended by the Okafor administration.",
     HARBOUR, N),
    ("entity: the act stated", "The Okafor administration is expected to take a tough approach towards the "
     "port.", HARBOUR, R),
    # The agent of a passive is a role too.
    ("bearer: passive agent swapped", "Stricter port controls will be enforced by Vesta.",
     ("Under the plan, Norland gets new loans from Vesta, and stricter port controls will be enforced by "
      "Norland.",), R),
    ("bearer: passive agent kept", "Stricter port controls will be enforced by Norland.",
     ("Under the plan, Norland gets new loans from Vesta, and stricter port controls will be enforced by "
      "Norland.",), S),
    # One thing put before another: the other way round is a swap of roles.
    ("precedence: swapped", "Critics argue the plan could hurt small farms if the ministry keeps putting local "
     "markets ahead of exports.", (PRIORITY,), R),
    ("precedence: swapped, same wording", "Critics argue the plan could hurt small farms if the ministry continues "
     "to prioritize local markets over exports.", (PRIORITY,), R),
    ("precedence: kept", "Critics argue the plan could hurt small farms if the ministry keeps putting exports ahead "
     "of local markets.", (PRIORITY,), S),
    # Two bodies of one kind told apart by their qualifier are two bodies; a body is no rival of a person.
    ("institution: another ministry", "Norland's Interior Ministry said the Okafor government is prepared to reopen "
     "the port.", (MINISTRY,), R),
    ("institution: the ministry, shorter", "Norland's Foreign Ministry said the Okafor government is prepared to "
     "reopen the port.", (MINISTRY,), S),
    ("institution: a body for two people", "Norland's Port Commission has agreed to reopen the old port.",
     (AGREED,), N),
    # Two sentences joined support a claim only if one states what it says happened.
    ("joined sentences: main verb unstated", "Norland disbanded migrant caravans heading toward the Vesta border.",
     SPECULATE, N),
    # "Both" in a sentence about something else does not make "all" stated.
    ("universal: quantifier elsewhere in the unit", "Norland closed all ferry lines to the islands.",
     ("Norland closed two ferry lines to the islands.", "Both mayors welcomed the decision."), N),
    ("universal: none claimed", "Norland closed two ferry lines to the islands.",
     ("Norland closed two ferry lines to the islands.", "Both mayors welcomed the decision."), S),
    # A quotation over two sentences, compared whole.
    ("quote: changed over two sentences", 'The mayor said: "We have a plan for the city. If problems appear, the '
     'council will have to solve them."', SPLIT_QUOTE, R),
    ("quote: same over two sentences", 'The mayor said: "We have a plan for the city. If problems appear, we will '
     'solve them."', SPLIT_QUOTE, S),
    # What an outlet does with a story is one act, however it is worded.
    ("outlet: carried vs reported, another outlet", "Bloomberg carried the port ministry's statement that the Okafor "
     "government is prepared to reopen the port.", (CARRIED,), R),
    ("outlet: carried vs reported, same outlet", "Reuters carried the port ministry's statement that the Okafor "
     "government is prepared to reopen the port.", (CARRIED,), S),
    # Ease against alarm, as these words only ("preparing for" is no worry).
    ("antonym: relaxed vs bracing", "Ferry operators are relaxed about the approach the Lind administration is "
     "expected to take.", (BRACING,), R),
    ("antonym: preparing vs bracing", "Ferry operators are preparing for the tough approach the Lind administration "
     "is expected to take.", (BRACING,), S),
    # "More" and "less" are no content words: the opposite degree of the same quality refutes.
    ("degree: less vs more", "The merger could signal a shift towards less open trade in the region.",
     (MORE_OPEN,), R),
    ("degree: more vs more", "The merger could signal a shift towards more open trade in the region.",
     (MORE_OPEN,), S),
    # A leader's administration acts for the leader: another one's is a swap.
    ("institution: another leader's administration", "The Lind administration has made progress on the new ferry "
     "line.", ("The Okafor administration has made progress on the new ferry line.",), R),
    # What "challenges remain in" getting is not had.
    ("difficulty: challenges remain in securing", "Dunmore and Kerr have committed to the plan.", (CHALLENGES,), N),
    ("difficulty: the noun too", "Ports like Dunmore and Kerr have made commitments to the plan.", (CHALLENGES,), N),
    # Opposites as these words only, light words included ("express concern" / "express relief").
    ("antonym: looser vs stricter", "Okafor's plan promises a return to looser port inspections.",
     ("Okafor's plan promises a return to stricter port inspections.",), R),
    ("antonym: relief vs concern", "Some residents express relief about the loss of green space.",
     ("Some residents express concern about the loss of green space.",), R),
    ("antonym: suffer vs benefit", "The port may suffer from a drop in traffic.",
     ("In return, the port may benefit from a drop in traffic.",), R),
    ("antonym: leave vs remain", "Okafor seeks to encourage young workers to leave their home town.",
     ("Okafor seeks to encourage young workers to remain in their home town.",), R),
    ("antonym: reduce vs enhance", "The plan may aim to reduce river patrols in the north.",
     ("The plan may also aim to enhance river patrols in the north.",), R),
    # An object's "of"-phrase is what a verb acts on ("foster a culture of secrecy").
    ("antonym: weaken vs foster a culture of", "Analysts argue that such deals could weaken secrecy in the council.",
     (CULTURE,), R),
    ("antonym: foster vs foster a culture of", "Analysts argue that such deals could foster secrecy in the council.",
     (CULTURE,), S),
    # A particle that turns a verb ("call off", "rule out") is part of it; a gerund the small
    # model hangs on such a verb as an adverbial clause is its denied object.
    ("phrasal: called off vs set to meet", "Mayor Okafor called off his meeting with Governor Lind.",
     ("Mayor Okafor is set to meet Governor Lind next week to discuss the port.",), R),
    ("phrasal: ruled out serving vs will not serve", "Norland ruled out serving as a transit hub for grain from other "
     "countries.", ("However, Norland has made it clear that it will not serve as a transit hub for grain from "
                    "other countries.",), S),
    # A country of a region is no rival of the region.
    ("place: a region and its members", "The transition team has engaged with Latin American governments about the "
     "new tariffs.", ("The transition team has engaged with the governments of Mexico and Peru about the new "
                      "tariffs.",), N),
]


@pytest.mark.parametrize(("rule", "claim", "sentences", "label"), RULES, ids=[r[0] for r in RULES])
def test_rule(rule: str, claim: str, sentences: tuple[str, ...], label: Label) -> None:
    v = _fake_verifier().verify(claim, made_up(*sentences))
    assert v.label is label, (rule, v.explanation)
    assert v.explanation and "\n" not in v.explanation
    if label is R:
        assert v.evidence[0].relation is Relation.REFUTES
    if label is N:
        assert all(e.relation is Relation.RELATED for e in v.evidence)


@pytest.mark.parametrize(("claim", "evidence", "said"), [
    ("Stricter port controls will be enforced by Vesta.",
     "Under the plan, Norland gets new loans from Vesta, and stricter port controls will be enforced by Norland.",
     "the claim says 'Vesta' does 'enforce'; the passage says 'Norland' does"),
    ("Vesta was dubbed the \"grain czar\" by traders.",
     "Under the plan, Vesta lends grain to Norland, and Norland, dubbed the \u201cgrain czar\u201d by traders, "
     "stores it.",
     "the claim says 'Vesta' is 'dub' (passive); the passage says 'Norland' is"),
])
def test_bearer_explanation_reads(claim: str, evidence: str, said: str) -> None:
    # A role conflict reads as a sentence: who does the verb, or whom it is said of.
    v = _fake_verifier().verify(claim, made_up(evidence))
    assert v.label is R, v.explanation
    assert said in v.explanation


@pytest.mark.parametrize(("rule", "claim", "sentences", "label", "words"), [a for a in ADDED if a[4]],
                         ids=[a[0] for a in ADDED if a[4]])
def test_added_detail_is_explained(rule: str, claim: str, sentences: tuple[str, ...], label: Label,
                                   words: str) -> None:
    # What the claim adds is named, so a person can check it against the passage.
    v = _fake_verifier().verify(claim, made_up(*sentences))
    assert words in v.explanation, (rule, v.explanation)


DAM = "Engineers warned that two dams on the Kerr river could fail this spring."
SUGAR = "The ministry indicated it would consider a tax on sugary drinks."
AUDIT = "Auditors said corruption is widespread in the Dunmore port authority."
BANKS = "Economists say the reform will foster competition among regional banks."
VOTE = "The result reflects a broader shift among rural voters, Okafor said."
DELAYS = "The report blames domestic politics for the delays at the port."
CAUSES = "The plan aims to tackle the root causes of the water shortage."
QUESTIONS = "The merger raises questions about the future of the Kerr shipyard."
SPENDING = "Lind promised increased spending on rural clinics."

# (what, claim, evidence sentences, label): a near-synonym of the news register
# (rag.nlp.SYNONYM_GROUPS) states the same content, and never outweighs a real conflict
# (a number, a name, a negation, an opposite) or an unstated detail.
SYNONYMS = [
    ("synonym: onlookers reckon ~ observers speculate", "Onlookers reckon that the council may raise the port fees.",
     ("Observers speculate that the council may raise the port fees.",), S),
    ("synonym: pact ~ partnership", "The two mayors formed a pact against smuggling.",
     ("The two mayors formed a partnership against smuggling.",), S),
    ("synonym: succeed ~ success", "The merger will succeed if both mayors listen to their voters.",
     ("The success of the merger depends on whether both mayors listen to their voters.",), S),
    ("synonym: cautioned ~ warned", "Engineers cautioned that two dams on the Kerr river could fail this spring.",
     (DAM,), S),
    ("synonym: another number", "Engineers cautioned that four dams on the Kerr river could fail this spring.",
     (DAM,), R),
    ("synonym: signaled ~ indicated, explore ~ consider", "The ministry signaled it would explore a tax on "
     "sugary drinks.", (SUGAR,), S),
    ("synonym: denied", "The ministry signaled it would not explore a tax on sugary drinks.", (SUGAR,), R),
    ("synonym: rampant ~ widespread", "Corruption is rampant in the Dunmore port authority, auditors said.",
     (AUDIT,), S),
    ("synonym: another place", "Corruption is rampant in the Vesta port authority, auditors said.", (AUDIT,), R),
    ("synonym: encourage ~ foster", "Economists say the reform will encourage competition among regional banks.",
     (BANKS,), S),
    ("synonym: hinder vs foster", "Economists say the reform will hinder competition among regional banks.",
     (BANKS,), R),
    ("synonym: mirrors ~ reflects, wider ~ broader", "The result mirrors a wider shift among rural voters, "
     "Okafor said.", (VOTE,), S),
    ("synonym: narrower vs broader", "The result mirrors a narrower shift among rural voters, Okafor said.",
     (VOTE,), R),
    ("synonym: plus an unstated detail", "The result mirrors a wider shift among rural voters since 2019, "
     "Okafor said.", (VOTE,), N),
    ("synonym: internal ~ domestic", "The report blames internal politics for the delays at the port.",
     (DELAYS,), S),
    ("synonym: foreign vs domestic", "The report blames foreign politics for the delays at the port.",
     (DELAYS,), R),
    ("synonym: underlying ~ root", "The plan aims to tackle the underlying causes of the water shortage.",
     (CAUSES,), S),
    ("synonym: prompts ~ raises", "The merger prompts questions about the future of the Kerr shipyard.",
     (QUESTIONS,), S),
    ("synonym: greater ~ increased", "Lind promised greater spending on rural clinics.", (SPENDING,), S),
    ("synonym: decreased vs increased", "Lind promised decreased spending on rural clinics.", (SPENDING,), R),
    ("synonym: companies ~ businesses", "The mayor wants to attract companies to the old port.",
     ("The mayor wants to attract businesses to the old port.",), S),
]


@pytest.mark.parametrize(("what", "claim", "sentences", "label"), SYNONYMS, ids=[s[0] for s in SYNONYMS])
def test_synonym_groups(what: str, claim: str, sentences: tuple[str, ...], label: Label) -> None:
    v = _fake_verifier().verify(claim, made_up(*sentences))
    assert v.label is label, (what, v.explanation)


@lru_cache(maxsize=1)
def _minilm_verifier() -> RuleVerifier:
    from rag.embeddings import SentenceTransformerEmbedder

    return RuleVerifier(SentenceTransformerEmbedder("all-MiniLM-L6-v2"), nlp=_shared_nlp)


MEETING = "During the meeting, the mayor highlighted the need for stronger safety measures."
COMPANY = "The company expressed a desire to attract engineers eager to contribute to its growth."
BUDGET = "During the meeting, the mayor raised concerns about the budget cuts of the council."

# (what, claim, evidence sentences, label): a paraphrase supports only when every word it
# lacks has a close counterpart in the same slot.
PARAPHRASES = [
    ("a paraphrased quality", "During the meeting, the mayor underlined the need for tougher safety measures.",
     (MEETING,), S),
    ("an opposite quality", "During the meeting, the mayor highlighted the need for weaker safety measures.",
     (MEETING,), R),
    ("a paraphrase plus a new quality", "During the meeting, the mayor underlined the need for tougher and "
     "costlier safety measures.", (MEETING,), N),
    ("paraphrased verbs", "The company voiced a wish to draw in engineers keen to help it grow.", (COMPANY,), S),
    ("paraphrased verbs plus a new detail", "The company voiced a wish to draw in young engineers keen to help "
     "it grow.", (COMPANY,), N),
    # A word in quotation marks is the text's own word: a headline's "Reveal" is no "unveiled".
    ("a quoted word is not paraphrased", 'The headline says the council\'s harbor plans have been "unveiled".',
     ("Harbor Deal: Sources Reveal the Council's Harbor Plans",), N),
    ("a quoted word used", 'The headline says the council\'s harbor plans have been "revealed".',
     ("Harbor Deal: Sources Say the Council's Harbor Plans Were Revealed",), S),
    # Word embeddings put "accepted" close to "rebuffed" and "turned down": never a paraphrase.
    ("a refusal is no acceptance", "Norland accepted Vesta's offer of a trade deal.",
     ("Norland rebuffed Vesta's offer of a trade deal.",), R),
    # Nor does a firmer word paraphrase a hedge: "decided" for "is considering".
    ("a decision for a consideration", "The city has decided to ban cars in the old town.",
     ("The city is considering a ban on cars in the old town.",), N),
    # The phrase embedder puts "defended" close to "raised concerns about": never a paraphrase,
    # and on the same thing it is the opposite stance.
    ("a verb of the opposite stance", "During the meeting, the mayor defended the budget cuts of the council.",
     (BUDGET,), R),
    # Embeddings put "easing up on" close to "curb": a verb of pulling back is said in other
    # words only by another such verb.
    ("pulling back is not curbing", "The council is easing up on parking fines.",
     ("This fits the council's interest in stricter rules tailored to curb parking fines.",), N),
    ("pulling back in other words", "The council is cutting back its parking fines.",
     ("The council is scaling back its parking fines.",), S),
    # A fact is not said in other words by an aim: "tailored to scale back", "cooperation ... to prevent".
    ("an aim is no paraphrase of a fact", "The council is cutting back parking fines.",
     ("This fits the council's interest in looser rules tailored to scale back parking fines.",), N),
    ("an aim is no fact", "Cooperation with Vesta has already reduced smuggling through the Kerr pass.",
     ("Additionally, cooperation with Vesta to prevent smuggling through the Kerr pass is also a key part of the "
      "plan.",), N),
    # A verb of stance is never read as a paraphrase of a neutral one ("oppose" ~ "view"), nor of
    # one said of another group ("supporters oppose" is not "detractors criticize").
    ("a stance verb with another subject", "Okafor's supporters oppose his partnership with Lind.",
     ("Supporters of Okafor view the partnership with Lind as a necessary step, while detractors criticize it "
      "as an opportunistic alliance.",), N),
    # Conjoined names share the noun they hang on: in "the partnership between Trump and
    # Bukele" Bukele goes with "partnership", not with "Trump" (seed sentences; the parser
    # reads these names so).
    ("conjoined names share their noun", "Trump's detractors criticize his partnership with Bukele.",
     ("The partnership between Trump and Bukele aims to tackle the root causes of illegal immigration and "
      "organized crime.", "Supporters of Trump view this partnership as a necessary step to curb illegal "
      "immigration and bolster national security, while detractors criticize it as an opportunistic alliance "
      "with a controversial leader."), S),
    # The small model parses "the success ... hinges on the ability of both leaders to listen"
    # with "success" as the subject of "listen": no other group listens in place of the leaders.
    ("a misparsed subject is no other bearer", "The pact will only succeed if both leaders listen to their "
     "constituents, respect human rights and create conditions in which economic development and security thrive "
     "together.", ("Ultimately, the success of this partnership hinges on the ability of both leaders to listen to "
                   "their constituents, respect human rights, and foster an environment where economic development "
                   "and security can flourish hand in hand.", "As they move forward, both leaders will need to "
                   "balance their objectives with the broader implications of their actions."), N),
]


@pytest.mark.integration
@pytest.mark.parametrize(("what", "claim", "sentences", "label"), PARAPHRASES, ids=[p[0] for p in PARAPHRASES])
def test_paraphrase_support(what: str, claim: str, sentences: tuple[str, ...], label: Label) -> None:
    v = _minilm_verifier().verify(claim, made_up(*sentences))
    assert v.label is label, (what, v.explanation)
    if label is S:
        assert v.evidence[0].relation is Relation.SUPPORTS


@pytest.mark.integration
def test_paraphrase_support_names_the_paraphrase() -> None:
    v = _minilm_verifier().verify(PARAPHRASES[0][1], made_up(MEETING))
    assert "'tougher' ~ 'stronger'" in v.explanation


def test_fake_embedder_never_paraphrases() -> None:
    # Without a real sentence embedder nothing is judged a paraphrase.
    v = _fake_verifier().verify(PARAPHRASES[0][1], made_up(MEETING))
    assert v.label is N


# (what, claim, evidence sentences, label): an added circumstance judged with MiniLM word
# similarity, which only counts in the same slot (there it ranks paraphrases high; across a
# sentence it ranks any word of the topic high: lawmaker~bill .54).
CIRCUMSTANCES = [
    ("a recipient in other words", "The senator apologized to voters for the scandal.",
     ("The senator apologized to the electorate for the scandal.",), S),
    ("an agent only on the topic", "The bill was passed by lawmakers on Tuesday.", ("The bill was passed on Tuesday.",),
     N),
]


@pytest.mark.integration
@pytest.mark.parametrize(("what", "claim", "sentences", "label"), CIRCUMSTANCES, ids=[c[0] for c in CIRCUMSTANCES])
def test_added_circumstance_with_word_similarity(what: str, claim: str, sentences: tuple[str, ...],
                                                 label: Label) -> None:
    v = _minilm_verifier().verify(claim, made_up(*sentences))
    assert v.label is label, (what, v.explanation)


STORM = "Across the region, city councils are girding for a harsh and costly winter storm season."
ZONING = "On Tuesday, the council shelved the new zoning plan for the harbor district."
CHECKS = "Norland said it would stay out of the new border checks planned by Vesta."

# (what, claim, evidence sentences, label): one verb read as a paraphrase of the verb in
# its slot (everything else stated), never an opposite or a negative implicative.
BACKOFF = [
    ("one verb paraphrased", "Across the region, city councils are preparing for a harsh and costly winter "
     "storm season.", (STORM,), S),
    ("one verb plus a new detail", "Across the region, city councils are preparing for a harsh and costly "
     "winter storm season in 2030.", (STORM,), N),
    ("a negative implicative is no paraphrase", "On Tuesday, the council adopted the new zoning plan for the "
     "harbor district.", (ZONING,), R),
    ("avoided is no paraphrase", "On Tuesday, the council debated the new zoning plan for the harbor district.",
     ("On Tuesday, the council avoided the new zoning plan for the harbor district.",), N),
    ("an antonym is no paraphrase", "On Tuesday, the council approved the new zoning plan for the harbor "
     "district.", ("On Tuesday, the council rejected the new zoning plan for the harbor district.",), R),
    ("an opposite direction is no paraphrase", "Norland said it would collaborate on the new border checks "
     "planned by Vesta.", (CHECKS,), R),
]


@pytest.mark.integration
@pytest.mark.parametrize(("what", "claim", "sentences", "label"), BACKOFF, ids=[b[0] for b in BACKOFF])
def test_verb_backoff(what: str, claim: str, sentences: tuple[str, ...], label: Label) -> None:
    v = _minilm_verifier().verify(claim, made_up(*sentences))
    assert v.label is label, (what, v.explanation)
    if label is S:
        assert "'preparing' ~ 'girding' (read as a paraphrase)" in v.explanation
        assert v.confidence <= 0.6


def test_verb_backoff_needs_a_real_embedder() -> None:
    v = _fake_verifier().verify(BACKOFF[0][1], made_up(STORM))
    assert v.label is N


@pytest.mark.parametrize(("text", "denies"), [
    ("Norland turned down the offer.", True), ("Norland turns down every offer.", True),
    ("Norland brushed off the criticism.", True), ("Norland rebuffed Vesta.", True),
    ("Vesta snubbed the summit.", True),
    ("Norland turned the page.", False), ("The plane touched down in Vesta.", False),
])
def test_states_denial_knows_phrasal_refusals(text: str, denies: bool) -> None:
    from rag.verify import states_denial

    assert states_denial(text) is denies


def test_both_leaders_are_the_ones_the_sentence_before_names() -> None:
    # "Both leaders" stands for the two the sentence just before names (given as context),
    # not for whoever else the article names.
    cits = made_up("Governor Moreau opened the new harbor in May.", "Mayor Okafor met Governor Lind on Monday.",
                   "Both leaders reaffirmed their commitment to rebuild the old bridge.")
    verify = _fake_verifier().verify
    told = verify("Okafor and Lind reaffirmed their commitment to rebuild the old bridge.", [cits[0], cits[2]],
                  context=[cits[1]])
    other = verify("Okafor and Moreau reaffirmed their commitment to rebuild the old bridge.", [cits[0], cits[2]],
                   context=[cits[1]])
    assert told.label is S
    assert other.label is not S


def test_a_title_case_heading_does_not_make_a_common_noun_a_name() -> None:
    # "Security Cooperation:" (a list heading the tagger reads as a name) must not make a
    # claim's sentence-initial "Cooperation" a name the passage has to state.
    v = _fake_verifier()
    v.verify("Joint patrols run on the Kerr river.", made_up("Security Cooperation: joint patrols on the Kerr river."))
    verdict = v.verify("Cooperation with Vesta is a key part of the plan, officials said.",
                       made_up("Officials said that cooperation with Vesta is a key part of the plan."))
    assert verdict.label is S, verdict.explanation


@pytest.mark.parametrize("earlier", [
    # A claim typed in lower case, with the name's word as a common verb, teaches nothing.
    ("the new tariffs trump every other concern.", ("Officials said the tariffs were a concern.",)),
    # The same claim read before the passage that names Trump: its cached reading is not reused.
    ("Trump congratulated Okafor.", ("Okafor won the vote on Sunday.",)),
])
def test_how_a_claim_is_read_does_not_depend_on_earlier_claims(earlier: tuple[str, tuple[str, ...]]) -> None:
    # A fresh verifier: what an earlier claim left behind must not change this verdict (it
    # did: the suite's order once turned this REFUTED into SUPPORTED).
    v = RuleVerifier(FakeEmbedder(), nlp=_shared_nlp)
    claim, sentences = earlier
    v.verify(claim, made_up(*sentences))
    verdict = v.verify("Trump congratulated Okafor.", made_up(*CONGRATULATED))
    assert verdict.label is R, verdict.explanation
