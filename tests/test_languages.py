"""Non-English pages are not emptied: stoplists where we have them, language-neutral cues else."""

from __future__ import annotations

from cleaner import clean

CHINESE = """北京市发布新的空气质量报告 - 新闻网

首页
新闻
体育

北京市环境保护局星期二发布了最新的空气质量报告，报告显示今年前十个月全市细颗粒物平均浓度同比下降百分之十二，空气质量优良天数比去年同期增加了二十天。

专家表示，空气质量的改善主要得益于燃煤治理、机动车排放控制以及工业企业的升级改造。市政府计划在明年继续推进清洁能源替代工作，进一步减少污染物排放。

分享到微信
分享到微博
"""

GERMAN = """Stadtrat beschließt Sanierung der alten Brücke | Tageblatt

Startseite
Lokales
Sport

Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss noch vor dem Winter zu sanieren, weil die Prüfer im Sommer Risse in den Pfeilern gefunden hatten.

Die Arbeiten sollen nach Angaben der Verwaltung rund drei Monate dauern. In dieser Zeit wird der Verkehr über eine Behelfsbrücke geführt, die bereits im Herbst aufgebaut worden ist.

Teilen
Facebook Twitter E-Mail
"""


def test_chinese_without_stoplist_keeps_the_story_and_strips_the_site_name():
    r = clean(CHINESE)
    assert r.title == "北京市发布新的空气质量报告"
    assert r.language is None
    assert [b["lines"] for b in r.body] == [[7, 7], [9, 9]]
    assert "分享到微信" not in r.text and "首页" not in r.text


def test_german_uses_its_stoplist():
    r = clean(GERMAN)
    assert r.language == "de"
    assert r.title == "Stadtrat beschließt Sanierung der alten Brücke"
    assert len(r.body) == 2 and r.body[0]["text"].startswith("Der Stadtrat hat am Dienstag")
    assert "Startseite" not in r.text and "Facebook" not in r.text


def test_a_given_language_is_used_as_is():
    assert clean(GERMAN, language="de").language == "de"
    assert clean(CHINESE, language="zh").language == "zh"
