"""The word lists the rule families read, one named constant each, grouped by family.

A list says which words a rule takes as evidence (or refuses as noise); adding a
word here is a one-line change that a family's test should then show. Patterns
whose shape is the rule itself (a regular expression over these words) stay with
the family that uses them.
"""
from __future__ import annotations

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
GENERIC_NOUNS = {"部分", "全市", "全县", "全区", "全省", "各级", "有关", "相关", "全国", "基层", "本地",
                 "各地", "当地", "地方", "重点", "各类", "一批", "单位", "部门", "工作", "活动",
                 "市级", "县级", "省级", "乡级", "镇级", "村级", "区级", "国家级", "乡镇", "镇街"}

# ---------------------------------------------------------------------------
# Places the text names by their suffix

#: Suffixes of a place named right before an institutional word ("褚河街道人大工委"), with its level.
TEXT_PLACE_SUFFIXES = {"街道": "town", "镇": "town", "乡": "town", "县": "county", "区": "county",
                       "旗": "county", "市": "city"}
#: Suffixes of localities below a named place ("云城街道金山社区"), with their level.
LOCALITY_SUFFIX_LEVELS = {"社区": "village", "片区": "village", "村": "village", "屯": "village", "街道": "town",
                          "镇": "town", "乡": "town", "新区": "county", "区": "county", "县": "county"}

# ---------------------------------------------------------------------------
# Congress bodies

#: Institutional words of a congress and the CongressBody kind each names.
CONGRESS_KINDS = {"人大常委会": "standing_committee", "人民代表大会": "congress", "人代会": "congress",
                  "人大主席团": "presidium", "人大工委": "working_committee",
                  "人大工作联络中心": "working_committee"}
#: Parts of a standing committee that are congress bodies themselves (its working committees);
#: the other parts (office, party group, research office) are Organizations.
WORKING_PARTS = ("代表工委", "法工委", "代表工作委员会", "法制工作委员会")

# ---------------------------------------------------------------------------
# Industries

#: Words that qualify 产业 generically: "重点产业", "特色产业" alone name no industry.
GENERIC_INDUSTRY = {"主导", "特色", "重点", "优势", "核心", "传统", "支柱", "新兴", "战略性新兴", "战略性",
                    "未来", "绿色", "农村", "乡村", "相关", "各类", "新", "现代", "全市", "全县", "当地",
                    "本地", "地方", "区域", "农业", "工业", "实体", "县域", "富民", "主要", "差异化",
                    "新型", "高新技术", "战略", "朝阳", "其他", "该"}
#: Words jieba tags as nouns that are verbs in front of 产业 ("助力乡村产业发展").
INDUSTRY_VERBS = {"助力", "推动", "带动", "促进", "发展", "振兴", "服务", "支持", "扶持", "引领", "壮大", "培育"}
#: Words after 产业 that make it part of a longer term ("产业链", "产业升级"), not an industry's name.
INDUSTRY_STOP_AFTER = ("链", "集群", "园", "CEO", "专班", "小组", "条件", "实际", "工人", "项目", "基础",
                       "结构", "升级", "转型", "融合", "体系", "政策")

# ---------------------------------------------------------------------------
# Organizations

#: Offices whose name is a place (or an abbreviated level word) + a function word.
DEPARTMENT_SUFFIXES = ("人民政府", "政府", "人民法院", "人民检察院", "法院", "检察院", "管委会", "管理委员会",
                       "融媒体中心", "办事处", "司法所", "派出所", "局")
#: Short forms whose official name the canonical form uses ("县检察院" → 定远县人民检察院).
OFFICIAL_SUFFIXES = {"检察院": "人民检察院", "法院": "人民法院", "人民政府": "政府"}
#: Names of groups that say only what a group is, not which one.
GENERIC_GROUPS = {"专项工作领导小组", "工作领导小组", "领导小组", "专业智库"}
#: Words ending in 局 that are no bureau.
NOT_BUREAU = ("格局", "布局", "大局", "全局", "结局", "当局", "开局", "破局", "变局", "新局", "时局", "残局", "骗局",
              "僵局", "终局", "定局", "总局", "棋局", "出局", "入局", "大格局")

# ---------------------------------------------------------------------------
# Persons

#: Single-character surnames a person's name may start with.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阎练"
    "尉木遇过亓妥揭相蔚计但晋宿昝茹邸郗訾顿宓厍丰乌习"
)
#: Two-character surnames.
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                     "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "呼延", "万俟")
#: Titles printed after a name ("习近平总书记") or before it ("委员长赵乐际", "人大代表韦永冠").
TITLES_AFTER = ("总书记", "委员长", "副委员长", "总理", "副总理", "同志")
TITLES_BEFORE = ("总书记", "委员长", "副委员长", "主任", "副主任", "书记", "人大代表", "代表", "委员", "局长",
                 "县长", "市长", "镇长", "乡长", "站长", "主席", "组长", "记者", "通讯员", "院长", "检察长")
#: jieba's tags of a person's name next to a title after it ('?': a word jieba does not know).
NAME_TAGS = ("nr", "nrfg", "nrt", "?")

# ---------------------------------------------------------------------------
# Quoted names: programmes, branded stations, media

#: Words that say what a quoted name is, with the Programme kind they give.
PROGRAMME_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("工作法", "working_method"), ("步法", "working_method"), ("模式", "model"), ("机制", "mechanism"),
    ("制度", "system"), ("体系", "system"), ("网络", "system"), ("品牌", "brand"), ("主题活动", "activity"),
    ("实践活动", "activity"), ("系列活动", "activity"), ("活动", "activity"), ("大讨论", "campaign"),
    ("行动", "activity"), ("工程", "project"), ("应用场景", "digital_platform"), ("小程序", "digital_platform"),
    ("应用", "digital_platform"), ("App", "digital_platform"), ("APP", "digital_platform"),
    ("平台", "platform"), ("讲堂", "activity"), ("座谈会", "activity"), ("论坛", "activity"),
    ("监督周", "activity"), ("就业圈", "project"), ("字诀", "working_method"), ("制", "system"),
)
#: Words after a quote that make it a medium ("…"专栏").
MEDIA_SUFFIXES = ("微信公众号", "公众号", "小视频", "视频号", "专栏", "栏目", "网站", "客户端", "抖音号", "报刊",
                  "杂志", "频道", "节目")
#: Words after a quote that make it a document ("…"规划").
DOCUMENT_SUFFIXES = ("规划", "纲要")
#: Words after a quote that make it a branded station ("向日葵"工作室).
STATION_SUFFIXES = ("工作室", "联络站点", "站点", "联络站", "代表之家", "议事厅")
#: Characters that must not occur in the words between a quote and its suffix
#: (nor in an unquoted programme's name): they belong to a phrase, not a name.
MODIFIER_STOP_CHARS = set("的和与及在是为把将对从到等了着并且或")
#: Verbs that launch, run or spread a named initiative.
LAUNCH_VERBS = ("开展", "组织", "举办", "推行", "实施", "打造", "创新", "建立", "探索", "推出", "推广",
                "创设", "打牢", "通过", "坚持", "深化", "启动", "发起", "落实", "以")
#: Verbs before a quoted name of any shape (not only numbered ones) that launch it.
NAME_LAUNCH_VERBS = ("推广", "推行", "实行", "推广建设", "创设", "推出", "举办")
#: Characters of venue abbreviations quoted for emphasis ("家站点").
STATION_ABBREV_CHARS = set("家室站点")

# ---------------------------------------------------------------------------
# Titles in 《》

#: Words after a run of titles that make them media ("《禹州新闻》电视栏目").
MEDIA_AFTER_TITLE = ("电视栏目", "栏目", "报刊", "杂志", "报纸", "公众号", "微信公众号", "刊物", "节目", "频道", "专栏")

# ---------------------------------------------------------------------------
# Laws and unquoted programmes

#: Words ending in 法 that are no law.
NOT_LAW = {"方法", "办法", "做法", "立法", "执法", "司法", "依法", "合法", "违法", "守法", "普法", "学法", "说法",
           "想法", "看法", "手法", "用法", "算法", "书法", "语法", "工作法", "宪法"}
#: Words before 模式 that name no model ("推行工作模式").
GENERIC_MODEL = {"工作", "发展", "管理", "服务", "运行", "治理", "合作", "经营"}
#: Endings of the words before 模式 that describe rather than name a model.
GENERIC_MODEL_END = ("工作", "发展", "管理", "服务")
