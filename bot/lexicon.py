"""Everyday synonyms for questions about politics and news, folded to one concept each.

These are general English (and a little Roman Urdu) equivalences, not answers to any question:
a reader may say "army" where the article says "military", or "quit" where it says "abandoned".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.text import stem

# Each group: the first word names the concept; every word is matched by its stem.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("leave", "quit", "quitting", "left", "leaving", "resign", "resignation", "defect",
     "defection", "defector", "abandon", "depart", "departure", "exit", "exodus", "ditch",
     "desert", "deserter", "walkout", "jumpship", "stepdown", "split", "chor", "chorna",
     "chorne", "chhor", "chhorna", "chhorne", "choda", "chora", "flee", "fled", "dump",
     "bail", "bailing", "abandonment", "outflow", "exit", "switching", "turncoat", "lota",
     "lotas", "ditching"),
    ("military", "army", "armed", "forces", "fauj", "miltary", "millitary", "khaki"),
    ("arrest", "arrested", "detain", "detention", "custody", "jail", "jailed", "nab", "giraftari"),
    ("election", "elections", "poll", "polls", "vote", "voting", "ballot", "electoral",
     "intikhab", "intikhabat", "chunav"),
    ("coercion", "coerce", "forced", "force", "pressure", "pressured", "compel", "compelled",
     "threat", "threaten", "intimidation", "intimidate", "duress", "blackmail", "zabardasti",
     "majboor", "made"),
    ("crackdown", "clampdown", "repression", "persecution", "suppression", "suppress",
     "victimisation", "victimization"),
    ("opportunism", "opportunist", "opportunistic", "opportunity", "careerism", "selfinterest"),
    ("why", "reason", "reasons", "cause", "caused", "motive", "motivation", "wajah", "waja",
     "kyun", "kyu", "kiyun", "behind"),
    ("leader", "leaders", "politician", "figure", "member", "lawmaker", "people", "ppl",
     "stalwart", "mna", "mpa", "senior", "rehnuma", "neta", "log", "bigwig", "bigwigs",
     "heavyweight", "heavyweights", "loyalist", "loyalists"),
    ("many", "number", "count", "tally", "kitne", "kitna"),
    ("professor", "prof", "academic", "scholar", "lecturer", "teacher", "teach", "teaches",
     "taught", "lecture", "lectures", "faculty"),
    ("analyst", "analysts", "commentator", "pundit", "observer"),
    ("expert", "experts", "specialist"),
    ("say", "said", "says", "claim", "claimed", "state", "stated", "argue", "argued", "assert",
     "view", "opinion", "think", "thinks", "believe", "stance", "take", "kehna",
     "kaha", "perspective", "comment", "statement"),
    ("future", "ahead", "next", "prospect", "prospects", "outlook", "trajectory", "coming",
     "upcoming"),
    ("dismantle", "dismantled", "destroy", "break", "breakup", "crush", "finish", "kill",
     "wipe", "eliminate", "weaken"),
    ("socialmedia", "tweet", "tweeted", "twitter", "facebook", "online", "post", "posted"),
    ("court", "courts", "legal", "case", "cases", "lawsuit", "charges", "trial"),
    ("align", "gravitate", "join", "joined", "switch", "flock", "side", "sides"),
    ("candidate", "candidates", "nominee", "electable", "electables", "ticket"),
    ("strength", "strong", "resilience", "resilient", "survive", "survived", "withstand",
     "withstood", "endure", "endured", "weather", "weathered"),
    ("blame", "blames", "blamed", "attribute", "attributes", "responsible", "fault"),
    ("pmln", "pml", "nawaz", "noon", "muslimleague"),
    ("ppp", "peoplesparty", "bhutto", "zardari"),
    ("ideology", "principle", "principles", "ideal", "ideals", "values", "beliefs",
     "conviction", "nazriya", "nazariya"),
    ("refer", "referred", "called", "call", "label", "labelled", "labeled", "term", "termed",
     "nickname", "known", "dubbed"),
    ("ascertain", "proof", "prove", "proven", "evidence", "confirm", "confirmed", "certain",
     "sure", "verify"),
    ("conclusion", "conclude", "concludes", "wrap", "ending", "end", "ends", "final",
     "verdict", "bottomline"),
    ("summary", "summarise", "summarize", "tldr", "gist", "overview", "recap", "nutshell",
     "main", "points", "khulasa"),
    ("trigger", "triggered", "spark", "sparked", "prompted", "precede", "preceded",
     "preceding", "started", "start", "began", "begin"),
    ("loyalty", "loyal", "faithful", "devotion", "support", "supporters"),
    ("rebuild", "rebuilding", "recover", "recovery", "bounce", "comeback", "revive",
     "revival"),
    ("now", "current", "currently", "present", "presently", "incumbent", "today", "nowadays",
     "abhi"),
    ("after", "following", "since", "aftermath", "subsequent", "subsequently", "baad"),
    ("impact", "affect", "effect", "hurt", "damage", "harm", "consequence", "consequences",
     "fallout", "blow", "setback", "nuqsan"),
    ("violence", "violent", "riot", "riots", "unrest", "clash", "clashes", "protest",
     "protests"),
)

# Phrases folded to one token before words are stemmed; keys and values are normalised text.
PHRASES: Mapping[str, str] = {
    "walk out": "walkout",
    "walked out": "walkout",
    "walking out": "walkout",
    "walks out": "walkout",
    "jump ship": "jumpship",
    "jumped ship": "jumpship",
    "jumping ship": "jumpship",
    "step down": "stepdown",
    "stepped down": "stepdown",
    "stepping down": "stepdown",
    "armed forces": "military",
    "prime minister": "primeminister",
    "social media": "socialmedia",
    "self interest": "selfinterest",
    "muslim league": "muslimleague",
    "peoples party": "peoplesparty",
    "people party": "peoplesparty",
    "pakistan peoples party": "peoplesparty",
    "chhor rahe": "chhorne",
    "chor rahe": "chorne",
    "break up": "breakup",
    "how come": "why",
    "what made": "why",
    "pm": "primeminister",
    "ja rahe": "leave",
    "ja rahe hain": "leave",
    "chor ke": "leave",
    "chhor ke": "leave",
    "chor kar": "leave",
    "big name": "bigwig",
    "big names": "bigwig",
    "ballot box": "election",
    "too long didnt read": "tldr",
    "tl dr": "tldr",
    "bottom line": "bottomline",
    "wrap up": "conclusion",
    "sum up": "summary",
    "in short": "summary",
    "what does it mean": "refer",
    "se kya murad": "refer",
    "kya murad": "refer",
    "stand for": "standfor",
}

# Words that carry no meaning for matching: function words, chat filler, words about the bot or
# the article itself. Question words are kept: they say what kind of answer is wanted.
STOP_WORDS: frozenset[str] = frozenset(
    """a an the and or but if then so of to in on at by for with from into onto about as is are
    was were be been being am do does did doing done have has had having it its it's this that
    these those there here i me my mine we us our you your yours he him his she her hers they
    them their theirs one ones any some all each every more most much very too also just only
    even still ever again really actually basically simply exactly quite rather pretty bit lot
    lots please pls plz kindly can could would should will shall may might must let lets get got
    gets getting go going gone went know knew tell told explain explaining explained understand
    understanding mean means meaning someone somebody anyone anybody everyone everybody something
    anything thing things stuff like want wanted need wish hey hi hello guys bro yaar dude man
    okay ok well oh um uh hmm lol simple simply words word short briefly brief quick quickly
    article story piece news report text according keep keeps kept roughly approximately around
    about nearly almost some such way kind sort regarding re whole new happen happening going on
    up out over e s t ke ki ka ko hai hain ho tha thi the se mein main ne aur ya bhi lol lmao
    lmfao rofl idk tbh imo imho ngl fr btw omg wtf smh u ur yo ya nah yeah yep sure right dumb
    silly stupid question questions asking ask asked wondering wonder curious honestly
    literally seriously gonna wanna gotta kinda sorta vibe vibes saw seen heard hear hearing
    read reading group chat dad mom friend friends someone else apparently supposedly
    meant mean thanks thank bata batao batain bare baare mujhe hum ap aap yeh ye woh wo koi
    kuch raha rahi rahe tell give show""".split()
)

QUESTION_WORDS: frozenset[str] = frozenset(
    "who whom whose what which when where why how".split()
)


def build_concepts(groups: Iterable[tuple[str, ...]] = SYNONYM_GROUPS) -> dict[str, str]:
    """Map each word's stem to its group's concept name."""
    concepts: dict[str, str] = {}
    for group in groups:
        concept = group[0]
        for word in group:
            concepts.setdefault(stem(word), concept)
    return concepts
