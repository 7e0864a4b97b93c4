"""The lexicons the rule families read, as named constants grouped by family.

The word lists themselves are data (``extractors/lexicons/<name>.txt``, one file per
lexicon with a header saying what belongs in it); this module only gives each the
Python shape its rules want. Characters and POS tags, which are the rules' alphabet
rather than vocabulary, stay here.
"""
from __future__ import annotations

from ..lexicons import mapping, words

# ---------------------------------------------------------------------------
# Characters

#: Quotation marks that nest: opener → closer.
QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
#: Every quotation mark, curly or straight.
QUOTE_CHARS = set("“”‘’「」『』\"'")
#: Characters that end a name when walking left or right through running text.
STOP_CHARS = set("的地得和与及或、,,。;;::!?!?()()《》“”‘’「」『』\"' 在对把将被由从向为以于是了着等并其就至")
#: One-character level words that stand for "this province / city / county" in front of an institution.
LEVEL_CHARS = {"省": "province", "市": "city", "县": "county", "区": "county", "州": "city"}
#: Characters that join the members of a list ("省、市人大常委会").
COORDINATORS = set("、和与及")
#: Digits and number characters: a stem holding one is a count, not a name.
NUMERALS = set("一二两三四五六七八九十百千万0123456789")

# ---------------------------------------------------------------------------
# Words as jieba reads them

#: How often jieba's dictionary must list a word for it to be a word first, a name second.
COMMON_WORD_FREQ = 200
#: POS tags of words that cannot begin or be part of a name (verbs, prepositions,
#: conjunctions, particles, pronouns, adverbs, numerals, measure words, locatives).
NON_NAME_TAGS = ("v", "p", "c", "u", "r", "d", "m", "q", "f", "t", "y", "e", "o", "z", "x")
#: Nouns that describe rather than name (a "代表小组" of "部分" deputies …).
GENERIC_NOUNS = frozenset(words("generic_nouns"))

# ---------------------------------------------------------------------------
# Places the text names by their suffix

#: Suffixes of a place named right before an institutional word ("褚河街道人大工委"), with its level.
TEXT_PLACE_SUFFIXES = mapping("place_suffixes")
#: Suffixes of localities below a named place ("云城街道金山社区"), with their level.
LOCALITY_SUFFIX_LEVELS = mapping("locality_suffixes")

# ---------------------------------------------------------------------------
# Congress bodies

#: Institutional words of a congress and the CongressBody kind each names.
CONGRESS_KINDS = mapping("congress_kinds")
#: Parts of a standing committee that are congress bodies themselves (its working committees);
#: the other parts (office, party group, research office) are Organizations.
WORKING_PARTS = words("congress_working_parts")

# ---------------------------------------------------------------------------
# Industries

#: Words that qualify 产业 generically: "重点产业", "特色产业" alone name no industry.
GENERIC_INDUSTRY = frozenset(words("industry_generic_qualifiers"))
#: Words jieba tags as nouns that are verbs in front of 产业 ("助力乡村产业发展").
INDUSTRY_VERBS = frozenset(words("industry_verbs"))
#: Words after 产业 that make it part of a longer term ("产业链", "产业升级"), not an industry's name.
INDUSTRY_STOP_AFTER = words("industry_stop_after")

# ---------------------------------------------------------------------------
# Organizations

#: Offices whose name is a place (or an abbreviated level word) + a function word.
DEPARTMENT_SUFFIXES = words("department_suffixes")
#: Short forms whose official name the canonical form uses ("县检察院" → 定远县人民检察院).
OFFICIAL_SUFFIXES = mapping("official_suffixes")
#: Names of groups that say only what a group is, not which one.
GENERIC_GROUPS = frozenset(words("generic_groups"))
#: Words ending in 局 that are no bureau.
NOT_BUREAU = words("not_bureau")

# ---------------------------------------------------------------------------
# Persons

#: Single-character surnames a person's name may start with.
SURNAMES = frozenset(s for s in words("surnames") if len(s) == 1)
#: Two-character surnames.
COMPOUND_SURNAMES = tuple(s for s in words("surnames") if len(s) > 1)
#: Titles printed after a name ("习近平总书记") or before it ("委员长赵乐际", "人大代表韦永冠").
TITLES_AFTER = words("titles_after_name")
TITLES_BEFORE = words("titles_before_name")
#: jieba's tags of a person's name next to a title after it ('?': a word jieba does not know).
NAME_TAGS = ("nr", "nrfg", "nrt", "?")

# ---------------------------------------------------------------------------
# Quoted names: programmes, branded stations, media

#: Words that say what a quoted name is, with the Programme kind they give.
PROGRAMME_SUFFIXES: tuple[tuple[str, str], ...] = tuple(mapping("programme_suffixes").items())
#: Words after a quote that make it a medium ("…"专栏").
MEDIA_SUFFIXES = words("media_after_quote")
#: Words after a quote that make it a document ("…"规划").
DOCUMENT_SUFFIXES = words("documents_after_quote")
#: Words after a quote that make it a branded station ("向日葵"工作室).
STATION_SUFFIXES = words("stations_after_quote")
#: Characters that must not occur in the words between a quote and its suffix
#: (nor in an unquoted programme's name): they belong to a phrase, not a name.
MODIFIER_STOP_CHARS = set("的和与及在是为把将对从到等了着并且或")
#: Verbs that launch, run or spread a named initiative.
LAUNCH_VERBS = words("launch_verbs")
#: Verbs before a quoted name of any shape (not only numbered ones) that launch it.
NAME_LAUNCH_VERBS = words("name_launch_verbs")
#: Characters of venue abbreviations quoted for emphasis ("家站点").
STATION_ABBREV_CHARS = set("家室站点")

# ---------------------------------------------------------------------------
# Titles in 《》

#: Words after a run of titles that make them media ("《禹州新闻》电视栏目").
MEDIA_AFTER_TITLE = words("media_after_title")

# ---------------------------------------------------------------------------
# Laws and unquoted programmes

#: Words ending in 法 that are no law.
NOT_LAW = frozenset(words("not_law"))
#: Words before 模式 that name no model ("推行工作模式").
GENERIC_MODEL = frozenset(words("generic_model"))
#: Endings of the words before 模式 that describe rather than name a model.
GENERIC_MODEL_END = words("generic_model_end")
