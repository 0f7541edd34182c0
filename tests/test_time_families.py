"""Families of time expressions for unseen news (issue 21).

Each test is a sentence written for it, with a DCT, and pins what TimeML
(TIMEX3, as TempEval-3's TBAQ annotates it) says: the exact extent, the
type and the value of every expression found.
"""

from __future__ import annotations

from storyline.annotate.sentences import split_sentences
from storyline.annotate.time import RuleTimeTagger

THU = "2025-06-26"  # a Thursday


def found(text: str, dct: str | None = THU) -> list[tuple[str, str, str]]:
    return [(t.text, t.kind, t.value) for t in RuleTimeTagger().tag(text, split_sentences(text), dct)]


# 1. ranges: TimeML marks each end on its own ------------------------------------

def test_year_range_gives_both_ends():
    assert found("The dam was rebuilt in 1998-2001 after the flood.") == [
        ("1998", "DATE", "1998"), ("2001", "DATE", "2001")]


def test_short_year_range_takes_the_century_of_its_start():
    assert found("Output fell in 1990-91 and again in the 1999-00 season.") == [
        ("1990", "DATE", "1990"), ("91", "DATE", "1991"), ("1999", "DATE", "1999"), ("00", "DATE", "2000")]


def test_month_day_range():
    assert found("The envoys met in Vienna on June 3-5.") == [
        ("June 3", "DATE", "2025-06-03"), ("5", "DATE", "2025-06-05")]


def test_both_ends_of_a_range_take_the_same_year():
    # June 3-5 has passed by the DCT; "will meet" puts the whole range in next year's June
    assert found("The envoys will meet in Vienna on June 3-5.") == [
        ("June 3", "DATE", "2026-06-03"), ("5", "DATE", "2026-06-05")]


def test_day_month_range_and_year():
    assert found("The drills ran 3-5 May and again on July 8-11, 2024.") == [
        ("3", "DATE", "2025-05-03"), ("5 May", "DATE", "2025-05-05"),
        ("July 8", "DATE", "2024-07-08"), ("11, 2024", "DATE", "2024-07-11")]


def test_between_years_is_two_dates():
    assert found("Grain exports doubled between 2014 and 2022.") == [
        ("2014", "DATE", "2014"), ("2022", "DATE", "2022")]


def test_scores_counts_and_codes_are_not_ranges():
    assert found("The vote was 89-52, with 15-20 percent absent and 1500-2000 troops on call at 2020-55.") == []


# 2. clock times with a zone, placed on the day the DCT or a weekday gives -----------

def test_clock_with_zone_and_weekday_after_it():
    assert found("The vote will take place at 3 p.m. EST on Tuesday.") == [
        ("3 p.m. EST on Tuesday", "TIME", "2025-07-01T15:00")]


def test_clock_with_zone_alone_is_on_the_dct():
    assert found("The strike began at 10:30 GMT, officials said.") == [("10:30 GMT", "TIME", "2025-06-26T10:30")]


def test_military_time_after_a_weekday_takes_that_day():
    # TimeML leaves the preposition between the two out: a DATE, then a TIME on that date
    assert found("Missiles hit the port on Tuesday at 0400 GMT.") == [
        ("Tuesday", "DATE", "2025-06-24"), ("0400 GMT", "TIME", "2025-06-24T04:00")]


def test_named_zone():
    assert found("Shelling resumed at 04:00 Kyiv time on Monday.") == [
        ("04:00 Kyiv time on Monday", "TIME", "2025-06-23T04:00")]


def test_four_digits_need_a_zone_and_a_preposition():
    assert found("The fire began at 6:15 am local time (0315 GMT) and 2300 homes lost power.") == [
        ("6:15 am local time", "TIME", "2025-06-26T06:15")]


# 3. the end, start or middle of a week, month or year ------------------------------

def test_end_of_the_month_is_the_dcts_month():
    assert found("Kyiv expects the first deliveries by the end of the month.") == [
        ("the end of the month", "DATE", "2025-06")]


def test_start_of_the_week_and_middle_of_the_year():
    assert found("Talks resume at the start of the week and should end by the middle of the year.") == [
        ("the start of the week", "DATE", "2025-W26"), ("the middle of the year", "DATE", "2025")]


def test_start_of_next_week_and_late_last_month():
    assert found("Troops arrived late last month; talks begin at the start of next week.") == [
        ("late last month", "DATE", "2025-05"), ("the start of next week", "DATE", "2025-W27")]


def test_end_of_a_month_long_siege_is_no_date():
    assert found("The end of the month-long siege brought relief.") == []


# 4. ordinal days and fiscal years ------------------------------------------------------

def test_ordinal_day_is_a_date_known_only_from_a_present_copula():
    assert found("Today is the 100th day of the siege.") == [
        ("Today", "DATE", "2025-06-26"), ("the 100th day", "DATE", "2025-06-26")]


def test_ordinal_day_in_the_past_keeps_an_unknown_day():
    assert found("On the 30th day of the war, the mayor fled.") == [("the 30th day", "DATE", "XXXX-XX-XX")]


def test_first_day_in_office_leaves_the_possessive_out():
    assert found("She promised to sign the decree on her first day in office.") == [
        ("first day", "DATE", "XXXX-XX-XX")]


def test_financial_and_fiscal_years():
    assert found("Revenue fell in this financial year and will recover in fiscal 2026 and FY27.") == [
        ("this financial year", "DATE", "2025"), ("fiscal 2026", "DATE", "2026"), ("FY27", "DATE", "2027")]


def test_current_fiscal_year():
    assert found("The ministry expects a deficit in the current fiscal year.") == [
        ("the current fiscal year", "DATE", "2025")]


# 5. sets ---------------------------------------------------------------------------------

def test_each_evening_and_every_night_are_parts_of_every_day():
    assert found("Sirens sound every night, and the mayor speaks each evening.") == [
        ("every night", "SET", "XXXX-XX-XXTNI"), ("each evening", "SET", "XXXX-XX-XXTEV")]


def test_annually_after_a_verb_is_a_set_but_not_after_an_amount():
    assert found("The report is published annually.") == [("annually", "SET", "P1Y")]
    assert found("Exports grew 20% annually, or $5 million annually.") == []


def test_yearly_twice_a_week_and_per_month():
    assert found("The council is held yearly; ministers meet twice a week and pay $40 per month.") == [
        ("yearly", "SET", "P1Y"), ("twice a week", "SET", "P1W"), ("per month", "SET", "P1M")]


# 6. "at the time", "now", "recently" ------------------------------------------------------

def test_at_the_time_takes_the_reference_day():
    assert found("The envoy met Zelensky on May 3, 2024. At the time, he was hopeful.") == [
        ("May 3, 2024", "DATE", "2024-05-03"), ("the time", "DATE", "2024-05-03")]


def test_at_that_time_without_a_reference_is_past_or_future_ref():
    assert found("At that time, the bridge still stood.") == [("that time", "DATE", "PAST_REF")]
    assert found("The council will vote at that time.") == [("that time", "DATE", "FUTURE_REF")]


def test_at_the_time_of_and_as_a_conjunction_are_not_times():
    assert found("There were 12 members at the time of its founding.") == []
    assert found("At the time Kovalenko was captured, the town was quiet.") == []


def test_now_lately_recently_nowadays():
    assert found("Nowadays the square is empty; prices have risen lately, the army recently withdrew "
                 "and talks are now stalled.") == [
        ("Nowadays", "DATE", "PRESENT_REF"), ("lately", "DATE", "PAST_REF"), ("recently", "DATE", "PAST_REF"),
        ("now", "DATE", "PRESENT_REF")]


# 7. durations as counts of units -------------------------------------------------------

def test_counts_of_months_and_decades():
    assert found("The siege lasted 18 months, the occupation two decades.") == [
        ("18 months", "DURATION", "P18M"), ("two decades", "DURATION", "P20Y")]


def test_a_fortnight_is_two_weeks():
    assert found("The operation took a fortnight; talks collapsed a fortnight ago.") == [
        ("a fortnight", "DURATION", "P2W"), ("a fortnight ago", "DATE", "2025-W24")]
    assert found("The bulletin appears every fortnight.") == [("every fortnight", "SET", "P2W")]


def test_an_undated_fortnight_ago_keeps_the_offset_in_weeks():
    [t] = RuleTimeTagger().tag("Talks collapsed a fortnight ago.", [], None)
    assert (t.text, t.value, t.anchor) == ("a fortnight ago", "XXXX-WXX", "offset:-2W")


def test_terms_of_office_are_spans_of_unknown_length():
    assert found("The president is seeking a third term after two terms in office.") == [
        ("a third term", "DURATION", "PXY"), ("two terms", "DURATION", "PXY")]
    assert found("She won her second term in 2019.") == [("her second term", "DURATION", "PXY"),
                                                          ("2019", "DATE", "2019")]


def test_a_term_with_a_length_is_a_count_of_years():
    assert found("He began a four-year term in May.")[0] == ("four-year", "DURATION", "P4Y")


def test_the_short_and_long_term_look_ahead():
    assert found("Prices will rise in the short term and fall in the long term.") == [
        ("the short term", "DATE", "FUTURE_REF"), ("the long term", "DATE", "FUTURE_REF")]


def test_terms_of_a_deal_are_no_time():
    assert found("In terms of money, the terms of the deal favour Kyiv; the second term of the contract "
                 "expires.") == []


# 8. war news: datelines, official numeric dates, nights ---------------------------------

AUG16 = "2022-08-16"  # a Tuesday


def test_agency_datelines_date_the_story_on_or_before_the_dct():
    # written on 10 January: a dateline's 9 January is this year's, its 30 December last year's
    assert found("KYIV, Jan 9 (Reuters) - Air raid sirens sounded across the country.", "2023-01-10") == [
        ("Jan 9", "DATE", "2023-01-09")]
    assert found("MOSCOW, December 30. /TASS/. The ministry reported new strikes.", "2023-01-02") == [
        ("December 30", "DATE", "2022-12-30")]
    assert found("MINSK, 15 August (BelTA) – The president met the envoy.", AUG16) == [
        ("15 August", "DATE", "2022-08-15")]


def test_a_dateline_never_points_after_the_dct():
    # tense alone would put a bare "Aug 20" in a present-tense lead near the DCT; a dateline cannot be later
    assert found("KHARKIV, Aug 20 (Reuters) - Shelling continues in the north.", AUG16) == [
        ("Aug 20", "DATE", "2021-08-20")]


def test_dotted_day_first_dates_and_clock_times():
    assert found("The decree of 15.08.2022 took effect at once.", AUG16) == [("15.08.2022", "DATE", "2022-08-15")]
    assert found("The statement was posted 16.08.2022 10:35 and updated 16.08.2022, 14:05.", AUG16) == [
        ("16.08.2022 10:35", "TIME", "2022-08-16T10:35"), ("16.08.2022, 14:05", "TIME", "2022-08-16T14:05")]


def test_version_numbers_are_not_dotted_dates():
    assert found("Firmware 1.2.2020 was installed.", AUG16) == []


def test_written_date_with_clock_time():
    assert found("Updated: August 15, 2022, 10:35 p.m.", AUG16) == [
        ("August 15, 2022, 10:35 p.m.", "TIME", "2022-08-15T22:35")]


def test_night_across_two_days_is_the_first_day_with_tni():
    assert found("Drones struck Odesa on the night of 14 to 15 August.", AUG16) == [
        ("the night of 14 to 15 August", "TIME", "2022-08-14TNI")]
    assert found("Explosions were heard on the night of August 7-8, 2022.", AUG16) == [
        ("the night of August 7-8, 2022", "TIME", "2022-08-07TNI")]


def test_night_between_weekdays_and_overnight_into():
    assert found("Missiles hit Kharkiv on the night of Sunday to Monday.", AUG16) == [
        ("the night of Sunday to Monday", "TIME", "2022-08-14TNI")]
    assert found("Air defence was active overnight into Tuesday, officials said.", AUG16) == [
        ("overnight into Tuesday", "TIME", "2022-08-15TNI")]


# national days: Independence Day is the nation's the text names -------------------

def test_independence_day_is_the_nation_named_before_it():
    assert found("Ukraine's Independence Day passed under air-raid sirens.", "2022-08-26") == [
        ("Independence Day", "DATE", "2022-08-24")]
    assert found("Kyiv marked Independence Day with a parade of captured tanks.", "2022-08-26") == [
        ("Independence Day", "DATE", "2022-08-24")]
    assert found("Belarusian Independence Day was marked with a parade in Minsk.", "2022-07-05") == [
        ("Independence Day", "DATE", "2022-07-03")]


def test_independence_day_takes_the_nation_the_article_named_last():
    text = ("The Ukrainian foreign ministry urged allies to back a tribunal. "
            "It did so in an Independence Day statement on its website.")
    assert found(text, "2022-08-24") == [("Independence Day", "DATE", "2022-08-24")]


def test_independence_day_without_a_nation_is_the_fourth_of_july():
    assert found("Fireworks were cancelled for Independence Day because of the drought.", "2022-07-06") == [
        ("Independence Day", "DATE", "2022-07-04")]
    # a nation named after the holiday does not reach back to it
    assert found("Independence Day fell on a Monday. Ukraine held no parade.", "2022-08-26")[0] == (
        "Independence Day", "DATE", "2022-07-04")
