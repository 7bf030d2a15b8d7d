from normalize.labels import label_to_canonical, split_glued_code
from normalize.text import fold_text, match_key


def test_kangxi_radicals_fold_to_ideographs():
    assert fold_text("⼀般公共预算财政拨款⽀出") == "一般公共预算财政拨款支出"


def test_radicals_supplement_folds_from_data_file():
    assert fold_text("⻓期⻔诊") == "长期门诊"


def test_spaces_between_han_removed_but_not_between_words_and_numbers():
    assert fold_text("收 入 决 算 表") == "收入决算表"
    assert fold_text("合计 133.28") == "合计 133.28"


def test_fullwidth_digits_and_brackets():
    assert fold_text("１３３．２８％") == "133.28%"
    assert fold_text("因公出国(境)费") == "因公出国（境）费"


def test_match_key_drops_punctuation_and_spaces():
    assert match_key("财政拨款“三公”经费支出决算表") == match_key("财政拨款 三公 经费支出决算表")


def test_label_ordinals_removed():
    assert label_to_canonical("一、一般公共服务支出") == "一般公共服务支出"
    assert label_to_canonical("（三）国有资本经营预算") == "国有资本经营预算"
    assert label_to_canonical("1.行政运行") == "行政运行"
    # a code-like number is not an ordinal
    assert label_to_canonical("2010350") == "2010350"


def test_glued_code_split():
    assert split_glued_code("[2010350]事业运行") == ("2010350", "事业运行")
    assert split_glued_code("【201】一般公共服务支出") == ("201", "一般公共服务支出")
    assert split_glued_code("事业运行") == (None, "事业运行")
