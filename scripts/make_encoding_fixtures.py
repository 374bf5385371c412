"""Write tests/fixtures/encodings/: one short news text per encoding, and `expected.json`.

    python scripts/make_encoding_fixtures.py

Each fixture is the same kind of scraped dump a user has (a title, paragraphs, a source
line) in one encoding; `expected.json` maps each file to its encoding and its text as Python
decodes it, so `scripts/measure_decoding.py` and the tests can check a detector's output.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "encodings"

FRENCH = (
    "Le conseil municipal adopte le budget de l'année\n\n"
    "Les élus ont voté mardi soir un budget en légère hausse, après un débat de trois heures "
    "sur le coût des travaux du pont et la rénovation des écoles.\n\n"
    "« Nous avons fait des choix difficiles », a déclaré la maire, qui a précisé que les impôts "
    "locaux ne seraient pas augmentés cette année.\n\n"
    "L'opposition a dénoncé un budget « sans ambition » et réclamé une étude sur la sécurité "
    "des piétons près du marché couvert.\n\n"
    "SOURCE : Rédaction régionale\n"
)
GERMAN_CP1252 = (
    "Stadtrat beschließt neue Brücke – Kosten über 12 Mio. €\n\n"
    "Der Stadtrat hat am Dienstag den Bau einer neuen Fußgängerbrücke über den Fluss beschlossen. "
    "„Wir müssen jetzt handeln“, sagte die Bürgermeisterin nach der Sitzung.\n\n"
    "Die Arbeiten sollen im Frühjahr beginnen und etwa zwei Jahre dauern… Anwohner befürchten "
    "Lärm und Umwege während der Bauzeit.\n\n"
    "Quelle: Lokalredaktion\n"
)
ENGLISH = (
    "Council votes to repair the old bridge\n\n"
    "The council voted on Tuesday to repair the old bridge before winter comes, after engineers "
    "found cracks in two of its arches.\n\n"
    "“We cannot wait another year,” the mayor said. Work is expected to cost about €2 million "
    "and to close the bridge to traffic for six weeks.\n\n"
    "SOURCE: City desk\n"
)
JAPANESE = (
    "市議会、古い橋の補修を決定\n\n"
    "市議会は火曜日、冬が来る前に古い橋を補修することを決めた。技術者が二つのアーチにひびを見つけたためだ。\n\n"
    "市長は「もう一年待つことはできない」と述べた。工事費は約三億円で、橋は六週間通行止めになる見込みだ。\n\n"
    "住民からは、工事中の迂回路について不安の声も上がっている。\n"
)
ENGLISH_QUOTES = (
    "Mayor’s plan wins – narrowly\n\n"
    "The mayor’s “bridge first” plan won by one vote on Tuesday — a result few expected.\n"
)
SHORT_FRENCH = "Café crème à la gare\n\nLe café de la gare a rouvert ses portes mardi.\n"
RUSSIAN = (
    "Городской совет решил отремонтировать старый мост\n\n"
    "Во вторник городской совет проголосовал за ремонт старого моста до наступления зимы, "
    "после того как инженеры обнаружили трещины в двух его арках.\n\n"
    "«Мы не можем ждать ещё год», — заявил мэр города.\n"
)

# file name -> (codec Python writes it with, the text, what a correct decoding must give)
FIXTURES = {
    "latin1.txt": ("latin-1", FRENCH),
    "cp1252.txt": ("cp1252", GERMAN_CP1252),
    "utf8.txt": ("utf-8", FRENCH),
    "utf8-bom.txt": ("utf-8-sig", ENGLISH),
    "utf16le-bom.txt": ("utf-16-le", ENGLISH),
    "utf16be-bom.txt": ("utf-16-be", JAPANESE),
    "utf32le-bom.txt": ("utf-32-le", RUSSIAN),
    "shift_jis.txt": ("shift_jis", JAPANESE),
    "cp1251.txt": ("cp1251", RUSSIAN),
    "cp1252-quotes.txt": ("cp1252", ENGLISH_QUOTES),
    "latin1-short.txt": ("latin-1", SHORT_FRENCH),
    "shift_jis-short.txt": ("shift_jis", "橋の補修を決定\n\n市議会は火曜日に決めた。\n"),
}
BOMS = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (codec, text) in FIXTURES.items():
        data = BOMS.get(codec, b"") + text.encode(codec)
        (OUT / name).write_bytes(data)
        expected[name] = {"written_as": codec, "text": text}
    (OUT / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")


if __name__ == "__main__":
    main()
