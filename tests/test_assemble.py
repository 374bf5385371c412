"""Assembly: captions split from credits, related items grouped, bylines without dates."""

from __future__ import annotations

import pytest

from cleaner import clean

STORY = (
    "The council voted on Tuesday to repair the old bridge before winter, after inspectors found "
    "cracks in two of its piers during a routine check in the summer."
)


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("by Regan September 15, 2014", "Regan"),
        ("By        Umair Irfan              Updated      Nov 13, 2019, 10:28am EST", "Umair Irfan"),
        ("By Sherif Saed,  Wednesday, 20 November 2019 08:05 GMT", "Sherif Saed"),
        ("By Stefan Becket, Kathryn Watson, Grace Segers", "Stefan Becket, Kathryn Watson, Grace Segers"),
        ("By        Chris Pokorny@DawgsByNature                Nov 18, 2019, 11:47am EST", "Chris Pokorny"),
    ],
)
def test_byline_is_the_names_without_date_or_handle(line, byline):
    res = clean(f"Bridge to be repaired\n\n{line}\n\n{STORY}\n\n{STORY} It will reopen in spring.")
    assert res.byline == byline
    assert line.strip() not in res.text


def test_caption_credit_and_related_items():
    text = (
        "Bridge to be repaired\n\n"
        "The old bridge over the river, seen from the east bank [Reuters]\n\n"
        f"{STORY}\n\n{STORY} It will reopen in spring.\n\n"
        "SOURCE: Agencies\n\n"
        "READ MORE: Floods close the coast road\n\n"
        "Heavy rain closed the coast road for a second day on Monday.\n"
    )
    res = clean(text)
    assert res.captions == [{
        "text": "The old bridge over the river, seen from the east bank",
        "credit": "Reuters",
        "lines": [3, 3],
        "after": 0,
    }]
    assert res.source == "Agencies"
    assert res.related == [{
        "kind": "read more", "title": "Floods close the coast road",
        "summary": "Heavy rain closed the coast road for a second day on Monday.", "lines": [11, 13],
    }]
    assert [b["lines"] for b in res.body] == [[5, 5], [7, 7]]
