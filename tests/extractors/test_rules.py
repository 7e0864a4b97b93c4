"""Rule extractor on real sentences of the seed pages.

Places are handed in as the gazetteer would (`PlaceSpan`s), so these tests pin
the rules alone; the gazetteer's own behaviour is tested with it."""
from __future__ import annotations

from known_places import place_spans

from renda_kg.extractors.records import PlaceSpan
from renda_kg.extractors.rules import sentence_mentions
from renda_kg.extractors.rules.persons import looks_like_name
from renda_kg.extractors.rules.text_helpers import quotes

#: surface → (official name, level, parents) for the places these sentences print
KNOWN = {
    "山东省": ("山东省", "province", ()), "临沂市": ("临沂市", "city", ("山东省",)),
    "临沂": ("临沂市", "city", ("山东省",)), "平邑县": ("平邑县", "county", ("临沂市", "山东省")),
    "费县": ("费县", "county", ("临沂市", "山东省")), "浙江省": ("浙江省", "province", ()),
    "开化县": ("开化县", "county", ("衢州市", "浙江省")), "齐溪": ("齐溪镇", "town", ("开化县",)),
    "中村镇": ("中村镇", "town", ("开化县",)), "桐村": ("桐村镇", "town", ("开化县",)),
    "河南省": ("河南省", "province", ()), "禹州市": ("禹州市", "county", ("许昌市", "河南省")),
    "河口街道": ("河口街道", "town", ("云城区",)), "云城区": ("云城区", "county", ("云浮市", "广东省")),
    "定城镇": ("定城镇", "town", ("定远县",)), "张桥镇": ("张桥镇", "town", ("定远县",)),
    "炉桥镇": ("炉桥镇", "town", ("定远县",)), "扬州": ("扬州市", "city", ("江苏省",)),
    "江苏": ("江苏省", "province", ()), "云城街道": ("云城街道", "town", ("云城区",)),
    "金山社区": ("金山社区", "village", ("云城街道",)), "宁陕": ("宁陕县", "county", ("安康市", "陕西省")),
    "山东": ("山东省", "province", ()), "潍坊市": ("潍坊市", "city", ("山东省",)),
}


def places(text: str) -> list[PlaceSpan]:
    return place_spans(KNOWN, text)


def found(text: str, typ: str | None = None, kind: str = "body") -> list[tuple]:
    out = []
    for m in sentence_mentions(text, places(text), kind):
        if typ is None or m.type == typ:
            out.append((m.type, m.name) if m.abbrev is None else (m.type, m.name, "abbrev:" + m.abbrev))
    return out


def names(text: str, typ: str) -> set[str]:
    return {m.name for m in sentence_mentions(text, places(text)) if m.type == typ and m.abbrev is None}


# ---------------------------------------------------------------------------
# CongressBody


def test_body_with_place_chain_keeps_one_level_and_aliases_the_full_name():
    text = "习近平总书记强调,各级人大常委会要加强代表工作能力建设。山东省临沂市人大常委会注重发挥人大代表专业特长"
    bodies = [m for m in sentence_mentions(text, places(text)) if m.type == "CongressBody"]
    assert [(m.name, m.kind) for m in bodies] == [("临沂市人大常委会", "standing_committee")]
    assert "山东省临沂市人大常委会" in bodies[0].aliases
    # the surface and offsets are the text's own
    assert text[bodies[0].start:bodies[0].end] == "山东省临沂市人大常委会"


def test_abbreviated_bodies_are_left_for_the_context():
    text = "活动结束后综合整理形成代表小组意见建议,提交市人大常委会领导和有关部门"
    assert found(text, "CongressBody") == [("CongressBody", "市人大常委会", "abbrev:市")]
    text = "由全国、省人大代表形成代表建议,在全国人代会或省人代会期间提出。"
    assert found(text, "CongressBody") == [("CongressBody", "全国人民代表大会"),
                                           ("CongressBody", "省人代会", "abbrev:省")]


def test_ellipsis_and_generic_bodies_are_no_entities():
    # "省、市人大常委会": the 省 body is elided, the 市 one must not be guessed
    assert found("坚决落实省、市人大常委会关于代表\"家站\"实施意见的相关要求", "CongressBody") == []
    assert found("各级人大常委会要加强代表工作能力建设", "CongressBody") == []
    assert found("人民代表大会制度是全过程人民民主的重要制度载体", "CongressBody") == []


def test_town_congress_and_short_place_forms():
    text = "例如齐溪人大建立\"四联五共\"跨界协作体系、中村镇人大创新\"360\"工作法"
    bodies = {m.name: m for m in sentence_mentions(text, places(text)) if m.type == "CongressBody"}
    assert set(bodies) == {"齐溪镇人大", "中村镇人大"}
    assert bodies["齐溪镇人大"].kind == "presidium" and "齐溪人大" in bodies["齐溪镇人大"].aliases


def test_working_committee_brings_its_standing_committee():
    text = "邀请省人大常委会代表工委相关领导现场观摩"
    assert found(text, "CongressBody") == [("CongressBody", "省人大常委会", "abbrev:省"),
                                           ("CongressBody", "省人大常委会代表工委", "abbrev:省")]


def test_party_group_of_a_committee_is_an_organization():
    text = "将代表小组活动重要成果以市人大常委会党组文件的形式报送市委"
    assert ("Organization", "市人大常委会党组", "abbrev:市") in found(text, "Organization")
    assert ("Organization", "市委", "abbrev:市") in found(text, "Organization")


# ---------------------------------------------------------------------------
# Industries, deputy groups, stations


def test_listed_industries_make_deputy_groups():
    text = "将与全市重点产业紧密相关的全国、省、市三级人大代表进行混合编组,设立商贸物流、木业、医药等11个产业代表小组"
    assert names(text, "CongressBody") == {"商贸物流产业代表小组", "木业产业代表小组", "医药产业代表小组"}
    industries = {m.name: m.aliases for m in sentence_mentions(text, []) if m.type == "Industry"}
    assert set(industries) == {"商贸物流产业", "木业产业", "医药产业"}
    assert "商贸物流" in industries["商贸物流产业"]


def test_count_with_one_qualifier_is_no_list():
    assert found("在组建市级11个产业代表小组的基础上,县区根据产业实际组建了差异化产业小组") == []


def test_place_prefixed_deputy_group():
    text = "例如,费县木业产业代表小组,从\"生产一张板\"到\"智造一个家\",每个环节都有省、市人大代表参与的身影。"
    assert set(found(text)) == {("CongressBody", "费县木业产业代表小组"), ("Industry", "木业产业")}


def test_industry_stations_with_a_cooperative_and_a_quoted_item():
    text = "相继建立钧瓷、\"三粉\"、闵杏合作社、中医药、新材料5个产业代表联络站,将人大代表牢牢镶嵌在产业链上"
    assert names(text, "LiaisonStation") == {"钧瓷产业代表联络站", "三粉产业代表联络站", "闵杏合作社产业代表联络站",
                                             "中医药产业代表联络站", "新材料产业代表联络站"}
    assert names(text, "Organization") == {"闵杏合作社"}
    assert names(text, "Industry") == {"钧瓷产业", "三粉产业", "中医药产业", "新材料产业"}


def test_generic_industry_words_are_no_industry():
    for text in ("聚焦传统产业转型升级、力促经济稳进提质", "其中不乏支柱产业、战略性新兴产业、未来产业的人大代表",
                 "推动做大做强特色农业产业", "助力乡村产业发展", "把代表小组建在核心产业链上"):
        assert names(text, "Industry") == set(), text
    assert names("朱阁镇辖区人大代表先后开展不锈钢特色产业安全环保专题调研", "Industry") == {"不锈钢特色产业"}


def test_stations_need_a_real_place_or_a_name():
    assert names("用好河口街道人大代表中心联络站作为联络单位的作用", "LiaisonStation") == {"河口街道人大代表中心联络站"}
    for text in ("深度拓展26个基层立法联系点和697个人大代表联络站的功能作用",
                 "引导人大代表依托村级代表联络点开展民事调解", "常态化在网上人大代表联络站组织开展活动"):
        assert names(text, "LiaisonStation") == set(), text
    text = "在云城街道金山社区打造基层立法联络站,制定完善工作职责和工作制度"
    assert names(text, "LiaisonStation") == {"云城街道金山社区基层立法联络站"}


def test_branded_stations_in_a_list():
    text = "打造定城镇\"暖东茶事\"、张桥镇\"职工之家\"、炉桥镇\"代表议事厅\"、县检察院\"向日葵\"工作室特色站点4个。"
    stations = {m.name: m.aliases for m in sentence_mentions(text, places(text)) if m.type == "LiaisonStation"}
    assert set(stations) == {"暖东茶事", "职工之家", "代表议事厅", "向日葵"}
    assert "定城镇暖东茶事" in stations["暖东茶事"]
    assert {"向日葵工作室", "县检察院向日葵工作室"} <= set(stations["向日葵"])


# ---------------------------------------------------------------------------
# Programmes


def test_quoted_name_with_its_suffix():
    text = "构建\"一重点产业一代表小组\"工作机制,形成\"产业小组+产业专班+智库专家+政府部门\"联动工作 模式"
    progs = {m.name: (m.aliases, m.kind) for m in sentence_mentions(text, []) if m.type == "Programme"}
    assert progs["一重点产业一代表小组"] == (("一重点产业一代表小组工作机制",), "mechanism")
    assert progs["产业小组+产业专班+智库专家+政府部门"][1] == "model"


def test_quoted_list_takes_the_category_after_it():
    text = "医药产业代表小组积极开展\"双招双引\"\"我来提建议\"等活动,成功实施院士引进项目"
    assert names(text, "Programme") == {"双招双引", "我来提建议"}
    text = "因地制宜联动开展代表助力\"三个一号工程\"、代表\"双岗建功\"等主题活动"
    progs = {m.name: m.aliases for m in sentence_mentions(text, []) if m.type == "Programme"}
    assert set(progs) == {"三个一号工程", "双岗建功"} and "代表双岗建功" in progs["双岗建功"]


def test_emphasis_and_descriptions_are_no_programmes():
    for text in ("实现了代表小组活动的\"规范性\"、组织形式的\"灵活性\"、活动议事的\"专业性\"。",
                 "构建\"文、视、声、网\"等覆盖广泛、立体高效的宣传体系",
                 "建立\"一张图\"\"五步走\"\"五张单\"的\"155\"工作体系",
                 "立足\"接待选民、立法联络、普法宣传\"三大任务",
                 "通过\"建立一完善一优化\"全链条持续推动代表工作机制创新",
                 "完善人大代表\"家站点\"运行机制"):
        progs = names(text, "Programme") - {"155"}
        assert progs == set(), (text, progs)
    assert names("建立\"一张图\"\"五步走\"\"五张单\"的\"155\"工作体系", "Programme") == {"155"}


def test_numbered_names_after_a_launching_verb():
    assert names("通过\"三亮\"推进,选树典型、示范带动", "Programme") == {"三亮"}
    assert names("全面普及推广\"两码\",群众\"码上\"找代表", "Programme") == {"两码"}
    assert names("紧扣\"四好\"功能定位,结合监督议题", "Programme") == set()


def test_named_voting_system_without_quotes():
    text = "持续全面推进政府民生实事项目人大代表票决制工作"
    progs = [m for m in sentence_mentions(text, []) if m.type == "Programme"]
    assert [(m.name, m.aliases) for m in progs] == [("民生实事项目人大代表票决制", ("政府民生实事项目人大代表票决制",))]


# ---------------------------------------------------------------------------
# Documents and media


def test_titles_by_their_last_word_and_context():
    text = "在《禹州新闻》电视栏目和《禹州通讯》报刊上开设\"为人民履职、为禹州添彩·人大代表在行动\"专栏"
    assert names(text, "Media") == {"禹州新闻", "禹州通讯", "为人民履职、为禹州添彩·人大代表在行动"}
    text = "紧盯《新华日报》以及江苏省人大内刊、中国人大网站、《人民代表报》《人民与权力》等行业媒体"
    assert names(text, "Media") == {"新华日报", "中国人大网", "人民代表报", "人民与权力"}
    text = "制定《人大代表履职管理办法》,对代表履职规范量化"
    assert found(text) == [("Document", "人大代表履职管理办法")]
    text = "按照《云城区人大代表履职考评办法(试行)》,认真组织开展考评"
    docs = [m for m in sentence_mentions(text, []) if m.type == "Document"]
    assert docs[0].aliases == ("云城区人大代表履职考评办法",)


def test_article_titles_in_brackets_are_no_entities():
    text = "先后在各级主流媒体刊发《向\"颜值\"要\"价值\"》《端起\"金饭碗\"吃\"生态饭\"》《大肩膀上的小身影》等鲜活报道"
    assert found(text) == []


def test_laws_without_brackets():
    text = ("对于已有的相关法律制度,如民法典、公司法、数据安全法、网络安全法、生物安全法、科学技术进步法、"
            "促进科技成果转化法、国家科学技术奖励条例等法律法规,根据新质生产力发展状况作出修改")
    assert names(text, "Document") == {"民法典", "公司法", "数据安全法", "网络安全法", "生物安全法", "科学技术进步法",
                                       "促进科技成果转化法", "国家科学技术奖励条例"}
    assert names("开展可再生能源法执法检查,提出工作建议4条", "Document") == {"可再生能源法"}
    assert names("认真贯彻落实新修改的地方组织法,围绕全县经济社会发展大局", "Document") == {"地方组织法"}
    assert names("依法立法,提升立法质量与效益", "Document") == set()


# ---------------------------------------------------------------------------
# Organizations and persons


def test_departments_with_places_and_abbreviations():
    text = "对县自规局、定远经开区(盐化园)管委会、县现代农业示范园管委会开展工作评议"
    got = found(text, "Organization")
    assert ("Organization", "县自规局", "abbrev:县") in got
    assert ("Organization", "县现代农业示范园管委会", "abbrev:县") in got
    text = "调研县人民法院行政审判和司法建议、县人民检察院检察建议工作情况"
    assert [m.tail for m in sentence_mentions(text, []) if m.type == "Organization"] == ["人民法院", "人民检察院"]


def test_party_committees_and_national_bodies():
    text = "确保宣传工作始终与党中央和省委、市委、区委同向同行。"
    got = found(text, "Organization")
    assert got == [("Organization", "省委", "abbrev:省"), ("Organization", "市委", "abbrev:市"),
                   ("Organization", "区委", "abbrev:区"), ("Organization", "党中央")]
    text = "2023年以来,中共中央政治局常委、全国人大常委会委员长赵乐际在重庆、天津等地调研时多次强调"
    assert ("Organization", "中共中央政治局") in found(text)
    assert ("CongressBody", "全国人大常委会") in found(text)
    assert ("Person", "赵乐际") in found(text)


def test_named_groups_and_venues():
    assert names("一是健全组织机制。成立人大宣传工作领导小组,由常委会分管副主任为组长", "Organization") == \
        {"人大宣传工作领导小组"}
    assert names("成立专项工作领导小组,设立人大工作联络中心", "Organization") == set()
    assert names("推动人大阵地与共享法庭、南孔书屋、包山书院等配套融合", "Organization") == {"南孔书屋", "包山书院"}


def test_persons_next_to_titles_and_the_surname_check():
    assert names("习近平总书记强调,各级人大常委会要加强代表工作能力建设", "Person") == {"习近平"}
    assert names("六龙村人大代表韦永冠说", "Person") == {"韦永冠"}
    assert names("人大代表履职热情高涨", "Person") == set()
    assert looks_like_name("欧阳修") and not looks_like_name("代表")


def test_quotes_pair_in_order_and_nest():
    qs = quotes("围绕“履职建功‘三年’”,人大代表在行动”“两个全覆盖”群众工作法")
    assert [q.core for q in qs] == ["履职建功‘三年’", "两个全覆盖"]
    assert [q.core for q in quotes('"双招双引""我来提建议"等')] == ["双招双引", "我来提建议"]


# ---------------------------------------------------------------------------
# Forms seen on pages the rules were not written on


def test_stations_named_after_the_deputies_they_gather():
    text = "已建成河西街道向阳社区人大代表联络站、涉侨工作人大代表联络站、教育系统人大代表联络站、园区企业界人大代表联络站等4个品牌站点。"
    assert {"涉侨工作人大代表联络站", "教育系统人大代表联络站", "园区企业界人大代表联络站"} <= names(text, "LiaisonStation")
    # a sector word inside a longer phrase is no station name
    assert not names("做好代表工作联络站建设的各项准备。", "LiaisonStation")


def test_titles_that_are_proposals_or_books_are_documents():
    text = "代表提出《关于罗秀河流域中小河流河道综合整治工程的建议》,并学习《人大代表怎样写议案和建议》。"
    assert names(text, "Document") == {"关于罗秀河流域中小河流河道综合整治工程的建议", "人大代表怎样写议案和建议"}


def test_abbreviated_party_committees_wait_for_the_context():
    found_ = found("贯彻落实中央、自治区党委和市委人大工作会议精神。", "Organization")
    assert ("Organization", "自治区党委", "abbrev:自治区") in found_
    assert ("Organization", "市委", "abbrev:市") in found_
