"""Rules of the time-expression finder, one table per rule: (sentence, published, expected).

The sentences are invented for these tests. Each expected tuple names the expression's
words and the fields the rule decides (value, granularity, type).
"""

from __future__ import annotations

import pytest

from storyline.annotate.time.expressions import find_time_expressions
from storyline.models import TimeExpression


def _find(text: str, published: str | None, words: str) -> TimeExpression:
    found = [t for t in find_time_expressions(text, published) if t.text == words]
    assert found, f"{words!r} not found in {[t.text for t in find_time_expressions(text, published)]}"
    return found[0]


def _absent(text: str, published: str | None, word: str) -> None:
    texts = [t.text for t in find_time_expressions(text, published)]
    assert not any(word in t for t in texts), texts


SETS = [
    ("The ferry crosses the strait daily in summer.", "2023-06-01", "daily", "P1D"),
    ("Union leaders met every day to review the talks.", "2023-06-01", "every day", "P1D"),
    ("The council publishes its figures weekly.", "2023-06-01", "weekly", "P1W"),
    ("The fair is held annually in the old port.", "2023-06-01", "annually", "P1Y"),
    ("Elections to the board take place every two years.", "2023-06-01", "every two years", "P2Y"),
    ("The committee meets every other week.", "2023-06-01", "every other week", "P2W"),
    ("Rates are reviewed monthly by the bank.", "2023-06-01", "monthly", "P1M"),
]


@pytest.mark.parametrize(("text", "published", "words", "value"), SETS)
def test_recurring_times_are_sets(text: str, published: str, words: str, value: str) -> None:
    t = _find(text, published, words)
    assert (t.type, t.value, t.granularity) == ("SET", value, "duration")


OPEN_DURATIONS = [
    ("Protesters have gathered outside the ministry for weeks.", "2023-06-01", "weeks", "PXW", "DURATION"),
    ("The two families have not spoken for years.", "2023-06-01", "years", "PXY", "DURATION"),
    ("The decades-long dispute over the border went to court.", "2023-06-01", "decades-long", "PXY", "DURATION"),
    ("After a day-long meeting the ministers issued a statement.", "2023-06-01", "a day-long", "P1D", "DURATION"),
    ("The visa lets her stay for two more weeks.", "2023-06-01", "two more weeks", "P2W", "DURATION"),
    ("She spent 5 1/2 hours in the capital.", "2023-06-01", "5 1/2 hours", "PT5H30M", "DURATION"),
    ("The flight took two and a half hours.", "2023-06-01", "two and a half hours", "PT2H30M", "DURATION"),
    ("The siege lasted 1 1/2 years.", "2023-06-01", "1 1/2 years", "P1Y6M", "DURATION"),  # TimeML counts whole units
]


@pytest.mark.parametrize(("text", "published", "words", "value", "type_"), OPEN_DURATIONS)
def test_durations_without_a_count(text: str, published: str, words: str, value: str, type_: str) -> None:
    t = _find(text, published, words)
    assert (t.type, t.value) == (type_, value)


HOLIDAYS = [
    # (text, published, words, value, granularity)
    ("The boat was found off the coast on Thanksgiving Day.", "2000-01-07", "Thanksgiving Day", "1999-11-25", "day"),
    ("Turnout will be the story from now to Election Day.", "1998-10-26", "Election Day", "1998-11-03", "day"),
    ("Shops were shut on Christmas Day.", "2024-01-03", "Christmas Day", "2023-12-25", "day"),
    ("The talks resume after Easter.", "2024-03-10", "Easter", "2024-03-31", "day"),
    ("Pilgrims filled the square as Easter week began.", "2000-04-17", "Easter week", "2000-W16", "week"),
    ("The strike started on Good Friday.", "2025-05-02", "Good Friday", "2025-04-18", "day"),
    ("He was arrested last Thanksgiving.", "2000-02-10", "last Thanksgiving", "1999-11-25", "day"),
    ("The parade on Memorial Day 2024 drew thousands.", "2025-02-01", "Memorial Day 2024", "2024-05-27", "day"),
    ("The fireworks of the Fourth of July were cancelled.", "2021-07-20", "the Fourth of July", "2021-07-04", "day"),
]


@pytest.mark.parametrize(("text", "published", "words", "value", "granularity"), HOLIDAYS)
def test_holidays_resolve_to_their_dates(text: str, published: str, words: str, value: str, granularity: str) -> None:
    t = _find(text, published, words)
    assert (t.type, t.value, t.granularity) == ("DATE", value, granularity)


VAGUE = [
    ("The mayor spoke about the future of the harbour.", "2023-06-01", "the future", "FUTURE_REF"),
    ("Planners must prepare for future floods.", "2023-06-01", "future", "FUTURE_REF"),
    ("The current chairman took office in spring.", "2023-06-01", "current", "PRESENT_REF"),
    ("Now Spain agrees with the plan.", "2023-06-01", "Now", "PRESENT_REF"),
    ("The rebels said they will strike again soon.", "2023-06-01", "soon", "FUTURE_REF"),
    ("Sales in the current quarter are weaker.", "2023-06-01", "the current quarter", "2023-Q2"),
]


@pytest.mark.parametrize(("text", "published", "words", "value"), VAGUE)
def test_vague_references(text: str, published: str, words: str, value: str) -> None:
    assert _find(text, published, words).value == value


NOT_TIME = [
    ("The minister asked them to leave as soon as possible.", "2023-06-01", "soon"),
    ("The country's current account deficit widened.", "2023-06-01", "current"),
    ("Critics called the vote a moment of high noon for the coalition.", "2023-06-01", "noon"),
]


@pytest.mark.parametrize(("text", "published", "word"), NOT_TIME)
def test_set_phrases_are_not_time_expressions(text: str, published: str, word: str) -> None:
    _absent(text, published, word)


YEARLESS = [
    # A date of the current year is written without its year, whatever the tense cue says.
    ("The boy must be returned to his father by Jan. 14.", "2000-01-06", "Jan. 14", "2000-01-14"),
    ("The case will be heard in May by the appeals court.", "2000-03-29", "May", "2000-05"),
    ("The accession was planned for early March.", "1999-02-10", "early March", "1999-03"),
    # ... but a past date a few months back stays in last year.
    ("The journalist has been held since September, his family said.", "2024-05-23", "September", "2023-09"),
    ("The road will stay closed until March.", "2021-07-06", "March", "2022-03"),
    ("Castro said the boy would be traveling to the United States Thursday.", "2000-04-05", "Thursday", "2000-04-06"),
]


@pytest.mark.parametrize(("text", "published", "words", "value"), YEARLESS)
def test_dates_without_a_year(text: str, published: str, words: str, value: str) -> None:
    assert _find(text, published, words).value == value


MONTH_OF_YEAR = [
    ("In May Britain voted to leave.", "2016-07-01", "May", "2016-05"),
    ("The move was approved in October this year.", "1998-12-03", "October this year", "1998-10"),
    ("The new members join in April next year.", "1998-12-03", "April next year", "1999-04"),
    ("A 1996 law tightened the embargo.", "2000-01-07", "1996", "1996"),
    ("The post-1959 exodus split families.", "2000-02-24", "1959", "1959"),
]


@pytest.mark.parametrize(("text", "published", "words", "value"), MONTH_OF_YEAR)
def test_years_and_months_of_named_years(text: str, published: str, words: str, value: str) -> None:
    assert _find(text, published, words).value == value


ANAPHORA = [
    ("She left the island in June 1998 and returned later that year.", "2000-01-28", "later that year", "1998", "year"),
    ("The doctor was shot on Oct. 23, 1998. Earlier that day, his clinic got a fax.", "1999-10-24", "Earlier that day", "1998-10-23", "day"),
    ("The vote took place on March 3, 2021. The following week the count began.", "2022-01-01", "The following week", "2021-W10", "week"),
    ("The plant closed on May 2, 2019, and reopened the next day.", None, "the next day", "2019-05-03", "day"),
    ("The plant closed on Thursday, May 2, 2019. The following Monday workers protested.", "2024-05-23", "The following Monday", "2019-05-06", "day"),
    ("The plant closed on May 2, 2019. Later that afternoon, workers protested.", "2024-05-23", "Later that afternoon", "2019-05-02", "day"),
    ("The plant closed on May 2, 2019. The same month, it reopened.", "2024-05-23", "The same month", "2019-05", "month"),
    ("Net income rose in the third quarter. For the quarter, sales rose 5%.", "1989-10-26", "the quarter", "1989-Q3", "quarter"),
]


@pytest.mark.parametrize(("text", "published", "words", "value", "granularity"), ANAPHORA)
def test_anaphoric_phrases_count_from_the_latest_date(text: str, published: str | None, words: str, value: str, granularity: str) -> None:
    t = _find(text, published, words)
    assert (t.value, t.granularity, t.type) == (value, granularity, "DATE")


def test_anaphora_without_an_earlier_date_is_left_out() -> None:
    _absent("Later that year the factory closed.", "2023-06-01", "that year")


CLOCK = [
    # (text, published, words, value)
    ("The relatives will have until 9 a.m. Tuesday to sign the paper.", "2000-04-03", "9 a.m. Tuesday", "2000-04-04T09:00"),
    ("The deadline was extended until 9 a.m. EST Tuesday.", "2000-04-03", "9 a.m. EST Tuesday", "2000-04-04T09:00"),
    ("The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building.", "1998-08-08", "10:35 a.m.", "1998-08-07T10:35"),
    ("The verdict was read at 4 p.m. yesterday.", "2021-03-10", "4 p.m. yesterday", "2021-03-09T16:00"),
    ("The judge adjourned the hearing at midday.", "1999-10-08", "midday", "1999-10-08T12:00"),
    ("The polls closed at midnight.", "1999-10-08", "midnight", "1999-10-08T24:00"),
    ("The convoy left at 4 in the morning.", "2000-04-05", "4 in the morning", "2000-04-05T04:00"),
    ("The talks ended at 3 o'clock in the afternoon.", "2000-04-05", "3 o'clock in the afternoon", "2000-04-05T15:00"),
    ("The rally is set for 14:00.", "2024-05-23", "14:00", "2024-05-23T14:00"),
    ("He spoke at 10.30am to reporters.", "2024-05-23", "10.30am", "2024-05-23T10:30"),
    ("The bus leaves at 9:15 tomorrow.", "2024-05-23", "9:15 tomorrow", "2024-05-24T09:15"),
]


@pytest.mark.parametrize(("text", "published", "words", "value"), CLOCK)
def test_clock_times_take_the_day_after_them(text: str, published: str, words: str, value: str) -> None:
    t = _find(text, published, words)
    assert (t.type, t.value, t.granularity) == ("TIME", value, "time")


def test_a_weekday_across_a_parenthesis_stays_its_own_expression() -> None:
    found = {t.text: t.value for t in find_time_expressions("It exploded at 10:35 a.m. (0735 GMT) Friday.", "1998-08-08")}
    assert found == {"10:35 a.m.": "1998-08-07T10:35", "Friday": "1998-08-07"}


OTHER = [
    ("The hearing is set for the week of March 6, the court said.", "2000-02-24", "the week of March 6", "2000-W10"),
    ("On Tuesday, the league plans to hold a news conference.", "1998-10-26", "Tuesday", "1998-10-27"),
]


@pytest.mark.parametrize(("text", "published", "words", "value"), OTHER)
def test_weeks_of_days_and_sentence_openers(text: str, published: str, words: str, value: str) -> None:
    assert _find(text, published, words).value == value


NOT_TIME_EITHER = [
    ("The foreign minister, Jan Kavan, signed the treaty.", "1999-03-12", "Jan"),
    ("Returning him would be a second betrayal, she said.", "2000-04-17", "a second"),
    ("Guards watch the clinic 24 hours a day.", "1998-10-25", "a day"),
    ("The swimmer was swept away by the current.", "2023-06-01", "current"),
    ("The expedition sailed on to Easter Island.", "2023-06-01", "Easter"),
    ("An 1800-page report was filed.", "2023-06-01", "1800"),
    ("The hosts won 3:1 in the final.", "2023-06-01", "3:1"),
    ("The Daily Mail first reported the claim.", "2023-06-01", "Daily"),
    ("Future Publishing shares rose.", "2023-06-01", "Future"),
    ("The current was strong near the pier.", "2023-06-01", "current"),
    ("Crowds marked the anniversary of the Easter Rising.", "2023-06-01", "Easter"),
    ("He was soon released from the hospital.", "2023-06-01", "soon"),
    ("The trickle of cash soon became a flood.", "2023-06-01", "soon"),
]


@pytest.mark.parametrize(("text", "published", "word"), NOT_TIME_EITHER)
def test_names_ordinals_and_rates_are_not_time_expressions(text: str, published: str, word: str) -> None:
    _absent(text, published, word)


PERIODS = [
    # (text, published, words, value, granularity)
    ("Profit fell in the second half of 1989.", "1990-02-01", "the second half of 1989", "1989-H2", "quarter"),
    ("First-half sales rose 4%.", "1989-10-26", "First-half", "1989-H1", "quarter"),
    ("The economy will slow in the second half of next year.", "1989-10-26", "the second half of next year", "1990-H2", "quarter"),
    ("Cities grew fast in the 20th century.", "2001-05-01", "the 20th century", "19", "century"),
    ("The vote is two weeks from now.", "1989-10-26", "two weeks from now", "1989-W45", "week"),
    ("The court meets on April 24 and 25.", "1999-02-10", "25", "1999-04-25", "day"),
]


@pytest.mark.parametrize(("text", "published", "words", "value", "granularity"), PERIODS)
def test_halves_centuries_and_counted_futures(text: str, published: str, words: str, value: str, granularity: str) -> None:
    t = _find(text, published, words)
    assert (t.value, t.granularity) == (value, granularity)


def test_a_bare_second_half_is_a_match_not_a_year() -> None:
    _absent("Arsenal scored twice in the second half.", "2023-06-01", "half")


def test_coming_weeks_without_the_is_a_duration_ahead() -> None:
    t = _find("Prices will rise in coming weeks.", "2023-06-01", "coming weeks")
    assert (t.type, t.value, t.certain, t.earliest, t.latest) == ("DURATION", "PXW", False, "2023-06-01", "2023-06-29")


COUNTED_RANGES = [
    # TimeML: a counted range is a DURATION P<n><unit>; the days it covers are earliest/latest.
    ("Sales doubled over the past two years.", "2024-05-23", "the past two years", "P2Y", "2022-05-23", "2024-05-23"),
    ("Talks may take the next couple of years.", "2024-05-23", "the next couple of years", "P2Y", "2024-05-23", "2026-05-23"),
    ("Losses mounted in the past two quarters.", "2024-05-23", "the past two quarters", "P2Q", "2023-11-23", "2024-05-23"),
    ("Output grew in the past year.", "2024-05-23", "the past year", "P1Y", "2023-05-23", "2024-05-23"),
    ("Stocks fell over the weeks ahead.", "2024-05-23", "the weeks ahead", "PXW", "2024-05-23", "2024-06-20"),
]


@pytest.mark.parametrize(("text", "published", "words", "value", "earliest", "latest"), COUNTED_RANGES)
def test_counted_ranges_are_durations_with_their_days(text: str, published: str, words: str, value: str,
                                                       earliest: str, latest: str) -> None:
    t = _find(text, published, words)
    assert (t.type, t.value, t.granularity, t.earliest, t.latest) == ("DURATION", value, "range", earliest, latest)


TIMEML_RULES = [
    # (text, published, words, type, value): general TimeML conventions
    ("The 1996 campaign failed.", "1998-02-13", "1996", "DATE", "1996"),
    ("For 1988, the company earned $1.7 billion.", "1989-10-30", "1988", "DATE", "1988"),
    ("The bonds are due 1993.", "1989-11-02", "1993", "DATE", "1993"),
    ("In nineteen ninety-one Keating was convicted.", "1998-01-15", "nineteen ninety-one", "DATE", "1991"),
    ("The third departs each Thursday.", "1998-02-13", "each Thursday", "SET", "XXXX-WXX-4"),
    ("Orangemen march each July.", "1998-03-22", "each July", "SET", "XXXX-07"),
    ("The offer runs until 5 p.m. EST Nov. 9.", "1989-11-02", "5 p.m. EST Nov. 9", "TIME", "1989-11-09T17:00"),
    ("Polls close at 15:00 GMT Saturday.", "2024-05-23", "15:00 GMT Saturday", "TIME", "2024-05-18T15:00"),
    ("Polls will close 15:00 GMT Saturday.", "2024-05-23", "15:00 GMT Saturday", "TIME", "2024-05-25T15:00"),
    ("The company expects to report third-quarter results.", "1989-10-27", "third-quarter", "DATE", "1989-Q3"),
    ("Sales in the latest quarter rose.", "1989-10-26", "the latest quarter", "DATE", "1989-Q3"),
    ("Net in the third quarter rose from $3 million a year ago.", "1989-10-26", "a year ago", "DATE", "1988-Q3"),
    ("A pilot called a minute and a half later.", "1998-01-14", "a minute and a half", "DURATION", "PT1M30S"),
    ("He said it today.", "1998-01-14", "today", "DATE", "1998-01-14"),
]


@pytest.mark.parametrize(("text", "published", "words", "type_", "value"), TIMEML_RULES)
def test_timeml_types_and_values(text: str, published: str, words: str, type_: str, value: str) -> None:
    t = _find(text, published, words)
    assert (t.type, t.value) == (type_, value)


@pytest.mark.parametrize("text", [
    "Qantas will add 700 seats and pay $1.76 a year.", "Mr. Reupke, 52 years old, resigned.",
    "Oil prices could fall further.", "He was previously head of sales.", "About 2000 troops arrived.",
])
def test_no_time_expression(text: str) -> None:
    found = [(t.text, t.value) for t in find_time_expressions(text, "1989-11-02")]
    assert not found, found


SHIFTED = [
    # (text, published, words, value, granularity)
    ("Profit rose in the third quarter from a year earlier.", "1989-10-26", "a year earlier", "1988-Q3", "quarter"),
    ("Orders fell in September from a year earlier.", "1989-10-26", "a year earlier", "1988-09", "month"),
    ("The mine closed on May 3, 1988; a week later the town emptied.", "1989-10-26", "a week later", "1988-W19", "week"),
    ("The union struck on March 2, 2021, and two days later the talks resumed.", None, "two days later", "2021-03-04", "day"),
    ("Rates were lower two years earlier.", "2023-06-01", "two years earlier", "2021", "year"),
    ("Net rose in the third quarter; year-earlier net was $5 million.", "1989-10-26", "year-earlier", "1988-Q3", "quarter"),
]


@pytest.mark.parametrize(("text", "published", "words", "value", "granularity"), SHIFTED)
def test_counted_earlier_and_later(text: str, published: str | None, words: str, value: str, granularity: str) -> None:
    t = _find(text, published, words)
    assert (t.type, t.value, t.granularity) == ("DATE", value, granularity)


def test_later_with_no_date_before_it_stays_a_duration() -> None:
    t = _find("Two days later, he left the capital.", "2023-06-01", "Two days")
    assert (t.type, t.value) == ("DURATION", "P2D")


FISCAL_PRIOR = [
    ("Sales will rise in the current fiscal year.", "1989-11-02", "the current fiscal year", "1989"),
    ("Last fiscal year the company lost money.", "1989-11-02", "Last fiscal year", "1988"),
    ("The unit was sold on Oct. 3, 1988; the prior year it had earned more.", "1989-11-02", "the prior year", "1987"),
]


@pytest.mark.parametrize(("text", "published", "words", "value"), FISCAL_PRIOR)
def test_fiscal_and_prior_years(text: str, published: str, words: str, value: str) -> None:
    assert _find(text, published, words).value == value


TENSE = [
    # "could" is the past of "can" as often as a conditional: no future cue.
    ("The minister could not be reached for comment Wednesday.", "2024-05-23", "Wednesday", "2024-05-22"),
    # An abbreviation's full stop ends no clause: the cue before "U.S." still counts.
    ("The deadline set by the U.S. Immigration Service gives them until 9 a.m. Tuesday.", "2000-04-03", "9 a.m. Tuesday", "2000-04-04T09:00"),
    ("They will meet Mr. Smith on Friday.", "2024-05-23", "Friday", "2024-05-24"),
    # Present-tense verbs of schedules speak of the future.
    ("The board meets Thursday to review the bid.", "1989-10-24", "Thursday", "1989-10-26"),
    ("The offer expires Friday.", "1989-10-24", "Friday", "1989-10-27"),
    ("Peace talks resume on Monday in Geneva.", "2025-01-02", "Monday", "2025-01-06"),
]


@pytest.mark.parametrize(("text", "published", "words", "value"), TENSE)
def test_tense_cues(text: str, published: str, words: str, value: str) -> None:
    assert _find(text, published, words).value == value


def test_anaphora_after_a_less_precise_date_keeps_what_is_known() -> None:
    text = "The doctor was shot last October. His name was crossed out that same day."
    t = _find(text, "1999-02-06", "that same day")
    assert (t.value, t.granularity, t.certain) == ("1998-10", "month", False)


def test_anaphora_that_moves_from_a_less_precise_date_is_left_out() -> None:
    _absent("The plant shut in 1997 and reopened the next day.", "1999-02-06", "next day")
    _absent("In 1988 that quarter was weak.", "1989-10-26", "quarter")
    _absent("The Fed made a quarter-point cut in the third quarter; the quarter-point move helped.", "1989-10-26", "quarter-point")
