"""Normalisation of what users type."""
from text.normalize import normalize, squash


def test_traditional_to_simplified():
    assert squash("康復輔助器具推廣工程誰牽頭") == "康复辅助器具推广工程谁牵头"


def test_full_width_folded_and_numbers_kept():
    assert normalize("到２０２５年，养老床位达３２张") == "到2025年 养老床位达32张"
    assert "0.2万" in normalize("养老护理人员培训0.2万人次。")
    assert "50%" in normalize("不低于50％，谁负责？")


def test_filler_and_particles_removed():
    assert squash("请问一下，长者饭堂示范点是哪个部门牵头的呀？") == "长者饭堂示范点是哪个部门牵头的"
    assert squash("麻烦帮我查一下家庭养老床位吧") == "家庭养老床位"


def test_punctuation_only_and_empty():
    assert normalize("？？！！……") == ""
    assert normalize("") == ""
    assert normalize(None) == ""


def test_variant_asking_words_and_greetings():
    assert squash("養老護理人員培訓甚麼時候要完成") == "养老护理人员培训什么时候要完成"
    assert squash("各位领导好，长者饭堂谁负责，谢谢") == "长者饭堂谁负责"
