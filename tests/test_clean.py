"""Tests for storyline.clean: page furniture goes, news stays, every cut is traceable."""


import pytest

from storyline.clean import clean_text

from helpers import SEEDS



def _seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds-sample data not present")
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not present")
    return found[0].read_text(encoding="utf-8")


def _assert_traceable(raw, cleaned):
    for r in cleaned.removed:
        assert r.start >= 0
        assert raw[r.start : r.start + len(r.text)] == r.text, r


def _reasons(cleaned):
    return [(r.reason, r.text) for r in cleaned.removed]


def _lines(text):
    return [ln.strip() for ln in text.splitlines()]


# --- the real seed articles ---------------------------------------------------


def test_seed_002_chrome_desk_and_repeated_standfirst():
    raw = _seed("002")
    c = clean_text(raw)
    _assert_traceable(raw, c)
    lines = _lines(c.text)
    assert "Follow Us:" not in lines
    assert "Advertisement" not in lines
    assert sum(1 for r in c.removed if r.reason == "advertisement") == 4
    assert not any("TIS Desk" in ln for ln in lines)
    assert c.desk == "TIS Desk"
    assert "The Hague" in (c.desk or "") + (c.byline or "") + (c.dateline or "")
    standfirst = "Zelenskyy also briefed Trump on recent battlefield realities"
    assert c.text.count(standfirst) == 1
    assert raw.count(standfirst) == 2
    assert "Key Points of the Discussion:" in lines
    for quote in ("“a good meeting”", "“It is important that the U.S. actions",
                  "“Ukraine is ready to buy this equipment", "“Putin is definitely not winning."):
        assert quote in c.text
    assert "killed 17 people and injured over 200 in Dnipro" in c.text
    assert "according to Al Jazeera." in c.text
    assert not c.text.startswith("\n") and not c.text.endswith("\n")
    assert "\n\n\n" not in c.text


def test_seed_000_product_plugs_and_related_links():
    raw = _seed("000")
    c = clean_text(raw)
    _assert_traceable(raw, c)
    assert "Wood Stoves" not in c.text
    assert "Flashlights" not in c.text
    assert "Related:" not in c.text
    reasons = [r.reason for r in c.removed]
    assert reasons.count("promotional") == 2
    assert reasons.count("related links") == 2
    lines = _lines(c.text)
    assert "Key Developments & Timeline" in lines
    assert "Background & Context" in lines
    raw_bullets = [ln for ln in raw.splitlines() if ln.startswith("- ")]
    assert len(raw_bullets) == 9
    for bullet in raw_bullets:
        assert bullet in c.text
    # Nothing but the four tail lines goes.
    assert len(c.removed) == 4


def test_seed_004_keeps_all_news():
    raw = _seed("004")
    c = clean_text(raw)
    _assert_traceable(raw, c)
    assert c.removed == []
    assert c.text == raw.strip("\n")


# --- synthetic cases ----------------------------------------------------------


def test_glued_source_name_after_full_stop():
    raw = "The strike hit the grid.Reuters"
    c = clean_text(raw)
    assert c.text == "The strike hit the grid."
    assert _reasons(c) == [("citation residue", "Reuters")]
    assert c.removed[0].start == raw.index("Reuters")


def test_glued_name_with_counter_mid_line():
    raw = "Missiles struck a clinic in Dnipro.Al Jazeera+1 Rescue teams worked overnight."
    c = clean_text(raw)
    assert c.text == "Missiles struck a clinic in Dnipro. Rescue teams worked overnight."
    assert _reasons(c) == [("citation residue", "Al Jazeera+1")]
    _assert_traceable(raw, c)


def test_counter_residue_variants():
    raw = (
        "Officials confirmed the toll, he said.AP News+2\n"
        "Power was cut in three regions. Kyiv Independent+1\n"
        "The ceasefire held for a day.kyivindependent.com+3"
    )
    c = clean_text(raw)
    assert c.text.splitlines() == [
        "Officials confirmed the toll, he said.",
        "Power was cut in three regions.",
        "The ceasefire held for a day.",
    ]
    assert [r.text for r in c.removed] == ["AP News+2", "Kyiv Independent+1", "kyivindependent.com+3"]
    _assert_traceable(raw, c)


def test_bracketed_markers():
    raw = (
        "Talks resumed in Istanbul [1]. Prisoners were exchanged.[2][3]\n"
        "The summit was moved to Budapest.【4†source】\n"
        "Drones hit an oil depot (Reuters).\n"
        "KYIV, June 24 (Reuters) - Russia launched a wave of drones."
    )
    c = clean_text(raw)
    assert c.text.splitlines() == [
        "Talks resumed in Istanbul. Prisoners were exchanged.",
        "The summit was moved to Budapest.",
        "Drones hit an oil depot.",
        "KYIV, June 24 (Reuters) - Russia launched a wave of drones.",
    ]
    assert all(r.reason == "citation residue" for r in c.removed)
    assert [r.text for r in c.removed] == ["[1]", "[2][3]", "【4†source】", "(Reuters)"]
    _assert_traceable(raw, c)


def test_ordinary_sentences_are_not_residue():
    raw = (
        "U.S.Army units stayed. The talks ended at 5 p.m. Officials left.\n"
        "Visit www.Example.com for details.\n"
        "The vote passed 52-48. Next, the bill goes to the Senate."
    )
    c = clean_text(raw)
    assert c.text == raw
    assert c.removed == []


def test_share_prompts_and_chrome():
    raw = (
        "Share this article\n"
        "Share on Facebook\n"
        "Tweet\n"
        "Copy link\n"
        "Click here to share\n"
        "Share | Email | Print\n"
        "Troops withdrew from the village on Monday.\n"
        "Subscribe to our newsletter\n"
        "Sign up for our morning briefing\n"
        "Follow us on Telegram for updates\n"
        "Story continues below advertisement\n"
        "Sponsored\n"
        "The mayor said repairs would take a week."
    )
    c = clean_text(raw)
    assert c.text == "Troops withdrew from the village on Monday.\nThe mayor said repairs would take a week."
    got = {r.text: r.reason for r in c.removed}
    for prompt in ("Share this article", "Share on Facebook", "Tweet", "Copy link",
                   "Click here to share", "Share | Email | Print"):
        assert got[prompt] == "share prompt"
    assert got["Subscribe to our newsletter"] == "site chrome"
    assert got["Sign up for our morning briefing"] == "site chrome"
    assert got["Follow us on Telegram for updates"] == "site chrome"
    assert got["Story continues below advertisement"] == "advertisement"
    assert got["Sponsored"] == "advertisement"
    _assert_traceable(raw, c)


def test_a_promotion_between_its_markers_goes_whatever_its_length():
    promo = ("skip past newsletter promotion Sign up to Morning Mail Free daily newsletter " + "word " * 60 +
             "We use Google reCaptcha to protect our website. after newsletter promotion")
    raw = f"Troops withdrew from the village on Monday.\n\n{promo}\n\nThe mayor said repairs would take a week."
    c = clean_text(raw)
    assert c.text.split() == "Troops withdrew from the village on Monday. The mayor said repairs would take a week.".split()
    assert [(r.reason, r.text) for r in c.removed] == [("promotion", promo)]
    _assert_traceable(raw, c)
    # Without its end marker a long line is the article's own.
    kept = "skip past newsletter promotion " + "word " * 60
    assert "skip past" in clean_text(f"Troops withdrew on Monday.\n\n{kept}").text


def test_related_run_and_content_headings():
    raw = (
        "Key Points of the Discussion:\n"
        "Both sides agreed to more talks.\n"
        "READ MORE\n"
        "Ukraine Strikes Russian Refinery in Overnight Raid\n"
        "What the Alaska Summit Means for Europe\n"
        "Background & Context\n"
        "Also read: Five things to know about the summit\n"
        "The war began in 2022."
    )
    c = clean_text(raw)
    assert c.text.splitlines() == [
        "Key Points of the Discussion:",
        "Both sides agreed to more talks.",
        "Background & Context",
        "The war began in 2022.",
    ]
    assert {r.reason for r in c.removed} == {"related links"}
    assert len(c.removed) == 4


def test_bylines_and_desk():
    raw = (
        "By Jane Doe, Reuters\n\n"
        "Web Desk | Kyiv\n\n"
        "Russia launched 90 drones overnight.\n\n"
        "By Tuesday, most of the power had been restored.\n\n"
        "(Reporting by Olena Harmash; Editing by John Roe)"
    )
    c = clean_text(raw)
    assert c.text == "Russia launched 90 drones overnight.\n\nBy Tuesday, most of the power had been restored."
    assert c.byline == "Jane Doe, Reuters; Reporting by Olena Harmash; Editing by John Roe"
    assert c.desk == "Web Desk"
    assert c.dateline == "Kyiv"
    assert [r.reason for r in c.removed] == ["byline", "desk line", "byline"]
    _assert_traceable(raw, c)


def test_uppercase_byline():
    c = clean_text("By JANE DOE and JOHN ROE\nThe talks collapsed.")
    assert c.text == "The talks collapsed."
    assert c.byline == "JANE DOE and JOHN ROE"


def test_title_removed_when_given_and_repeated_lines():
    title = "Leaders Meet in Geneva"
    standfirst = "The two presidents spoke for three hours about prisoner exchanges."
    raw = f"{title}\n\n{standfirst}\n\nThey met at a lakeside villa.\n\n{title}\n\n{standfirst}\n\nAnalysis\n\nAnalysis"
    c = clean_text(raw, title=title)
    assert c.text == f"{standfirst}\n\nThey met at a lakeside villa.\n\nAnalysis\n\nAnalysis"
    assert [r.reason for r in c.removed] == ["repeated title", "repeated title", "repeated line"]
    _assert_traceable(raw, c)


def test_first_line_taken_as_title_when_none_given():
    raw = "Leaders Meet in Geneva\nThey met at a lakeside villa.\nLeaders Meet in Geneva"
    c = clean_text(raw)
    assert c.text == "Leaders Meet in Geneva\nThey met at a lakeside villa."
    assert [(r.reason, r.start) for r in c.removed] == [("repeated title", raw.rindex("Leaders"))]


def test_product_plugs_generic_but_conservative():
    raw = (
        "Energy Minister – Your homes will have power by winter, she told parliament.\n"
        "Kharkiv Governor – Stay in shelters until the all-clear sounds.\n"
        "The grid operator restored supplies to 40,000 homes.\n"
        "Tactical Backpacks – Carry everything you need, built for the trail.\n"
        "Solar Power Banks – Never run out of charge again. Use code FIELD10 for 10% off."
    )
    c = clean_text(raw)
    assert c.text.splitlines() == [
        "Energy Minister – Your homes will have power by winter, she told parliament.",
        "Kharkiv Governor – Stay in shelters until the all-clear sounds.",
        "The grid operator restored supplies to 40,000 homes.",
    ]
    assert [r.reason for r in c.removed] == ["promotional", "promotional"]


def test_strong_promo_marker_anywhere():
    raw = "Field Knife – Shop now and get free shipping.\nThe convoy reached Sumy at dawn."
    c = clean_text(raw)
    assert c.text == "The convoy reached Sumy at dawn."


def test_empty_bullets_and_punctuation_lines():
    raw = "First point.\n  •  \n-\n***\n…\nSecond point."
    c = clean_text(raw)
    assert c.text == "First point.\nSecond point."
    assert [r.reason for r in c.removed] == ["empty bullet", "empty bullet", "empty bullet", "punctuation only"]
    _assert_traceable(raw, c)


def test_blank_runs_collapse_and_edges_trimmed():
    raw = "\n\nAdvertisement\n\n\n\nOne.\n\n\n\nTwo.\n\nAdvertisement\n\n"
    c = clean_text(raw)
    assert c.text == "One.\n\nTwo."


def test_empty_input():
    c = clean_text("")
    assert c.text == "" and c.removed == [] and c.byline is None and c.desk is None


def test_crlf_input_offsets_still_point_into_raw():
    raw = "Advertisement\r\n\r\nThe bridge reopened.Reuters\r\nShare on X\r\n"
    c = clean_text(raw)
    assert c.text == "The bridge reopened."
    assert [r.reason for r in c.removed] == ["advertisement", "citation residue", "share prompt"]
    _assert_traceable(raw, c)


def test_bulleted_related_list_after_heading_is_removed():
    raw = ("Strikes hit the port overnight, officials said.\n\nRelated:\n"
           "- Port city counts the cost of a long night\n"
           "• What the new air defence deliveries mean\n\n"
           "A final paragraph that is news and must stay.")
    # The trailing paragraph ends with a full stop, so it is not a headline.
    out = clean_text(raw)
    reasons = [(r.reason, r.text) for r in out.removed]
    assert ("related links", "- Port city counts the cost of a long night") in reasons
    assert ("related links", "• What the new air defence deliveries mean") in reasons
    assert "Strikes hit the port overnight" in out.text
    assert "A final paragraph that is news and must stay." in out.text


def test_title_that_is_the_lede_sentence_is_kept_once():
    # Some feeds put the article's first sentence in the title field: it is news.
    lede = ("President Donald Trump and Russian President Vladimir Putin are set to meet in "
            "Anchorage, Alaska, on Friday for a high-stakes summit.")
    raw = f"{lede}\nOne person who won’t be at the meeting is Zelenskyy.\n{lede}"
    c = clean_text(raw, title=lede)
    assert c.text == f"{lede}\nOne person who won’t be at the meeting is Zelenskyy."
    assert [r.reason for r in c.removed] == ["repeated title"]


def test_a_line_pointing_to_a_video_goes_with_its_headline():
    # As machine translations of Polish portals give their video teasers (the ukraine articles hold 36).
    text = ("Russia moved more troops to the border on Monday.\n\n"
            "See the video Is we threatened with an open conflict between Russia and Ukraine?Zalewski: I think no\n\n"
            "Watch the video: what the sanctions mean\n\n"
            "The video shows the convoy near Belgorod.")
    kept = clean_text(text).text
    assert "Zalewski" not in kept and "sanctions mean" not in kept
    assert "Russia moved more troops" in kept and "The video shows the convoy near Belgorod." in kept
