"""Agency names resolve to one body inside a jurisdiction."""
import pytest

from index.agencies import agency_key, group_agencies, query_aliases


def test_abbreviations_join_one_body():
    names = [("三亚市", n) for n in ("市卫健委", "市卫健委员会", "市卫生健康委员会", "市资规局", "市自然资源和规划局")]
    groups = group_agencies(names)
    assert len(groups) == 2
    assert groups[0].canonical == "市卫生健康委员会"


def test_same_name_is_a_different_body_elsewhere():
    groups = group_agencies([("三亚市", "市民政局"), ("省会城市", "市民政局")])
    assert len(groups) == 2 and {g.jurisdiction for g in groups} == {"三亚市", "省会城市"}


def test_level_prefix_and_place_name():
    assert agency_key("市市场监管局", "三亚市") == ("市", "市场监督管理局")
    assert agency_key("市场监督管理局") == (None, "市场监督管理局")
    assert agency_key("国家税务总局三亚市税务局", "三亚市") == ("市", "税务局")
    assert agency_key("各区政府", "三亚市") == agency_key("各区人民政府", "三亚市")


def test_curated_alias_joins_what_no_rule_can():
    groups = group_agencies([("四川省", "民政部"), ("四川省", "民政厅")])
    assert len(groups) == 1 and groups[0].canonical == "民政厅"


def test_query_aliases_cover_short_forms_and_places():
    (wei,) = group_agencies([("三亚市", "市卫生健康委员会")])
    aliases = query_aliases(wei)
    assert {"卫健委", "市卫健委", "三亚市卫健委", "三亚卫健委"} <= aliases
    (edu,) = group_agencies([("四川省", "教育厅")])
    assert {"四川教育厅", "省教育厅", "教育厅"} <= query_aliases(edu)


def test_party_and_league_organs_answer_to_their_formal_names():
    """中共X县委宣传部 is the 县委宣传部 and 共青团X县委员会 the 团县委 (the place sits inside)."""
    (league, propaganda) = group_agencies([("宝清县", "团县委"), ("宝清县", "县委宣传部")])
    assert agency_key("共青团宝清县委员会", "宝清县")[1] == league.key
    assert agency_key("中共宝清县委宣传部", "宝清县")[1] == propaganda.key
    assert "共青团宝清县委员会" in query_aliases(league) and "中共宝清县委宣传部" in query_aliases(propaganda)


@pytest.mark.parametrize("typed, printed", [("人社部", "人力资源社会保障部"), ("住建部", "住房和城乡建设部"),
                                            ("人社厅", "人力资源和社会保障厅"), ("工信局", "工业和信息化局"),
                                            ("文旅厅", "文化和旅游厅"), ("应急局", "应急管理局")])
def test_a_short_stem_names_the_body_whatever_its_kind(typed, printed):
    from index.agencies import agency_key

    assert agency_key(typed) == agency_key(printed)


def test_a_named_short_form_wins_over_a_stem():
    from index.agencies import agency_key

    # 发改委 is 发展和改革委员会 ([expand]); the stem 发改 + 委 would make it 发展和改革委
    assert agency_key("市发改委") == agency_key("市发展和改革委员会")
    assert agency_key("人社部") != agency_key("人社局")  # the kind still tells bodies apart
